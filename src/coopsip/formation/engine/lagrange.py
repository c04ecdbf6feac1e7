"""The proven bound, and numbers of groups per cell to try, from a Lagrangian relaxation.

Relax "each person in at most one group" with a price ``λ_p ≥ 0`` per person. What is
left splits into one small problem per cell: choose ``g`` groups and the people who
bring the most ``profit - λ``, such that ``min·g ≤ size ≤ max·g`` and at least ``g``
moderators, ``g`` secretaries and ``2g`` role volunteers are among them. For any
``λ ≥ 0``,

    L(λ) = Σ_p λ_p + Σ_cells max(0, best value of the cell)

is an upper bound on the objective of every valid set of groups (locks only remove
solutions, so it bounds locked runs too). Each role rule is kept on its own and the
smallest of the three values is used, which is again an upper bound; with one of them
each cell's problem is solved exactly by prefix sums (take the best forced role
volunteers, then the best of the rest up to the size window), all cells and all ``g``
at once in numpy. ``λ`` is improved by subgradient steps (Polyak step towards the best
known solution); the numbers of groups the cells choose are handed to the flow to
build solutions, and so is their running average over the iterations rounded (the
average approaches a solution of the LP that the relaxation is the dual of, and rounding
it is a far better start than any single iteration's choice).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .budget import DUAL_UNITS_FIXED, DUAL_UNITS_PER_ARC, Budget
from .index import BoolArray, FloatArray, Index, IntArray

AVERAGE_RATE = 0.05  # weight of the newest iteration in the running average of the groups


class Dual:
    def __init__(self, index: Index, free: BoolArray) -> None:
        del free  # the bound is for the problem without locks, hence valid with them
        self.index = index
        params = index.params
        self.person = index.arc_person
        self.cell = index.arc_cell
        self.profit = index.arc_profit
        self.cell_rank = np.unique(self.cell, return_inverse=True)[1].astype(np.float64)
        m = index.is_mod[self.person]
        s = index.is_sec[self.person]
        self.relaxations: list[tuple[BoolArray, int]] = []
        if params.require_moderator:
            self.relaxations.append((m, 1))
        if params.require_secretary:
            self.relaxations.append((s, 1))
        if params.require_moderator and params.require_secretary:
            self.relaxations.append((m | s, 2))
        self.bound = float("inf") if len(self.person) else 0.0
        self.lower = 0.0
        self.iterations = 0
        # Exponential running average of the number of groups each cell chooses.
        self.average = np.zeros(index.n_cells)

    def rounded(self, threshold: float = 0.5) -> dict[int, int]:
        """The running average of the groups per cell, rounded up from ``threshold``."""
        g = np.floor(self.average + (1.0 - threshold)).astype(np.int64)
        cells = np.flatnonzero(g > 0)
        return {int(c): int(g[c]) for c in cells}

    def evaluate(self, lam: FloatArray) -> tuple[float, IntArray, dict[int, int]]:
        """``L(λ)``, how many cells pick each person, and the number of groups each cell picks."""
        index = self.index
        params = index.params
        lo_size, hi_size = params.min_size, params.max_size
        if not len(self.person):
            return float(lam.sum()), np.zeros(index.n, dtype=np.int64), {}
        r = self.profit - lam[self.person]
        # Arcs by cell, best first within a cell: one float sort key (faster than lexsort).
        high = float(r.max())
        order = np.argsort(self.cell_rank * (high - float(r.min()) + 1.0) + (high - r))
        rs = r[order]
        cs = self.cell[order]
        total = len(rs)
        first = np.flatnonzero(np.r_[True, cs[1:] != cs[:-1]])
        n_c = np.diff(np.r_[first, total])
        cells = cs[first]
        ca = np.r_[0.0, np.cumsum(rs)]
        cpos = np.r_[0, np.cumsum(rs > 0)]
        pos_all = cpos[first + n_c] - cpos[first]
        gmax = n_c // lo_size
        flags = [(x[order], mult) for x, mult in self.relaxations]
        for x, mult in flags:
            cx = np.r_[0, np.cumsum(x)]
            gmax = np.minimum(gmax, (cx[first + n_c] - cx[first]) // mult)
        n_pairs = int(gmax.sum())
        values = np.zeros(len(first))
        choice_g = np.zeros(len(first), dtype=np.int64)
        choice_k = np.zeros(len(first), dtype=np.int64)
        choice_x = np.zeros(len(first), dtype=np.int64)
        if n_pairs:
            pc = np.repeat(np.arange(len(first)), gmax)
            pg = np.arange(n_pairs) - np.repeat(np.cumsum(gmax) - gmax, gmax) + 1
            start = first[pc]
            n = n_c[pc]
            best_u = np.full(n_pairs, np.inf)
            best_k = np.zeros(n_pairs, dtype=np.int64)
            best_x = np.zeros(n_pairs, dtype=np.int64)
            if not flags:
                k = np.clip(pos_all[pc], lo_size * pg, np.minimum(hi_size * pg, n))
                best_u = ca[start + k] - ca[start]
                best_k = k
            for j, (x, mult) in enumerate(flags):
                u, k = _forced_value(rs, ca, cpos, x, start, n, pos_all[pc], mult * pg, lo_size * pg, hi_size * pg)
                better = u < best_u
                best_u = np.where(better, u, best_u)
                best_k = np.where(better, k, best_k)
                best_x = np.where(better, j, best_x)
            by = np.lexsort((-best_u, pc))
            lead = by[np.r_[True, pc[by][1:] != pc[by][:-1]]]
            owner = pc[lead]
            values[owner] = best_u[lead]
            choice_g[owner] = pg[lead]
            choice_k[owner] = best_k[lead]
            choice_x[owner] = best_x[lead]
        chosen = values > 1e-9
        value = float(lam.sum() + values[chosen].sum())
        # Who each chosen cell takes: its forced role volunteers, then the best k of the rest.
        counts = np.zeros(index.n, dtype=np.int64)
        arc_cellpos = np.repeat(np.arange(len(first)), n_c)
        take_cell = chosen[arc_cellpos]
        local = np.arange(total) - first[arc_cellpos]
        forced_n = np.zeros(len(first), dtype=np.int64)
        if flags:
            stacked = np.stack([x for x, _ in flags])
            mults = np.array([mult for _, mult in flags])
            xsel = stacked[choice_x[arc_cellpos], np.arange(total)]
            forced_n = mults[choice_x] * choice_g
            cxs = np.r_[0, np.cumsum(xsel)]
            xrank = cxs[:-1] - cxs[first[arc_cellpos]]
            forced = xsel & (xrank < forced_n[arc_cellpos])
            rest_rank = local - np.minimum(forced_n[arc_cellpos], xrank)
        else:
            forced = np.zeros(total, dtype=bool)
            rest_rank = local
        taken = take_cell & (forced | (~forced & (rest_rank < choice_k[arc_cellpos])))
        np.add.at(counts, self.person[order][taken], 1)
        groups = {int(c): int(g) for c, g in zip(cells[chosen], choice_g[chosen], strict=True)}
        return value, counts, groups

    def improve(
        self, lam: FloatArray, *, lower: float, budget: Budget, until: float = 1.0, max_iterations: int = 400
    ) -> Iterator[dict[int, int]]:
        """Subgradient steps on ``λ``; yields numbers of groups per cell to build solutions from.
        The caller may raise ``self.lower`` (the best solution value) between yields."""
        self.lower = lower
        lam = lam.astype(np.float64).copy()
        theta = 1.0
        stall = 0
        per_step = DUAL_UNITS_FIXED + DUAL_UNITS_PER_ARC * len(self.person)
        best_groups: dict[int, int] = {}
        yield_at = {4, 12, 40, 70, 100, 140, 190, 250, 330}
        for it in range(max_iterations):
            value, counts, groups = self.evaluate(lam)
            budget.spend(per_step)
            self.iterations = it + 1
            if value < self.bound - 1e-9:
                self.bound = value
                best_groups = groups
                stall = 0
            else:
                stall += 1
                if stall >= 6:
                    theta /= 2
                    stall = 0
            chosen = np.zeros(len(self.average))
            if groups:
                chosen[np.fromiter(groups.keys(), dtype=np.int64, count=len(groups))] = list(groups.values())
            self.average += AVERAGE_RATE * (chosen - self.average)
            if it in yield_at:
                # Single iterations' choices early on (cheap first solutions), the rounded average later.
                yield groups if it < 40 else self.rounded()
            gap = (self.bound - self.lower) / max(abs(self.bound), 1.0)
            ahead = budget.used + 3 * per_step > until * budget.units
            if gap < 2e-4 or ahead or budget.wall_passed() or theta < 1e-4:
                break
            grad = 1.0 - counts
            norm = float(grad @ grad)
            if norm == 0:
                break
            step = theta * max(value - self.lower, 1e-3 * abs(value)) / norm
            lam = np.maximum(0.0, lam - step * grad)
        if budget.wall_passed():
            return  # the safety stop: no more suggestions to repair
        if best_groups:
            yield best_groups
        if self.iterations > 40:
            for threshold in (0.5, 0.4, 0.6):
                yield self.rounded(threshold)


def _forced_value(
    rs: FloatArray,
    ca: FloatArray,
    cpos: IntArray,
    x: BoolArray,
    start: IntArray,
    n: IntArray,
    pos_all: IntArray,
    forced: IntArray,
    lo: IntArray,
    hi: IntArray,
) -> tuple[FloatArray, IntArray]:
    """Best value of a cell that must hold its ``forced`` best ``x`` items and between ``lo``
    and ``hi`` people in all, for many (cell, g) pairs at once (cells sorted by value)."""
    xi = np.flatnonzero(x)
    cx = np.r_[0, np.cumsum(x)]
    cxv = np.r_[0.0, np.cumsum(np.where(x, rs, 0.0))]
    nxi = np.flatnonzero(~x)
    cnx = np.r_[0, np.cumsum(~x)]
    cnxv = np.r_[0.0, np.cumsum(np.where(x, 0.0, rs))]
    cxpos = np.r_[0, np.cumsum(x & (rs > 0))]
    q = xi[cx[start] + forced - 1]  # the position of the last forced item
    p_forced = cxv[q + 1] - cxv[start]
    before = q - start + 1 - forced  # other items ahead of it
    pos_x = cxpos[start + n] - cxpos[start]
    lo_rest = np.maximum(0, lo - forced)
    hi_rest = np.minimum(hi - forced, n - forced)
    k = np.clip(pos_all - np.minimum(forced, pos_x), lo_rest, hi_rest)
    # The k best of the rest: other items only while k ≤ before, else everything up to k + forced.
    kk = np.maximum(k, 1)
    at = nxi[np.minimum(cnx[start] + kk - 1, len(nxi) - 1)] if len(nxi) else np.zeros_like(k)
    small = np.where(k > 0, cnxv[at + 1] - cnxv[start], 0.0)
    large = ca[np.minimum(start + k + forced, len(ca) - 1)] - ca[start] - p_forced
    rest = np.where(k <= before, small, large)
    del cpos
    return p_forced + rest, k
