"""The whole model as a MIP, solved by branch and bound (SCIP through OR-Tools), for small instances.

The same model as ``exact.py`` (CP-SAT): per cell that could hold a group an integer
``g_c`` (its number of groups), per option of a free person a binary ``x_pc`` and, for
volunteers, ``m_pc`` / ``s_pc`` (moderator / secretary seat, ``m + s ≤ x``); each person
at most once; per cell exactly ``g`` moderators and ``g`` secretaries (plus what its
locked groups lack) and ``min·g ≤ size ≤ max·g`` (locked groups included); the cut
``x ≤ g``; with ``one_theme_per_office`` a binary per office and theme, at most one per
office. Maximise the points of the people placed (the exact points, no rounding).

Why SCIP and not HiGHS: both ship inside OR-Tools (no second copy of HiGHS, which cannot
be imported next to OR-Tools, see the research notes). Measured on this model (2 cores,
loaded machine): SCIP proved 500 people / 12 themes optimal in 13 CPU seconds (8 nodes);
HiGHS had not finished its root node after 20 CPU seconds at 500 (4 or 12 themes). Its
LP bound with the ``x ≤ g`` cuts is what proves optima that CP-SAT only approaches.

Deterministic: SCIP runs on one thread with a *node limit* taken from the work budget
(``units_for``: the root node's cost grows faster than the square of the options, each
further node costs a share of it), so the same input and seed give the same answer on an
idle or a busy machine. SCIP's time limit is only the engine's safety stop (``cut_short``):
the time left to the stop, less what placing people after it takes.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from ortools.linear_solver import pywraplp

from . import rules
from .flow import Bin, FlowResult
from .index import BoolArray, Index

# The work units (budget.py: about a microsecond of the idle reference machine) SCIP is charged,
# fitted to its CPU seconds on this model at 100-1,000 people, 4 and 12 themes, with and without
# one theme per office (bench/README.md, "Second pass (issue 15)"); an upper envelope of the
# measurements, so that the budget is honoured: the root node ROOT_UNITS_FIXED + ROOT_UNITS_AT_1000 ×
# (options / 1,000) ** ROOT_EXPONENT, ONE_THEME_FACTOR times that with one theme per office, and
# every further node NODE_SHARE of the root node (strong branching near the top of the tree).
ROOT_UNITS_FIXED = 3e4
ROOT_UNITS_AT_1000 = 8e5
ROOT_EXPONENT = 2.2
ONE_THEME_FACTOR = 1.8
NODE_SHARE = 0.3


@dataclass
class Mip:
    counts: dict[int, int]  # free groups per cell
    points: float  # the free people's points (locked people excluded)
    bound: float  # SCIP's dual bound on the same
    optimal: bool
    nodes: int
    units: float  # work units the solve is charged (a function of nodes and size only)
    stopped_by_clock: bool  # the wall-clock safety stop ended it


def useful_options(index: Index, free: BoolArray) -> BoolArray:
    """Which options of the ``free`` people are in a cell that could hold a group by itself
    (enough people and volunteers): the model's binaries. Cells of locked groups are added by
    ``solve_mip``."""
    sel = free[index.arc_person]
    person = index.arc_person[sel]
    cell = index.arc_cell[sel]
    gmax = groups_max(index, person, cell)
    useful = np.zeros(len(index.arc_person), dtype=bool)
    useful[np.flatnonzero(sel)] = (gmax > 0)[cell]
    return useful


def groups_max(index: Index, person: np.ndarray, cell: np.ndarray) -> np.ndarray:
    """Per cell, the most groups its people and role volunteers could hold (both exact models)."""
    params = index.params
    n_cells = index.n_cells
    gmax = np.bincount(cell, minlength=n_cells) // params.min_size
    volunteers = np.zeros(len(person), dtype=bool)
    needed = 0
    for required, flags in (
        (params.require_moderator, index.is_mod),
        (params.require_secretary, index.is_sec),
        (params.require_board, index.is_brd),
    ):
        if required:
            gmax = np.minimum(gmax, np.bincount(cell, weights=flags[person], minlength=n_cells))
            volunteers |= flags[person]
            needed += 1
    if needed > 1:
        gmax = np.minimum(gmax, np.bincount(cell, weights=volunteers, minlength=n_cells) // needed)
    return gmax.astype(np.int64)


def root_units(options: int, one_theme: bool = False) -> float:
    """The work units SCIP's root node is charged on a model with ``options`` options."""
    units = ROOT_UNITS_FIXED + ROOT_UNITS_AT_1000 * (options / 1000) ** ROOT_EXPONENT
    return units * (ONE_THEME_FACTOR if one_theme else 1.0)


