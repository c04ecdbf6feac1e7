"""Benchmark (issue 19): the public API over gunicorn on PostgreSQL, cold and at a sustained rate.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/coopsip_bench_api \\
        .venv/bin/python bench/api.py [--editions 10] [--registrants 3500] [--rate 50] [--seconds 20]

Recreates the database of DATABASE_URL (its name must contain "bench"), fills it with ``--editions``
published editions of ``--registrants`` people placed in active groups (10 x 3,500 = 35,000 people,
the issue's size), 40 decided recommendations per edition and their projects; then starts gunicorn with
the production configuration (deploy/gunicorn.conf.py, PROXY_COUNT=1: the rate limit counts per client
address as behind the proxy) and measures over loopback:

- cold: each list endpoint with a query string never asked before (the API's 60 s JSON cache misses),
  one request at a time: p50/p95 per request;
- sustained: ``--rate`` requests a second for ``--seconds`` seconds, open loop (request i is sent at
  i / rate, from many client addresses), the list endpoints in turn with a few pages each: achieved rate,
  p50/p95 measured from the moment each request was due (queueing included), errors.

Prints the command, the machine, the load average, wall and CPU seconds (gunicorn, PostgreSQL, this
process, the whole machine) and whether each goal is met: API list p95 <= 100 ms cold, and p95 <= 100 ms
at 50 requests a second with no error. Figures measured under load are not goals met: read the load.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent), str(Path(__file__).resolve().parent.parent / "src")]

from bench._common import (  # noqa: E402
    CpuMeter,
    DatabaseCpu,
    database_name,
    free_port,
    goal,
    loadavg,
    percentile,
    print_preamble,
    recreate_database,
    request,
    server_environment,
    start_gunicorn,
    stop,
    wait_healthy,
)

LISTS = (
    "/api/v1/editions/",
    "/api/v1/themes/",
    "/api/v1/phases/",
    "/api/v1/events/",
    "/api/v1/recommendations/",
    "/api/v1/statistics/",
)
GOAL_MS = 100.0


SYNTHESIS_SIZE = 4  # recommendations a synthesis bundles in add_public_records
PUBLIC_EVENTS = 30  # public events per edition
PHASES = ("registration", "group_forming", "study", "recommendations", "board")


def add_public_records() -> None:
    """What ``build_decided_editions`` leaves out and the API lists: phases, public events, and the way most
    recommendations reach the board, through a synthesis. Every active group of each bench edition that has
    no recommendation yet writes one; they go by ``SYNTHESIS_SIZE`` of one theme into a synthesis whose board decision
    is published, a public project for one decision in three. Call after ``django.setup()``."""
    from datetime import timedelta

    from django.utils import timezone

    from coopsip.editions.models import Edition, Phase
    from coopsip.events.models import Event
    from coopsip.groups.models import WorkingGroup
    from coopsip.recommendations.models import (
        BoardDecision,
        DecisionKind,
        FollowUpProject,
        Recommendation,
        RecommendationStatus,
        Synthesis,
        SynthesisSource,
        SynthesisStatus,
    )

    now = timezone.now()
    kinds = ("info_session", "networking", "partner_meeting", "other")
    for number, edition in enumerate(Edition.objects.filter(slug__startswith="bench-").order_by("slug")):
        start = now.date() - timedelta(days=365 * (len(PHASES) - number))
        Phase.objects.bulk_create(
            Phase(
                edition=edition,
                kind=kind,
                starts_on=start + timedelta(days=60 * i),
                ends_on=start + timedelta(days=60 * i + 59),
            )
            for i, kind in enumerate(PHASES)
        )
        Event.objects.bulk_create(
            Event(
                title=f"Public event {number}-{i}",
                description="Open to everyone.",
                kind=kinds[i % len(kinds)],
                starts_at=now + timedelta(days=i - number * 40),
                ends_at=now + timedelta(days=i - number * 40, hours=2),
                attendance="online",
                video_url="https://video.example.org/bench-public",
                audience="public",
                edition=edition,
            )
            for i in range(PUBLIC_EVENTS)
        )
        taken = Recommendation.objects.filter(edition=edition).values("group_id")
        groups = list(WorkingGroup.objects.filter(edition=edition).exclude(pk__in=taken).order_by("theme_id", "pk"))
        recommendations = Recommendation.objects.bulk_create(
            Recommendation(
                edition=edition,
                theme_id=group.theme_id,
                group=group,
                title=f"Recommendation {group.key}",
                language=("nl", "fr")[index % 2],
                need="A need.",
                proposal="A proposal.",
                status=RecommendationStatus.SYNTHESISED,
                submitted_at=now,
            )
            for index, group in enumerate(groups)
        )
        by_theme: dict[int, list[Recommendation]] = {}
        for recommendation in recommendations:
            by_theme.setdefault(recommendation.theme_id, []).append(recommendation)
        bundles = [
            rows[i : i + SYNTHESIS_SIZE] for rows in by_theme.values() for i in range(0, len(rows), SYNTHESIS_SIZE)
        ]
        syntheses = Synthesis.objects.bulk_create(
            Synthesis(
                edition=edition, theme_id=bundle[0].theme_id, title=f"Synthesis {i}", status=SynthesisStatus.DECIDED
            )
            for i, bundle in enumerate(bundles)
        )
        SynthesisSource.objects.bulk_create(
            SynthesisSource(synthesis=synthesis, recommendation=recommendation, position=position)
            for synthesis, bundle in zip(syntheses, bundles, strict=True)
            for position, recommendation in enumerate(bundle)
        )
        decisions = BoardDecision.objects.bulk_create(
            BoardDecision(
                synthesis=synthesis,
                decision=DecisionKind.values[index % len(DecisionKind.values)],
                answer="The board's answer.",
                meeting_date=now.date(),
                decided_at=now,
                published_at=now,
            )
            for index, synthesis in enumerate(syntheses)
        )
        FollowUpProject.objects.bulk_create(
            FollowUpProject(decision=decision, title="A project", public=True) for decision in decisions[::3]
        )
    print(
        f"data: {Recommendation.objects.count()} recommendations ({SynthesisSource.objects.count()} through "
        f"{Synthesis.objects.count()} syntheses), {Event.objects.filter(audience='public').count()} public events, "
        f"{Phase.objects.count()} phases"
    )


def analyse() -> None:
    """ANALYZE, as autovacuum does soon after a bulk load: without it the planner guesses from empty tables."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()


