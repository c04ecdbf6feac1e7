"""The wall-clock safety stop: a run ends within 10% of its time limit, even beside a process burning the CPU."""

from __future__ import annotations

import subprocess
import sys
import time

from coopsip.formation.engine import Params, solve
from coopsip.formation.engine.synthetic import generate


def test_a_run_ends_within_ten_percent_of_its_time_limit_beside_a_process_burning_the_cpu() -> None:
    # Far more work than 3 seconds allow, so the safety stop ends both runs. At 500 people the
    # exact path is open: on an idle machine SCIP is what the stop interrupts (its root node alone
    # takes about 7 s there); at 3,000 people it is the relaxation and the local search.
    cases = [(generate(500, 4, seed=0), 1e9), (generate(3000, 12, seed=2), 1e12)]
    burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.2)
        for problem, work in cases:
            start = time.perf_counter()
            solution = solve(problem, Params(time_limit_s=3, work=work))
            seconds = time.perf_counter() - start
            report = solution.report
            assert seconds <= 3.3, f"{len(problem.registrants)} people: {seconds:.2f} s for a 3 s limit"
            assert report["work"]["cut_short"] is True
            assert report["violations"] == 0
    finally:
        burner.kill()
        burner.wait()


def test_the_report_says_what_the_cut_cost() -> None:
    problem = generate(3000, 12, seed=2)
    solution = solve(problem, Params(time_limit_s=2, work=1e12))
    work = solution.report["work"]
    assert work["cut_short"] is True
    # The share of the work done when the stop fired (a tiny share of an endless budget) ...
    assert 0 <= work["done_at_cut"] < 0.01
    assert work["units"] < work["budget"]
    # ... and the gap of what that work found: a better proposal is at most that much better.
    assert work["gap_at_cut"] == solution.report["gap"] > 0


def test_a_run_within_its_budget_reports_no_cut() -> None:
    solution = solve(generate(200, 4, seed=1), Params(time_limit_s=300, work=3e5))
    work = solution.report["work"]
    assert work["cut_short"] is False
    assert work["done_at_cut"] is None and work["gap_at_cut"] is None
    assert work["budget"] == 300_000 and work["units"] > 0
