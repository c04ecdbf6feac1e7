"""The balance rules kept as hard rules: every proposed group mixes what the edition's format asks.

The rules (``Params``): at most ``max_gender_share`` of one gender among the members who gave
one, at least ``min_stakeholder_types`` stakeholder types, at most ``max_stakeholder_share`` of
one stakeholder type, and (a role rather than a balance rule) exactly one board member when
``require_board``. With ``balance_soft`` the balance rules are only followed as far as the people
allow (the cut deals genders and types round the groups) and reported as warnings.

``enforce`` is the last step of every method (greedy, optimise, the exact path): the search
places people by cells, whose groups it cuts with sizes and roles; the balance rules are about
whom a group holds, so they are settled group by group here, and every group the engine proposes
keeps them:

1. a group that lacks a stakeholder type, or holds too many of one type or gender, first takes
   people left out who can join it and bring what it lacks (best points first);
2. then gives up participants of the over-represented type or gender (fewest points first)
   while it keeps its minimum size;
3. a group that still breaks a rule is dissolved;
4. everyone who lost their place this way joins the best group with room that keeps every rule
   with them (each group may take them; a person is tried once), or stays out with a reason in
   words and a code (``balance_share``, ``balance_gender``, ``balance_types``, ``no_board``).

Locked groups (staff's choice) are left as they are. It is plain Python on groups of at most
``max_size`` people: a few milliseconds per thousand groups.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from ortools.sat.python import cp_model

from .index import Index
from .model import LANGUAGES, SLOTS, Params, Registrant, Unassigned
from .validate import LANGUAGE_NAMES

Formed = list[tuple[int, list[tuple[int, str]]]]

ORDINALS = {
    1: "first",
    2: "second",
    3: "third",
    4: "fourth",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
    11: "eleventh",
    12: "twelfth",
}


def hard_rules(params: Params) -> list[str]:
    """The balance rules ``params`` asks for as hard rules (none when they are soft)."""
    if params.balance_soft:
        return []
    rules = []
    if params.max_gender_share is not None:
        rules.append("max_gender_share")
    if params.min_stakeholder_types:
        rules.append("min_stakeholder_types")
    if params.max_stakeholder_share is not None:
        rules.append("max_stakeholder_share")
    return rules


def without(params: Params, *rules: str) -> Params:
    """``params`` without the balance rules named (to measure what each costs)."""
    for rule in rules:
        if rule == "min_stakeholder_types":
            params = replace(params, min_stakeholder_types=None)
        elif rule == "max_stakeholder_share":
            params = replace(params, max_stakeholder_share=None)
        elif rule == "max_gender_share":
            params = replace(params, max_gender_share=None)
        else:
            raise ValueError(f"not a balance rule: {rule}")
    return params


def share_cap(share: float, count: int) -> int:
    """The most people of one kind among ``count`` at a share of at most ``share``."""
    return int(np.floor(share * count + 1e-9))


@dataclass(frozen=True)
class Broken:
    """The first rule a group breaks: ``rule`` and what it needs (``kind`` too many, or ``missing`` types)."""

    rule: str
    kind: str | None = None


def broken(people: Sequence[Registrant], params: Params) -> Broken | None:
    """The first balance rule (hard rules only) ``people`` as one group break, or ``None``."""
    if params.balance_soft:
        return None
    if params.min_stakeholder_types:
        types = {p.stakeholder for p in people if p.stakeholder}
        if len(types) < params.min_stakeholder_types:
            return Broken("min_stakeholder_types")
    if params.max_stakeholder_share is not None:
        kinds = Counter(p.stakeholder for p in people if p.stakeholder)
        if kinds:
            kind, count = kinds.most_common(1)[0]
            if count > share_cap(params.max_stakeholder_share, len(people)):
                return Broken("max_stakeholder_share", kind)
    if params.max_gender_share is not None:
        genders = Counter(p.gender for p in people if p.gender)
        if genders:
            gender, count = genders.most_common(1)[0]
            if count > share_cap(params.max_gender_share, sum(genders.values())):
                return Broken("max_gender_share", gender)
    return None


def _has_board(members: list[tuple[int, str]]) -> bool:
    return any(role == "board" for _, role in members)


def enforce(
    index: Index, formed: Formed, group_ids: Sequence[str | None], left_out: np.ndarray
) -> tuple[Formed, list[str | None], dict[int, Unassigned]]:
    """Every group of ``formed`` (except locked ones, with an id) made to keep the hard balance
    rules and the board role; ``left_out``: people of the problem without a group (a bool per
    person) who may join. Returns the groups, their ids and the reasons of people who lost a place
    and found none."""
    params = index.params
    people = index.problem.registrants
    rules = hard_rules(params)
    if not rules and not params.require_board:
        return formed, list(group_ids), {}
    pool = {int(p) for p in np.flatnonzero(left_out)}
    out: Formed = []
    ids: list[str | None] = []
    dropped: dict[int, Unassigned] = {}
    by_cell: dict[int, list[list[tuple[int, str]]]] = {}
    for (cell, members), gid in zip(formed, group_ids, strict=True):
        if gid is not None:
            out.append((cell, members))
            ids.append(gid)
        else:
            by_cell.setdefault(cell, []).append(list(members))
    for cell, groups in sorted(by_cell.items()):
        # The quick way first: each group fixed by itself (people left out join, participants leave).
        trial_pool = set(pool)
        trial_dropped: dict[int, Unassigned] = {}
        kept: list[list[tuple[int, str]]] = []
        for members in groups:
            fixed = _board(index, cell, members, trial_pool, trial_dropped)
            if fixed is not None:
                fixed = _fix(index, cell, fixed, trial_pool, trial_dropped)
            if fixed is not None:
                kept.append(fixed)
        if trial_dropped:
            # Someone lost a place: the cell's groups formed again exactly (CP-SAT), when that places more.
            everyone = {p for members in groups for p, _ in members}
            exact = split_cell(index, cell, everyone, pool, len(groups))
            if exact is not None and sum(map(len, exact)) > sum(map(len, kept)):
                chosen = {p for members in exact for p, _ in members}
                pool -= chosen
                for p in everyone - chosen:
                    dropped[p] = _why_not(index, cell, p, exact)
                for members in exact:
                    out.append((cell, members))
                    ids.append(None)
                continue
        pool = trial_pool
        dropped |= trial_dropped
        for members in kept:
            out.append((cell, members))
            ids.append(None)
    # Everyone who lost a place tries the groups with room that keep every rule with them.
    if dropped:
        open_groups = [k for k, gid in enumerate(ids) if gid is None]
        for p in sorted(dropped):
            best: tuple[float, int] | None = None
            for k in open_groups:
                cell, members = out[k]
                if len(members) >= params.max_size:
                    continue
                profit = index.profit(p, cell)
                if profit is None:
                    continue
                trial = [people[q] for q, _ in members] + [people[p]]
                if broken(trial, params) is not None:
                    continue
                if best is None or profit > best[0]:
                    best = (profit, k)
            if best is not None:
                cell, members = out[best[1]]
                out[best[1]] = (cell, [*members, (p, "participant")])
                del dropped[p]
    return out, ids, {p: replace(reason, id=people[p].id) for p, reason in dropped.items()}


def _board(
    index: Index, cell: int, members: list[tuple[int, str]], pool: set[int], dropped: dict[int, Unassigned]
) -> list[tuple[int, str]] | None:
    """The group with exactly one board member when the format asks for one, or ``None`` (dissolved)."""
    params = index.params
    if not params.require_board or _has_board(members):
        return members
    members = list(members)
    volunteer = next((k for k, (p, r) in enumerate(members) if r == "participant" and index.is_brd[p]), None)
    if volunteer is not None:
        members[volunteer] = (members[volunteer][0], "board")
        return members
    joiner = _best_joiner(index, cell, members, pool, lambda p: bool(index.is_brd[p]), role="board")
    gone = _least(index, cell, members, lambda p: True) if len(members) >= params.max_size else None
    if joiner is None or (len(members) >= params.max_size and gone is None):
        for p, _ in members:
            dropped[p] = _no_board(index, cell)
        return None
    pool.discard(joiner)
    if gone is not None:
        members.remove(gone)
        dropped[gone[0]] = _reason(index, cell, members, Broken("groups_full"))
    members.append((joiner, "board"))
    return members


SPLIT_CANDIDATES = 24  # people left out a cell's exact split may also take (best points first)
SPLIT_DTIME = 0.5  # CP-SAT's deterministic time per cell (the same answer on a busy machine)


def split_cell(
    index: Index, cell: int, members: set[int], pool: set[int], groups: int
) -> list[list[tuple[int, str]]] | None:
    """The cell's people (``members`` and up to ``SPLIT_CANDIDATES`` of ``pool`` who can meet there)
    cut into at most ``groups`` groups that keep every rule (sizes, roles, balance), the most points
    placed: a small CP-SAT model per cell. ``None`` when CP-SAT finds nothing."""
    params = index.params
    people = index.problem.registrants
    extra = sorted(
        ((index.profit(q, cell), q) for q in pool if index.profit(q, cell) is not None),
        key=lambda item: (-float(item[0] or 0.0), item[1]),
    )[:SPLIT_CANDIDATES]
    who = sorted(members) + [q for _, q in extra]
    profit = [round(10 * (index.profit(p, cell) or 0.0)) for p in who]
    model = cp_model.CpModel()
    use = [model.new_bool_var("") for _ in range(groups)]
    y = [[model.new_bool_var("") for _ in range(groups)] for _ in who]
    for i in range(len(who)):
        model.add_at_most_one(y[i])
    for k in range(1, groups):
        model.add(use[k] <= use[k - 1])
    role_of: dict[tuple[int, int], list[tuple[str, cp_model.IntVar]]] = {}
    for k in range(groups):
        size = sum(y[i][k] for i in range(len(who)))
        model.add(size >= params.min_size * use[k])
        model.add(size <= params.max_size * use[k])
        for role, required, flags in (
            ("moderator", params.require_moderator, index.is_mod),
            ("secretary", params.require_secretary, index.is_sec),
            ("board", params.require_board, index.is_brd),
        ):
            if not required:
                continue
            seats: list[cp_model.IntVar] = []
            for i, p in enumerate(who):
                if flags[p]:
                    z = model.new_bool_var("")
                    role_of.setdefault((i, k), []).append((role, z))
                    seats.append(z)
            model.add(sum(seats) == use[k])
        if params.max_stakeholder_share is not None and not params.balance_soft:
            share = round(100 * params.max_stakeholder_share)
            for kind in {people[p].stakeholder for p in who if people[p].stakeholder}:
                same = sum(y[i][k] for i, p in enumerate(who) if people[p].stakeholder == kind)
                model.add(100 * same <= share * size)
        if params.max_gender_share is not None and not params.balance_soft:
            share = round(100 * params.max_gender_share)
            said = sum(y[i][k] for i, p in enumerate(who) if people[p].gender)
            for gender in {people[p].gender for p in who if people[p].gender}:
                same = sum(y[i][k] for i, p in enumerate(who) if people[p].gender == gender)
                model.add(100 * same <= share * said)
        if params.min_stakeholder_types and not params.balance_soft:
            mixed = []
            for kind in {people[p].stakeholder for p in who if people[p].stakeholder}:
                here = model.new_bool_var("")
                model.add(here <= sum(y[i][k] for i, p in enumerate(who) if people[p].stakeholder == kind))
                mixed.append(here)
            model.add(sum(mixed) >= params.min_stakeholder_types * use[k])
    for (i, k), held in role_of.items():
        model.add(sum(z for _, z in held) <= y[i][k])
    model.maximize(sum(profit[i] * y[i][k] for i in range(len(who)) for k in range(groups)))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = int(params.seed)
    solver.parameters.max_deterministic_time = SPLIT_DTIME
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    out: list[list[tuple[int, str]]] = []
    for k in range(groups):
        group: list[tuple[int, str]] = []
        for i, p in enumerate(who):
            if solver.value(y[i][k]):
                role = next((r for r, z in role_of.get((i, k), []) if solver.value(z)), "participant")
                group.append((p, role))
        if group:
            out.append(group)
    return out


def _why_not(index: Index, cell: int, p: int, groups: list[list[tuple[int, str]]]) -> Unassigned:
    """Why ``p`` has no seat in the cell's groups: the rule the first group with room breaks with them."""
    params = index.params
    people = index.problem.registrants
    for members in groups:
        if len(members) < params.max_size:
            rule = broken([people[q] for q, _ in members] + [people[p]], params)
            if rule is not None:
                return _reason(index, cell, members, rule)
    target = groups[0] if groups else []
    rule = broken([people[q] for q, _ in target] + [people[p]], params) if target else None
    return _reason(index, cell, target, rule or Broken("groups_full"))


