"""A decline never costs anyone else their place when a repair that keeps every rule exists.

Each repair on a small hand-built edition where it is the only one that keeps the rules: the group
keeps going (or its people meet again elsewhere), nobody but the person who declined loses their
place, the validator finds nothing, and the report says what happened."""

from __future__ import annotations

from coopsip.formation.engine import (
    Group,
    Member,
    Params,
    Problem,
    Registrant,
    Solution,
    reform_after_decline,
    validate,
)
from coopsip.formation.engine.model import Unassigned

from .test_engine import BRUSSELS, THEMES, person

MOD = frozenset({"moderator"})
SEC = frozenset({"secretary"})


def group(gid: str, members: list[tuple[str, str]], theme: str = "pay", slot: str = "tue_ev") -> Group:
    return Group(gid, theme, "in_person", "bxl", "fr", slot, tuple(Member(pid, role) for pid, role in members))  # type: ignore[arg-type]


def full_group(gid: str, prefix: str, size: int = 12) -> tuple[list[Registrant], Group]:
    """A group of ``size`` for "Fair pay" on Tuesday evening whose moderator and secretary are its only volunteers."""
    people = [person(f"{prefix}m", roles=MOD), person(f"{prefix}s", roles=SEC)]
    people += [person(f"{prefix}{i}") for i in range(size - 2)]
    members = [(f"{prefix}m", "moderator"), (f"{prefix}s", "secretary")]
    members += [(f"{prefix}{i}", "participant") for i in range(size - 2)]
    return people, group(gid, members)


def hard(problem: Problem, groups: tuple[Group, ...], params: Params) -> list[object]:
    return [v for v in validate(problem, groups, params) if v.severity == "hard"]


def placed(solution: Solution) -> set[str]:
    return {m.id for g in solution.groups for m in g.members}


def decline(problem: Problem, before: Solution, who: str, params: Params | None = None) -> Solution:
    params = params or Params()
    assert not hard(problem, before.groups, params)
    after = reform_after_decline(problem, params, before, who)
    assert not hard(problem, after.groups, params)
    assert after.report["violations_in_changed_groups"] == 0
    # Nobody but the person who declined loses their place.
    assert placed(after) >= placed(before) - {who}
    assert after.report["decline_lost"] == []
    everyone = sorted([*placed(after), *(u.id for u in after.unassigned)])
    assert everyone == sorted(p.id for p in problem.registrants if p.id != who)
    return after


def test_a_full_groups_moderator_declines_and_a_volunteer_from_another_group_takes_over() -> None:
    # Group A: 12 people for "Fair pay", only its moderator volunteered for the role, nobody is left out.
    # Group B ("Care", same place and slot): 7 people, one of whom volunteered to moderate and also ranked Fair pay.
    a_people, a = full_group("A", "a")
    volunteer = person("v", prefs=("care", "pay"), roles=MOD)
    b_people = [
        person("bm", prefs=("care",), roles=MOD),
        person("bs", prefs=("care",), roles=SEC),
        volunteer,
        *[person(f"b{i}", prefs=("care",)) for i in range(4)],
    ]
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people + b_people))
    b_members = [("bm", "moderator"), ("bs", "secretary"), ("v", "participant")]
    b = group("B", b_members + [(f"b{i}", "participant") for i in range(4)], theme="care")
    after = decline(problem, Solution(groups=(a, b), unassigned=()), "am")
    groups = {g.id: g for g in after.groups}
    assert set(groups) == {"A", "B"}  # nothing dissolved
    assert ("v", "moderator") in {(m.id, m.role) for m in groups["A"].members}
    assert len(groups["A"].members) == 12 and len(groups["B"].members) == 6
    assert after.report["assigned"] == 18
    assert after.report["decline_repair"] == "donor"
    assert after.report["decline_actions"] == [
        {"action": "moved_from_group", "group": "A", "person": "v", "from": "B", "role": "moderator"}
    ]
    assert sorted(after.report["changed_groups"]) == ["A", "B"]


def test_the_secretary_who_also_volunteered_to_moderate_swaps_and_a_participant_takes_the_secretary_role() -> None:
    a_people, a = full_group("A", "a")
    a_people[1] = person("as", roles=frozenset({"secretary", "moderator"}))
    a_people[2] = person("a0", roles=SEC)
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people))
    after = decline(problem, Solution(groups=(a,), unassigned=()), "am")
    [kept] = after.groups
    roles = {m.id: m.role for m in kept.members}
    assert (roles["as"], roles["a0"]) == ("moderator", "secretary")
    assert after.report["decline_repair"] == "swap"
    assert after.report["decline_actions"] == [
        {"action": "role_swapped", "group": "A", "person": "as", "role": "moderator", "from_role": "secretary"},
        {"action": "role_taken_by_member", "group": "A", "person": "a0", "role": "secretary"},
    ]


