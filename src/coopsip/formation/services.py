"""Forming groups for an edition: start a run, let the engine work in a task, review, move, lock, publish.

The engine (``coopsip.formation.engine``) knows nothing of Django; this
module turns registrations into its input (``inputs``), runs it in a
background task that records its progress, stores its proposal, checks each
move a staff member makes against the engine's own rules, and publishes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.core.audit import record_change
from coopsip.core.taskqueue import task
from coopsip.editions.models import Edition
from coopsip.formation import engine, inputs
from coopsip.formation.engine.balance import hard_rules, without
from coopsip.formation.engine.validate import balance_warnings
from coopsip.formation.models import (
    FormationRun,
    MemberRole,
    ProposedGroup,
    ProposedMember,
    RunStatus,
    Unplaced,
)
from coopsip.formation.reasons import Names, group_label, violation_text
from coopsip.registrations.models import Registration

logger = logging.getLogger(__name__)


class FormationRefused(Exception):
    """The change is not possible; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MoveBreaksRules(Exception):
    """Moving the person would break rules of group formation; ``reasons`` lists them in words."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(reasons)
        self.reasons = reasons


def start_run(
    *, by: Any, edition: Edition, previous: FormationRun | None = None, time_limit_s: float | None = None
) -> FormationRun:
    """Queue a formation run for ``edition``; a re-run of ``previous`` keeps its locks. The task starts on commit.

    ``time_limit_s`` overrides how long the engine may search (the demo keeps it short).
    """
    if previous is not None and previous.edition_id != edition.pk:
        raise FormationRefused(_("This run belongs to another edition."))
    with transaction.atomic():
        Edition.objects.select_for_update().get(pk=edition.pk)  # one run at a time per edition, numbered in order
        fail_stuck_runs(edition=edition)
        if FormationRun.objects.filter(edition=edition, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)).exists():
            raise FormationRefused(_("A run of this edition is still going: wait until it has finished."))
        number = (FormationRun.objects.filter(edition=edition).aggregate(last=Max("number"))["last"] or 0) + 1
        run = FormationRun.objects.create(
            edition=edition,
            number=number,
            previous=previous,
            params=inputs.default_params(edition)
            | ({"time_limit_s": time_limit_s} if time_limit_s is not None else {}),
            started_by=by,
        )
        record_change(actor=by, obj=edition, action="formation_started", changes={"run": number})
        run_id = run.pk
        transaction.on_commit(lambda: form_groups.enqueue(run_id), robust=True)
    return run


STUCK_MARGIN = timedelta(minutes=10)
QUEUE_PATIENCE = timedelta(hours=1)
# Stored as written; the run page shows it translated.
STOPPED = "worker stopped"


def fail_stuck_runs(*, edition: Edition, now: datetime | None = None) -> int:
    """Mark failed the runs whose worker stopped: running longer than their time limit plus a margin,
    or waiting for a worker for an hour. Returns how many."""
    now = now or timezone.now()
    failed = 0
    for run in FormationRun.objects.filter(edition=edition, status__in=(RunStatus.QUEUED, RunStatus.RUNNING)):
        limit = float(run.params.get("time_limit_s", settings.COOPSIP_FORMATION_SECONDS))
        running = run.status == RunStatus.RUNNING
        since = run.started_at if running else run.created_at
        allowed = timedelta(seconds=limit) + STUCK_MARGIN if running else QUEUE_PATIENCE
        if since is not None and now - since > allowed:
            failed += FormationRun.objects.filter(pk=run.pk, status=run.status).update(
                status=RunStatus.FAILED, error=STOPPED, finished_at=now
            )
    return failed


@task(queue_name="default")
def form_groups(run_id: int) -> str:
    """The background work of a run: read the registrations, solve, store the proposal."""
    with transaction.atomic():
        run = FormationRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            return "skipped"
        run.status, run.progress, run.started_at = RunStatus.RUNNING, 5, timezone.now()
        run.save(update_fields=["status", "progress", "started_at"])
    try:
        loaded = inputs.load_problem(run.edition)
        params = inputs.engine_params(run.params)
        kept, locked = _locks_for(run, loaded, params)
        # Whole locked groups stay exactly as they are (the engine leaves their people out); the run
        # re-run is the warm start, so locks never cost placements they do not force (report["locks"]).
        previous = (
            [inputs.as_engine_group(group) for group in run.previous.groups.prefetch_related("members")]
            if run.previous is not None
            else []
        )
        _progress(run, 15)
        solution = engine.solve(loaded.problem, params, locked=locked, kept=kept, warm_start=previous)
        _progress(run, 50)
        costs = _balance_costs(loaded, params, solution, locked=locked, kept=kept, warm_start=previous)
        _progress(run, 90)
        # The engine numbers its groups from G0001: a new group never takes the code of a group kept whole.
        reserved = {group.id for group in kept}
        formed = [
            replace(group, id=f"{group.id}-{run.number}") if group.id in reserved else group
            for group in solution.groups
        ]
        report = _report(loaded, params, solution, kept, formed)
        report["balance_costs"] = costs
        report["balance_flags"] = _balance_flags(loaded, params, [*kept, *formed])
        unassigned = _with_format(params, solution.unassigned)
        _store(run, [*kept, *formed], unassigned, kept=kept, locked=locked, report=report)
    except Exception as error:
        logger.exception("Formation run %s failed", run_id)
        FormationRun.objects.filter(pk=run_id).update(
            status=RunStatus.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        return "failed"
    return "done"


ALL_BALANCE_RULES = "all"  # the row of ``report["balance_costs"]`` that lifts every balance rule at once


def _balance_costs(
    loaded: inputs.Loaded,
    params: engine.Params,
    solution: engine.Solution,
    *,
    locked: list[engine.Group],
    kept: list[engine.Group],
    warm_start: list[engine.Group],
) -> list[dict[str, Any]]:
    """Per hard balance rule of the format, the same run without that rule: how many placements the
    rule costs (``placed_without - placed``, never negative); with two rules or more, a last row
    ``ALL_BALANCE_RULES``: the run without any of them. Rules overlap (a person two rules leave out is
    placed only when both are lifted), so each rule alone may cost nothing while together they cost
    many. Empty when the rules are soft or none apply."""
    if params.balance_soft:
        return []
    placed = int(solution.report.get("assigned", 0))
    rules = [rule for rule in inputs.BALANCE_RULES if getattr(params, rule)]
    measured: list[tuple[str, tuple[str, ...]]] = [(rule, (rule,)) for rule in rules]
    if len(rules) > 1:
        measured.append((ALL_BALANCE_RULES, tuple(rules)))
    out: list[dict[str, Any]] = []
    for name, lifted in measured:
        other = engine.solve(loaded.problem, without(params, *lifted), locked=locked, kept=kept, warm_start=warm_start)
        placed_without = int(other.report.get("assigned", 0))
        out.append(
            {"rule": name, "placed": placed, "placed_without": placed_without, "cost": max(0, placed_without - placed)}
        )
    return out


def _balance_flags(loaded: inputs.Loaded, params: engine.Params, groups: list[engine.Group]) -> list[dict[str, Any]]:
    """The proposed groups that break a balance rule, as the engine's validator names them: with soft rules
    the groups the people did not allow to balance, with hard rules only groups staff locked as they were
    (the engine keeps every rule in the groups it forms). The run page says each in words."""
    return [
        {"group": v.group, "code": v.code, "params": dict(v.params), "severity": v.severity}
        for v in balance_warnings(loaded.problem, groups, params)
    ]


def _with_format(params: engine.Params, unassigned: tuple[engine.Unassigned, ...]) -> tuple[engine.Unassigned, ...]:
    """With a board member per group or hard balance rules, "the groups are full" may also mean that one
    more group would break the edition's format: the reason says so (``params["format"]``)."""
    if not (params.require_board or hard_rules(params)):
        return unassigned
    return tuple(
        replace(person, params={**person.params, "format": True}) if person.code == "groups_full" else person
        for person in unassigned
    )


