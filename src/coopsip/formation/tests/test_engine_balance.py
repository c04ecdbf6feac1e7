"""The balance rules as hard rules and the board-member role (issue 20), in every method of the engine."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coopsip.formation.engine import Office, Params, Problem, Registrant, Theme, solve, validate
from coopsip.formation.engine.balance import broken
from coopsip.formation.engine.io import params_from_dict

LIEGE = Office("lie", "Liège", "BE", 50.63, 5.57)
THEMES = (Theme("rates", "Fair rates", frozenset({"BE"})),)
KINDS = ("client", "partner", "employee", "permanent_staff")


def person(
    pid: str, kind: str | None = None, gender: str | None = None, roles: frozenset[str] = frozenset()
) -> Registrant:
    return Registrant(
        id=pid,
        country="BE",
        languages=frozenset({"fr"}),
        mode="in_person",
        slots=frozenset({"tue_ev"}),
        prefs=("rates",),
        roles=roles,
        lat=50.63,
        lon=5.57,
        stakeholder=kind,
        gender=gender,
    )


def hard(problem: Problem, solution: object, params: Params) -> list[object]:
    return [v for v in validate(problem, solution, params) if v.severity == "hard"]  # type: ignore[arg-type]


RULES = Params(
    min_size=3,
    max_size=5,
    require_moderator=False,
    require_secretary=False,
    min_stakeholder_types=2,
    max_stakeholder_share=0.5,
    balance_soft=False,
    time_limit_s=10,
    work=4e6,
)


def test_no_group_takes_a_second_client_and_the_reason_says_so() -> None:
    # 5 clients, 2 partners, 2 employees at one place and time, at most 40% of a group of one type:
    # a group of 3 mixes three types, 4 would need four, so two groups of 3 (the optimum: 6 placed).
    kinds = ["client"] * 5 + ["partner"] * 2 + ["employee"] * 2
    problem = Problem((LIEGE,), THEMES, tuple(person(f"p{i}", kind) for i, kind in enumerate(kinds)))
    params = Params(**{**RULES.__dict__, "max_stakeholder_share": 0.4, "max_size": 6})
    solution = solve(problem, params)
    assert not hard(problem, solution, params)
    for group in solution.groups:
        clients = sum(1 for m in group.members if m.id in {f"p{i}" for i in range(5)})
        assert clients <= 0.4 * len(group.members)
    assert sum(len(g.members) for g in solution.groups) == 6
    assert {u.code for u in solution.unassigned} == {"balance_share"}
    reason = "no group of Fair rates in Liège can take a second client: at most 40% of a group"
    assert {u.reason for u in solution.unassigned} == {reason}


def test_one_stakeholder_type_only_ends_with_reasons_not_an_exception() -> None:
    problem = Problem((LIEGE,), THEMES, tuple(person(f"p{i}", "client") for i in range(12)))
    for method in ("optimise", "greedy"):
        solution = solve(problem, RULES, method=method)
        assert solution.groups == ()
        assert {u.code for u in solution.unassigned} == {"balance_types"}
        assert "could mix 2 stakeholder types" in solution.unassigned[0].reason


def test_soft_rules_leave_nobody_out_and_are_reported_as_warnings() -> None:
    problem = Problem((LIEGE,), THEMES, tuple(person(f"p{i}", "client") for i in range(6)))
    params = Params(**{**RULES.__dict__, "balance_soft": True})
    solution = solve(problem, params)
    assert sum(len(g.members) for g in solution.groups) == 6
    warnings = [v for v in validate(problem, solution, params) if v.severity == "soft"]
    assert {v.code for v in warnings} == {"stakeholder_types", "stakeholder_share"}


def test_a_board_member_per_group_exactly_one() -> None:
    people = [person(f"p{i}", KINDS[i % 3], roles=frozenset({"board"}) if i < 2 else frozenset()) for i in range(12)]
    problem = Problem((LIEGE,), THEMES, tuple(people))
    params = Params(min_size=4, max_size=6, require_board=True, require_moderator=False, require_secretary=False)
    for method in ("optimise", "greedy"):
        solution = solve(problem, params, method=method)
        assert not hard(problem, solution, params)
        assert solution.groups
        for group in solution.groups:
            assert [m.id for m in group.members if m.role == "board"] in (["p0"], ["p1"])


def test_without_a_board_volunteer_nobody_is_placed_and_the_reason_says_why() -> None:
    problem = Problem((LIEGE,), THEMES, tuple(person(f"p{i}", KINDS[i % 3]) for i in range(8)))
    params = Params(min_size=4, max_size=6, require_board=True, require_moderator=False, require_secretary=False)
    solution = solve(problem, params)
    assert solution.groups == ()
    assert {u.code for u in solution.unassigned} == {"no_board"}


def test_the_file_contract_knows_the_board_role_and_the_new_rules() -> None:
    params = params_from_dict(
        {"require_board": True, "max_stakeholder_share": 0.4, "balance_soft": False, "min_stakeholder_types": 2}
    )
    assert params.require_board and params.max_stakeholder_share == 0.4 and not params.balance_soft
    assert Params().balance_soft is True  # the engine's own default: soft, as documented before


# Brute force over one cell: every person in group 0, group 1 or none; the most people placed in
# groups that keep the size and every balance rule.
def _optimum(people: list[Registrant], params: Params) -> int:
    """The most people placed in groups that keep every rule, over every way of splitting them into any number of
    groups (each person left out, in a group already opened, or opening the next one: each split once)."""
    best = 0

    def valid(group: list[Registrant]) -> bool:
        return params.min_size <= len(group) <= params.max_size and broken(group, params) is None

    def place(i: int, groups: list[list[Registrant]]) -> None:
        nonlocal best
        if i == len(people):
            if all(valid(group) for group in groups):
                best = max(best, sum(len(group) for group in groups))
            return
        if any(len(group) > params.max_size for group in groups):
            return
        place(i + 1, groups)  # left out
        for group in groups:
            group.append(people[i])
            place(i + 1, groups)
            group.pop()
        groups.append([people[i]])
        place(i + 1, groups)
        groups.pop()

    place(0, [])
    return best


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(st.sampled_from((*KINDS[:3], None)), min_size=3, max_size=9),
    genders=st.lists(st.sampled_from(("woman", "man", None)), min_size=9, max_size=9),
    share=st.sampled_from((0.4, 0.5, 0.67)),
    types=st.sampled_from((None, 2)),
    gender_share=st.sampled_from((None, 0.6)),
)
def test_small_instances_reach_the_brute_force_optimum_with_the_rules(
    kinds: list[str | None], genders: list[str | None], share: float, types: int | None, gender_share: float | None
) -> None:
    people = [person(f"p{i}", kind, genders[i]) for i, kind in enumerate(kinds)]
    problem = Problem((LIEGE,), THEMES, tuple(people))
    params = Params(
        **{
            **RULES.__dict__,
            "max_stakeholder_share": share,
            "min_stakeholder_types": types,
            "max_gender_share": gender_share,
        }
    )
    optimum = _optimum(people, params)
    for method in ("optimise", "greedy"):
        solution = solve(problem, params, method=method)
        assert not hard(problem, solution, params)
        placed = sum(len(g.members) for g in solution.groups)
        assert placed <= optimum
        if method == "optimise":
            assert placed == optimum, (placed, optimum)


@st.composite
def instances(draw: st.DrawFn) -> tuple[Problem, Params]:
    n = draw(st.integers(min_value=4, max_value=40))
    offices = (LIEGE, Office("nam", "Namur", "BE", 50.47, 4.87))
    themes = (*THEMES, Theme("care", "Care", frozenset({"BE"})))
    people = []
    for i in range(n):
        roles = draw(st.frozensets(st.sampled_from(("moderator", "secretary", "board")), max_size=2))
        people.append(
            Registrant(
                id=f"r{i}",
                country="BE",
                languages=frozenset(draw(st.sampled_from((("fr",), ("nl",), ("fr", "nl"))))),
                mode=draw(st.sampled_from(("in_person", "video", "either"))),
                slots=frozenset(draw(st.sampled_from((("tue_ev",), ("tue_ev", "wed_am"), ("wed_am",))))),
                prefs=tuple(draw(st.permutations(("rates", "care")))[: draw(st.integers(1, 2))]),
                roles=roles,
                lat=draw(st.sampled_from((50.63, 50.47, None))),
                lon=5.0,
                office=draw(st.sampled_from(("lie", "nam"))),
                stakeholder=draw(st.sampled_from((*KINDS, None))),
                gender=draw(st.sampled_from(("woman", "man", "non_binary", None))),
            )
        )
    min_size = draw(st.integers(min_value=3, max_value=5))
    params = Params(
        min_size=min_size,
        max_size=min_size + draw(st.integers(min_value=0, max_value=4)),
        max_travel_km=60,
        require_moderator=draw(st.booleans()),
        require_secretary=draw(st.booleans()),
        require_board=draw(st.booleans()),
        one_theme_per_office=draw(st.booleans()),
        min_stakeholder_types=draw(st.sampled_from((None, 2, 3))),
        max_stakeholder_share=draw(st.sampled_from((None, 0.4, 0.5))),
        max_gender_share=draw(st.sampled_from((None, 0.6))),
        balance_soft=False,
        time_limit_s=10,
        work=draw(st.sampled_from((2e5, 6e6))),  # the larger pays for the exact path (MIP) on these sizes
    )
    return Problem(offices, themes, tuple(people)), params


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_every_group_of_every_method_meets_every_hard_balance_rule(instance: tuple[Problem, Params]) -> None:
    problem, params = instance
    for method in ("optimise", "greedy"):
        solution = solve(problem, params, method=method)
        assert not hard(problem, solution, params), hard(problem, solution, params)
        everyone = Counter([m.id for g in solution.groups for m in g.members] + [u.id for u in solution.unassigned])
        assert everyone == Counter(p.id for p in problem.registrants)
        assert all(u.code and u.reason for u in solution.unassigned)
        if params.require_board:
            assert all(sum(1 for m in g.members if m.role == "board") == 1 for g in solution.groups)
        if method == "optimise" and solution.report["bound"] is not None:
            assert solution.report["objective"] <= solution.report["bound"] + 1e-6
