"""Journeys of issue 16 at 1280 px and 390 px in nl, fr and en, with axe on every page.

A member logs in and lands on a home that says what to do next; the French sector filter finds
the graphic-design events; screenshots of the home page, the events list and the login page at
both widths go to ``artifacts/screenshots/`` (git-ignored; CI keeps the folder as an artifact).
The visitor's sign-up confirmed by the emailed link is in test_events.py.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.events import services
from coopsip.events.models import Audience, Sector
from coopsip.events.tests.factories import event_input
from coopsip.members.models import MembershipStatus

from .conftest import assert_accessible

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
WIDTHS = {"desktop": 1280, "phone": 390}
LANGUAGES = ("nl", "fr", "en")


def _(code: str, text: str) -> str:
    with translation.override(code):
        return translation.gettext(text)


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def no_horizontal_scroll(page: Page) -> None:
    """Nothing on the page is wider than the window (long words wrap, tables scroll in their box)."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 1, f"{page.url} is {overflow}px wider than the window"


@pytest.fixture
def events(migration_rows: None) -> None:
    start = timezone.now() + timedelta(days=4)
    services.create_event(
        by=None,
        data=event_input(
            titles={
                "nl": "Werkontbijt grafisch ontwerp",
                "fr": "Petit-déjeuner graphisme",
                "en": "Graphic design breakfast",
            },
            starts_at=start,
            audience=Audience.PUBLIC,
            sector=Sector.GRAPHIC_DESIGN,
            capacity=12,
        ),
    )
    services.create_event(
        by=None,
        data=event_input(
            titles={"nl": "Muziekjam", "fr": "Jam musicale", "en": "Music jam"},
            starts_at=start + timedelta(days=1),
            audience=Audience.PUBLIC,
            sector=Sector.MUSIC,
            # A long unbroken address must not widen the page on a phone.
            address="Rue-de-la-Très-Longue-Adresse-Sans-Espace-Qui-Ne-Finit-Jamais-72-1060-Saint-Gilles-Bruxelles",
        ),
    )
    services.create_series(
        by=None,
        data=event_input(
            titles={"nl": "Maandagontbijt", "fr": "Petit-déjeuner du lundi", "en": "Monday breakfast"},
            starts_at=start + timedelta(days=2),
            audience=Audience.PUBLIC,
        ),
        rule="FREQ=WEEKLY;COUNT=6",
    )


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_member_logs_in_and_lands_on_a_home_that_says_what_to_do(
    page: Page, live_server: Any, events: None, code: str, width: str
) -> None:
    member = make_person("lotte@example.org", first_name="Lotte", preferred_language=code)
    link_to_register(member, number="100001", status=MembershipStatus.MEMBER)
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    # The first page of a fresh server loads every app: give it time on a busy machine.
    page.goto(f"/{code}/", timeout=60_000)
    assert_accessible(page)
    no_horizontal_scroll(page)
    shot(page, f"home-{code}-{width}")

    page.goto(f"/{code}/events/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_(code, "Coming events"))
    # A series is one card, with its next dates.
    expect(page.get_by_role("link", name=_(code, "All dates of this series"))).to_have_count(1)
    assert_accessible(page)
    no_horizontal_scroll(page)
    shot(page, f"events-{code}-{width}")

    page.goto(f"/{code}/accounts/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_(code, "Log in"))
    assert_accessible(page)
    no_horizontal_scroll(page)
    shot(page, f"login-{code}-{width}")
    # allauth's own labels, in its own words per language: the fields by their id.
    page.locator("#id_login").fill(member.email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=_(code, "Log in")).click()

    # "My Smart in Progress": what is waiting, and the header leads to her registration and events.
    expect(page).to_have_url(f"{live_server.url}/{code}/me/")
    expect(page.get_by_role("heading", level=1)).to_have_text(_(code, "My Smart in Progress"))
    account = page.get_by_role("navigation", name=_(code, "Account"))
    expect(account.get_by_role("link", name=_(code, "My registration"))).to_be_visible()
    expect(account.get_by_role("link", name=_(code, "My events"))).to_be_visible()
    assert_accessible(page)
    no_horizontal_scroll(page)
    shot(page, f"me-{code}-{width}")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_french_sector_filter_finds_the_graphic_design_events(
    page: Page, live_server: Any, events: None, width: str
) -> None:
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto("/fr/events/", timeout=60_000)
    results = page.locator("#results")
    expect(results).to_contain_text("Jam musicale")
    page.locator("#id_sector").select_option(label=_("fr", "graphic design"))
    page.get_by_role("button", name=_("fr", "Show these events")).click()
    expect(results).to_contain_text("Petit-déjeuner graphisme")
    expect(results).not_to_contain_text("Jam musicale")
    assert_accessible(page)


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_an_event_page_gives_the_address_in_the_readers_language_with_a_map_link(
    page: Page, live_server: Any, migration_rows: None, code: str, width: str
) -> None:
    from coopsip.events.models import Place, PlaceKind

    baf = Place.objects.create(
        name="BAF",
        kind=PlaceKind.SHARED_SPACE,
        address_nl="Werkhuizenkaai 12, 1000 Brussel",
        address_fr="Quai des Usines 12, 1000 Bruxelles",
    )
    event = services.create_event(
        by=None,
        data=event_input(
            titles={"nl": "Afterwork", "fr": "Afterwork", "en": "Afterwork"},
            starts_at=timezone.now() + timedelta(days=3),
            audience=Audience.PUBLIC,
            place=baf,
            address="",
            capacity=20,
        ),
    )
    expected = {"nl": "Werkhuizenkaai 12, 1000 Brussel", "fr": "Quai des Usines 12, 1000 Bruxelles"}
    # English has no address of its own here: it falls back to Dutch, the default language.
    address = expected.get(code, expected["nl"])
    page.set_viewport_size({"width": WIDTHS[width], "height": 900})
    page.goto(f"/{code}/events/{event.pk}/", timeout=60_000)
    main = page.get_by_role("main")
    expect(main).to_contain_text(address)
    other = expected["fr" if code != "fr" else "nl"]
    expect(main).not_to_contain_text(other)
    link = main.get_by_role("link", name=_(code, "Show on a map"))
    href = link.get_attribute("href") or ""
    assert href.startswith("https://www.openstreetmap.org/search?query=")
    # The icons are decoration: hidden from screen readers, beside a text that says the same.
    hidden = page.evaluate(
        "Array.from(document.querySelectorAll('main svg.icon'))"
        ".every(svg => svg.getAttribute('aria-hidden') === 'true')"
    )
    assert hidden and page.locator("main svg.icon").count() >= 3
    assert_accessible(page)
    no_horizontal_scroll(page)
    shot(page, f"event-{code}-{width}")
