"""Benchmark: a burst of simultaneous sign-ups for one event, against a running server.

N members, logged in, have the event page open and press "sign up" for an
event with C seats, all at once or --at-once at a time. This measures the
burst end to end over HTTP (gunicorn with deploy/gunicorn.conf.py on loopback,
production settings, PostgreSQL) and checks the outcome in the database:
exactly C confirmed, N - C waiting, the first C in the order of arrival
confirmed, and no server error; a 503 "busy" is counted as turned away (and
retried once after its Retry-After, as a person would).

Without --people it runs the issue's two bursts and says whether each goal is
met: 500 people for 100 seats all at once within 5 s, and 2,000 for 100 seats
with 100 at once; both with exactly 100 confirmed, 0 turned away, arrival order
kept. Prints the command, the machine, the load, wall and CPU seconds
(gunicorn, PostgreSQL, the whole machine), medians and p95.

    .venv/bin/python bench/signup_burst.py [--runs 3] [--people N --seats C [--at-once K]]
        [--workers 2] [--threads 1] [--database-url postgres://postgres@127.0.0.1:5432/coopsip_bench]
        [--keep-db]

**It drops and recreates the database of --database-url** (its name must contain
"bench"; it refuses `test`, the test suite's). Each run puts a new event on the
same people. Exits non-zero if any goal is not met (the 5 s goal is printed,
not enforced: a loaded machine says nothing about it).

Setup is in this process with the server's settings (same environment): the
people are created in bulk through the ORM with unusable passwords (no
hashing), linked to member entries of the register, and logged in by writing
their sessions directly (django.contrib.sessions + the auth session keys).
The clients are threads using http.client (no extra dependency); each opens
a new connection per request, as a browser would after an idle page.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # the HTTP benchmarks' shared plumbing
    CSRF_FIELD,
    ROOT,
    CpuMeter,
    CpuReading,
    cookie_from,
    create_people,
    database_name,
    drop_database,
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

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/coopsip_bench"
# Measured on 2 cores (see bench/README.md): 2 sync workers did best (3 within noise, gthread slower).
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1


# ---------------------------------------------------------------------------
# Data (in this process, with the server's settings)


def create_event(seats: int, run: int) -> tuple[int, str, str]:
    """A members' event with ``seats`` seats: its id, page path and sign-up path."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone, translation

    from coopsip.events.models import Audience
    from coopsip.events.services import EventInput, create_event

    starts = timezone.now().replace(microsecond=0) + timedelta(days=30)
    event = create_event(
        by=None,
        data=EventInput(
            titles={"nl": f"Burst {run}", "en": f"Burst {run}"},
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            address="Coupure Rechts 88, 9000 Gent",
            capacity=seats,
            audience=Audience.MEMBERS,
        ),
    )
    with translation.override("nl"):
        return (
            event.pk,
            reverse("events:detail", kwargs={"pk": event.pk}),
            reverse("events:sign_up", kwargs={"pk": event.pk}),
        )


def final_counts(event_id: int) -> Counter[str]:
    from django.db.models import Count

    from coopsip.events.models import SignUp

    rows = SignUp.objects.filter(event_id=event_id).values("status").annotate(n=Count("pk"))
    return Counter({row["status"]: row["n"] for row in rows})


def order_kept(event_id: int, seats: int) -> bool:
    """The first ``seats`` sign-ups in the order they were queued are the confirmed ones, the rest wait."""
    from coopsip.events.models import SignUp, SignUpStatus

    statuses = list(
        SignUp.objects.filter(event_id=event_id).order_by("queued_at", "pk").values_list("status", flat=True)
    )
    return all(
        status == (SignUpStatus.CONFIRMED if n < seats else SignUpStatus.WAITING) for n, status in enumerate(statuses)
    )


# ---------------------------------------------------------------------------
# The clients


@dataclass(frozen=True)
class Scenario:
    people: int
    seats: int
    at_once: int  # sign-ups in flight at the same moment (people arriving over a few seconds)

    def __str__(self) -> str:
        together = "all at once" if self.at_once >= self.people else f"{self.at_once} at once"
        return f"{self.people:,} people for {self.seats:,} seats, {together}"


# The issue's two bursts; the first must end within 5 s, both with nobody turned away.
ISSUE_SCENARIOS = (Scenario(500, 100, 500), Scenario(2000, 100, 100))
WALL_GOAL_S = 5.0


@dataclass
class Outcome:
    status: int = 0  # final status of the sign-up (after the retry of a 503)
    first_status: int = 0
    latency: float = 0.0  # of the first POST
    retried: bool = False
    error: str = ""