def fill(url: str, editions: int, registrants: int, *, reuse: bool = False) -> None:
    """The data set, written in this process through the ORM (the server is not running yet).

    ``reuse``: keep what an earlier run (or bench/stats.py) left in the database, adding only what is missing."""
    setup_django(url)
    from django.core.management import call_command

    from bench.groups_data import build_decided_editions, print_decided_editions
    from coopsip.editions.models import Edition
    from coopsip.recommendations.models import Synthesis

    call_command("migrate", verbosity=0)
    if reuse and Edition.objects.filter(slug__startswith="bench-").exists():
        print_decided_editions()
    else:
        build_decided_editions(editions, registrants)
    if not Synthesis.objects.filter(edition__slug__startswith="bench-").exists():
        add_public_records()
    analyse()
    from django.db import connections

    connections.close_all()


def ms(values: list[float]) -> str:
    return f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--editions", type=int, default=10)
    parser.add_argument("--registrants", type=int, default=3500)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--cold", type=int, default=20, help="cold requests per list endpoint")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the data an earlier run or bench/stats.py left in the database (else it is dropped and built)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres") or "bench" not in database_name(url):
        raise SystemExit("Set DATABASE_URL to a throw-away PostgreSQL database whose name contains 'bench'.")
    print_preamble()
    if not args.reuse:
        recreate_database(url)
    fill(url, args.editions, args.registrants, reuse=args.reuse)
    data_dir = tempfile.mkdtemp()
    env = server_environment(url, data_dir) | {"PROXY_COUNT": "1"}
    port = free_port()
    server = start_gunicorn(env, port, args.workers, args.threads, Path(data_dir) / "gunicorn.log")
    try:
        wait_healthy(port, server)
        print(f"server: gunicorn {args.workers} workers x {args.threads} threads; load average {loadavg()}")

        # Cold: a query string never asked before, one request at a time.
        cold: dict[str, list[float]] = {path: [] for path in LISTS}
        with CpuMeter(server.pid) as meter, DatabaseCpu(url) as database:
            for index in range(args.cold):
                for number, path in enumerate(LISTS):
                    query = "?lang=" + ("nl", "fr", "en")[index % 3]
                    if path == "/api/v1/statistics/":
                        if index >= 3:  # it takes only lang: three distinct requests
                            continue
                    else:
                        query += f"&limit={index % 100 + 1}&page={index // 100 + 1}"
                    address = f"10.1.{number}.{index % 250}"
                    started = time.perf_counter()
                    response, _body = request(port, "GET", path + query, {"X-Forwarded-For": address})
                    cold[path].append(time.perf_counter() - started)
                    assert response.status == 200, (path, query, response.status)
        every_cold = [value for values in cold.values() for value in values]
        for path, values in cold.items():
            print(f"cold {path}: {ms(values)} ({len(values)} requests)")
        print(f"cold, all lists: {ms(every_cold)}; {meter.reading.line() if meter.reading else ''}")
        print(f"cold: {database.line()}")

        # Sustained: open loop at --rate requests a second.
        total = int(args.rate * args.seconds)
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        lock = threading.Lock()
        start = time.perf_counter() + 0.5

        def one(index: int) -> None:
            due = start + index / args.rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            path = LISTS[index % len(LISTS)]
            query = f"?page={index // len(LISTS) % 3 + 1}" if path != "/api/v1/statistics/" else ""
            try:
                response, _body = request(port, "GET", path + query, {"X-Forwarded-For": f"10.2.{index % 200}.1"})
                status = response.status
            except OSError:
                status = 0
            with lock:
                latencies.append(time.perf_counter() - due)
                statuses[status] = statuses.get(status, 0) + 1

        with CpuMeter(server.pid) as meter, DatabaseCpu(url) as database, ThreadPoolExecutor(max_workers=64) as pool:
            list(pool.map(one, range(total)))
        wall = meter.reading.wall if meter.reading else args.seconds
        achieved = total / max(wall - 0.5, 0.001)
        errors = sum(n for status, n in statuses.items() if status != 200)
        print(
            f"sustained: {total} requests due at {args.rate:.0f}/s, achieved {achieved:.1f}/s; {ms(latencies)} "
            f"(from the moment each was due); statuses {dict(sorted(statuses.items()))}"
        )
        print(f"sustained: {meter.reading.line() if meter.reading else ''}")
        print(f"sustained: {database.line()}")
        cold_p95 = percentile(every_cold, 0.95) * 1000
        hot_p95 = percentile(latencies, 0.95) * 1000
        print(goal(cold_p95 <= GOAL_MS, f"API list p95 <= {GOAL_MS:.0f} ms cold (measured {cold_p95:.0f} ms)"))
        print(
            goal(
                hot_p95 <= GOAL_MS and errors == 0 and achieved >= 0.95 * args.rate,
                f"p95 <= {GOAL_MS:.0f} ms at {args.rate:.0f} requests/s with no error "
                f"(measured {hot_p95:.0f} ms, {achieved:.1f}/s, {errors} errors)",
            )
        )
        print(f"load average at end: {loadavg()}")
    finally:
        stop(server)


if __name__ == "__main__":
    main()
