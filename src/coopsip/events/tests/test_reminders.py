"""A reminder the day before: once, in the person's language, at the same Brussels time across a clock change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from conftest import link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services
from coopsip.events.notifications import send_due_reminders, send_event_reminders
from coopsip.events.tests.factories import make_event
from coopsip.members.models import MembershipStatus

pytestmark = pytest.mark.django_db

# The clocks go forward on Sunday 29 March 2026 and back on Sunday 25 October 2026.
SPRING_EVENT = datetime(2026, 3, 29, 10, 0, tzinfo=BRUSSELS)  # 08:00 UTC, the first summer day
AUTUMN_EVENT = datetime(2026, 10, 25, 10, 0, tzinfo=BRUSSELS)  # 09:00 UTC, the first winter day


def french_member() -> User:
    person = make_person("camille@example.org", first_name="Camille", preferred_language="fr")
    link_to_register(person, number="400001", status=MembershipStatus.MEMBER)
    return person


def signed_up(event_start: datetime, *people: User) -> None:
    event = make_event(starts_at=event_start)
    for person in people:
        services.sign_up(event_id=event.pk, user=person, now=event_start - timedelta(days=10))


@pytest.mark.parametrize(
    ("start", "due_utc"),
    [
        # Saturday 28 March 10:00 in winter time is 09:00 UTC: 23 hours before the start.
        (SPRING_EVENT, datetime(2026, 3, 28, 9, 0, tzinfo=UTC)),
        # Saturday 24 October 10:00 in summer time is 08:00 UTC: 25 hours before the start.
        (AUTUMN_EVENT, datetime(2026, 10, 24, 8, 0, tzinfo=UTC)),
    ],
)
def test_the_reminder_comes_at_the_same_brussels_time_the_day_before(
    member: User, on_commit, start: datetime, due_utc: datetime
) -> None:
    signed_up(start, member)
    with on_commit():
        assert send_due_reminders(now=due_utc - timedelta(minutes=1)) == 0
    assert mail.outbox == []
    with on_commit():
        assert send_due_reminders(now=due_utc) == 1
    (reminder,) = mail.outbox
    assert reminder.to == ["lotte@example.org"]
    # The time in the text is the Brussels time of the event.
    assert "10:00" in reminder.body


def test_a_reminder_is_sent_once_however_often_the_task_runs(member: User, on_commit) -> None:
    signed_up(SPRING_EVENT, member)
    due = datetime(2026, 3, 28, 9, 0, tzinfo=UTC)
    with on_commit():
        first = send_due_reminders(now=due)
        second = send_due_reminders(now=due + timedelta(minutes=15))
        third = send_due_reminders(now=due + timedelta(hours=12))
    assert (first, second, third) == (1, 0, 0)
    assert len(mail.outbox) == 1
    assert OutgoingEmail.objects.filter(key__startswith="events:reminder:").count() == 1


def test_each_person_is_reminded_in_their_own_language(member: User, on_commit) -> None:
    camille = french_member()
    signed_up(SPRING_EVENT, member, camille)
    with on_commit():
        send_due_reminders(now=datetime(2026, 3, 28, 9, 0, tzinfo=UTC))
    by_person = {message.to[0]: message for message in mail.outbox}
    assert "Petit-déjeuner de travail" in by_person["camille@example.org"].subject
    assert "Werkontbijt" in by_person["lotte@example.org"].subject
    # French dates in the French email: "29 mars 2026".
    assert "29 mars 2026" in by_person["camille@example.org"].body


def test_a_moved_event_is_reminded_again_for_its_new_time(member: User, staff: User, on_commit) -> None:
    event = make_event(staff, starts_at=SPRING_EVENT)
    services.sign_up(event_id=event.pk, user=member, now=SPRING_EVENT - timedelta(days=10))
    with on_commit():
        send_due_reminders(now=datetime(2026, 3, 28, 9, 0, tzinfo=UTC))
    later = SPRING_EVENT + timedelta(days=7)
    from coopsip.events.tests.factories import event_input

    services.update_event(by=staff, event=event, data=event_input(starts_at=later))
    mail.outbox.clear()
    with on_commit():
        assert send_due_reminders(now=later - timedelta(days=1)) == 1
    assert len(mail.outbox) == 1


def test_nobody_is_reminded_of_a_cancelled_event_or_when_waiting(member: User, staff: User, on_commit) -> None:
    cancelled = make_event(staff, starts_at=SPRING_EVENT)
    services.sign_up(event_id=cancelled.pk, user=member, now=SPRING_EVENT - timedelta(days=10))
    services.cancel_event(by=staff, event=cancelled)
    full = make_event(staff, starts_at=SPRING_EVENT, capacity=1)
    services.sign_up(event_id=full.pk, user=french_member(), now=SPRING_EVENT - timedelta(days=10))
    services.sign_up(event_id=full.pk, user=member, now=SPRING_EVENT - timedelta(days=9))
    mail.outbox.clear()
    with on_commit():
        assert send_due_reminders(now=datetime(2026, 3, 28, 9, 0, tzinfo=UTC)) == 1
    assert [message.to for message in mail.outbox] == [["camille@example.org"]]


def test_someone_who_signs_up_after_the_reminder_time_gets_no_reminder(member: User, on_commit) -> None:
    event = make_event(starts_at=SPRING_EVENT)
    services.sign_up(event_id=event.pk, user=member, now=SPRING_EVENT - timedelta(hours=3))
    mail.outbox.clear()
    with on_commit():
        assert send_due_reminders(now=SPRING_EVENT - timedelta(hours=2)) == 0
    assert mail.outbox == []


def test_the_task_and_the_command_send_what_is_due(member: User, on_commit) -> None:
    from django.utils import timezone

    soon = timezone.now() + timedelta(hours=2)
    event = make_event(starts_at=soon)
    services.sign_up(event_id=event.pk, user=member, now=soon - timedelta(days=3))
    mail.outbox.clear()
    with on_commit():
        result = send_event_reminders.enqueue()
    assert result.return_value == 1
    with on_commit():
        call_command("send_event_reminders")
    assert len(mail.outbox) == 1