def _progress(run: FormationRun, percent: int) -> None:
    FormationRun.objects.filter(pk=run.pk).update(progress=percent)


def _locks_for(
    run: FormationRun, loaded: inputs.Loaded, params: engine.Params
) -> tuple[list[engine.Group], list[engine.Group]]:
    """The previous run's locks, checked again: a locked group that no longer keeps the rules (someone
    withdrew, the edition's sizes changed) is handed to the engine with its remaining people locked."""
    if run.previous is None:
        return [], []
    kept, locked = inputs.locks_of(run.previous, active=set(loaded.registrations))
    still_valid: list[engine.Group] = []
    for group in kept:
        broken = [v for v in engine.validate(loaded.problem, [group], params) if v.severity == "hard"]
        (locked if broken else still_valid).append(group)
    return still_valid, locked


def _report(
    loaded: inputs.Loaded,
    params: engine.Params,
    solution: engine.Solution,
    kept: list[engine.Group],
    formed: list[engine.Group],
) -> dict[str, Any]:
    """The engine's report, with the totals and the rule check covering the groups kept as they were."""
    report: dict[str, Any] = engine.solution_to_dict(solution)["report"]
    if kept:
        everyone = len(loaded.problem.registrants)
        assigned = int(report.get("assigned", 0)) + sum(len(group.members) for group in kept)
        hard = [v for v in engine.validate(loaded.problem, [*kept, *formed], params) if v.severity == "hard"]
        report |= {
            "registrants": everyone,
            "groups": int(report.get("groups", 0)) + len(kept),
            "assigned": assigned,
            "unassigned": everyone - assigned,
            "share_assigned": round(assigned / everyone, 5) if everyone else 0.0,
            "violations": len(hard),
            "kept_groups": len(kept),
        }
    return report


