"""Staff invite a person to moderate or to act as secretary in an edition; the person accepts or declines.

The invitation carries a random token; the email links to
/<language>/invitations/<token>/, a page only the invitee can open (anyone
else gets 404, so an invitation is never revealed). Accepting marks the
person's registration for the edition, if they have one, as volunteering for
the role.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopsip.core.audit import record_change
from coopsip.core.mail import queue_email
from coopsip.editions.models import Edition, Theme
from coopsip.places.models import Office
from coopsip.registrations.models import InvitationStatus, Registration, RoleInvitation, VolunteerRole

_VOLUNTEER_FIELD = {
    VolunteerRole.MODERATOR: "volunteers_as_moderator",
    VolunteerRole.SECRETARY: "volunteers_as_secretary",
}


class InvitationRefused(Exception):
    """``errors`` maps form field names (or "" for the whole request) to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def invitation_path(invitation: RoleInvitation, *, language: str) -> str:
    with translation.override(language):
        return reverse("invitations:detail", kwargs={"token": invitation.token})


def invite_to_role(
    *,
    edition: Edition,
    user: Any,
    role: str,
    invited_by: Any,
    theme: Theme | None = None,
    office: Office | None = None,
    message: str = "",
) -> RoleInvitation:
    """Invite ``user`` to take ``role`` in ``edition``, optionally for a theme and an office.

    Refuses (InvitationRefused) a closed account, a theme of another edition
    and a second pending invitation to the same role (a double click sends
    one). The email goes out in the invitee's language once the transaction
    commits, keyed on the invitation so that it is never sent twice.
    """
    errors: dict[str, str] = {}
    if role not in VolunteerRole.values:
        errors["role"] = _("Choose moderator or secretary.")
    if theme is not None and theme.edition_id != edition.pk:
        errors["theme"] = _("This theme is not a theme of the edition.")
    if not user.is_active or user.deleted_at is not None:
        errors["email"] = _("This account is closed.")
    if errors:
        raise InvitationRefused(errors)
    already = _("%(person)s already has an invitation to this role that waits for an answer.") % {"person": user}
    with transaction.atomic():
        if RoleInvitation.objects.filter(
            edition=edition, user=user, role=role, status=InvitationStatus.PENDING
        ).exists():
            raise InvitationRefused({"email": already})
        try:
            with transaction.atomic():
                invitation = RoleInvitation.objects.create(
                    edition=edition,
                    user=user,
                    role=role,
                    theme=theme,
                    office=office,
                    message=message.strip()[:2000],
                    token=secrets.token_urlsafe(32),
                    invited_by=invited_by,
                )
        except IntegrityError:  # the same invitation sent twice at the same moment
            raise InvitationRefused({"email": already}) from None
        record_change(
            actor=invited_by,
            obj=invitation,
            action="created",
            changes={"role": role, "theme": str(theme or ""), "office": str(office or "")},
        )
        _send_invitation(invitation)
    return invitation


def _send_invitation(invitation: RoleInvitation) -> None:
    user = invitation.user
    language = user.preferred_language
    with translation.override(language):
        context = {
            "invitation": invitation,
            "user": user,
            "role": invitation.get_role_display(),
            "link": settings.SITE_URL + invitation_path(invitation, language=language),
        }
        subject = render_to_string("registrations/email/invitation_subject.txt", context).strip()
        body = render_to_string("registrations/email/invitation.txt", context)
    queue_email(key=f"role-invitation:{invitation.pk}", to_email=user.email, subject=subject, body_text=body, user=user)


def answer_invitation(*, invitation: RoleInvitation, user: Any, accept: bool) -> RoleInvitation:
    """Accept or decline ``invitation``: only its invitee, only once, only while it waits for an answer.

    Accepting also marks the invitee's registration for the edition (any
    status), if there is one, as volunteering for the role. Raises
    InvitationRefused otherwise, and changes nothing.
    """
    with transaction.atomic():
        invitation = RoleInvitation.objects.select_for_update().select_related("edition").get(pk=invitation.pk)
        if invitation.user_id != user.pk:
            raise InvitationRefused({"": _("This invitation is for someone else.")})
        if invitation.status != InvitationStatus.PENDING:
            raise InvitationRefused({"": _("You already answered this invitation.")})
        if invitation.edition.status == "closed":
            raise InvitationRefused({"": _("This edition is over: the invitation can no longer be answered.")})
        now = timezone.now()
        invitation.status = InvitationStatus.ACCEPTED if accept else InvitationStatus.DECLINED
        invitation.answered_at = now
        invitation.save(update_fields=["status", "answered_at"])
        if accept:
            Registration.objects.filter(edition=invitation.edition, user=user).update(
                **{_VOLUNTEER_FIELD[VolunteerRole(invitation.role)]: True}, updated_at=now
            )
        record_change(actor=user, obj=invitation, action=invitation.status)
    return invitation
