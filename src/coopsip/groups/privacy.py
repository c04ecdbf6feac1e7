"""The personal data of working groups: a person's seats (their answers and reasons) and advisor roles."""

from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.groups.models import OfficeAdvisor, Seat


def _export(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "group": seat.group.key,
            "theme": str(seat.group.theme),
            "role": seat.role,
            "state": seat.state,
            "offered_at": seat.offered_at.isoformat(),
            "answered_at": seat.answered_at.isoformat() if seat.answered_at else None,
            "decline_reason": seat.decline_reason,
            "decline_text": seat.decline_text,
            "commitment_text": seat.commitment_text,
        }
        for seat in Seat.objects.filter(registration__user=user).select_related("group__theme")
    ] + [{"advisor_of": str(advisor.office)} for advisor in OfficeAdvisor.objects.filter(user=user)]


def _erase(user: Any) -> None:
    # Seats go with the registration (cascade); the invitations the person sent stay, without their name.
    OfficeAdvisor.objects.filter(user=user).delete()
    Seat.objects.filter(invited_by=user).update(invited_by=None)


privacy.register("groups", export=_export, erase=_erase, models=("groups.OfficeAdvisor", "groups.Seat"))
