"""Staff pages of group formation, at /<language>/staff/formation/: an edition's runs, one run with its
progress and then its proposed groups and the people left out (move, lock, re-run, publish), and two runs
compared.

Every view checks ``formation.manage`` first and then finds its object (404
when unknown). Every change is a POST that calls one service and answers 303
with a message; a refused change shows the run again with the reasons (400).

The run page holds a real edition (thousands of people): it shows one theme ×
office at a time, a page of groups at a time, and the people without a group a
page at a time (``selectors``). Moving someone goes through one shared dialog
that lists only the groups they could join without breaking a rule; with htmx,
a move or a lock replaces only the groups and rows it changed (the same POST
answers a full page and a redirect without JavaScript).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRefresh

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.formation import selectors, services
from coopsip.formation.models import FormationRun, MemberRole, ProposedGroup, ProposedMember, RunStatus
from coopsip.formation.reasons import Names, flag_text, group_label
from coopsip.formation.services import FormationRefused, MoveBreaksRules
from coopsip.formation.staff_forms import MoveForm
from coopsip.registrations.models import Registration

# The run page's view of the people without a group (``?cell=unplaced``); a theme × office otherwise.
UNPLACED = "unplaced"

# The report's figures shown in a run's summary and in the comparison: key, label, kind.
FIGURES: list[tuple[str, Promise, str]] = [
    ("registrants", gettext_lazy("People"), "count"),
    ("groups", gettext_lazy("Groups"), "count"),
    ("share_assigned", gettext_lazy("Share with a group"), "share"),
    ("share_first_choice", gettext_lazy("Share with their first choice"), "share"),
    ("share_top_two", gettext_lazy("Share with one of their two first choices"), "share"),
    ("travel_km_mean", gettext_lazy("Mean travel to the office (km)"), "number"),
    ("violations", gettext_lazy("Broken rules"), "count"),
    ("gap", gettext_lazy("Gap to the best possible"), "share"),
    ("seconds", gettext_lazy("Time taken (seconds)"), "number"),
]


@dataclass(frozen=True)
class Alert:
    title: str
    reasons: list[str] = field(default_factory=list)


def _edition_for(request: AuthenticatedRequest, slug: str) -> Edition:
    require(request.user, "formation.manage")
    return get_object_or_404(Edition, slug=slug)


def _run_for(request: AuthenticatedRequest, pk: int) -> FormationRun:
    require(request.user, "formation.manage")
    runs = FormationRun.objects.select_related("edition", "started_by", "published_by", "previous")
    return get_object_or_404(runs, pk=pk)


def _run_url(run: FormationRun, anchor: str = "", *, cell: str = "") -> str:
    url = reverse("formation_staff:run", kwargs={"pk": run.pk})
    if cell:
        url = f"{url}?{urlencode({'cell': cell})}"
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


# --- How to read a run -----------------------------------------------------------


@login_required
@require_safe
def guide(request: AuthenticatedRequest) -> HttpResponse:
    """The staff's guide to a run's figures (the gap to the best possible, the locks), as docs/formation.md."""
    require(request.user, "formation.manage")
    return render(request, "formation/staff/guide.html")


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


def _group_url(group: ProposedGroup) -> str:
    """The run page at the group's theme × office, scrolled to the group."""
    return _run_url(group.run, f"group-{group.key}", cell=selectors.cell_key(group.theme_id, group.office_id))


def _shortfall(run: FormationRun) -> dict[str, Any] | None:
    """How many fewer people this re-run places than the run it re-runs (None when not fewer)."""
    previous = run.previous
    if previous is None or run.status != RunStatus.DONE or previous.status != RunStatus.DONE:
        return None
    now, before = run.report.get("assigned"), previous.report.get("assigned")
    if now is None or before is None or now >= before:
        return None
    return {"fewer": before - now, "placed": now, "before": before, "previous": previous}


def _locks_cost(report: dict[str, Any]) -> dict[str, Any] | None:
    """What the locks cost, when the engine measured it: the same run without them placed how many."""
    locks = report.get("locks")
    if not isinstance(locks, dict) or locks.get("placed_without_locks") is None:
        return None
    without = int(locks["placed_without_locks"])
    placed = int(locks.get("placed", report.get("assigned", 0)))
    cost = locks.get("cost")
    return {"without": without, "placed": placed, "cost": int(cost) if cost is not None else max(0, without - placed)}


RULE_NAMES = {
    "min_stakeholder_types": gettext_lazy("At least %(value)s stakeholder types per group"),
    "max_stakeholder_share": gettext_lazy("At most %(value)s%% of a group of one stakeholder type"),
    "max_gender_share": gettext_lazy("At most %(value)s%% of one gender (among those who answered)"),
}


