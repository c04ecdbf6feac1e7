"""Benchmark: importing the member register from CSV.

The cooperative has tens of thousands of members; staff re-import the whole
export. This measures a first import (all rows created) and a re-import of
the same file (all rows unchanged), on a fresh SQLite database or on the
PostgreSQL of DATABASE_URL.

    .venv/bin/python bench/register_import.py [--rows 30000] [--runs 5]

Prints the median and spread of each phase over the runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path


def make_csv(rows: int) -> bytes:
    lines = ["member_number;first_name;last_name;email;date_of_birth;status;stakeholder_types;member_since"]
    for n in range(rows):
        lines.append(
            f"{500000 + n};Voornaam{n};Achternaam{n};person{n}@example.org;"
            f"{1 + n % 28:02d}/{1 + n % 12:02d}/{1950 + n % 50};{'vennoot' if n % 7 else 'user'};"
            f"{'client|employee' if n % 3 == 0 else 'employee'};2015-01-01"
        )
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp()
    os.environ.setdefault("DATA_DIR", tmp)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from coopsip.members.models import RegisterEntry, RegisterImport
    from coopsip.members.services import import_register

    call_command("migrate", verbosity=0)
    data = make_csv(args.rows)
    first, again = [], []
    for _run in range(args.runs):
        RegisterEntry.objects.all().delete()
        RegisterImport.objects.all().delete()
        start = time.perf_counter()
        result = import_register(data=data, file_name="bench.csv", imported_by=None)
        first.append(time.perf_counter() - start)
        assert result.applied and result.created_count == args.rows
        start = time.perf_counter()
        result = import_register(data=data, file_name="bench.csv", imported_by=None)
        again.append(time.perf_counter() - start)
        assert result.unchanged_count == args.rows

    python = platform.python_version()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {python}, {connection.vendor}")
    print(f"rows: {args.rows}, runs: {args.runs}")
    for name, times in (("first import", first), ("re-import, unchanged", again)):
        print(
            f"{name:<22} median {statistics.median(times):6.2f} s  min {min(times):6.2f} s  max {max(times):6.2f} s"
            f"  ({args.rows / statistics.median(times):,.0f} rows/s)"
        )


if __name__ == "__main__":
    main()