def _fix(
    index: Index, cell: int, members: list[tuple[int, str]], pool: set[int], dropped: dict[int, Unassigned]
) -> list[tuple[int, str]] | None:
    """``members`` changed as little as possible to keep the hard balance rules, or ``None``
    (the group is dissolved; its people are in ``dropped`` with the reason)."""
    params = index.params
    people = index.problem.registrants
    for _step in range(4 * params.max_size):
        rule = broken([people[p] for p, _ in members], params)
        if rule is None:
            return members
        if rule.rule == "min_stakeholder_types":
            have = {people[p].stakeholder for p, _ in members}

            def new_kind(q: int, have: set[str | None] = have) -> bool:
                return bool(people[q].stakeholder and people[q].stakeholder not in have)

            joiner = _best_joiner(index, cell, members, pool, new_kind)
            if joiner is not None and len(members) < params.max_size:
                pool.discard(joiner)
                members = [*members, (joiner, "participant")]
                continue
            # Room for a new type: give up one of the most common type (if the group stays large enough).
            common = Counter(people[p].stakeholder for p, _ in members if people[p].stakeholder).most_common(1)
            if joiner is not None and common and len(members) >= params.max_size:
                gone = _least(index, cell, members, lambda q, kind=common[0][0]: people[q].stakeholder == kind)
                if gone is not None:
                    members = [m for m in members if m != gone]
                    dropped[gone[0]] = _reason(index, cell, members, rule)
                    pool.discard(joiner)
                    members.append((joiner, "participant"))
                    continue
            break
        kind = rule.kind
        field = "stakeholder" if rule.rule == "max_stakeholder_share" else "gender"

        def other(q: int, field: str = field, kind: str | None = kind) -> bool:
            value = getattr(people[q], field)
            if field == "gender":
                return value is not None and value != kind  # only those who answered count
            return bool(value != kind)

        joiner = _best_joiner(index, cell, members, pool, other) if len(members) < params.max_size else None
        if joiner is not None:
            pool.discard(joiner)
            members = [*members, (joiner, "participant")]
            continue
        if len(members) > params.min_size:
            gone = _least(index, cell, members, lambda q, field=field, kind=kind: getattr(people[q], field) == kind)
            if gone is not None:
                members = [m for m in members if m != gone]
                dropped[gone[0]] = _reason(index, cell, members, rule)
                continue
        break
    rule = broken([people[p] for p, _ in members], params)
    if rule is None:
        return members
    for p, _ in members:
        dropped[p] = _reason(index, cell, members, rule)
    return None


