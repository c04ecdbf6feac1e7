"""What a team does by hand, used as the baseline: first choice, nearest office, fill up, then next choice."""

from __future__ import annotations

from collections import Counter

import numpy as np

from .index import BoolArray, Index

Formed = list[tuple[int, list[tuple[int, str]]]]  # (cell, [(person, role)]) per group


def greedy_groups(index: Index, free: BoolArray) -> Formed:
    """Groups formed choice by choice: people go to their nearest office (or video), then
    each (theme, venue) pile is cut into groups at its most shared language and slot."""
    params = index.params
    people = index.problem.registrants
    left = {int(i) for i in np.flatnonzero(free & index.has_option)}
    formed: Formed = []
    office_theme: dict[int, int] = {}
    for rank in range(3):
        piles: dict[tuple[int, int], list[int]] = {}
        for i in sorted(left):
            p = people[i]
            if rank >= len(p.prefs):
                continue
            t = index.theme_ix[p.prefs[rank]]
            venue = index.video
            if p.mode != "video":
                row = index.km[i]
                nearest = int(np.argmin(row)) if len(row) else -1
                if nearest >= 0 and np.isfinite(row[nearest]):
                    venue = nearest
                elif p.office is not None:
                    venue = index.office_ix[p.office]
            if venue == index.video and p.mode == "in_person":
                continue
            piles.setdefault((t, venue), []).append(i)
        for (t, venue), pile in sorted(piles.items(), key=lambda item: (-len(item[1]), item[0])):
            if params.one_theme_per_office and venue != index.video and office_theme.get(venue, t) != t:
                continue
            while len(pile) >= params.min_size:
                options: Counter[int] = Counter()
                for i in pile:
                    options.update(
                        lang * index.n_slots + slot
                        for lang in (index.language_ix[x] for x in people[i].languages)
                        for slot in (index.slot_ix[s] for s in people[i].slots)
                    )
                made = False
                for code, _count in options.most_common():
                    if _count < params.min_size:
                        break
                    lang, slot = divmod(code, index.n_slots)
                    cell = index.cell_of(t, venue, lang, slot)
                    fits = [i for i in pile if index.profit(i, cell) is not None]
                    group = _cut(index, fits)
                    if group:
                        formed.append((cell, group))
                        if venue != index.video:
                            office_theme.setdefault(venue, t)
                        taken = {i for i, _ in group}
                        pile[:] = [i for i in pile if i not in taken]
                        left -= taken
                        made = True
                        break
                if not made:
                    break
    return formed


def _cut(index: Index, fits: list[int]) -> list[tuple[int, str]]:
    """One group from the people who fit, in their order: a moderator, a secretary, then the rest."""
    params = index.params
    if len(fits) < params.min_size:
        return []
    mod = sec = None
    if params.require_moderator:
        mods = [i for i in fits if index.is_mod[i]]
        mods.sort(key=lambda i: bool(index.is_sec[i]))  # keep those who can do both for secretary
        if not mods:
            return []
        mod = mods[0]
    if params.require_secretary:
        secs = [i for i in fits if index.is_sec[i] and i != mod]
        if not secs:
            return []
        sec = secs[0]
    group: list[tuple[int, str]] = []
    if mod is not None:
        group.append((mod, "moderator"))
    if sec is not None:
        group.append((sec, "secretary"))
    for i in fits:
        if len(group) >= params.max_size:
            break
        if i not in (mod, sec):
            group.append((i, "participant"))
    return group