def _store(
    run: FormationRun,
    groups: list[engine.Group],
    unassigned: tuple[engine.Unassigned, ...],
    *,
    kept: list[engine.Group],
    locked: list[engine.Group],
    report: dict[str, Any],
) -> None:
    with transaction.atomic():
        for group in groups:
            stored = ProposedGroup.objects.create(
                run=run,
                key=group.id,
                theme_id=int(group.theme),
                mode=group.mode,
                office_id=int(group.office) if group.mode == "in_person" and group.office else None,
                language=group.language,
                slot=group.slot,
            )
            ProposedMember.objects.bulk_create(
                ProposedMember(run=run, group=stored, registration_id=int(member.id), role=member.role)
                for member in group.members
            )
        Unplaced.objects.bulk_create(
            Unplaced(run=run, registration_id=int(person.id), code=person.code, params=dict(person.params))
            for person in unassigned
        )
        _carry_locks(run, kept=kept, locked=locked, released=set(report.get("released_locks") or ()))
        FormationRun.objects.filter(pk=run.pk).update(
            status=RunStatus.DONE, progress=100, report=report, finished_at=timezone.now()
        )


def _carry_locks(
    run: FormationRun, *, kept: list[engine.Group], locked: list[engine.Group], released: set[str]
) -> None:
    """The locks this re-run kept stay locked, so that the next re-run keeps them too.

    They are the locks read when the run started (one added meanwhile waits for the next re-run);
    a person's lock stays only when the engine kept them in that group (it may release a lock it
    cannot fill: the report lists it).
    """
    run.groups.filter(key__in=[group.id for group in kept]).update(locked=True)
    for group in locked:
        if group.id in released:
            continue
        people = [int(member.id) for member in group.members]
        run.members.filter(group__key=group.id, registration_id__in=people).update(locked=True)


# ---------------------------------------------------------------------------
# Review


def _editable(run: FormationRun) -> None:
    run = FormationRun.objects.get(pk=run.pk)  # the state in the database, not a copy read before publishing
    if run.published_at is not None:
        raise FormationRefused(_("This proposal is published: start a new run to change it."))
    if run.status != RunStatus.DONE:
        raise FormationRefused(_("This run has not finished."))


def set_group_lock(*, by: Any, group: ProposedGroup, locked: bool) -> ProposedGroup:
    """Lock a whole group (a re-run keeps it as it is) or unlock it."""
    with transaction.atomic():
        FormationRun.objects.select_for_update().get(pk=group.run_id)
        _editable(group.run)
        group.locked = locked
        group.save(update_fields=["locked"])
    return group


def set_member_lock(*, by: Any, member: ProposedMember, locked: bool) -> ProposedMember:
    """Lock a person in their group (a re-run keeps them there, in their role) or unlock them."""
    with transaction.atomic():
        FormationRun.objects.select_for_update().get(pk=member.run_id)
        _editable(member.run)
        member.locked = locked
        member.save(update_fields=["locked"])
    return member