def test_the_secretary_swaps_and_a_person_left_out_takes_the_secretary_role() -> None:
    # Nobody in the group can be secretary; a person left out who volunteered for it (not to moderate) can.
    a_people, a = full_group("A", "a")
    a_people[1] = person("as", roles=frozenset({"secretary", "moderator"}))
    waiting = person("w", roles=SEC)
    problem = Problem((BRUSSELS,), THEMES, (*a_people, waiting))
    before = Solution(groups=(a,), unassigned=(Unassigned("w", "groups_full", {}, ""),))
    after = decline(problem, before, "am")
    [kept] = after.groups
    roles = {m.id: m.role for m in kept.members}
    assert (roles["as"], roles["w"]) == ("moderator", "secretary")
    assert len(kept.members) == 12 and not after.unassigned
    assert after.report["decline_repair"] == "swap"
    assert {"action": "joined_from_left_out", "group": "A", "person": "w", "role": "secretary"} in after.report[
        "decline_actions"
    ]


def test_another_groups_moderator_comes_over_and_their_group_gives_the_role_to_a_member_who_volunteered() -> None:
    # B (Care, 7 people) lets its moderator go to A: bv, a participant of B who volunteered, moderates B.
    a_people, a = full_group("A", "a")
    b_people = [
        person("bm", prefs=("care", "pay"), roles=MOD),
        person("bs", prefs=("care",), roles=SEC),
        person("bv", prefs=("care",), roles=MOD),
        *[person(f"b{i}", prefs=("care",)) for i in range(4)],
    ]
    b_members = [("bm", "moderator"), ("bs", "secretary"), ("bv", "participant")]
    b = group("B", b_members + [(f"b{i}", "participant") for i in range(4)], theme="care")
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people + b_people))
    after = decline(problem, Solution(groups=(a, b), unassigned=()), "am")
    groups = {g.id: g for g in after.groups}
    assert ("bm", "moderator") in {(m.id, m.role) for m in groups["A"].members}
    assert ("bv", "moderator") in {(m.id, m.role) for m in groups["B"].members}
    assert (len(groups["A"].members), len(groups["B"].members)) == (12, 6)
    assert after.report["decline_repair"] == "chain"
    assert after.report["decline_actions"] == [
        {
            "action": "moved_from_group",
            "group": "A",
            "person": "bm",
            "from": "B",
            "role": "moderator",
            "from_role": "moderator",
        },
        {"action": "role_taken_by_member", "group": "B", "person": "bv", "role": "moderator"},
    ]


def test_another_groups_moderator_comes_over_and_a_person_left_out_moderates_their_group() -> None:
    # The one left out who volunteered ranked only Care: they fit B, not A.
    a_people, a = full_group("A", "a")
    b_people = [
        person("bm", prefs=("care", "pay"), roles=MOD),
        person("bs", prefs=("care",), roles=SEC),
        *[person(f"b{i}", prefs=("care",)) for i in range(4)],
    ]
    b = group(
        "B", [("bm", "moderator"), ("bs", "secretary")] + [(f"b{i}", "participant") for i in range(4)], theme="care"
    )
    waiting = person("w", prefs=("care",), roles=MOD)
    problem = Problem((BRUSSELS,), THEMES, (*a_people, *b_people, waiting))
    before = Solution(groups=(a, b), unassigned=(Unassigned("w", "groups_full", {}, ""),))
    after = decline(problem, before, "am")
    groups = {g.id: g for g in after.groups}
    assert ("bm", "moderator") in {(m.id, m.role) for m in groups["A"].members}
    assert ("w", "moderator") in {(m.id, m.role) for m in groups["B"].members}
    assert not after.unassigned and after.report["decline_repair"] == "chain"


def test_a_chain_of_three_groups_keeps_every_group() -> None:
    # A's moderator declines. B's moderator fits A (and nobody else does); C's moderator fits B (and not A);
    # C has a participant who volunteered. Every group keeps its rules; nobody loses their place.
    a_people, a = full_group("A", "a")
    b_people = [person("bm", prefs=("care", "pay"), roles=MOD), person("bs", prefs=("care",), roles=SEC)]
    b_people += [person(f"b{i}", prefs=("care",)) for i in range(4)]
    b = group(
        "B", [("bm", "moderator"), ("bs", "secretary")] + [(f"b{i}", "participant") for i in range(4)], theme="care"
    )
    wed = frozenset({"wed_ev"})
    c_people = [person("cm", prefs=("care",), slots=frozenset({"tue_ev", "wed_ev"}), roles=MOD)]
    c_people += [
        person("cs", prefs=("care",), slots=wed, roles=SEC),
        person("cv", prefs=("care",), slots=wed, roles=MOD),
    ]
    c_people += [person(f"c{i}", prefs=("care",), slots=wed) for i in range(4)]
    c_members = [("cm", "moderator"), ("cs", "secretary"), ("cv", "participant")]
    c = group("C", c_members + [(f"c{i}", "participant") for i in range(4)], theme="care", slot="wed_ev")
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people + b_people + c_people))
    after = decline(problem, Solution(groups=(a, b, c), unassigned=()), "am")
    groups = {g.id: {(m.id, m.role) for m in g.members} for g in after.groups}
    assert ("bm", "moderator") in groups["A"]
    assert ("cm", "moderator") in groups["B"]
    assert ("cv", "moderator") in groups["C"]
    assert after.report["decline_repair"] == "chain"
    assert sorted(after.report["changed_groups"]) == ["A", "B", "C"]


