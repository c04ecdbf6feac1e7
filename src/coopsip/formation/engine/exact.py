"""The whole model solved exactly with CP-SAT, for instances (or independent parts) small enough.

Variables, per cell ``c`` that could hold a group (enough people and volunteers):
``g_c`` groups (an integer), and per option of a free person ``p`` in ``c`` a binary
``x_pc`` (``p`` meets in ``c``) with, for volunteers, ``m_pc`` / ``s_pc`` (``p`` is one
of its moderators / secretaries; ``m + s ≤ x``). Each person meets at most once; a cell
has exactly ``g`` moderators and ``g`` secretaries (plus what its locked groups lack)
and between ``min·g`` and ``max·g`` people (its locked groups included). With
``one_theme_per_office`` a binary per office and theme chooses the office's one theme.
Maximise the points of the people placed. This is the formulation of
docs/formation.md without any relaxation: a cell's people always split into its
groups, so the numbers of groups it chooses, handed to the min-cost flow, give a
placement with the same points.

CP-SAT runs on one worker with a deterministic time limit, so the same input gives the
same answer however busy the machine is; it starts from the heuristic's solution
(hints) and reports a proven optimum or its own bound.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model

from . import rules
from .flow import SCALE, Bin, FlowResult
from .index import BoolArray, Index
from .mip import groups_max

DTIME_UNITS = 3e6  # work units (budget.py) per unit of CP-SAT's deterministic time (measured: 1.8 for 5.8 CPU s)


@dataclass
class Exact:
    counts: dict[int, int]  # free groups per cell
    points: float  # the free people's points (locked people excluded), as CP-SAT found them
    bound: float  # CP-SAT's bound on the same, locked people's points excluded
    optimal: bool
    dtime: float  # deterministic time used


def solve_exact(
    index: Index,
    free: BoolArray,
    locked_bins: list[Bin],
    hint: tuple[list[Bin], FlowResult] | None,
    *,
    dtime: float,
    seconds: float,
    settings: dict[str, object] | None = None,
) -> Exact | None:
    """The best numbers of groups per cell for the ``free`` people next to ``locked_bins``;
    ``None`` when CP-SAT found no solution within the limits."""
    params = index.params
    sel = free[index.arc_person]
    person = index.arc_person[sel]
    cell = index.arc_cell[sel]
    profit = np.rint(index.arc_profit[sel] * SCALE).astype(np.int64)
    mod = index.is_mod[person] & params.require_moderator
    sec = index.is_sec[person] & params.require_secretary
    brd = index.is_brd[person] & params.require_board
    locked_in: dict[int, list[Bin]] = {}
    for item in locked_bins:
        locked_in.setdefault(item.cell, []).append(item)
    # Cells that could hold a free group, and cells with locked groups.
    gmax = groups_max(index, person, cell)
    useful = gmax > 0
    for c in locked_in:
        useful[c] = True
    keep = useful[cell]
    person, cell, profit = person[keep], cell[keep], profit[keep]
    mod, sec, brd = mod[keep], sec[keep], brd[keep]
    cells = np.flatnonzero(useful)

    model = cp_model.CpModel()
    g = {int(c): model.new_int_var(0, int(gmax[c]), f"g{c}") for c in cells}
    x = [model.new_bool_var("") for _ in range(len(person))]
    m = {k: model.new_bool_var("") for k in np.flatnonzero(mod).tolist()}
    s = {k: model.new_bool_var("") for k in np.flatnonzero(sec).tolist()}
    r = {k: model.new_bool_var("") for k in np.flatnonzero(brd).tolist()}
    for k in set(m) | set(s) | set(r):
        model.add(sum(v for v in (m.get(k), s.get(k), r.get(k)) if v is not None) <= x[k])
    order = np.argsort(person, kind="stable")
    bounds = [*np.searchsorted(person[order], np.unique(person), side="left").tolist(), len(order)]
    for a, b in itertools.pairwise(bounds):
        if b - a > 1:
            model.add_at_most_one(x[k] for k in order[a:b].tolist())
    by_cell = np.argsort(cell, kind="stable")
    cell_sorted = cell[by_cell]
    cells_of: dict[int, list[int]] = {}
    for c in cells.tolist():
        lo, hi = np.searchsorted(cell_sorted, [c, c + 1])
        ks = by_cell[lo:hi].tolist()
        cells_of[c] = ks
        locks = locked_in.get(c, [])
        n_locked = sum(len(item.locked) for item in locks)
        groups = g[c] + len(locks)
        if not locks:
            for k in ks:
                model.add(x[k] <= g[c])  # the cut that makes the relaxation tight (research notes)
        size = sum(x[k] for k in ks) + n_locked
        model.add(size >= params.min_size * groups)
        model.add(size <= params.max_size * groups)
        if params.require_moderator:
            have = sum(1 for item in locks for _, role in item.locked if role == "moderator")
            model.add(sum(m[k] for k in ks if k in m) + have == groups)
        if params.require_secretary:
            have = sum(1 for item in locks for _, role in item.locked if role == "secretary")
            model.add(sum(s[k] for k in ks if k in s) + have == groups)
        if params.require_board:
            have = sum(1 for item in locks for _, role in item.locked if role == "board")
            model.add(sum(r[k] for k in ks if k in r) + have == groups)
    api = rules.Api(
        new_bool=lambda: model.new_bool_var(""),
        new_int=lambda ub: model.new_int_var(0, ub, ""),
        add=model.add,
        total=cp_model.LinearExpr.sum,
    )
    if params.one_theme_per_office:
        rules.one_theme(index, api, g, gmax, locked_in)
    rules.balance(index, api, g, gmax, x, person, cells_of, locked_in)
    model.maximize(sum(int(w) * x[k] for k, w in enumerate(profit.tolist())))
    if hint is not None:
        _hint(index, model, hint, person, cell, g, x, m, s, r)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2  # measured: far better solutions and bounds on this model
    solver.parameters.random_seed = int(params.seed)
    solver.parameters.max_deterministic_time = max(dtime, 0.01)
    solver.parameters.max_time_in_seconds = max(seconds, 0.01)
    for name, value in (settings or {}).items():
        setattr(solver.parameters, name, value)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    counts = {c: int(solver.value(var)) for c, var in g.items() if solver.value(var) > 0}
    return Exact(
        counts=counts,
        points=solver.objective_value / SCALE,
        bound=solver.best_objective_bound / SCALE,
        optimal=status == cp_model.OPTIMAL,
        dtime=float(solver.deterministic_time),
    )


def _hint(
    index: Index,
    model: cp_model.CpModel,
    hint: tuple[list[Bin], FlowResult],
    person: np.ndarray,
    cell: np.ndarray,
    g: dict[int, cp_model.IntVar],
    x: list[cp_model.IntVar],
    m: dict[int, cp_model.IntVar],
    s: dict[int, cp_model.IntVar],
    r: dict[int, cp_model.IntVar],
) -> None:
    """The heuristic's solution as CP-SAT's starting point."""
    bins, result = hint
    counts: dict[int, int] = {}
    for item in bins:
        if item.locked_id is None:
            counts[item.cell] = counts.get(item.cell, 0) + item.groups
    for c, var in g.items():
        model.add_hint(var, counts.get(c, 0))
    bin_cell = np.array([item.cell for item in bins] + [-1], dtype=np.int64)
    where = bin_cell[result.person_bin[person]]
    inside = where == cell
    role = result.person_role[person]
    for k, var in enumerate(x):
        model.add_hint(var, bool(inside[k]))
    for k, var in m.items():
        model.add_hint(var, bool(inside[k] and role[k] == 1))
    for k, var in s.items():
        model.add_hint(var, bool(inside[k] and role[k] == 2))
    for k, var in r.items():
        model.add_hint(var, bool(inside[k] and role[k] == 3))
