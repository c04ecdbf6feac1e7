"""The rules of signing up, the waiting list, capacity and series, called without HTTP."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from conftest import link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services
from coopsip.events.models import Attendance, Audience, Event, SignUp, SignUpStatus
from coopsip.events.tests.factories import event_input, make_event, public_online_event
from coopsip.members.models import MembershipStatus

pytestmark = pytest.mark.django_db


def members(count: int) -> list[User]:
    people = []
    for number in range(count):
        person = make_person(f"m{number}@example.org", first_name=f"Member{number}")
        link_to_register(person, number=f"3{number:05d}", status=MembershipStatus.MEMBER)
        people.append(person)
    return people


def statuses(event: Event) -> dict[str, str]:
    return dict(event.signups.values_list("name", "status"))


# --- The waiting list -----------------------------------------------------------


def test_the_seats_go_first_come_and_the_rest_wait_in_order(staff: User) -> None:
    event = make_event(staff, capacity=2)
    people = members(4)
    for person in people:
        services.sign_up(event_id=event.pk, user=person)
    assert statuses(event) == {
        "Member0": SignUpStatus.CONFIRMED,
        "Member1": SignUpStatus.CONFIRMED,
        "Member2": SignUpStatus.WAITING,
        "Member3": SignUpStatus.WAITING,
    }


def test_a_freed_seat_goes_to_the_first_person_waiting_who_is_told(staff: User, on_commit) -> None:
    event = make_event(staff, capacity=1)
    first, second, third = members(3)
    seat = services.sign_up(event_id=event.pk, user=first)
    services.sign_up(event_id=event.pk, user=second)
    services.sign_up(event_id=event.pk, user=third)
    mail.outbox.clear()
    with on_commit():
        services.cancel_sign_up(signup_id=seat.pk)
    assert statuses(event) == {
        "Member0": SignUpStatus.CANCELLED,
        "Member1": SignUpStatus.CONFIRMED,
        "Member2": SignUpStatus.WAITING,
    }
    assert [message.to for message in mail.outbox] == [["m1@example.org"]]
    # In Lotte's language, Dutch.
    assert "Er is een plaats vrijgekomen" in mail.outbox[0].subject
    # The invitation for the calendar comes with it.
    assert mail.outbox[0].attachments[0][0] == "invite.ics"


def test_signing_up_twice_keeps_one_place_and_sends_one_email(member: User, on_commit) -> None:
    event = make_event(capacity=5)
    with on_commit():
        services.sign_up(event_id=event.pk, user=member)
        services.sign_up(event_id=event.pk, user=member)
    assert event.signups.count() == 1
    assert len(mail.outbox) == 1


def test_signing_up_again_after_cancelling_queues_behind_those_waiting(staff: User) -> None:
    event = make_event(staff, capacity=1)
    first, second = members(2)
    seat = services.sign_up(event_id=event.pk, user=first)
    services.sign_up(event_id=event.pk, user=second)
    services.cancel_sign_up(signup_id=seat.pk)
    again = services.sign_up(event_id=event.pk, user=first)
    assert again.pk == seat.pk
    assert again.status == SignUpStatus.WAITING


def test_more_seats_go_to_those_waiting(staff: User) -> None:
    event = make_event(staff, capacity=1)
    for person in members(3):
        services.sign_up(event_id=event.pk, user=person)
    services.change_capacity(by=staff, event_id=event.pk, capacity=2)
    assert list(event.signups.order_by("queued_at").values_list("status", flat=True)) == [
        SignUpStatus.CONFIRMED,
        SignUpStatus.CONFIRMED,
        SignUpStatus.WAITING,
    ]
    services.change_capacity(by=staff, event_id=event.pk, capacity=None)
    assert event.signups.filter(status=SignUpStatus.WAITING).count() == 0


def test_a_capacity_below_the_seats_taken_is_refused_with_the_reason(staff: User) -> None:
    event = make_event(staff, capacity=3)
    for person in members(2):
        services.sign_up(event_id=event.pk, user=person)
    with pytest.raises(services.EventInvalid) as refused:
        services.change_capacity(by=staff, event_id=event.pk, capacity=1)
    assert "2 people already have a seat" in refused.value.errors["capacity"]
    with pytest.raises(services.EventInvalid):
        services.update_event(by=staff, event=event, data=event_input(capacity=1, starts_at=event.starts_at))
    event.refresh_from_db()
    assert event.capacity == 3


# --- Who may sign up, and when ----------------------------------------------------


def test_a_sign_up_after_the_deadline_is_refused(member: User) -> None:
    event = make_event(signup_deadline=timezone.now() + timedelta(days=1))
    with pytest.raises(services.SignUpRefused) as refused:
        services.sign_up(event_id=event.pk, user=member, now=timezone.now() + timedelta(days=2))
    assert refused.value.message == "Sign-up for this event is closed."
    assert not event.signups.exists()


def test_members_events_refuse_people_who_are_not_members(nonmember: User, outsider: User) -> None:
    event = make_event()
    for person in (nonmember, outsider, None):
        with pytest.raises(services.SignUpRefused):
            services.sign_up(event_id=event.pk, user=person, name="Someone", email="someone@example.org")
    assert not event.signups.exists()


def test_a_visitor_signs_up_for_a_public_session_by_name_and_email(on_commit) -> None:
    event = public_online_event()
    with on_commit():
        signup = services.sign_up(event_id=event.pk, name=" Ana ", email="Ana@Example.org", language="fr")
    assert (signup.name, signup.email, signup.status) == ("Ana", "ana@example.org", SignUpStatus.PENDING)
    assert services.sign_up(event_id=event.pk, name="Ana", email="ANA@example.org").pk == signup.pk
    (message,) = mail.outbox
    # In the language she signed up in: the French title; the link to confirm, not yet the video link.
    assert "Séance d'information" in message.subject
    assert "https://meet.example.org/sip-info" not in message.body
    assert f"/fr/events/s/{signup.token}/" in message.body
    with on_commit():
        services.confirm_visitor_sign_up(token=signup.token)
    assert "https://meet.example.org/sip-info" in mail.outbox[1].body


def test_a_waiting_person_is_not_sent_the_video_link(on_commit) -> None:
    event = public_online_event(capacity=1)
    with on_commit():
        first = services.sign_up(event_id=event.pk, name="First", email="first@example.org", language="en")
        second = services.sign_up(event_id=event.pk, name="Second", email="second@example.org", language="en")
        services.confirm_visitor_sign_up(token=first.token)
        services.confirm_visitor_sign_up(token=second.token)
    waiting = mail.outbox[-1]
    assert "waiting list" in waiting.subject
    assert "meet.example.org" not in waiting.body


def test_a_cancelled_event_takes_no_sign_ups_and_tells_everyone_once(staff: User, member: User, on_commit) -> None:
    event = make_event(staff)
    services.sign_up(event_id=event.pk, user=member)
    with on_commit():
        services.cancel_event(by=staff, event=event)
        services.cancel_event(by=staff, event=event)
    # In Lotte's language (Dutch): the Dutch title.
    assert [m.to for m in mail.outbox] == [["lotte@example.org"]]
    assert "Werkontbijt" in mail.outbox[0].subject
    with pytest.raises(services.SignUpRefused):
        services.sign_up(event_id=event.pk, user=member)


def test_an_event_that_started_cannot_be_cancelled_by_the_person(member: User) -> None:
    event = make_event()
    signup = services.sign_up(event_id=event.pk, user=member)
    with pytest.raises(services.SignUpRefused):
        services.cancel_sign_up(signup_id=signup.pk, now=event.starts_at + timedelta(minutes=5))


# --- Bad input --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"ends_at": "before"}, "ends_at", "The event must end after it starts."),
        ({"titles": {"nl": " "}}, "title_nl", "Give the event a title in at least one language."),
        ({"attendance": Attendance.ONLINE, "video_url": "not a link"}, "video_url", "Give a full web address"),
        ({"attendance": Attendance.ONLINE, "video_url": "ftp://files.example.org"}, "video_url", "https://"),
        ({"attendance": Attendance.HYBRID, "video_url": ""}, "video_url", "Give the video link"),
        ({"address": ""}, "place", "Choose a place or give an address."),
        ({"capacity": 0}, "capacity", "Give at least one seat"),
        ({"signup_deadline": "after"}, "signup_deadline", "at the latest when the event starts"),
        ({"audience": Audience.CIRCLE}, "circle", "Choose the group"),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_saved(fields: dict, field: str, message: str) -> None:
    start = timezone.now() + timedelta(days=3)
    if fields.get("ends_at") == "before":
        fields["ends_at"] = start - timedelta(minutes=1)
    if fields.get("signup_deadline") == "after":
        fields["signup_deadline"] = start + timedelta(hours=1)
    with pytest.raises(services.EventInvalid) as refused:
        services.create_event(by=None, data=event_input(starts_at=start, **fields))
    assert message in refused.value.errors[field]
    assert not Event.objects.exists()


def test_a_series_without_an_end_or_too_long_is_refused(staff: User) -> None:
    for rule in ("FREQ=WEEKLY;BYDAY=MO", "FREQ=DAILY;COUNT=500", "FREQ=WEEKLY;UNTIL=20990101T000000"):
        with pytest.raises(services.EventInvalid) as refused:
            services.create_series(by=staff, data=event_input(), rule=rule)
        assert "rule" in refused.value.errors
    with pytest.raises(services.EventInvalid) as unreadable:
        services.create_series(by=staff, data=event_input(), rule="FREQ=SOMETIMES;COUNT=3")
    assert "cannot be read" in unreadable.value.errors["rule"]
    assert not Event.objects.exists()


# --- Series ---------------------------------------------------------------------


def test_a_weekly_series_keeps_its_local_time_across_the_clock_change(staff: User) -> None:
    # Monday 23 March 2026, 9:00 in Brussels; the clocks go forward on Sunday 29 March.
    first = datetime(2026, 3, 23, 9, 0, tzinfo=BRUSSELS)
    series = services.create_series(
        by=staff,
        data=event_input(starts_at=first, ends_at=first + timedelta(minutes=90)),
        rule="FREQ=WEEKLY;COUNT=3",
    )
    occurrences = list(series.events.order_by("starts_at"))
    local = [(e.starts_at.astimezone(BRUSSELS), e.ends_at.astimezone(BRUSSELS)) for e in occurrences]
    assert [(s.day, s.hour, s.minute, e.hour, e.minute) for s, e in local] == [
        (23, 9, 0, 10, 30),
        (30, 9, 0, 10, 30),
        (6, 9, 0, 10, 30),
    ]
    assert [s.utcoffset() for s, _ in local] == [timedelta(hours=1), timedelta(hours=2), timedelta(hours=2)]
    # Each occurrence has its own sign-ups.
    person = members(1)[0]
    services.sign_up(event_id=occurrences[0].pk, user=person, now=first - timedelta(days=30))
    assert [e.signups.count() for e in occurrences] == [1, 0, 0]


# --- Groups and guests ----------------------------------------------------------


def test_a_groups_members_hold_a_seat_at_its_meetings_and_others_cannot_sign_up(member: User, nonmember: User) -> None:
    circle = services.create_circle(name="Werkgroep Brussel", members=[(member, "secretary")])
    meeting = make_event(audience=Audience.CIRCLE, circle=circle)
    assert statuses(meeting) == {"Lotte Peeters": SignUpStatus.CONFIRMED}
    with pytest.raises(services.SignUpRefused):
        services.sign_up(event_id=meeting.pk, user=nonmember)
    services.add_to_circle(circle=circle, user=nonmember)
    assert meeting.signups.filter(user=nonmember, status=SignUpStatus.CONFIRMED).exists()


def test_a_guest_gets_a_personal_link_by_email(staff: User, on_commit) -> None:
    circle = services.create_circle(name="Werkgroep Gent")
    meeting = make_event(staff, audience=Audience.CIRCLE, circle=circle)
    with on_commit():
        guest = services.invite_guest(
            by=staff, event=meeting, name="Dr. Expert", email="expert@example.org", language="nl", role="expert"
        )
    assert guest.status == SignUpStatus.CONFIRMED and guest.user is None
    (message,) = mail.outbox
    assert f"/nl/events/s/{guest.token}/" in message.body
    with pytest.raises(services.EventInvalid):
        services.invite_guest(by=staff, event=meeting, name="Dr. Expert", email="EXPERT@example.org", language="nl")
    with pytest.raises(services.EventInvalid) as bad:
        services.invite_guest(by=staff, event=meeting, name="", email="nope", language="nl")
    assert set(bad.value.errors) == {"name", "email"}


# --- Attendance -------------------------------------------------------------------


def test_attendance_is_recorded_once_the_meeting_started(staff: User) -> None:
    event = make_event(staff)
    came, missed = (services.sign_up(event_id=event.pk, user=person) for person in members(2))
    with pytest.raises(services.EventInvalid):
        services.record_attendance(by=staff, event=event, present=[came.pk])
    services.record_attendance(by=staff, event=event, present=[came.pk], now=event.starts_at + timedelta(hours=1))
    assert statuses(event) == {"Member0": SignUpStatus.ATTENDED, "Member1": SignUpStatus.ABSENT}
    assert SignUp.objects.get(pk=missed.pk).attendance_recorded_by == staff


def test_a_visitor_signing_up_again_gets_a_new_personal_link() -> None:
    event = public_online_event()
    first = services.sign_up(event_id=event.pk, name="Ana", email="ana@example.org")
    old_token = first.token
    services.cancel_sign_up(signup_id=first.pk)
    again = services.sign_up(event_id=event.pk, name="Someone else", email="ana@example.org")
    assert again.pk == first.pk
    assert again.token != old_token


# --- Found in review ------------------------------------------------------------


def test_a_groups_meeting_never_seats_more_members_than_its_seats(member: User, nonmember: User, staff: User) -> None:
    circle = services.create_circle(name="Werkgroep", members=[(member, "member")])
    with pytest.raises(services.EventInvalid) as too_few:
        services.create_event(
            by=staff,
            data=event_input(
                audience=Audience.CIRCLE,
                circle=services.create_circle(name="Groot", members=[(person, "member") for person in members(3)]),
                capacity=2,
            ),
        )
    assert "at least as many seats as members (3)" in too_few.value.errors["capacity"]
    meeting = make_event(staff, audience=Audience.CIRCLE, circle=circle, capacity=1)
    services.add_to_circle(circle=circle, user=nonmember)
    assert statuses(meeting) == {"Lotte Peeters": SignUpStatus.CONFIRMED, "Julien Dubois": SignUpStatus.WAITING}


def test_a_cancelled_event_cannot_be_changed_and_gives_no_seat(staff: User, on_commit) -> None:
    event = make_event(staff, capacity=1)
    first, second = members(2)
    services.sign_up(event_id=event.pk, user=first)
    services.sign_up(event_id=event.pk, user=second)
    services.cancel_event(by=staff, event=event)
    mail.outbox.clear()
    with pytest.raises(services.EventInvalid):
        services.update_event(by=staff, event=event, data=event_input(capacity=5, starts_at=event.starts_at))
    with pytest.raises(services.EventInvalid):
        services.change_capacity(by=staff, event_id=event.pk, capacity=5)
    assert statuses(event)["Member1"] == SignUpStatus.WAITING
    assert mail.outbox == []


def test_no_seat_is_handed_out_once_the_meeting_started(staff: User, on_commit) -> None:
    event = make_event(staff, capacity=1)
    first, second = members(2)
    seat = services.sign_up(event_id=event.pk, user=first)
    services.sign_up(event_id=event.pk, user=second)
    mail.outbox.clear()
    with on_commit():
        # Once started, an organiser no longer cancels: the person is marked excused, which frees no seat for anyone.
        with pytest.raises(services.SignUpRefused):
            services.cancel_sign_up(signup_id=seat.pk, by=staff, now=event.starts_at + timedelta(minutes=30))
        services.record_attendance(
            by=staff, event=event, marks={seat.pk: "excused"}, now=event.starts_at + timedelta(minutes=30)
        )
    assert statuses(event) == {"Member0": SignUpStatus.CANCELLED, "Member1": SignUpStatus.WAITING}
    assert mail.outbox == []


def test_an_absurd_capacity_is_refused_with_a_reason(staff: User) -> None:
    with pytest.raises(services.EventInvalid) as refused:
        services.create_event(by=staff, data=event_input(capacity=10**20))
    assert "at most 100000 seats" in refused.value.errors["capacity"]


def test_a_series_deadline_keeps_its_local_time_across_the_clock_change(staff: User) -> None:
    first = datetime(2026, 3, 23, 19, 0, tzinfo=BRUSSELS)
    series = services.create_series(
        by=staff,
        data=event_input(
            starts_at=first, ends_at=first + timedelta(hours=2), signup_deadline=first - timedelta(hours=25)
        ),
        rule="FREQ=WEEKLY;COUNT=2",
    )
    deadlines = [e.signup_deadline.astimezone(BRUSSELS) for e in series.events.order_by("starts_at")]
    assert [(d.day, d.hour) for d in deadlines] == [(22, 18), (29, 18)]
