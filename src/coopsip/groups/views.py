"""The member side of working groups: my proposal (accept or decline), the group's page, inviting someone.

A person reaches their proposal through the edition and their own account,
never through an id; a group's page and a seat are checked against the
access rules (``core.access``) before anything is shown or changed.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.editions.selectors import edition_for_public, timeline_rows
from coopsip.formation import inputs
from coopsip.groups import selectors, services
from coopsip.groups.forms import AcceptForm, DeclineForm, InviteForm, WaitingListForm
from coopsip.groups.models import GroupStatus, Seat, SeatState, WorkingGroup
from coopsip.registrations.commitments import commitment_texts
from coopsip.registrations.models import CommitmentKind


def _edition(slug: str) -> Edition:
    edition = edition_for_public(slug=slug)
    if edition is None:
        raise Http404
    return edition


def _proposal_page(
    request: AuthenticatedRequest,
    edition: Edition,
    *,
    accept_form: AcceptForm | None = None,
    decline_form: DeclineForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    proposal = selectors.proposal_for(user=request.user, edition=edition)
    commitment = commitment_texts(edition)[CommitmentKind.WHOLE_PERIOD]
    seat = proposal.seat
    context: dict[str, Any] = {
        "edition": edition,
        "proposal": proposal,
        "seat": seat,
        "group": seat.group if seat is not None else None,
        "slot": inputs.slot_label(seat.group.slot) if seat is not None else "",
        "timeline": timeline_rows(phases=list(edition.phases.all()), moment=timezone.now()),
        "accept_form": accept_form or AcceptForm(commitment=commitment),
        "decline_form": decline_form or DeclineForm(),
        "error": error,
        "waiting": _waiting_choice(proposal.registration, seat, edition),
        "answerable": seat is not None
        and seat.state == SeatState.OFFERED
        and seat.group.status != GroupStatus.CLOSED
        and timezone.now() <= seat.deadline,
        "deadline_passed": seat is not None and seat.state == SeatState.OFFERED and timezone.now() > seat.deadline,
    }
    return render(request, "groups/proposal.html", context, status=status)


def _waiting_choice(registration: Any, seat: Seat | None, edition: Edition) -> str:
    """ "join" or "leave" the waiting list, as the person may now; "" when it does not apply."""
    if registration is None or (seat is not None and seat.holds_place):
        return ""
    if not WorkingGroup.objects.filter(edition=edition).exists():
        return ""
    if registration.status in services.REJOINING:
        return "join"
    return "leave" if registration.status in services.SEEKING else ""


@login_required
@require_safe
def proposal(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """My proposed group in this edition: what it is, and accept or decline it."""
    return _proposal_page(request, _edition(slug))


def _own_seat(request: AuthenticatedRequest, pk: int) -> Seat:
    seat = get_object_or_404(Seat.objects.select_related("registration", "group__edition"), pk=pk)
    require(request.user, "groups.answer", seat)
    return seat


@login_required
@require_POST
def accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    seat = _own_seat(request, pk)
    edition = seat.group.edition
    commitment = commitment_texts(edition)[CommitmentKind.WHOLE_PERIOD]
    form = AcceptForm(request.POST, commitment=commitment)
    if not form.is_valid():
        return _proposal_page(request, edition, accept_form=form, status=400)
    try:
        seat = services.accept_seat(
            seat_id=seat.pk,
            user=request.user,
            commitment_text=commitment,
            share_contact=form.cleaned_data["share_contact"],
        )
    except services.GroupRefused as refused:
        return _proposal_page(request, edition, error=refused.message, status=400)
    except services.GroupBusy:
        return _proposal_page(
            request, edition, error=_("Many people answer right now: try again in a moment."), status=503
        )
    seat.group.refresh_from_db()
    if seat.group.status == GroupStatus.ACTIVE:
        messages.success(request, _("You accepted: welcome to your working group."))
        return see_other(reverse("groups:detail", kwargs={"pk": seat.group_id}))
    messages.success(
        request,
        _(
            "You accepted. The group starts as soon as the people who coordinate it and enough members have "
            "accepted; we will email you."
        ),
    )
    return see_other(reverse("groups:proposal", kwargs={"slug": edition.slug}))


@login_required
@require_POST
def decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    seat = _own_seat(request, pk)
    edition = seat.group.edition
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, edition, decline_form=form, status=400)
    try:
        services.decline_seat(
            seat_id=seat.pk,
            user=request.user,
            reason=form.cleaned_data["reason"],
            text=form.cleaned_data["text"],
            keep_waiting=form.cleaned_data["keep_waiting"],
        )
    except services.GroupRefused as refused:
        return _proposal_page(request, edition, error=refused.message, status=400)
    except services.GroupBusy:
        return _proposal_page(
            request, edition, error=_("Many people answer right now: try again in a moment."), status=503
        )
    messages.success(
        request, _("You declined the group. Thank you for telling us why: your seat goes to someone else.")
    )
    if form.cleaned_data["keep_waiting"]:
        messages.info(request, _("You are on the waiting list: we email you about a seat in another group."))
    return see_other(reverse("groups:proposal", kwargs={"slug": edition.slug}))


@login_required
@require_POST
def waiting_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Put myself on the waiting list for a freed seat, or take myself off it (my own registration only)."""
    edition = _edition(slug)
    form = WaitingListForm(request.POST)
    if not form.is_valid():
        return _proposal_page(request, edition, error=_("Choose whether to stay on the waiting list."), status=400)
    try:
        if form.cleaned_data["stay"] == "yes":
            services.join_waiting_list(user=request.user, edition=edition)
            messages.success(
                request,
                _("You are on the waiting list: when a seat frees up in a group that fits you, we email you."),
            )
        else:
            services.leave_waiting_list(user=request.user, edition=edition)
            messages.success(
                request, _("You left the waiting list. Your registration stays; you can come back on the list.")
            )
    except services.GroupRefused as refused:
        return _proposal_page(request, edition, error=refused.message, status=400)
    return see_other(reverse("groups:proposal", kwargs={"slug": edition.slug}))


