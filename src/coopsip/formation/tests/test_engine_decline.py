"""A decline never dissolves a full group when a volunteer elsewhere can take the role."""

from __future__ import annotations

from coopsip.formation.engine import Group, Member, Params, Problem, Solution, reform_after_decline, validate

from .test_engine import BRUSSELS, THEMES, person


def test_a_full_groups_moderator_declines_and_a_volunteer_from_another_group_takes_over() -> None:
    # Group A: 12 people for "Fair pay", only its moderator volunteered for the role, nobody is left out.
    # Group B ("Care", same place and slot): 7 people, one of whom volunteered to moderate and also ranked Fair pay.
    a_people = [person("m", roles=frozenset({"moderator"})), person("s", roles=frozenset({"secretary"}))]
    a_people += [person(f"a{i}") for i in range(10)]
    volunteer = person("v", prefs=("care", "pay"), roles=frozenset({"moderator"}))
    b_people = [
        person("bm", prefs=("care",), roles=frozenset({"moderator"})),
        person("bs", prefs=("care",), roles=frozenset({"secretary"})),
        volunteer,
        *[person(f"b{i}", prefs=("care",)) for i in range(4)],
    ]
    problem = Problem((BRUSSELS,), THEMES, tuple(a_people + b_people))
    params = Params()
    a = Group(
        "A",
        "pay",
        "in_person",
        "bxl",
        "fr",
        "tue_ev",
        (Member("m", "moderator"), Member("s", "secretary"), *(Member(f"a{i}", "participant") for i in range(10))),
    )
    b = Group(
        "B",
        "care",
        "in_person",
        "bxl",
        "fr",
        "tue_ev",
        (
            Member("bm", "moderator"),
            Member("bs", "secretary"),
            Member("v", "participant"),
            *(Member(f"b{i}", "participant") for i in range(4)),
        ),
    )
    solution = Solution(groups=(a, b), unassigned=())
    assert not [v for v in validate(problem, solution.groups, params) if v.severity == "hard"]
    after = reform_after_decline(problem, params, solution, "m")
    groups = {g.id: g for g in after.groups}
    assert set(groups) == {"A", "B"}  # nothing dissolved
    assert ("v", "moderator") in {(m.id, m.role) for m in groups["A"].members}
    assert len(groups["A"].members) == 12 and len(groups["B"].members) == 6
    assert not after.unassigned  # only the person who declined lost their place
    assert after.report["assigned"] == 18
    assert after.report["decline_actions"] == [
        {"action": "moved_from_group", "person": "v", "from": "B", "role": "moderator"}
    ]
    assert sorted(after.report["changed_groups"]) == ["A", "B"]
    assert not [v for v in validate(problem, after.groups, params) if v.severity == "hard"]
