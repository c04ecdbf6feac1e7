"""Staff pages of group formation, at /<language>/staff/formation/: an edition's runs, one run with its
progress and then its proposed groups and the people left out (move, lock, re-run, publish), and two runs
compared.

Every view checks ``formation.manage`` first and then finds its object (404
when unknown). Every change is a POST that calls one service and answers 303
with a message; a refused change shows the run again with the reasons (400).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.formation import services
from coopsip.formation.inputs import slot_label
from coopsip.formation.models import FormationRun, MemberRole, ProposedGroup, ProposedMember, RunStatus
from coopsip.formation.reasons import Names, unplaced_text
from coopsip.formation.services import FormationRefused, MoveBreaksRules
from coopsip.formation.staff_forms import CompareForm, MoveForm
from coopsip.registrations.models import Registration

ROLE_ORDER = {MemberRole.MODERATOR: 0, MemberRole.SECRETARY: 1, MemberRole.PARTICIPANT: 2}

# The report's figures shown in a run's summary and in the comparison: key, label, kind.
FIGURES: list[tuple[str, Promise, str]] = [
    ("registrants", gettext_lazy("People"), "count"),
    ("groups", gettext_lazy("Groups"), "count"),
    ("share_assigned", gettext_lazy("Share with a group"), "share"),
    ("share_first_choice", gettext_lazy("Share with their first choice"), "share"),
    ("share_top_two", gettext_lazy("Share with one of their two first choices"), "share"),
    ("travel_km_mean", gettext_lazy("Mean travel to the office (km)"), "number"),
    ("violations", gettext_lazy("Broken rules"), "count"),
    ("gap", gettext_lazy("Gap to the best possible (bound)"), "share"),
    ("seconds", gettext_lazy("Time taken (seconds)"), "number"),
]


@dataclass(frozen=True)
class Alert:
    title: str
    reasons: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class GroupRow:
    group: ProposedGroup
    members: list[ProposedMember]
    slot: str


def _edition_for(request: AuthenticatedRequest, slug: str) -> Edition:
    require(request.user, "formation.manage")
    return get_object_or_404(Edition, slug=slug)


def _run_for(request: AuthenticatedRequest, pk: int) -> FormationRun:
    require(request.user, "formation.manage")
    runs = FormationRun.objects.select_related("edition", "started_by", "published_by", "previous")
    return get_object_or_404(runs, pk=pk)


def _run_url(run: FormationRun, anchor: str = "") -> str:
    url = reverse("formation_staff:run", kwargs={"pk": run.pk})
    return f"{url}#{anchor}" if anchor else url


def _name(registration: Registration) -> str:
    return registration.user.get_full_name() or registration.user.email


def _figure(report: dict[str, Any], key: str, kind: str) -> str:
    value = report.get(key)
    if value is None:
        return "—"
    # number_format cuts decimals off; round first.
    if kind == "share":
        return f"{number_format(round(value * 100, 1), 1)} %"
    if kind == "number":
        return str(number_format(round(value, 2), 2))
    return str(value)


def _figures(report: dict[str, Any]) -> list[tuple[Promise, str]]:
    return [(label, _figure(report, key, kind)) for key, label, kind in FIGURES]


# --- Runs of an edition ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def runs(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition_for(request, slug)
    if request.method == "POST":
        run = services.start_run(by=request.user, edition=edition)
        messages.success(request, _("Run %(number)s is started.") % {"number": run.number})
        return see_other(_run_url(run))
    context = {"edition": edition, "runs": FormationRun.objects.filter(edition=edition).select_related("started_by")}
    return render(request, "formation/staff/runs.html", context)


# --- One run ------------------------------------------------------------------------


def _review(run: FormationRun) -> dict[str, Any]:
    """The proposal of a finished run: groups per theme × office, and the people left out with the reason."""
    members = ProposedMember.objects.select_related("registration__user")
    groups = run.groups.select_related("theme", "office").prefetch_related(Prefetch("members", queryset=members))
    rows = [
        GroupRow(
            group=group,
            members=sorted(group.members.all(), key=lambda m: (ROLE_ORDER[MemberRole(m.role)], _name(m.registration))),
            slot=slot_label(group.slot),
        )
        for group in groups
    ]
    sections = []
    for _cell, grouped in groupby(rows, key=lambda row: (row.group.theme_id, row.group.office_id)):
        items = list(grouped)
        sections.append({"theme": items[0].group.theme, "office": items[0].group.office, "groups": items})
    unplaced = list(run.unplaced.select_related("registration__user").order_by("registration__user__last_name", "pk"))
    names = Names({str(person.registration_id): person.registration for person in unplaced})
    return {
        "sections": sections,
        "unplaced": [(person, unplaced_text(person.code, person.params, names)) for person in unplaced],
        "group_choices": [(row.group.pk, f"{row.group.key} — {row.group.theme.title}, {row.slot}") for row in rows],
        "roles": MemberRole.choices,
    }


def _run_page(request: AuthenticatedRequest, run: FormationRun, *, alert: Alert | None = None) -> HttpResponse:
    context: dict[str, Any] = {
        "run": run,
        "edition": run.edition,
        "alert": alert,
        "figures": _figures(run.report),
        "editable": run.status == RunStatus.DONE and run.published_at is None,
    }
    if run.status == RunStatus.DONE:
        context |= _review(run)
    return render(request, "formation/staff/run.html", context, status=400 if alert else 200)


@login_required
@require_safe
def run(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    formation_run = _run_for(request, pk)
    if request.htmx and request.htmx.target == "progress":
        # The progress bar polls; once the run has finished, the whole page shows the result.
        if formation_run.is_finished:
            return HttpResponseClientRefresh()
        response = render(request, "formation/staff/run.html#progress", {"run": formation_run})
    else:
        response = _run_page(request, formation_run)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_POST
def move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    formation_run = _run_for(request, pk)
    form = MoveForm(request.POST, run=formation_run)
    if not form.is_valid():
        problems = [f"{form.fields[name].label}: {errors[0]}" for name, errors in form.errors.items()]
        return _run_page(request, formation_run, alert=Alert(_("The move could not be made."), problems))
    registration, group, role = (form.cleaned_data[name] for name in ("registration", "group", "role"))
    try:
        services.move_member(by=request.user, run=formation_run, registration=registration, to_group=group, role=role)
    except MoveBreaksRules as broken:
        title = _("Moving %(person)s to group %(group)s would break these rules:") % {
            "person": _name(registration),
            "group": group.key,
        }
        return _run_page(request, formation_run, alert=Alert(title, broken.reasons))
    except FormationRefused as refused:
        return _run_page(request, formation_run, alert=Alert(refused.message))
    messages.success(
        request,
        _("%(person)s is now in group %(group)s as %(role)s.")
        % {"person": _name(registration), "group": group.key, "role": MemberRole(role).label},
    )
    return see_other(_run_url(formation_run, f"group-{group.key}"))


@login_required
@require_safe
def check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The rules a move would break, as a fragment the move form shows before it is sent."""
    formation_run = _run_for(request, pk)
    form = MoveForm(request.GET, run=formation_run)
    reasons = None
    if form.is_valid():
        reasons = services.check_move(
            run=formation_run,
            registration=form.cleaned_data["registration"],
            to_group=form.cleaned_data["group"],
            role=form.cleaned_data["role"],
        )
    return render(request, "formation/staff/run.html#check", {"reasons": reasons})


