"""The seat counter on the event (``Event.seats_taken``) says what the sign-ups say, after every change of seats.

A sign-up takes its seat with one conditional update of that counter instead
of counting the sign-ups under a lock (issue 17), so every service that gives
or frees a seat moves it in the same transaction. Each test ends by counting
the rows the slow way and comparing.
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from conftest import link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, Event, SignUp, SignUpStatus
from coopsip.events.tests.factories import make_event
from coopsip.members.models import MembershipStatus

pytestmark = pytest.mark.django_db


def members(count: int, prefix: str = "m") -> list[User]:
    people = []
    for number in range(count):
        person = make_person(f"{prefix}{number}@example.org", first_name=f"{prefix.upper()}{number}")
        link_to_register(person, number=f"7{prefix}{number:04d}", status=MembershipStatus.MEMBER)
        people.append(person)
    return people


def seats(event: Event) -> int:
    """The counter, checked against the rows: a seat, or a visitor's seat kept and not yet released."""
    counter = Event.objects.values_list("seats_taken", flat=True).get(pk=event.pk)
    assert counter == SignUp.objects.filter(services.counted_q(), event=event).count()
    return counter


def status(signup: SignUp) -> str:
    return SignUp.objects.get(pk=signup.pk).status


def test_signing_up_cancelling_and_the_waiting_list_move_the_counter(staff: User) -> None:
    event = make_event(staff, capacity=2)
    first, second, third = members(3)
    assert seats(event) == 0
    seat = services.sign_up(event_id=event.pk, user=first)
    services.sign_up(event_id=event.pk, user=second)
    waiting = services.sign_up(event_id=event.pk, user=third)
    assert (seats(event), waiting.status) == (2, SignUpStatus.WAITING)
    # Signing up again while seated changes nothing.
    services.sign_up(event_id=event.pk, user=first)
    assert seats(event) == 2
    # A freed seat goes to the first person waiting: still two seats taken.
    services.cancel_sign_up(signup_id=seat.pk)
    assert (seats(event), status(waiting)) == (2, SignUpStatus.CONFIRMED)
    # Cancelling from the waiting list or twice frees nothing more.
    services.cancel_sign_up(signup_id=seat.pk)
    assert seats(event) == 2
    # Back after a cancellation: the event is full, so the person queues anew.
    again = services.sign_up(event_id=event.pk, user=first)
    assert (again.status, again.newly_queued, seats(event)) == (SignUpStatus.WAITING, True, 2)
    services.cancel_sign_up(signup_id=again.pk)
    assert seats(event) == 2


def test_more_seats_serve_the_waiting_list_and_fewer_are_refused_below_the_seats_taken(staff: User) -> None:
    event = make_event(staff, capacity=1)
    people = members(3)
    for person in people:
        services.sign_up(event_id=event.pk, user=person)
    services.change_capacity(by=staff, event_id=event.pk, capacity=2)
    assert seats(event) == 2
    with pytest.raises(services.EventInvalid):
        services.change_capacity(by=staff, event_id=event.pk, capacity=1)
    services.change_capacity(by=staff, event_id=event.pk, capacity=None)
    assert seats(event) == 3
    assert not SignUp.objects.filter(event=event, status=SignUpStatus.WAITING).exists()


def test_a_visitors_kept_seat_counts_until_it_lapses_or_is_confirmed(member: User) -> None:
    event = make_event(audience=Audience.PUBLIC, capacity=1)
    visitor = services.sign_up(event_id=event.pk, name="Zoë Visitor", email="zoe@example.org")
    waiting = services.sign_up(event_id=event.pk, user=member)
    assert (visitor.status, waiting.status, seats(event)) == (SignUpStatus.PENDING, SignUpStatus.WAITING, 1)
    assert visitor.hold_until is not None
    # The kept seat lapses: released, it goes to Lotte, who was waiting; the counter stays at one.
    assert services.release_lapsed_holds(now=visitor.hold_until) == 1
    assert (status(waiting), seats(event)) == (SignUpStatus.CONFIRMED, 1)
    # Zoë confirms afterwards: no seat is free, she waits.
    assert services.confirm_visitor_sign_up(token=visitor.token, now=visitor.hold_until).status == "waiting"
    assert seats(event) == 1


def test_a_lapsed_seat_found_by_the_next_sign_up_goes_to_the_people_waiting_first(staff: User) -> None:
    """No task ran at the lapse: the next person to sign up releases the seat, and the queue keeps its order."""
    event = make_event(staff, audience=Audience.PUBLIC, capacity=1)
    visitor = services.sign_up(event_id=event.pk, name="Zoë Visitor", email="zoe@example.org")
    early, late = members(2)
    waiting = services.sign_up(event_id=event.pk, user=early)
    assert visitor.hold_until is not None
    later = visitor.hold_until + timedelta(minutes=1)
    newcomer = services.sign_up(event_id=event.pk, user=late, now=later)
    assert (status(waiting), newcomer.status, seats(event)) == (SignUpStatus.CONFIRMED, SignUpStatus.WAITING, 1)


