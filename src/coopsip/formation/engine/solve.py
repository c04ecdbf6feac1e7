"""The solver: choose how many groups each cell gets, place people exactly, cut cells into groups.

See docs/formation.md for the formulation. In short: a cell is theme × venue ×
language × slot. For a given number of groups per cell, ``flow.place`` finds the best
placement exactly. The numbers of groups come from a constructive start, then from the
Lagrangian relaxation (``lagrange``), whose per-cell answers are repaired by the flow;
the same relaxation gives the proven bound.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from . import lagrange
from .balance import enforce, hard_rules
from .budget import UNITS_PER_SECOND, WORK_SHARE, Budget, flow_units
from .exact import DTIME_UNITS, solve_exact
from .flow import SCALE, Bin, FlowResult, place
from .greedy import Formed, greedy_groups
from .index import BoolArray, Index, IntArray
from .mip import solve_mip, units_for, useful_options
from .model import LANGUAGES, SLOTS, Group, Member, Params, Problem, Role, Solution
from .report import build_solution
from .travel import shorten_travel

DUAL_SHARE_LEFT = 0.2  # share of the time limit kept for the local search after the relaxation
TRAVEL_SHARE = 0.03  # share of the time limit kept for the last stage: same ranks, less travel
FINISH_SECONDS_FIXED = 0.01  # the steps after the search on an idle machine (CPU seconds): fixed,
FINISH_SECONDS_PER_PERSON = 25e-6  # ... per person (cutting into groups, the report, its validation: 15-20 µs measured)
FINISH_FLOWS = 1  # ... and the longest step between two checks of the stop: a placement of everyone
MIP_AFTER_FLOWS = 2  # placements of everyone kept free after SCIP's time limit (placing its groups)
FILL_UNITS_PER_ARC = 0.3
FILL_UNITS_FIXED = 200.0
FILL_UNITS_PER_CELL = 0.02
LOCKED_SHARE = 0.6  # with locks: share of the work for the run with them (the rest: the same run without)
EXACT_MAX_OPTIONS = 12_000  # options (in cells that could hold a group) up to which the MIP solves the whole model
EXACT_DUAL_SHARE = 0.25  # small instances: share of the budget for the relaxation,
EXACT_FROM = 0.3  # ... up to this share for the local search, then the MIP from its best solution
EXACT_UNTIL = 0.95  # ... up to this share; the local search from the MIP's solution has the rest


@dataclass
class _Locks:
    bins: list[Bin]
    free: BoolArray
    released: list[str]


def solve(
    problem: Problem,
    params: Params,
    *,
    locked: Sequence[Group] = (),
    method: str = "optimise",
    warm_start: Sequence[Group] = (),
    kept: Sequence[Group] = (),
) -> Solution:
    """Form groups. ``locked`` groups keep their id, cell and listed members (with their
    roles); others may join them. ``kept`` groups stay exactly as they are, outside the
    result: their people are taken out of ``problem`` and nobody joins them (the caller
    stores them as they are). ``warm_start`` is an earlier solution (the run this one
    re-runs): the search starts from it, so a re-run never ends below it. ``method`` is
    "optimise" or "greedy" (the baseline). Deterministic: the same input and
    ``params.seed`` give the same output.

    With locks (``locked`` or ``kept``) the report's ``locks`` compares the placements
    with the same run without them (see docs/formation.md)."""
    start = time.perf_counter()
    kept_ids = {m.id for group in kept for m in group.members}
    everyone = problem
    if kept_ids:
        problem = replace(problem, registrants=tuple(p for p in problem.registrants if p.id not in kept_ids))
    index = Index(problem, params)
    locks = _locks(index, locked)
    bound: float | None = None
    lock_report: dict[str, int] | None = None
    budget = _budget(params, start, index)
    if method == "greedy":
        formed = greedy_groups(index, locks.free)
        formed += [(b.cell, [(p, r) for p, r in b.locked]) for b in locks.bins]
        group_ids = [None] * (len(formed) - len(locks.bins)) + [b.locked_id for b in locks.bins]
    elif method == "optimise":
        with_locks = bool(kept_ids) or bool(locks.bins)
        ids = {g.id for g in locked} | {g.id for g in kept}
        starts = [_counts_of(index, warm_start, skip=ids)] if warm_start else []
        found = _optimise(index, locks, starts, budget.child(LOCKED_SHARE) if with_locks else budget)
        if with_locks:
            # The same run without the locks, warm-started from the locked solution too: the
            # locked solution is one of its solutions, so the comparison is fair.
            free_index = Index(everyone, params)
            free_locks = _locks(free_index, ())
            locked_groups = [g for g, _ in _groups_of(index, found)] + list(kept)
            free_starts = [_counts_of(free_index, locked_groups, skip=set())]
            if warm_start:
                free_starts.append(_counts_of(free_index, warm_start, skip=set()))
            free_found = _optimise(free_index, free_locks, free_starts, budget.child(1.0))
            # And back: the free solution minus what the locks take, as one more start of the locked run.
            back = _counts_of(index, [g for g, _ in _groups_of(free_index, free_found)], skip=ids)
            for item in locks.bins:
                if back.get(item.cell, 0) > 0:
                    back[item.cell] -= 1
            bins2, result2, released2 = _settle(index, back, locks, budget)
            points2 = result2.points + _locked_points(index, bins2)
            if points2 > found.points + 1e-6:
                found = _Found(
                    bins2,
                    result2,
                    released2,
                    _freed(locks, released2),
                    points2,
                    found.bound,
                    found.exact,
                    mip=found.mip,
                )
            placed = int((found.result.person_bin >= 0).sum()) + _locked_count(found.bins)
            placed += sum(1 for p in everyone.registrants if p.id in kept_ids)
            placed_free = int((free_found.result.person_bin >= 0).sum())
            lock_report = {
                "placed": placed,
                "placed_without_locks": max(placed, placed_free),
                "cost": max(0, placed_free - placed),
            }
        bound = min(found.bound, simple_bound(index))
        locks.released.extend(found.released)
        formed, group_ids = _cut(index, found.bins, found.result)
    else:
        raise ValueError(f"unknown method {method!r}")
    # The balance rules and the board role, kept group by group (balance.py), whatever the method.
    in_group = np.zeros(index.n, dtype=bool)
    for _cell, members in formed:
        for p, _role in members:
            in_group[p] = True
    before = formed
    formed, group_ids, reasons = enforce(index, formed, group_ids, ~in_group)
    enforced = formed != before
    solution = build_solution(
        index,
        formed,
        group_ids,
        bound=bound,
        seconds=time.perf_counter() - start,
        method=method,
        released=locks.released,
        reserved={g.id for g in kept},
        reasons=reasons,
    )
    if method == "optimise":
        report = dict(solution.report)
        report["locks"] = lock_report
        # A proof about the cells' numbers of groups holds for the groups only if the balance step changed none.
        proven = found.proven and not enforced
        report["exact"] = {"used": found.exact, "proven_optimal": proven, **(found.mip or {})}
        if proven:
            # Proven optimal: the bound is the objective itself (CP-SAT's own is on points rounded to 0.1).
            report["bound"], report["gap"] = report["objective"], 0.0
        # What the safety stop cost: the share of the work done when it fired, and the gap (to the
        # bound) of what that work found: a better proposal, if one exists, is at most that much better.
        report["work"] = {
            "units": round(budget.used),
            "budget": round(budget.units),
            "cut_short": budget.cut_short,
            "done_at_cut": round(min(1.0, (budget.cut_at or 0.0) / budget.units), 4)
            if budget.cut_short and budget.units > 0
            else None,
            "gap_at_cut": report["gap"] if budget.cut_short else None,
        }
        solution = replace(solution, report=report)
    return solution


def simple_bound(index: Index) -> float:
    """Σ of each person's best option: no solution can bring more (the relaxation's bound is capped by it)."""
    best = np.zeros(index.n)
    np.maximum.at(best, index.arc_person, index.arc_profit)
    return float(best.sum())


def _budget(params: Params, start: float, index: Index) -> Budget:
    """The work of ``params.work`` (default: about half the time limit on an idle machine), with the
    wall-clock safety stop early enough for what follows it to end within the time limit: the step
    under way when it passes (at most about one placement of everyone) and the finishing steps
    (cutting the cells into groups, the report and its validation). Their cost on an idle machine
    (``FINISH_*``; measured 15-20 µs a person at 500-20,000 people, and a placement within about
    1.4 times its ``flow_units``) is kept in reserve, scaled by how slowly the process runs at
    the time (budget.py)."""
    units = params.work if params.work is not None else params.time_limit_s * UNITS_PER_SECOND * WORK_SHARE
    finish = (
        FINISH_SECONDS_FIXED
        + FINISH_SECONDS_PER_PERSON * index.n
        + FINISH_FLOWS * flow_units(len(index.arc_person)) / UNITS_PER_SECOND
    )
    return Budget(units, start + params.time_limit_s, finish=finish)


@dataclass
class _Found:
    bins: list[Bin]
    result: FlowResult
    released: list[str]
    free: BoolArray  # the people the search may place (locked people of released locks included)
    points: float
    bound: float
    exact: bool = False  # the whole model was solved as a MIP (SCIP, or CP-SAT without SCIP)
    proven: bool = False  # ... and the solution proved optimal
    mip: dict[str, object] | None = None  # the MIP's solver, nodes and whether the clock stopped it


def _optimise(index: Index, locks: _Locks, starts: list[dict[int, int]], budget: Budget) -> _Found:
    """The search of docs/formation.md (steps 1-5) within ``budget``; ``starts`` (numbers of
    groups per cell, e.g. a warm start) are tried first."""
    counts = _fill(index, locks.free, {}, _allowed(index, None), budget)
    bins, result, released = _settle(index, counts, locks, budget)
    best_points = result.points + _locked_points(index, bins)
    best = (bins, result)
    for counts in starts:
        # Always tried, whatever the budget: a re-run never ends below the run it starts from.
        bins2, result2, released2 = _settle(index, counts, locks, budget)
        points2 = result2.points + _locked_points(index, bins2)
        if points2 > best_points + 1e-6:
            best_points, best, released = points2, (bins2, result2), released2
    bins, result = best
    mip_options = int(useful_options(index, locks.free).sum())
    # The exact path when the model is small enough and the budget pays at least for its root node
    # (a cost model in work units, mip.py: never the clock, so the choice is the same on a busy machine).
    root = units_for(mip_options, 1, index.params.one_theme_per_office)
    small = mip_options <= EXACT_MAX_OPTIONS and (EXACT_UNTIL - EXACT_FROM) * budget.units >= root
    dual = lagrange.Dual(index, locks.free)
    lam = np.zeros(index.n)
    members = result.person_bin >= 0
    lam[members] = _person_points(index, bins, result)[members]
    until = EXACT_DUAL_SHARE if small else 1.0 - DUAL_SHARE_LEFT
    for suggestion in dual.improve(lam, lower=best_points, budget=budget, until=until):
        bins2, result2, released2 = _settle(index, suggestion, locks, budget)
        points2 = result2.points + _locked_points(index, bins2)
        if points2 > best_points + 1e-6:
            best_points, best, released = points2, (bins2, result2), released2
            dual.lower = best_points
    bins, result = best
    bound = dual.bound
    proven = exact_used = False
    mip_report: dict[str, object] | None = None
    if small:
        # The heuristic's local search first: the MIP starts from its best, and never ends below it.
        free = _freed(locks, released)
        bins, result = _improve(index, bins, result, free, best_points, budget, EXACT_FROM, dual.average)
        best_points = result.points + _locked_points(index, bins)
        best = (bins, result)
    units = max(0.0, EXACT_UNTIL * budget.units - budget.used)
    if small and units < root:
        small = False  # the budget does not pay for the MIP's root node: the heuristic goes on instead
    if small and not released and not budget.done():
        locked_points = _locked_points(index, bins)
        locked_bins = [b for b in bins if b.locked_id is not None]
        # SCIP's time limit is the safety stop less the placement after it (the flows of ``_settle``).
        after = MIP_AFTER_FLOWS * flow_units(len(index.arc_person)) / UNITS_PER_SECOND
        mip = solve_mip(
            index,
            locks.free,
            locked_bins,
            (bins, result),
            units=units,
            seconds=lambda: max(0.0, budget.seconds_left(after)),
        )
        if mip is not None:
            exact_used = True
            mip_report = {"solver": "scip", "nodes": mip.nodes, "stopped_by_clock": mip.stopped_by_clock}
            budget.spend(mip.units)
            if mip.stopped_by_clock:
                budget.cut()  # (SCIP stops a little before the stop itself: the result depends on the clock)
            bound = min(bound, mip.bound + locked_points + 1e-6 * abs(mip.bound))
            bins2, result2, released2 = _settle(index, dict(mip.counts), locks, budget)
            points2 = float(_person_points(index, bins2, result2).sum()) + _locked_points(index, bins2)
            exact_best = float(_person_points(index, bins, result).sum()) + locked_points
            if points2 > exact_best + 1e-6 and not released2:
                best_points, best, released = result2.points + _locked_points(index, bins2), (bins2, result2), released2
                exact_best = points2
            proven = mip.optimal and exact_best >= mip.points + locked_points - 1e-6 * max(1.0, abs(mip.points))
            bins, result = best
        else:
            # SCIP unavailable or without a solution: CP-SAT on the same model (deterministic time).
            seconds = max(0.0, budget.seconds_left(after))
            exact = solve_exact(
                index, locks.free, locked_bins, (bins, result), dtime=units / DTIME_UNITS, seconds=seconds
            )
            if exact is not None:
                exact_used = True
                mip_report = {"solver": "cp-sat"}
                budget.spend(exact.dtime * DTIME_UNITS)
                # CP-SAT works on points rounded to 0.1: its bound, widened by the rounding, stays valid.
                rounding = 0.5 / SCALE * int(locks.free.sum())
                bound = min(bound, exact.bound + locked_points + rounding)
                bins2, result2, released2 = _settle(index, dict(exact.counts), locks, budget)
                points2 = result2.points + _locked_points(index, bins2)
                if points2 > best_points + 1e-6 and not released2:
                    best_points, best, released = points2, (bins2, result2), released2
                proven = exact.optimal and best_points >= exact.points + locked_points - 1e-6
                bins, result = best
    free = _freed(locks, released)
    if not proven:
        bins, result = _improve(index, bins, result, free, best_points, budget, 1.0 - TRAVEL_SHARE, dual.average)
        if index.params.one_theme_per_office and not released:
            bins, result = _switch_themes(index, bins, result, locks, budget, 1.0 - TRAVEL_SHARE)
        if not index.params.require_board and not hard_rules(index.params):
            # (Skipped with a board member or hard balance rules: it re-deals people between groups.)
            bins, result = shorten_travel(index, bins, result, free, budget)
    points = result.points + _locked_points(index, bins)
    return _Found(bins, result, released, free, points, bound, exact_used, proven, mip_report)


def _freed(locks: _Locks, released: list[str]) -> BoolArray:
    free = locks.free.copy()
    for item in locks.bins:
        if item.locked_id in released:
            for p, _ in item.locked:
                free[p] = True
    return free


def _locked_count(bins: list[Bin]) -> int:
    return sum(len(item.locked) for item in bins)


def _groups_of(index: Index, found: _Found) -> list[tuple[Group, str | None]]:
    """The groups of a search result, as Groups (ids are placeholders), with their locked id."""
    formed, ids = _cut(index, found.bins, found.result)
    people = index.problem.registrants
    out: list[tuple[Group, str | None]] = []
    for k, (cell, members) in enumerate(formed):
        key = index.key(cell)
        in_person = key.venue != index.video
        group = Group(
            id=ids[k] or f"_{k}",
            theme=index.problem.themes[key.theme].id,
            mode="in_person" if in_person else "video",
            office=index.problem.offices[key.venue].id if in_person else None,
            language=LANGUAGES[key.language],
            slot=SLOTS[key.slot],
            members=tuple(Member(people[p].id, _role(r)) for p, r in members),
        )
        out.append((group, ids[k]))
    return out


def _role(role: str) -> Role:
    if role in ("moderator", "secretary", "board"):
        return role  # type: ignore[return-value]  # one of the Role literals
    return "participant"


def _counts_of(index: Index, groups: Sequence[Group], *, skip: set[str]) -> dict[int, int]:
    """Numbers of groups per cell of ``groups`` (a warm start): groups in ``skip`` (locked,
    kept), with a theme or office the problem does not have, or without any of its people
    are left out."""
    counts: dict[int, int] = {}
    for group in groups:
        if group.id in skip or group.theme not in index.theme_ix:
            continue
        if group.language not in LANGUAGES or group.slot not in SLOTS:
            continue
        if group.mode == "video":
            venue = index.video
        elif group.office in index.office_ix:
            venue = index.office_ix[group.office or ""]
        else:
            continue
        if not any(m.id in index.person_ix for m in group.members):
            continue
        cell = index.cell_of(
            index.theme_ix[group.theme], venue, LANGUAGES.index(group.language), SLOTS.index(group.slot)
        )
        counts[cell] = counts.get(cell, 0) + 1
    return counts


def _locks(index: Index, locked: Sequence[Group]) -> _Locks:
    free = np.ones(index.n, dtype=bool)
    bins: list[Bin] = []
    for group in locked:
        venue = index.video if group.mode == "video" else index.office_ix[group.office or ""]
        cell = index.cell_of(
            index.theme_ix[group.theme], venue, LANGUAGES.index(group.language), SLOTS.index(group.slot)
        )
        members = [(index.person_ix[m.id], str(m.role)) for m in group.members]
        for p, _ in members:
            free[p] = False
        bins.append(Bin(cell=cell, groups=1, locked_id=group.id, locked=members))
    return _Locks(bins, free, [])


def _allowed(index: Index, office_theme: dict[int, int] | None) -> BoolArray:
    """Cells that may open; with one theme per office, in-person cells of other themes may not."""
    allowed = np.ones(index.n_cells, dtype=bool)
    if office_theme is not None:
        cells = np.arange(index.n_cells)
        theme, venue, _, _ = index.cell_arrays(cells)
        in_person = venue < index.video
        chosen = np.full(index.n_venues, -1)
        for v, t in office_theme.items():
            chosen[v] = t
        allowed &= ~in_person | (chosen[venue] == theme)
    return allowed


def _fill(
    index: Index, free: BoolArray, counts: dict[int, int], allowed: BoolArray, budget: Budget | None = None
) -> dict[int, int]:
    """Open groups among ``free`` people only, best cell first (each person counted once).

    The counts per cell are kept up to date incrementally: when a cell opens, only the
    options of the people it takes are subtracted (points in integer tenths, so exactly),
    which keeps the whole loop near-linear in the number of options."""
    params = index.params
    counts = dict(counts)
    sel = free[index.arc_person] & allowed[index.arc_cell]
    person = index.arc_person[sel]  # sorted by person (the index's order)
    cell = index.arc_cell[sel]
    profit = np.rint(index.arc_profit[sel] * SCALE).astype(np.int64)
    size = index.n_cells
    mod = index.is_mod[person].astype(np.int64)
    sec = index.is_sec[person].astype(np.int64)
    brd = (index.is_brd[person] & params.require_board).astype(np.int64)
    roles_needed = int(params.require_moderator) + int(params.require_secretary) + int(params.require_board)
    either = (mod & params.require_moderator) | (sec & params.require_secretary) | brd
    n = np.bincount(cell, minlength=size).astype(np.int64)
    brds = np.bincount(cell, weights=brd, minlength=size).astype(np.int64)
    mods = np.bincount(cell, weights=mod, minlength=size).astype(np.int64)
    secs = np.bincount(cell, weights=sec, minlength=size).astype(np.int64)
    both = np.bincount(cell, weights=either, minlength=size).astype(np.int64)
    value = np.zeros(size, dtype=np.int64)
    np.add.at(value, cell, profit)
    by_cell = np.argsort(cell, kind="stable")
    cell_start = np.searchsorted(cell[by_cell], np.arange(size + 1))
    alive = np.ones(index.n, dtype=bool)
    if budget is not None:
        budget.spend(FILL_UNITS_FIXED + FILL_UNITS_PER_ARC * len(person))
    while True:
        k = n // params.min_size
        if params.require_moderator:
            k = np.minimum(k, mods)
        if params.require_secretary:
            k = np.minimum(k, secs)
        if params.require_board:
            k = np.minimum(k, brds)
        if roles_needed > 1:
            k = np.minimum(k, both // roles_needed)
        if not k.any():
            break
        worth = np.where(k > 0, np.minimum(value, value / np.maximum(n, 1) * k * params.max_size), -np.inf)
        best = int(np.argmax(worth))
        counts[best] = counts.get(best, 0) + int(k[best])
        taken = person[by_cell[cell_start[best] : cell_start[best + 1]]]
        taken = np.unique(taken[alive[taken]])
        alive[taken] = False
        # Every option of the people taken leaves the counts.
        lo = np.searchsorted(person, taken)
        hi = np.searchsorted(person, taken, side="right")
        arcs = np.repeat(lo - np.cumsum(np.r_[0, (hi - lo)[:-1]]), hi - lo) + np.arange(int((hi - lo).sum()))
        gone = cell[arcs]
        n -= np.bincount(gone, minlength=size)
        mods -= np.bincount(gone, weights=mod[arcs], minlength=size).astype(np.int64)
        secs -= np.bincount(gone, weights=sec[arcs], minlength=size).astype(np.int64)
        brds -= np.bincount(gone, weights=brd[arcs], minlength=size).astype(np.int64)
        both -= np.bincount(gone, weights=either[arcs], minlength=size).astype(np.int64)
        np.subtract.at(value, gone, profit[arcs])
        if budget is not None:
            budget.spend(FILL_UNITS_FIXED + FILL_UNITS_PER_CELL * size + FILL_UNITS_PER_ARC * len(arcs))
    return counts


def _settle(
    index: Index, counts: dict[int, int], locks: _Locks, budget: Budget, office_theme: dict[int, int] | None = None
) -> tuple[list[Bin], FlowResult, list[str]]:
    """Place people for ``counts``, lower counts that cannot be filled, open more where
    the people left out can form groups by themselves (while the budget lasts); repeat
    until stable. With one theme per office, ``office_theme`` (office → theme) is the choice
    to keep; without it the office's best theme after a first placement is chosen."""
    params = index.params
    counts = {c: g for c, g in counts.items() if g > 0}
    locked = list(locks.bins)
    free = locks.free.copy()
    released: list[str] = []
    for _round in range(60):
        bins = locked + [Bin(cell=c, groups=g) for c, g in sorted(counts.items())]
        result = place(index, bins, free, budget)
        short = np.flatnonzero(result.shortage > 0)
        if len(short):
            for b in short:
                item = bins[b]
                if item.locked_id is not None:
                    if counts.get(item.cell, 0) > 0:
                        # Other groups of its cell compete for the same people: one fewer of them.
                        counts[item.cell] -= 1
                        if not counts[item.cell]:
                            del counts[item.cell]
                        continue
                    # A locked group that cannot reach its size or roles is released.
                    locked.remove(item)
                    released.append(item.locked_id)
                    for p, _ in item.locked:
                        free[p] = True
                    continue
                g = int(result.filled[b]) // params.min_size
                if params.require_moderator:
                    g = min(g, int(result.mods[b]))
                if params.require_secretary:
                    g = min(g, int(result.secs[b]))
                if params.require_board:
                    g = min(g, int(result.boards[b]))
                g = min(g, item.groups - 1)
                if g > 0:
                    counts[item.cell] = g
                else:
                    counts.pop(item.cell, None)
            continue
        if params.one_theme_per_office and office_theme is None:
            office_theme = _office_themes(index, bins, result)
            allowed = _allowed(index, office_theme)
            before = len(counts)
            counts = {c: g for c, g in counts.items() if allowed[c]}
            if len(counts) != before:
                continue
        allowed = _allowed(index, office_theme)
        left = free & (result.person_bin < 0)
        if budget.done():
            break
        more = _fill(index, left, {}, allowed, budget)
        if not more:
            break
        for c, g in more.items():
            counts[c] = counts.get(c, 0) + g
    return bins, result, released


