"""After any single decline, nobody but the person who declined loses their place, unless no repair
keeps the rules.

Random small editions, formed by the engine, then one person declines. When the re-formed result
leaves anyone else out (or dissolves a group), this test's own exhaustive search, written apart from
the engine and judging every group with the validator, must find no repair of the kinds the engine
supports (docs/formation.md, "Locks and declines"): the group with people left out (up to three), a
chain of up to six people moving between groups (each group on the way keeps its size and rules; the
last gives up someone it can spare, or takes one person left out, or the last mover was left out), a
merge with or re-split against a sibling group, a new group in another cell with the members who fit
it and people left out (the other members joining groups with room), or every member joining groups
with room."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopsip.formation.engine import (
    Group,
    Member,
    Office,
    Params,
    Problem,
    Registrant,
    Solution,
    Theme,
    reform_after_decline,
    solve,
    validate,
)
from coopsip.formation.engine.model import LANGUAGES
from coopsip.formation.engine.validate import member_violations

BRUSSELS = Office("bxl", "Brussels", "BE", 50.85, 4.35)
THEMES = (Theme("pay", "Fair pay", frozenset({"BE"})), Theme("care", "Care", frozenset({"BE"})))
SLOTS = ("tue_ev", "wed_ev")
KINDS = ("client", "partner", "employee")
CHAIN = 6  # people moving along one chain, as the engine allows
BALANCE = {"gender_share", "stakeholder_share", "stakeholder_types"}  # the validator's balance rules


@st.composite
def editions(draw: st.DrawFn) -> tuple[Problem, Params]:
    hard = draw(st.booleans())
    require = draw(st.sampled_from((("moderator",), ("moderator", "secretary"), ("moderator", "secretary", "board"))))
    share = draw(st.sampled_from((0.2, 0.35, 0.5)))
    people = []
    for i in range(draw(st.integers(min_value=8, max_value=22))):
        roles = frozenset(r for r in require if draw(st.integers(0, 99)) < 100 * share)
        people.append(
            Registrant(
                id=f"r{i:02d}",
                country="BE",
                languages=frozenset(draw(st.sampled_from((("fr",), ("fr",), ("nl",), ("fr", "nl"))))),
                mode=draw(st.sampled_from(("either", "either", "in_person", "video"))),
                slots=frozenset(draw(st.sampled_from((("tue_ev",), ("tue_ev", "wed_ev"), ("wed_ev",))))),
                prefs=tuple(draw(st.permutations(("pay", "care")))[: draw(st.integers(1, 2))]),
                roles=roles,
                lat=50.85,
                lon=4.35,
                stakeholder=draw(st.sampled_from((*KINDS, None))) if hard else None,
                gender=draw(st.sampled_from(("woman", "man", None))) if hard else None,
            )
        )
    min_size = draw(st.integers(min_value=3, max_value=4))
    params = Params(
        min_size=min_size,
        max_size=min_size + draw(st.integers(min_value=0, max_value=3)),
        require_moderator="moderator" in require,
        require_secretary="secretary" in require,
        require_board="board" in require,
        one_theme_per_office=draw(st.booleans()),
        min_stakeholder_types=2 if hard else None,
        max_stakeholder_share=0.6 if hard else None,
        balance_soft=not hard,
        time_limit_s=10,
        work=2e5,
    )
    return Problem((BRUSSELS,), THEMES, tuple(people)), params


class Search:
    """The repairs the engine supports, tried exhaustively, each group judged by the validator."""

    def __init__(self, problem: Problem, params: Params, solution: Solution, declined: str) -> None:
        self.problem = problem
        self.params = params
        self.people = {p.id: p for p in problem.registrants}
        self.themes = {t.id: t for t in problem.themes}
        self.offices = {o.id: o for o in problem.offices}
        self.home = next(g for g in solution.groups if any(m.id == declined for m in g.members))
        self.others = [g for g in solution.groups if g.id != self.home.id]
        self.members = [self.people[m.id] for m in self.home.members if m.id != declined]
        self.pool = [self.people[u.id] for u in solution.unassigned if u.id != declined]
        roles = (params.require_moderator, params.require_secretary, params.require_board)
        self.required = [r for r, on in zip(("moderator", "secretary", "board"), roles, strict=True) if on]

    def fits(self, person: Registrant, group: Group) -> bool:
        theme, office = self.themes[group.theme], self.offices.get(group.office or "")
        return not member_violations(person, "participant", group, theme, office, self.params)

    def keeps(self, group: Group, people: Sequence[Registrant], balance: bool) -> bool:
        """Whether ``people`` can be ``group`` (some volunteer for each role) and keep every rule."""
        params = self.params
        if not params.min_size <= len(people) <= params.max_size or not all(self.fits(p, group) for p in people):
            return False
        dealt = None
        for holders in itertools.permutations(people, len(self.required)):
            if all(r in p.roles for p, r in zip(holders, self.required, strict=True)):
                dealt = dict(zip((p.id for p in holders), self.required, strict=True))
                break
        if dealt is None:
            return False
        formed = replace(group, members=tuple(Member(p.id, dealt.get(p.id, "participant")) for p in people))  # type: ignore[arg-type]
        broken = [v for v in validate(self.problem, [formed], params) if v.severity == "hard"]
        if not balance:
            broken = [v for v in broken if v.code not in BALANCE]
        return not broken

    def of(self, group: Group, without: Registrant | None = None) -> list[Registrant]:
        return [self.people[m.id] for m in group.members if without is None or m.id != without.id]

    def subsets(self, people: Sequence[Registrant], most: int) -> Iterator[tuple[Registrant, ...]]:
        for k in range(most + 1):
            yield from itertools.combinations(people, k)

    def found(self, keep_balance: bool = False, dissolving: bool = True) -> str | None:
        """The first repair that keeps everyone placed (``keep_balance``: the group too keeps the balance rules)."""
        home, members = self.home, self.members
        g_pool = [p for p in self.pool if self.fits(p, home)]
        for extra in self.subsets(g_pool, 3):
            if self.keeps(home, [*members, *extra], keep_balance):
                return "in place"
        for donor in self.others:
            for x in self.of(donor):
                if not self.fits(x, home):
                    continue
                for extra in self.subsets(g_pool, 2):
                    if not self.keeps(home, [*members, x, *extra], keep_balance):
                        continue
                    rest = self.of(donor, without=x)
                    used = {p.id for p in extra}
                    d_pool = [p for p in self.pool if p.id not in used and self.fits(p, donor)]
                    if any(self.keeps(donor, [*rest, *more], True) for more in self.subsets(d_pool, 1)):
                        return "donor"
                    role = next(m.role for m in donor.members if m.id == x.id)
                    if role != "participant" and self.chain(donor, rest, {home.id, donor.id}, used, 2):
                        return "chain"
        for sibling in self.others:
            if (sibling.theme, sibling.mode, sibling.office, sibling.language, sibling.slot) != (
                home.theme,
                home.mode,
                home.office,
                home.language,
                home.slot,
            ):
                continue
            theirs = self.of(sibling)
            if self.keeps(sibling, [*theirs, *members], True):
                return "merge"
            for kx in (1, 2):
                for come in itertools.combinations(theirs, kx):
                    for ky in range(kx + 1):
                        for go in itertools.combinations(members, ky):
                            mine = [p for p in members if p not in go] + list(come)
                            yours = [p for p in theirs if p not in come] + list(go)
                            if self.keeps(home, mine, keep_balance) and self.keeps(sibling, yours, True):
                                return "resplit"
        for cell in self.cells():
            inside = [p for p in members if self.fits(p, cell)]
            if not inside:
                continue
            n_pool = [p for p in self.pool if self.fits(p, cell)]
            most = self.params.max_size - len(inside)
            formed = any(self.keeps(cell, [*inside, *more], True) for more in self.subsets(n_pool, most))
            if formed and self.hosted([p for p in members if p not in inside]):
                return "replace"
        if dissolving and self.hosted(members):
            return "dissolve"
        return None

    def chain(self, short: Group, rest: list[Registrant], path: set[str], used: set[str], depth: int) -> bool:
        if depth > CHAIN:
            return False
        where = {m.id: g for g in self.others for m in g.members}
        for x in self.problem.registrants:
            if not x.roles & set(self.required) or x.id in used or not self.fits(x, short):
                continue
            if x.id in where and where[x.id].id in path:
                continue
            if x.id not in where and x not in self.pool:
                continue
            if not self.keeps(short, [*rest, x], True):
                continue
            if x.id not in where:
                return True
            donor = where[x.id]
            left = self.of(donor, without=x)
            d_pool = [p for p in self.pool if p.id not in used and self.fits(p, donor)]
            if any(self.keeps(donor, [*left, *more], True) for more in self.subsets(d_pool, 1)):
                return True
            if self.chain(donor, left, path | {donor.id}, used, depth + 1):
                return True
        return False

    def cells(self) -> Iterator[Group]:
        home = self.home
        for theme in self.themes:
            for office in (*self.offices, None):
                if office is not None and self.params.one_theme_per_office:
                    hosted = {g.theme for g in self.others if g.mode == "in_person" and g.office == office}
                    if hosted - {theme}:
                        continue
                for language in LANGUAGES:
                    for slot in SLOTS:
                        mode = "in_person" if office else "video"
                        if (theme, mode, office, language, slot) == (
                            home.theme,
                            home.mode,
                            home.office,
                            home.language,
                            home.slot,
                        ):
                            continue
                        yield Group("new", theme, mode, office, language, slot, ())  # type: ignore[arg-type]

    def hosted(self, people: list[Registrant]) -> bool:
        """Whether each of ``people`` can join a group with room that still keeps every rule."""
        hosts = [g for g in self.others if len(g.members) < self.params.max_size]
        options = [[g for g in hosts if self.fits(p, g)] for p in people]
        for choice in itertools.product(*options):
            joined: dict[str, list[Registrant]] = {}
            for p, g in zip(people, choice, strict=True):
                joined.setdefault(g.id, []).append(p)
            if all(self.keeps(g, [*self.of(g), *joined.get(g.id, [])], True) for g in hosts if g.id in joined):
                return True
        return False


def hard(problem: Problem, groups: object, params: Params) -> list[object]:
    return [v for v in validate(problem, groups, params) if v.severity == "hard"]  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edition=editions(), pick=st.integers(min_value=0, max_value=10_000), method=st.sampled_from(("greedy", "optimise"))
)
def test_after_any_single_decline_only_the_person_who_declined_loses_their_place_unless_no_repair_exists(
    edition: tuple[Problem, Params], pick: int, method: str
) -> None:
    problem, params = edition
    solution = solve(problem, params, method=method)
    assert not hard(problem, solution.groups, params)
    # Role-holders of the fullest groups first: their declines are the ones that break groups.
    ranked = sorted(
        ((m.role == "participant", -len(g.members), m.id) for g in solution.groups for m in g.members),
    )
    if not ranked:
        return
    declined = ranked[pick % len(ranked)][2] if pick % 2 else ranked[(pick // 2) % min(len(ranked), 6)][2]
    after = reform_after_decline(problem, params, solution, declined)
    rest = Problem(problem.offices, problem.themes, tuple(p for p in problem.registrants if p.id != declined))
    everyone = Counter([m.id for g in after.groups for m in g.members] + [u.id for u in after.unassigned])
    assert everyone == Counter(p.id for p in rest.registrants)
    flagged = {flag["group"] for flag in after.report["balance_flags"]}
    for violation in hard(rest, after.groups, params):
        assert violation.group in flagged, violation  # type: ignore[attr-defined]
    before = {m.id for g in solution.groups for m in g.members} - {declined}
    now = {m.id for g in after.groups for m in g.members}
    lost = sorted(before - now)
    assert lost == after.report["decline_lost"]
    if lost:
        search = Search(problem, params, solution, declined)
        found = search.found()
        assert found is None, (found, after.report["decline_repair"], after.report["decline_actions"])
    if after.report["decline_repair"] == "dissolved":
        search = Search(problem, params, solution, declined)
        assert search.found(keep_balance=True, dissolving=False) is None, after.report["decline_actions"]
