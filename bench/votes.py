"""Benchmark: counting a general assembly's ballot of 35,000 members over 12 themes.

    .venv/bin/python bench/votes.py [--ballots 35000] [--themes 12] [--seats 3] [--runs 5]

Plain Python (``coopsip.votes.counting``, no database): the ballots are drawn
from a seeded generator with popular and unpopular themes, each member ranking
1 to 12 of them (so ballots exhaust in later rounds). It counts them by ranked
choice (repeated instant runoff for ``--seats``) and by approval, and prints the
command, the machine (cores, load average), wall and CPU seconds per run and
their medians. The goal of issue 18: counting ≤ 5 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from coopsip.votes.counting import APPROVAL, INSTANT_RUNOFF, count


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def ballots(n: int, themes: list[str], seed: int) -> list[list[str]]:
    rng = random.Random(seed)  # noqa: S311 (benchmark data)
    weights = [1.0 / (1 + i) ** 0.7 for i in range(len(themes))]
    drawn = []
    for _ in range(n):
        length = rng.randint(1, len(themes))
        pool, pool_weights, ranking = list(themes), list(weights), []
        for _rank in range(length):
            pick = rng.choices(range(len(pool)), weights=pool_weights)[0]
            ranking.append(pool.pop(pick))
            pool_weights.pop(pick)
        drawn.append(ranking)
    return drawn


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ballots", type=int, default=35_000)
    parser.add_argument("--themes", type=int, default=12)
    parser.add_argument("--seats", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, load average at start {loadavg()}")
    themes = [f"T{i + 1}" for i in range(args.themes)]
    data = ballots(args.ballots, themes, seed=18)
    approvals = [ranking[: max(1, len(ranking) // 2)] for ranking in data]
    for method, cast in ((INSTANT_RUNOFF, data), (APPROVAL, approvals)):
        walls, cpus = [], []
        result = None
        for run in range(1, args.runs + 1):
            wall, cpu = time.perf_counter(), time.process_time()
            result = count(method=method, candidates=themes, ballots=cast, seats=args.seats, tie_order=themes)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            print(f"  {method} run {run}: {walls[-1]:.3f} s wall, {cpus[-1]:.3f} s CPU (load {loadavg()})")
        assert result is not None
        print(
            f"{method}: {args.ballots:,} ballots, {args.themes} themes, {args.seats} seats, "
            f"{len(result.rounds)} rounds; "
            f"elected {', '.join(result.elected)}; median {statistics.median(walls):.3f} s wall, "
            f"{statistics.median(cpus):.3f} s CPU"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
