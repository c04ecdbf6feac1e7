"""The networking journey: a member publishes a need, finds a Dutch-speaking photographer near Gent and writes
to them. axe-core checks each page visited."""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from playwright.sync_api import Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.members.models import MembershipStatus
from coopsip.networking import services
from coopsip.networking.models import Sector, Skill
from coopsip.places.models import Municipality

from .conftest import assert_accessible, label

pytestmark = pytest.mark.browser


def person(email: str, first_name: str, *, number: str, language: str) -> Any:
    user = make_person(email, first_name=first_name, last_name="Claes", preferred_language=language)
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


@pytest.fixture
def network(migration_rows: None) -> dict[str, Any]:
    # A transactional test empties the vocabulary the data migration made: put it back.
    importlib.import_module("coopsip.networking.migrations.0003_starter_vocabulary").load(apps, None)
    gent = Municipality.objects.create(country="BE", postcode="9000", name="Gent", latitude=51.0543, longitude=3.7174)
    lokeren = Municipality.objects.create(
        country="BE", postcode="9160", name="Lokeren", latitude=51.1034, longitude=3.9931
    )
    liege = Municipality.objects.create(country="BE", postcode="4000", name="Liège", latitude=50.6326, longitude=5.5797)
    audiovisual, photo = Sector.objects.get(slug="audiovisual"), Skill.objects.get(slug="photography")
    lotte = person("lotte@example.org", "Lotte", number="500001", language="en")
    pieter = person("pieter@example.org", "Pieter", number="500002", language="nl")
    camille = person("camille@example.org", "Camille", number="500003", language="fr")
    for author, title, language, place in [
        (pieter, "Fotograaf voor voorstellingen", "nl", lokeren),
        (camille, "Photographe de spectacles", "fr", liege),
    ]:
        services.publish_listing(
            author=author,
            data=services.ListingInput(
                kind="offer",
                category="work",
                title=title,
                body="",
                language=language,
                sectors=(audiovisual,),
                skills=(photo,),
                municipality_id=place.pk,
                radius_km=40,
            ),
        )
    services.save_profile(
        user=pieter,
        data=services.ProfileInput(
            is_visible=True,
            activity="Fotograaf",
            sectors=(audiovisual,),
            skills=(photo,),
            languages=("nl",),
            municipality_id=lokeren.pk,
            shown=("activity", "sectors", "languages", "place"),
        ),
    )
    return {"gent": gent, "lotte": lotte, "pieter": pieter}


def test_a_member_publishes_a_need_finds_a_dutch_speaking_photographer_near_gent_and_writes(
    page: Page, network: dict[str, Any]
) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label(label("Email")).fill("lotte@example.org")
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Offers and needs")
    assert_accessible(page)

    page.get_by_role("link", name="Publish an offer or a need").first.click()
    page.get_by_label("need", exact=True).check()
    page.get_by_label(label("Title")).fill("Photographer wanted for a premiere in Gent")
    page.get_by_label(label("Text")).fill("Rehearsal and **premiere** night.")
    page.get_by_label(label("Language of the text")).select_option(label="English")
    page.get_by_label(label("Sectors")).select_option(label="Audiovisual")
    page.get_by_label(label("Skills")).select_option(label="Photography")
    page.get_by_label(label("Place (postcode)")).fill("9000")
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Photographer wanted for a premiere in Gent")
    matches = page.get_by_role("region", name="Offers that match")
    expect(matches.get_by_role("listitem")).to_have_count(1)  # Liège is out of reach
    expect(matches).to_contain_text("Fotograaf voor voorstellingen")
    expect(matches).to_contain_text("same skill: Photography")
    expect(page.get_by_role("region", name="Members whose profile fits")).to_contain_text("Pieter Claes")
    assert_accessible(page)

    # The search finds the photographer near Gent who speaks Dutch.
    page.get_by_role("link", name="Find offers and needs").click()
    page.get_by_label(label("Words")).fill("fotografen")
    page.get_by_label(label("Language")).select_option(label="Dutch")
    page.get_by_label(label("Near (postcode)")).fill("9000")
    page.get_by_label(label("Within (km)")).fill("30")
    page.get_by_label(label("Sort by")).select_option(label="distance")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 result")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Fotograaf voor voorstellingen").click()

    page.get_by_label(label("Your message")).fill("Are you free on the 12th of March?")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation")
    expect(page.get_by_text("Email addresses are shown once the author answers.")).to_be_visible()
    expect(page.get_by_text("pieter@example.org")).to_have_count(0)
    assert_accessible(page)
    (relayed,) = [m for m in mail.outbox if m.to == ["pieter@example.org"]]
    assert "Are you free on the 12th of March?" in relayed.body
    assert "lotte@example.org" not in relayed.body
