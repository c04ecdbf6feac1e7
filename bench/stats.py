"""Benchmark (issue 19): the public statistics page, the API's list endpoints and the open-data ZIP.

Builds ``--editions`` published editions, each with ``--registrants`` registrations placed in active
working groups with three past meetings each (``bench/groups_data.py``), plus published recommendations
and public events, on a fresh SQLite database in a temporary folder, or the PostgreSQL of DATABASE_URL
(a throw-away one: it is migrated and filled). Pages are asked for through Django's test client in this
process: server time without the network.

    [DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api19] \
        .venv/bin/python bench/stats.py [--editions 10] [--registrants 5000] [--runs 15]

Adds what bench/api.py adds (``add_public_records``: phases, public events, a recommendation of each active
group without one, decided through syntheses) and, on PostgreSQL, ANALYZEs. Prints the command, the
machine (cores, load average before and after), and per measure the median and p95 wall seconds, the
median CPU seconds of this process, on PostgreSQL the mean CPU of this database's backends, and the
queries. Goals (issue 19): statistics page <= 200 ms warm, API list p95 <= 100 ms, ZIP <= 30 s.
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


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--editions", type=int, default=10)
    # Each edition gets a few more than the last (the builder names people after the size: no duplicates).
    parser.add_argument("--registrants", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root / "src"), str(root)]
    import django

    django.setup()
    import logging

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.groups_data import build_decided_editions, print_decided_editions
    from coopsip.editions.models import Edition
    from coopsip.stats import opendata

    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    print("command:", " ".join([sys.executable, *sys.argv]))
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print("database:", connection.vendor)
    print("load average before:", loadavg())
    call_command("migrate", verbosity=0)
    if not Edition.objects.filter(slug__startswith="bench-").exists():
        build_decided_editions(args.editions, args.registrants)
    else:
        print_decided_editions()
    # The same data as bench/api.py: phases, public events, recommendations decided through syntheses.
    from bench.api import add_public_records, analyse
    from coopsip.recommendations.models import Synthesis

    if not Synthesis.objects.filter(edition__slug__startswith="bench-").exists():
        add_public_records()
    if connection.vendor == "postgresql":
        analyse()
    from bench._common import DatabaseCpu

    database_url = os.environ.get("DATABASE_URL", "")

    client = Client()

    def measure(url: str, *, warm: bool) -> tuple[list[float], list[float], int, float | None]:
        walls, cpus, queries = [], [], 0
        connection.ensure_connection()  # this process's backend is counted by DatabaseCpu from the start
        meter = DatabaseCpu(database_url) if connection.vendor == "postgresql" else None
        if meter:
            meter.__enter__()
        for _ in range(args.runs):
            if not warm:
                cache.clear()
            with CaptureQueriesContext(connection) as captured:
                wall, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
            assert response.status_code == 200, (url, response.status_code)
            queries = len(captured)
        if meter:
            meter.__exit__(None, None, None)
        return walls, cpus, queries, meter.seconds / args.runs if meter else None

    def report(name: str, walls: list[float], cpus: list[float], queries: int, database: float | None) -> None:
        p95 = sorted(walls)[max(0, round(0.95 * len(walls)) - 1)]
        in_database = f", PostgreSQL CPU {database * 1000:6.1f} ms (mean)" if database is not None else ""
        print(
            f"{name:<48} median {statistics.median(walls) * 1000:7.1f} ms wall, p95 {p95 * 1000:7.1f} ms, "
            f"CPU {statistics.median(cpus) * 1000:7.1f} ms{in_database}, {queries} queries"
        )

    report("statistics page, cold (no cache)", *measure("/en/statistics/", warm=False))
    client.get("/en/statistics/")
    report("statistics page, warm (cached figures)", *measure("/en/statistics/", warm=True))
    report("edition statistics page, warm", *measure("/en/statistics/bench-00/", warm=True))
    for url in (
        "/api/v1/editions/",
        "/api/v1/themes/",
        "/api/v1/phases/",
        "/api/v1/events/?limit=100",
        "/api/v1/recommendations/?limit=100",
        "/api/v1/recommendations/?limit=100&page=40",
        "/api/v1/recommendations/?decision=accepted",
    ):
        report(f"API {url}, cold", *measure(url, warm=False))
        client.get(url)
        report(f"API {url}, warm", *measure(url, warm=True))
    zip_meter = DatabaseCpu(database_url) if connection.vendor == "postgresql" else None
    if zip_meter:
        zip_meter.__enter__()
    wall, cpu = time.perf_counter(), time.process_time()
    data = opendata.build_zip()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if zip_meter:
        zip_meter.__exit__(None, None, None)
    in_database = f", PostgreSQL CPU {zip_meter.seconds:.1f} s" if zip_meter else ""
    print(f"open-data ZIP: {wall:.1f} s wall, {cpu:.1f} s CPU{in_database}, {len(data)} bytes")
    print("load average after:", loadavg())


if __name__ == "__main__":
    main()
