"""Journeys of registration ("Ik neem deel"): a member registers in Dutch from the edition page,
changes a preference and withdraws; a non-member is told why they cannot register.

The Dutch interface strings may still be untranslated while the translators
finish them: the member's journey looks the labels up through Django's
translation catalogue (``nl()``), so it reads the names the page really shows
whatever the state of the catalogue, and checks the language on the content
(edition and theme titles typed in Dutch), on ``lang`` and on the address.

The edition is built around now: its registration opened yesterday and closes
in a month, whatever day the tests run.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.editions.models import Edition, Theme
from coopsip.editions.services import publish_edition
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Municipality, Office
from coopsip.registrations.models import DayPart, Registration, RegistrationStatus, Weekday

from .conftest import assert_accessible, label

pytestmark = pytest.mark.browser

MEMBER_EMAIL = "lotte@example.org"
NONMEMBER_EMAIL = "julien@example.org"
REASON = "Ik verhuis naar het buitenland."


def nl(text: str) -> str:
    """``text`` as the Dutch pages show it: translated if the catalogue has it, else as written."""
    with translation.override("nl"):
        return gettext(text)


def nl_slot(weekday: Weekday, part: DayPart) -> str:
    """The accessible name of a box of the weekly grid in Dutch, such as "maandag avond"."""
    with translation.override("nl"):
        return pgettext("a weekly time slot", "%(day)s %(part)s") % {"day": weekday.label, "part": part.label}


def with_date(text: str) -> re.Pattern[str]:
    """A sentence with a ``%(date)s`` placeholder, matching whatever date fills it."""
    return re.compile(re.escape(text).replace(re.escape("%(date)s"), ".+"))


@dataclass(frozen=True)
class Built:
    edition: Edition
    title_nl: str
    title_en: str
    work: Theme
    price: Theme


WORK_NL = "Werk en zorg combineren"
PRICE_NL = "Een eerlijke prijs voor freelancers"


@pytest.fixture
def open_edition(migration_rows: None) -> Built:
    """A published members-only edition in Belgium whose registration is open now, with two Belgian
    themes and one that runs in France only (not offered to a person living in Belgium)."""
    today, now = timezone.localdate(), timezone.now()
    starts_on = today - timedelta(days=10)
    slug = f"{starts_on.year}-{starts_on.year + 1}"
    title_nl = f"Smart in Progress {slug}: samen sterker"
    title_en = f"Smart in Progress {slug}: stronger together"
    edition = Edition.objects.create(
        slug=slug,
        title_nl=title_nl,
        title_fr=f"Smart in Progress {slug} : plus forts ensemble",
        title_en=title_en,
        in_belgium=True,
        starts_on=starts_on,
        ends_on=today + timedelta(days=200),
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=30),
        contact_email="sip@example.org",
    )
    work = Theme.objects.create(
        edition=edition,
        slug="work-and-care",
        position=1,
        title_nl=WORK_NL,
        title_fr="Concilier travail et soins",
        title_en="Combining work and care",
    )
    price = Theme.objects.create(
        edition=edition,
        slug="fair-price",
        position=2,
        title_nl=PRICE_NL,
        title_fr="Un prix juste pour les indépendants",
        title_en="A fair price for freelancers",
    )
    Theme.objects.create(
        edition=edition,
        slug="france",
        position=3,
        title_nl="Coöperaties in Frankrijk",
        title_fr="Les coopératives en France",
        title_en="Cooperatives in France",
        in_belgium=False,
        in_france=True,
    )
    publish_edition(actor=None, edition=edition)
    return Built(edition, title_nl, title_en, work, price)


@pytest.fixture
def lotte(migration_rows: None) -> User:
    """A member who reads the site in Dutch; her profile gives her office and where she lives."""
    gent = Municipality.objects.create(country="BE", postcode="9000", name="Gent", latitude=51.05, longitude=3.72)
    user = make_person(
        MEMBER_EMAIL,
        first_name="Lotte",
        last_name="Peeters",
        preferred_language="nl",
        office=Office.objects.get(slug="gent"),
        municipality=gent,
    )
    link_to_register(user, number="100001", status=MembershipStatus.MEMBER)
    return user


@pytest.fixture
def julien(migration_rows: None) -> User:
    """A user of the cooperative's services who is not a member (shareholder)."""
    user = make_person(NONMEMBER_EMAIL, first_name="Julien", last_name="Dubois", preferred_language="en")
    link_to_register(user, number="100002", status=MembershipStatus.USER)
    return user


