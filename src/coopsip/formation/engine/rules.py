"""Constraints the two exact models share (SCIP through ``pywraplp`` in ``mip.py``, CP-SAT in
``exact.py``), written once against a small adapter instead of once per solver API.

- ``one_theme``: with ``one_theme_per_office`` a binary per (office, theme) that the office's
  in-person cells need, at most one per office.
- ``balance``: the hard balance rules as cell-level constraints. They are what every group of a
  cell keeping the rule implies for the cell as a whole (a stakeholder type or gender at most the
  share of the cell; at least ``k`` types each present in every group: ``Σ_t min(n_t, g) ≥ k·g``),
  so they never cut off a solution that keeps the rules: the solver's bound stays a bound of the
  problem with the rules. The groups themselves are settled by ``balance.enforce``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .balance import hard_rules
from .flow import Bin
from .index import Index


@dataclass(frozen=True)
class Api:
    """What the shared constraints need of a solver: a new binary, a new integer, adding a
    constraint, a sum."""

    new_bool: Callable[[], Any]
    new_int: Callable[[int], Any]  # an integer in [0, ub]
    add: Callable[[Any], Any]
    total: Callable[[Sequence[Any]], Any]


def one_theme(index: Index, api: Api, g: dict[int, Any], gmax: np.ndarray, locked_in: dict[int, list[Bin]]) -> None:
    chosen: dict[tuple[int, int], Any] = {}
    for c, var in g.items():
        key = index.key(c)
        if key.venue == index.video:
            continue
        pair = (key.venue, key.theme)
        if pair not in chosen:
            chosen[pair] = api.new_bool()
        api.add(var <= int(max(gmax[c], 0)) * chosen[pair])
        if c in locked_in:
            api.add(chosen[pair] == 1)
    offices: dict[int, list[Any]] = {}
    for (venue, _theme), var in chosen.items():
        offices.setdefault(venue, []).append(var)
    for items in offices.values():
        if len(items) > 1:
            api.add(api.total(items) <= 1)


def balance(
    index: Index,
    api: Api,
    g: dict[int, Any],
    gmax: np.ndarray,
    x: list[Any],
    person: np.ndarray,
    cells_of: dict[int, list[int]],
    locked_in: dict[int, list[Bin]],
) -> None:
    """The hard balance rules per cell (cells with locked groups are left to staff)."""
    params = index.params
    rules = hard_rules(params)
    if not rules:
        return
    people = index.problem.registrants
    for c, ks in cells_of.items():
        if c in locked_in or not ks:
            continue
        size = api.total([x[k] for k in ks])
        if "max_stakeholder_share" in rules:
            share = params.max_stakeholder_share or 0.0
            by_kind: dict[str, list[int]] = {}
            for k in ks:
                kind = people[int(person[k])].stakeholder
                if kind:
                    by_kind.setdefault(kind, []).append(k)
            for members in by_kind.values():
                api.add(api.total([x[k] for k in members]) * 100 <= size * round(100 * share))
        if "max_gender_share" in rules:
            share = params.max_gender_share or 0.0
            by_gender: dict[str, list[int]] = {}
            for k in ks:
                gender = people[int(person[k])].gender
                if gender:
                    by_gender.setdefault(gender, []).append(k)
            answered = [k for members in by_gender.values() for k in members]
            if by_gender:
                said = api.total([x[k] for k in answered])
                for members in by_gender.values():
                    api.add(api.total([x[k] for k in members]) * 100 <= said * round(100 * share))
        if "min_stakeholder_types" in rules:
            need = int(params.min_stakeholder_types or 0)
            by_kind = {}
            for k in ks:
                kind = people[int(person[k])].stakeholder
                if kind:
                    by_kind.setdefault(kind, []).append(k)
            present = []
            for members in by_kind.values():
                z = api.new_int(int(gmax[c]))
                api.add(z <= api.total([x[k] for k in members]))
                api.add(z <= g[c])
                present.append(z)
            if present:
                api.add(api.total(present) >= need * g[c])
            else:
                api.add(g[c] == 0)
