"""Crash-safe task workers (issue 17): a worker killed mid-task loses nothing and repeats nothing.

The database queue leaves a task RUNNING for ever when its worker dies. Each worker of
``manage.py run_worker`` beats every few seconds; a RUNNING task whose worker is silent for the
lease goes back to the queue, with its row put back (an email SENDING is queued again, a formation
run RUNNING waits again), and another worker does it once.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coopsip.accounts.models import User
from coopsip.core.mail import queue_email
from coopsip.core.models import OutgoingEmail
from coopsip.core.taskqueue import TaskResultStatus
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.formation.services import start_run
from coopsip.formation.tests.test_staff_access import make_formable_edition
from coopsip.ops.models import WorkerHeartbeat
from coopsip.ops.workers import LEASE_SECONDS, beat, reap_dead_workers


@pytest.fixture(autouse=True)
def database_queue(settings: Any) -> None:
    # django-tasks resets its backends when the TASKS setting changes.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "email"]}}
    settings.COOPSIP_FORMATION_SECONDS = 2


def edition_without_pending_work() -> Any:
    """The formable edition of the formation tests, without the emails its registrations queued."""
    edition = make_formable_edition()
    DBTaskResult.objects.all().delete()
    OutgoingEmail.objects.all().delete()
    return edition


def claim_by(worker_id: str, *, ago: float) -> DBTaskResult:
    """The worker ``worker_id`` claimed the only waiting task ``ago`` seconds ago."""
    task = DBTaskResult.objects.ready().get()
    task.claim(worker_id)
    DBTaskResult.objects.filter(pk=task.pk).update(started_at=timezone.now() - timedelta(seconds=ago))
    return task


def run_worker() -> None:
    # In this process the reaper is called by the test itself; the heartbeat thread of `run_worker`
    # runs in the real processes below (it would share SQLite's in-memory test connection here).
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", "--interval", "0")


@pytest.mark.django_db(transaction=True)
def test_an_email_left_sending_by_a_dead_worker_is_sent_once_by_another() -> None:
    email = queue_email(key="crash-1", to_email="lotte@example.org", subject="Dag", body_text="Hallo")
    task = claim_by("dead-worker", ago=LEASE_SECONDS + 5)
    OutgoingEmail.objects.filter(pk=email.pk).update(status=OutgoingEmail.Status.SENDING, attempts=1)

    assert reap_dead_workers() == 1
    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.QUEUED
    run_worker()

    email.refresh_from_db()
    assert email.status == OutgoingEmail.Status.SENT
    assert [message.to for message in mail.outbox] == [["lotte@example.org"]]
    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids[0] == "dead-worker" and len(task.worker_ids) == 2
    assert reap_dead_workers() == 0  # nothing left to give back


@pytest.mark.django_db(transaction=True)
def test_a_live_worker_keeps_its_task_however_long_it_takes() -> None:
    queue_email(key="crash-2", to_email="lotte@example.org", subject="Dag", body_text="Hallo")
    beat("busy-worker")
    task = claim_by("busy-worker", ago=LEASE_SECONDS * 10)
    assert reap_dead_workers() == 0
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    # Once it stops beating, its task goes back.
    WorkerHeartbeat.objects.update(seen_at=timezone.now() - timedelta(seconds=LEASE_SECONDS + 1))
    assert reap_dead_workers() == 1


@pytest.mark.django_db(transaction=True)
def test_a_formation_run_left_running_by_a_dead_worker_is_formed_once_by_another(staff: User) -> None:
    edition = edition_without_pending_work()
    run = start_run(by=staff, edition=edition, time_limit_s=2)
    claim_by("dead-worker", ago=LEASE_SECONDS + 5)
    FormationRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, progress=15, started_at=timezone.now())

    assert reap_dead_workers() == 1
    run_worker()

    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    assert run.groups.count() == 3
    assert FormationRun.objects.filter(edition=edition).count() == 1


# --- Real processes, killed with SIGKILL (PostgreSQL: the workers share the test database) ---------

WORKER = """
import os, sys, time
import django
django.setup()
from django.conf import settings
settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
settings.EMAIL_FILE_PATH = sys.argv[1]
delay = float(sys.argv[2])
if delay:  # this worker is slow where it hurts: while sending, while solving
    from django.core.mail.backends.filebased import EmailBackend
    from coopsip.formation import engine
    send, solve = EmailBackend.send_messages, engine.solve
    EmailBackend.send_messages = lambda self, messages: (time.sleep(delay), send(self, messages))[1]
    engine.solve = lambda *args, **kwargs: (time.sleep(delay), solve(*args, **kwargs))[1]
from django.core.management import call_command
call_command("run_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2", "--no-startup-delay", "-v", "0")
"""


def start_worker(mailbox: Path, *, delay: float) -> subprocess.Popen[bytes]:
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coopsip.settings",
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
        "TASKS_BACKEND": "database",
        "COOPSIP_WORKER_HEARTBEAT_SECONDS": "0.5",
        "COOPSIP_WORKER_LEASE_SECONDS": "3",
    }
    command = [sys.executable, "-c", WORKER, str(mailbox), str(delay)]
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_for(condition: Any, *, seconds: float, what: str) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError(f"not within {seconds} s: {what}")
        time.sleep(0.2)
    return time.monotonic() - start


if os.environ.get("DATABASE_URL", "").startswith("postgres"):

    @pytest.mark.django_db(transaction=True)
    def test_workers_killed_mid_task_lose_nothing_and_repeat_nothing(staff: User, tmp_path: Path) -> None:
        edition = edition_without_pending_work()
        email = queue_email(key="crash-3", to_email="lotte@example.org", subject="Dag", body_text="Hallo")
        run = start_run(by=staff, edition=edition, time_limit_s=2)
        mailbox = tmp_path / "mail"
        doomed = [start_worker(mailbox, delay=600) for _worker in range(2)]
        try:
            # Each slow worker took one task: the email is being sent, the run is being solved.
            wait_for(
                lambda: (
                    OutgoingEmail.objects.get(pk=email.pk).status == OutgoingEmail.Status.SENDING
                    and FormationRun.objects.get(pk=run.pk).status == RunStatus.RUNNING
                ),
                seconds=120,
                what="the two workers claim the email and the run",
            )
            for process in doomed:
                process.send_signal(signal.SIGKILL)
                process.wait()
            rescuer = start_worker(mailbox, delay=0)
            try:
                wait_for(lambda: WorkerHeartbeat.objects.filter(pid=rescuer.pid).exists(), seconds=120, what="start")
                # Taken over within the lease (3 s) and a beat, then done by the rescuer.
                took = wait_for(
                    lambda: not DBTaskResult.objects.exclude(status=TaskResultStatus.SUCCESSFUL).exists(),
                    seconds=60,
                    what="both tasks done again",
                )
            finally:
                rescuer.terminate()
                rescuer.wait(timeout=30)
        finally:
            for process in doomed:
                if process.poll() is None:
                    process.kill()
        assert took < 60
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.SENT
        assert len(list(mailbox.iterdir())) == 1  # sent once
        run.refresh_from_db()
        assert run.status == RunStatus.DONE, run.error
        assert run.groups.count() == 3
        assert FormationRun.objects.filter(edition=edition).count() == 1
        assert all(len(task.worker_ids) == 2 for task in DBTaskResult.objects.all())  # each task: two workers
