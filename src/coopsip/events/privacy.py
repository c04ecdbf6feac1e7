from __future__ import annotations

from typing import Any

from django.utils import timezone

from coopsip.core import privacy
from coopsip.events.models import SEATED, CalendarFeed, CircleMember, SignUp, SignUpStatus


def _export(user: Any) -> dict[str, Any]:
    return {
        "sign_ups": [
            {
                "event": str(s.event),
                "starts_at": s.event.starts_at.isoformat(),
                "status": s.status,
                "signed_up_at": s.created_at.isoformat(),
            }
            for s in SignUp.objects.filter(user=user).select_related("event")
        ],
        "groups": [
            {"group": str(m.circle), "role": m.role, "joined_at": m.joined_at.isoformat()}
            for m in CircleMember.objects.filter(user=user).select_related("circle")
        ],
    }


def _erase(user: Any) -> None:
    from coopsip.events.services import cancel_sign_up_in_transaction

    # Seats at coming events go to the people waiting, as when the person cancels.
    upcoming = SignUp.objects.filter(
        user=user, status__in=(*SEATED, SignUpStatus.WAITING), event__starts_at__gt=timezone.now()
    ).values_list("pk", flat=True)
    now = timezone.now()
    for signup_id in list(upcoming):
        cancel_sign_up_in_transaction(signup_id=signup_id, now=now)
    SignUp.objects.filter(user=user).delete()
    # Sign-ups made without logging in, under the same address, are the person's too.
    SignUp.objects.filter(user__isnull=True, email__iexact=user.email).delete()
    CircleMember.objects.filter(user=user).delete()
    CalendarFeed.objects.filter(user=user).delete()


privacy.register(
    "events",
    export=_export,
    erase=_erase,
    models=("events.SignUp", "events.CircleMember", "events.CalendarFeed"),
    # What a person organised, recorded or uploaded stays, without their name.
    kept_models=("events.Event", "events.Series", "events.SignUp", "events.MinutesAttachment"),
)
