"""`manage.py run_worker`: the database queue's worker, with a heartbeat so that a crash loses no task."""

from __future__ import annotations

from typing import Any

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from coopsip.ops.workers import Heartbeat, beat


class Command(DbWorkerCommand):
    help = (
        "Run background tasks (as db_worker) and beat every few seconds: the tasks of a worker that "
        "stopped beating (killed, crashed) go back to the queue and another worker runs them."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_id = options["worker_id"]
        beat(worker_id)  # alive before the first claim, so no reaper takes it for dead
        heartbeat = Heartbeat(worker_id)
        heartbeat.start()
        try:
            super().handle(*args, **options)
        finally:
            heartbeat.stop()
