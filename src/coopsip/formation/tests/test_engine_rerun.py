"""The engine's re-runs: a warm start and locks never cost placements the locks do not force."""

from __future__ import annotations

from dataclasses import replace

from coopsip.formation.engine import Params, solve, validate
from coopsip.formation.engine.synthetic import generate


def test_a_rerun_with_a_kept_group_and_a_locked_person_places_at_least_as_many() -> None:
    # Issue 11, point 2: one group kept whole and one person locked, and the re-run placed fewer
    # people than the run it re-ran (here 180 -> 167 before the warm start).
    problem = generate(250, 4, seed=2)
    params = Params(time_limit_s=1)
    first = solve(problem, params)
    whole = max(first.groups, key=lambda g: len(g.members))
    other = next(g for g in first.groups if g.id != whole.id)
    person = replace(other, members=(other.members[-1],))
    again = solve(problem, params, locked=[person], kept=[whole], warm_start=first.groups)
    kept_people = {m.id for m in whole.members}
    placed = again.report["assigned"] + len(kept_people)
    assert placed >= first.report["assigned"]
    locks = again.report["locks"]
    assert locks["placed"] == placed
    assert locks["placed_without_locks"] >= first.report["assigned"]
    assert locks["cost"] == locks["placed_without_locks"] - placed
    # The kept group is left out of the result, the locked person stays in their group.
    assert not kept_people & {m.id for g in again.groups for m in g.members}
    assert not kept_people & {u.id for u in again.unassigned}
    groups = {g.id: g for g in again.groups}
    assert person.members[0] in groups[other.id].members
    assert not [v for v in validate(problem, [*again.groups, whole], params) if v.severity == "hard"]


def test_without_locks_the_report_has_no_lock_comparison() -> None:
    problem = generate(120, 4, seed=1)
    solution = solve(problem, Params(time_limit_s=1))
    assert solution.report["locks"] is None
