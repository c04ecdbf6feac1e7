"""Benchmark: a burst of simultaneous sign-ups for one event, against a running server.

N members, logged in, have the event page open; at the same moment they all
press "sign up" for an event with C seats. This measures the burst end to end
over HTTP (gunicorn on loopback, production-like settings, PostgreSQL) and
checks the outcome in the database: exactly C confirmed, N - C waiting, and
no server error (a 503 "try again" is counted apart and retried once after
its Retry-After).

    .venv/bin/python bench/signup_burst.py [--people 500] [--seats 100] [--runs 3]
        [--workers 2] [--threads 1] [--database-url postgres://postgres@127.0.0.1:5432/coopsip_bench]
        [--keep-db]

**It drops and recreates the database of --database-url** (its name must contain
"bench"; it refuses `test`, the test suite's). Each run puts a new event on the
same people. Prints every run and the medians across runs; exits non-zero if a
run does not end with exactly C confirmed and N - C waiting, or if any request
got a 5xx other than a counted 503.

Setup is in this process with the server's settings (same environment): the
people are created in bulk through the ORM with unusable passwords (no
hashing), linked to member entries of the register, and logged in by writing
their sessions directly (django.contrib.sessions + the auth session keys).
The clients are threads using http.client (no extra dependency); each opens
a new connection per request, as a browser would after an idle page.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import re
import secrets
import shutil
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/coopsip_bench"
# Measured on 2 cores (see bench/README.md): 2 sync workers did best (3 within noise, gthread slower).
DEFAULT_WORKERS = 2
DEFAULT_THREADS = 1
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# ---------------------------------------------------------------------------
# Database and settings


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def recreate_database(url: str) -> None:
    """Drop and create the database of ``url``, through the ``postgres`` maintenance database."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if name in {"test", "postgres", "template0", "template1"} or "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: give one whose name contains 'bench'")
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url))))


def server_environment(url: str, data_dir: str) -> dict[str, str]:
    """Production-like settings (the variables settings.py reads), for plain http on loopback.

    SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE follow DEBUG and have no
    variable of their own: the cookies are marked Secure, which matters to a
    browser only; the clients here send the Cookie header themselves.
    """
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coopsip.settings",
        "PYTHONPATH": str(ROOT / "src"),
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "TASKS_BACKEND": "database",  # as in production: emails are queued rows, sent by the worker
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DATA_DIR": data_dir,
        "STATIC_ROOT": str(Path(data_dir) / "static"),
        "MEDIA_ROOT": str(Path(data_dir) / "media"),
        "LOG_LEVEL": "WARNING",
    }


# ---------------------------------------------------------------------------
# Data (in this process, with the server's settings)


