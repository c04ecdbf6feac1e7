"""Journeys through the events: a visitor signs up for an info session and cancels from their personal page;
a member waits for a seat at a full members' event and gets it; the secretary of a group records who came
to a meeting and opens its sign-in sheet; a visitor filters the list of coming events.

Events are made with the services (through the factories), at times relative to now, so that the
sessions are always coming (or a meeting has always just started) whatever day the tests run.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, CircleRole, Event, EventFormat, EventKind, SignUp, SignUpStatus
from coopsip.events.tests.factories import make_event, public_online_event
from coopsip.members.models import MembershipStatus

from .conftest import assert_accessible, label

pytestmark = pytest.mark.browser

VIDEO_URL = "https://meet.example.org/sip-info"


def person(email: str, first_name: str, last_name: str, *, number: str) -> User:
    """A member (vennoot) who reads the site in English."""
    user = make_person(email, first_name=first_name, last_name=last_name, preferred_language="en")
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def log_in(page: Page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label(label("Email")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()


def your_place(page: Page) -> Locator:
    return page.get_by_role("region", name="Your place")


# --- 1. A visitor signs up for an online info session, then cancels -------------------------------


def test_a_visitor_signs_up_for_an_online_info_session_by_keyboard_and_cancels_from_the_personal_page(
    page: Page, live_server: Any, migration_rows: None
) -> None:
    base = live_server.url
    event = public_online_event(
        starts_at=timezone.now() + timedelta(days=3),
        kind=EventKind.INFO_SESSION,
        format=EventFormat.PRESENTATION,
    )

    page.goto(f"/en/events/{event.pk}/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Info session")
    expect(page.get_by_role("main")).to_contain_text("Online (video)")
    # The video link is for people who signed up only.
    expect(page.get_by_role("link", name=VIDEO_URL)).to_have_count(0)
    expect(page.get_by_role("main")).not_to_contain_text(VIDEO_URL)
    assert_accessible(page)

    place = your_place(page)
    place.get_by_label(label("Your name")).fill("Ada Lovelace")
    email = place.get_by_label(label("Your email address"))
    email.fill("ada@example.org")
    # From the email field, Tab reaches the sign-up button, and Enter presses it.
    email.focus()
    page.keyboard.press("Tab")
    button = place.get_by_role("button", name="Sign up for Info session")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")

    # Back on the event's page: the seat is kept while she confirms by the link we emailed her; no video link.
    expect(page).to_have_url(f"{base}/en/events/{event.pk}/")
    expect(page.get_by_role("status")).to_contain_text("Almost done: we sent an email to ada@example.org.")
    expect(page.get_by_role("main")).not_to_contain_text(VIDEO_URL)
    assert_accessible(page)
    signup = SignUp.objects.get(event=event, email="ada@example.org")
    assert signup.status == SignUpStatus.PENDING
    [message] = mail.outbox
    link = re.search(r"https?://[^/\s]+(/en/events/s/[^/\s]+/)", str(message.body))
    assert link is not None and VIDEO_URL not in str(message.body)

    # Her personal page, reached by the link in the email: she confirms, the seat and the video link are hers.
    page.goto(link.group(1))
    expect(page).to_have_url(f"{base}/en/events/s/{signup.token}/")
    expect(page.get_by_role("link", name=VIDEO_URL)).to_have_count(0)
    assert_accessible(page)
    your_place(page).get_by_role("button", name="Confirm my seat").click()
    expect(page.get_by_role("status")).to_contain_text('You have a seat at "Info session".')
    expect(page.get_by_role("heading", level=1)).to_contain_text("The place of Ada Lovelace")
    expect(your_place(page)).to_contain_text("You have a seat.")
    video = page.get_by_role("link", name=VIDEO_URL)
    expect(video).to_be_visible()
    expect(video).to_have_attribute("href", VIDEO_URL)
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CONFIRMED and signup.user is None
    assert_accessible(page)

    your_place(page).get_by_role("button", name="Cancel my sign-up for Info session").click()

    expect(page).to_have_url(f"{base}/en/events/s/{signup.token}/")
    expect(page.get_by_role("status")).to_have_text("Your sign-up is cancelled. Thank you for letting us know.")
    expect(your_place(page)).to_contain_text("Your sign-up is cancelled.")
    expect(your_place(page)).not_to_contain_text("You have a seat.")
    expect(page.get_by_role("button", name=re.compile("^Cancel my sign-up"))).to_have_count(0)
    expect(page.get_by_role("link", name=VIDEO_URL)).to_have_count(0)
    signup.refresh_from_db()
    assert signup.status == SignUpStatus.CANCELLED
    assert_accessible(page)


# --- 2. A member joins the waiting list of a full event and gets the seat -------------------------


def test_a_member_joins_the_waiting_list_of_a_full_event_and_gets_the_seat_when_it_frees_up(
    page: Page, live_server: Any, migration_rows: None
) -> None:
    lotte = person("lotte@example.org", "Lotte", "Peeters", number="100001")
    marie = person("marie@example.org", "Marie", "Leclercq", number="100003")
    event = make_event(capacity=1, audience=Audience.MEMBERS, starts_at=timezone.now() + timedelta(days=5))
    taken = services.sign_up(event_id=event.pk, user=marie, notify=False)
    assert taken.status == SignUpStatus.CONFIRMED

    log_in(page, lotte.email)
    page.goto(f"/en/events/{event.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Work breakfast")
    expect(page.get_by_role("main")).to_contain_text("Full — waiting list")
    assert_accessible(page)

    your_place(page).get_by_role("button", name="Join the waiting list for Work breakfast").click()

    expect(page).to_have_url(f"{live_server.url}/en/events/{event.pk}/")
    expect(page.get_by_role("status")).to_contain_text("you are on the waiting list, number 1")
    expect(your_place(page)).to_contain_text("You are on the waiting list: number 1.")
    expect(your_place(page).get_by_role("button", name="Leave the waiting list for Work breakfast")).to_be_visible()
    assert SignUp.objects.get(event=event, user=lotte).status == SignUpStatus.WAITING
    assert_accessible(page)

    # Marie can no longer come: the seat goes to the first person waiting.
    services.cancel_sign_up(signup_id=taken.pk)

    page.reload()
    expect(page.get_by_role("status")).to_have_count(0)
    expect(your_place(page)).to_contain_text("You have a seat.")
    expect(your_place(page)).not_to_contain_text("waiting list")
    expect(your_place(page).get_by_role("button", name="Cancel my sign-up for Work breakfast")).to_be_visible()
    assert SignUp.objects.get(event=event, user=lotte).status == SignUpStatus.CONFIRMED
    assert_accessible(page)


# --- 3. The secretary of a group records who came and opens the sign-in sheet -----------------------


def test_the_secretary_of_a_group_records_who_came_to_a_meeting_and_opens_the_sign_in_sheet(
    page: Page, live_server: Any, migration_rows: None
) -> None:
    anna = person("anna@example.org", "Anna", "Claes", number="100004")
    bram = person("bram@example.org", "Bram", "Wouters", number="100005")
    sofie = person("sofie@example.org", "Sofie", "Maes", number="100006")
    circle = services.create_circle(
        name="Fair prices working group", members=[(anna, CircleRole.MEMBER), (bram, CircleRole.MEMBER)]
    )
    meeting = make_event(
        titles={"nl": "Werkgroep eerlijke prijzen", "fr": "Groupe prix justes", "en": "Fair prices meeting"},
        starts_at=timezone.now() - timedelta(hours=1),
        kind=EventKind.GROUP_MEETING,
        format=EventFormat.MEETING,
        audience=Audience.CIRCLE,
        circle=circle,
    )
    # She joins as secretary after the meeting started: the two members hold the only seats.
    services.add_to_circle(circle=circle, user=sofie, role=CircleRole.SECRETARY)
    assert set(meeting.signups.values_list("name", "status")) == {
        ("Anna Claes", SignUpStatus.CONFIRMED),
        ("Bram Wouters", SignUpStatus.CONFIRMED),
    }

    log_in(page, sofie.email)
    page.goto(f"/en/events/organise/{meeting.pk}/attendees/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Attendees")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Fair prices meeting")
    main = page.get_by_role("main")
    expect(main).to_contain_text("2 seats taken (no limit).")
    table = main.get_by_role("table", name=re.compile("^Everyone on the list"))
    anna_row = table.get_by_role("row", name=re.compile("^Anna Claes"))
    bram_row = table.get_by_role("row", name=re.compile("^Bram Wouters"))
    expect(anna_row).to_contain_text("Confirmed")
    expect(bram_row).to_contain_text("Confirmed")
    anna_came = main.get_by_role("radio", name="came — Anna Claes")
    bram_came = main.get_by_role("radio", name="came — Bram Wouters")
    bram_absent = main.get_by_role("radio", name="absent — Bram Wouters")
    expect(anna_came).not_to_be_checked()
    expect(bram_came).not_to_be_checked()
    expect(main.get_by_role("radiogroup", name="Attendance of Anna Claes")).to_be_visible()
    # The meeting has started: nobody's sign-up is cancelled any more, one click cannot wipe a record.
    expect(main.get_by_role("link", name=re.compile("^Cancel the sign-up"))).to_have_count(0)
    expect(main.get_by_role("button", name=re.compile("^Cancel the sign-up"))).to_have_count(0)
    assert_accessible(page)

    anna_came.check()
    main.get_by_role("button", name="Save the attendance").click()

    expect(page).to_have_url(f"{live_server.url}/en/events/organise/{meeting.pk}/attendees/")
    expect(page.get_by_role("status")).to_have_text("Attendance is saved: 1 person came.")
    expect(anna_row).to_contain_text("Attended")
    expect(bram_row).to_contain_text("Absent")
    expect(anna_came).to_be_checked()
    expect(bram_absent).to_be_checked()
    statuses = dict(meeting.signups.values_list("user__email", "status"))
    assert statuses == {"anna@example.org": SignUpStatus.ATTENDED, "bram@example.org": SignUpStatus.ABSENT}
    assert set(meeting.signups.values_list("attendance_recorded_by", flat=True)) == {sofie.pk}
    assert_accessible(page)

    # Bram had sent word: the secretary marks him excused, by keyboard.
    main.get_by_role("radio", name="excused — Bram Wouters").focus()
    page.keyboard.press("Space")
    main.get_by_role("button", name="Save the attendance").click()
    expect(page.get_by_role("status")).to_have_text("Attendance is saved: 1 person came.")
    expect(main.get_by_role("radio", name="excused — Bram Wouters")).to_be_checked()
    expect(bram_row).to_contain_text("Excused")
    expect(anna_came).to_be_checked()
    assert meeting.signups.get(user=bram).status == SignUpStatus.CANCELLED

    page.get_by_role("navigation", name="Organising this event").get_by_role("link", name="Sign-in sheet").click()
    expect(page).to_have_url(f"{live_server.url}/en/events/organise/{meeting.pk}/sign-in-sheet/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fair prices meeting")
    sheet = page.get_by_role("table", name=re.compile("^Sign-in sheet"))
    # The seat holders by name (Bram, excused, no longer holds one), then five blank lines.
    expect(sheet.get_by_role("rowheader")).to_have_text(["Anna Claes"])
    expect(sheet.locator("tbody tr")).to_have_count(1 + 5)
    expect(page.get_by_role("button", name="Print this sheet")).to_be_visible()
    assert_accessible(page)


# --- 4. An organiser cancels a sign-up after a confirmation, then undoes it -------------------------


def test_an_organiser_cancels_a_sign_up_after_confirming_and_undoes_it_when_the_seat_is_taken(
    page: Page, live_server: Any, migration_rows: None
) -> None:
    ines = person("ines@example.org", "Ines", "Jacobs", number="100007")
    lotte = person("lotte@example.org", "Lotte", "Peeters", number="100001")
    marie = person("marie@example.org", "Marie", "Leclercq", number="100003")
    event = make_event(ines, capacity=1, audience=Audience.MEMBERS, starts_at=timezone.now() + timedelta(days=5))
    services.sign_up(event_id=event.pk, user=marie, notify=False)
    services.sign_up(event_id=event.pk, user=lotte, notify=False)

    # Ines organises the event (a member, not on the team).
    log_in(page, ines.email)
    page.goto(f"/en/events/organise/{event.pk}/attendees/")
    main = page.get_by_role("main")
    table = main.get_by_role("table", name=re.compile("^Everyone on the list"))
    marie_row = table.get_by_role("row", name=re.compile("^Marie Leclercq"))
    lotte_row = table.get_by_role("row", name=re.compile("^Lotte Peeters"))
    expect(marie_row).to_contain_text("Confirmed")
    expect(lotte_row).to_contain_text("number 1 in line")
    assert_accessible(page)

    marie_row.get_by_role("link", name="Cancel the sign-up… — Marie Leclercq").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancel the sign-up of Marie Leclercq?")
    expect(main).to_contain_text("It goes to the first person on the waiting list, Lotte Peeters")
    assert SignUp.objects.get(user=marie).status == SignUpStatus.CONFIRMED  # the page itself changes nothing
    assert_accessible(page)
    main.get_by_role("button", name="Cancel the sign-up").click()

    expect(page).to_have_url(f"{live_server.url}/en/events/organise/{event.pk}/attendees/")
    expect(page.get_by_role("status")).to_contain_text("The sign-up of Marie Leclercq is cancelled.")
    expect(marie_row).to_contain_text("Cancelled")
    expect(lotte_row).to_contain_text("Confirmed")
    assert_accessible(page)

    marie_row.get_by_role("button", name="Undo the cancellation — Marie Leclercq").click()

    # Lotte keeps the seat she was told about; Marie is first in line, and the page says so.
    expect(page.get_by_role("status")).to_contain_text(
        "the seat of Marie Leclercq was taken in the meantime and the event is full: "
        "Marie Leclercq is back on the waiting list, number 1."
    )
    expect(marie_row).to_contain_text("number 1 in line")
    expect(lotte_row).to_contain_text("Confirmed")
    assert SignUp.objects.get(user=marie).status == SignUpStatus.WAITING
    assert_accessible(page)


# --- 5. The secretary of a group renews its calendar link ----------------------------------------------


def test_the_secretary_of_a_group_renews_its_calendar_link_and_the_old_one_stops(
    page: Page, live_server: Any, migration_rows: None
) -> None:
    sofie = person("sofie@example.org", "Sofie", "Maes", number="100006")
    anna = person("anna@example.org", "Anna", "Claes", number="100004")
    circle = services.create_circle(
        name="Fair prices working group", members=[(sofie, CircleRole.SECRETARY), (anna, CircleRole.MEMBER)]
    )
    old_link = f"{live_server.url}/en/events/groups/{circle.calendar_token}/calendar.ics"

    log_in(page, sofie.email)
    page.goto("/en/events/organise/")
    page.get_by_role("link", name="Calendar link — Fair prices working group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Calendar link")
    link = page.get_by_label("The group's calendar link (iCal)")
    expect(link).to_have_value(old_link)
    assert_accessible(page)

    page.get_by_role("button", name="Renew the link").click()

    expect(page.get_by_role("status")).to_have_text("The calendar link is renewed: the old link no longer works.")
    circle.refresh_from_db()
    expect(link).to_have_value(f"{live_server.url}/en/events/groups/{circle.calendar_token}/calendar.ics")
    assert page.request.get(old_link).status == 404
    assert page.request.get(link.input_value()).status == 200
    assert_accessible(page)


# --- 6. The list of coming events, filtered by format -----------------------------------------------


def test_a_visitor_filters_the_coming_events_by_format(page: Page, live_server: Any, migration_rows: None) -> None:
    now = timezone.now()
    afterwork = public_online_event(
        titles={"nl": "Afterwork bij de KOP", "fr": "Afterwork au KOP", "en": "Afterwork at the KOP"},
        format=EventFormat.AFTERWORK,
        starts_at=now + timedelta(days=2),
    )
    breakfast = public_online_event(
        titles={"nl": "Werkontbijt", "fr": "Petit-déjeuner de travail", "en": "Work breakfast"},
        format=EventFormat.WORK_BREAKFAST,
        starts_at=now + timedelta(days=4),
    )
    # Neither a past event nor a members' one is listed to a visitor.
    public_online_event(format=EventFormat.AFTERWORK, starts_at=now - timedelta(days=2))
    make_event(format=EventFormat.AFTERWORK, titles={"en": "Members' afterwork"})
    assert Event.objects.count() == 4

    page.goto("/en/events/", timeout=60_000)
    expect(page.get_by_role("heading", level=1)).to_have_text("Coming events")
    results = page.locator("#results")
    expect(results).to_contain_text("2 coming events")
    # Cards grouped by week: the events' titles are headings under each week's.
    expect(results.get_by_role("heading", level=3)).to_have_text([afterwork.title_en, breakfast.title_en])
    assert_accessible(page)

    filters = page.get_by_role("form", name="Filter the events")
    filters.get_by_label(label("Format")).select_option(label="afterwork")
    filters.get_by_role("button", name="Show these events").click()

    expect(results).to_contain_text("1 coming event")
    expect(results.get_by_role("heading", level=3)).to_have_text([afterwork.title_en])
    expect(results.get_by_role("link", name="Work breakfast")).to_have_count(0)
    # The address keeps the filter: the list can be shared or reloaded.
    expect(page).to_have_url(re.compile(r"/en/events/\?(.*&)?format=afterwork(&|$)"))
    assert_accessible(page)

    page.reload()
    expect(page.get_by_role("form", name="Filter the events").get_by_label(label("Format"))).to_have_value("afterwork")
    expect(page.locator("#results").get_by_role("heading", level=3)).to_have_text([afterwork.title_en])
    assert_accessible(page)