def units_for(options: int, nodes: int, one_theme: bool = False) -> float:
    """The work units a solve of ``nodes`` nodes is charged (a function of the model's size only)."""
    return root_units(options, one_theme) * (1.0 + NODE_SHARE * max(0, nodes - 1))


def nodes_for(options: int, units: float, one_theme: bool = False) -> int:
    """The node limit the work ``units`` buy on a model with ``options`` options (at least 1; the
    caller does not start the MIP when ``units`` do not pay for the root node)."""
    root = root_units(options, one_theme)
    return max(1, 1 + int(max(0.0, units - root) / (NODE_SHARE * root) + 1e-9))  # (1e-9: rounding)


def solve_mip(
    index: Index,
    free: BoolArray,
    locked_bins: list[Bin],
    hint: tuple[list[Bin], FlowResult] | None,
    *,
    units: float,
    seconds: Callable[[], float],
) -> Mip | None:
    """The best numbers of groups per cell for the ``free`` people next to ``locked_bins``;
    ``None`` when SCIP found no solution within the limits (or is not available). ``units``
    set the node limit; ``seconds()``, asked just before SCIP starts (after the model is built),
    the wall seconds it may take at most (the safety stop)."""
    params = index.params
    sel = free[index.arc_person]
    person = index.arc_person[sel]
    cell = index.arc_cell[sel]
    profit = index.arc_profit[sel]
    mod = index.is_mod[person] & params.require_moderator
    sec = index.is_sec[person] & params.require_secretary
    brd = index.is_brd[person] & params.require_board
    locked_in: dict[int, list[Bin]] = {}
    for item in locked_bins:
        locked_in.setdefault(item.cell, []).append(item)
    gmax = groups_max(index, person, cell)
    useful = gmax > 0
    for c in locked_in:
        useful[c] = True
    keep = useful[cell]
    person, cell, profit = person[keep], cell[keep], profit[keep]
    mod, sec, brd = mod[keep], sec[keep], brd[keep]
    cells = np.flatnonzero(useful)
    options = len(person)

    solver = pywraplp.Solver.CreateSolver("SCIP")
    if solver is None:
        return None
    g = {int(c): solver.IntVar(0, float(gmax[c]), "") for c in cells.tolist()}
    x = [solver.BoolVar("") for _ in range(options)]
    m = {k: solver.BoolVar("") for k in np.flatnonzero(mod).tolist()}
    s = {k: solver.BoolVar("") for k in np.flatnonzero(sec).tolist()}
    r = {k: solver.BoolVar("") for k in np.flatnonzero(brd).tolist()}
    for k in set(m) | set(s) | set(r):
        seats = [v for v in (m.get(k), s.get(k), r.get(k)) if v is not None]
        solver.Add(solver.Sum(seats) <= x[k])
    order = np.argsort(person, kind="stable")
    bounds = [*np.searchsorted(person[order], np.unique(person), side="left").tolist(), len(order)]
    for a, b in itertools.pairwise(bounds):
        if b - a > 1:
            solver.Add(solver.Sum([x[k] for k in order[a:b].tolist()]) <= 1)
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
                solver.Add(x[k] <= g[c])  # the cut that makes the relaxation tight (research notes)
        size = solver.Sum([x[k] for k in ks]) + n_locked
        solver.Add(size >= params.min_size * groups)
        solver.Add(size <= params.max_size * groups)
        if params.require_moderator:
            have = sum(1 for item in locks for _, role in item.locked if role == "moderator")
            solver.Add(solver.Sum([m[k] for k in ks if k in m]) + have == groups)
        if params.require_secretary:
            have = sum(1 for item in locks for _, role in item.locked if role == "secretary")
            solver.Add(solver.Sum([s[k] for k in ks if k in s]) + have == groups)
        if params.require_board:
            have = sum(1 for item in locks for _, role in item.locked if role == "board")
            solver.Add(solver.Sum([r[k] for k in ks if k in r]) + have == groups)
    api = rules.Api(
        new_bool=lambda: solver.BoolVar(""),
        new_int=lambda ub: solver.IntVar(0, float(ub), ""),
        add=solver.Add,
        total=solver.Sum,
    )
    if params.one_theme_per_office:
        rules.one_theme(index, api, g, gmax, locked_in)
    rules.balance(index, api, g, gmax, x, person, cells_of, locked_in)
    objective = solver.Objective()
    for k, w in enumerate(profit.tolist()):
        objective.SetCoefficient(x[k], float(w))
    objective.SetMaximization()
    if hint is not None:
        _hint(solver, hint, person, cell, g, x, m, s, r)
    one_theme = params.one_theme_per_office
    nodes = nodes_for(options, units, one_theme)
    solver.SetNumThreads(1)
    solver.SetSolverSpecificParametersAsString(
        f"limits/nodes = {nodes}\nrandomization/randomseedshift = {int(params.seed) % 2**31}\n"
    )
    limit = max(0.001, seconds())
    solver.SetTimeLimit(max(1, int(limit * 1000)))
    mp = pywraplp.MPSolverParameters()
    mp.SetDoubleParam(pywraplp.MPSolverParameters.RELATIVE_MIP_GAP, 0.0)
    started = time.perf_counter()
    status = solver.Solve(mp)
    elapsed = time.perf_counter() - started
    used = int(solver.nodes())
    if status not in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE):
        return None
    optimal = status == pywraplp.Solver.OPTIMAL
    counts = {c: round(var.solution_value()) for c, var in g.items() if round(var.solution_value()) > 0}
    return Mip(
        counts=counts,
        points=float(objective.Value()),
        bound=float(objective.BestBound()),
        optimal=optimal,
        nodes=used,
        units=units_for(options, used, one_theme),
        stopped_by_clock=not optimal and used < nodes and elapsed >= limit * 0.95,
    )


