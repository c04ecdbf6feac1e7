from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.notifications.models import NotificationPreference, PendingNotification


def _export(user: Any) -> dict[str, Any]:
    return {
        "preferences": [
            {"topic": p.topic, "emails": p.delivery} for p in NotificationPreference.objects.filter(user=user)
        ],
        "waiting_for_digest": [
            {"subject": n.subject, "created_at": n.created_at.isoformat(), "sent": bool(n.digest_key)}
            for n in PendingNotification.objects.filter(user=user)
        ],
    }


def _erase(user: Any) -> None:
    NotificationPreference.objects.filter(user=user).delete()
    PendingNotification.objects.filter(user=user).delete()


privacy.register(
    "notifications",
    export=_export,
    erase=_erase,
    models=("notifications.NotificationPreference", "notifications.PendingNotification"),
)
