"""The team's side of working groups: the overview of an edition's groups, its CSV, and the team's actions.

Staff act (open the answers, close, merge, move); the board and the offices'
advisors read the same overview (advisors: the groups of their offices).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import is_board_member, is_staff_member, require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.formation import inputs
from coopsip.groups import selectors, services
from coopsip.groups.forms import CloseForm, MergeForm, MoveForm, OverviewFilterForm
from coopsip.groups.models import GroupStatus, OfficeAdvisor, Seat, SeatState, WorkingGroup
from coopsip.places.models import Office
from coopsip.registrations.exports import escape_cell

PAGE_SIZE = 50


def _overview_edition(request: AuthenticatedRequest, slug: str) -> Edition:
    require(request.user, "groups.view_overview")
    return get_object_or_404(Edition, slug=slug)


def _filtered(request: AuthenticatedRequest, edition: Edition) -> tuple[OverviewFilterForm, QuerySet[WorkingGroup]]:
    themes = [(theme.pk, theme.title) for theme in edition.themes.order_by("position")]
    offices = [(str(office.pk), office.name) for office in Office.objects.order_by("name")]
    form = OverviewFilterForm(request.GET or None, themes=themes, offices=offices)
    values = form.cleaned_data if form.is_valid() else {}
    groups = selectors.overview(
        edition=edition,
        now=timezone.now(),
        theme=values.get("theme"),
        office=values.get("office") or "",
        status=values.get("status") or "",
    )
    if not (is_staff_member(request.user) or is_board_member(request.user)):
        # An advisor follows the groups of the offices they advise.
        groups = groups.filter(office__in=OfficeAdvisor.objects.filter(user=request.user).values("office"))
    return form, groups


@login_required
@require_safe
def overview(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _overview_edition(request, slug)
    form, groups = _filtered(request, edition)
    page = Paginator(groups, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    missed = selectors.missed_two_in_a_row(page.object_list, now=now)
    trends = selectors.attendance_trends(page.object_list, now=now)
    rows = [
        {
            "group": group,
            "flags": selectors.flags_of(group, now=now),
            "slot": inputs.slot_label(group.slot),
            "missed": missed.get(group.pk, []),
            "trend": trends.get(group.pk),
        }
        for group in page.object_list
    ]
    query = request.GET.copy()
    query.pop("page", None)
    from coopsip.formation.selectors import published_run

    run = published_run(edition) if is_staff_member(request.user) else None
    context = {
        "edition": edition,
        "form": form,
        "page": page,
        "rows": rows,
        "query": query.urlencode(),
        "can_manage": request.user.has_perm("groups.manage"),
        "run_to_open": run
        if run is not None and not WorkingGroup.objects.filter(proposed_group__run=run).exists()
        else None,
    }
    return render(request, "groups/staff/overview.html", context)


COLUMNS = [
    "code",
    "theme",
    "office",
    "language",
    "slot",
    "status",
    "accepted",
    "pending",
    "declined",
    "min_size",
    "max_size",
    "meetings_held",
    "meetings_planned",
    "attendance_last_meetings",
    "flags",
]
CSV_BATCH = 200


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(groups: QuerySet[WorkingGroup]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    now = timezone.now()
    yield "\ufeff" + writer.writerow(COLUMNS)
    batch: list[WorkingGroup] = []
    for group in groups.iterator(chunk_size=CSV_BATCH):
        batch.append(group)
        if len(batch) == CSV_BATCH:
            yield from _rows(writer, batch, now=now)
            batch = []
    yield from _rows(writer, batch, now=now)


def _rows(writer: Any, groups: list[WorkingGroup], *, now: Any) -> Iterator[str]:
    """The CSV lines of a batch of groups, with their attendance trends read in one query."""
    trends = selectors.attendance_trends(groups, now=now)
    for group in groups:
        trend = trends.get(group.pk)
        row = [
            group.key,
            group.theme.title,
            group.office.name if group.office is not None else _("by video"),
            group.language,
            inputs.slot_label(group.slot),
            group.get_status_display(),
            group.accepted,  # type: ignore[attr-defined]
            group.pending,  # type: ignore[attr-defined]
            group.declined,  # type: ignore[attr-defined]
            group.min_size,
            group.max_size,
            group.held,  # type: ignore[attr-defined]
            group.planned,  # type: ignore[attr-defined]
            " ".join(f"{share}%" for share in trend.shares) if trend is not None else "",
            " | ".join(selectors.flags_of(group, now=now)),
        ]
        yield writer.writerow([escape_cell(str(value)) for value in row])


@login_required
@require_safe
def export(request: AuthenticatedRequest, slug: str) -> StreamingHttpResponse:
    """The overview as CSV (the filters apply), streamed row by row."""
    edition = _overview_edition(request, slug)
    _form, groups = _filtered(request, edition)
    response = StreamingHttpResponse(_lines(groups), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="working-groups-{edition.slug}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def open_answers(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Ask everyone of the published proposal to accept or decline their group by the deadline."""
    require(request.user, "groups.manage")
    edition = get_object_or_404(Edition, slug=slug)
    from coopsip.formation.selectors import published_run

    run = published_run(edition)
    if run is None:
        messages.error(request, _("This edition has no published proposal."))
    else:
        try:
            asked = services.open_answers(by=request.user, run=run)
        except services.GroupRefused as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("%(count)s people were asked to answer.") % {"count": asked})
    return see_other(reverse("groups_staff:overview", kwargs={"slug": edition.slug}))