def _hint(
    solver: pywraplp.Solver,
    hint: tuple[list[Bin], FlowResult],
    person: np.ndarray,
    cell: np.ndarray,
    g: dict[int, pywraplp.Variable],
    x: list[pywraplp.Variable],
    m: dict[int, pywraplp.Variable],
    s: dict[int, pywraplp.Variable],
    r: dict[int, pywraplp.Variable],
) -> None:
    """The heuristic's solution as SCIP's first incumbent (a complete solution)."""
    bins, result = hint
    counts: dict[int, int] = {}
    for item in bins:
        if item.locked_id is None:
            counts[item.cell] = counts.get(item.cell, 0) + item.groups
    bin_cell = np.array([item.cell for item in bins] + [-1], dtype=np.int64)
    inside = bin_cell[result.person_bin[person]] == cell
    role = result.person_role[person]
    variables: list[pywraplp.Variable] = []
    values: list[float] = []
    for c, var in g.items():
        variables.append(var)
        values.append(float(counts.get(c, 0)))
    for k, var in enumerate(x):
        variables.append(var)
        values.append(float(inside[k]))
    for k, var in m.items():
        variables.append(var)
        values.append(float(inside[k] and role[k] == 1))
    for k, var in s.items():
        variables.append(var)
        values.append(float(inside[k] and role[k] == 2))
    for k, var in r.items():
        variables.append(var)
        values.append(float(inside[k] and role[k] == 3))
    solver.SetHint(variables, values)
