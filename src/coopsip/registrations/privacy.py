from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.core.models import ChangeRecord
from coopsip.registrations.models import Registration, RoleInvitation


def _export(user: Any) -> dict[str, Any]:
    return {"registrations": _registrations(user), "invitations": _invitations(user)}


def _invitations(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "edition": str(i.edition),
            "role": i.role,
            "theme": str(i.theme) if i.theme else None,
            "office": str(i.office) if i.office else None,
            "message": i.message,
            "status": i.status,
            "invited_at": i.created_at.isoformat(),
        }
        for i in RoleInvitation.objects.filter(user=user).select_related("edition", "theme", "office")
    ]


def _registrations(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "edition": str(r.edition),
            "status": r.status,
            "themes": [str(p.theme) for p in r.preferences.all()],
            "mode": r.mode,
            "office": str(r.office) if r.office else None,
            "municipality": str(r.municipality) if r.municipality else None,
            "languages": r.languages,
            "slots": [str(s) for s in r.slots.all()],
            "volunteers_as_moderator": r.volunteers_as_moderator,
            "volunteers_as_secretary": r.volunteers_as_secretary,
            "volunteers_as_board_member": r.volunteers_as_board_member,
            "volunteer_experience": r.volunteer_experience,
            "stakeholder_type": r.stakeholder_type,
            "gender": r.gender,
            "notes": r.notes,
            "commitments": [{"text": c.text, "accepted_at": c.accepted_at.isoformat()} for c in r.commitments.all()],
            "withdrawal_reason": r.withdrawal_reason,
            "registered_at": r.created_at.isoformat(),
        }
        for r in Registration.objects.filter(user=user)
        .select_related("edition", "office", "municipality")
        .prefetch_related("preferences__theme", "slots", "commitments")
    ]


def _erase(user: Any) -> None:
    Registration.objects.filter(user=user).delete()
    RoleInvitation.objects.filter(user=user).delete()
    # The history of registrations the person imported keeps the lines, not the name of their file.
    imported = ChangeRecord.objects.filter(actor=user, action="imported", changes__has_key="file")
    names = {
        str(r.changes["file"]): privacy.neutral_name("registrations-import", r.pk, str(r.changes["file"]))
        for r in imported
    }
    privacy.scrub_history(imported, names)


privacy.register(
    "registrations",
    export=_export,
    erase=_erase,
    models=("registrations.Registration", "registrations.RoleInvitation"),
)


def _invitations_sent(user: Any) -> list[dict[str, Any]]:
    # That the person sent them, not to whom nor the answer: those are the invitee's data.
    return [
        {"edition": str(i.edition), "role": i.role, "sent_at": i.created_at.isoformat()}
        for i in user.role_invitations_sent.select_related("edition")
    ]


# Invitations a staff member sent stay, pointing to the anonymous account.
privacy.register(
    "invitations_sent",
    export=_invitations_sent,
    erase=lambda user: None,
    models=(),
    kept_models=("registrations.RoleInvitation",),
)