def _managed_group(request: AuthenticatedRequest, pk: int) -> WorkingGroup:
    require(request.user, "groups.manage")
    return get_object_or_404(WorkingGroup.objects.select_related("edition", "theme", "office", "circle"), pk=pk)


def _people(group: WorkingGroup) -> list[Seat]:
    return list(
        group.seats.filter(state__in=(SeatState.OFFERED, SeatState.ACCEPTED)).select_related("registration__user")
    )


@login_required
@require_http_methods(["GET", "POST"])
def close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Close a group: the page lists who is told; the POST with a reason closes it."""
    group = _managed_group(request, pk)
    form = CloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.close_group(by=request.user, group=group, reason=form.cleaned_data["reason"])
        except services.GroupRefused as refused:
            form.add_error(None, refused.message)
        else:
            messages.success(request, _("The group is closed and its members were told."))
            return see_other(reverse("groups_staff:overview", kwargs={"slug": group.edition.slug}))
    context = {"group": group, "form": form, "people": _people(group)}
    return render(request, "groups/staff/close.html", context, status=400 if form.errors else 200)


def _merge_targets(group: WorkingGroup) -> QuerySet[WorkingGroup]:
    return (
        WorkingGroup.objects.filter(edition=group.edition, theme=group.theme)
        .exclude(Q(pk=group.pk) | Q(status=GroupStatus.CLOSED))
        .select_related("theme", "office")
    )


@login_required
@require_http_methods(["GET", "POST"])
def merge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Merge a small group into another of the same theme; everyone of both is told."""
    group = _managed_group(request, pk)
    form = MergeForm(request.POST or None, targets=_merge_targets(group))
    if request.method == "POST" and form.is_valid():
        try:
            target = services.merge_groups(by=request.user, source=group, target=form.cleaned_data["target"])
        except services.GroupRefused as refused:
            form.add_error(None, refused.message)
        except services.GroupBusy:
            form.add_error(None, _("The group is being changed right now: try again in a moment."))
        else:
            messages.success(request, _("The groups are merged and their members were told."))
            return see_other(reverse("groups:detail", kwargs={"pk": target.pk}))
    context = {"group": group, "form": form, "people": _people(group)}
    return render(request, "groups/staff/merge.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Move a person who accepted into another active group of the edition; they are told."""
    require(request.user, "groups.manage")
    seat = get_object_or_404(Seat.objects.select_related("group__edition", "group__theme", "registration__user"), pk=pk)
    targets = (
        WorkingGroup.objects.filter(edition=seat.group.edition, status=GroupStatus.ACTIVE)
        .exclude(pk=seat.group_id)
        .select_related("theme", "office")
    )
    form = MoveForm(request.POST or None, targets=targets)
    if request.method == "POST" and form.is_valid():
        try:
            moved = services.move_person(by=request.user, seat=seat, to_group=form.cleaned_data["to_group"])
        except services.GroupRefused as refused:
            form.add_error(None, refused.message)
        except services.GroupBusy:
            form.add_error(None, _("The group is being changed right now: try again in a moment."))
        else:
            messages.success(request, _("The person was moved and told."))
            return see_other(reverse("groups:detail", kwargs={"pk": moved.group_id}))
    context: dict[str, Any] = {"seat": seat, "group": seat.group, "form": form}
    return render(request, "groups/staff/move.html", context, status=400 if form.errors else 200)