def _improve(
    index: Index,
    bins: list[Bin],
    result: FlowResult,
    free: BoolArray,
    points: float,
    budget: Budget,
    until: float,
    average: np.ndarray,
) -> tuple[list[Bin], FlowResult]:
    """Local search: one group more or fewer in a cell (see ``_moves``), until no move
    helps or ``until`` of the budget is spent.

    A move is judged on a neighbourhood only: the cells open near the changed cell (where
    people who could join it are or could go), the free people placed in them and the
    people left out who could join them; everyone else stays where they are. The flow
    re-places that neighbourhood exactly; since the rest is untouched, a gain found there
    is a real gain (never an estimate), and a few milliseconds buy a trial instead of a
    whole placement. An accepted move is then re-placed as a whole, which can only add.
    """
    by_cell = np.argsort(index.arc_cell, kind="stable")
    sorted_cells = index.arc_cell[by_cell]
    tried: set[tuple[int, int]] = set()
    while not budget.done(until):
        counts = {b.cell: b.groups for b in bins if b.locked_id is None}
        person_points = _person_points(index, bins, result)
        bin_cell = np.array([b.cell for b in bins], dtype=np.int64)
        open_cell = np.zeros(index.n_cells, dtype=bool)
        open_cell[bin_cell] = True
        open_arc = open_cell[index.arc_cell]
        left_arc = result.person_bin[index.arc_person] < 0
        better = False
        for c, g in _moves(index, counts, bins, result, free, average):
            if budget.done(until):
                break
            if (c, g) in tried:
                continue
            tried.add((c, g))
            if index.params.one_theme_per_office and g > counts.get(c, 0) and not _theme_fits(index, bins, c):
                continue
            lo, hi = np.searchsorted(sorted_cells, [c, c + 1])
            near = np.zeros(index.n, dtype=bool)
            near[index.arc_person[by_cell[lo:hi]]] = True
            in_hood = np.zeros(index.n_cells, dtype=bool)
            placed_near = near & (result.person_bin >= 0)
            in_hood[bin_cell[result.person_bin[placed_near]]] = True
            if g < counts.get(c, 0):
                # Fewer groups here: its people may go wherever they could join.
                members = np.zeros(index.n, dtype=bool)
                members[result.person_bin >= 0] = bin_cell[result.person_bin[result.person_bin >= 0]] == c
                in_hood[index.arc_cell[members[index.arc_person] & open_arc]] = True
            in_hood[c] = True
            hood_bins = np.flatnonzero(in_hood[bin_cell])
            in_bins = np.zeros(len(bins) + 1, dtype=bool)  # the last entry stands for "left out"
            in_bins[hood_bins] = True
            people = free & in_bins[result.person_bin]
            people[index.arc_person[left_arc & in_hood[index.arc_cell]]] = True
            people &= free
            trial: list[Bin] = []
            for b in hood_bins.tolist():
                item = bins[b]
                if item.locked_id is None and item.cell == c:
                    if g > 0:
                        trial.append(Bin(cell=c, groups=g))
                else:
                    trial.append(item)
            if c not in counts and g > 0:
                trial.append(Bin(cell=c, groups=g))
            sub = place(index, trial, people, budget)
            if sub.shortage.any() or sub.points <= float(person_points[people].sum()) + 1e-6:
                continue
            counts2 = dict(counts)
            if g > 0:
                counts2[c] = g
            else:
                counts2.pop(c, None)
            bins2 = [b for b in bins if b.locked_id is not None]
            bins2 += [Bin(cell=cell, groups=k) for cell, k in sorted(counts2.items())]
            result2 = place(index, bins2, free, budget)
            points2 = result2.points + _locked_points(index, bins2)
            if result2.shortage.any() or points2 <= points + 1e-6:
                continue
            bins, result, points, better = bins2, result2, points2, True
            break
        if not better:
            break
    return bins, result


