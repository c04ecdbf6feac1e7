"""Re-forming after one person declines: only the groups that must change, change, and nobody but the
person who declined loses their place unless no repair keeps the rules.

The repairs, tried in order; the first that keeps everyone placed and every rule wins (else the one
nearest to the balance rules; the last two only when no other keeps the group's size and roles):

1. ``member``/``swap``: the group as it is, its roles dealt again among the members who volunteered
   (a participant takes the role, or a member holding another role takes it and a participant or a
   person left out takes theirs);
2. ``left_out``: people left out who fit join, the roles first, then to reach the minimum size;
3. ``donor``/``chain``: someone moves over from another group (a sibling of the same cell first, then
   any group whose member fits): a participant, or a role-holder whose group gives the role to one of
   its own members or to a person left out; or a longer chain (breadth first, at most ``CHAIN_DEPTH``
   people move): each group that lost someone takes a volunteer who fits it from another group, until
   a group can spare someone or a person left out takes the last place; every donor keeps every rule;
4. ``merge``/``resplit``: the group and a sibling become one group (within the maximum size), or the
   two are split again into two groups that keep the rules (one or two people change places);
5. ``replace``: the group's people are placed anew, every other group locked: a new group in another
   cell that they fit (with people left out who fit it), the others into groups with room (the
   engine's min-cost flow, ``flow.place``);
6. ``dissolved``: the flow places the members in groups with room; those it cannot are left out.

No index over all people is built, so it stays fast on large editions. With hard balance rules
(``balance_soft`` false) every step keeps them in view: among those who fit, the one who leaves the
group nearest to every rule joins; a group a decline tipped over a rule takes someone who brings it
back; a donor or a group someone joins never ends further from its rules. A group no one can repair
is kept as it is and named in ``report["balance_flags"]`` (group, code, English words), never silently
broken.
"""

from __future__ import annotations

import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .balance import hard_rules
from .flow import Bin, place
from .index import Index
from .model import LANGUAGES, ROLES, SLOTS, Group, Member, Params, Problem, Registrant, Role, Solution, Unassigned
from .validate import balance_warnings, member_violations, travel_km, validate

Cell = tuple[str, str, str | None, str, str]  # theme, mode, office, language, slot
Seat = tuple[Registrant, str]  # a person and the role they hold now ("participant" when new to the group)

SEARCH_LIMIT = 3000  # sets of people tried per group when the balance rules are hard
SPLIT_TRIES = 10_000  # re-splits tried against all siblings together, at most
SHORTLIST = 16  # of the people who fit, the best this many are tried in sets
DONOR_LIMIT = 3000  # people of other groups tried as donors
NEW_CELLS = 24  # cells tried for a new group when the group's people are placed anew
CHAIN_DEPTH = 6  # people moving along one chain, at most
CHAIN_SAME = 3  # groups of one cell lacking the same role tried along chains, at most
CHAIN_TRIES = 10_000  # volunteers tried along chains, at most (a few tenths of a second at 50,000)
HOSTS_LIMIT = 20_000  # assignments tried when the balance rules make the flow's placement fail


def strain(people: list[Registrant], params: Params) -> int:
    """How far ``people`` as one group are from the hard balance rules (0: they keep them all): types
    missing, plus people of one stakeholder type or gender over their share."""
    if params.balance_soft:
        return 0
    out = 0
    if params.min_stakeholder_types:
        out += max(0, params.min_stakeholder_types - len({p.stakeholder for p in people if p.stakeholder}))
    if params.max_stakeholder_share is not None:
        kinds = Counter(p.stakeholder for p in people if p.stakeholder)
        if kinds:
            out += max(0, max(kinds.values()) - _cap(params.max_stakeholder_share, len(people)))
    if params.max_gender_share is not None:
        genders = Counter(p.gender for p in people if p.gender)
        if genders:
            out += max(0, max(genders.values()) - _cap(params.max_gender_share, sum(genders.values())))
    return out


def _cap(share: float, count: int) -> int:
    return int(share * count + 1e-9)


def _cell(group: Group) -> Cell:
    return (group.theme, group.mode, group.office, group.language, group.slot)


def _as_role(role: str | None) -> Role:
    if role == "moderator":
        return "moderator"
    if role == "secretary":
        return "secretary"
    if role == "board":
        return "board"
    return "participant"


@dataclass
class _Plan:
    """One way to repair: the groups it changes (``None``: the group is gone) and who it leaves out."""

    kind: str
    groups: dict[str, Group | None]
    order: int
    strain: int = 0  # how far its groups are from the balance rules, beyond how far they were
    left_out: list[str] = field(default_factory=list)
    summary: list[dict[str, Any]] = field(default_factory=list)

    def rank(self) -> tuple[int, int, int]:
        return (len(self.left_out), max(0, self.strain), self.order)

    def perfect(self) -> bool:
        return not self.left_out and self.strain <= 0


@dataclass
class _Link:
    """A chain under way: the groups settled so far (new members), people left out it placed, the group
    that lost someone and waits for a volunteer (``short``, its remaining ``rest``), who moved."""

    settled: dict[str, tuple[Member, ...]]
    taken: frozenset[str]
    short: Group
    rest: list[Seat]
    movers: set[str]
    strain: int
    role: str  # the role of the person who left ``short``


