"""A last, lexicographic stage: the same people at the same ranks, less travel.

Once the search has settled who is placed and at which choice, the in-person groups of
one theme, language and slot (a *cluster*) may still meet at other offices: everyone in
the cluster keeps their theme (hence their rank), language, slot and place, and only
the offices change. Per cluster this is a small capacitated location problem: choose
how many groups each office holds, then place the cluster's people exactly (a
min-cost flow where everyone must be placed, the cost being the travel points of the
documented objective). A local search moves one group from an office to another, or
opens or closes one, and keeps a move only when the flow places everyone with less
travel. So no figure but travel can change, and the objective can only rise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from .budget import Budget
from .flow import Bin, FlowResult
from .index import BoolArray, Index, IntArray

SCALE = 100  # travel points to integer costs (1/100 of a point)


@dataclass
class _Cluster:
    key: int
    people: IntArray  # the free people placed in the cluster's groups (sorted)
    cells: IntArray  # in-person cells some of them could meet in
    ok: BoolArray  # people × cells: may meet there
    cost: IntArray  # people × cells: minus their points there, scaled
    counts: IntArray  # groups per cell
    old_bins: list[int]  # the bins the cluster's people are in now


@dataclass
class _Placed:
    cost: int
    column: IntArray  # per cluster person: their cell's position in ``cells``
    role: IntArray  # 0 participant, 1 moderator, 2 secretary


def shorten_travel(
    index: Index, bins: list[Bin], result: FlowResult, free: BoolArray, budget: Budget, *, by_slot: bool = True
) -> tuple[list[Bin], FlowResult]:
    """The same placement (people, themes, languages, slots, roles per group) with groups
    moved to offices that shorten travel, until no move helps or the budget is spent."""
    params = index.params
    if index.n_offices < 2 or params.weights.travel_per_km <= 0:
        return bins, result
    clusters = _clusters(index, bins, result, free, by_slot)
    if not clusters:
        return bins, result
    found: list[tuple[_Cluster, _Placed]] = []
    for cluster in clusters:
        placed = _search(index, cluster, budget)
        if placed is not None:
            found.append((cluster, placed))
    return _rebuild(index, bins, result, found)


def _clusters(index: Index, bins: list[Bin], result: FlowResult, free: BoolArray, by_slot: bool) -> list[_Cluster]:
    """One cluster per theme (people may change office, language and slot), or with
    ``by_slot`` per theme × language × slot (people may change office only)."""
    params = index.params
    bin_cell = np.array([b.cell for b in bins], dtype=np.int64)
    theme, venue, language, slot = index.cell_arrays(bin_cell)
    movable = np.array([b.locked_id is None for b in bins], dtype=bool) & (venue != index.video)
    # Offices that hold in-person groups of each theme (for one theme per office).
    office_themes: dict[int, set[int]] = {}
    for b in np.flatnonzero(venue != index.video):
        office_themes.setdefault(int(venue[b]), set()).add(int(theme[b]))
    placed = np.flatnonzero((result.person_bin >= 0) & free)
    placed = placed[movable[result.person_bin[placed]]]
    if not len(placed):
        return []
    pb = result.person_bin[placed]
    group_key = theme[pb]
    if by_slot:
        group_key = (group_key * index.n_languages + language[pb]) * index.n_slots + slot[pb]
    order = np.lexsort((placed, group_key))
    placed, group_key = placed[order], group_key[order]
    starts = np.flatnonzero(np.r_[True, group_key[1:] != group_key[:-1]])
    ends = np.r_[starts[1:], len(placed)]
    a_theme, a_venue, a_language, a_slot = index.cell_arrays(index.arc_cell)
    a_key = a_theme
    if by_slot:
        a_key = (a_theme * index.n_languages + a_language) * index.n_slots + a_slot
    in_person = a_venue != index.video
    if params.one_theme_per_office:
        # An office may take groups of a theme when it holds no in-person group of another.
        own = np.ones((index.n_venues, index.n_themes), dtype=bool)
        for v, themes in office_themes.items():
            for t in range(index.n_themes):
                own[v, t] = themes <= {t}
        in_person &= own[a_venue, a_theme]
    bin_key = theme if not by_slot else (theme * index.n_languages + language) * index.n_slots + slot
    # The arcs of each cluster's people into its in-person cells, grouped by cluster.
    in_cluster = np.full(index.n, -1, dtype=np.int64)
    in_cluster[placed] = group_key
    arcs_all = np.flatnonzero(in_person & (a_key == in_cluster[index.arc_person]))
    arcs_all = arcs_all[np.argsort(a_key[arcs_all], kind="stable")]
    arc_keys = a_key[arcs_all]
    clusters: list[_Cluster] = []
    for lo, hi in zip(starts.tolist(), ends.tolist(), strict=True):
        people = placed[lo:hi]
        key = int(group_key[lo])
        a_lo, a_hi = np.searchsorted(arc_keys, [key, key + 1])
        arcs = arcs_all[a_lo:a_hi]
        cells, column = np.unique(index.arc_cell[arcs], return_inverse=True)
        if len(cells) < 2:
            continue
        row = np.searchsorted(people, index.arc_person[arcs])
        ok = np.zeros((len(people), len(cells)), dtype=bool)
        ok[row, column] = True
        cost = np.zeros((len(people), len(cells)), dtype=np.int64)
        cost[row, column] = -np.rint(index.arc_profit[arcs] * SCALE).astype(np.int64)
        counts = np.zeros(len(cells), dtype=np.int64)
        old = np.flatnonzero(movable & (bin_key == key))
        for b in old:
            counts[int(np.searchsorted(cells, bin_cell[b]))] += bins[b].groups
        clusters.append(_Cluster(key, people, cells, ok, cost, counts, old.tolist()))
    return clusters


def _search(index: Index, cluster: _Cluster, budget: Budget) -> _Placed | None:
    """Local search on the cluster's groups per office; ``cluster.counts`` is updated."""
    current = _place(index, cluster, cluster.counts, budget)
    if current is None:
        return None
    tried: set[bytes] = {cluster.counts.tobytes()}
    while not budget.done():
        better = False
        for counts in _moves(cluster, current):
            key = counts.tobytes()
            if key in tried:
                continue
            tried.add(key)
            trial = _place(index, cluster, counts, budget)
            if trial is not None and trial.cost < current.cost:
                cluster.counts, current, better = counts, trial, True
                break
            if budget.done():
                break
        if not better:
            break
    return current


