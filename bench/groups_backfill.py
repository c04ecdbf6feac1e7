"""Benchmark: backfilling one freed seat in an edition of 5,000 registrants and about 400 working groups.

Builds a finished formation run straight in the database (``formation/tests/review_data.py``: 12 themes,
groups of 11, 96 % of the people placed, the rest left out), turns each proposed group into a working group
whose people all accepted (bulk, no emails), on a fresh SQLite database in a temporary folder (or the
PostgreSQL of DATABASE_URL: a throw-away one, it is filled and not cleaned). Then, per run, one participant of
a different group declines and ``groups.services.backfill`` offers the freed seat (the engine's
``reform_after_decline`` with everyone else kept), as the background task does.

    .venv/bin/python bench/groups_backfill.py [--size 5000] [--runs 7]

Prints the command, the machine (cores, load average), and per run the wall and CPU seconds of the backfill,
its queries, who was offered the seat and how many other people changed group (compared seat by seat before
and after: must be 0); then the medians. Goal: at most 2 s per backfill.
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
    parser.add_argument("--size", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root / "src"), str(root)]
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.groups_data import build_working_groups
    from coopsip.groups import services
    from coopsip.groups.models import HOLDING, Seat, SeatState
    from coopsip.registrations.models import Registration, RegistrationStatus

    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(
        f"machine: {platform.node()}, {platform.machine()}, nproc {os.cpu_count()}, load {loadavg()}, "
        f"Python {platform.python_version()}, {connection.vendor}"
    )
    started = time.perf_counter()
    run, groups = build_working_groups(args.size, slug=f"bench-backfill-{args.size}-{int(time.time())}")
    edition = run.edition
    now = timezone.now()
    proposed = list(run.groups.order_by("key"))
    seeking = Registration.objects.filter(edition=edition, status=RegistrationStatus.SUBMITTED).count()
    print(
        f"data: {args.size} registrants, {len(groups)} working groups, {seeking} without a group "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    # Groups of the crowded theme × office on the first time slot: the people left out fit them.
    candidates = [g for g in groups if g.slot == proposed[0].slot and g.office_id == proposed[0].office_id]
    print(f"{'run':>3} {'group':<7} {'wall s':>7} {'cpu s':>7} {'queries':>7} {'offered':>8} {'others moved':>12}")
    walls, cpus, moved_total = [], [], 0
    # Run 0 warms up (imports, templates, the first email) and is printed but not counted in the medians.
    for number in range(-1, args.runs):
        group = candidates[(number + 1) % len(candidates)]
        leaving = group.seats.filter(role="participant", state=SeatState.ACCEPTED).order_by("pk").first()
        assert leaving is not None
        before = dict(Seat.objects.filter(state__in=HOLDING).values_list("registration_id", "group_id"))
        Seat.objects.filter(pk=leaving.pk).update(state=SeatState.DECLINED, answered_at=now, decline_reason="no_time")
        Registration.objects.filter(pk=leaving.registration_id).update(status=RegistrationStatus.DECLINED)
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            result = services.backfill(group_id=group.pk)
        spent_wall, spent_cpu = time.perf_counter() - wall, time.process_time() - cpu
        after = dict(Seat.objects.filter(state__in=HOLDING).values_list("registration_id", "group_id"))
        others = sum(
            1 for person, where in before.items() if person != leaving.registration_id and after.get(person) != where
        )
        moved_total += others
        if number >= 0:
            walls.append(spent_wall)
            cpus.append(spent_cpu)
        print(
            f"{number + 1:>3} {group.key:<7} {spent_wall:7.3f} {spent_cpu:7.3f} {len(queries):>7} "
            f"{len(result.offered):>8} {others:>12}"
        )
    print(
        f"median: wall {statistics.median(walls):.3f} s, CPU {statistics.median(cpus):.3f} s; "
        f"other people who changed group in all runs: {moved_total} (must be 0); goal: at most 2 s"
    )
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
