"""Journeys of issue 18 with axe-core on each page: a member in Liège answers the pilot survey in French,
a question appearing after her answer; a member votes, changes the vote and checks the receipt after the close.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Office
from coopsip.surveys import services as survey_services
from coopsip.surveys.models import Response
from coopsip.surveys.services import QuestionInput
from coopsip.votes import services as vote_services
from coopsip.votes.models import Ballot, CastBallot, ProposalStatus

from .conftest import assert_accessible, label

pytestmark = pytest.mark.browser


def member(email: str, first_name: str, *, number: str, language: str, office: str = "") -> User:
    user = make_person(email, first_name=first_name, last_name="Leroy", preferred_language=language)
    if office:
        user.office, _created = Office.objects.get_or_create(
            slug=office, defaults={"name": "Liège", "country": "BE", "latitude": 50.6, "longitude": 5.6}
        )
        user.save(update_fields=["office"])
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def log_in(page: Page, email: str) -> None:
    # The first page a fresh live server renders can take long on a loaded machine (templates, catalogues).
    page.goto("/en/accounts/login/", timeout=60_000)
    page.get_by_label(label("Email")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    # After logging in the site speaks the person's language: the log-out form, whatever its words.
    expect(page.locator("form[action*='logout'] button")).to_be_visible()


def test_a_member_in_liege_answers_the_pilot_in_french_with_a_condition(page: Page, migration_rows: None) -> None:
    camille = member("camille@example.org", "Camille", number="810001", language="fr", office="luik")
    liege = Office.objects.get(slug="luik")
    now = timezone.now()
    survey = survey_services.create_survey(
        actor=None,
        values={
            "title_nl": "Netwerkbehoeften",
            "title_fr": "Besoins de réseau",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=9),
            "pilot_office": liege,
        },
    )
    looking = survey_services.add_question(
        actor=None,
        survey=survey,
        data=QuestionInput(
            kind="yes_no",
            texts={"nl": "Zoek je medewerkers?", "fr": "Cherchez-vous des collaborateurs ?"},
            required=True,
        ),
    )
    survey_services.add_question(
        actor=None,
        survey=survey,
        data=QuestionInput(
            kind="short_text",
            texts={"nl": "Welke?", "fr": "Lesquels ?"},
            required=True,
            condition_question=looking.pk,
            condition_answer="oui",
        ),
    )
    log_in(page, camille.email)
    page.goto(f"/fr/surveys/{survey.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besoins de réseau")
    expect(page.get_by_text("Lesquels ?")).to_have_count(0)
    assert_accessible(page)
    page.locator(f"input[name=q{looking.pk}][value=yes]").check()
    page.locator("button[name=save]").click()
    expect(page.get_by_text("Lesquels ?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox").fill("Un ingénieur du son")
    page.locator("button[name=send]").click()
    expect(page.locator("#sent")).to_be_visible()
    response = Response.objects.get(survey=survey)
    assert response.in_pilot and response.submitted_at is not None
    assert response.answers.get(question__kind="short_text").text == "Un ingénieur du son"


def test_a_member_votes_changes_the_vote_and_checks_the_receipt(page: Page, migration_rows: None) -> None:
    lotte = member("lotte.vote@example.org", "Lotte", number="810002", language="en")
    author = member("author@example.org", "Ann", number="810003", language="nl")
    proposals = []
    for title in ("Care", "Housing", "Tools"):
        proposal = vote_services.propose_theme(
            author=author, title=title, challenge="A challenge", why_now="", country="BE", language="en"
        )
        proposals.append(
            vote_services.decide_proposal(actor=None, proposal=proposal, status=ProposalStatus.SHORTLISTED)
        )
    now = timezone.now()
    ballot = vote_services.create_ballot(
        actor=None,
        title="Themes 2027",
        method="approval",
        seats=1,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        proposals=proposals,
    )
    log_in(page, lotte.email)
    page.goto("/en/me/")
    page.get_by_role("link", name="Vote").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes 2027")
    assert_accessible(page)
    page.get_by_label("Care").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your receipt code:")).to_be_visible()
    page.get_by_label("Care").uncheck()
    page.get_by_label("Tools").check()
    page.get_by_role("button", name="Change my vote").click()
    code = page.locator("#receipt code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert_accessible(page)
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    page.goto(f"/en/votes/ballots/{ballot.pk}/")
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("This receipt matches a ballot cast with these choices: Tools.")).to_be_visible()
    assert_accessible(page)
