"""Journeys: a visitor reads the current edition, a theme and the archive in three languages;
a staff member copies the last edition into a new one and publishes it.

The content (titles of editions, phases and themes) is typed in Dutch, French
and English, so each page is checked on the text a reader of that language
sees. Interface strings of these pages may still be untranslated: the tests
read content and structure (``lang``, the language prefix of the address,
``aria-current``), not the wording of buttons in Dutch or French.

The current edition is built around today, so that a phase is always running
whatever day the tests run; the past editions since 2015 are the demo data.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from coopsip.accounts.models import User
from coopsip.demo.editions import EDITIONS, load_editions
from coopsip.editions.models import Edition, Phase, PhaseKind, Theme
from coopsip.editions.services import publish_edition

from .conftest import STAFF_EMAIL, assert_accessible, label

pytestmark = pytest.mark.browser

LANGUAGES = ("nl", "fr", "en")
# Each language button is named in its own language, whatever the page's language.
BUTTONS = {"nl": "Nederlands", "fr": "Français", "en": "English"}


@dataclass(frozen=True)
class Text:
    """One text in Dutch, French and English, as staff type it."""

    nl: str
    fr: str
    en: str

    def __getitem__(self, code: str) -> str:
        return str(getattr(self, code))

    def values(self, name: str) -> dict[str, str]:
        return {f"{name}_{code}": self[code] for code in LANGUAGES}


@dataclass(frozen=True)
class Built:
    edition: Edition
    title: Text
    current_phase: Text
    carried: Theme  # marked "extend into the next edition"
    carried_title: Text
    other: Theme
    other_title: Text


CARE = Text("Werk en zorg combineren", "Concilier travail et soins", "Combining work and care")
PRICE = Text(
    "Een eerlijke prijs voor freelancers", "Un prix juste pour les indépendants", "A fair price for freelancers"
)
SIGNING_UP = Text("Inschrijven", "S'inscrire", "Signing up")
EXPLORING = Text("Het thema verkennen", "Explorer le thème", "Exploring the theme")
WRITING = Text("Aanbevelingen schrijven", "Rédiger des recommandations", "Writing recommendations")
# The past editions of the demo data (SIP#1 2015-2016 to 2020-2021), newest first.
PAST_EDITIONS = sorted((data for data in EDITIONS if not data.current), key=lambda data: data.starts_on, reverse=True)
SIP_2019 = next(data for data in EDITIONS if data.slug == "2019-2020")
# A theme of 2019-2020 that the archive lists, in each language.
GENDER_EQUALITY = Text("Gendergelijkheid", "Égalité des genres", "Gender equality")


def build_current_edition() -> Built:
    """A published edition, current in Belgium, with a phase running today and two themes.

    Its registration is open; the first phase is over, the second runs, the third is to come.
    """
    today = timezone.localdate()
    starts_on, ends_on = today - timedelta(days=40), today + timedelta(days=150)
    slug = f"{starts_on.year}-{starts_on.year + 1}"
    title = Text(
        f"Smart in Progress {slug}: samen sterker",
        f"Smart in Progress {slug} : plus forts ensemble",
        f"Smart in Progress {slug}: stronger together",
    )
    now = timezone.now()
    edition = Edition.objects.create(
        slug=slug,
        **title.values("title"),
        in_belgium=True,
        starts_on=starts_on,
        ends_on=ends_on,
        registration_opens_at=now - timedelta(days=40),
        registration_closes_at=now + timedelta(days=10),
    )
    for kind, phase_title, start, end in (
        (PhaseKind.REGISTRATION, SIGNING_UP, starts_on, today - timedelta(days=11)),
        (PhaseKind.STUDY, EXPLORING, today - timedelta(days=10), today + timedelta(days=30)),
        (PhaseKind.RECOMMENDATIONS, WRITING, today + timedelta(days=31), ends_on),
    ):
        Phase.objects.create(edition=edition, kind=kind, **phase_title.values("title"), starts_on=start, ends_on=end)
    carried = Theme.objects.create(
        edition=edition, slug="work-and-care", position=1, **CARE.values("title"), to_be_extended=True
    )
    other = Theme.objects.create(edition=edition, slug="fair-price", position=2, **PRICE.values("title"))
    publish_edition(actor=None, edition=edition)
    return Built(edition, title, EXPLORING, carried, CARE, other, PRICE)


@pytest.fixture
def editions_since_2015(migration_rows: None) -> Built:
    load_editions([data for data in EDITIONS if not data.current])
    return build_current_edition()


# --- The visitor ----------------------------------------------------------------


def expect_language(page: Page, code: str) -> None:
    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.get_by_role("banner").get_by_role("button", name=BUTTONS[code], exact=True)).to_have_attribute(
        "aria-current", "true"
    )


def switch_language(page: Page, code: str) -> None:
    page.get_by_role("banner").get_by_role("button", name=BUTTONS[code], exact=True).click()
    expect_language(page, code)


def reads_the_home_page(page: Page, base: str, code: str, built: Built) -> None:
    expect(page).to_have_url(f"{base}/{code}/")
    expect_language(page, code)
    current = page.get_by_role("region", name=re.compile(re.escape(built.title[code])))
    expect(current.get_by_role("heading", level=2)).to_contain_text(built.title[code])
    # "You are here": the running phase, named in the reader's language, and only it.
    here = current.locator('[aria-current="step"]')
    expect(here).to_have_count(1)
    expect(here).to_contain_text(built.current_phase[code])
    expect(current.get_by_role("listitem").filter(has_text=SIGNING_UP[code])).not_to_have_attribute(
        "aria-current", "step"
    )
    for title in (built.carried_title, built.other_title):
        expect(current.get_by_role("link", name=title[code], exact=True)).to_be_visible()
    assert_accessible(page)


def reads_the_theme(page: Page, base: str, code: str, built: Built) -> None:
    edition, theme = built.edition, built.carried
    expect(page).to_have_url(f"{base}/{code}/editions/{edition.slug}/themes/{theme.slug}/")
    expect_language(page, code)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(built.carried_title[code])
    # Written in the reader's language: no part of the title falls back to another one.
    expect(heading.locator("[lang]")).to_have_count(0)
    # The way back to its edition, named in the reader's language too.
    expect(page.get_by_role("main").get_by_role("link", name=built.title[code], exact=True).first).to_be_visible()
    assert_accessible(page)


def reads_the_archive(page: Page, base: str, code: str, built: Built) -> None:
    expect(page).to_have_url(f"{base}/{code}/editions/")
    expect_language(page, code)
    main = page.get_by_role("main")
    # Every edition since SIP#1 (2015-2016), the newest first.
    past_titles = [getattr(data.title, code) for data in PAST_EDITIONS]
    expect(main.get_by_role("heading", level=2)).to_have_text([built.title[code], *past_titles])
    expect(main).to_contain_text("SIP#1")
    sip_2019 = main.get_by_role("article", name=getattr(SIP_2019.title, code))
    expect(sip_2019.get_by_role("link", name=GENDER_EQUALITY[code], exact=True)).to_be_visible()
    current = main.get_by_role("article", name=built.title[code])
    expect(current.get_by_role("link", name=built.carried_title[code], exact=True)).to_be_visible()
    assert_accessible(page)


def open_the_theme(page: Page, built: Built, code: str) -> None:
    current = page.get_by_role("region", name=re.compile(re.escape(built.title[code])))
    current.get_by_role("link", name=built.carried_title[code], exact=True).click()


def go_home(page: Page) -> None:
    page.get_by_role("banner").get_by_role("link", name=re.compile("^coopsip")).click()


def test_a_visitor_reads_the_current_edition_a_theme_and_the_archive_in_three_languages(
    page: Page, live_server: Any, editions_since_2015: Built
) -> None:
    base, built = live_server.url, editions_since_2015

    # In Dutch, the language the browser asks for: home, a theme, the archive.
    page.goto("/", timeout=60_000)  # the first page of a fresh server loads every app: slow on a busy machine
    reads_the_home_page(page, base, "nl", built)
    open_the_theme(page, built, "nl")
    reads_the_theme(page, base, "nl", built)
    page.goto("/nl/editions/")
    reads_the_archive(page, base, "nl", built)

    # In French: the header button keeps the reader on the archive, now in French.
    switch_language(page, "fr")
    reads_the_archive(page, base, "fr", built)
    go_home(page)
    reads_the_home_page(page, base, "fr", built)
    open_the_theme(page, built, "fr")
    reads_the_theme(page, base, "fr", built)

    # In English, from the theme page.
    switch_language(page, "en")
    reads_the_theme(page, base, "en", built)
    go_home(page)
    reads_the_home_page(page, base, "en", built)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Editions").click()
    reads_the_archive(page, base, "en", built)


# --- The staff member -------------------------------------------------------------


def totp_code(secret: str) -> str:
    """The code the app shows now, still valid for a few seconds (allauth accepts no earlier step)."""
    period = mfa_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < 5:
        time.sleep(left + 0.1)
    return format_hotp_value(hotp_value(secret, int(time.time()) // period))


def log_in_with_totp(page: Page, base: str, secret: str) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label(label("Email")).fill(STAFF_EMAIL)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    page.get_by_role("textbox", name="Code").fill(totp_code(secret))
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()


def next_year(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def test_a_staff_member_copies_the_last_edition_into_a_new_one_and_publishes_it(
    page: Page, live_server: Any, sara: User, totp_secret: str
) -> None:
    base = live_server.url
    built = build_current_edition()
    source = built.edition
    slug = f"{source.starts_on.year + 1}-{source.starts_on.year + 2}"
    title = Text(
        f"Smart in Progress {slug}: de volgende stap",
        f"Smart in Progress {slug} : l'étape suivante",
        f"Smart in Progress {slug}: the next step",
    )
    starts_on, ends_on = next_year(source.starts_on), next_year(source.ends_on)

    log_in_with_totp(page, base, totp_secret)

    page.goto("/en/staff/editions/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage the editions")
    editions = page.get_by_role("table", name="Editions, the latest first")
    expect(editions.get_by_role("row", name=re.compile(re.escape(built.title.en)))).to_contain_text("Belgium")
    assert_accessible(page)

    page.get_by_role("link", name=f"Copy “{built.title.en}” into a new edition").click()
    expect(page).to_have_url(f"{base}/en/staff/editions/{source.pk}/copy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Copy into a new edition")
    # The theme marked "extend into the next edition" is announced as carried over; the other is not.
    summary = page.locator(".copy-summary")
    expect(summary.get_by_role("listitem")).to_have_text([built.carried_title.en])
    assert_accessible(page)

    page.get_by_label(label("Short name in the address")).fill(slug)
    titles = page.get_by_role("group", name="Title")
    titles.get_by_label(label("Dutch")).fill(title.nl)
    titles.get_by_label(label("French")).fill(title.fr)
    titles.get_by_label(label("English")).fill(title.en)
    # The form proposes the same dates a year later; she types them to be sure.
    for field, day in (("Starts on", starts_on), ("Ends on", ends_on)):
        expect(page.get_by_label(label(field))).to_have_value(day.isoformat())
        page.get_by_label(label(field)).fill(day.isoformat())
    page.get_by_role("button", name="Create the new edition").click()

    # The new draft's dashboard: the carried theme is there, continuing the old one.
    expect(page.get_by_role("status")).to_contain_text("The new edition is created, as a draft.")
    new = Edition.objects.get(slug=slug)
    expect(page).to_have_url(f"{base}/en/staff/editions/{new.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title.en)
    expect(page.get_by_role("main")).to_contain_text("not published")
    themes = page.get_by_role("region", name="Themes")
    expect(themes.get_by_role("heading", level=3)).to_have_count(1)
    carried = themes.get_by_role("article").filter(
        has=page.get_by_role("heading", name=re.compile(re.escape(built.carried_title.en)))
    )
    expect(carried).to_contain_text(f"{built.carried_title.en} ({built.title.en})")
    expect(themes).not_to_contain_text(built.other_title.en)
    # The phases came along, moved by a year.
    phases = page.get_by_role("table", name=re.compile("^Phases"))
    expect(phases.get_by_role("row")).to_have_count(1 + 3)
    expect(phases.get_by_role("row", name=re.compile(f"^{SIGNING_UP.en}"))).to_contain_text(
        f"{starts_on.day} {starts_on:%b} {starts_on.year} –"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Publish…").click()
    expect(page).to_have_url(f"{base}/en/staff/editions/{new.pk}/publish/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publish “{title.en}”?")
    # The current edition is running: keeping it on the home page is offered first; she makes the new one current.
    expect(page.get_by_role("main")).to_contain_text(f"“{built.title.en}” is the current edition in Belgium")
    expect(page.get_by_role("main")).to_contain_text("It replaces the edition above.")
    assert_accessible(page)
    page.get_by_role("main").get_by_role("button", name="Publish and make it current", exact=True).click()

    expect(page).to_have_url(f"{base}/en/staff/editions/{new.pk}/")
    expect(page.get_by_role("status")).to_have_text("The edition is published and is now the current edition.")
    expect(page.get_by_role("main")).to_contain_text("current edition in Belgium")
    assert_accessible(page)

    # The public page shows it, with the carried theme, and no preview banner.
    page.goto(f"/en/editions/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title.en)
    expect(page.get_by_role("note")).to_have_count(0)
    expect(page.get_by_role("link", name=built.carried_title.en, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name=built.other_title.en, exact=True)).to_have_count(0)
    assert_accessible(page)

    # A visitor in Belgium now finds it on the home page as the current edition.
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/en/")
    current = page.get_by_role("region", name=re.compile(re.escape(title.en)))
    expect(current.get_by_role("heading", level=2)).to_contain_text(title.en)
    expect(current.get_by_role("link", name=built.carried_title.en, exact=True)).to_be_visible()
    # Nothing has started yet: "you are here" stands before the first phase.
    expect(current.locator('[aria-current="step"]')).to_have_count(1)
    expect(current.locator("ol > li").first).to_have_attribute("aria-current", "step")
    expect(page.get_by_role("main")).not_to_contain_text(built.title.en)
