"""Emails go through the task queue: once per key, retried with backoff when SMTP fails."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from coopsip.core.mail import deliver_email, queue_email, retry_delay
from coopsip.core.models import OutgoingEmail


class FlakySMTPBackend(EmailBackend):
    """Stands in for an SMTP server that is down for the first ``failures`` sends."""

    failures = 0

    def send_messages(self, messages: Any) -> int:
        if FlakySMTPBackend.failures > 0:
            FlakySMTPBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture(autouse=True)
def _smtp_up() -> Any:
    FlakySMTPBackend.failures = 0
    yield
    FlakySMTPBackend.failures = 0


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The production queue: tasks are stored and run by `manage.py db_worker`."""
    # django-tasks resets its backends when the TASKS setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--interval", "0")


@pytest.mark.django_db
def test_an_email_is_sent_once_the_transaction_commits(on_commit: Any) -> None:
    with on_commit():
        queue_email(key="k1", to_email="lotte@example.org", subject="Dag", body_text="Hallo Lotte")
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["lotte@example.org"]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


@pytest.mark.django_db
def test_an_answer_to_any_email_reaches_the_team(on_commit: Any, settings: Any) -> None:
    settings.COOPSIP_CONTACT_EMAIL = "team@example.org"
    with on_commit():
        queue_email(key="k1", to_email="lotte@example.org", subject="Dag", body_text="Questions? Reply to this email.")
    assert mail.outbox[0].from_email == settings.DEFAULT_FROM_EMAIL
    assert mail.outbox[0].reply_to == ["team@example.org"]
    assert mail.outbox[0].message()["Reply-To"] == "team@example.org"


@pytest.mark.django_db
def test_the_emails_of_the_login_pages_also_answer_to_the_team(on_commit: Any, member: Any, settings: Any) -> None:
    from django.test import Client

    with on_commit():
        Client().post("/en/accounts/password/reset/", {"email": "lotte@example.org"})
    assert mail.outbox[0].to == ["lotte@example.org"]
    assert mail.outbox[0].reply_to == [settings.COOPSIP_CONTACT_EMAIL]


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(on_commit: Any) -> None:
    from django.db import transaction

    with on_commit():
        try:
            with transaction.atomic():
                queue_email(key="k1", to_email="lotte@example.org", subject="Dag", body_text="Hallo")
                raise RuntimeError("the registration failed")
        except RuntimeError:
            pass
    assert mail.outbox == []
    assert not OutgoingEmail.objects.exists()


@pytest.mark.django_db
def test_the_same_key_sends_one_email(on_commit: Any) -> None:
    with on_commit():
        first = queue_email(key="reminder:42", to_email="a@example.org", subject="S", body_text="B")
        second = queue_email(key="reminder:42", to_email="a@example.org", subject="S", body_text="B")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_running_the_delivery_twice_sends_once(on_commit: Any) -> None:
    with on_commit():
        email = queue_email(key="k1", to_email="a@example.org", subject="S", body_text="B")
    deliver_email.call(email.pk)
    assert len(mail.outbox) == 1


def test_the_backoff_doubles(settings: Any) -> None:
    settings.COOPSIP_EMAIL_RETRY_SECONDS = 60
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]


@pytest.mark.django_db(transaction=True)
def test_the_worker_retries_a_failed_delivery_later(settings: Any, database_queue: None) -> None:
    settings.EMAIL_BACKEND = "coopsip.core.tests.test_mail.FlakySMTPBackend"
    settings.COOPSIP_EMAIL_RETRY_SECONDS = 0  # retry at once, so the test needs no clock
    FlakySMTPBackend.failures = 2
    email = queue_email(key="k1", to_email="a@example.org", subject="S", body_text="B")
    assert mail.outbox == []  # queued, not sent: the worker sends it
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert email.attempts == 3
    assert len(mail.outbox) == 1
    # Once sent, the body (which may hold a password-reset link) is not kept.
    assert email.body_text == "" and email.last_error == ""


@pytest.mark.django_db(transaction=True)
def test_a_retry_waits_for_its_backoff(settings: Any, database_queue: None) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.EMAIL_BACKEND = "coopsip.core.tests.test_mail.FlakySMTPBackend"
    settings.COOPSIP_EMAIL_RETRY_SECONDS = 600
    FlakySMTPBackend.failures = 1
    queue_email(key="k1", to_email="a@example.org", subject="S", body_text="B")
    run_worker()
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after is not None
    assert waiting.run_after > timezone.now() + timedelta(minutes=9)
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_it_gives_up_after_the_last_attempt(settings: Any, database_queue: None) -> None:
    settings.EMAIL_BACKEND = "coopsip.core.tests.test_mail.FlakySMTPBackend"
    settings.COOPSIP_EMAIL_RETRY_SECONDS = 0
    settings.COOPSIP_EMAIL_MAX_ATTEMPTS = 3
    FlakySMTPBackend.failures = 10
    email = queue_email(key="k1", to_email="a@example.org", subject="S", body_text="B")
    run_worker()
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.FAILED
    assert email.attempts == 3
    assert "SMTPServerDisconnected" in email.last_error


@pytest.mark.django_db
def test_an_email_left_sending_by_a_dead_worker_is_sent_again(on_commit: Any) -> None:
    from coopsip.core.mail import requeue_pending_emails

    with on_commit():
        email = queue_email(key="k1", to_email="a@example.org", subject="S", body_text="B")
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING, last_attempt_at=timezone.now() - timedelta(hours=1), body_text="B"
    )
    mail.outbox.clear()
    assert requeue_pending_emails() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_an_email_being_sent_right_now_is_left_alone(on_commit: Any) -> None:
    from coopsip.core.mail import requeue_pending_emails

    with on_commit():
        email = queue_email(key="k1", to_email="a@example.org", subject="S", body_text="B")
    OutgoingEmail.objects.filter(pk=email.pk).update(
        status=OutgoingEmail.Status.SENDING, last_attempt_at=timezone.now()
    )
    mail.outbox.clear()
    assert requeue_pending_emails() == 0
    assert mail.outbox == []