def _best_joiner(
    index: Index, cell: int, members: list[tuple[int, str]], pool: set[int], wanted: Any, role: str = "participant"
) -> int | None:
    """The person left out who can join ``cell``, is ``wanted`` and brings the most points."""
    best: tuple[float, int] | None = None
    for q in pool:
        if not wanted(q):
            continue
        profit = index.profit(q, cell)
        if profit is None:
            continue
        if best is None or (profit, -q) > (best[0], -best[1]):
            best = (profit, q)
    return None if best is None else best[1]


def _least(index: Index, cell: int, members: list[tuple[int, str]], which: Any) -> tuple[int, str] | None:
    """The participant of ``members`` who is ``which`` and brings the fewest points (roles stay)."""
    found = [(index.profit(p, cell) or 0.0, -p, (p, r)) for p, r in members if r == "participant" and which(p)]
    return min(found)[2] if found else None


def _where(index: Index, cell: int) -> dict[str, Any]:
    key = index.key(cell)
    theme = index.problem.themes[key.theme]
    video = key.venue == index.video
    office = None if video else index.problem.offices[key.venue]
    return {
        "theme": theme.id,
        "theme_name": theme.name,
        "office": None if office is None else office.id,
        "place": "by video" if office is None else f"in {office.name}",
        "language": LANGUAGES[key.language],
        "slot": SLOTS[key.slot],
    }


