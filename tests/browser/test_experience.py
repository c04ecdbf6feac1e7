"""Journeys of issue 16 at 1280 px and 390 px in nl, fr and en, with axe on every page.

A member logs in and lands on a home that says what to do next; the French sector filter finds
the graphic-design events; screenshots of the home page, the events list and the login page at
both widths go to ``artifacts/screenshots/`` (git-ignored; CI keeps the folder as an artifact).
The visitor's sign-up confirmed by the emailed link is in test_events.py.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.events import services
from coopsip.events.models import Audience, CircleRole, Event, EventFormat, EventKind, Sector
from coopsip.events.tests.factories import event_input, make_event
from coopsip.members.models import MembershipStatus

from .conftest import assert_accessible
from .test_editions import log_in_with_totp

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
    if width == "phone":
        # On a phone the header's links are behind the menu button.
        page.get_by_role("button", name=_(code, "Menu")).click()
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


# --- Phones (the Chromium review of issue 16): nothing wider than the screen, a short header -----------

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def fits_the_screen(page: Page) -> None:
    """The page itself does not scroll sideways: wide tables scroll inside their own box."""
    width, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= window, f"{page.url} is {width} px wide in a {window} px window"


def log_in(page: Page, email: str) -> None:
    page.goto("/en/accounts/login/", timeout=60_000)
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page).not_to_have_url(re.compile("/accounts/login/"))


def member(email: str, first_name: str, last_name: str, number: str) -> Any:
    person = make_person(email, first_name=first_name, last_name=last_name, preferred_language="nl")
    link_to_register(person, number=number, status=MembershipStatus.MEMBER)
    return person


def test_the_organisers_tables_scroll_in_their_box_on_a_phone(
    page: Page, live_server: Any, sara: Any, totp_secret: str
) -> None:
    sofie = member("sofie@example.org", "Sofie", "Maes-Vandenbroucke", "100006")
    people = [member(f"lid{n}@example.org", f"Annemarie{n}", "Claes-Vandevelde", f"10001{n}") for n in range(3)]
    circle = services.create_circle(
        name="Werkgroep eerlijke prijzen en betaalbare ateliers",
        members=[(sofie, CircleRole.SECRETARY), *((person, CircleRole.MEMBER) for person in people)],
    )
    meeting = make_event(
        titles={"nl": "Bijeenkomst van de werkgroep eerlijke prijzen", "en": "Fair prices meeting"},
        starts_at=timezone.now() + timedelta(days=3),
        kind=EventKind.GROUP_MEETING,
        format=EventFormat.MEETING,
        audience=Audience.CIRCLE,
        circle=circle,
    )
    page.set_viewport_size(PHONE)
    log_in(page, sofie.email)

    page.goto("/nl/events/organise/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    fits_the_screen(page)
    assert_accessible(page)

    page.goto(f"/nl/events/organise/{meeting.pk}/attendees/")
    expect(page.get_by_role("main")).to_contain_text("Annemarie0 Claes-Vandevelde")
    fits_the_screen(page)
    # The table is wider than the phone: it scrolls in its own box, which the keyboard can reach.
    box = page.locator(".table-scroll").first
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")
    assert box.get_attribute("tabindex") == "0"
    assert_accessible(page)

    # The team's list of groups.
    page.context.clear_cookies()
    page.set_viewport_size(DESKTOP)
    log_in_with_totp(page, live_server.url, totp_secret)
    page.set_viewport_size(PHONE)
    page.goto("/nl/events/organise/groups/")
    expect(page.get_by_role("main")).to_contain_text("Werkgroep eerlijke prijzen en betaalbare ateliers")
    fits_the_screen(page)
    assert_accessible(page)


def test_the_month_is_a_list_of_days_on_a_phone_and_a_grid_on_a_computer(
    page: Page, live_server: Any, events: None
) -> None:
    jam = Event.objects.get(title_nl="Muziekjam")
    month = timezone.localtime(jam.starts_at).strftime("%Y-%m")
    page.set_viewport_size(PHONE)
    page.goto(f"/nl/events/?view=month&month={month}", timeout=60_000)
    link = page.get_by_role("link", name=re.compile("Muziekjam$"))
    expect(link).to_be_visible()
    fits_the_screen(page)
    # A day with events says which day it is; a title is on one line, not cut every few letters.
    expect(page.locator(".month-grid .month-date").first).to_be_visible()
    assert link.evaluate("a => a.getClientRects().length") == 1
    expect(page.locator(".month-grid thead")).to_be_hidden()
    # Empty days are left out of the list.
    assert page.locator(".month-grid td:visible").count() == page.locator(".month-grid td:has(li)").count()
    assert_accessible(page)

    page.set_viewport_size(DESKTOP)
    expect(page.locator(".month-grid thead")).to_be_visible()
    expect(page.locator(".month-grid .month-date").first).to_be_hidden()
    # The weekday row is as tall as its text, not a band as tall as a week.
    header = page.locator(".month-grid thead th").first.evaluate("th => th.getBoundingClientRect().height")
    assert header < 40, f"the weekday row is {header} px tall"
    assert_accessible(page)


def test_an_event_cards_time_range_stays_on_one_line_on_a_phone(page: Page, live_server: Any, events: None) -> None:
    page.set_viewport_size(PHONE)
    page.goto("/fr/events/", timeout=60_000)
    ranges = page.locator(".event-card .time-range")
    expect(ranges.first).to_be_visible()
    lines = ranges.evaluate_all("spans => spans.map(span => span.getClientRects().length)")
    assert lines and set(lines) == {1}
    fits_the_screen(page)


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_on_a_phone_the_header_is_short_and_a_menu_button_opens_the_navigation(
    page: Page, live_server: Any, migration_rows: None, who: str
) -> None:
    page.set_viewport_size(PHONE)
    if who == "member":
        log_in(page, member("lotte@example.org", "Lotte", "Peeters", "100001").email)
    page.goto("/nl/events/", timeout=60_000)
    header = page.locator(".site-header")
    button = page.get_by_role("button", name=_("nl", "Menu"))
    main_nav = page.get_by_role("navigation", name=_("nl", "Main"))
    height = header.evaluate("header => header.getBoundingClientRect().height")
    assert height < 120, f"the header is {height} px tall on a phone"
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(main_nav).to_be_hidden()
    # The language switch stays at hand.
    expect(page.get_by_role("button", name="Français")).to_be_visible()
    assert_accessible(page)

    # By keyboard: Enter opens the menu, its links come next, Escape closes it and gives the focus back.
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(main_nav.get_by_role("link", name=_("nl", "Events"))).to_be_visible()
    account = page.get_by_role("navigation", name=_("nl", "Account"))
    expect(account.get_by_role("link", name=_("nl", "Log in" if who == "visitor" else "My profile"))).to_be_visible()
    page.keyboard.press("Tab")
    expect(main_nav.get_by_role("link", name=_("nl", "Home"))).to_be_focused()
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    expect(main_nav).to_be_hidden()

    # On a computer there is no button: the navigation is always there.
    page.set_viewport_size(DESKTOP)
    expect(button).to_be_hidden()
    expect(main_nav.get_by_role("link", name=_("nl", "Events"))).to_be_visible()


def test_without_javascript_the_phone_header_shows_its_navigation(
    browser: Any, live_server: Any, migration_rows: None
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto("/nl/events/", timeout=60_000)
        expect(
            page.get_by_role("navigation", name=_("nl", "Main")).get_by_role("link", name=_("nl", "Events"))
        ).to_be_visible()
        expect(page.get_by_role("button", name=_("nl", "Menu"))).to_be_hidden()
    finally:
        context.close()


@pytest.mark.parametrize("code", LANGUAGES)
def test_on_the_login_page_the_password_comes_right_after_the_email(
    page: Page, live_server: Any, migration_rows: None, code: str
) -> None:
    page.goto(f"/{code}/accounts/login/", timeout=60_000)
    main = page.get_by_role("main")
    forgot = main.get_by_role("link", name=_(code, "Forgot your password?"))
    # Once, after the Log in button, not in the password's help text between the two fields.
    expect(forgot).to_have_count(1)
    page.locator("#id_login").focus()
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    order = main.evaluate(
        """main => Array.from(main.querySelectorAll('a[href], button, input:not([type=hidden])'))
            .map(el => el.id || el.textContent.trim())"""
    )
    log_in_button = order.index(_(code, "Log in"))
    assert (
        order.index("id_login")
        < order.index("id_password")
        < log_in_button
        < order.index(_(code, "Forgot your password?"))
    )
    assert_accessible(page)
