"""Scheduled work of the networking app, idempotent: running twice sends nothing twice."""

from __future__ import annotations

from coopsip.core.taskqueue import task
from coopsip.networking import digests, services


@task(queue_name="email")
def send_networking_emails() -> str:
    """Reminders of offers and needs that end within a week, and the saved searches' digests that are due."""
    reminded = services.send_expiry_reminders()
    told = digests.send_saved_search_digests()
    return f"{reminded} reminders, {told} saved-search digests"