def _balance_costs(run: FormationRun) -> list[dict[str, Any]]:
    """Per balance rule of the run, what it costs: the same run without it placed how many (the task
    measured it, see services._balance_costs)."""
    rows = []
    for item in run.report.get("balance_costs") or []:
        rule = str(item.get("rule"))
        value = run.params.get(rule)
        if rule in ("max_stakeholder_share", "max_gender_share") and value is not None:
            value = round(100 * float(value))
        label = RULE_NAMES.get(rule)
        if rule == services.ALL_BALANCE_RULES:
            name = str(_("All the balance rules together (the run without any balance rule)"))
        else:
            name = str(label % {"value": value}) if label else rule
        rows.append(
            {
                "rule": name,
                "all": rule == services.ALL_BALANCE_RULES,
                "placed": int(item.get("placed", 0)),
                "without": int(item.get("placed_without", 0)),
                "cost": int(item.get("cost", 0)),
            }
        )
    return rows


FLAGS_SHOWN = 50  # the run page lists this many flagged groups (with soft rules a large edition has hundreds)


def _balance_flags(run: FormationRun) -> dict[str, Any] | None:
    """The run's groups that break a balance rule, in words, each linked to its group (the task found them,
    see services._balance_flags): wishes the people did not allow, or groups staff locked as they were."""
    flags = [item for item in run.report.get("balance_flags") or [] if isinstance(item, dict)]
    if not flags:
        return None
    shown = flags[:FLAGS_SHOWN]
    groups = {
        group.key: group
        for group in run.groups.filter(key__in={str(item.get("group")) for item in shown}).select_related(
            "run", "theme", "office"
        )
    }
    names = Names()
    rows = []
    for item in shown:
        group = groups.get(str(item.get("group")))
        label = group_label(group) if group is not None else str(item.get("group"))
        rows.append(
            {
                "text": flag_text(str(item.get("code")), item.get("params") or {}, names, group=label),
                "url": _group_url(group) if group is not None else "",
                "hard": item.get("severity") == "hard",
            }
        )
    return {"rows": rows, "count": len(flags), "more": len(flags) - len(shown), "soft": run.params.get("balance_soft")}


def _review(request: AuthenticatedRequest, run: FormationRun) -> dict[str, Any]:
    """The proposal of a finished run, one theme × office (or the people without a group) at a time."""
    found = selectors.cells(run)
    unplaced_count = run.unplaced.count()
    wanted = request.GET.get("cell", "")
    context: dict[str, Any] = {
        "themes": selectors.by_theme(found),
        "unplaced_count": unplaced_count,
        "cell": None,
        "showing_unplaced": False,
    }
    parsed = selectors.parse_cell(wanted)
    cell = next((c for c in found if parsed and (c.theme.pk, c.office.pk if c.office else None) == parsed), None)
    if cell is None and (wanted == UNPLACED or not found):
        unplaced_page, unplaced = selectors.unplaced_page(run, request.GET.get("page"))
        return context | {"showing_unplaced": True, "page": unplaced_page, "unplaced": unplaced}
    cell = cell or found[0]
    page, rows = selectors.cell_page(
        run, cell.theme.pk, cell.office.pk if cell.office else None, request.GET.get("page")
    )
    return context | {"cell": cell, "page": page, "rows": rows}


def _run_page(
    request: AuthenticatedRequest, run: FormationRun, *, alert: Alert | None = None, status: int | None = None
) -> HttpResponse:
    context: dict[str, Any] = {
        "run": run,
        "edition": run.edition,
        "alert": alert,
        "figures": _figures(run.report),
        "editable": run.status == RunStatus.DONE and run.published_at is None,
        "shortfall": _shortfall(run),
        "locks_cost": _locks_cost(run.report),
        "balance_costs": _balance_costs(run),
        "balance_flags": _balance_flags(run) if run.status == RunStatus.DONE else None,
        "formation_docs_url": reverse("formation_staff:guide") + "#gap",
        "balance_docs_url": reverse("formation_staff:guide") + "#balance",
    }
    if run.status == RunStatus.DONE:
        context |= _review(request, run)
    return render(request, "formation/staff/run.html", context, status=status or (400 if alert else 200))


def _refused(request: AuthenticatedRequest, run: FormationRun, alert: Alert) -> HttpResponse:
    """A refused change: with htmx, only the alert at the top of the page (nothing else changed); without,
    the page again with the alert."""
    if request.htmx:
        response = render(request, "formation/staff/run.html#alert", {"alert": alert})
        # htmx swaps only successful answers: the alert is the answer, put where alerts go.
        response["HX-Retarget"] = "#review-alert"
        response["HX-Reswap"] = "innerHTML"
        return response
    return _run_page(request, run, alert=alert)


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


def _role(run: FormationRun, value: str | None) -> str:
    """The role asked for, when the groups of the run's format have it; else participant."""
    return value if value is not None and value in services.format_roles(run) else MemberRole.PARTICIPANT


