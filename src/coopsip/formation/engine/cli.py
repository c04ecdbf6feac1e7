"""``coopsip-form INPUT_DIR -o groups.json``: form groups from an input folder, print the report."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .io import InputError, read_problem, write_solution
from .solve import solve


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="coopsip-form",
        description="Form working groups from offices.csv, themes.csv, registrants.csv and params.json.",
    )
    parser.add_argument("input_dir", type=Path, help="folder with the input files")
    parser.add_argument("-o", "--output", type=Path, default=Path("groups.json"), help="where to write the groups")
    parser.add_argument("--time-limit", type=float, help="seconds (overrides params.json time_limit_s)")
    parser.add_argument("--seed", type=int, help="overrides params.json seed")
    parser.add_argument("--method", choices=("optimise", "greedy"), default="optimise")
    args = parser.parse_args(argv)
    try:
        problem, params = read_problem(args.input_dir)
    except InputError as error:
        print(f"coopsip-form: {error}", file=sys.stderr)
        return 2
    if args.time_limit is not None:
        params = replace(params, time_limit_s=args.time_limit)
    if args.seed is not None:
        params = replace(params, seed=args.seed)
    solution = solve(problem, params, method=args.method)
    try:
        write_solution(args.output, solution)
    except OSError as error:
        print(f"coopsip-form: cannot write {args.output}: {error.strerror}", file=sys.stderr)
        return 3
    report = {key: value for key, value in solution.report.items() if key != "limits"}
    print(json.dumps(report, indent=1, ensure_ascii=False))
    print(f"wrote {args.output}: {len(solution.groups)} groups, {len(solution.unassigned)} unassigned")
    return 0


if __name__ == "__main__":
    sys.exit(main())