def _no_board(index: Index, cell: int) -> Unassigned:
    return _unassigned(index, cell, "no_board", None, {})


def _reason(index: Index, cell: int, members: list[tuple[int, str]], rule: Broken) -> Unassigned:
    params = index.params
    people = index.problem.registrants
    if rule.rule == "groups_full":
        return _unassigned(index, cell, "groups_full", None, {})
    if rule.rule == "min_stakeholder_types":
        return _unassigned(index, cell, "balance_types", None, {"min": params.min_stakeholder_types})
    field = "stakeholder" if rule.rule == "max_stakeholder_share" else "gender"
    share = params.max_stakeholder_share if field == "stakeholder" else params.max_gender_share
    count = sum(1 for p, _ in members if getattr(people[p], field) == rule.kind)
    code = "balance_share" if field == "stakeholder" else "balance_gender"
    return _unassigned(
        index, cell, code, None, {"kind": rule.kind, "nth": count + 1, "share": round(100 * float(share or 0))}
    )


def _unassigned(index: Index, cell: int, code: str, person: int | None, values: dict[str, Any]) -> Unassigned:
    where = _where(index, cell)
    params = {k: v for k, v in where.items() if k not in ("theme_name", "place")} | values
    return Unassigned("", code, params, reason_text(code, where["theme_name"], where["place"], where, values))


def reason_text(code: str, theme: str, place: str, where: dict[str, Any], values: dict[str, Any]) -> str:
    """The English words for a balance reason ("no group of Fair rates in Liège can take a fifth client: ...")."""
    language = LANGUAGE_NAMES.get(where.get("language", ""), where.get("language", ""))
    if code == "no_board":
        return f"no board member volunteered for the groups of theme {theme} in {language} {place} on this slot"
    if code == "balance_types":
        return (
            f"no group of {theme} in {language} {place} could mix {values['min']} stakeholder types with you "
            "on your slots"
        )
    if code == "groups_full":
        return f"the group of {theme} {place} needed your seat for its board member"
    nth = ORDINALS.get(int(values["nth"]), f"{values['nth']}th")
    if code == "balance_gender":
        return (
            f"no group of {theme} {place} can take a {nth} person of gender {values['kind']}: "
            f"at most {values['share']}% of one gender"
        )
    return f"no group of {theme} {place} can take a {nth} {values['kind']}: at most {values['share']}% of a group"
