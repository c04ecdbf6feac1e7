"""Benchmark: the staff review page of a formation run at the size of a real edition.

Builds a finished run straight in the database (``formation/tests/review_data.py``:
12 themes, about 96 % of the people in groups of 11, the rest left out with
"groups full"; no engine) at each size, on a fresh SQLite database in a temporary
folder (or the PostgreSQL of DATABASE_URL, which it fills and does not clean up:
use a throw-away one), then asks for each page as a logged-in staff member
through Django's test client, in this process: the server time of the request
(middleware, views, templates, queries), without the network.

    .venv/bin/python bench/formation_review.py [--sizes 250,5000] [--runs 7]

Prints the command, the machine (cores, load average from /proc/loadavg), and per
size and page: the median wall seconds and CPU seconds of a request, the bytes of
the answer and its queries. Goal: under 300 KB and under 0.5 s at 5,000 people.
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
from typing import Any


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="250,5000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root / "src"), str(root)]
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from coopsip.accounts.models import User
    from coopsip.core.access import STAFF_GROUP
    from coopsip.formation import selectors
    from coopsip.formation.tests.review_data import build_review_run

    call_command("migrate", verbosity=0)
    staff, _created = User.objects.get_or_create(
        email="bench-staff@example.org", defaults={"first_name": "Bench", "last_name": "Staff"}
    )
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    if _created:
        TOTP.activate(staff, generate_totp_secret())  # staff pages need a second factor set up
    client = Client()
    client.force_login(staff)

    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(
        f"machine: {platform.node()}, {platform.machine()}, nproc {os.cpu_count()}, load {loadavg()}, "
        f"Python {platform.python_version()}, {connection.vendor}"
    )
    print(f"{'people':>6} {'page':<22} {'wall s':>7} {'cpu s':>7} {'bytes':>9} {'queries':>7}")
    for size in sizes:
        started = time.perf_counter()
        run = build_review_run(size, by=staff, slug=f"bench-{size}-{int(time.time())}")
        built = time.perf_counter() - started
        run_url = reverse("formation_staff:run", kwargs={"pk": run.pk})
        crowded = selectors.cells(run)[0]
        member = run.members.filter(role="participant").order_by("pk").first()
        assert member is not None
        pages: list[tuple[str, str, dict[str, Any], dict[str, str]]] = [
            ("run page (first cell)", run_url, {}, {}),
            ("crowded cell, page 2", run_url, {"cell": crowded.key, "page": 2}, {}),
            ("without a group", run_url, {"cell": "unplaced"}, {}),
            (
                "move dialog (htmx)",
                reverse("formation_staff:move_dialog", kwargs={"pk": run.pk, "registration": member.registration_id}),
                {},
                {"HX-Request": "true"},
            ),
        ]
        for name, url, params, headers in pages:
            client.get(url, params, headers=headers)  # warm: templates compiled, caches filled
            walls, cpus = [], []
            for _run in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, params, headers=headers)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                assert response.status_code == 200, (name, response.status_code)
            print(
                f"{size:>6} {name:<22} {statistics.median(walls):7.3f} {statistics.median(cpus):7.3f} "
                f"{len(response.content):>9,} {len(queries):>7}"
            )
        print(f"{size:>6} (data built in {built:.1f} s; {run.groups.count()} groups, {run.unplaced.count()} left out)")
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
