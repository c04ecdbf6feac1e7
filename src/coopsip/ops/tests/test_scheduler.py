"""The scheduler runs each periodic command on time, once per period, and every command it names exists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as clock

from django.core.management import get_commands

from coopsip.ops.management.commands.run_scheduler import Job, schedule


def test_every_scheduled_command_exists() -> None:
    commands = get_commands()
    assert [job.command for job in schedule() if job.command not in commands] == []


def test_a_job_every_fifteen_minutes_runs_at_start_then_after_fifteen_minutes() -> None:
    job = Job("send_queued_emails", every_seconds=15 * 60)
    start = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
    assert job.due(start)
    job.last_run = start
    assert not job.due(start + timedelta(minutes=14))
    assert job.due(start + timedelta(minutes=15))


def test_a_daily_job_runs_once_a_day_after_its_hour_in_brussels() -> None:
    job = Job("send_notification_digests", at=clock(17, 0))
    assert not job.due(datetime(2026, 12, 3, 15, 59, tzinfo=UTC))  # 16:59 in Brussels
    assert job.due(datetime(2026, 12, 3, 16, 0, tzinfo=UTC))
    job.last_run = datetime(2026, 12, 3, 16, 0, tzinfo=UTC)
    assert not job.due(datetime(2026, 12, 3, 22, 0, tzinfo=UTC))
    assert job.due(datetime(2026, 12, 4, 16, 5, tzinfo=UTC))
