"""The page where an invitee answers an invitation to moderate or act as secretary.

Only the invitee may see it: to anyone else, logged in or staff, the
invitation does not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coopsip.core.http import AuthenticatedRequest
from coopsip.registrations.invitations import InvitationRefused, answer_invitation
from coopsip.registrations.models import Registration, RoleInvitation

ANSWERS = {"accept": True, "decline": False}


def _invitation_for(request: AuthenticatedRequest, token: str) -> RoleInvitation:
    invitation = (
        RoleInvitation.objects.select_related("edition", "theme", "office", "invited_by").filter(token=token).first()
    )
    if invitation is None or not request.user.has_perm("registrations.answer_invitation", invitation):
        raise Http404
    return invitation


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: AuthenticatedRequest, token: str) -> HttpResponse:
    invitation = _invitation_for(request, token)
    error = ""
    if request.method == "POST":
        answer = request.POST.get("answer", "")
        if answer not in ANSWERS:
            error = _("Choose to accept or to decline.")
        else:
            try:
                answer_invitation(invitation=invitation, user=request.user, accept=ANSWERS[answer])
            except InvitationRefused as refused:
                error = " ".join(refused.errors.values())
            else:
                if ANSWERS[answer]:
                    messages.success(request, _("Thank you! The team will contact you about the group."))
                else:
                    messages.success(request, _("Your answer is recorded. Thank you for letting us know."))
                return redirect("invitations:detail", token=invitation.token)
        invitation.refresh_from_db()
    registered = Registration.objects.filter(edition=invitation.edition, user=request.user).exists()
    context = {"invitation": invitation, "error": error, "registered": registered}
    return render(request, "registrations/invitation.html", context, status=400 if error else 200)
