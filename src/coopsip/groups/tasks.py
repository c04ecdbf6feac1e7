"""Background work of working groups: deadlines and reminders, backfilling a freed seat.

Each task loads by id and calls one service; each is safe to run twice (the
services check the state under a lock, and emails carry idempotent keys).
"""

from __future__ import annotations

from django.utils import timezone

from coopsip.core.taskqueue import task
from coopsip.groups import services


@task(queue_name="default")
def process_answers() -> dict[str, int]:
    """Send the reminders that are due, expire the answers past their deadline, free the seats of people who
    withdrew (cron runs it as a safety net)."""
    now = timezone.now()
    return {
        "reminded": services.remind_due(now=now),
        "expired": services.expire_overdue(now=now),
        "released": services.release_withdrawn(now=now),
    }


@task(queue_name="default")
def backfill_group(group_id: int) -> dict[str, object]:
    """Offer a group's freed seats to the best-fitting people without a group, one person per seat."""
    result = services.backfill(group_id=group_id)
    return {"offered": result.offered, "missing_role": result.missing_role}


@task(queue_name="default")
def offer_waiting_seat(registration_id: int, tell: bool = True) -> dict[str, object]:
    """Offer a person on the waiting list a free seat that fits them, or (``tell``) tell them why there is none."""
    seat = services.offer_waiting_seat(registration_id=registration_id, tell=tell)
    return {"offered": seat.group_id if seat is not None else None}
