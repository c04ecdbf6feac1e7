"""Turning placed people into a Solution: group ids, reasons for those left out, the report."""

from __future__ import annotations

import weakref
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from typing import Any

import numpy as np

from .index import Index
from .model import LANGUAGES, SLOTS, Group, Member, Role, Solution, Unassigned
from .validate import LANGUAGE_NAMES, validate

Formed = list[tuple[int, list[tuple[int, str]]]]


def build_solution(
    index: Index,
    formed: Formed,
    group_ids: Sequence[str | None],
    *,
    bound: float | None,
    seconds: float,
    method: str,
    released: Sequence[str] = (),
    reserved: Collection[str] = (),
    reasons: Mapping[int, Unassigned] | None = None,
) -> Solution:
    """``reserved``: ids new groups must not take (groups kept outside the result); ``reasons``: the
    reasons of people the balance step left out (balance.py), by person."""
    problem = index.problem
    people = problem.registrants
    themes = problem.themes
    offices = problem.offices
    taken = {gid for gid in group_ids if gid} | set(reserved)
    order = sorted(range(len(formed)), key=lambda k: (formed[k][0], sorted(p for p, _ in formed[k][1])))
    groups: list[Group] = []
    number = 0
    for k in order:
        cell, members = formed[k]
        key = index.key(cell)
        gid = group_ids[k]
        if gid is None:
            number += 1
            while f"G{number:04d}" in taken:
                number += 1
            gid = f"G{number:04d}"
        rank = {"moderator": 0, "secretary": 1, "board": 2, "participant": 3}
        ordered = sorted(members, key=lambda pr: (rank[pr[1]], people[pr[0]].id))
        in_person = key.venue != index.video
        groups.append(
            Group(
                id=gid,
                theme=themes[key.theme].id,
                mode="in_person" if in_person else "video",
                office=offices[key.venue].id if in_person else None,
                language=LANGUAGES[key.language],
                slot=SLOTS[key.slot],
                members=tuple(Member(people[p].id, _role(r)) for p, r in ordered),
            )
        )
    groups.sort(key=lambda g: g.id)
    placed = np.full(index.n, -1, dtype=np.int64)
    for cell, members in formed:
        for p, _ in members:
            placed[p] = cell
    given = reasons or {}
    unassigned = tuple(given.get(int(p)) or _reason(index, int(p)) for p in np.flatnonzero(placed < 0))
    report = _report(index, groups, formed, placed, unassigned, bound, seconds, method, released)
    return Solution(groups=tuple(groups), unassigned=unassigned, report=report)


def _role(role: str) -> Role:
    if role == "moderator":
        return "moderator"
    if role == "secretary":
        return "secretary"
    if role == "board":
        return "board"
    return "participant"


