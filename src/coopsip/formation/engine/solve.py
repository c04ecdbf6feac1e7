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
from dataclasses import dataclass

import numpy as np

from . import lagrange
from .flow import Bin, FlowResult, place
from .greedy import Formed, greedy_groups
from .index import BoolArray, Index, IntArray
from .model import LANGUAGES, SLOTS, Group, Params, Problem, Solution
from .report import build_solution


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
) -> Solution:
    """Form groups. ``locked`` groups keep their id, cell and listed members (with their
    roles); others may join them. ``method`` is "optimise" or "greedy" (the baseline).
    Deterministic: the same input and ``params.seed`` give the same output."""
    start = time.perf_counter()
    index = Index(problem, params)
    locks = _locks(index, locked)
    bound: float | None = None
    if method == "greedy":
        formed = greedy_groups(index, locks.free)
        formed += [(b.cell, [(p, r) for p, r in b.locked]) for b in locks.bins]
        group_ids = [None] * (len(formed) - len(locks.bins)) + [b.locked_id for b in locks.bins]
    elif method == "optimise":
        deadline = start + params.time_limit_s
        counts = _fill(index, locks.free, {}, _allowed(index, None))
        bins, result, released = _settle(index, counts, locks, deadline)
        best_points = result.points + _locked_points(index, bins)
        best = (bins, result)
        dual = lagrange.Dual(index, locks.free)
        lam = np.zeros(index.n)
        members = result.person_bin >= 0
        lam[members] = _person_points(index, bins, result)[members]
        for suggestion in dual.improve(lam, lower=best_points, deadline=deadline - 0.1 * params.time_limit_s):
            bins2, result2, released2 = _settle(index, suggestion, locks, deadline)
            points2 = result2.points + _locked_points(index, bins2)
            if points2 > best_points + 1e-6:
                best_points, best, released = points2, (bins2, result2), released2
                dual.lower = best_points
        bound = dual.bound
        bins, result = best
        counts = {b.cell: b.groups for b in bins if b.locked_id is None}
        improved = _improve(index, counts, locks, best_points, deadline)
        if improved is not None:
            bins, result, released = improved
        locks.released.extend(released)
        formed, group_ids = _cut(index, bins, result)
    else:
        raise ValueError(f"unknown method {method!r}")
    return build_solution(
        index,
        formed,
        group_ids,
        bound=bound,
        seconds=time.perf_counter() - start,
        method=method,
        released=locks.released,
    )


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


def _fill(index: Index, free: BoolArray, counts: dict[int, int], allowed: BoolArray) -> dict[int, int]:
    """Open groups among ``free`` people only, best cell first (each person counted once)."""
    params = index.params
    counts = dict(counts)
    sel = free[index.arc_person] & allowed[index.arc_cell]
    person = index.arc_person[sel]
    cell = index.arc_cell[sel]
    profit = index.arc_profit[sel]
    alive = np.ones(index.n, dtype=bool)
    while len(person):
        keep = alive[person]
        person, cell, profit = person[keep], cell[keep], profit[keep]
        if not len(person):
            break
        n = np.bincount(cell, minlength=index.n_cells)
        mods = np.bincount(cell, weights=index.is_mod[person], minlength=index.n_cells)
        secs = np.bincount(cell, weights=index.is_sec[person], minlength=index.n_cells)
        either = np.bincount(cell, weights=index.is_mod[person] | index.is_sec[person], minlength=index.n_cells)
        k = n // params.min_size
        if params.require_moderator:
            k = np.minimum(k, mods)
        if params.require_secretary:
            k = np.minimum(k, secs)
        if params.require_moderator and params.require_secretary:
            k = np.minimum(k, either // 2)
        k = k.astype(np.int64)
        if not k.any():
            break
        value = np.bincount(cell, weights=profit, minlength=index.n_cells)
        value = np.where(k > 0, np.minimum(value, value / np.maximum(n, 1) * k * params.max_size), -np.inf)
        best = int(np.argmax(value))
        counts[best] = counts.get(best, 0) + int(k[best])
        alive[person[cell == best]] = False
    return counts


def _settle(
    index: Index, counts: dict[int, int], locks: _Locks, deadline: float
) -> tuple[list[Bin], FlowResult, list[str]]:
    """Place people for ``counts``, lower counts that cannot be filled, open more where
    the people left out can form groups by themselves; repeat until stable."""
    params = index.params
    counts = {c: g for c, g in counts.items() if g > 0}
    locked = list(locks.bins)
    free = locks.free.copy()
    released: list[str] = []
    office_theme: dict[int, int] | None = None
    for _round in range(60):
        bins = locked + [Bin(cell=c, groups=g) for c, g in sorted(counts.items())]
        result = place(index, bins, free)
        short = np.flatnonzero(result.shortage > 0)
        if len(short):
            for b in short:
                item = bins[b]
                if item.locked_id is not None:
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
        more = _fill(index, left, {}, allowed)
        if not more or time.perf_counter() > deadline:
            break
        for c, g in more.items():
            counts[c] = counts.get(c, 0) + g
    return bins, result, released


def _improve(
    index: Index, counts: dict[int, int], locks: _Locks, points: float, deadline: float
) -> tuple[list[Bin], FlowResult, list[str]] | None:
    """Local search: one more group in a cell where people are left out, kept when the
    flow finds a better placement with it. Stops at the deadline."""
    found = None
    tried: set[tuple[int, int]] = set()
    while time.perf_counter() < deadline:
        bins = locks.bins + [Bin(cell=c, groups=g) for c, g in sorted(counts.items())]
        result = place(index, bins, locks.free)
        left = locks.free & (result.person_bin < 0)
        sel = left[index.arc_person]
        cells, size = np.unique(index.arc_cell[sel], return_counts=True)
        order = np.lexsort((cells, -size))
        better = False
        for c in cells[order].tolist():
            if time.perf_counter() > deadline:
                break
            key = (c, counts.get(c, 0) + 1)
            if key in tried:
                continue
            tried.add(key)
            trial = dict(counts)
            trial[c] = key[1]
            bins2, result2, released2 = _settle(index, trial, locks, deadline)
            points2 = result2.points + _locked_points(index, bins2)
            if points2 > points + 1e-6:
                points, found, better = points2, (bins2, result2, released2), True
                counts = {b.cell: b.groups for b in bins2 if b.locked_id is None}
                break
        if not better:
            break
    return found


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
        rest = [int(p) for p in members[roles == 0]]
        if item.locked_id is not None:
            group = [(p, r) for p, r in item.locked]
            group += [(p, "moderator") for p in mods] + [(p, "secretary") for p in secs]
            group += [(p, "participant") for p in rest]
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
        extra = [(p, "participant") for p in mods[g:] + secs[g:] + rest]
        extra.sort(key=lambda pr: (people[pr[0]].gender or "", people[pr[0]].stakeholder or "", pr[0]))
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
    for role, flags in (("moderator", index.is_mod), ("secretary", index.is_sec)):
        if any(r == role for _, r in out):
            continue
        for k, (p, r) in enumerate(out):
            if r == "participant" and flags[p]:
                out[k] = (p, role)
                break
    return out