@dataclass(frozen=True)
class MoveCheck:
    reasons: list[str]


def _group_after(group: ProposedGroup, *, without: int | None = None, add: tuple[int, str] | None = None) -> Any:
    base = inputs.as_engine_group(group)
    members = tuple(m for m in base.members if m.id != str(without))
    if add is not None:
        members = (*members, engine.Member(str(add[0]), add[1]))  # type: ignore[arg-type]
    return engine.Group(base.id, base.theme, base.mode, base.office, base.language, base.slot, members)


def check_move(*, run: FormationRun, registration: Registration, to_group: ProposedGroup, role: str) -> list[str]:
    """Every rule that moving ``registration`` into ``to_group`` as ``role`` would break, in words (empty: none).

    Both groups are checked as they would be afterwards: the one the person
    leaves (its size, its moderator and secretary) and the one they join.
    """
    params = inputs.engine_params(run.params)
    current = (
        ProposedMember.objects.filter(run=run, registration=registration)
        .select_related("group__theme", "group__office")
        .first()
    )
    # Only the people of the two groups matter: the check stays quick however large the edition.
    concerned = {registration.pk, *to_group.members.values_list("registration_id", flat=True)}
    if current is not None:
        concerned |= set(current.group.members.values_list("registration_id", flat=True))
    loaded = inputs.load_problem(run.edition, only=concerned)
    groups = [_group_after(to_group, without=registration.pk, add=(registration.pk, role))]
    if current is not None and current.group_id != to_group.pk:
        groups.append(_group_after(current.group, without=registration.pk))
    names = Names(loaded.registrations)
    hard = [v for v in engine.validate(loaded.problem, groups, params) if v.severity == "hard"]
    # A rule about a whole group names which group (two groups can share a theme and a slot).
    labels = {group.key: group_label(group) for group in (to_group, current.group if current else None) if group}
    return [violation_text(v.code, v.params, names, group=labels.get(v.group or "")) for v in hard]


def format_roles(run: FormationRun) -> list[str]:
    """The roles a group of ``run`` has in the edition's format (as the run was started), participant last:
    a format without secretaries has no secretary to move anybody in as."""
    params = inputs.engine_params(run.params)
    wanted = {
        MemberRole.MODERATOR: params.require_moderator,
        MemberRole.SECRETARY: params.require_secretary,
        MemberRole.BOARD: params.require_board,
    }
    return [*(str(role) for role, on in wanted.items() if on), str(MemberRole.PARTICIPANT)]


def move_member(
    *, by: Any, run: FormationRun, registration: Registration, to_group: ProposedGroup, role: str
) -> ProposedMember:
    """Move a person (placed or not) into ``to_group`` as ``role``. Raises MoveBreaksRules with the reasons, or
    FormationRefused."""
    if to_group.run_id != run.pk:
        raise FormationRefused(_("This group belongs to another run."))
    if role not in MemberRole.values:
        raise FormationRefused(_("Choose a role."))
    if role not in format_roles(run):
        raise FormationRefused(
            _("The groups of this edition's format have no %(role)s.") % {"role": MemberRole(role).label}
        )
    with transaction.atomic():
        # One change at a time per run: the check below sees the groups as they are when the move is written.
        FormationRun.objects.select_for_update().get(pk=run.pk)
        _editable(run)
        current = ProposedMember.objects.filter(run=run, registration=registration).select_related("group").first()
        if ProposedGroup.objects.filter(pk=to_group.pk, locked=True).exists() or (
            current is not None and (current.locked or current.group.locked)
        ):
            raise FormationRefused(_("Unlock the person and their groups before moving them."))
        reasons = check_move(run=run, registration=registration, to_group=to_group, role=role)
        if reasons:
            raise MoveBreaksRules(reasons)
        Unplaced.objects.filter(run=run, registration=registration).delete()
        member, _created = ProposedMember.objects.update_or_create(
            run=run,
            registration=registration,
            defaults={"group": to_group, "role": role, "moved_by_staff": True},
        )
        record_change(
            actor=by, obj=run, action="member_moved", changes={"registration": registration.pk, "to": to_group.key}
        )
    return member


# ---------------------------------------------------------------------------
# Publishing: see ``coopsip.formation.publishing``.