class _Reform:
    def __init__(self, problem: Problem, params: Params, solution: Solution, declined: str) -> None:
        self.problem = problem
        self.params = params
        self.declined = declined
        self.people = {p.id: p for p in problem.registrants}
        self.themes = {t.id: t for t in problem.themes}
        self.offices = {o.id: o for o in problem.offices}
        self.groups = {g.id: g for g in solution.groups}
        self.pool = [
            self.people[u.id]
            for u in sorted(solution.unassigned, key=lambda u: u.id)
            if u.id != declined and u.id in self.people
        ]
        flags = (params.require_moderator, params.require_secretary, params.require_board)
        self.required = [role for role, on in zip(ROLES, flags, strict=True) if on]
        self.hard = bool(hard_rules(params))
        self._fits: dict[tuple[str, Cell], bool] = {}
        self._pool_cells: dict[Cell, list[Registrant]] = {}
        self._pool_index: dict[tuple[str, str, str], list[Registrant]] | None = None
        self._location: dict[str, tuple[str, str]] | None = None
        self._volunteer_index: dict[tuple[str, str, str], list[Registrant]] | None = None
        self._volunteer_cells: dict[Cell, list[Registrant]] = {}
        self._split_tries = SPLIT_TRIES

    # --- the rules one group keeps -------------------------------------------------------------

    def strain(self, people: list[Registrant]) -> int:
        return strain(people, self.params) if self.hard else 0

    def fits(self, person: Registrant, group: Group) -> bool:
        """Whether ``person`` may meet in ``group``'s cell (theme, country, language, slot, mode, travel)."""
        key = (person.id, _cell(group))
        ok = self._fits.get(key)
        if ok is None:
            ok = (
                group.slot in person.slots
                and group.language in person.languages
                and group.theme in person.prefs
                and not member_violations(
                    person,
                    "participant",
                    group,
                    self.themes.get(group.theme),
                    self.offices.get(group.office or ""),
                    self.params,
                )
            )
            self._fits[key] = ok
        return ok

    def points(self, person: Registrant, group: Group) -> float:
        w = self.params.weights
        value = w.assigned - w.rank[min(person.prefs.index(group.theme), len(w.rank) - 1)]
        if group.mode == "video":
            return value - w.video
        km = travel_km(person, self.offices[group.office or ""])
        return value - w.travel_per_km * (km or 0.0)

    def _match(self, seats: Sequence[Seat]) -> tuple[list[str | None], int]:
        """The required roles dealt to volunteers among ``seats``, current holders first (as few
        changes as possible), and how many roles stay without one."""
        role_of: list[str | None] = [None] * len(seats)
        held: set[str] = set()
        for i, (person, role) in enumerate(seats):
            if role in self.required and role not in held and role in person.roles:
                role_of[i] = role
                held.add(role)
        missing = 0
        for role in self.required:
            if role not in held and not self._augment(seats, role_of, role, set()):
                missing += 1
        return role_of, missing

    def covers(self, seats: Sequence[Seat], times: int) -> bool:
        """Whether ``seats`` hold volunteers enough for every required role ``times`` over (each person one role)."""
        role_of: list[str | None] = [None] * len(seats)
        return all(self._augment(seats, role_of, role, set()) for role in self.required * times)

    def _augment(self, seats: Sequence[Seat], role_of: list[str | None], role: str, seen: set[int]) -> bool:
        # Someone who volunteered for ``role`` takes it; if they held another role, someone else takes that.
        order = sorted(
            (i for i, (person, _) in enumerate(seats) if role in person.roles and i not in seen),
            key=lambda i: role_of[i] is not None,
        )
        for i in order:
            if i in seen:
                continue
            seen.add(i)
            old = role_of[i]
            role_of[i] = role
            if old is None or self._augment(seats, role_of, old, seen):
                return True
            role_of[i] = old
        return False

    def deal(self, seats: Sequence[Seat]) -> tuple[Member, ...] | None:
        """``seats`` as members of one group with every required role held by a volunteer, or ``None``."""
        role_of, missing = self._match(seats)
        if missing:
            return None
        kept: set[str] = set()
        members = []
        for (person, role), dealt in zip(seats, role_of, strict=True):
            if dealt is None and role in ROLES and role not in self.required and role in person.roles:
                # A role the format does not ask for: the one who held it keeps it (one per group).
                dealt = None if role in kept else role
                kept.add(role)
            members.append(Member(person.id, _as_role(dealt)))
        return tuple(members)

    def valid_as_is(self, group: Group) -> bool:
        params = self.params
        if not params.min_size <= len(group.members) <= params.max_size:
            return False
        roles: Counter[str] = Counter(m.role for m in group.members)
        return all(roles[role] == 1 for role in self.required)

    def seats(self, group: Group, without: str | None = None) -> list[Seat]:
        return [(self.people[m.id], m.role) for m in group.members if m.id != without]

    def complete(
        self, group: Group, base: list[Seat], candidates: Sequence[Registrant], max_add: int
    ) -> tuple[tuple[Member, ...], list[str], int] | None:
        """The fewest of ``candidates`` who, with ``base``, make a group of ``group``'s cell keeping its
        size and roles; with hard balance rules the set nearest to them (a few more people may join
        to bring the group back within them). Returns the members, who joined and the strain."""
        params = self.params
        limit = min(max_add, params.max_size - len(base))
        if limit < 0:
            return None
        people = [p for p, _ in base]
        ids = {p.id for p in people}
        pool = [c for c in candidates if c.id not in ids]
        if self.hard:
            pool.sort(key=lambda c: (self.strain([*people, c]), -self.points(c, group), c.id))
        else:
            pool.sort(key=lambda c: (-self.points(c, group), c.id))
        found = self._greedy(base, pool, limit)
        if not self.hard or found is None:
            return found  # the greedy choice is exact for the size and the roles
        best = found
        if best is not None and best[2] == 0:
            return best
        # Hard balance rules: small sets of the best candidates, fewest first, for one that keeps them.
        wanted = set(self.required)
        shortlist = pool[:SHORTLIST] + [c for c in pool[SHORTLIST:] if c.roles & wanted][: SHORTLIST // 2]
        tried = 0
        for k in range(limit + 1):
            if len(base) + k < params.min_size:
                continue
            for combo in itertools.combinations(shortlist, k):
                tried += 1
                if tried > SEARCH_LIMIT:
                    return best
                seats = [*base, *((c, "participant") for c in combo)]
                members = self.deal(seats)
                if members is None:
                    continue
                value = self.strain([p for p, _ in seats])
                if best is None or value < best[2]:
                    best = (members, [c.id for c in combo], value)
                if value == 0:
                    return best
        return best

    def _greedy(
        self, base: list[Seat], pool: list[Registrant], limit: int
    ) -> tuple[tuple[Member, ...], list[str], int] | None:
        # The volunteers who fill a missing role (each one more role filled: the fewest possible, since
        # the people who can hold the roles form a matroid), then the best placed up to the minimum size.
        seats = list(base)
        added: list[Registrant] = []
        _, missing = self._match(seats)
        wanted = set(self.required)
        if missing:
            for c in pool:
                if len(added) >= limit:
                    break
                if not c.roles & wanted:
                    continue
                trial = [*seats, (c, "participant")]
                _, fewer = self._match(trial)
                if fewer < missing:
                    seats, missing = trial, fewer
                    added.append(c)
                    if not missing:
                        break
            if missing:
                return None
        for c in pool:
            if len(seats) >= self.params.min_size or len(added) >= limit:
                break
            if c not in added:
                seats.append((c, "participant"))
                added.append(c)
        if len(seats) < self.params.min_size:
            return None
        members = self.deal(seats)
        if members is None:
            return None
        return members, [c.id for c in added], self.strain([p for p, _ in seats])

    # --- who is around ---------------------------------------------------------------------------

    def pool_for(self, group: Group, taken: set[str] | frozenset[str] = frozenset()) -> list[Registrant]:
        """People left out who may meet in ``group``'s cell."""
        cell = _cell(group)
        fitting = self._pool_cells.get(cell)
        if fitting is None:
            if self._pool_index is None:
                self._pool_index = {}
                for p in self.pool:
                    for theme in p.prefs:
                        for language in p.languages:
                            for slot in p.slots:
                                self._pool_index.setdefault((theme, language, slot), []).append(p)
            near = self._pool_index.get((group.theme, group.language, group.slot), [])
            fitting = [p for p in near if self.fits(p, group)]
            self._pool_cells[cell] = fitting
        return [p for p in fitting if p.id not in taken] if taken else fitting

    def siblings(self, group: Group) -> list[Group]:
        cell = _cell(group)
        return sorted(
            (g for g in self.groups.values() if g.id != group.id and _cell(g) == cell),
            key=lambda g: (len(g.members), g.id),
        )

    # --- the repairs ---------------------------------------------------------------------------------

    def plans(self, group: Group) -> Iterator[_Plan]:
        """The repairs in order. A group that can keep its size and roles where it meets is never
        replaced or dissolved for a balance rule alone: it is kept (and flagged) instead."""
        kept = False
        for step in (self._in_place, self._donors, self._merge):
            for plan in step(group):
                kept = True
                yield plan
        if not kept:
            yield from self._anew(group)

    def _in_place(self, group: Group) -> Iterator[_Plan]:
        found = self.complete(group, self.seats(group), self.pool_for(group), max_add=3)
        if found is not None:
            members, _, value = found
            yield _Plan("in_place", {group.id: replace(group, members=members)}, order=0, strain=value)

    def _donors(self, group: Group) -> Iterator[_Plan]:
        """Someone from another group: a participant, or a role-holder whose group fills the role again."""
        params = self.params
        base = self.seats(group)
        if len(base) >= params.max_size:
            return
        _, missing = self._match(base)
        short = len(base) < params.min_size
        now = self.strain([p for p, _ in base])
        wanted = set(self.required)
        cell = _cell(group)
        candidates: list[tuple[tuple[Any, ...], Group, Member]] = []
        for donor in self.groups.values():
            if donor.id == group.id:
                continue
            sibling = _cell(donor) == cell
            for pos, m in enumerate(donor.members):
                person = self.people[m.id]
                if missing and not person.roles & wanted:
                    continue
                if not sibling and not self.fits(person, group):
                    continue
                if not missing and not short and self.strain([*(p for p, _ in base), person]) >= now:
                    continue
                key = (not sibling, m.role != "participant", -len(donor.members), donor.id, pos)
                candidates.append((key, donor, m))
        candidates.sort(key=lambda c: c[0])
        best: _Plan | None = None
        for _, donor, m in candidates[:DONOR_LIMIT]:
            plan = self._take(group, base, donor, m)
            if plan is not None and (best is None or plan.rank() < best.rank()):
                best = plan
                if plan.perfect():
                    break
        if best is None or not best.perfect():
            starts = [(donor, m) for _, donor, m in candidates[:DONOR_LIMIT] if m.role != "participant"]
            longer = self._chains(group, base, starts)
            if longer is not None and (best is None or longer.rank() < best.rank()):
                best = longer
        if best is not None:
            yield best

    def _chains(self, group: Group, base: list[Seat], starts: list[tuple[Group, Member]]) -> _Plan | None:
        """Longer chains, breadth first: a role-holder moves to the group, a volunteer moves into the place
        they left, and so on, until a group can spare someone or a person left out takes the last place
        (at most ``CHAIN_DEPTH`` people move; every group on the way keeps its size and its rules)."""
        frontier: list[_Link] = []
        for donor, m in starts:
            took = self.complete(group, [*base, (self.people[m.id], "participant")], self.pool_for(group), 2)
            if took is not None:
                rest = self.seats(donor, without=m.id)
                link = _Link({group.id: took[0]}, frozenset(took[1]), donor, rest, {m.id}, took[2], m.role)
                frontier.append(link)
        best: _Plan | None = None
        # A group that lost a given person waits once (breadth first: on the shortest chain to it), and
        # the volunteers tried are counted, so the search stays bounded on a large edition.
        waited = {(link.short.id, frozenset(link.movers)) for link in frontier}  # (group, who left it)
        # Groups of one cell that lack the same role wait for the same volunteers: a few of them are tried,
        # and none of the group's own cell, whose volunteers it has tried already.
        role_of, _ = self._match(base)
        per_kind: Counter[tuple[Cell, str]] = Counter()
        for role in self.required:
            if role not in role_of:
                per_kind[(_cell(group), role)] = CHAIN_SAME
        tries = 0
        for _depth in range(2, CHAIN_DEPTH + 1):
            deeper: list[_Link] = []
            for link in frontier:
                short = link.short
                kind = (_cell(short), link.role)
                if per_kind[kind] >= CHAIN_SAME:
                    continue
                per_kind[kind] += 1
                before = self.strain([self.people[x.id] for x in short.members])
                for person in self.volunteers_for(short):
                    if person.id in link.movers or person.id in link.taken:
                        continue
                    tries += 1
                    if tries > CHAIN_TRIES:
                        return best
                    where = self.location().get(person.id)
                    if where is not None and (where[0] in link.settled or where[0] == short.id):
                        continue
                    seats = [*link.rest, (person, "participant")]
                    members = self.deal(seats)
                    value = self.strain([p for p, _ in seats])
                    if members is None or value > before:
                        continue
                    settled = {**link.settled, short.id: members}
                    total = link.strain + value - before
                    if where is None:  # a person left out takes the last place
                        plan = self._chain_plan(settled, total)
                    else:
                        donor = self.groups[where[0]]
                        was = self.strain([self.people[x.id] for x in donor.members])
                        rest = self.seats(donor, without=person.id)
                        gave = self.complete(donor, rest, self.pool_for(donor, set(link.taken)), 1)
                        if gave is None or gave[2] > was:
                            if (donor.id, frozenset({person.id})) not in waited:
                                waited.add((donor.id, frozenset({person.id})))
                                movers = link.movers | {person.id}
                                deeper.append(_Link(settled, link.taken, donor, rest, movers, total, where[1]))
                            continue
                        plan = self._chain_plan({**settled, donor.id: gave[0]}, total + gave[2] - was)
                    if best is None or plan.rank() < best.rank():
                        best = plan
                    if plan.perfect():
                        return best
            if best is not None:
                return best
            frontier = deeper
        return best

    def _chain_plan(self, settled: dict[str, tuple[Member, ...]], value: int) -> _Plan:
        groups: dict[str, Group | None] = {gid: replace(self.groups[gid], members=m) for gid, m in settled.items()}
        return _Plan("chain", groups, order=2, strain=value)

    def location(self) -> dict[str, tuple[str, str]]:
        """Where each placed person is: group id and role."""
        if self._location is None:
            self._location = {m.id: (g.id, m.role) for g in self.groups.values() for m in g.members}
        return self._location

    def volunteers_for(self, group: Group) -> list[Registrant]:
        """Everyone who volunteered for a role the format asks for and may meet in ``group``'s cell: people
        left out first, then participants of large groups, then role-holders."""
        cell = _cell(group)
        found = self._volunteer_cells.get(cell)
        if found is None:
            if self._volunteer_index is None:
                self._volunteer_index = {}
                wanted = set(self.required)
                for p in self.problem.registrants:
                    if p.id == self.declined or not p.roles & wanted:
                        continue
                    for theme in p.prefs:
                        for language in p.languages:
                            for slot in p.slots:
                                self._volunteer_index.setdefault((theme, language, slot), []).append(p)
            where = self.location()
            pool = {p.id for p in self.pool}
            near = self._volunteer_index.get((group.theme, group.language, group.slot), [])

            def order(p: Registrant) -> tuple[bool, bool, int, str]:
                at = where.get(p.id)
                size = len(self.groups[at[0]].members) if at else 0
                return (at is not None, at is not None and at[1] != "participant", -size, p.id)

            found = sorted(
                (p for p in near if (p.id in where or p.id in pool) and self.fits(p, group)),
                key=order,
            )
            self._volunteer_cells[cell] = found
        return found

    def _take(self, group: Group, base: list[Seat], donor: Group, m: Member) -> _Plan | None:
        person = self.people[m.id]
        before = self.strain([self.people[x.id] for x in donor.members])
        rest = self.seats(donor, without=m.id)
        # The donor first (it may take one person left out), then the group; or the other way round.
        for donor_first in (True, False):
            if donor_first:
                gave = self.complete(donor, rest, self.pool_for(donor), max_add=1)
                if gave is None or gave[2] > before:
                    continue
                took = self.complete(group, [*base, (person, "participant")], self.pool_for(group, set(gave[1])), 2)
            else:
                took = self.complete(group, [*base, (person, "participant")], self.pool_for(group), 2)
                if took is None:
                    return None
                gave = self.complete(donor, rest, self.pool_for(donor, set(took[1])), max_add=1)
                if gave is None or gave[2] > before:
                    return None
            if took is None:
                continue
            kind = "donor" if m.role == "participant" else "chain"
            return _Plan(
                kind,
                {group.id: replace(group, members=took[0]), donor.id: replace(donor, members=gave[0])},
                order=2,
                strain=took[2] + gave[2] - before,
            )
        return None

    def _merge(self, group: Group) -> Iterator[_Plan]:
        """With a sibling: one group, or the two split again with one or two people changing places."""
        params = self.params
        base = self.seats(group)
        best: _Plan | None = None
        for sibling in self.siblings(group):
            theirs = self.seats(sibling)
            before = self.strain([p for p, _ in theirs])
            if len(theirs) + len(base) <= params.max_size:
                members = self.deal([*theirs, *base])
                after = self.strain([p for p, _ in theirs + base])
                # The sibling's people end no further from the balance rules than they were.
                if members is not None and after <= before:
                    plan = _Plan(
                        "merge",
                        {group.id: None, sibling.id: replace(sibling, members=members)},
                        order=3,
                        strain=after - before,
                        summary=[{"action": "merged", "group": group.id, "into": sibling.id}],
                    )
                    if best is None or plan.rank() < best.rank():
                        best = plan
                    if plan.perfect():
                        break
            split = self._resplit(group, base, sibling, theirs, before)
            if split is not None and (best is None or split.rank() < best.rank()):
                best = split
                if split.perfect():
                    break
        if best is not None:
            yield best

    def _resplit(self, group: Group, base: list[Seat], sibling: Group, theirs: list[Seat], before: int) -> _Plan | None:
        params = self.params
        if len(base) + len(theirs) < 2 * params.min_size or self._split_tries <= 0:
            return None
        if not self.covers([*base, *theirs], 2):  # two groups need two volunteers for each role
            return None
        _, missing = self._match(base)
        wanted = set(self.required)
        best: _Plan | None = None
        tried = 0
        # Participants move first: role-holders keep their group where they can.
        movable = sorted(range(len(theirs)), key=lambda i: theirs[i][1] != "participant")
        leaving = sorted(range(len(base)), key=lambda i: base[i][1] != "participant")
        for kx in (1, 2):
            for come in itertools.combinations(movable, kx):
                if missing and not any(theirs[i][0].roles & wanted for i in come):
                    continue
                for ky in range(kx + 1):
                    ours = len(base) + kx - ky
                    others = len(theirs) - kx + ky
                    if not (
                        params.min_size <= ours <= params.max_size and params.min_size <= others <= params.max_size
                    ):
                        continue
                    for go in itertools.combinations(leaving, ky):
                        tried += 1
                        self._split_tries -= 1
                        if tried > SEARCH_LIMIT or self._split_tries <= 0:
                            return best
                        mine = [s for i, s in enumerate(base) if i not in go]
                        mine += [(theirs[i][0], "participant") for i in come]
                        yours = [s for i, s in enumerate(theirs) if i not in come]
                        yours += [(base[i][0], "participant") for i in go]
                        new_mine = self.deal(mine)
                        if new_mine is None:
                            continue
                        new_yours = self.deal(yours)
                        if new_yours is None:
                            continue
                        after = self.strain([p for p, _ in yours])
                        if after > before:
                            continue
                        plan = _Plan(
                            "resplit",
                            {
                                group.id: replace(group, members=new_mine),
                                sibling.id: replace(sibling, members=new_yours),
                            },
                            order=3,
                            strain=self.strain([p for p, _ in mine]) + after - before,
                            summary=[{"action": "resplit", "group": group.id, "with": sibling.id}],
                        )
                        if best is None or plan.rank() < best.rank():
                            best = plan
                        if plan.perfect():
                            return best
        return best

    def _anew(self, group: Group) -> Iterator[_Plan]:
        """The group's people placed anew, everything else locked: a new group in another cell they fit
        (with people left out who fit it), the rest into groups with room; else only the latter."""
        params = self.params
        base = self.seats(group)
        members = [p for p, _ in base]
        hosts = _Hosts(self, skip={group.id})
        new_id = self._new_id()
        best: _Plan | None = None
        if members:
            themes = {t for p in members for t in p.prefs}
            languages = {x for p in members for x in p.languages}
            slots = {x for p in members for x in p.slots}
            near = [
                p for p in self.pool if themes.intersection(p.prefs) and languages & p.languages and slots & p.slots
            ]
            index = Index(Problem(self.problem.offices, self.problem.themes, (*members, *near)), params)
            own = hosts.cell_id(group)
            k = len(members)
            member_arc = index.arc_person < k
            cells, counts = np.unique(index.arc_cell[member_arc], return_counts=True)
            others = np.bincount(index.arc_cell[~member_arc], minlength=index.n_cells)
            order = sorted(
                (-int(n), -int(others[c]), int(c))
                for c, n in zip(cells, counts, strict=True)
                if int(c) != own and int(n) + int(others[c]) >= params.min_size
            )
            tried = 0
            for _, _, c in order:
                if tried >= NEW_CELLS:
                    break
                new = self._group_at(index, c, new_id, exclude=group.id)
                if new is None:
                    continue
                tried += 1
                inside = [s for s in base if self.fits(s[0], new)]
                found = self.complete(new, inside, self.pool_for(new), max_add=params.max_size)
                if found is None or found[2] > 0:  # a new group keeps every rule
                    continue
                placed, left = hosts.place([s[0] for s in base if not self.fits(s[0], new)])
                plan = self._anew_plan(group, "replace", 4, placed, left)
                plan.groups[new_id] = replace(new, members=found[0])
                plan.summary = [
                    {
                        "action": "replaced",
                        "group": group.id,
                        "new_group": new_id,
                        "theme": new.theme,
                        "mode": new.mode,
                        "office": new.office,
                        "language": new.language,
                        "slot": new.slot,
                    }
                ]
                if best is None or plan.rank() < best.rank():
                    best = plan
                if plan.perfect():
                    break
        if best is not None and best.perfect():
            yield best
            return
        placed, left = hosts.place(members)
        dissolved = self._anew_plan(group, "dissolved", 5, placed, left)
        dissolved.summary = [{"action": "dissolved", "group": group.id}]
        if best is None or dissolved.rank() < best.rank():
            best = dissolved
        yield best

    def _anew_plan(self, group: Group, kind: str, order: int, placed: dict[str, list[str]], left: list[str]) -> _Plan:
        groups: dict[str, Group | None] = {group.id: None}
        for host_id, ids in placed.items():
            host = self.groups[host_id]
            groups[host_id] = replace(host, members=(*host.members, *(Member(x, "participant") for x in ids)))
        return _Plan(kind, groups, order=order, left_out=list(left))

    def _group_at(self, index: Index, cell: int, new_id: str, exclude: str) -> Group | None:
        key = index.key(cell)
        in_person = key.venue != index.video
        office = self.problem.offices[key.venue].id if in_person else None
        theme = self.problem.themes[key.theme].id
        if in_person and self.params.one_theme_per_office:
            hosted = {
                g.theme
                for g in self.groups.values()
                if g.id != exclude and g.mode == "in_person" and g.office == office
            }
            if hosted - {theme}:
                return None
        return Group(
            new_id,
            theme,
            "in_person" if in_person else "video",
            office,
            LANGUAGES[key.language],
            SLOTS[key.slot],
            (),
        )

    def _new_id(self) -> str:
        numbers = [int(m.group(1)) for gid in self.groups if (m := re.fullmatch(r"G(\d+)", gid))]
        number = max(numbers, default=0) + 1
        while f"G{number:04d}" in self.groups:
            number += 1
        return f"G{number:04d}"


class _Hosts:
    """Groups that keep their rules and have room: who of a dissolved group joins which (the engine's
    flow, the groups locked: nobody in them moves), keeping each host's balance rules."""

    def __init__(self, reform: _Reform, skip: set[str]) -> None:
        self.reform = reform
        self.skip = skip
        self._cells: dict[int, list[Group]] | None = None
        self._memo: dict[tuple[str, ...], tuple[dict[str, list[str]], list[str]]] = {}
        problem = reform.problem
        self.office_ix = {o.id: i for i, o in enumerate(problem.offices)}
        self.theme_ix = {t.id: i for i, t in enumerate(problem.themes)}
        self.language_ix = {x: i for i, x in enumerate(LANGUAGES)}
        self.slot_ix = {x: i for i, x in enumerate(SLOTS)}

    def cell_id(self, group: Group) -> int:
        """``group``'s cell as ``Index`` numbers it (the same in every index of the same offices and themes)."""
        problem = self.reform.problem
        venue = len(problem.offices) if group.mode == "video" else self.office_ix.get(group.office or "", -1)
        theme = self.theme_ix.get(group.theme, -1)
        if venue < 0 or theme < 0 or group.language not in self.language_ix or group.slot not in self.slot_ix:
            return -1
        venues = len(problem.offices) + 1
        return ((theme * venues + venue) * len(LANGUAGES) + self.language_ix[group.language]) * len(
            SLOTS
        ) + self.slot_ix[group.slot]

    def by_cell(self) -> dict[int, list[Group]]:
        if self._cells is None:
            self._cells = {}
            for g in self.reform.groups.values():
                if g.id in self.skip or len(g.members) >= self.reform.params.max_size or not self.reform.valid_as_is(g):
                    continue
                self._cells.setdefault(self.cell_id(g), []).append(g)
        return self._cells

    def place(self, persons: list[Registrant]) -> tuple[dict[str, list[str]], list[str]]:
        """Who joins which group (by id), and who is left without one."""
        key = tuple(p.id for p in persons)
        if key not in self._memo:
            self._memo[key] = self._place(persons)
        return self._memo[key]

    def _place(self, persons: list[Registrant]) -> tuple[dict[str, list[str]], list[str]]:
        reform = self.reform
        if not persons:
            return {}, []
        index = Index(Problem(reform.problem.offices, reform.problem.themes, tuple(persons)), reform.params)
        cells = self.by_cell()
        hosts = [g for c in sorted(set(index.arc_cell.tolist())) for g in cells.get(c, [])]
        if not hosts:
            return {}, [p.id for p in persons]
        bins = [Bin(self.cell_id(g), 1, g.id, [(-1, m.role) for m in g.members]) for g in hosts]
        result = place(index, bins, np.ones(index.n, dtype=bool))
        joined: dict[str, list[Registrant]] = {}
        left: list[Registrant] = []
        for i, b in enumerate(result.person_bin.tolist()):
            if b >= 0 and reform.fits(persons[i], hosts[b]):
                joined.setdefault(hosts[b].id, []).append(persons[i])
            else:
                left.append(persons[i])
        if reform.hard:
            # The flow does not see the balance rules: a host takes only joiners who leave it no further from them.
            for gid, people in joined.items():
                host = [reform.people[m.id] for m in reform.groups[gid].members]
                before = reform.strain(host)
                while people and reform.strain(host + people) > before:
                    drop = min(people, key=lambda x: (reform.strain(host + [y for y in people if y is not x]), x.id))
                    people.remove(drop)
                    left.append(drop)
            if left:
                better = self._search(persons, hosts)
                if better is not None and len(better[1]) < len(left):
                    return better
        return {gid: [p.id for p in people] for gid, people in joined.items() if people}, sorted(p.id for p in left)

    def _search(self, persons: list[Registrant], hosts: list[Group]) -> tuple[dict[str, list[str]], list[str]] | None:
        """With hard balance rules, the most people placed, trying assignments one by one (a bounded search)."""
        reform = self.reform
        params = reform.params
        people = {g.id: [reform.people[m.id] for m in g.members] for g in hosts}
        before = {g.id: reform.strain(people[g.id]) for g in hosts}
        options = [[g for g in hosts if reform.fits(p, g)] for p in persons]
        extra: dict[str, list[Registrant]] = {g.id: [] for g in hosts}
        best: list[tuple[int, dict[str, list[str]]]] = []
        steps = 0

        def done() -> bool:
            return steps > HOSTS_LIMIT or bool(best and best[0][0] == len(persons))

        def walk(i: int, placed: int) -> None:
            nonlocal steps
            steps += 1
            if done():
                return
            if placed + (len(persons) - i) <= (best[0][0] if best else -1):
                return
            if i == len(persons):
                # The rules are judged once everyone joining has joined (one joiner may need another).
                if all(reform.strain(people[gid] + xs) <= before[gid] for gid, xs in extra.items() if xs):
                    best[:] = [(placed, {gid: [p.id for p in xs] for gid, xs in extra.items() if xs})]
                return
            for g in options[i]:
                xs = extra[g.id]
                if len(people[g.id]) + len(xs) >= params.max_size:
                    continue
                xs.append(persons[i])
                walk(i + 1, placed + 1)
                xs.pop()
                if done():
                    return
            walk(i + 1, placed)

        walk(0, 0)
        if not best:
            return None
        joined = best[0][1]
        placed = {x for ids in joined.values() for x in ids}
        return joined, sorted(p.id for p in persons if p.id not in placed)


def _describe(before: dict[str, Group], after: dict[str, Group | None], declined: str) -> list[dict[str, Any]]:
    """Who moved where, in words-ready data: joined from the people left out, moved from a group,
    took a role, swapped roles, gave one up, or was left out."""
    was = {m.id: (g.id, m.role) for g in before.values() for m in g.members if m.id != declined}
    now = {m.id for g in after.values() if g is not None for m in g.members}
    out: list[dict[str, Any]] = []
    for gid, group in after.items():
        if group is None:
            continue
        for m in group.members:
            old = was.get(m.id)
            if old is None:
                out.append({"action": "joined_from_left_out", "group": gid, "person": m.id, "role": m.role})
            elif old[0] != gid:
                entry = {"action": "moved_from_group", "group": gid, "person": m.id, "from": old[0], "role": m.role}
                if old[1] != "participant":
                    entry["from_role"] = old[1]
                out.append(entry)
            elif old[1] != m.role:
                if old[1] == "participant":
                    out.append({"action": "role_taken_by_member", "group": gid, "person": m.id, "role": m.role})
                elif m.role == "participant":
                    out.append({"action": "role_given_up", "group": gid, "person": m.id, "from_role": old[1]})
                else:
                    out.append(
                        {"action": "role_swapped", "group": gid, "person": m.id, "role": m.role, "from_role": old[1]}
                    )
    for pid, (gid, _) in was.items():
        if pid not in now:
            out.append({"action": "left_out", "group": gid, "person": pid})
    return out


def _kind(plan: _Plan, actions: list[dict[str, Any]]) -> str:
    if plan.kind != "in_place":
        return plan.kind
    done = {a["action"] for a in actions}
    if "role_swapped" in done:
        return "swap"
    if "joined_from_left_out" in done:
        return "left_out"
    if "role_taken_by_member" in done:
        return "member"
    return "kept"


def reform_after_decline(problem: Problem, params: Params, solution: Solution, person_id: str) -> Solution:
    """``solution`` without ``person_id``, repaired with as few groups changed as possible.

    The report gains ``changed_groups`` (ids of groups whose members changed, dissolved ones
    included), ``moved`` (people placed anew), ``decline_repair`` (which repair was made: ``kept``,
    ``member``, ``swap``, ``left_out``, ``donor``, ``chain``, ``merge``, ``resplit``, ``replace``,
    ``dissolved``, or ``None`` when the person had no group), ``decline_actions`` (what was done, in
    words-ready data) and ``decline_lost`` (people besides ``person_id`` left without a group)."""
    start = time.perf_counter()
    work = _Reform(problem, params, solution, person_id)
    groups = dict(work.groups)
    unassigned = {u.id: u for u in solution.unassigned if u.id != person_id}
    home = next((g for g in solution.groups if any(m.id == person_id for m in g.members)), None)
    actions: list[dict[str, Any]] = []
    kind: str | None = None
    changed: list[str] = []
    moved: list[str] = []
    lost: list[str] = []
    if home is not None:
        group = replace(home, members=tuple(m for m in home.members if m.id != person_id))
        chosen: _Plan | None = None
        for plan in work.plans(group):
            if chosen is None or plan.rank() < chosen.rank():
                chosen = plan
            if plan.perfect():
                break
        assert chosen is not None  # the last repair (dissolving) always exists
        before = {gid: work.groups[gid] for gid in chosen.groups if gid in work.groups}
        actions = [*chosen.summary, *_describe(before, chosen.groups, person_id)]
        kind = _kind(chosen, actions)
        for gid, new in chosen.groups.items():
            if new is None:
                groups.pop(gid, None)
            else:
                groups[gid] = new
            if new is None or gid not in work.groups or new != work.groups[gid]:
                changed.append(gid)
        for entry in actions:
            if entry["action"] in ("joined_from_left_out", "moved_from_group"):
                moved.append(entry["person"])
                unassigned.pop(entry["person"], None)
            elif entry["action"] == "left_out":
                lost.append(entry["person"])
                unassigned[entry["person"]] = Unassigned(
                    entry["person"],
                    "group_dissolved",
                    {"group": home.id, "declined": person_id},
                    f"your group {home.id} could not go on after someone declined and no other group you fit has room",
                )
    new_groups = tuple(sorted(groups.values(), key=lambda g: g.id))
    report = dict(solution.report)
    touched = [g for g in new_groups if g.id in set(changed)]
    hard = [v for v in validate(problem, touched, params) if v.severity == "hard"]
    assigned = sum(len(g.members) for g in new_groups)
    total = len(problem.registrants)
    # Every group (not only those changed now: one flagged by an earlier decline stays flagged until repaired).
    flags = [
        {"group": v.group, "code": v.code, "message": v.message, "params": dict(v.params)}
        for v in balance_warnings(problem, new_groups, params)
        if v.severity == "hard"
    ]
    report.update(
        {
            "declined": person_id,
            "changed_groups": sorted(changed),
            "moved": moved,
            "decline_repair": kind,
            "decline_actions": actions,
            "decline_lost": sorted(lost),
            "groups": len(new_groups),
            "assigned": assigned,
            "unassigned": len(unassigned),
            "share_assigned": round(assigned / total, 5) if total else 0.0,
            "violations_in_changed_groups": len(hard),
            "balance_flags": flags,
            "seconds": round(time.perf_counter() - start, 3),
        }
    )
    return Solution(groups=new_groups, unassigned=tuple(sorted(unassigned.values(), key=lambda u: u.id)), report=report)
