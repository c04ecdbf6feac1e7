"""The attendee list after a burst (issue 17): 2,000 sign-ups come by pages, the CSV is streamed.

The list shows the seats first, then the waiting list in order (its numbers go
on across pages), then the others; each page holds ATTENDEES_PER_PAGE people
and costs the same queries whatever the number of sign-ups. After the start,
saving the attendance records the people of the page only. The member events
list reads each event's seat counter, in the same queries as before.
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, Event, SignUp, SignUpStatus
from coopsip.events.organise_views import ATTENDEES_PER_PAGE
from coopsip.events.tests.factories import make_event

pytestmark = pytest.mark.django_db


def url(name: str, event: Event) -> str:
    return reverse(f"events_organise:{name}", kwargs={"pk": event.pk})


def add_people(event: Event, *, seated: int, waiting: int, cancelled: int = 0, start: int = 0) -> None:
    """Rows only, queued a second apart in this order (as a burst leaves them), and the counter set from them."""
    base = timezone.now() - timedelta(days=1)
    statuses = [SignUpStatus.CONFIRMED] * seated + [SignUpStatus.WAITING] * waiting
    statuses += [SignUpStatus.CANCELLED] * cancelled
    SignUp.objects.bulk_create(
        SignUp(
            event=event,
            name=f"Person {start + number:04d}",
            email=f"p{start + number}@example.org",
            status=status,
            queued_at=base + timedelta(seconds=start + number),
        )
        for number, status in enumerate(statuses)
    )
    services.recount_seats(now=timezone.now(), event_ids=[event.pk])


def rows_of(page: str) -> list[str]:
    return [chunk.split("</th>", 1)[0] for chunk in page.split('<th scope="row">')[1:]]


def test_a_burst_of_two_thousand_comes_by_pages_seats_first_then_the_waiting_list(staff: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=100)
    # Cancelled early: listed after everyone else even though they came first.
    add_people(event, seated=0, waiting=0, cancelled=3)
    add_people(event, seated=100, waiting=1900, start=3)
    client = client_for(staff)
    first = client.get(url("attendees", event))
    page = first.content.decode()
    assert first.context["page"].paginator.num_pages == 41
    assert len(rows_of(page)) == ATTENDEES_PER_PAGE
    assert rows_of(page)[0] == "Person 0003"
    assert "100 of 100 seats taken. 1900 people on the waiting list." in page
    assert 'href="?page=3#attendees">Go to the waiting list</a>' in page
    assert "Page 1 of 41" in page and 'aria-label="Pages of the attendee list"' in page
    third = client.get(url("attendees", event), {"page": 3}).content.decode()
    assert rows_of(third)[0] == "Person 0103"
    assert "number 1 in line" in third and "number 50 in line" in third
    fourth = client.get(url("attendees", event), {"page": 4}).content.decode()
    assert "number 51 in line" in fourth and "number 1 in line<" not in fourth
    end_of_the_line = client.get(url("attendees", event), {"page": 40}).content.decode()
    assert "number 1900 in line" in end_of_the_line
    # Then the others: the three who cancelled.
    last = client.get(url("attendees", event), {"page": 41}).content.decode()
    assert rows_of(last) == ["Person 0000", "Person 0001", "Person 0002"]
    # A page number out of range shows the last page, as the other lists do.
    assert client.get(url("attendees", event), {"page": 99}).context["page"].number == 41


@pytest.mark.parametrize("started", [False, True], ids=["before-the-start", "after-the-start"])
def test_every_page_of_the_list_costs_the_same_queries_at_any_size(
    staff: User, started: bool, django_assert_num_queries: Any
) -> None:
    starts_at = timezone.now() + (timedelta(hours=-1) if started else timedelta(days=3))
    small = make_event(staff, audience=Audience.PUBLIC, capacity=100, starts_at=starts_at)
    add_people(small, seated=3, waiting=2, cancelled=1)
    large = make_event(staff, audience=Audience.PUBLIC, capacity=100, starts_at=starts_at)
    add_people(large, seated=100, waiting=400, cancelled=20)
    client = client_for(staff)
    client.get(url("attendees", small))  # the session, as on any page
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("attendees", small))
    assert len(rows_of(response.content.decode())) == 6
    for page in (1, 5, 11):
        with django_assert_num_queries(len(captured)):
            response = client.get(url("attendees", large), {"page": page})
        assert len(rows_of(response.content.decode())) == (20 if page == 11 else ATTENDEES_PER_PAGE)


def test_saving_the_attendance_records_the_people_of_the_page_only(staff: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=120, starts_at=timezone.now() - timedelta(hours=1))
    add_people(event, seated=120, waiting=0)
    client = client_for(staff)
    response = client.get(url("attendees", event), {"page": 2})
    page = response.content.decode()
    assert "Saving records the people on this page; the other pages keep what they have." in page
    shown = [signup.pk for signup, _position, _mark in response.context["rows"]]
    assert len(shown) == ATTENDEES_PER_PAGE and page.count('name="shown"') == ATTENDEES_PER_PAGE
    came = shown[0]
    saved = client.post(f"{url('attendees', event)}?page=2", {"shown": shown, f"mark_{came}": "attended"})
    assert saved.status_code == 303
    assert saved["Location"] == f"{url('attendees', event)}?page=2"
    statuses = dict(SignUp.objects.filter(event=event).values_list("pk", "status"))
    assert statuses[came] == SignUpStatus.ATTENDED
    assert sum(statuses[pk] == SignUpStatus.ABSENT for pk in shown) == ATTENDEES_PER_PAGE - 1
    # Pages 1 and 3 were not shown: not recorded, nobody there is marked absent.
    assert sum(status == SignUpStatus.CONFIRMED for status in statuses.values()) == 120 - ATTENDEES_PER_PAGE
    assert "Attendance is saved: 1 person came." in client.get(saved["Location"]).content.decode()


def test_the_people_shown_are_recorded_even_when_the_list_moved_since(staff: User) -> None:
    """Someone cancels on page 1 while the organiser marks page 2: the people shown are the ones recorded."""
    event = make_event(staff, audience=Audience.PUBLIC, capacity=120, starts_at=timezone.now() - timedelta(hours=1))
    add_people(event, seated=120, waiting=0)
    client = client_for(staff)
    shown = [signup.pk for signup, _position, _mark in client.get(url("attendees", event), {"page": 2}).context["rows"]]
    first_on_page_one = SignUp.objects.filter(event=event).order_by("queued_at").first()
    assert first_on_page_one is not None
    SignUp.objects.filter(pk=first_on_page_one.pk).update(status=SignUpStatus.CANCELLED)  # the pages shift by one
    client.post(f"{url('attendees', event)}?page=2", {"shown": shown})
    absent = set(SignUp.objects.filter(event=event, status=SignUpStatus.ABSENT).values_list("pk", flat=True))
    assert absent == set(shown)


def test_the_csv_of_a_burst_is_streamed_in_the_lists_order(staff: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=100)
    add_people(event, seated=0, waiting=0, cancelled=2)
    add_people(event, seated=100, waiting=1400, start=2)
    client = client_for(staff)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url("export", event))
        assert response.streaming
        content = b"".join(response.streaming_content)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert len(rows) == 1 + 1502
    assert [row[0] for row in rows[1:3]] == ["Person 0002", "Person 0003"]
    assert rows[100][2] == "confirmed" and rows[101][2] == "waiting" and rows[101][0] == "Person 0102"
    assert [row[2] for row in rows[-2:]] == ["cancelled", "cancelled"]
    # Read a few hundred at a time (on SQLite the chunks are fetched from one query).
    reads = [query for query in captured.captured_queries if "events_signup" in query["sql"]]
    assert 1 <= len(reads) <= 4


def test_the_member_events_list_costs_the_same_queries_with_many_sign_ups(
    member: User, staff: User, django_assert_num_queries: Any
) -> None:
    event = make_event(staff, capacity=100)
    services.sign_up(event_id=event.pk, user=member)
    client = client_for(member)
    client.get(reverse("events:list"))
    with CaptureQueriesContext(connection) as captured:
        page = client.get(reverse("events:list")).content.decode()
    assert "99 seats left" in page
    add_people(event, seated=99, waiting=900, start=10)
    with django_assert_num_queries(len(captured)):
        page = client.get(reverse("events:list")).content.decode()
    assert "Full — waiting list" in page
    # The seats come from the event's row: no count over the sign-ups in the list's query.
    listing = [query["sql"] for query in captured.captured_queries if "seats_taken" in query["sql"]]
    assert listing and all("COUNT(" not in sql.upper() for sql in listing)