def _switch_themes(
    index: Index, bins: list[Bin], result: FlowResult, locks: _Locks, budget: Budget, until: float
) -> tuple[list[Bin], FlowResult]:
    """With one theme per office, a move of the search rather than a choice made once: give an
    office another theme (its groups of the old theme close, the flow and the filling re-place
    everyone), kept when the whole solution gains. Offices in order, their other themes best
    first (by the points of the people who could meet there), while the budget lasts."""
    points = result.points + _locked_points(index, bins)
    theme, venue, _, _ = index.cell_arrays(index.arc_cell)
    in_person = venue < index.video
    pair = venue[in_person] * index.n_themes + theme[in_person]
    total = np.bincount(pair, weights=index.arc_profit[in_person], minlength=index.n_venues * index.n_themes)
    demand = {(int(k) // index.n_themes, int(k) % index.n_themes): float(total[k]) for k in np.flatnonzero(total)}
    locked_theme = {index.key(b.cell).venue: index.key(b.cell).theme for b in bins if b.locked_id is not None}
    improved = True
    while improved and not budget.done(until):
        improved = False
        current = _office_themes(index, bins, result)
        for (office, other), _ in sorted(demand.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
            if budget.done(until):
                break
            if current.get(office) == other or office in locked_theme:
                continue
            mapping = {**current, office: other}
            allowed = _allowed(index, mapping)
            counts = {b.cell: b.groups for b in bins if b.locked_id is None and allowed[b.cell]}
            bins2, result2, released2 = _settle(index, counts, locks, budget, office_theme=mapping)
            points2 = result2.points + _locked_points(index, bins2)
            if not released2 and not result2.shortage.any() and points2 > points + 1e-6:
                bins, result, points, improved = bins2, result2, points2, True
                break
    return bins, result


def _theme_fits(index: Index, bins: list[Bin], cell: int) -> bool:
    """With one theme per office: whether ``cell`` may hold groups next to the open ones."""
    key = index.key(cell)
    if key.venue == index.video:
        return True
    for item in bins:
        other = index.key(item.cell)
        if other.venue == key.venue and other.theme != key.theme:
            return False
    return True


def _moves(
    index: Index,
    counts: dict[int, int],
    bins: list[Bin],
    result: FlowResult,
    free: BoolArray,
    average: np.ndarray,
) -> list[tuple[int, int]]:
    """Moves to try, most promising first, as (cell, new number of groups): first where the
    relaxation's average number of groups differs most from the current one (one step
    towards it), then one more group where people are left out (most of them first), then
    one group fewer where groups are smallest."""
    moves: list[tuple[int, int]] = []
    current = np.zeros(index.n_cells)
    if counts:
        current[np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))] = list(counts.values())
    diff = average - current
    cells = np.flatnonzero(np.abs(diff) >= 0.2)
    cells = cells[np.lexsort((cells, -np.abs(diff[cells])))]
    moves += [(int(c), int(current[c]) + (1 if diff[c] > 0 else -1)) for c in cells]
    left = free & (result.person_bin < 0)
    sel = left[index.arc_person]
    left_cells, left_size = np.unique(index.arc_cell[sel], return_counts=True)
    order = np.lexsort((left_cells, -left_size))
    moves += [(int(c), counts.get(int(c), 0) + 1) for c in left_cells[order]]
    open_bins = [b for b, item in enumerate(bins) if item.locked_id is None]
    per_group = [(int(result.filled[b]) / bins[b].groups, bins[b].cell) for b in open_bins]
    moves += [(c, counts.get(c, 0) - 1) for _, c in sorted(per_group)]
    return moves


def _office_themes(index: Index, bins: list[Bin], result: FlowResult) -> dict[int, int]:
    """The theme each office keeps: the one whose in-person groups bring the most points."""
    points = _person_points(index, bins, result)
    value: dict[tuple[int, int], float] = {}
    for b, item in enumerate(bins):
        key = index.key(item.cell)
        if key.venue == index.video:
            continue
        total = float(points[result.person_bin == b].sum()) + (1e9 if item.locked_id else 0.0)
        value[(key.venue, key.theme)] = value.get((key.venue, key.theme), 0.0) + total
    chosen: dict[int, int] = {}
    for (venue, theme), _total in sorted(value.items(), key=lambda kv: (-kv[1], kv[0])):
        chosen.setdefault(venue, theme)
    return chosen


def _person_points(index: Index, bins: list[Bin], result: FlowResult) -> np.ndarray:
    points = np.zeros(index.n)
    placed = np.flatnonzero(result.person_bin >= 0)
    cells = np.array([bins[b].cell for b in result.person_bin[placed]], dtype=np.int64)
    keys = placed * index.n_cells + cells
    at = np.searchsorted(index.arc_key, keys)
    points[placed] = index.arc_profit[at]
    return points


def _locked_points(index: Index, bins: list[Bin]) -> float:
    total = 0.0
    for item in bins:
        for p, _ in item.locked:
            total += index.profit(p, item.cell) or 0.0
    return total


def _cut(index: Index, bins: list[Bin], result: FlowResult) -> tuple[Formed, list[str | None]]:
    """Cut each cell into its groups: one moderator and one secretary each, sizes as even
    as possible, genders and stakeholder types dealt round so they spread."""
    people = index.problem.registrants
    formed: Formed = []
    ids: list[str | None] = []
    order = np.argsort(result.person_bin, kind="stable")
    sorted_bins = result.person_bin[order]
    starts = np.searchsorted(sorted_bins, np.arange(len(bins)))
    ends = np.searchsorted(sorted_bins, np.arange(len(bins)), side="right")
    for b, item in enumerate(bins):
        members: IntArray = order[starts[b] : ends[b]]
        roles = result.person_role[members]
        mods = [int(p) for p in members[roles == 1]]
        secs = [int(p) for p in members[roles == 2]]
        brds = [int(p) for p in members[roles == 3]]
        rest = [int(p) for p in members[roles == 0]]
        if item.locked_id is not None:
            group = [(p, r) for p, r in item.locked]
            group += [(p, "moderator") for p in mods] + [(p, "secretary") for p in secs]
            group += [(p, "board") for p in brds] + [(p, "participant") for p in rest]
            formed.append((item.cell, _promote(index, group)))
            ids.append(item.locked_id)
            continue
        g = item.groups
        groups: list[list[tuple[int, str]]] = [[] for _ in range(g)]
        for k in range(g):
            if k < len(mods):
                groups[k].append((mods[k], "moderator"))
            if k < len(secs):
                groups[k].append((secs[k], "secretary"))
            if k < len(brds):
                groups[k].append((brds[k], "board"))
        extra = [(p, "participant") for p in mods[g:] + secs[g:] + brds[g:] + rest]
        # Dealt round the groups by stakeholder type and gender, so they spread (the balance rules).
        extra.sort(key=lambda pr: (people[pr[0]].stakeholder or "", people[pr[0]].gender or "", pr[0]))
        for p, role in extra:
            smallest = min(range(g), key=lambda k: (len(groups[k]), k))
            groups[smallest].append((p, role))
        for group in groups:
            formed.append((item.cell, _promote(index, group)))
            ids.append(None)
    return formed, ids


def _promote(index: Index, group: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """When roles are optional, a volunteer still takes the role if the group has none."""
    out = list(group)
    for role, flags in (("moderator", index.is_mod), ("secretary", index.is_sec), ("board", index.is_brd)):
        if any(r == role for _, r in out):
            continue
        for k, (p, r) in enumerate(out):
            if r == "participant" and flags[p]:
                out[k] = (p, role)
                break
    return out