@dataclass
class Burst:
    outcomes: list[Outcome] = field(default_factory=list)
    wall: float = 0.0
    cpu: CpuReading | None = None


def stamped(headers: dict[str, str]) -> dict[str, str]:
    """As the proxy does (deploy/Caddyfile): the moment the request arrived, for the bounded queue."""
    return {**headers, "X-Request-Start": f"t={int(time.time() * 1000)}"}


def client(
    port: int,
    session_key: str,
    page: str,
    action: str,
    barrier: threading.Barrier,
    gates: tuple[threading.Semaphore, threading.Semaphore],
    outcome: Outcome,
) -> None:
    page_gate, burst_gate = gates
    origin = f"http://127.0.0.1:{port}"
    token = csrf_cookie = None
    try:
        with page_gate:  # the page loads are preparation, not the burst: a few at a time
            response, body = request(port, "GET", page, {"Cookie": f"sessionid={session_key}"})
        if response.status == 200:
            match = CSRF_FIELD.search(body.decode())
            token = match.group(1) if match else None
            csrf_cookie = cookie_from(response, "csrftoken")
        if not token or not csrf_cookie:
            outcome.error = f"page: {response.status}, no CSRF form"
    except Exception as error:
        outcome.error = f"page: {error!r}"
    barrier.wait()
    if outcome.error:
        return
    headers = {
        "Cookie": f"sessionid={session_key}; csrftoken={csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + page,
    }
    form = urlencode({"csrfmiddlewaretoken": token})
    try:
        with burst_gate:
            start = time.perf_counter()
            response, _body = request(port, "POST", action, stamped(headers), form)
            outcome.latency = time.perf_counter() - start
        outcome.first_status = outcome.status = response.status
        if response.status == 503:
            outcome.retried = True
            time.sleep(float(response.getheader("Retry-After") or 1))
            response, _body = request(port, "POST", action, stamped(headers), form)
            outcome.status = response.status
    except Exception as error:
        outcome.error = f"sign-up: {error!r}"


