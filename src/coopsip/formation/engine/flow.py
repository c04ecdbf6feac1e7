"""Placing people into cells whose number of groups is fixed: an exact min-cost flow.

Each *bin* is a cell with ``g`` groups (or one locked group already holding some
people). A bin has four nodes: its moderator seats (exactly ``g`` units), its
secretary seats (exactly ``g``), its board-member seats (exactly ``g`` when the format
asks for one) and its other seats (the rest of ``min·g`` to ``max·g``). Every free
person sends one unit either to a seat they may take or to "unassigned" at no gain.
Seats a bin cannot fill are supplied by a penalised source, so the flow always exists;
the solver then lowers that bin's ``g`` and solves again. With ``g`` fixed this is
exact: no better placement exists for those groups.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

from .budget import Budget
from .index import BoolArray, Index, IntArray

SCALE = 10  # points are turned into integer costs with one decimal
SHORTAGE_COST = 10**6  # at least; kept far above any person's points (smaller costs solve faster)


@dataclass
class Bin:
    cell: int
    groups: int
    locked_id: str | None = None
    locked: list[tuple[int, str]] = field(default_factory=list)  # (person, role) already in the group


@dataclass
class FlowResult:
    person_bin: IntArray  # -1 when unassigned (locked people are not in it)
    person_role: IntArray  # 0 participant, 1 moderator, 2 secretary, 3 board
    shortage: IntArray  # per bin: seats the people could not fill
    filled: IntArray  # per bin: free people placed
    mods: IntArray
    secs: IntArray
    points: float
    boards: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))


def place(index: Index, bins: list[Bin], free: BoolArray, budget: Budget | None = None) -> FlowResult:
    """The best placement of the ``free`` people into ``bins`` (see the module docstring)."""
    params = index.params
    n = index.n
    nb = len(bins)
    need_mod = np.zeros(nb, dtype=np.int64)
    need_sec = np.zeros(nb, dtype=np.int64)
    need_brd = np.zeros(nb, dtype=np.int64)
    other_lo = np.zeros(nb, dtype=np.int64)
    other_hi = np.zeros(nb, dtype=np.int64)
    for b, item in enumerate(bins):
        g = item.groups
        have_mod = sum(1 for _, role in item.locked if role == "moderator")
        have_sec = sum(1 for _, role in item.locked if role == "secretary")
        need_mod[b] = max(0, g - have_mod) if params.require_moderator else 0
        need_sec[b] = max(0, g - have_sec) if params.require_secretary else 0
        have_brd = sum(1 for _, role in item.locked if role == "board")
        need_brd[b] = max(0, g - have_brd) if params.require_board else 0
        placed = len(item.locked) + need_mod[b] + need_sec[b] + need_brd[b]
        other_lo[b] = max(0, params.min_size * g - placed)
        other_hi[b] = max(0, params.max_size * g - placed)
    # Arcs of free people into cells that have a bin; a cell may have several bins.
    cell_bins: dict[int, list[int]] = {}
    for b, item in enumerate(bins):
        cell_bins.setdefault(item.cell, []).append(b)
    open_cell = np.zeros(index.n_cells, dtype=bool)
    open_cell[list(cell_bins)] = True
    sel = open_cell[index.arc_cell] & free[index.arc_person]
    a_person = index.arc_person[sel]
    a_cell = index.arc_cell[sel]
    a_cost = -np.rint(index.arc_profit[sel] * SCALE).astype(np.int64)
    multi = {c: bs for c, bs in cell_bins.items() if len(bs) > 1}
    first_bin = np.full(index.n_cells, -1, dtype=np.int64)
    for c, bs in cell_bins.items():
        first_bin[c] = bs[0]
    a_bin = first_bin[a_cell]
    if multi:
        extra_p, extra_b, extra_c = [a_person], [a_bin], [a_cost]
        for c, bs in multi.items():
            m = a_cell == c
            for b in bs[1:]:
                extra_p.append(a_person[m])
                extra_b.append(np.full(int(m.sum()), b, dtype=np.int64))
                extra_c.append(a_cost[m])
        a_person = np.concatenate(extra_p)
        a_bin = np.concatenate(extra_b)
        a_cost = np.concatenate(extra_c)
    # Nodes: people 0..n-1, then per bin (moderator, secretary, other, board) seats, then T and Z.
    seat0 = n
    sink = n + 4 * nb
    spare = sink + 1
    tails_l: list[IntArray] = []
    heads_l: list[IntArray] = []
    caps_l: list[IntArray] = []
    costs_l: list[IntArray] = []
    kinds_l: list[IntArray] = []

    def add(tails: IntArray, heads: IntArray, caps: IntArray, costs: IntArray, kind: int) -> None:
        tails_l.append(tails.astype(np.int64))
        heads_l.append(heads.astype(np.int64))
        caps_l.append(caps.astype(np.int64))
        costs_l.append(costs.astype(np.int64))
        kinds_l.append(np.full(len(tails), kind, dtype=np.int64))

    ones = np.ones(len(a_person), dtype=np.int64)
    add(a_person, seat0 + 4 * a_bin + 2, ones, a_cost, 0)
    m = index.is_mod[a_person] & (need_mod[a_bin] > 0)
    add(a_person[m], seat0 + 4 * a_bin[m], ones[m], a_cost[m], 1)
    s = index.is_sec[a_person] & (need_sec[a_bin] > 0)
    add(a_person[s], seat0 + 4 * a_bin[s] + 1, ones[s], a_cost[s], 2)
    r = index.is_brd[a_person] & (need_brd[a_bin] > 0)
    add(a_person[r], seat0 + 4 * a_bin[r] + 3, ones[r], a_cost[r], 9)
    people = np.flatnonzero(free)
    zeros_p = np.zeros(len(people), dtype=np.int64)
    add(people, np.full(len(people), sink), np.ones(len(people), dtype=np.int64), zeros_p, 3)
    bins_ix = np.arange(nb, dtype=np.int64)
    add(seat0 + 4 * bins_ix + 2, np.full(nb, sink), other_hi - other_lo, np.zeros(nb, dtype=np.int64), 4)
    zeros_b = np.zeros(nb, dtype=np.int64)
    shortage_cost = max(SHORTAGE_COST, 100 * int(np.abs(a_cost).max(initial=0)))
    for offset, need, kind in ((0, need_mod, 5), (1, need_sec, 6), (2, other_lo, 7), (3, need_brd, 10)):
        add(np.full(nb, spare), seat0 + 4 * bins_ix + offset, need, zeros_b + shortage_cost, kind)
    total_need = int(need_mod.sum() + need_sec.sum() + other_lo.sum() + need_brd.sum())
    add(np.array([spare]), np.array([sink]), np.array([total_need]), np.array([0]), 8)
    tails = np.concatenate(tails_l)
    heads = np.concatenate(heads_l)
    caps = np.concatenate(caps_l)
    costs = np.concatenate(costs_l)
    kinds = np.concatenate(kinds_l)
    supplies = np.zeros(spare + 1, dtype=np.int64)
    supplies[people] = 1
    supplies[seat0 + 4 * bins_ix] = -need_mod
    supplies[seat0 + 4 * bins_ix + 1] = -need_sec
    supplies[seat0 + 4 * bins_ix + 2] = -other_lo
    supplies[seat0 + 4 * bins_ix + 3] = -need_brd
    supplies[spare] = total_need
    supplies[sink] = -len(people)
    if budget is not None:
        budget.flow(len(tails))
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    flow.set_nodes_supplies(np.arange(spare + 1, dtype=np.int64), supplies)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    flows = flow.flows(arcs)
    person_bin = np.full(n, -1, dtype=np.int64)
    person_role = np.zeros(n, dtype=np.int64)
    is_seat = (kinds <= 2) | (kinds == 9)
    seat_arc = is_seat & (flows > 0)
    p = tails[seat_arc]
    seat = heads[seat_arc] - seat0
    person_bin[p] = seat // 4
    role_of_seat = np.array([1, 2, 0, 3])
    person_role[p] = role_of_seat[seat % 4]
    shortage = np.zeros(nb, dtype=np.int64)
    for kind in (5, 6, 7, 10):
        mk = kinds == kind
        shortage += flows[mk]
    filled = np.bincount(person_bin[person_bin >= 0], minlength=nb).astype(np.int64)
    mods = np.bincount(person_bin[person_role == 1], minlength=nb).astype(np.int64)
    secs = np.bincount(person_bin[person_role == 2], minlength=nb).astype(np.int64)
    boards = np.bincount(person_bin[person_role == 3], minlength=nb).astype(np.int64)
    points = -float(costs[is_seat] @ flows[is_seat]) / SCALE
    return FlowResult(person_bin, person_role, shortage, filled, mods, secs, points, boards)
