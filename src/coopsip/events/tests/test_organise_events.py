"""Sara (staff) creates events and series; organisers change and cancel them.

Times are typed in Brussels time and stay at 10:00 on both sides of a clock
change. Every rule the services enforce comes back next to its field, with
everything typed kept and nothing saved.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services
from coopsip.events.models import Audience, Event, Place, PlaceKind, Series
from coopsip.events.organise_forms import build_rule, monthly_weekday
from coopsip.events.services import EventBusy
from coopsip.events.tests.test_organise_access import brussels, form_data, make_event, sign_up

CREATE = "/en/events/organise/new/"
CREATE_SERIES = "/en/events/organise/new-series/"


def edit_url(event: Event) -> str:
    return reverse("events_organise:edit", kwargs={"pk": event.pk})


def series_data(**overrides: Any) -> dict[str, Any]:
    return form_data(**{"frequency": "weekly", "until": "", "count": "", **overrides})


# --- Creating -------------------------------------------------------------------------


def test_the_form_has_fieldsets_in_brussels_time(staff: User) -> None:
    response = client_for(staff).get(CREATE)
    assert response.status_code == 200
    page = response.content.decode()
    assert "<legend>When</legend>" in page
    assert "Brussels time." in page
    assert 'type="date"' in page and 'type="time"' in page
    assert 'name="starts_at_0"' in page and 'name="starts_at_1"' in page


def test_staff_create_an_event(staff: User) -> None:
    client = client_for(staff)
    data = form_data(capacity="12", signup_deadline_0="2031-05-11", signup_deadline_1="18:00")
    response = client.post(CREATE, data)
    event = Event.objects.get()
    assert response.status_code == 303
    assert response["Location"] == edit_url(event)
    assert Event.objects.filter(pk=event.pk, title_nl="Werkontbijt").exists()
    assert event.starts_at == brussels(2031, 5, 12, 10)
    assert event.ends_at == brussels(2031, 5, 12, 12)
    assert event.signup_deadline == brussels(2031, 5, 11, 18)
    assert event.capacity == 12
    assert event.format == "work_breakfast"
    assert event.language == "nl"
    assert event.organiser == staff
    page = client.get(response["Location"]).content.decode()
    assert "The event is created." in page


def test_each_language_keeps_its_own_title(staff: User) -> None:
    client_for(staff).post(CREATE, form_data(title_en="Work breakfast"))
    assert Event.objects.filter(title_en="Work breakfast").exists()


def test_ten_oclock_stays_ten_oclock_across_the_clock_change(staff: User) -> None:
    client = client_for(staff)
    # Summer time starts on 30 March 2031.
    for day in ("2031-03-27", "2031-04-03"):
        data = form_data(starts_at_0=day, ends_at_0=day)
        assert client.post(CREATE, data).status_code == 303
    winter, summer = Event.objects.order_by("starts_at")
    assert winter.starts_at.astimezone(BRUSSELS).hour == summer.starts_at.astimezone(BRUSSELS).hour == 10
    assert winter.starts_at.utcoffset() is not None
    assert (winter.starts_at.astimezone(UTC).hour, summer.starts_at.astimezone(UTC).hour) == (9, 8)
    page = client.get(edit_url(summer)).content.decode()
    assert 'value="10:00"' in page


def test_a_time_that_does_not_exist_is_refused(staff: User) -> None:
    data = form_data(starts_at_0="2031-03-30", starts_at_1="02:30", ends_at_0="2031-03-30", ends_at_1="04:00")
    response = client_for(staff).post(CREATE, data)
    assert response.status_code == 400
    assert "This time does not exist in Brussels" in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"ends_at_1": "09:00"}, "ends_at", "The event must end after it starts."),
        (
            {"signup_deadline_0": "2031-05-12", "signup_deadline_1": "11:00"},
            "signup_deadline",
            "The sign-up deadline must be at the latest when the event starts.",
        ),
        (
            {"attendance": "online", "video_url": "ftp://x"},
            "video_url",
            "Give a full web address starting with https://",
        ),
        (
            {"attendance": "hybrid", "video_url": "not a link"},
            "video_url",
            "Give a full web address starting with https://",
        ),
        ({"attendance": "online", "video_url": ""}, "video_url", "Give the video link"),
        ({"audience": "circle", "circle": ""}, "circle", "Choose the group whose members may come."),
        ({"title_nl": "", "title_en": ""}, "title_nl", "Give the event a title in at least one language."),
        ({"address": ""}, "place", "Choose a place or give an address."),
        ({"capacity": "0"}, "capacity", "Give at least one seat"),
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_kept(
    staff: User, overrides: dict[str, str], field: str, message: str
) -> None:
    data = form_data(sector="music", **overrides)
    response = client_for(staff).post(CREATE, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page  # next to its field, which points to it (aria-describedby)
    assert 'id="form-errors"' in page  # and in the summary
    assert '<option value="music" selected>' in page  # everything typed is kept
    assert 'value="2031-05-12"' in page
    assert not Event.objects.exists()


def test_the_error_summary_links_to_the_date_input(staff: User) -> None:
    response = client_for(staff).post(CREATE, form_data(ends_at_1="09:00"))
    assert 'href="#id_ends_at_0"' in response.content.decode()


def test_a_known_place_may_be_chosen_but_not_one_out_of_use(staff: User) -> None:
    kop = Place.objects.create(name="KOP", kind=PlaceKind.SHARED_SPACE, address="Kortrijksepoortstraat 1, Gent")
    old = Place.objects.create(name="Oud", kind=PlaceKind.OTHER, address="Ergens 1", is_active=False)
    client = client_for(staff)
    assert client.post(CREATE, form_data(place=str(old.pk), address="")).status_code == 400
    assert client.post(CREATE, form_data(place=str(kop.pk), address="")).status_code == 303
    assert Event.objects.get().place == kop


def test_a_group_meeting_seats_the_group(staff: User, member: User) -> None:
    circle = services.create_circle(name="Werkgroep", members=[(member, "member")])
    response = client_for(staff).post(CREATE, form_data(audience="circle", circle=str(circle.pk)))
    assert response.status_code == 303
    event = Event.objects.get()
    assert event.circle == circle
    assert list(event.signups.values_list("user", flat=True)) == [member.pk]


# --- Changing ---------------------------------------------------------------------------


def test_the_organiser_changes_her_event(member: User) -> None:
    event = make_event(member, starts_at=brussels(2031, 5, 12, 10))
    client = client_for(member)
    page = client.get(edit_url(event)).content.decode()
    assert 'value="2031-05-12"' in page and 'value="10:00"' in page
    response = client.post(edit_url(event), form_data(starts_at_1="14:00", ends_at_1="16:00", capacity="20"))
    assert response.status_code == 303
    assert response["Location"] == edit_url(event)
    event.refresh_from_db()
    assert event.starts_at == brussels(2031, 5, 12, 14)
    assert event.capacity == 20
    assert event.sequence == 1


def test_the_edit_page_links_to_everything_about_the_event(staff: User) -> None:
    event = make_event(staff)
    page = client_for(staff).get(edit_url(event)).content.decode()
    for name in ("attendees", "minutes", "guests", "sheet", "export", "cancel_event"):
        assert reverse(f"events_organise:{name}", kwargs={"pk": event.pk}) in page, name


def test_fewer_seats_than_people_seated_is_explained(staff: User, member: User, nonmember: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=5, starts_at=brussels(2031, 5, 12, 10))
    sign_up(event, member)
    sign_up(event, nonmember)
    response = client_for(staff).post(edit_url(event), form_data(capacity="1", audience="public"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "2 people already have a seat" in page
    assert 'id="id_capacity_error"' in page
    assert 'name="capacity" value="1"' in page
    event.refresh_from_db()
    assert event.capacity == 5
    assert event.sequence == 0


def test_a_busy_event_asks_to_try_again(staff: User, monkeypatch: pytest.MonkeyPatch) -> None:
    event = make_event(staff, starts_at=brussels(2031, 5, 12, 10))

    def busy(**kwargs: Any) -> Event:
        raise EventBusy

    monkeypatch.setattr(services, "update_event", busy)
    response = client_for(staff).post(edit_url(event), form_data(title_nl="Nieuwe titel"))
    assert response.status_code == 503
    page = response.content.decode()
    assert "try again in a moment" in page
    assert 'value="Nieuwe titel"' in page


# --- Cancelling -------------------------------------------------------------------------


def test_cancelling_asks_first_then_tells_everyone(staff: User, member: User, on_commit: Any) -> None:
    event = make_event(staff)
    sign_up(event, member)
    url = reverse("events_organise:cancel_event", kwargs={"pk": event.pk})
    client = client_for(staff)
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "1 person signed up or waiting is told by email." in confirm.content.decode()
    assert Event.objects.get(pk=event.pk).cancelled_at is None
    mail.outbox.clear()
    with on_commit():
        response = client.post(url)
    assert response.status_code == 303
    assert response["Location"] == edit_url(event)
    assert Event.objects.get(pk=event.pk).cancelled_at is not None
    assert [message.to for message in mail.outbox] == [["lotte@example.org"]]
    page = client.get(edit_url(event)).content.decode()
    assert "cancelled" in page
    assert "Cancel this event…" not in page


# --- Series ------------------------------------------------------------------------------


def test_staff_create_a_series_every_two_weeks(staff: User) -> None:
    client = client_for(staff)
    response = client.post(CREATE_SERIES, series_data(frequency="fortnightly", until="2031-06-30"))
    assert response.status_code == 303
    assert response["Location"] == reverse("events_organise:list")
    series = Series.objects.get()
    assert series.rule == "FREQ=WEEKLY;INTERVAL=2;UNTIL=20310630T235959"
    days = [event.starts_at.astimezone(BRUSSELS).date() for event in series.events.order_by("starts_at")]
    assert days == [date(2031, 5, 12), date(2031, 5, 26), date(2031, 6, 9), date(2031, 6, 23)]
    page = client.get(response["Location"]).content.decode()
    assert "The series is created with 4 meetings." in page


def test_a_weekly_series_keeps_its_time_across_the_clock_change(staff: User) -> None:
    data = series_data(starts_at_0="2031-03-20", ends_at_0="2031-03-20", count="4")
    assert client_for(staff).post(CREATE_SERIES, data).status_code == 303
    starts = [event.starts_at.astimezone(BRUSSELS) for event in Event.objects.order_by("starts_at")]
    assert [moment.date() for moment in starts] == [date(2031, 3, d) for d in (20, 27)] + [
        date(2031, 4, d) for d in (3, 10)
    ]
    assert {moment.hour for moment in starts} == {10}
    assert Series.objects.get().rule == "FREQ=WEEKLY;COUNT=4"


def test_a_monthly_series_keeps_the_weekday(staff: User) -> None:
    # 13 May 2031 is the second Tuesday of May.
    data = series_data(frequency="monthly", starts_at_0="2031-05-13", ends_at_0="2031-05-13", count="3")
    assert client_for(staff).post(CREATE_SERIES, data).status_code == 303
    assert Series.objects.get().rule == "FREQ=MONTHLY;BYDAY=+2TU;COUNT=3"
    days = [event.starts_at.astimezone(BRUSSELS).date() for event in Event.objects.order_by("starts_at")]
    assert days == [date(2031, 5, 13), date(2031, 6, 10), date(2031, 7, 8)]


def test_the_rule_is_built_from_the_first_date() -> None:
    assert monthly_weekday(date(2031, 5, 1)) == "+1TH"
    assert monthly_weekday(date(2031, 5, 29)) == "-1TH"  # a fifth Thursday: the last one of each month
    assert build_rule(frequency="weekly", first=date(2031, 5, 1), until=date(2031, 6, 30), count=None) == (
        "FREQ=WEEKLY;UNTIL=20310630T235959"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({}, "until", "A series needs an end"),
        ({"count": "500"}, "count", "This series has too many occurrences"),
        ({"until": "2040-01-01"}, "until", "This series has too many occurrences"),
        ({"until": "2031-05-01"}, "until", "This rule gives no date at all"),
        ({"until": "2031-06-30", "count": "4"}, "count", "Give a last date or a number of times, not both."),
    ],
)
def test_a_series_needs_a_reasonable_end(staff: User, overrides: dict[str, str], field: str, message: str) -> None:
    response = client_for(staff).post(CREATE_SERIES, series_data(**overrides))
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert 'value="Werkontbijt"' in page
    assert not Series.objects.exists()
    assert not Event.objects.exists()


def test_a_series_with_a_bad_event_shows_the_event_error(staff: User) -> None:
    response = client_for(staff).post(CREATE_SERIES, series_data(count="3", ends_at_1="09:00"))
    assert response.status_code == 400
    assert "The event must end after it starts." in response.content.decode()
    assert not Series.objects.exists()


def test_the_list_puts_coming_events_first(staff: User, member: User) -> None:
    soon = make_event(staff, titles={"nl": "Binnenkort"}, capacity=10, audience=Audience.PUBLIC)
    sign_up(soon, member)
    make_event(staff, titles={"nl": "Voorbij"}, starts_at=timezone.now() - timedelta(days=3))
    page = client_for(staff).get(reverse("events_organise:list")).content.decode()
    assert page.index("Binnenkort") < page.index("Voorbij")
    assert "1 of 10" in page