def test_a_small_group_whose_moderator_declines_merges_with_its_sibling() -> None:
    # A and B meet at the same place and time about the same theme, 6 each (the minimum): A's moderator
    # declines, nobody else in A volunteered and nobody is left out. Together they are 11: one group.
    a_people, a = full_group("A", "a", size=6)
    b_people, b = full_group("B", "b", size=6)
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people + b_people))
    after = decline(problem, Solution(groups=(a, b), unassigned=()), "am")
    [merged] = after.groups
    assert merged.id == "B" and len(merged.members) == 11
    assert {(m.id, m.role) for m in merged.members} >= {("bm", "moderator"), ("bs", "secretary"), ("as", "participant")}
    assert after.report["decline_repair"] == "merge"
    actions = after.report["decline_actions"]
    assert actions[0] == {"action": "merged", "group": "A", "into": "B"}
    assert {
        "action": "moved_from_group",
        "group": "B",
        "person": "as",
        "from": "A",
        "role": "participant",
        "from_role": "secretary",
    } in actions


def test_a_full_group_and_its_sibling_at_the_minimum_are_split_again() -> None:
    # B (6, the minimum) has a participant who volunteered to moderate but cannot spare them; A (12) lost its
    # moderator. Too many for one group: the volunteer moves to A and one of A's participants to B.
    a_people, a = full_group("A", "a")
    b_people, b = full_group("B", "b", size=6)
    b_people[2] = person("b0", roles=MOD)
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people + b_people))
    after = decline(problem, Solution(groups=(a, b), unassigned=()), "am")
    groups = {g.id: g for g in after.groups}
    assert set(groups) == {"A", "B"}
    assert ("b0", "moderator") in {(m.id, m.role) for m in groups["A"].members}
    assert (len(groups["A"].members), len(groups["B"].members)) == (11, 6)
    assert after.report["decline_repair"] == "resplit"
    assert after.report["decline_actions"][0] == {"action": "resplit", "group": "A", "with": "B"}


def test_a_group_nobody_can_moderate_where_it_meets_meets_again_on_another_evening() -> None:
    # A (8) meets on Tuesday; everyone in it can also come on Wednesday, when a person left out who volunteered
    # to moderate can come (not on Tuesday). No other group: A's people meet again as a new group on Wednesday.
    both = frozenset({"tue_ev", "wed_ev"})
    a_people = [person("am", slots=both, roles=MOD), person("as", slots=both, roles=SEC)]
    a_people += [person(f"a{i}", slots=both) for i in range(6)]
    a = group("A", [("am", "moderator"), ("as", "secretary")] + [(f"a{i}", "participant") for i in range(6)])
    waiting = person("w", slots=frozenset({"wed_ev"}), roles=MOD)
    problem = Problem((BRUSSELS,), THEMES, (*a_people, waiting))
    before = Solution(groups=(a,), unassigned=(Unassigned("w", "no_moderator", {}, ""),))
    after = decline(problem, before, "am")
    [again] = after.groups
    assert again.id != "A" and again.slot == "wed_ev" and len(again.members) == 8
    assert {(m.id, m.role) for m in again.members} >= {("w", "moderator"), ("as", "secretary")}
    assert after.report["decline_repair"] == "replace"
    assert after.report["decline_actions"][0] == {
        "action": "replaced",
        "group": "A",
        "new_group": again.id,
        "theme": "pay",
        "mode": "in_person",
        "office": "bxl",
        "language": "fr",
        "slot": "wed_ev",
    }


def test_a_group_no_repair_can_keep_is_dissolved_and_its_members_join_groups_with_room() -> None:
    # A (6) loses its moderator and nobody can take the role; B (same cell, 10) has room for two of A's people,
    # too many to merge, and its only moderator cannot leave. Two join B, three are left out with a reason.
    a_people, a = full_group("A", "a", size=6)
    b_people, b = full_group("B", "b", size=10)
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people + b_people))
    params = Params()
    before = Solution(groups=(a, b), unassigned=())
    assert not hard(problem, before.groups, params)
    after = reform_after_decline(problem, params, before, "am")
    assert not hard(problem, after.groups, params)
    groups = {g.id: g for g in after.groups}
    assert set(groups) == {"B"} and len(groups["B"].members) == 12
    assert after.report["decline_repair"] == "dissolved"
    assert len(after.report["decline_lost"]) == 3
    assert {u.code for u in after.unassigned} == {"group_dissolved"}
    actions = after.report["decline_actions"]
    assert actions[0] == {"action": "dissolved", "group": "A"}
    assert sorted(a["person"] for a in actions if a["action"] == "left_out") == after.report["decline_lost"]
    assert len([a for a in actions if a["action"] == "moved_from_group" and a["group"] == "B"]) == 2