def _locked_value(request: AuthenticatedRequest) -> bool | None:
    # The button says what it wants ("1" lock, "0" unlock) so that a double click does not undo itself.
    return {"1": True, "0": False}.get(request.POST.get("locked", ""))


@login_required
@require_POST
def lock_group(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "formation.manage")
    group = get_object_or_404(ProposedGroup.objects.select_related("run__edition"), pk=pk)
    locked = _locked_value(request)
    try:
        if locked is None:
            raise FormationRefused(_("Say whether to lock or unlock."))
        services.set_group_lock(by=request.user, group=group, locked=locked)
    except FormationRefused as refused:
        return _run_page(request, group.run, alert=Alert(refused.message))
    if locked:
        messages.success(request, _("Group %(group)s is locked: a re-run keeps it as it is.") % {"group": group.key})
    else:
        messages.success(request, _("Group %(group)s is unlocked.") % {"group": group.key})
    return see_other(_run_url(group.run, f"group-{group.key}"))


@login_required
@require_POST
def lock_member(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "formation.manage")
    member = get_object_or_404(
        ProposedMember.objects.select_related("run__edition", "group", "registration__user"), pk=pk
    )
    locked = _locked_value(request)
    try:
        if locked is None:
            raise FormationRefused(_("Say whether to lock or unlock."))
        services.set_member_lock(by=request.user, member=member, locked=locked)
    except FormationRefused as refused:
        return _run_page(request, member.run, alert=Alert(refused.message))
    values = {"person": _name(member.registration), "group": member.group.key}
    if locked:
        messages.success(request, _("%(person)s is locked in group %(group)s: a re-run keeps them there.") % values)
    else:
        messages.success(request, _("%(person)s is unlocked.") % values)
    return see_other(_run_url(member.run, f"group-{member.group.key}"))


@login_required
@require_POST
def rerun(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    previous = _run_for(request, pk)
    try:
        new = services.start_run(by=request.user, edition=previous.edition, previous=previous)
    except FormationRefused as refused:
        return _run_page(request, previous, alert=Alert(refused.message))
    messages.success(
        request,
        _("Run %(number)s is started: it keeps the locks of run %(previous)s.")
        % {"number": new.number, "previous": previous.number},
    )
    return see_other(_run_url(new))


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    formation_run = _run_for(request, pk)
    if request.method == "POST":
        already = formation_run.published_at is not None
        try:
            count = services.publish_run(by=request.user, run=formation_run)
        except FormationRefused as refused:
            return _run_page(request, formation_run, alert=Alert(refused.message))
        if already:
            messages.info(request, _("This proposal was already published: nothing was sent again."))
        else:
            text = ngettext(
                "The proposal is published: %(count)s person was proposed a group.",
                "The proposal is published: %(count)s people were proposed a group.",
                count,
            )
            messages.success(request, text % {"count": count})
        return see_other(_run_url(formation_run))
    context = {
        "run": formation_run,
        "edition": formation_run.edition,
        "people": formation_run.members.count(),
        "unplaced": formation_run.unplaced.count(),
    }
    return render(request, "formation/staff/publish.html", context)


# --- Two runs side by side ----------------------------------------------------------


@login_required
@require_safe
def compare(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition_for(request, slug)
    if request.GET:
        form = CompareForm(request.GET, edition=edition)
        chosen = [form.cleaned_data["a"], form.cleaned_data["b"]] if form.is_valid() else []
    else:
        # The two latest finished runs, the older first.
        chosen = list(FormationRun.objects.filter(edition=edition, status=RunStatus.DONE)[:2])[::-1]
        form = CompareForm(initial={"a": chosen[0].pk, "b": chosen[-1].pk} if chosen else {}, edition=edition)
    rows = [(label, [_figure(r.report, key, kind) for r in chosen]) for key, label, kind in FIGURES]
    context = {"edition": edition, "form": form, "chosen": chosen, "rows": rows}
    return render(request, "formation/staff/compare.html", context, status=400 if form.errors else 200)