def test_guests_undo_and_attendance_keep_the_counter(staff: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=3)
    lotte, julien = members(2)
    seat = services.sign_up(event_id=event.pk, user=lotte)
    services.sign_up(event_id=event.pk, user=julien)
    services.invite_guest(by=staff, event=event, name="Eva Expert", email="eva@example.org", language="nl")
    assert seats(event) == 3
    with pytest.raises(services.EventInvalid):  # full: a guest needs a seat too
        services.invite_guest(by=staff, event=event, name="Bo", email="bo@example.org", language="nl")
    services.cancel_sign_up(signup_id=seat.pk, by=staff)
    assert seats(event) == 2
    assert services.undo_cancel_sign_up(by=staff, signup_id=seat.pk).signup.status == SignUpStatus.CONFIRMED
    assert seats(event) == 3
    # After the start: marking someone excused frees their seat on the counter, marking them back takes it.
    later = event.starts_at + timedelta(minutes=5)
    assert services.record_attendance(by=staff, event=event, marks={seat.pk: "excused"}, now=later) == 0
    assert seats(event) == 2
    assert services.record_attendance(by=staff, event=event, marks={seat.pk: "attended"}, now=later) == 1
    assert seats(event) == 3


def test_a_groups_members_hold_seats_at_its_meetings(staff: User) -> None:
    people = members(3)
    circle = services.create_circle(name="Kring", members=[(person, "member") for person in people[:2]])
    meeting = make_event(staff, audience=Audience.CIRCLE, circle=circle, capacity=2)
    assert seats(meeting) == 2
    services.add_to_circle(circle=circle, user=people[2])
    assert SignUp.objects.get(event=meeting, user=people[2]).status == SignUpStatus.WAITING
    services.remove_from_circle(circle=circle, user=people[0])
    assert (seats(meeting), SignUp.objects.get(event=meeting, user=people[2]).status) == (2, "confirmed")


def test_a_counter_left_wrong_by_rows_deleted_elsewhere_is_set_right_and_the_seat_given(staff: User) -> None:
    event = make_event(staff, capacity=1)
    seated, waiting = members(2)
    services.sign_up(event_id=event.pk, user=seated)
    queued = services.sign_up(event_id=event.pk, user=waiting)
    SignUp.objects.filter(event=event, user=seated).delete()  # as a cascade from a deleted account would
    assert Event.objects.get(pk=event.pk).seats_taken == 1
    # The cron command's safety net finds it.
    services.release_lapsed_holds(now=timezone.now())
    assert (seats(event), status(queued)) == (1, SignUpStatus.CONFIRMED)
    assert services.recount_seats(now=timezone.now(), event_ids=[event.pk]) == 0


def test_the_data_migration_counts_the_seats_of_existing_events(staff: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=5)
    for person in members(2):
        services.sign_up(event_id=event.pk, user=person)
    services.sign_up(event_id=event.pk, name="Zoë Visitor", email="zoe@example.org")  # a kept seat
    gone = services.sign_up(event_id=event.pk, name="Yann", email="yann@example.org")
    services.cancel_sign_up(signup_id=gone.pk)
    empty = make_event(staff)
    Event.objects.update(seats_taken=0)
    migration: Any = importlib.import_module("coopsip.events.migrations.0014_fill_seats_taken_from_sign_ups")
    migration.fill(apps, None)
    assert (seats(event), seats(empty)) == (3, 0)


def test_the_events_list_reads_the_counter_not_the_sign_ups(staff: User, member: User) -> None:
    from coopsip.events import selectors

    event = make_event(staff, capacity=1)
    services.sign_up(event_id=event.pk, user=member)
    listed = selectors.upcoming_events(user=staff, now=timezone.now()).get(pk=event.pk)
    assert listed.seated_count == 1
    sql = str(selectors.upcoming_events(user=staff, now=timezone.now()).query)
    assert "events_signup" not in sql


def test_a_double_click_signs_the_person_up_once(staff: User, member: User, monkeypatch: Any) -> None:
    """The same person's two requests at once: the second finds the first's sign-up (tried again, not refused)."""
    event = make_event(staff, capacity=2)
    first = services.sign_up(event_id=event.pk, user=member)
    original = services._own_sign_up
    reads = 0

    def read_before_the_other_request_committed(**kwargs: Any) -> SignUp | None:
        nonlocal reads
        reads += 1
        return None if reads == 1 else original(**kwargs)

    monkeypatch.setattr(services, "_own_sign_up", read_before_the_other_request_committed)
    second = services.sign_up(event_id=event.pk, user=member)
    assert (second.pk, second.newly_queued, reads) == (first.pk, False, 2)
    assert seats(event) == 1
    assert SignUp.objects.filter(event=event, user=member).count() == 1
