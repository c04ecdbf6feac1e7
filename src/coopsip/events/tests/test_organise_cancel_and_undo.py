"""An organiser cancelling someone's sign-up: never after the start, always after a confirmation page, and undone.

Seen in the review: "Cancel sign-up" sat in every row of a past meeting's
attendance form; one click turned a person ticked present into "excused
(cancelled beforehand)", with no confirmation and no way back.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, Event, SignUp
from coopsip.events.tests.test_organise_access import make_event, past_event, person, sign_up


def url(name: str, event: Event, **kwargs: Any) -> str:
    return reverse(f"events_organise:{name}", kwargs={"pk": event.pk, **kwargs})


def status(signup: SignUp) -> str:
    return SignUp.objects.get(pk=signup.pk).status


def cancel_url(signup: SignUp) -> str:
    return url("cancel_signup", signup.event, signup_pk=signup.pk)


def undo_url(signup: SignUp) -> str:
    return url("undo_cancel_signup", signup.event, signup_pk=signup.pk)


# --- After the start: marks only --------------------------------------------------------------------


def test_one_click_no_longer_wipes_a_past_attendance_record(staff: User, member: User) -> None:
    event = past_event(staff, audience=Audience.PUBLIC)
    lotte = sign_up(event, member)
    services.record_attendance(by=staff, event=event, present=[lotte.pk])
    client = client_for(staff)
    page = client.get(url("attendees", event)).content.decode()
    # No cancel action in the rows of a meeting that started: only the marks.
    assert "Cancel the sign-up" not in page
    assert cancel_url(lotte) not in page
    assert f'name="mark_{lotte.pk}" value="attended" id="id_mark_{lotte.pk}_0" checked' in page
    # What the old button sent (an empty POST), and a confirmed one: neither touches the record.
    for data in ({}, {"confirm": "yes"}):
        response = client.post(cancel_url(lotte), data)
        assert response.status_code == 400
        assert "This meeting has started" in response.content.decode()
        assert status(lotte) == "attended"
    with pytest.raises(services.SignUpRefused):
        services.cancel_sign_up(signup_id=lotte.pk, by=staff)
    assert status(lotte) == "attended"


def test_after_the_start_a_person_is_marked_excused_and_back_to_came(staff: User, member: User) -> None:
    event = past_event(staff, audience=Audience.PUBLIC)
    lotte = sign_up(event, member)
    client = client_for(staff)
    response = client.post(url("attendees", event), {f"mark_{lotte.pk}": "excused"})
    assert response.status_code == 303
    assert status(lotte) == "cancelled"  # shown as "excused" in the attendance over time
    page = client.get(url("attendees", event)).content.decode()
    assert "Attendance is saved: 0 people came." in page
    assert "<td>Excused</td>" in page
    assert f'name="mark_{lotte.pk}" value="excused" id="id_mark_{lotte.pk}_2" checked' in page
    # A mistake is corrected the same way.
    client.post(url("attendees", event), {f"mark_{lotte.pk}": "attended"})
    assert status(lotte) == "attended"


def test_someone_who_cancelled_beforehand_stays_excused_unless_marked(
    staff: User, member: User, outsider: User
) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(hours=1))
    lotte = sign_up(event, member)
    olivier = sign_up(event, outsider)
    services.cancel_sign_up(signup_id=olivier.pk)  # he cancels himself, before the start
    later = event.starts_at + timedelta(minutes=30)
    services.record_attendance(by=staff, event=event, marks={lotte.pk: "attended"}, now=later)
    assert (status(lotte), status(olivier)) == ("attended", "cancelled")
    assert SignUp.objects.get(pk=olivier.pk).attendance_recorded_by is None
    # He came after all.
    services.record_attendance(by=staff, event=event, marks={olivier.pk: "attended"}, now=later)
    assert (status(lotte), status(olivier)) == ("absent", "attended")


def test_marking_excused_after_the_start_gives_no_seat_away_and_sends_nothing(
    staff: User, member: User, nonmember: User
) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=1, starts_at=timezone.now() + timedelta(hours=1))
    lotte = sign_up(event, member)
    julien = sign_up(event, nonmember)
    mail.outbox.clear()
    services.record_attendance(by=staff, event=event, marks={lotte.pk: "excused"}, now=event.starts_at)
    assert (status(lotte), status(julien)) == ("cancelled", "waiting")
    assert mail.outbox == []


# --- Before the start: a confirmation page ---------------------------------------------------------


def test_an_empty_post_cancels_nothing(staff: User, member: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC)
    lotte = sign_up(event, member)
    response = client_for(staff).post(cancel_url(lotte))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was cancelled: press “Cancel the sign-up” to confirm." in page
    assert 'name="confirm" value="yes"' in page
    assert status(lotte) == "confirmed"


def test_the_confirmation_page_of_someone_waiting_says_they_leave_the_list(
    staff: User, member: User, nonmember: User
) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=1)
    sign_up(event, member)
    julien = sign_up(event, nonmember)
    page = client_for(staff).get(cancel_url(julien)).content.decode()
    assert "leaves the waiting list." in page
    assert status(julien) == "waiting"


# --- Undo -------------------------------------------------------------------------------------------


def test_undo_gives_the_seat_back(staff: User, member: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=2)
    lotte = sign_up(event, member)
    client = client_for(staff)
    response = client.post(cancel_url(lotte), {"confirm": "yes"})
    page = client.get(response["Location"]).content.decode()
    assert "Until the meeting starts you can undo it on this list." in page
    assert f'action="{undo_url(lotte)}"' in page
    assert "Undo the cancellation" in page
    response = client.post(undo_url(lotte))
    assert response.status_code == 303
    assert status(lotte) == "confirmed"
    page = client.get(response["Location"]).content.decode()
    assert "The cancellation is undone: Lotte Peeters has a seat again." in page
    assert "Undo the cancellation" not in page
    # Undoing twice changes nothing more.
    client.post(undo_url(lotte))
    assert status(lotte) == "confirmed"
    assert event.signups.filter(status="confirmed").count() == 1


def test_undo_says_plainly_when_the_seat_went_to_someone_else(staff: User, member: User, nonmember: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=1)
    lotte = sign_up(event, member)
    julien = sign_up(event, nonmember)
    client = client_for(staff)
    client.post(cancel_url(lotte), {"confirm": "yes"})
    assert (status(lotte), status(julien)) == ("cancelled", "confirmed")
    response = client.post(undo_url(lotte))
    page = client.get(response["Location"]).content.decode()
    # Julien keeps the seat he was promised by email; Lotte is first in line.
    assert (status(lotte), status(julien)) == ("waiting", "confirmed")
    assert (
        "the seat of Lotte Peeters was taken in the meantime and the event is full: "
        "Lotte Peeters is back on the waiting list, number 1."
    ) in page


def test_undo_gives_back_the_place_in_the_waiting_line(staff: User, member: User, nonmember: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, capacity=1)
    sign_up(event, member)
    first = sign_up(event, nonmember, now=timezone.now() - timedelta(hours=3))
    second = sign_up(event, person("zoe@example.org", "Zoë"), now=timezone.now() - timedelta(hours=2))
    services.cancel_sign_up(signup_id=first.pk, by=staff)
    restored = services.undo_cancel_sign_up(by=staff, signup_id=first.pk)
    assert (restored.signup.status, restored.position, restored.seat_taken) == ("waiting", 1, False)
    assert status(second) == "waiting"


def test_a_cancellation_the_person_made_is_not_undone_by_the_organiser(staff: User, member: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC)
    lotte = sign_up(event, member)
    services.cancel_sign_up(signup_id=lotte.pk)
    client = client_for(staff)
    assert "Undo the cancellation" not in client.get(url("attendees", event)).content.decode()
    response = client.post(undo_url(lotte))
    assert response.status_code == 303
    assert "There is no cancellation to undo for Lotte Peeters" in client.get(response["Location"]).content.decode()
    assert status(lotte) == "cancelled"


def test_undo_is_refused_once_the_meeting_started(staff: User, member: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC, starts_at=timezone.now() + timedelta(hours=1))
    lotte = sign_up(event, member)
    services.cancel_sign_up(signup_id=lotte.pk, by=staff)
    with pytest.raises(services.SignUpRefused) as refused:
        services.undo_cancel_sign_up(by=staff, signup_id=lotte.pk, now=event.starts_at)
    assert "record who came in the attendance" in refused.value.message
    assert status(lotte) == "cancelled"


def test_signing_up_again_leaves_nothing_to_undo(staff: User, member: User) -> None:
    event = make_event(staff, audience=Audience.PUBLIC)
    lotte = sign_up(event, member)
    services.cancel_sign_up(signup_id=lotte.pk, by=staff)
    services.sign_up(event_id=event.pk, user=member)
    services.cancel_sign_up(signup_id=lotte.pk)
    with pytest.raises(services.SignUpRefused):
        services.undo_cancel_sign_up(by=staff, signup_id=lotte.pk)
    assert status(lotte) == "cancelled"


@pytest.mark.parametrize("role", ["outsider", "nonmember", "member", "board"])
def test_others_may_not_undo(personas: dict[str, User | None], role: str) -> None:
    staff = personas["staff"]
    event = make_event(staff, audience=Audience.PUBLIC)
    signup = sign_up(event, person("zoe@example.org", "Zoë"))
    services.cancel_sign_up(signup_id=signup.pk, by=staff)
    assert client_for(personas[role]).post(undo_url(signup)).status_code == 403
    assert status(signup) == "cancelled"


# --- The list's cost -------------------------------------------------------------------------------


@pytest.mark.parametrize("started", [False, True], ids=["before-the-start", "after-the-start"])
def test_the_attendee_list_costs_the_same_queries_for_more_people(
    staff: User, started: bool, django_assert_num_queries: Any
) -> None:
    starts_at = timezone.now() + (timedelta(hours=-1) if started else timedelta(days=3))
    event = make_event(staff, audience=Audience.PUBLIC, capacity=4, starts_at=starts_at)
    first = sign_up(event, person("p0@example.org", "P0"))
    services.cancel_sign_up(
        signup_id=sign_up(event, person("c0@example.org", "C0")).pk, by=staff, now=starts_at - timedelta(days=1)
    )
    client = client_for(staff)
    client.get(url("attendees", event))  # warm the session
    with django_assert_num_queries(ATTENDEE_QUERIES) as captured:
        page = client.get(url("attendees", event)).content.decode()
    assert first.name in page
    # Seats, waiting people, cancellations with an undo, guests: ten more people cost nothing more.
    for number in range(1, 11):
        signup = sign_up(event, person(f"p{number}@example.org", f"P{number}"))
        if number % 3 == 0:
            services.cancel_sign_up(signup_id=signup.pk, by=staff, now=starts_at - timedelta(days=1))
    with django_assert_num_queries(len(captured)):
        page = client.get(url("attendees", event)).content.decode()
    assert "P10 Test" in page


ATTENDEE_QUERIES = 8