def _dialog(
    request: AuthenticatedRequest,
    run: FormationRun,
    registration: Registration,
    role: str,
    *,
    alert: Alert | None = None,
    status: int = 200,
) -> HttpResponse:
    """The move dialog: the groups the person could join as ``role`` without breaking a rule. A fragment for htmx
    (the page's one shared dialog), a page of its own without JavaScript."""
    options = selectors.move_options(run=run, registration=registration, role=role)
    # Only the roles the edition's format has: no secretary to choose in a format without secretaries.
    roles = [(value, label) for value, label in MemberRole.choices if value in services.format_roles(run)]
    context = {"run": run, "edition": run.edition, "options": options, "roles": roles, "alert": alert}
    if request.htmx:
        response = render(request, "formation/staff/move.html#dialog", context)
    else:
        response = render(request, "formation/staff/move.html", context, status=status)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_safe
def move_dialog(request: AuthenticatedRequest, pk: int, registration: int) -> HttpResponse:
    formation_run = _run_for(request, pk)
    person = get_object_or_404(
        Registration.objects.select_related("user"), pk=registration, edition_id=formation_run.edition_id
    )
    return _dialog(request, formation_run, person, _role(formation_run, request.GET.get("role")))


def _moved(
    request: AuthenticatedRequest, run: FormationRun, member: ProposedMember, left: ProposedGroup | None
) -> HttpResponse:
    """With htmx: the dialog says it is done, and only the groups (and the row) the move changed are replaced."""
    changed = [member.group_id, *([left.pk] if left is not None and left.pk != member.group_id else [])]
    groups = selectors.groups_with_members(run).filter(pk__in=changed)
    context = {
        "run": run,
        "edition": run.edition,
        "editable": True,
        "member": member,
        "name": _name(member.registration),
        "group_rows": selectors.group_rows(groups),
        "registration_id": member.registration_id,
        "was_unplaced": left is None,
        "themes": selectors.by_theme(selectors.cells(run)),
        "unplaced_count": run.unplaced.count(),
        "cell": None,
        "showing_unplaced": False,
        "group_label": group_label(member.group),
        "role_label": MemberRole(member.role).label,
    }
    return render(request, "formation/staff/move.html#done", context)


@login_required
@require_POST
def move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    formation_run = _run_for(request, pk)
    form = MoveForm(request.POST, run=formation_run)
    if not form.is_valid():
        problems = [f"{form.fields[name].label}: {errors[0]}" for name, errors in form.errors.items()]
        return _refused(request, formation_run, Alert(_("The move could not be made."), problems))
    registration, group, role = (form.cleaned_data[name] for name in ("registration", "group", "role"))
    left = ProposedMember.objects.filter(run=formation_run, registration=registration).select_related("group").first()
    try:
        member = services.move_member(
            by=request.user, run=formation_run, registration=registration, to_group=group, role=role
        )
    except MoveBreaksRules as broken:
        title = _("Moving %(person)s to group %(group)s would break these rules:") % {
            "person": _name(registration),
            "group": group_label(ProposedGroup.objects.select_related("theme", "office").get(pk=group.pk)),
        }
        return _dialog(request, formation_run, registration, role, alert=Alert(title, broken.reasons), status=400)
    except FormationRefused as refused:
        shown = _role(formation_run, role)
        return _dialog(request, formation_run, registration, shown, alert=Alert(refused.message), status=400)
    member = ProposedMember.objects.select_related("group__theme", "group__office", "registration__user").get(
        pk=member.pk
    )
    if request.htmx:
        return _moved(request, formation_run, member, left.group if left is not None else None)
    messages.success(
        request,
        _("%(person)s is now in group %(group)s as %(role)s.")
        % {"person": _name(registration), "group": group_label(member.group), "role": MemberRole(role).label},
    )
    return see_other(_group_url(member.group))


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
    group = get_object_or_404(ProposedGroup.objects.select_related("run__edition", "theme", "office"), pk=pk)
    locked = _locked_value(request)
    try:
        if locked is None:
            raise FormationRefused(_("Say whether to lock or unlock."))
        services.set_group_lock(by=request.user, group=group, locked=locked)
    except FormationRefused as refused:
        return _refused(request, group.run, Alert(refused.message))
    if request.htmx:
        row = selectors.group_row(selectors.groups_with_members(group.run).get(pk=group.pk))
        return render(request, "formation/staff/run.html#group", {"row": row, "run": group.run, "editable": True})
    if locked:
        messages.success(request, _("Group %(group)s is locked: a re-run keeps it as it is.") % {"group": group.key})
    else:
        messages.success(request, _("Group %(group)s is unlocked.") % {"group": group.key})
    return see_other(_group_url(group))


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
        return _refused(request, member.run, Alert(refused.message))
    if request.htmx:
        context = {"member": member, "run": member.run, "group": member.group, "editable": True}
        return render(request, "formation/staff/run.html#member_row", context)
    values = {"person": _name(member.registration), "group": member.group.key}
    if locked:
        messages.success(request, _("%(person)s is locked in group %(group)s: a re-run keeps them there.") % values)
    else:
        messages.success(request, _("%(person)s is unlocked.") % values)
    return see_other(_group_url(member.group))


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


# Publishing and comparing two runs: ``publish_views``.
