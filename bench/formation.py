"""Benchmark: forming working groups (the formation engine against a by-hand greedy baseline).

A synthetic edition that looks like the cooperative (see
coopsip.formation.engine.synthetic) at several sizes and theme counts. For the engine
and, in the same run, the greedy baseline (first choice, nearest office, fill up, then
next choice) it prints time, peak memory, share assigned, share at first choice, mean
travel (all people in in-person groups, and "km both": only people both methods place in
person, the fair comparison), violations, objective and gap to the engine's proven
bound; then the time to re-form after one person declines.

    .venv/bin/python bench/formation.py [--sizes 500,5000,50000] [--themes 4,12] [--runs 3] [--work UNITS]
    .venv/bin/python bench/formation.py --sizes 5000 --themes 12 --write-dir /tmp/edition
    .venv/bin/python bench/formation.py --exact --sizes 60,150,500,1000,2000 --themes 4,12 --work 1e7
    .venv/bin/python bench/formation.py --compete --sizes 5000 --themes 12 --work 5e6
    .venv/bin/python bench/formation.py --format-2017 --sizes 500,5000 --themes 12 --runs 3

``--exact``: small instances, the engine with and without its exact path (the MIP solved by
SCIP), and the true gap of each to the optimum where the MIP proved it. ``--compete``: each run
once alone and once with two processes burning the CPU beside it; prints whether the groups
are identical. ``--format-2017``: the 2017-2018 format (groups of 8-12 with an animator and a
board member, at least 3 stakeholder types, at most 40% of one type, kept as rules) on the same
people with the stakeholder types and board volunteers of that edition: share placed, and the
cost of each balance rule in placements (the same run without it). Every row prints wall and
CPU seconds and the load average; the header the
machine (cores, /proc/loadavg).

Needs no database and no Django settings.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from coopsip.formation.engine import (
    Params,
    Problem,
    Solution,
    reform_after_decline,
    solution_to_dict,
    solve,
    validate,
    write_problem,
)
from coopsip.formation.engine.balance import without as without_rules
from coopsip.formation.engine.budget import UNITS_PER_SECOND, WORK_SHARE
from coopsip.formation.engine.capacity import placeable_bound
from coopsip.formation.engine.geo import haversine_km
from coopsip.formation.engine.index import Index
from coopsip.formation.engine.synthetic import format_2017, generate, params_2017


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


def load() -> str:
    try:
        return Path("/proc/loadavg").read_text().split(" ", 3)[0]
    except OSError:
        return "?"


def timed(problem: Problem, params: Params, **kw: object) -> tuple[Solution, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    solution = solve(problem, params, **kw)  # type: ignore[arg-type]
    return solution, time.perf_counter() - wall, time.process_time() - cpu


def same(a: Solution, b: Solution) -> bool:
    x, y = solution_to_dict(a), solution_to_dict(b)
    for data in (x, y):
        data["report"].pop("seconds")
    return x == y


def exact_table(sizes: list[int], theme_counts: list[int], runs: int, params: Params) -> None:
    """Small instances: the engine with and without its exact path (the MIP, SCIP); the true gap of
    each to the optimum where the MIP proved it; every result checked by the independent validator;
    medians over the seeds."""
    module: Any = importlib.import_module("coopsip.formation.engine.solve")
    limit = module.EXACT_MAX_OPTIONS
    print(
        f"{'size':>6} {'th':>2} {'seed':>4} {'path':<9} {'wall s':>7} {'cpu s':>6} {'load':>5} {'placed':>6} "
        f"{'objective':>11} {'bound':>11} {'gap':>7} {'proven':>6} {'true gap':>8} {'nodes':>5} {'viol':>4} {'cut':>4}"
    )
    for size in sizes:
        for themes in theme_counts:
            summary: dict[str, list[tuple[float, float, float]]] = {"exact": [], "heuristic": []}
            for seed in range(runs):
                problem = generate(size, themes, seed=seed)
                run_params = replace(params, seed=seed)
                rows = []
                for path, options in (("exact", limit), ("heuristic", 0)):
                    module.EXACT_MAX_OPTIONS = options
                    solution, wall, cpu = timed(problem, run_params)
                    rows.append((path, solution, wall, cpu, load()))
                module.EXACT_MAX_OPTIONS = limit
                proven = rows[0][1].report["exact"]["proven_optimal"]
                optimum = rows[0][1].report["objective"] if proven else None
                for path, solution, wall, cpu, at in rows:
                    r = solution.report
                    hard = [v for v in validate(problem, solution, run_params) if v.severity == "hard"]
                    true_gap = (optimum - r["objective"]) / optimum if optimum else float("nan")
                    summary[path].append((wall, cpu, true_gap))
                    true = f"{true_gap:.2%}" if optimum else "?"
                    nodes = r["exact"].get("nodes", "-")
                    print(
                        f"{size:>6} {themes:>2} {seed:>4} {path:<9} {wall:>7.1f} {cpu:>6.1f} {at:>5} "
                        f"{r['assigned']:>6} "
                        f"{r['objective']:>11,.0f} {r['bound']:>11,.0f} {r['gap']:>7.2%} "
                        f"{'yes' if r['exact']['proven_optimal'] else 'no':>6} {true:>8} {nodes!s:>5} {len(hard):>4} "
                        f"{'yes' if r['work']['cut_short'] else 'no':>4}",
                        flush=True,
                    )
            if runs > 1:
                for path, items in summary.items():
                    gaps = [g for _, _, g in items if g == g]
                    print(
                        f"{size:>6} {themes:>2} {'med':>4} {path:<9} {statistics.median(w for w, _, _ in items):>7.1f} "
                        f"{statistics.median(c for _, c, _ in items):>6.1f}  proven {len(gaps)}/{len(items)}, "
                        f"median true gap {statistics.median(gaps) if gaps else float('nan'):.2%}",
                        flush=True,
                    )


def compete_table(sizes: list[int], theme_counts: list[int], runs: int, params: Params) -> None:
    """Each run alone and beside two processes burning the CPU: are the groups identical?"""
    print(
        f"{'size':>6} {'th':>2} {'seed':>4} {'alone s':>8} {'load':>5} {'beside s':>8} {'load':>5} "
        f"{'cut':>5} {'identical':>9}"
    )
    for size in sizes:
        for themes in theme_counts:
            for seed in range(runs):
                problem = generate(size, themes, seed=seed)
                run_params = replace(params, seed=seed)
                alone, wall_a, _ = timed(problem, run_params)
                load_a = load()
                burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
                try:
                    time.sleep(1)
                    beside, wall_b, _ = timed(problem, run_params)
                    load_b = load()
                finally:
                    for burner in burners:
                        burner.kill()
                        burner.wait()
                cut = alone.report["work"]["cut_short"] or beside.report["work"]["cut_short"]
                print(
                    f"{size:>6} {themes:>2} {seed:>4} {wall_a:>8.1f} {load_a:>5} {wall_b:>8.1f} {load_b:>5} "
                    f"{'yes' if cut else 'no':>5} {'yes' if same(alone, beside) else 'NO':>9}",
                    flush=True,
                )


def format_2017_table(sizes: list[int], theme_counts: list[int], runs: int, params: Params) -> None:
    """The 2017-2018 format: share placed with every rule, and each rule's cost (the same run without it)."""
    rules = ("min_stakeholder_types", "max_stakeholder_share")
    print(
        "bound: the most people any proposal could place (capacity.placeable_bound: an LP over the cells with the\n"
        "roles' volunteers and the share rule; 'bound free': the same without the balance rules). placed/bound\n"
        "near 100% means the people (volunteers, types) are the limit; far below, the engine."
    )
    print(
        f"{'size':>6} {'th':>2} {'seed':>4} {'placed':>7} {'share':>7} {'bound':>6} {'of bnd':>6} {'viol':>4} "
        f"{'no mix':>7} {'no share':>8} {'no rule':>7} {'bnd free':>8} {'cost mix':>8} {'cost share':>10} "
        f"{'wall s':>7} {'cpu s':>6} {'load':>5} {'cut':>4}"
    )
    for size in sizes:
        for themes in theme_counts:
            shares: list[float] = []
            for seed in range(runs):
                problem = format_2017(generate(size, themes, seed=seed), seed=seed)
                run_params = replace(params, seed=seed)
                solution, wall, cpu = timed(problem, run_params)
                hard = [v for v in validate(problem, solution, run_params) if v.severity == "hard"]
                placed = int(solution.report["assigned"])
                without: dict[str, int] = {}
                for rule in rules:
                    other, _, _ = timed(problem, without_rules(run_params, rule))
                    without[rule] = int(other.report["assigned"])
                free, _, _ = timed(problem, without_rules(run_params, *rules))
                bound = int(placeable_bound(Index(problem, run_params)) + 1e-6)
                bound_free = int(placeable_bound(Index(problem, without_rules(run_params, *rules))) + 1e-6)
                shares.append(placed / size)
                cut = "yes" if solution.report["work"]["cut_short"] else "no"
                print(
                    f"{size:>6} {themes:>2} {seed:>4} {placed:>7} {placed / size:>7.1%} {bound:>6} "
                    f"{placed / max(1, bound):>6.1%} {len(hard):>4} "
                    f"{without[rules[0]]:>7} {without[rules[1]]:>8} {int(free.report['assigned']):>7} {bound_free:>8} "
                    f"{max(0, without[rules[0]] - placed):>8} {max(0, without[rules[1]] - placed):>10} "
                    f"{wall:>7.1f} {cpu:>6.1f} {load():>5} {cut:>4}",
                    flush=True,
                )
            print(f"{size:>6} {themes:>2} median share placed {statistics.median(shares):.1%} over {runs} seed(s)")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,5000,50000")
    parser.add_argument("--themes", default="4,12")
    parser.add_argument("--runs", type=int, default=1, help="runs per size (different seeds)")
    parser.add_argument("--time-limit", type=float, help="seconds for the engine (default 9.5 up to 5,000, else 100)")
    parser.add_argument("--write-dir", type=Path, help="write the first instance as an input folder and stop")
    parser.add_argument("--no-memory", action="store_true", help="skip tracemalloc (it slows Python code down)")
    parser.add_argument("--work", type=float, help="work units for the engine (default: half the time limit)")
    parser.add_argument("--exact", action="store_true", help="small instances with and without the exact path")
    parser.add_argument("--compete", action="store_true", help="each run alone and beside a CPU-burning process")
    parser.add_argument("--engine-only", action="store_true", help="skip the greedy baseline")
    parser.add_argument("--format-2017", action="store_true", help="the 2017-2018 format and each balance rule's cost")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    theme_counts = [int(t) for t in args.themes.split(",")]
    if args.write_dir:
        problem = generate(sizes[0], theme_counts[0], seed=0)
        write_problem(args.write_dir, problem, Params(time_limit_s=time_limit(sizes[0])))
        print(f"wrote {args.write_dir}: {len(problem.registrants)} registrants, {len(problem.themes)} themes")
        return
    print(f"command: {' '.join(sys.argv)}")
    print(
        f"machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, /proc/loadavg at start: {Path('/proc/loadavg').read_text().strip()}"
    )
    if args.format_2017:
        # Bounded by work (the same groups on a busy machine); the wall clock only as a distant safety stop.
        for size in sizes:
            work = args.work or time_limit(size) * UNITS_PER_SECOND * WORK_SHARE
            params = params_2017(time_limit_s=args.time_limit or 20 * time_limit(size), work=work)
            format_2017_table([size], theme_counts, args.runs, params)
        print(f"/proc/loadavg at the end: {Path('/proc/loadavg').read_text().strip()}")
        return
    if args.exact or args.compete:
        params = Params(time_limit_s=args.time_limit or 600, work=args.work)
        (exact_table if args.exact else compete_table)(sizes, theme_counts, args.runs, params)
        return
    header = (
        f"{'size':>6} {'th':>2} {'method':<8} {'time s':>7} {'peak MB':>8} {'assigned':>8} {'1st':>6} "
        f"{'km':>5} {'km both':>7} {'viol':>4} {'objective':>11} {'bound':>11} {'gap':>7} {'decline s':>9} "
        f"{'cpu s':>7} {'load':>5} {'cut':>4}"
    )
    print(header)
    for size in sizes:
        for themes in theme_counts:
            rows: dict[str, list[dict[str, float]]] = {"optimise": [], "greedy": []}
            for run in range(args.runs):
                problem = generate(size, themes, seed=run)
                params = Params(time_limit_s=args.time_limit or time_limit(size), seed=run, work=args.work)
                bound = None
                kms: dict[str, dict[str, float]] = {}
                for method in ("optimise",) if args.engine_only else ("optimise", "greedy"):
                    if not args.no_memory:
                        tracemalloc.start()
                    start, cpu_start = time.perf_counter(), time.process_time()
                    solution = solve(problem, params, method=method)
                    seconds = time.perf_counter() - start
                    cpu = time.process_time() - cpu_start
                    at_load = float(load())
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
                            "cpu": cpu,
                            "load": at_load,
                            "cut": float(bool(report.get("work", {}).get("cut_short"))),
                        }
                    )
                both = kms["optimise"].keys() & kms.get("greedy", kms["optimise"]).keys()
                for method in kms:
                    mean = statistics.fmean(kms[method][p] for p in both) if both else float("nan")
                    rows[method][-1]["km_both"] = mean
            for method, results in rows.items():
                if not results:
                    continue
                med = {key: statistics.median(r[key] for r in results) for key in results[0]}
                print(
                    f"{size:>6} {themes:>2} {method:<8} {med['time']:>7.2f} {med['peak']:>8.0f} "
                    f"{med['assigned']:>8.1%} {med['first']:>6.1%} {med['km']:>5.1f} {med['km_both']:>7.1f} "
                    f"{med['viol']:>4.0f} "
                    f"{med['objective']:>11,.0f} {med['bound']:>11,.0f} {med['gap']:>7.2%} {med['decline']:>9.2f} "
                    f"{med['cpu']:>7.1f} {med['load']:>5.1f} {med['cut']:>4.0f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory of the process: {peak:,.0f} MB")
    print(f"/proc/loadavg at the end: {Path('/proc/loadavg').read_text().strip()}")