def run_burst(port: int, server_pid: int, sessions: list[str], page: str, action: str, at_once: int) -> Burst:
    burst = Burst(outcomes=[Outcome() for _ in sessions])
    barrier = threading.Barrier(len(sessions) + 1)
    gates = (threading.Semaphore(8), threading.Semaphore(at_once))
    threading.stack_size(256 * 1024)
    threads = [
        threading.Thread(target=client, args=(port, key, page, action, barrier, gates, outcome), daemon=True)
        for key, outcome in zip(sessions, burst.outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()  # every page loaded: the burst starts, and what it costs is measured from here
    with CpuMeter(server_pid) as meter:
        for thread in threads:
            thread.join()
    burst.cpu = meter.reading
    assert burst.cpu is not None
    burst.wall = burst.cpu.wall
    return burst


def retries_logged(log: Path) -> int:
    """How many sign-ups the service tried again after a lock wait (its WARNING lines in the gunicorn log)."""
    if not log.exists():
        return 0
    return sum("tried again" in line for line in log.read_text(errors="replace").splitlines())


def measure(port: int, server_pid: int, sessions: list[str], scenario: Scenario, runs: int, log: Path) -> list[str]:
    """``runs`` bursts of ``scenario``, each on a new event: prints each and the medians; returns failures."""
    from django.db import connections

    from coopsip.events.models import SignUpStatus

    failures: list[str] = []
    walls, cpus, p50s, p95s, turned_away = [], [], [], [], []
    print(f"\n== {scenario} ({runs} runs) ==")
    for run in range(1, runs + 1):
        event_id, page, action = create_event(scenario.seats, run)
        connections.close_all()
        retried_before = retries_logged(log)
        burst = run_burst(port, server_pid, sessions[: scenario.people], page, action, scenario.at_once)
        retried = retries_logged(log) - retried_before
        assert burst.cpu is not None
        latencies = [o.latency for o in burst.outcomes if o.first_status]
        first = Counter(o.first_status for o in burst.outcomes if o.first_status)
        final = Counter(o.status for o in burst.outcomes if o.status)
        errors = [o.error for o in burst.outcomes if o.error]
        counts = final_counts(event_id)
        in_order = order_kept(event_id, scenario.seats)
        connections.close_all()
        confirmed, waiting = counts[SignUpStatus.CONFIRMED], counts[SignUpStatus.WAITING]
        p50, p95 = (percentile(latencies, q) if latencies else float("nan") for q in (0.50, 0.95))
        walls.append(burst.wall)
        cpus.append(burst.cpu.server + burst.cpu.postgres)
        p50s.append(p50)
        p95s.append(p95)
        turned_away.append(first.get(503, 0))
        print(
            f"run {run}: burst {burst.wall:5.2f} s ({scenario.people / burst.wall:6.1f} sign-ups/s), POST latency "
            f"p50 {p50:5.2f} s p95 {p95:5.2f} s | first answers {dict(sorted(first.items()))}, after one retry "
            f"{dict(sorted(final.items()))} | database: {confirmed} confirmed, {waiting} waiting, "
            f"arrival order {'kept' if in_order else 'NOT kept'} | tried again inside the service: {retried}"
        )
        print(f"  {burst.cpu.line()}")
        for error in sorted(set(errors))[:5]:
            print(f"  error ({errors.count(error)}×): {error}")
        server_errors = sum(n for status, n in (first + final).items() if status >= 500 and status != 503)
        if confirmed != scenario.seats or waiting != scenario.people - scenario.seats or not in_order:
            failures.append(f"{scenario}, run {run}: {confirmed} confirmed, {waiting} waiting, order kept {in_order}")
        if server_errors or errors or final.get(303, 0) != scenario.people:
            failures.append(f"{scenario}, run {run}: {server_errors} 5xx, {len(errors)} client errors, {dict(final)}")
    wall = statistics.median(walls)
    print(
        f"median of {runs}: burst {wall:.2f} s wall, {statistics.median(cpus):.2f} s CPU (gunicorn + PostgreSQL), "
        f"POST latency p50 {statistics.median(p50s):.2f} s p95 {statistics.median(p95s):.2f} s; "
        f"turned away (503) {sum(turned_away)} in all runs; load average {loadavg()}"
    )
    if scenario.at_once >= scenario.people and scenario.seats * 5 == scenario.people:
        print(goal(wall <= WALL_GOAL_S, f"the burst within {WALL_GOAL_S:.0f} s (median {wall:.2f} s)"))
    print(goal(not any(turned_away), f"nobody turned away ({sum(turned_away)} answered 503)"))
    print(goal(not failures, f"exactly {scenario.seats} confirmed, arrival order kept, no 5xx"))
    if any(turned_away):
        failures.append(f"{scenario}: {sum(turned_away)} turned away with 503")
    return failures


# ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, help="one burst of this many people instead of the issue's two")
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--at-once", type=int, help="sign-ups in flight at once (default: everyone)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="threads per worker (>1: gthread)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and recreated; name must contain 'bench'")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look afterwards")
    args = parser.parse_args()
    if args.people is not None:
        scenarios: tuple[Scenario, ...] = (Scenario(args.people, args.seats, args.at_once or args.people),)
    else:
        scenarios = ISSUE_SCENARIOS
    if any(s.seats < 1 or s.people < 1 or s.at_once < 1 for s in scenarios):
        parser.error("--people, --seats and --at-once must be at least 1")

    print_preamble()
    data_dir = tempfile.mkdtemp(prefix="signup-burst-")
    env = server_environment(args.database_url, data_dir)
    server: subprocess.Popen[bytes] | None = None
    created = False
    failures: list[str] = []
    try:
        recreate_database(args.database_url)
        created = True
        os.environ.update(env)  # this process sets up the data with the server's settings
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection, connections

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG off: the manifest is needed
        sessions = create_people(max(s.people for s in scenarios))
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        connections.close_all()
        setup = time.perf_counter() - started

        port = free_port()
        server = start_gunicorn(env, port, args.workers, args.threads, Path(data_dir) / "gunicorn.log")
        wait_healthy(port, server)
        print(
            f"PostgreSQL {pg_version} on loopback; gunicorn (deploy/gunicorn.conf.py) {args.workers} workers × "
            f"{args.threads} thread{'s' if args.threads > 1 else ''} "
            f"({'gthread' if args.threads > 1 else 'sync'}); setup {setup:.1f} s; each sign-up stamped "
            "X-Request-Start as the proxy does (the bounded queue applies)"
        )
        for scenario in scenarios:
            failures += measure(port, server.pid, sessions, scenario, args.runs, Path(data_dir) / "gunicorn.log")
    finally:
        stop(server)
        if created and not args.keep_db:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: S110 - Django may not be set up yet
                pass
            drop_database(args.database_url)
        elif created:
            print(f"kept database {database_name(args.database_url)!r}")
        log = Path(data_dir) / "gunicorn.log"
        if log.exists() and log.stat().st_size:
            print("gunicorn log (tail):", *log.read_text(errors="replace").splitlines()[-10:], sep="\n  ")
        shutil.rmtree(data_dir, ignore_errors=True)
    print(f"load average at the end: {loadavg()}")
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("OK: every burst exactly as many confirmed as seats, in arrival order, nobody turned away, no 5xx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