def _moves(cluster: _Cluster, current: _Placed) -> list[IntArray]:
    """Group counts to try: a group moved from an office to one where people would travel
    less (most such people first), then one group more there, then one group fewer."""
    counts = cluster.counts
    k = len(cluster.people)
    mine = cluster.cost[np.arange(k), current.column]
    # For each office, how many of the cluster's people would travel less there.
    gain = np.where(cluster.ok, mine[:, None] - cluster.cost, 0)
    wants = (gain > 0).sum(axis=0)
    saving = gain.clip(min=0).sum(axis=0)
    targets = [int(j) for j in np.lexsort((np.arange(len(counts)), -saving)) if wants[j] > 0]
    sources = [int(j) for j in np.lexsort((np.arange(len(counts)), saving)) if counts[j] > 0]
    moves: list[IntArray] = []
    for j in targets:
        for i in sources:
            if i == j:
                continue
            m = counts.copy()
            m[i] -= 1
            m[j] += 1
            moves.append(m)
    for j in targets:
        m = counts.copy()
        m[j] += 1
        moves.append(m)
    if counts.sum() > 1:
        for i in sources:
            m = counts.copy()
            m[i] -= 1
            moves.append(m)
    return moves


def _place(index: Index, cluster: _Cluster, counts: IntArray, budget: Budget) -> _Placed | None:
    """Everyone of the cluster placed into ``counts`` groups per office at least travel,
    or ``None`` when that cannot be done."""
    params = index.params
    k = len(cluster.people)
    total = int(counts.sum())
    if total == 0 or not params.min_size * total <= k <= params.max_size * total:
        return None
    open_ = np.flatnonzero(counts > 0)
    g = counts[open_]
    nb = len(open_)
    need_mod = g if params.require_moderator else np.zeros(nb, dtype=np.int64)
    need_sec = g if params.require_secretary else np.zeros(nb, dtype=np.int64)
    lo = params.min_size * g - need_mod - need_sec
    hi = params.max_size * g - need_mod - need_sec
    ok = cluster.ok[:, open_]
    p, j = np.nonzero(ok)
    c = cluster.cost[:, open_][p, j]
    mod = index.is_mod[cluster.people]
    sec = index.is_sec[cluster.people]
    seat0 = k
    sink = k + 3 * nb
    pm = mod[p] & (need_mod[j] > 0)
    ps = sec[p] & (need_sec[j] > 0)
    seats = np.arange(nb, dtype=np.int64)
    tails = np.concatenate([p, p[pm], p[ps], seat0 + 3 * seats + 2])
    heads = np.concatenate([seat0 + 3 * j + 2, seat0 + 3 * j[pm], seat0 + 3 * j[ps] + 1, np.full(nb, sink)])
    caps = np.concatenate([np.ones(len(p) + int(pm.sum()) + int(ps.sum()), dtype=np.int64), hi - lo])
    costs = np.concatenate([c, c[pm], c[ps], np.zeros(nb, dtype=np.int64)])
    supplies = np.zeros(sink + 1, dtype=np.int64)
    supplies[:k] = 1
    supplies[seat0 + 3 * seats] = -need_mod
    supplies[seat0 + 3 * seats + 1] = -need_sec
    supplies[seat0 + 3 * seats + 2] = -lo
    supplies[sink] = -(k - int(need_mod.sum() + need_sec.sum() + lo.sum()))
    budget.flow(len(tails))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.arange(sink + 1, dtype=np.int64), supplies)
    if flow.solve() != flow.OPTIMAL:
        return None
    flows = flow.flows(arcs)
    n_person_arcs = len(p) + int(pm.sum()) + int(ps.sum())
    used = np.flatnonzero(flows[:n_person_arcs] > 0)
    column = np.full(k, -1, dtype=np.int64)
    role = np.zeros(k, dtype=np.int64)
    seat = heads[used] - seat0
    column[tails[used]] = open_[seat // 3]
    role[tails[used]] = np.array([1, 2, 0])[seat % 3]
    if (column < 0).any():
        return None
    return _Placed(int(costs[:n_person_arcs] @ flows[:n_person_arcs]), column, role)


def _rebuild(
    index: Index, bins: list[Bin], result: FlowResult, found: list[tuple[_Cluster, _Placed]]
) -> tuple[list[Bin], FlowResult]:
    """Bins and placement with each cluster's new groups per cell."""
    new_bins = list(bins)
    person_bin = result.person_bin.copy()
    person_role = result.person_role.copy()
    dropped: set[int] = set()
    for cluster, placed in found:
        dropped.update(cluster.old_bins)
        base = len(new_bins)
        open_ = np.flatnonzero(cluster.counts > 0)
        new_bins += [Bin(cell=int(cluster.cells[j]), groups=int(cluster.counts[j])) for j in open_.tolist()]
        bin_of = np.full(len(cluster.counts), -1, dtype=np.int64)
        bin_of[open_] = base + np.arange(len(open_))
        person_bin[cluster.people] = bin_of[placed.column]
        person_role[cluster.people] = placed.role
    keep = [b for b in range(len(new_bins)) if b not in dropped]
    renumber = np.full(len(new_bins) + 1, -1, dtype=np.int64)
    renumber[keep] = np.arange(len(keep))
    person_bin = np.where(person_bin >= 0, renumber[person_bin], -1)
    final = [new_bins[b] for b in keep]
    nb = len(final)
    assigned = person_bin >= 0
    filled = np.bincount(person_bin[assigned], minlength=nb).astype(np.int64)
    mods = np.bincount(person_bin[assigned & (person_role == 1)], minlength=nb).astype(np.int64)
    secs = np.bincount(person_bin[assigned & (person_role == 2)], minlength=nb).astype(np.int64)
    points = float(_points(index, final, person_bin).sum())
    out = FlowResult(person_bin, person_role, np.zeros(nb, dtype=np.int64), filled, mods, secs, points)
    return final, out


def _points(index: Index, bins: list[Bin], person_bin: IntArray) -> np.ndarray:
    points = np.zeros(index.n)
    placed = np.flatnonzero(person_bin >= 0)
    cells = np.array([bins[b].cell for b in person_bin[placed]], dtype=np.int64)
    at = np.searchsorted(index.arc_key, placed * index.n_cells + cells)
    points[placed] = index.arc_profit[at]
    return points
