"""A decline repair never leaves a group silently breaking a hard balance rule (issue 20).

Random instances with balance rules and a board member, formed, then random declines one after
another: after each repair every group keeps every hard rule, or the report names it
(``balance_flags``, in words) so the team sees it."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopsip.formation.engine import Group, Member, Params, Problem, Solution, reform_after_decline, solve, validate

from .test_engine_balance import LIEGE, THEMES, instances, person


def hard(problem: Problem, groups: object, params: Params) -> list[object]:
    return [v for v in validate(problem, groups, params) if v.severity == "hard"]  # type: ignore[arg-type]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances(), picks=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=4))
def test_after_random_declines_every_group_keeps_every_hard_rule_or_is_reported(
    instance: tuple[Problem, Params], picks: list[int]
) -> None:
    problem, params = instance
    solution = solve(problem, params, method="greedy")
    assert not hard(problem, solution.groups, params)
    for pick in picks:
        placed = sorted(m.id for g in solution.groups for m in g.members)
        if not placed:
            break
        declined = placed[pick % len(placed)]
        solution = reform_after_decline(problem, params, solution, declined)
        problem = Problem(problem.offices, problem.themes, tuple(p for p in problem.registrants if p.id != declined))
        flagged = {flag["group"] for flag in solution.report["balance_flags"]}
        for violation in hard(problem, solution.groups, params):
            assert violation.group in flagged, (violation, solution.report["decline_actions"])  # type: ignore[attr-defined]
        assert all(flag["message"] for flag in solution.report["balance_flags"])
        everyone = Counter([m.id for g in solution.groups for m in g.members] + [u.id for u in solution.unassigned])
        assert everyone == Counter(p.id for p in problem.registrants)


RULES = Params(
    min_size=4,
    max_size=6,
    require_moderator=False,
    require_secretary=False,
    max_stakeholder_share=0.5,
    min_stakeholder_types=2,
    balance_soft=False,
)


def _group(members: list[str]) -> Group:
    return Group("G1", "rates", "in_person", "lie", "fr", "tue_ev", tuple(Member(m, "participant") for m in members))


def test_a_decline_that_tips_the_share_is_repaired_with_a_fitting_person_from_the_waiting_list() -> None:
    # 3 clients and 3 partners (50% each); a partner declines: 3 of 5 clients is 60%. Waiting: a client and an
    # employee; the employee brings the share back (3 of 6) and joins, not the client.
    kinds = {"c1": "client", "c2": "client", "c3": "client", "p1": "partner", "p2": "partner", "p3": "partner"}
    kinds |= {"wc": "client", "we": "employee"}
    problem = Problem((LIEGE,), THEMES, tuple(person(pid, kind) for pid, kind in kinds.items()))
    from coopsip.formation.engine import Unassigned

    waiting = tuple(Unassigned(pid, "groups_full", {}, "") for pid in ("wc", "we"))
    before = Solution(groups=(_group(["c1", "c2", "c3", "p1", "p2", "p3"]),), unassigned=waiting)
    assert not hard(problem, before.groups, RULES)
    after = reform_after_decline(problem, RULES, before, "p3")
    [group] = after.groups
    assert sorted(m.id for m in group.members) == ["c1", "c2", "c3", "p1", "p2", "we"]
    assert after.report["balance_flags"] == []
    assert not hard(problem, after.groups, RULES)


def test_a_decline_no_one_can_repair_is_reported_in_words() -> None:
    # The same group, nobody waiting: 3 clients of 5 stays, named with the rule it breaks.
    kinds = {"c1": "client", "c2": "client", "c3": "client", "p1": "partner", "p2": "partner", "p3": "partner"}
    problem = Problem((LIEGE,), THEMES, tuple(person(pid, kind) for pid, kind in kinds.items()))
    before = Solution(groups=(_group(list(kinds)),), unassigned=())
    after = reform_after_decline(problem, RULES, before, "p3")
    assert [flag["code"] for flag in after.report["balance_flags"]] == ["stakeholder_share"]
    assert after.report["balance_flags"][0]["group"] == "G1"
    assert "3 of 5 are client" in after.report["balance_flags"][0]["message"]
