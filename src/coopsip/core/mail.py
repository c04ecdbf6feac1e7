"""Sending email: queued on commit, delivered by a task, retried on failure."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from coopsip.core.models import OutgoingEmail
from coopsip.core.taskqueue import default_task_backend, task

logger = logging.getLogger(__name__)


def queue_email(
    *,
    key: str,
    to_email: str,
    subject: str,
    body_text: str,
    body_html: str = "",
    calendar: str = "",
    user: Any = None,
) -> OutgoingEmail:
    """Record an email and deliver it once the current transaction commits.

    Calling this again with the same ``key`` returns the first email and sends
    nothing more, so a retried request or task never mails a person twice.
    """
    with transaction.atomic():
        email, created = OutgoingEmail.objects.get_or_create(
            key=key,
            defaults={
                "to_email": to_email,
                "subject": subject.replace("\n", " ").strip(),
                "body_text": body_text,
                "body_html": body_html,
                "calendar": calendar,
                "user": user if user is not None and user.pk else None,
            },
        )
        if created:
            transaction.on_commit(lambda: deliver_email.enqueue(email.pk))
    return email


def retry_delay(attempt: int) -> timedelta:
    """Exponential backoff: the first wait, then twice as long each time."""
    return timedelta(seconds=settings.COOPSIP_EMAIL_RETRY_SECONDS * 2 ** (attempt - 1))


@task(queue_name="email")
def deliver_email(email_id: int) -> str:
    """Send one queued email; on an SMTP error, plan another try with backoff.

    The row is claimed in a short transaction, sent outside any transaction
    (an SMTP server may take seconds: no database lock is held meanwhile),
    then the outcome is recorded. Delivery is at least once: a worker that
    dies between sending and recording leaves the email "sending", and
    ``requeue_pending_emails`` sends it again after a while.
    """
    with transaction.atomic():
        email = OutgoingEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutgoingEmail.Status.QUEUED:
            return "skipped"
        email.attempts += 1
        email.status = OutgoingEmail.Status.SENDING
        email.last_attempt_at = timezone.now()
        email.save(update_fields=["attempts", "status", "last_attempt_at"])
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to_email],
        # The sender is a no-reply address; a person who answers reaches the team.
        reply_to=[settings.COOPSIP_CONTACT_EMAIL] if settings.COOPSIP_CONTACT_EMAIL else None,
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    if email.calendar:
        message.attach("invite.ics", email.calendar, "text/calendar")
    try:
        message.send()
    except Exception as error:  # any failure of the mail server is retried
        return _record_failure(email, error)
    # The body is no longer needed once sent; it may hold a password-reset link.
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENT,
        sent_at=timezone.now(),
        body_text="",
        body_html="",
        calendar="",
        last_error="",
    )
    return "sent"


def _record_failure(email: OutgoingEmail, error: Exception) -> str:
    with transaction.atomic():
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        if email.attempts >= settings.COOPSIP_EMAIL_MAX_ATTEMPTS:
            email.status = OutgoingEmail.Status.FAILED
            logger.error("Giving up on email %s after %s attempts", email.pk, email.attempts)
        else:
            email.status = OutgoingEmail.Status.QUEUED
            _schedule_retry(email)
        email.save(update_fields=["last_error", "status"])
    return "retry" if email.status == OutgoingEmail.Status.QUEUED else "failed"


def _schedule_retry(email: OutgoingEmail) -> None:
    if default_task_backend.supports_defer:
        run_after = timezone.now() + retry_delay(email.attempts)
        transaction.on_commit(lambda: deliver_email.using(run_after=run_after).enqueue(email.pk))
    else:
        # The immediate backend (local development) cannot wait; the email
        # stays queued and `manage.py send_queued_emails` tries it again.
        logger.warning("Email %s not sent (%s); it stays queued", email.pk, email.last_error)


def requeue_pending_emails(*, stuck_after: timedelta = timedelta(minutes=15)) -> int:
    """Enqueue a delivery for every email still waiting; returns how many.

    An email left "sending" for longer than ``stuck_after`` (its worker died)
    goes back to the queue first.
    """
    OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.SENDING, last_attempt_at__lt=timezone.now() - stuck_after
    ).update(status=OutgoingEmail.Status.QUEUED)
    ids = list(OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).values_list("pk", flat=True))
    for email_id in ids:
        deliver_email.enqueue(email_id)
    return len(ids)
