"""Background work of the events engine that is planned for a moment (the reminders live in notifications)."""

from __future__ import annotations

from django.utils import timezone

from coopsip.core.taskqueue import task
from coopsip.events import services


@task(queue_name="default")
def release_lapsed_seat_holds(event_id: int) -> int:
    """At the moment a visitor's kept seat lapses, give it to the first person waiting; returns how many moved."""
    return services.release_lapsed_holds(now=timezone.now(), event_id=event_id)
