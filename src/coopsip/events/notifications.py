"""What people are told about events, and when: confirmations, the waiting list, changes, reminders.

Every email is rendered in the recipient's language with times in Brussels
time, and queued with a key that makes it idempotent: the same sign-up never
gets the same message twice, even when a task runs twice.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from coopsip.core.mail import queue_email
from coopsip.core.taskqueue import default_task_backend, task
from coopsip.editions.phases import BRUSSELS
from coopsip.events import ical
from coopsip.events.models import SEATED, Event, SignUp, SignUpStatus
from coopsip.events.text import single_line


def when(event: Event) -> str:
    """The event's date and time in Brussels, written the way the active language writes them."""
    start = event.starts_at.astimezone(BRUSSELS)
    end = event.ends_at.astimezone(BRUSSELS)
    if start.date() == end.date():
        return "{} {}–{}".format(
            formats.date_format(start, "DATE_FORMAT"),
            formats.time_format(start, "TIME_FORMAT"),
            formats.time_format(end, "TIME_FORMAT"),
        )
    return "{} – {}".format(formats.date_format(start, "DATETIME_FORMAT"), formats.date_format(end, "DATETIME_FORMAT"))


def personal_link(signup: SignUp) -> str:
    return settings.SITE_URL + reverse("events:signup", kwargs={"token": signup.token})


def _send(signup: SignUp, template: str, *, key: str, calendar: bool = False) -> None:
    event = signup.event
    with translation.override(signup.language):
        seated = signup.status in SEATED
        link = personal_link(signup)
        context = {
            "signup": signup,
            "event": event,
            "when": when(event),
            "link": link,
            "video_url": event.video_url if seated else "",
            "site_url": settings.SITE_URL,
        }
        # A title saved with a line break must not break the mail header.
        subject = single_line(render_to_string(f"events/email/{template}_subject.txt", context))
        body = render_to_string(f"events/email/{template}.txt", context)
        invitation = ical.invitation(event, with_link=seated, page_url=link) if calendar else ""
    queue_email(key=key, to_email=signup.email, subject=subject, body_text=body, calendar=invitation, user=signup.user)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%Y%m%dT%H%M%S")


# Each notification is a task enqueued on commit: rendering and queueing
# emails never runs in the request that changed the seats, a failure is
# retried by the worker rather than shown to the person, and the keys keep
# a task that runs twice from sending twice.


@task(queue_name="email")
def send_signup_email(signup_id: int, template: str, key: str, calendar: bool) -> str:
    """Render and queue one email about one sign-up (``template``: confirmed, waiting, promoted, guest)."""
    signup = SignUp.objects.select_related("event", "event__place", "user", "invited_by").filter(pk=signup_id).first()
    if signup is None:
        return "gone"
    _send(signup, template, key=key, calendar=calendar)
    return "queued"


@task(queue_name="email")
def send_event_emails(event_id: int, template: str, sequence: int) -> int:
    """Tell everyone holding a seat or waiting about a change or a cancellation of an event; returns how many."""
    signups = SignUp.objects.filter(event_id=event_id, status__in=(*SEATED, SignUpStatus.WAITING)).select_related(
        "event", "event__place", "user"
    )
    count = 0
    for signup in signups:
        # A calendar file only for those holding a seat (for a cancellation: the event marked cancelled).
        seated = signup.status in SEATED
        _send(signup, template, key=f"events:{template}:{signup.pk}:{sequence}", calendar=seated)
        count += 1
    return count


def _enqueue_on_commit(enqueue: Callable[[], object]) -> None:
    # robust: a queue that cannot be reached is logged, never turned into an error for the person.
    transaction.on_commit(enqueue, robust=True)


def on_commit_signed_up(signup: SignUp) -> None:
    """Confirmation (with the link and the invitation) or the waiting-list notice."""
    template = "confirmed" if signup.status == SignUpStatus.CONFIRMED else "waiting"
    key = f"events:{template}:{signup.pk}:{_stamp(signup.queued_at)}"
    signup_id, calendar = signup.pk, template == "confirmed"
    _enqueue_on_commit(lambda: send_signup_email.enqueue(signup_id, template, key, calendar))


def on_commit_confirm_email(signup: SignUp) -> None:
    """A visitor's link to confirm their address (and so their seat); no video link before that."""
    key = f"events:confirm:{signup.pk}:{_stamp(signup.queued_at)}"
    signup_id = signup.pk
    _enqueue_on_commit(lambda: send_signup_email.enqueue(signup_id, "confirm", key, False))


def on_commit_promoted(signup: SignUp) -> None:
    assert signup.promoted_at is not None
    key = f"events:promoted:{signup.pk}:{_stamp(signup.promoted_at)}"
    signup_id = signup.pk
    _enqueue_on_commit(lambda: send_signup_email.enqueue(signup_id, "promoted", key, True))


def on_commit_guest_invited(signup: SignUp) -> None:
    key = f"events:guest:{signup.pk}:{signup.token}"
    signup_id = signup.pk
    _enqueue_on_commit(lambda: send_signup_email.enqueue(signup_id, "guest", key, True))


def on_commit_changed(event: Event) -> None:
    event_id, sequence = event.pk, event.sequence
    _enqueue_on_commit(lambda: send_event_emails.enqueue(event_id, "changed", sequence))


def on_commit_cancelled(event: Event) -> None:
    event_id, sequence = event.pk, event.sequence
    _enqueue_on_commit(lambda: send_event_emails.enqueue(event_id, "cancelled", sequence))


# ---------------------------------------------------------------------------
# Reminders


def send_due_reminders(*, now: datetime) -> int:
    """Remind everyone holding a seat at an event whose reminder is due; returns how many were reminded.

    A reminder is due from ``remind_at`` (the same time of day in Brussels,
    the day before) until the start. People who took their seat after that
    moment already know: their confirmation came minutes ago. Each person is
    reminded once per start time, however often this runs: the sign-up
    remembers it, and the email key would refuse a second one anyway.
    """
    due = (
        SignUp.objects.filter(
            status=SignUpStatus.CONFIRMED,
            event__remind_at__lte=now,
            event__starts_at__gt=now,
            event__cancelled_at__isnull=True,
        )
        .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("event__starts_at")))
        .select_related("event", "event__place", "user")
    )
    reminded = 0
    for signup in due:
        event = signup.event
        seated_since = signup.promoted_at or signup.queued_at
        with transaction.atomic():
            if event.remind_at is not None and seated_since <= event.remind_at:
                _send(signup, "reminder", key=f"events:reminder:{signup.pk}:{_stamp(event.starts_at)}")
                reminded += 1
            SignUp.objects.filter(pk=signup.pk).update(reminded_for=event.starts_at)
    return reminded


@task(queue_name="default")
def send_event_reminders() -> int:
    """Send the reminders that are due; planned for each event's reminder time and run by cron as a safety net."""
    return send_due_reminders(now=timezone.now())


def on_commit_schedule_reminders(event: Event) -> None:
    """Plan a reminder run for the event's reminder time (on the database backend; cron covers the others)."""
    if event.remind_at is None or not default_task_backend.supports_defer:
        return
    run_after = event.remind_at
    transaction.on_commit(lambda: send_event_reminders.using(run_after=run_after).enqueue())
