"""Task workers that survive a crash: a heartbeat per worker and a reaper for the tasks of dead ones.

The database queue (django-tasks-db) marks a task RUNNING when a worker claims it and never looks at
it again: a worker killed mid-task (SIGKILL, out of memory, the machine stops) leaves it RUNNING for
ever. Here each worker writes a heartbeat row every ``HEARTBEAT_SECONDS``; a RUNNING task whose
worker has not beaten for ``LEASE_SECONDS`` goes back to READY, and another worker runs it again.

Running a task again must not repeat its effect. Every task of coopsip checks its own row under a
lock before it acts (an email is sent only while QUEUED, a formation run only starts while QUEUED);
the task a dead worker left half done also left its row half way (the email SENDING, the run
RUNNING). The recovery hooks below put that row back where the task expects it, in the same
transaction as the task itself, so the next worker does the work once.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from coopsip.core.taskqueue import TaskResultStatus
from coopsip.ops.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = float(getattr(settings, "COOPSIP_WORKER_HEARTBEAT_SECONDS", 2))
LEASE_SECONDS = float(getattr(settings, "COOPSIP_WORKER_LEASE_SECONDS", 10))

# task path -> what to do before the task runs again: put its row back as the task expects it.
RecoveryHook = Callable[[list[Any], dict[str, Any]], None]
RECOVERY_HOOKS: dict[str, RecoveryHook] = {}


def recovery_hook(task_path: str) -> Callable[[RecoveryHook], RecoveryHook]:
    def register(function: RecoveryHook) -> RecoveryHook:
        RECOVERY_HOOKS[task_path] = function
        return function

    return register


@recovery_hook("coopsip.core.mail.deliver_email")
def _email_back_to_queue(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The email was claimed (SENDING) by the dead worker: queued again, so the next worker sends it.

    An email the mail server had already accepted when the worker died (the split second between
    the server's answer and the row saying SENT) goes out twice: SMTP gives no way to ask.
    """
    from coopsip.core.models import OutgoingEmail

    email_id = kwargs.get("email_id", args[0] if args else 0)
    OutgoingEmail.objects.filter(pk=email_id, status=OutgoingEmail.Status.SENDING).update(
        status=OutgoingEmail.Status.QUEUED
    )


@recovery_hook("coopsip.formation.services.form_groups")
def _run_back_to_queue(args: list[Any], kwargs: dict[str, Any]) -> None:
    """The run was RUNNING in the dead worker: its proposal is stored in one transaction with the run
    marked done, so a RUNNING run has stored nothing yet and starts again from the beginning."""
    from coopsip.formation.models import FormationRun, RunStatus

    run_id = kwargs.get("run_id", args[0] if args else 0)
    FormationRun.objects.filter(pk=run_id, status=RunStatus.RUNNING).update(
        status=RunStatus.QUEUED, progress=0, started_at=None
    )


def beat(worker_id: str) -> None:
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"hostname": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": timezone.now()},
    )


def reap_dead_workers(*, now: Any = None) -> int:
    """Give back to the queue every task left RUNNING by a worker that stopped beating. Returns how many."""
    now = now or timezone.now()
    deadline = now - timedelta(seconds=LEASE_SECONDS)
    alive = set(WorkerHeartbeat.objects.filter(seen_at__gte=deadline).values_list("worker_id", flat=True))
    recovered = 0
    candidates = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=deadline)
    for task_id in candidates.values_list("id", flat=True):
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(
                    skip_locked=connection.features.has_select_for_update_skip_locked
                )
                .filter(pk=task_id, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None or not task.worker_ids or task.worker_ids[-1] in alive:
                continue
            hook = RECOVERY_HOOKS.get(task.task_path)
            if hook is not None:
                hook(task.args_kwargs.get("args", []), task.args_kwargs.get("kwargs", {}))
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.save(update_fields=["status", "started_at"])
            recovered += 1
            logger.warning(
                "Task %s (%s) was left running by worker %s, which stopped: back in the queue (attempt %s).",
                task.pk,
                task.task_path,
                task.worker_ids[-1],
                len(task.worker_ids) + 1,
            )
    # Forget workers silent for a day (their tasks were given back long ago).
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return recovered


class Heartbeat(threading.Thread):
    """Beats for one worker and reaps the dead ones, in a thread beside the worker's loop."""

    def __init__(self, worker_id: str, *, interval: float = HEARTBEAT_SECONDS) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.interval = interval
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            try:
                close_old_connections()
                beat(self.worker_id)
                reap_dead_workers()
            except Exception:  # the database may be away for a moment; the next beat tries again
                logger.exception("Worker heartbeat failed")
            self.stopped.wait(self.interval)
        WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        connection.close()

    def stop(self) -> None:
        self.stopped.set()
