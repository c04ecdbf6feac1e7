"""A visitor's kept seat that lapses goes to the first person waiting at the lapse (issue 16, point 8).

The seat is planned for release on the real task queue at ``hold_until``; the
cron command does the same as a safety net. Either way the person who gets the
seat is emailed at once, not at the next sign-up or cancellation.
"""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, SignUp, SignUpStatus
from coopsip.events.tests.test_public_pages import make_event


def _full_with_a_visitor_holding_the_seat(member: User) -> tuple[SignUp, SignUp]:
    event = make_event(audience=Audience.PUBLIC, capacity=1)
    visitor = services.sign_up(event_id=event.pk, name="Zoë Visitor", email="zoe@example.org")
    waiting = services.sign_up(event_id=event.pk, user=member)
    assert (visitor.status, waiting.status) == (SignUpStatus.PENDING, SignUpStatus.WAITING)
    return visitor, waiting


def _lapse(visitor: SignUp) -> None:
    SignUp.objects.filter(pk=visitor.pk).update(hold_until=timezone.now() - timedelta(seconds=1))


# The worker runs as in production: in autocommit (see formation's test_background_run).
@pytest.mark.django_db(transaction=True)
def test_the_task_planned_at_the_lapse_gives_the_seat_to_the_first_person_waiting(settings: Any, member: User) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    visitor, waiting = _full_with_a_visitor_holding_the_seat(member)
    [planned] = DBTaskResult.objects.filter(task_path__endswith="release_lapsed_seat_holds")
    assert planned.run_after == visitor.hold_until
    assert planned.args_kwargs["args"] == [visitor.event_id]

    # Before the lapse the worker leaves it alone (nothing is due) and the seat stays kept.
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--interval", "0")
    assert SignUp.objects.get(pk=waiting.pk).status == SignUpStatus.WAITING
    mail.outbox.clear()

    _lapse(visitor)
    DBTaskResult.objects.filter(pk=planned.pk).update(run_after=timezone.now() - timedelta(seconds=1))
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--interval", "0")
    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.CONFIRMED
    assert waiting.promoted_at is not None
    [email] = [message for message in mail.outbox if message.to == ["lotte@example.org"]]
    # Lotte reads Dutch: "a seat freed up for you".
    assert email.subject == "Er is een plaats vrijgekomen voor jou: Afterwork in Ghent"
    # The visitor who confirms later now joins the waiting list.
    assert services.confirm_visitor_sign_up(token=visitor.token).status == SignUpStatus.WAITING


@pytest.mark.django_db
def test_the_cron_command_moves_the_waiting_list_when_no_task_ran(member: User, on_commit: Any) -> None:
    visitor, waiting = _full_with_a_visitor_holding_the_seat(member)
    mail.outbox.clear()
    out = StringIO()
    call_command("send_event_reminders", stdout=out)
    assert "0 person(s) moved" in out.getvalue()  # the seat is still kept
    _lapse(visitor)
    with on_commit():
        call_command("send_event_reminders", stdout=out)
    assert "1 person(s) moved" in out.getvalue()
    assert SignUp.objects.get(pk=waiting.pk).status == SignUpStatus.CONFIRMED
    assert [message.to for message in mail.outbox] == [["lotte@example.org"]]
    # Running again moves nobody twice and sends nothing more.
    with on_commit():
        call_command("send_event_reminders", stdout=StringIO())
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_seat_kept_for_a_visitor_is_not_given_away_before_it_lapses(member: User) -> None:
    visitor, waiting = _full_with_a_visitor_holding_the_seat(member)
    assert visitor.hold_until is not None
    assert services.release_lapsed_holds(now=visitor.hold_until - timedelta(seconds=1)) == 0
    assert SignUp.objects.get(pk=waiting.pk).status == SignUpStatus.WAITING
    assert services.release_lapsed_holds(now=visitor.hold_until) == 1


@pytest.mark.django_db
def test_a_lapsed_seat_of_a_started_event_moves_nobody(member: User) -> None:
    visitor, waiting = _full_with_a_visitor_holding_the_seat(member)
    assert services.release_lapsed_holds(now=visitor.event.starts_at + timedelta(minutes=1)) == 0
    assert SignUp.objects.get(pk=waiting.pk).status == SignUpStatus.WAITING
