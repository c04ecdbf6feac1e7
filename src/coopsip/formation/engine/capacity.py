"""How many people could be placed at most: a linear programme over the cells (an upper bound).

It answers "is it the people or the engine?" when a format places few: the coordinating
volunteers (moderators, secretaries, board members) and the share rules limit how many
people the cells can hold whatever the engine does. Variables: ``x[p, c]`` in [0, 1] (person
``p`` in cell ``c``, one of their options) and ``g[c] >= 0`` (groups of the cell). Constraints,
each kept by every valid proposal, so the optimum is an upper bound on the people placed:

- each person in at most one cell;
- ``min_size * g <= n_c <= max_size * g`` (``n_c`` the people of the cell);
- each required role has ``g`` seats held by its volunteers, each a different person:
  ``r * g <= Σ volunteers of any required role`` and ``g <= Σ volunteers of each role``;
- hard share rules: the people of one stakeholder type at most ``share * n_c``; of one gender at most
  ``share`` of those of the cell who gave one (as the validator counts them).

Cells where no group can ever form are left out first (fewer than ``min_size`` people who could
meet there, a required role nobody there volunteered for, fewer stakeholder types than the mixing
rule asks, or no ``min_size`` of them that keep the share rule), which tightens the bound a lot on
small editions. The mixing rule is otherwise left out (it is not linear in this form), so the
bound is valid with it, only less tight. Solved by GLOP (OR-Tools): about a second at
5,000 people.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
from ortools.linear_solver import pywraplp

from .balance import share_cap
from .index import Index


def placeable_bound(index: Index) -> float:
    """The most people the cells of ``index`` could hold under its params (a real number; floor it)."""
    params = index.params
    people = index.problem.registrants
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        raise RuntimeError("GLOP is not available")
    inf = solver.infinity()
    arcs = list(zip(index.arc_person.tolist(), index.arc_cell.tolist(), strict=True))
    x = [solver.NumVar(0.0, 1.0, "") for _ in arcs]
    by_person: dict[int, list[int]] = defaultdict(list)
    by_cell: dict[int, list[int]] = defaultdict(list)
    for a, (p, c) in enumerate(arcs):
        by_person[p].append(a)
        by_cell[c].append(a)
    for options in by_person.values():
        row = solver.Constraint(-inf, 1.0)
        for a in options:
            row.SetCoefficient(x[a], 1.0)
    roles = [
        flags
        for flags, required in (
            (index.is_mod, params.require_moderator),
            (index.is_sec, params.require_secretary),
            (index.is_brd, params.require_board),
        )
        if required
    ]
    volunteer = np.zeros(index.n, dtype=bool)
    for flags in roles:
        volunteer |= flags
    hard = not params.balance_soft
    for options in by_cell.values():
        if not _could_hold_a_group(index, [arcs[a][0] for a in options], roles, hard):
            for a in options:
                x[a].SetUb(0.0)
            continue
        g = solver.NumVar(0.0, inf, "")
        lo = solver.Constraint(0.0, inf)  # n_c - min*g >= 0
        hi = solver.Constraint(0.0, inf)  # max*g - n_c >= 0
        lo.SetCoefficient(g, -float(params.min_size))
        hi.SetCoefficient(g, float(params.max_size))
        for a in options:
            lo.SetCoefficient(x[a], 1.0)
            hi.SetCoefficient(x[a], -1.0)
        if roles:
            seats = solver.Constraint(0.0, inf)  # Σ volunteers - r*g >= 0 (different people)
            seats.SetCoefficient(g, -float(len(roles)))
            for a in options:
                if volunteer[arcs[a][0]]:
                    seats.SetCoefficient(x[a], 1.0)
            for flags in roles:
                each = solver.Constraint(0.0, inf)
                each.SetCoefficient(g, -1.0)
                for a in options:
                    if flags[arcs[a][0]]:
                        each.SetCoefficient(x[a], 1.0)
        if hard and params.max_stakeholder_share is not None:
            _share(solver, x, arcs, options, [p.stakeholder for p in people], params.max_stakeholder_share, False)
        if hard and params.max_gender_share is not None:
            _share(solver, x, arcs, options, [p.gender for p in people], params.max_gender_share, True)
    objective = solver.Objective()
    for var in x:
        objective.SetCoefficient(var, 1.0)
    objective.SetMaximization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:  # pragma: no cover - the LP is always feasible (all zero)
        raise RuntimeError("the capacity bound's LP was not solved")
    return float(objective.Value())


def _could_hold_a_group(index: Index, members: list[int], roles: list[np.ndarray], hard: bool) -> bool:
    """Whether one group could form among ``members`` (the people with an option in a cell)."""
    params = index.params
    people = index.problem.registrants
    if len(members) < params.min_size:
        return False
    if any(not flags[members].any() for flags in roles):
        return False
    if roles and sum(1 for p in members if any(flags[p] for flags in roles)) < len(roles):
        return False
    if not hard:
        return True
    kinds = Counter(people[p].stakeholder for p in members if people[p].stakeholder)
    if params.min_stakeholder_types and len(kinds) < params.min_stakeholder_types:
        return False
    if params.max_stakeholder_share is not None:
        untyped = len(members) - sum(kinds.values())
        share = params.max_stakeholder_share
        fits = any(
            untyped + sum(min(count, share_cap(share, n)) for count in kinds.values()) >= n
            for n in range(params.min_size, min(len(members), params.max_size) + 1)
        )
        if not fits:
            return False
    return True


def _share(
    solver: pywraplp.Solver,
    x: list[pywraplp.Variable],
    arcs: list[tuple[int, int]],
    options: list[int],
    kind_of: list[str | None],
    share: float,
    answered_only: bool,
) -> None:
    """Per kind: Σ x of that kind <= share * Σ x (of those who answered, for genders)."""
    kinds = {kind_of[arcs[a][0]] for a in options} - {None}
    for kind in kinds:
        row = solver.Constraint(0.0, solver.infinity())  # share*Σ - Σ kind >= 0
        for a in options:
            mine = kind_of[arcs[a][0]]
            if answered_only and mine is None:
                continue
            row.SetCoefficient(x[a], share - (1.0 if mine == kind else 0.0))
