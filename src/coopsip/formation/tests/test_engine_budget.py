"""The engine's budget and bound: the same groups however busy the machine, a bound that means something."""

from __future__ import annotations

import subprocess
import sys
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from coopsip.formation.engine import Params, Problem, Registrant, solution_to_dict, solve
from coopsip.formation.engine.geo import haversine_km
from coopsip.formation.engine.synthetic import generate

from .test_engine import BRUSSELS, NAMUR, THEMES, registrants


def _without_seconds(solution: object) -> dict[str, object]:
    data = solution_to_dict(solution)  # type: ignore[arg-type]
    data["report"].pop("seconds")
    return data


def test_the_same_groups_with_a_process_burning_the_cpu_beside_it() -> None:
    problem = generate(400, 4, seed=1)
    # A work budget well within the safety stop: the wall clock plays no part.
    params = Params(time_limit_s=300, work=6e5)
    quiet = solve(problem, params)
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        time.sleep(0.2)
        busy = solve(problem, params)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()
    assert not quiet.report["work"]["cut_short"] and not busy.report["work"]["cut_short"]
    assert quiet.report["work"]["units"] >= 6e5
    assert _without_seconds(busy) == _without_seconds(quiet)


def test_the_safety_stop_cuts_the_work_short_and_says_so() -> None:
    problem = generate(3000, 12, seed=2)
    start = time.perf_counter()
    solution = solve(problem, Params(time_limit_s=3, work=1e12))
    seconds = time.perf_counter() - start
    assert solution.report["work"]["cut_short"] is True
    assert solution.report["work"]["units"] < 1e12
    # Without the stop this work would take hours. How close to the limit it ends, beside a process burning
    # the CPU, is test_engine_budget_stop.py's (within 10%); here only that the stop is obeyed at all.
    assert seconds < 60
    assert solution.report["violations"] == 0


def _best_option(person: Registrant, problem: Problem, params: Params) -> float:
    """A person's best points, worked out from the rules of docs/formation.md (not from the engine)."""
    w = params.weights
    if not person.slots or not person.languages:
        return 0.0
    best = 0.0
    themes = {t.id: t for t in problem.themes}
    for rank, theme in enumerate(person.prefs[:3]):
        if person.country not in themes[theme].countries:
            continue
        base = w.assigned - w.rank[rank]
        if person.mode != "in_person":
            best = max(best, base - w.video)
        if person.mode != "video":
            for office in problem.offices:
                if person.lat is None or person.lon is None:
                    km = 0.0 if person.office == office.id else None
                else:
                    km = haversine_km(person.lat, person.lon, office.lat, office.lon)
                if km is not None and km <= params.max_travel_km + 1e-9:
                    best = max(best, base - w.travel_per_km * km)
    return best


@settings(deadline=None, max_examples=25)
@given(
    people=st.lists(registrants, min_size=0, max_size=40, unique_by=lambda p: p.id),
    min_size=st.integers(2, 4),
    work=st.sampled_from([1.0, 2e3, 5e4]),
)
def test_the_bound_is_never_above_everyone_at_their_best_option(
    people: list[Registrant], min_size: int, work: float
) -> None:
    problem = Problem((BRUSSELS, NAMUR), THEMES, tuple(people))
    params = Params(min_size=min_size, max_size=min_size + 2, time_limit_s=5, work=work)
    solution = solve(problem, params)
    everyone_best = sum(_best_option(p, problem, params) for p in people)
    report = solution.report
    assert report["objective"] <= report["bound"] + 0.1
    assert report["bound"] <= everyone_best + 0.1
    assert report["bound"] == 0 or 0 <= report["gap"] <= 1
