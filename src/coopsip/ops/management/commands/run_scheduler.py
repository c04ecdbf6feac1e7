"""`manage.py run_scheduler`: the periodic work of the site, in one long-running process.

Every job is a management command that is safe to run twice (each says so in its help and tests):
a scheduler restarted, or a systemd timer running the same command beside it, repeats nothing.
"""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as clock
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from coopsip.ops.workers import reap_dead_workers

logger = logging.getLogger(__name__)


@dataclass
class Job:
    command: str
    every_seconds: int = 0  # 0: daily at ``at``
    at: clock | None = None
    args: tuple[str, ...] = ()
    last_run: datetime | None = field(default=None, compare=False)

    def due(self, now: datetime) -> bool:
        if self.every_seconds:
            return self.last_run is None or (now - self.last_run).total_seconds() >= self.every_seconds
        assert self.at is not None
        local = timezone.localtime(now)
        ran_today = self.last_run is not None and timezone.localtime(self.last_run).date() == local.date()
        return local.time() >= self.at and not ran_today


def schedule() -> list[Job]:
    """What runs when (times in TIME_ZONE, Europe/Brussels); docs/operations.md lists the same."""
    return [
        Job("send_queued_emails", every_seconds=15 * 60),
        Job("send_event_reminders", every_seconds=15 * 60),
        Job("process_group_answers", every_seconds=15 * 60),
        Job("close_consent_rounds", every_seconds=15 * 60),
        Job("seal_closed_ballots", every_seconds=15 * 60),
        Job("send_networking_emails", at=clock(9, 0)),
        Job("send_notification_digests", at=clock(17, 0)),
        Job("prune_db_task_results", at=clock(3, 0)),
        Job("clearsessions", at=clock(3, 10)),
        Job("axes_reset_failure_logs", at=clock(3, 20), args=("--age", "30")),
        Job("build_open_data", at=clock(3, 30)),
    ]


class Command(BaseCommand):
    help = (
        "Run the periodic work (emails waiting, reminders, answers due, digests, pruning) on time, and give "
        "back to the queue the tasks of dead workers. Runs until stopped."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--tick", type=float, default=10.0, help="Seconds between two looks at the clock.")
        parser.add_argument("--once", action="store_true", help="Run what is due now, then stop.")

    def handle(self, *args: Any, tick: float, once: bool, **options: Any) -> None:
        jobs = schedule()
        running = True

        def stop(signum: int, frame: Any) -> None:
            nonlocal running
            running = False

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Scheduler started: {', '.join(job.command for job in jobs)}.")
        while running:
            close_old_connections()
            try:
                reaped = reap_dead_workers()
                if reaped:
                    self.stdout.write(f"{reaped} task(s) of stopped workers back in the queue.")
            except Exception:
                logger.exception("Reaping dead workers failed")
            for job in jobs:
                now = timezone.now()
                if not running or not job.due(now):
                    continue
                job.last_run = now
                started = time.monotonic()
                try:
                    call_command(job.command, *job.args, stdout=self.stdout, stderr=self.stderr)
                except Exception:  # one failing job must not stop the others
                    logger.exception("Scheduled job %s failed", job.command)
                else:
                    self.stdout.write(f"{job.command} done in {time.monotonic() - started:.1f} s.")
            if once:
                break
            deadline = time.monotonic() + tick
            while running and time.monotonic() < deadline:
                time.sleep(min(1.0, tick))