def _visible_group(request: AuthenticatedRequest, pk: int) -> WorkingGroup:
    group = get_object_or_404(WorkingGroup.objects.select_related("edition", "theme", "office", "circle"), pk=pk)
    require(request.user, "groups.view_group", group)
    return group


def _group_page(
    request: AuthenticatedRequest, group: WorkingGroup, *, invite_form: InviteForm | None = None, status: int = 200
) -> HttpResponse:
    now = timezone.now()
    meetings = selectors.meetings_of(group)
    phases = list(group.edition.phases.all())
    context = {
        "group": group,
        "edition": group.edition,
        "slot": inputs.slot_label(group.slot),
        "members": selectors.members_of(group),
        "pending": group.seats.filter(state=SeatState.OFFERED).count(),
        "past": [m for m in meetings if m.starts_at < now],
        "coming": [m for m in meetings if m.starts_at >= now],
        "timeline": timeline_rows(phases=phases, moment=now),
        "progress": selectors.phase_progress(phases, meetings, now=now),
        "can_invite": request.user.has_perm("groups.invite", group) and group.status == GroupStatus.ACTIVE,
        "can_manage": request.user.has_perm("groups.manage"),
        "invite_form": invite_form or InviteForm(),
        "circle": group.circle,
    }
    return render(request, "groups/detail.html", context, status=status)


@login_required
@require_safe
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The group's page: its members and roles, its meetings, where the edition stands, its space."""
    return _group_page(request, _visible_group(request, pk))


@login_required
@require_POST
def invite(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The moderator or secretary offers a seat to a member they name; the person accepts the commitment first."""
    group = get_object_or_404(WorkingGroup.objects.select_related("edition", "theme", "office", "circle"), pk=pk)
    require(request.user, "groups.invite", group)
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            seat = services.invite(by=request.user, group=group, identifier=form.cleaned_data["identifier"])
        except services.GroupRefused as refused:
            form.add_error("identifier", refused.message)
        except services.GroupBusy:
            form.add_error("identifier", _("The group is being changed right now: try again in a moment."))
        else:
            name = seat.registration.user.get_full_name() or seat.registration.user.email
            messages.success(
                request, _("%(name)s is invited: they accept the commitment before joining.") % {"name": name}
            )
            return see_other(reverse("groups:detail", kwargs={"pk": group.pk}))
    return _group_page(request, group, invite_form=form, status=400)
