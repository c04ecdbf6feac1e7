"""``coopsip-form INPUT_DIR -o groups.json``: form groups from an input folder, print the report.

``--time-limit``, ``--work`` and ``--seed`` override the keys of params.json with the same meaning.

A re-run: ``--previous groups.json`` (its warm start), ``--locks locks.csv`` and
``--declined declined.csv`` (see docs/formation.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .io import InputError, read_declined, read_locks, read_problem, read_solution, write_solution
from .model import Group, Params, Problem, Solution, Unassigned
from .reform import reform_after_decline
from .solve import solve
from .validate import validate


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="coopsip-form",
        description="Form working groups from offices.csv, themes.csv, registrants.csv and params.json.",
    )
    parser.add_argument("input_dir", type=Path, help="folder with the input files")
    parser.add_argument("-o", "--output", type=Path, default=Path("groups.json"), help="where to write the groups")
    parser.add_argument("--time-limit", type=float, help="seconds (overrides params.json time_limit_s)")
    parser.add_argument(
        "--work",
        type=float,
        help="work units the search may do (overrides params.json work; about a microsecond each on an idle machine)",
    )
    parser.add_argument("--seed", type=int, help="overrides params.json seed")
    parser.add_argument("--method", choices=("optimise", "greedy"), default="optimise")
    parser.add_argument("--previous", type=Path, help="groups.json of the run this one re-runs (its warm start)")
    parser.add_argument("--locks", type=Path, help="locks.csv (group,person): groups or people kept; needs --previous")
    parser.add_argument("--declined", type=Path, help="declined.csv (person): people who declined; needs --previous")
    args = parser.parse_args(argv)
    try:
        if (args.locks or args.declined) and not args.previous:
            raise InputError("--locks and --declined need --previous (the groups they refer to)")
        if args.work is not None and not 0 <= args.work < float("inf"):
            raise InputError(f"--work: expected a number of work units ≥ 0, got {args.work:g}")
        problem, params = read_problem(args.input_dir)
        previous = read_solution(args.previous, problem) if args.previous else None
        declined = read_declined(args.declined, problem) if args.declined else []
        locks = read_locks(args.locks, previous) if args.locks and previous else None
    except InputError as error:
        print(f"coopsip-form: {error}", file=sys.stderr)
        return 2
    if args.time_limit is not None:
        params = replace(params, time_limit_s=args.time_limit)
    if args.seed is not None:
        params = replace(params, seed=args.seed)
    if args.work is not None:
        params = replace(params, work=args.work)
    if previous is None:
        solution = solve(problem, params, method=args.method)
    elif declined and locks is None:
        solution = _after_declines(problem, params, previous, declined)
    else:
        solution = _rerun(problem, params, previous, declined, locks or ([], []), args.method)
    try:
        write_solution(args.output, solution)
    except OSError as error:
        print(f"coopsip-form: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 3
    report = {key: value for key, value in solution.report.items() if key != "limits"}
    print(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"wrote {args.output}: {len(solution.groups)} groups, {len(solution.unassigned)} unassigned")
    return 0


def _after_declines(problem: Problem, params: Params, previous: Solution, declined: list[str]) -> Solution:
    """Each decline in turn, changing only the groups that must change (``reform_after_decline``)."""
    placed = {m.id for g in previous.groups for m in g.members}
    solution = replace(
        previous,
        unassigned=tuple(
            Unassigned(p.id, "not_placed", {}, "not in a group of the previous run")
            for p in problem.registrants
            if p.id not in placed
        ),
    )
    before = previous
    for person in declined:
        solution = reform_after_decline(problem, params, solution, person)
    report = dict(solution.report)
    report["declined"] = declined
    report["changes"] = _changes(before.groups, solution.groups, declined, set(), "repaired after a decline")
    return replace(solution, report=report)


def _rerun(
    problem: Problem,
    params: Params,
    previous: Solution,
    declined: list[str],
    locks: tuple[list[Group], list[Group]],
    method: str,
) -> Solution:
    """Solve again from ``previous``, without the people who declined, keeping the locks."""
    gone = set(declined)
    problem = replace(problem, registrants=tuple(p for p in problem.registrants if p.id not in gone))

    def without(group: Group) -> Group:
        return replace(group, members=tuple(m for m in group.members if m.id not in gone))

    kept_in, locked_in = locks
    kept: list[Group] = []
    locked = [g for g in (without(g) for g in locked_in) if g.members]
    for group in (without(g) for g in kept_in):
        # A kept group a decline broke is handed to the engine with its people locked instead.
        broken = [v for v in validate(problem, [group], params) if v.severity == "hard"]
        if broken:
            locked.append(group)
        elif group.members:
            kept.append(group)
    warm = [without(g) for g in previous.groups]
    solution = solve(problem, params, locked=locked, kept=kept, warm_start=warm, method=method)
    groups = tuple(sorted([*kept, *solution.groups], key=lambda g: g.id))
    report: dict[str, Any] = dict(solution.report)
    if kept:
        everyone = len(problem.registrants)
        assigned = sum(len(g.members) for g in groups)
        hard = [v for v in validate(problem, groups, params) if v.severity == "hard"]
        report |= {
            "registrants": everyone,
            "groups": len(groups),
            "assigned": assigned,
            "unassigned": everyone - assigned,
            "share_assigned": round(assigned / everyone, 5) if everyone else 0.0,
            "violations": len(hard),
            "kept_groups": len(kept),
        }
    report["declined"] = declined
    locked_ids = {g.id for g in kept} | {g.id for g in locked}
    report["changes"] = _changes(previous.groups, groups, declined, locked_ids, "re-optimised")
    return Solution(groups=groups, unassigned=solution.unassigned, report=report)


def _changes(
    before: Sequence[Group], after: Sequence[Group], declined: list[str], locked: set[str], otherwise: str
) -> list[dict[str, Any]]:
    """Every group that is new, changed or gone, and why."""
    old = {g.id: g for g in before}
    new = {g.id: g for g in after}
    out: list[dict[str, Any]] = []
    for gid in sorted(old.keys() | new.keys()):
        was = {(m.id, m.role) for m in old[gid].members} if gid in old else set()
        now = {(m.id, m.role) for m in new[gid].members} if gid in new else set()
        if gid in old and gid in new and was == now:
            continue
        why = [
            f"{person} declined"
            for person in declined
            if any(m.id == person for m in (old.get(gid) or new[gid]).members)
        ]
        if gid in locked:
            why.append("locked")
        if not why:
            why.append(otherwise)
        change = "new" if gid not in old else "dissolved" if gid not in new else "changed"
        out.append(
            {
                "group": gid,
                "change": change,
                "joined": sorted({p for p, _ in now} - {p for p, _ in was}),
                "left": sorted({p for p, _ in was} - {p for p, _ in now}),
                "why": why,
            }
        )
    return out


if __name__ == "__main__":
    sys.exit(main())
