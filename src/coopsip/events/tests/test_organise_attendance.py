"""Attendance over time: who came to how many meetings of a group or a series, who missed two in a row."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, Circle, Event
from coopsip.events.tests.test_organise_access import event_input, make_event, person, secretary_circle


def record(event: Event, by: User, *came: User) -> None:
    present = [signup.pk for signup in event.signups.filter(user__in=came)]
    services.record_attendance(by=by, event=event, present=present)


def three_meetings(staff: User, circle: Circle) -> list[Event]:
    now = timezone.now()
    return [
        make_event(staff, audience=Audience.CIRCLE, circle=circle, starts_at=now - timedelta(weeks=weeks))
        for weeks in (3, 2, 1)
    ]


def test_the_secretary_sees_who_missed_two_meetings_in_a_row(staff: User, member: User, nonmember: User) -> None:
    ines = person("ines@example.org", "Ines")
    circle = secretary_circle(ines, member, nonmember)
    first, second, third = three_meetings(staff, circle)
    record(first, ines, ines, member, nonmember)
    record(second, ines, ines, member)
    record(third, ines, ines, member)
    response = client_for(ines).get(reverse("events_organise:circle_attendance", kwargs={"pk": circle.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    table = page[page.index("<tbody") :]
    assert table.index("Julien") < table.index("Lotte")  # listed first
    assert "missed two in a row" in table
    assert table.count("missed two in a row") == 1
    assert "came to 1 of 3" in table and "came to 3 of 3" in table
    # Not colour alone: a symbol and a text for screen readers.
    assert '<span class="visually-hidden">absent</span>' in table
    assert '<span class="visually-hidden">came</span>' in table
    summary = page[page.index("Missed two meetings in a row") : page.index("<table")]
    assert "Julien Dubois" in summary and "Lotte" not in summary


def test_a_series_has_its_own_table(staff: User, member: User, nonmember: User) -> None:
    ines = person("ines@example.org", "Ines")
    circle = secretary_circle(ines, member, nonmember)
    data = event_input(audience=Audience.CIRCLE, circle=circle, starts_at=timezone.now() - timedelta(weeks=3, hours=1))
    series = services.create_series(by=staff, data=data, rule="FREQ=WEEKLY;COUNT=4")
    first, second, third, _coming = series.events.order_by("starts_at")
    record(first, staff, member)
    record(second, staff, member)
    record(third, staff, member, nonmember)
    client = client_for(ines)
    assert client.get(reverse("events_organise:edit", kwargs={"pk": first.pk})).status_code == 200
    response = client.get(reverse("events_organise:series_attendance", kwargs={"pk": series.pk}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Over 3 meetings whose attendance was recorded." in page
    assert "came to 1 of 3" in page  # Julien
    assert "came to 0 of 3" in page  # Ines
    assert page[page.index("<tbody") :].count("missed two in a row") == 2


def test_nothing_recorded_yet_says_so(staff: User) -> None:
    circle = services.create_circle(name="Nieuw")
    response = client_for(staff).get(reverse("events_organise:circle_attendance", kwargs={"pk": circle.pk}))
    assert response.status_code == 200
    assert "No attendance recorded yet" in response.content.decode()


def test_staff_see_every_group_with_its_calendar_link(staff: User, member: User) -> None:
    circle = services.create_circle(name="Werkgroep wonen", members=[(member, "member")])
    response = client_for(staff).get(reverse("events_organise:circles"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Werkgroep wonen" in page
    # The link itself is on its own page, where it can be renewed (events/tests/test_group_calendar.py).
    assert reverse("events_organise:circle_calendar_link", kwargs={"pk": circle.pk}) in page
    assert reverse("events_organise:circle_attendance", kwargs={"pk": circle.pk}) in page


def test_the_list_costs_the_same_queries_for_more_events(
    staff: User, member: User, django_assert_num_queries: Any
) -> None:
    make_event(staff, capacity=3)
    make_event(staff, starts_at=timezone.now() - timedelta(days=9))  # each list holds one (an empty page reads none)
    client = client_for(staff)
    client.get(reverse("events_organise:list"))  # warm the session and the user's groups
    with django_assert_num_queries(QUERIES) as captured:
        client.get(reverse("events_organise:list"))
    for _ in range(4):
        make_event(staff, audience=Audience.PUBLIC)
    make_event(staff, starts_at=timezone.now() - timedelta(days=2))
    with django_assert_num_queries(len(captured)):
        client.get(reverse("events_organise:list"))


QUERIES = 9  # session and user, groups, the person's groups, each list: how many, its page (and counts)