def log_in(page: Page, code: str, email: str, translate: Callable[[str], str]) -> None:
    page.goto(f"/{code}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", code)
    assert_accessible(page)
    page.get_by_label(label(translate("Email"))).fill(email)
    page.get_by_label(label(translate("Password"))).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=translate("Log in")).click()
    expect(
        page.get_by_role("navigation", name=translate("Account")).get_by_role("button", name=translate("Log out"))
    ).to_be_visible()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def themes_listed(page: Page) -> Locator:
    """The member's themes, in order, on her registration page."""
    term = page.get_by_role("main").locator("dt", has_text=nl("Your themes, in order of preference"))
    return term.locator("xpath=following-sibling::dd[1]").get_by_role("listitem")


def test_a_member_registers_in_dutch_changes_a_preference_and_withdraws(
    page: Page, live_server: Any, open_edition: Built, lotte: User
) -> None:
    base, built, edition = live_server.url, open_edition, open_edition.edition
    form_url = f"{base}/nl/registrations/{edition.slug}/"
    mine_url = f"{base}/nl/registrations/{edition.slug}/mine/"

    log_in(page, "nl", MEMBER_EMAIL, nl)

    # The edition's page in Dutch, with its call to take part.
    page.goto(f"/nl/editions/{edition.slug}/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_text(built.title_nl)
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name=nl("Register for this edition")).click()

    # The form, prefilled from her profile.
    expect(page).to_have_url(form_url)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("I take part"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(built.title_nl)
    expect(page.get_by_label(label(nl("Office")))).to_have_value(str(lotte.office_id))
    expect(page.get_by_label(label(nl("Postcode")))).to_have_value("9000")
    expect(page.get_by_label(label(nl("Place")))).to_have_value("Gent")
    first = page.get_by_label(label(nl("First choice")))
    second = page.get_by_label(label(nl("Second choice (optional)")))
    # Only the themes that run in Belgium, with their Dutch titles.
    expect(first.locator("option")).to_have_text([nl("Choose a theme"), WORK_NL, PRICE_NL])
    assert_accessible(page)

    first.select_option(label=WORK_NL)
    second.select_option(label=PRICE_NL)
    page.get_by_role("group", name=nl("How do you want to meet?")).get_by_role("radio", name=nl("either")).check()
    languages = page.get_by_role("group", name=nl("Languages you can work in"))
    languages.get_by_role("checkbox", name=nl("Dutch"), exact=True).check()
    languages.get_by_role("checkbox", name=nl("English"), exact=True).check()
    grid = page.get_by_role("group", name=nl("When you can meet"))
    chosen_slots = [
        (Weekday.MONDAY, DayPart.EVENING),
        (Weekday.WEDNESDAY, DayPart.AFTERNOON),
        (Weekday.SATURDAY, DayPart.MORNING),
    ]
    for weekday, part in chosen_slots:
        grid.get_by_role("checkbox", name=nl_slot(weekday, part), exact=True).check()
    commitments = page.get_by_role("group", name=label(nl("I accept"))).get_by_role("checkbox")
    expect(commitments).to_have_count(3)
    for box in commitments.all():
        box.check()
    page.get_by_role("main").get_by_role("button", name=nl("Register"), exact=True).click()

    # Her registration, as she gave it.
    expect(page).to_have_url(mine_url)
    expect(page.get_by_role("status")).to_have_text(
        nl("You are registered. We sent you an email with a summary of your answers.")
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("My registration"))
    expect(themes_listed(page)).to_have_text([WORK_NL, PRICE_NL])
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"{nl('Dutch')}, {nl('English')}")
    expect(main).to_contain_text("Gent")
    assert_accessible(page)
    registration = Registration.objects.get(edition=edition, user=lotte)
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.municipality_id == lotte.municipality_id
    assert sorted((s.weekday, s.part) for s in registration.slots.all()) == sorted(
        (int(day), str(part)) for day, part in chosen_slots
    )
    assert registration.commitments.count() == 3
    assert [m.to for m in mail.outbox if MEMBER_EMAIL in m.to] == [[MEMBER_EMAIL]]

    # She swaps her first and second choice.
    main.get_by_role("link", name=nl("Change my registration")).click()
    expect(page).to_have_url(form_url)
    expect(page.get_by_role("heading", level=1)).to_contain_text(nl("Change your registration"))
    expect(first).to_have_value(str(built.work.pk))
    expect(second).to_have_value(str(built.price.pk))
    expect(grid.get_by_role("checkbox", name=nl_slot(Weekday.MONDAY, DayPart.EVENING), exact=True)).to_be_checked()
    assert_accessible(page)
    first.select_option(label=PRICE_NL)
    second.select_option(label=WORK_NL)
    page.get_by_role("main").get_by_role("button", name=nl("Save my changes")).click()

    expect(page).to_have_url(mine_url)
    expect(page.get_by_role("status")).to_have_text(
        nl("Your registration is changed. We sent you an email with a summary of your answers.")
    )
    expect(themes_listed(page)).to_have_text([PRICE_NL, WORK_NL])
    assert_accessible(page)

    # She withdraws, saying why.
    withdraw = page.get_by_role("region", name=nl("Withdraw"))
    withdraw.get_by_label(label(nl("Your reason for withdrawing (optional)"))).fill(REASON)
    withdraw.get_by_role("button", name=nl("Withdraw my registration")).click()

    expect(page).to_have_url(mine_url)
    expect(page.get_by_role("status")).to_have_text(
        nl("Your registration is withdrawn. The Cooperative Life team is told.")
    )
    expect(
        page.get_by_role("main").locator("strong", has_text=with_date(nl("You withdrew on %(date)s.")))
    ).to_be_visible()
    expect(page.get_by_role("region", name=nl("Withdraw"))).to_have_count(0)
    # Registration is still open: she may come back.
    expect(page.get_by_role("main").get_by_role("link", name=nl("Register again"))).to_be_visible()
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WITHDRAWN
    assert registration.withdrawal_reason == REASON
    # The team running the edition is told, with her reason.
    told = [m for m in mail.outbox if m.to == ["sip@example.org"]]
    assert len(told) == 1
    assert REASON in told[0].body
    assert Registration.objects.filter(edition=edition, user=lotte).count() == 1


