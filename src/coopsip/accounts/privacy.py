"""The personal data of the accounts app and of the account libraries it uses."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType

from coopsip.core import privacy


def _export_profile(user: Any) -> dict[str, Any]:
    return {
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "preferred_language": user.preferred_language,
        "office": str(user.office) if user.office else None,
        "municipality": str(user.municipality) if user.municipality else None,
        "languages_spoken": user.languages_spoken,
        "gender": user.gender,
        "stakeholder_type": user.stakeholder_type,
        "volunteers_as_board_member": user.volunteers_as_board_member,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "groups": sorted(user.groups.values_list("name", flat=True)),
    }


def _erase_profile(user: Any) -> None:
    # The user row itself is blanked by accounts.services.delete_account.
    pass


def _export_login(user: Any) -> dict[str, Any]:
    return {
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=user)
        ],
        "authenticators": [
            {"type": a.type, "created_at": a.created_at.isoformat()} for a in Authenticator.objects.filter(user=user)
        ],
        "sessions": [
            {"ip": s.ip, "user_agent": s.user_agent, "created_at": s.created_at.isoformat()}
            for s in UserSession.objects.filter(user=user)
        ],
        "login_attempts": [
            {"ip": a.ip_address, "at": a.attempt_time.isoformat()}
            for a in AccessLog.objects.filter(username__iexact=user.email)
        ],
    }


def _erase_login(user: Any) -> None:
    for session in UserSession.objects.filter(user=user):
        session.end()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # The admin's history of changes *to this account* names the person.
    LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(user), object_id=str(user.pk)).delete()
    AccessAttempt.objects.filter(username__iexact=user.email).delete()
    AccessLog.objects.filter(username__iexact=user.email).delete()
    AccessFailureLog.objects.filter(username__iexact=user.email).delete()


def _export_admin_actions(user: Any) -> list[dict[str, Any]]:
    # Neither the object's title nor the admin's change message: both may name other people
    # (a person's account, the registration of an inline).
    actions = {ADDITION: "added", CHANGE: "changed", DELETION: "deleted"}
    return [
        {
            "at": e.action_time.isoformat(),
            "action": actions.get(e.action_flag, str(e.action_flag)),
            "kind": privacy.kind_of(e.content_type) if e.content_type else None,
            "number": e.object_id,
        }
        for e in LogEntry.objects.filter(user=user).select_related("content_type")
    ]


privacy.register("profile", export=_export_profile, erase=_erase_profile, models=())
privacy.register(
    "login",
    export=_export_login,
    erase=_erase_login,
    models=("account.EmailAddress", "mfa.Authenticator", "usersessions.UserSession"),
)
# The admin's history of changes made by a staff member is kept, pointing to
# the anonymous account: it records what happened to others' data, not theirs.
privacy.register(
    "admin_actions",
    export=_export_admin_actions,
    erase=lambda user: None,
    models=(),
    kept_models=("admin.LogEntry",),
)
