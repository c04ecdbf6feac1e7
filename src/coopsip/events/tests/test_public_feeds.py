"""My events, my calendar link, and the iCalendar files: one event, a series, a person's feed, a group's meetings."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Attendance, Audience, CalendarFeed, Event
from coopsip.events.services import EventInput
from coopsip.events.tests.test_public_pages import ADDRESS, VIDEO, make_circle, make_event

pytestmark = pytest.mark.django_db

MINE_URL = "/en/events/mine/"
RENEW_URL = "/en/events/mine/calendar/renew/"


def parse(response: Any) -> Calendar:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def start(component: Any) -> datetime:
    """DTSTART as a datetime (its time zone is the TZID it was written with)."""
    moment: datetime = component["DTSTART"].dt
    return moment


def summaries(calendar: Calendar) -> set[str]:
    return {str(component["SUMMARY"]) for component in calendar.walk("VEVENT")}


def online_event(title: str, **fields: Any) -> Event:
    return make_event(title=title, attendance=Attendance.ONLINE, video_url=VIDEO, **fields)


# --- My events --------------------------------------------------------------------------------------


def test_my_events_lists_my_coming_sign_ups_and_my_calendar_link(member: User, nonmember: User) -> None:
    seated = make_event(title="Breakfast", audience=Audience.PUBLIC)
    full = make_event(title="Walk", audience=Audience.PUBLIC, capacity=1)
    make_event(title="Picnic I skipped", audience=Audience.PUBLIC)
    services.sign_up(event_id=seated.pk, user=member)
    services.sign_up(event_id=full.pk, user=nonmember)
    services.sign_up(event_id=full.pk, user=member)
    response = client_for(member).get(MINE_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Breakfast" in html and "Walk" in html and "Picnic I skipped" not in html
    assert "You have a seat." in html
    assert "You are on the waiting list: number 1." in html
    token = CalendarFeed.objects.get(user=member).token
    assert f'value="http://testserver/en/events/calendar/{token}.ics" readonly' in html
    assert 'aria-describedby="calendar-link-help"' in html
    assert "Anyone with this link sees your events: renew it if you shared it by mistake." in html
    assert "Renew my calendar link" in html


def test_my_events_asks_a_visitor_to_log_in(db: Any) -> None:
    response = client_for(None).get(MINE_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_my_events_refuses_a_post(member: User) -> None:
    assert client_for(member).post(MINE_URL).status_code == 405


def test_renewing_the_calendar_link_makes_the_old_one_not_found(member: User) -> None:
    client = client_for(member)
    client.get(MINE_URL)
    old = CalendarFeed.objects.get(user=member).token
    assert client.get(f"/en/events/calendar/{old}.ics").status_code == 200
    response = client.post(RENEW_URL)
    assert response.status_code == 303 and response["Location"] == MINE_URL
    new = CalendarFeed.objects.get(user=member).token
    assert new != old
    assert client_for(None).get(f"/en/events/calendar/{old}.ics").status_code == 404
    assert client_for(None).get(f"/en/events/calendar/{new}.ics").status_code == 200
    assert "Your calendar link is renewed" in client.get(MINE_URL).content.decode()


def test_renewing_refuses_a_get_and_a_visitor(member: User) -> None:
    assert client_for(member).get(RENEW_URL).status_code == 405
    response = client_for(None).post(RENEW_URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- My calendar feed -------------------------------------------------------------------------------


def test_my_feed_has_my_events_in_brussels_time_with_the_link_only_where_i_hold_a_seat(
    member: User, nonmember: User
) -> None:
    seated = online_event("Seated online", audience=Audience.PUBLIC)
    full = online_event("Waiting online", audience=Audience.PUBLIC, capacity=1)
    cancelled = online_event("Cancelled by me", audience=Audience.PUBLIC)
    online_event("Not mine", audience=Audience.PUBLIC)
    services.sign_up(event_id=seated.pk, user=member)
    services.sign_up(event_id=full.pk, user=nonmember)
    services.sign_up(event_id=full.pk, user=member)
    services.cancel_sign_up(signup_id=services.sign_up(event_id=cancelled.pk, user=member).pk)
    feed = services.calendar_feed_of(user=member)
    response = client_for(None).get(f"/en/events/calendar/{feed.token}.ics")
    calendar = parse(response)
    assert summaries(calendar) == {"Seated online", "Waiting online"}
    by_title = {str(component["SUMMARY"]): component for component in calendar.walk("VEVENT")}
    assert VIDEO in str(by_title["Seated online"].get("DESCRIPTION", "")) + str(by_title["Seated online"]["LOCATION"])
    assert VIDEO not in by_title["Waiting online"].to_ical().decode()
    assert by_title["Seated online"]["DTSTART"].params["TZID"] == "Europe/Brussels"
    assert str(start(by_title["Seated online"]).tzinfo) == "Europe/Brussels"
    assert [zone["TZID"] for zone in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]
    assert str(by_title["Seated online"]["URL"]) == f"http://testserver/en/events/{seated.pk}/"


def test_a_head_request_on_a_feed_is_allowed_a_post_is_not(member: User) -> None:
    feed = services.calendar_feed_of(user=member)
    assert client_for(None).head(f"/en/events/calendar/{feed.token}.ics").status_code == 200
    assert client_for(None).post(f"/en/events/calendar/{feed.token}.ics").status_code == 405


def test_an_unknown_feed_is_not_found(db: Any) -> None:
    assert client_for(None).get("/en/events/calendar/nope.ics").status_code == 404


# --- One event --------------------------------------------------------------------------------------


def test_the_calendar_of_one_event_never_holds_the_video_link(member: User, staff: User) -> None:
    event = online_event("Online session", audience=Audience.PUBLIC)
    services.sign_up(event_id=event.pk, user=member)
    for person in (None, member, staff):
        calendar = parse(client_for(person).get(f"/en/events/{event.pk}/calendar.ics"))
        assert summaries(calendar) == {"Online session"}
        assert VIDEO not in calendar.to_ical().decode()
        [component] = calendar.walk("VEVENT")
        assert component["DTSTART"].params["TZID"] == "Europe/Brussels"
        assert start(component) == event.starts_at.replace(microsecond=0)


def test_the_calendar_of_an_in_person_event_has_its_place(db: Any) -> None:
    event = make_event(audience=Audience.PUBLIC)
    [component] = parse(client_for(None).get(f"/en/events/{event.pk}/calendar.ics")).walk("VEVENT")
    assert str(component["LOCATION"]) == ADDRESS


def test_the_calendar_of_an_event_one_may_not_see_is_not_found(member: User, nonmember: User) -> None:
    members_only = make_event(audience=Audience.MEMBERS)
    meeting = make_event(audience=Audience.CIRCLE, circle=make_circle(member))
    assert client_for(None).get(f"/en/events/{members_only.pk}/calendar.ics").status_code == 404
    assert client_for(nonmember).get(f"/en/events/{members_only.pk}/calendar.ics").status_code == 404
    assert client_for(nonmember).get(f"/en/events/{meeting.pk}/calendar.ics").status_code == 404
    assert client_for(member).get(f"/en/events/{meeting.pk}/calendar.ics").status_code == 200


# --- A series ---------------------------------------------------------------------------------------


def _series(audience: str, **fields: Any) -> Any:
    start = timezone.now() + timedelta(days=2)
    data = EventInput(
        titles={"en": "Monday breakfast"},
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        address=ADDRESS,
        audience=audience,
        **fields,
    )
    return services.create_series(by=None, data=data, rule="FREQ=WEEKLY;COUNT=4")


def test_the_calendar_of_a_series_has_every_visible_occurrence(db: Any) -> None:
    series = _series(Audience.PUBLIC)
    calendar = parse(client_for(None).get(f"/en/events/series/{series.pk}/calendar.ics"))
    components = calendar.walk("VEVENT")
    assert len(components) == 4
    # Every Monday at the same time in Brussels, whatever the clock change.
    assert len({start(component).strftime("%H:%M") for component in components}) == 1
    assert {component["DTSTART"].params["TZID"] for component in components} == {"Europe/Brussels"}


def test_the_calendar_of_a_group_series_is_not_found_outside_the_group(member: User, nonmember: User) -> None:
    series = _series(Audience.CIRCLE, circle=make_circle(member))
    assert client_for(nonmember).get(f"/en/events/series/{series.pk}/calendar.ics").status_code == 404
    assert client_for(None).get(f"/en/events/series/{series.pk}/calendar.ics").status_code == 404
    assert client_for(member).get(f"/en/events/series/{series.pk}/calendar.ics").status_code == 200
    assert client_for(None).get("/en/events/series/999999/calendar.ics").status_code == 404


# --- A group's meetings -----------------------------------------------------------------------------


def test_the_calendar_of_a_group_holds_its_meetings_without_their_video_links(member: User) -> None:
    # The links are in each member's personal calendar (events/tests/test_group_calendar.py).
    circle = make_circle(member)
    online_event("Group meeting", audience=Audience.CIRCLE, circle=circle)
    online_event("Other meeting", audience=Audience.PUBLIC)
    calendar = parse(client_for(None).get(f"/en/events/groups/{circle.calendar_token}/calendar.ics"))
    assert summaries(calendar) == {"Group meeting"}
    assert VIDEO not in calendar.to_ical().decode()


def test_the_calendar_of_an_unknown_group_is_not_found(db: Any) -> None:
    assert client_for(None).get("/en/events/groups/nope/calendar.ics").status_code == 404


def test_a_cancelled_meeting_stays_in_the_group_calendar_as_cancelled(member: User) -> None:
    circle = make_circle(member)
    event = make_event(title="Cancelled meeting", audience=Audience.CIRCLE, circle=circle)
    services.cancel_event(by=None, event=event)
    [component] = parse(client_for(None).get(f"/en/events/groups/{circle.calendar_token}/calendar.ics")).walk("VEVENT")
    assert str(component["STATUS"]) == "CANCELLED"