class _Pools:
    """How many people could meet in each cell, and how many of them volunteered for a role."""

    def __init__(self, index: Index) -> None:
        cell = index.arc_cell
        person = index.arc_person
        self.people = np.bincount(cell, minlength=index.n_cells)
        self.mods = np.bincount(cell, weights=index.is_mod[person], minlength=index.n_cells)
        self.secs = np.bincount(cell, weights=index.is_sec[person], minlength=index.n_cells)
        self.brds = np.bincount(cell, weights=index.is_brd[person], minlength=index.n_cells)
        # Stakeholder types among the people who could meet in each cell (for the mixing rule).
        names = sorted({p.stakeholder for p in index.problem.registrants if p.stakeholder})
        kinds = {k: i for i, k in enumerate(names)}
        kind = np.array([kinds.get(p.stakeholder or "", -1) for p in index.problem.registrants], dtype=np.int64)
        known = kind[person] >= 0
        pairs_kind = np.unique(cell[known] * max(1, len(kinds)) + kind[person][known])
        self.kinds = np.bincount(pairs_kind // max(1, len(kinds)), minlength=index.n_cells)
        # The same ignoring the slot: theme × venue × language.
        coarse = cell // index.n_slots
        pairs = np.unique(person * (index.n_cells // index.n_slots) + coarse)
        self.any_slot = np.bincount(pairs % (index.n_cells // index.n_slots), minlength=index.n_cells // index.n_slots)


# Keyed by the index itself, weakly: an ``id()`` is reused once an index is
# garbage-collected, and a later solve then read another problem's counts.
_POOLS: weakref.WeakKeyDictionary[Index, _Pools] = weakref.WeakKeyDictionary()


def _pools(index: Index) -> _Pools:
    pools = _POOLS.get(index)
    if pools is None:
        pools = _Pools(index)
        _POOLS[index] = pools
    return pools


def _place_name(index: Index, venue: int) -> str:
    return "by video" if venue == index.video else f"near {index.problem.offices[venue].name}"


def _reason(index: Index, p: int) -> Unassigned:
    """Why person ``p`` has no group, in words and as a code with parameters."""
    person = index.problem.registrants[p]
    params = index.params
    themes = index.problem.themes

    def out(code: str, reason: str, **values: Any) -> Unassigned:
        return Unassigned(person.id, code, values, reason)

    running = [t for t in person.prefs if person.country in themes[index.theme_ix[t]].countries]
    if not running:
        names = ", ".join(themes[index.theme_ix[t]].name for t in person.prefs)
        return out(
            "theme_not_in_country",
            f"none of your themes ({names}) runs in {person.country}",
            themes=list(person.prefs),
            country=person.country,
        )
    if not person.slots:
        return out("no_slots", "you gave no time slot")
    if not person.languages:
        return out("no_language", "you gave no language")
    arcs = index.arcs_of(p)
    cells = index.arc_cell[arcs]
    if not len(cells):
        return out(
            "no_office_near",
            f"no office within {params.max_travel_km:g} km of your home and you meet only in person",
            max_km=params.max_travel_km,
        )
    pools = _pools(index)
    size = pools.people[cells]
    best = int(np.lexsort((-index.arc_profit[arcs], -size))[0])
    key = index.key(int(cells[best]))
    theme = themes[key.theme]
    language = LANGUAGES[key.language]
    place = _place_name(index, key.venue)
    office = None if key.venue == index.video else index.problem.offices[key.venue].id
    common = {"theme": theme.id, "language": language, "office": office, "slot": SLOTS[key.slot]}
    if size[best] < params.min_size:
        any_slot = int(pools.any_slot[int(cells[best]) // index.n_slots])
        coarse = pools.any_slot[cells // index.n_slots]
        if int(coarse.max()) >= params.min_size:
            return out(
                "no_common_slot",
                f"too few people share one of your slots for theme {theme.name} in "
                f"{LANGUAGE_NAMES[language]} {place}: at most {int(size[best])} people "
                f"({any_slot} on any slot)",
                count=int(size[best]),
                any_slot=any_slot,
                **common,
            )
        return out(
            "too_few_people",
            f"no group in {LANGUAGE_NAMES[language]} on your slots for theme {theme.name} {place}: "
            f"{int(size[best])} people",
            count=int(size[best]),
            **common,
        )
    viable = size >= params.min_size
    if params.require_moderator and not (pools.mods[cells][viable] > 0).any():
        return out(
            "no_moderator",
            f"no moderator volunteered for theme {theme.name} {place} on your slots",
            **common,
        )
    if params.require_secretary and not (pools.secs[cells][viable] > 0).any():
        return out(
            "no_secretary",
            f"no secretary volunteered for theme {theme.name} {place} on your slots",
            **common,
        )
    if params.require_board and not (pools.brds[cells][viable] > 0).any():
        return out(
            "no_board",
            f"no board member volunteered for theme {theme.name} {place} on your slots",
            **common,
        )
    needed = params.min_stakeholder_types or 0
    if needed and not params.balance_soft and not (pools.kinds[cells][viable] >= needed).any():
        return out(
            "balance_types",
            f"no group of {theme.name} in {LANGUAGE_NAMES[language]} {place} could mix {needed} stakeholder "
            "types with you on your slots: the people who could meet there have fewer types",
            min=needed,
            **common,
        )
    return out(
        "groups_full",
        f"the groups you could join (such as theme {theme.name} in {LANGUAGE_NAMES[language]} {place}) are "
        "full or their moderators and secretaries were needed by larger groups",
        **common,
    )


def objective(index: Index, formed: Formed) -> float:
    total = 0.0
    for cell, members in formed:
        for p, _ in members:
            total += index.profit(p, cell) or 0.0
    return total


def _report(
    index: Index,
    groups: list[Group],
    formed: Formed,
    placed: np.ndarray,
    unassigned: Sequence[Unassigned],
    bound: float | None,
    seconds: float,
    method: str,
    released: Sequence[str],
) -> dict[str, Any]:
    problem = index.problem
    n = index.n
    ranks: Counter[int] = Counter()
    travel: list[float] = []
    for cell, members in formed:
        key = index.key(cell)
        theme = problem.themes[key.theme].id
        for p, _ in members:
            person = problem.registrants[p]
            ranks[person.prefs.index(theme) if theme in person.prefs else 3] += 1
            if key.venue != index.video:
                km = float(index.km[p, key.venue])
                travel.append(km if np.isfinite(km) else 0.0)
    assigned = int((placed >= 0).sum())
    violations = validate(problem, groups, index.params)
    hard = [v for v in violations if v.severity == "hard"]
    value = objective(index, formed)
    sizes = Counter(len(g.members) for g in groups)
    report: dict[str, Any] = {
        "method": method,
        "registrants": n,
        "groups": len(groups),
        "groups_in_person": sum(1 for g in groups if g.mode == "in_person"),
        "groups_video": sum(1 for g in groups if g.mode == "video"),
        "assigned": assigned,
        "unassigned": n - assigned,
        "share_assigned": _share(assigned, n),
        "share_first_choice": _share(ranks[0], n),
        "share_second_choice": _share(ranks[1], n),
        "share_third_choice": _share(ranks[2], n),
        "share_top_two": _share(ranks[0] + ranks[1], n),
        "travel_km_mean": round(float(np.mean(travel)), 2) if travel else 0.0,
        "travel_km_p95": round(float(np.percentile(travel, 95)), 2) if travel else 0.0,
        "size_histogram": {str(size): sizes[size] for size in sorted(sizes)},
        "violations": len(hard),
        "violation_codes": dict(Counter(v.code for v in hard)),
        "balance_warnings": len(violations) - len(hard),
        "objective": round(value, 1),
        "bound": None if bound is None else round(bound, 1),
        "gap": None if bound is None or bound <= 0 else round(max(0.0, (bound - value) / bound), 5),
        "seconds": round(seconds, 3),
        "unassigned_reasons": dict(Counter(u.code for u in unassigned)),
        "released_locks": list(released),
        "limits": _limits(index, formed, unassigned),
    }
    return report


def _share(count: int, total: int) -> float:
    return round(count / total, 5) if total else 0.0


def _limits(index: Index, formed: Formed, unassigned: Sequence[Unassigned]) -> list[dict[str, Any]]:
    """Per theme × office (or video): who could meet there, what was formed, what held it back."""
    problem = index.problem
    n_lang_slot = index.n_languages * index.n_slots
    pair = index.arc_cell // n_lang_slot  # theme × venue
    unique = np.unique(index.arc_person * (index.n_themes * index.n_venues) + pair)
    tv = unique % (index.n_themes * index.n_venues)
    who = unique // (index.n_themes * index.n_venues)
    size = index.n_themes * index.n_venues
    people = np.bincount(tv, minlength=size)
    mods = np.bincount(tv, weights=index.is_mod[who], minlength=size)
    secs = np.bincount(tv, weights=index.is_sec[who], minlength=size)
    groups = Counter(int(cell // n_lang_slot) for cell, _ in formed)
    members: Counter[int] = Counter()
    for cell, group in formed:
        members[int(cell // n_lang_slot)] += len(group)
    left: dict[int, Counter[str]] = {}
    for item in unassigned:
        theme = item.params.get("theme")
        if theme is None:
            continue
        office = item.params.get("office")
        venue = index.video if office is None else index.office_ix[office]
        key = int(index.theme_ix[theme] * index.n_venues + venue)
        left.setdefault(key, Counter())[item.code] += 1
    rows = []
    for found in np.flatnonzero(people):
        key = int(found)
        theme, venue = divmod(key, index.n_venues)
        codes = left.get(key, Counter())
        rows.append(
            {
                "theme": problem.themes[theme].id,
                "office": None if venue == index.video else problem.offices[venue].id,
                "people": int(people[key]),
                "moderators": int(mods[key]),
                "secretaries": int(secs[key]),
                "groups": groups.get(key, 0),
                "assigned": members.get(key, 0),
                "unassigned": sum(codes.values()),
                "limit": codes.most_common(1)[0][0] if codes else None,
                "unassigned_reasons": dict(codes),
            }
        )
    return rows