def create_people(count: int) -> list[str]:
    """``count`` members linked to the register, each logged in: their session keys, in order."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from coopsip.members.models import MembershipStatus, RegisterEntry

    User = get_user_model()
    now = timezone.now()
    users = User.objects.bulk_create(
        User(
            email=f"person{n}@bench.example.org",
            first_name=f"Voornaam{n}",
            last_name=f"Achternaam{n}",
            password=make_password(None),  # unusable: no hashing
        )
        for n in range(count)
    )
    RegisterEntry.objects.bulk_create(
        RegisterEntry(
            member_number=f"B{n:06d}",
            first_name=user.first_name,
            last_name=user.last_name,
            email=user.email,
            status=MembershipStatus.MEMBER,
            user=user,
            verified_at=now,
        )
        for n, user in enumerate(users)
    )
    store = SessionStore()
    alphabet = string.ascii_lowercase + string.digits
    sessions = [
        Session(
            session_key="".join(secrets.choice(alphabet) for _ in range(32)),
            session_data=store.encode(
                {
                    SESSION_KEY: str(user.pk),
                    BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash(),
                }
            ),
            expire_date=now + timezone.timedelta(days=1),
        )
        for user in users
    ]
    Session.objects.bulk_create(sessions)
    return [session.session_key for session in sessions]


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


# ---------------------------------------------------------------------------
# The server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> subprocess.Popen[bytes]:
    command = [
        str(VENV_BIN / "gunicorn"),
        "coopsip.wsgi",
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--backlog", "2048",
        "--timeout", "60",
        "--log-level", "warning",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/health/")
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /health/ in time")


def stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# ---------------------------------------------------------------------------
# The clients


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


def request(port: int, method: str, path: str, headers: dict[str, str], body: str | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


def cookie_from(response: http.client.HTTPResponse, name: str) -> str | None:
    for header in response.headers.get_all("Set-Cookie") or []:
        first = header.split(";", 1)[0]
        key, _, value = first.partition("=")
        if key.strip() == name:
            return value.strip()
    return None


def client(
    port: int,
    session_key: str,
    page: str,
    action: str,
    barrier: threading.Barrier,
    gate: threading.Semaphore,
    outcome: Outcome,
) -> None:
    origin = f"http://127.0.0.1:{port}"
    token = csrf_cookie = None
    try:
        with gate:  # the page loads are preparation, not the burst: a few at a time
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
        start = time.perf_counter()
        response, _body = request(port, "POST", action, headers, form)
        outcome.latency = time.perf_counter() - start
        outcome.first_status = outcome.status = response.status
        if response.status == 503:
            outcome.retried = True
            time.sleep(float(response.getheader("Retry-After") or 1))
            response, _body = request(port, "POST", action, headers, form)
            outcome.status = response.status
    except Exception as error:
        outcome.error = f"sign-up: {error!r}"


def run_burst(port: int, sessions: list[str], page: str, action: str) -> Burst:
    burst = Burst(outcomes=[Outcome() for _ in sessions])
    barrier = threading.Barrier(len(sessions) + 1)
    gate = threading.Semaphore(8)
    threading.stack_size(256 * 1024)
    threads = [
        threading.Thread(target=client, args=(port, key, page, action, barrier, gate, outcome), daemon=True)
        for key, outcome in zip(sessions, burst.outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    burst.wall = time.perf_counter() - start
    return burst


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


# ---------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS, help="threads per worker (>1: gthread)")
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and recreated; name must contain 'bench'")
    parser.add_argument("--keep-db", action="store_true", help="leave the database for a look afterwards")
    args = parser.parse_args()
    if args.seats < 1 or args.people < 1:
        parser.error("--people and --seats must be at least 1")

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

        from coopsip.events.models import SignUpStatus

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)  # DEBUG off: the manifest is needed
        sessions = create_people(args.people)
        events = [create_event(args.seats, run) for run in range(args.runs)]
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        connections.close_all()
        setup = time.perf_counter() - started

        port = free_port()
        server = start_gunicorn(env, port, args.workers, args.threads, Path(data_dir) / "gunicorn.log")
        wait_healthy(port, server)

        print(
            f"machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, PostgreSQL {pg_version}"
        )
        print(
            f"people: {args.people}, seats: {args.seats}, runs: {args.runs}, gunicorn: {args.workers} workers × "
            f"{args.threads} thread{'s' if args.threads > 1 else ''} "
            f"({'gthread' if args.threads > 1 else 'sync'}), setup {setup:.1f} s"
        )
        walls, rates, p50s, p95s, p99s = [], [], [], [], []
        for run, (event_id, page, action) in enumerate(events, start=1):
            burst = run_burst(port, sessions, page, action)
            latencies = [o.latency for o in burst.outcomes if o.first_status]
            first = Counter(o.first_status for o in burst.outcomes if o.first_status)
            final = Counter(o.status for o in burst.outcomes if o.status)
            errors = [o.error for o in burst.outcomes if o.error]
            retried = sum(o.retried for o in burst.outcomes)
            counts = final_counts(event_id)
            connections.close_all()
            confirmed, waiting = counts[SignUpStatus.CONFIRMED], counts[SignUpStatus.WAITING]
            rate = args.people / burst.wall
            p50, p95, p99 = (percentile(latencies, q) if latencies else float("nan") for q in (0.50, 0.95, 0.99))
            walls.append(burst.wall)
            rates.append(rate)
            p50s.append(p50)
            p95s.append(p95)
            p99s.append(p99)
            print(
                f"run {run}: burst {burst.wall:5.2f} s, {rate:6.1f} sign-ups/s, latency p50 {p50:5.2f} s "
                f"p95 {p95:5.2f} s p99 {p99:5.2f} s | first responses {dict(sorted(first.items()))}, "
                f"503 retried {retried} → final {dict(sorted(final.items()))} | "
                f"database: {confirmed} confirmed, {waiting} waiting"
            )
            for error in sorted(set(errors))[:5]:
                print(f"  error ({errors.count(error)}×): {error}")
            server_errors = sum(n for status, n in final.items() if status >= 500)
            server_errors += sum(n for status, n in first.items() if status >= 500 and status != 503)
            if confirmed != args.seats or waiting != args.people - args.seats:
                failures.append(f"run {run}: {confirmed} confirmed, {waiting} waiting")
            if server_errors or errors or final.get(303, 0) != args.people:
                failures.append(f"run {run}: {server_errors} server errors, {len(errors)} client errors, {dict(final)}")
        print(
            f"median of {args.runs}: burst {statistics.median(walls):.2f} s, "
            f"{statistics.median(rates):.1f} sign-ups/s, latency p50 {statistics.median(p50s):.2f} s "
            f"p95 {statistics.median(p95s):.2f} s p99 {statistics.median(p99s):.2f} s"
        )
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
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print(f"OK: every run exactly {args.seats} confirmed and {args.people - args.seats} waiting, no 5xx")
    return 0


if __name__ == "__main__":
    sys.exit(main())
