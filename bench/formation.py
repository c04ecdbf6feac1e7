"""Benchmark: forming working groups (the formation engine against a by-hand greedy baseline).

A synthetic edition that looks like the cooperative (see
coopsip.formation.engine.synthetic) at several sizes and theme counts. For the engine
and, in the same run, the greedy baseline (first choice, nearest office, fill up, then
next choice) it prints time, peak memory, share assigned, share at first choice, mean
travel (all people in in-person groups, and "km both": only people both methods place in
person, the fair comparison), violations, objective and gap to the engine's proven
bound; then the time to re-form after one person declines.

    .venv/bin/python bench/formation.py [--sizes 500,5000,50000] [--themes 4,12] [--runs 3]
    .venv/bin/python bench/formation.py --sizes 5000 --themes 12 --write-dir /tmp/edition

Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from coopsip.formation.engine import Params, Problem, Solution, reform_after_decline, solve, write_problem
from coopsip.formation.engine.geo import haversine_km
from coopsip.formation.engine.synthetic import generate


def time_limit(size: int) -> float:
    return 9.5 if size <= 5000 else 100.0


def travel(problem: Problem, solution: Solution) -> dict[str, float]:
    """Km from home to the office of each person in an in-person group."""
    people = {p.id: p for p in problem.registrants}
    offices = {o.id: o for o in problem.offices}
    km: dict[str, float] = {}
    for group in solution.groups:
        if group.mode != "in_person" or group.office is None:
            continue
        office = offices[group.office]
        for member in group.members:
            p = people[member.id]
            km[p.id] = 0.0 if p.lat is None or p.lon is None else haversine_km(p.lat, p.lon, office.lat, office.lon)
    return km


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,5000,50000")
    parser.add_argument("--themes", default="4,12")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (different seeds)")
    parser.add_argument("--time-limit", type=float, help="seconds for the engine (default 9.5 up to 5,000, else 100)")
    parser.add_argument("--write-dir", type=Path, help="write the first instance as an input folder and stop")
    parser.add_argument("--no-memory", action="store_true", help="skip tracemalloc (it slows Python code down)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    theme_counts = [int(t) for t in args.themes.split(",")]
    if args.write_dir:
        problem = generate(sizes[0], theme_counts[0], seed=0)
        write_problem(args.write_dir, problem, Params(time_limit_s=time_limit(sizes[0])))
        print(f"wrote {args.write_dir}: {len(problem.registrants)} registrants, {len(problem.themes)} themes")
        return
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    header = (
        f"{'size':>6} {'th':>2} {'method':<8} {'time s':>7} {'peak MB':>8} {'assigned':>8} {'1st':>6} "
        f"{'km':>5} {'km both':>7} {'viol':>4} {'objective':>11} {'bound':>11} {'gap':>7} {'decline s':>9}"
    )
    print(header)
    for size in sizes:
        for themes in theme_counts:
            rows: dict[str, list[dict[str, float]]] = {"optimise": [], "greedy": []}
            for run in range(args.runs):
                problem = generate(size, themes, seed=run)
                params = Params(time_limit_s=args.time_limit or time_limit(size), seed=run)
                bound = None
                kms: dict[str, dict[str, float]] = {}
                for method in ("optimise", "greedy"):
                    if not args.no_memory:
                        tracemalloc.start()
                    start = time.perf_counter()
                    solution = solve(problem, params, method=method)
                    seconds = time.perf_counter() - start
                    peak = tracemalloc.get_traced_memory()[1] / 2**20 if not args.no_memory else float("nan")
                    if not args.no_memory:
                        tracemalloc.stop()
                    report = solution.report
                    kms[method] = travel(problem, solution)
                    if method == "optimise":
                        bound = report["bound"]
                        member = next(m.id for m in solution.groups[0].members if m.role == "moderator")
                        start = time.perf_counter()
                        after = reform_after_decline(problem, replace(params), solution, member)
                        decline = time.perf_counter() - start
                        assert after.report["violations_in_changed_groups"] == 0
                    else:
                        decline = float("nan")
                    gap = (bound - report["objective"]) / bound if bound else float("nan")
                    rows[method].append(
                        {
                            "time": seconds,
                            "peak": peak,
                            "assigned": report["share_assigned"],
                            "first": report["share_first_choice"],
                            "km": report["travel_km_mean"],
                            "viol": report["violations"],
                            "objective": report["objective"],
                            "bound": bound or float("nan"),
                            "gap": gap,
                            "decline": decline,
                        }
                    )
                both = kms["optimise"].keys() & kms["greedy"].keys()
                for method in ("optimise", "greedy"):
                    mean = statistics.fmean(kms[method][p] for p in both) if both else float("nan")
                    rows[method][-1]["km_both"] = mean
            for method, results in rows.items():
                med = {key: statistics.median(r[key] for r in results) for key in results[0]}
                print(
                    f"{size:>6} {themes:>2} {method:<8} {med['time']:>7.2f} {med['peak']:>8.0f} "
                    f"{med['assigned']:>8.1%} {med['first']:>6.1%} {med['km']:>5.1f} {med['km_both']:>7.1f} "
                    f"{med['viol']:>4.0f} "
                    f"{med['objective']:>11,.0f} {med['bound']:>11,.0f} {med['gap']:>7.2%} {med['decline']:>9.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