def test_a_non_member_is_told_why_they_cannot_register(
    page: Page, live_server: Any, open_edition: Built, julien: User
) -> None:
    edition = open_edition.edition
    log_in(page, "en", NONMEMBER_EMAIL, lambda text: text)

    # The edition's page invites everyone to take part; the register page answers him.
    page.goto(f"/en/editions/{edition.slug}/")
    expect(page.get_by_role("main")).to_contain_text("Members of the cooperative only.")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("link", name="Register for this edition").click()

    expect(page).to_have_url(f"{live_server.url}/en/registrations/{edition.slug}/")
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", level=1)).to_contain_text("Registering")
    # No form to fill: no theme to choose, no button to register.
    expect(main.locator("form")).to_have_count(0)
    expect(main.get_by_role("combobox")).to_have_count(0)
    expect(main.get_by_role("button", name="Register")).to_have_count(0)
    # Why, and what he can do.
    refusal = main.get_by_role("region", name="This edition is open to members (shareholders) of the cooperative only.")
    expect(refusal).to_be_visible()
    expect(refusal).to_contain_text("Become a member of the cooperative to take part")
    expect(refusal).to_contain_text("sip@example.org")
    expect(main.get_by_role("link", name="Ask how to become a member")).to_have_attribute(
        "href", "mailto:sip@example.org"
    )
    # The way back to the edition stays at hand.
    expect(
        page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name=open_edition.title_en)
    ).to_be_visible()
    assert_accessible(page)
    assert not Registration.objects.filter(user=julien).exists()
