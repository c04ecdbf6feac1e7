"""What the HTTP benchmarks share: the machine and its load, CPU accounting, a throw-away PostgreSQL
database, gunicorn with the production settings, logged-in members, and small HTTP helpers.

Each benchmark prints its command, the machine and the load first (``print_preamble``), and CPU seconds
beside wall seconds (``CpuMeter``): the machine is shared, so a wall time means little without them.
"""

from __future__ import annotations

import http.client
import os
import platform
import re
import secrets
import socket
import string
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


# ---------------------------------------------------------------------------
# The machine


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> str:
    return (
        f"{platform.node()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def print_preamble() -> None:
    """The command as typed, the machine and the load average: the first lines of every benchmark."""
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print("machine:", machine())
    print(f"load average at start: {loadavg()}")


def machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, every process of every user (/proc/stat)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def _proc_stats() -> list[tuple[int, int, str, float]]:
    """(pid, parent pid, name, CPU seconds) of every process visible here."""
    ticks = os.sysconf("SC_CLK_TCK")
    rows = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat.split("(", 1)[1].rsplit(")", 1)[0]
        parts = stat.rsplit(")", 1)[1].split()
        rows.append((int(entry.name), int(parts[1]), name, (int(parts[11]) + int(parts[12])) / ticks))
    return rows


def process_tree_cpu(root_pid: int) -> float:
    """User + system CPU seconds of ``root_pid`` and its children that are alive now (gunicorn's workers)."""
    return sum(cpu for pid, ppid, _name, cpu in _proc_stats() if root_pid in (pid, ppid))


def postgres_cpu() -> float:
    """CPU seconds of the PostgreSQL processes visible here (0 if the server is elsewhere)."""
    return sum(cpu for _pid, _ppid, name, cpu in _proc_stats() if name.startswith("postgres"))


@dataclass
class CpuReading:
    wall: float
    server: float
    postgres: float
    own: float
    machine_busy: float
    machine_total: float

    def line(self) -> str:
        return (
            f"wall {self.wall:.2f} s; CPU: gunicorn {self.server:.2f} s, PostgreSQL {self.postgres:.2f} s, "
            f"load generator {self.own:.2f} s, whole machine busy {self.machine_busy:.1f} of "
            f"{self.machine_total:.1f} CPU-seconds (other work included); load average {loadavg()}"
        )


class CpuMeter:
    """Wall and CPU seconds of one measured stretch: ``with CpuMeter(server_pid) as meter: ...; meter.reading``."""

    def __init__(self, server_pid: int | None = None) -> None:
        self.server_pid = server_pid
        self.reading: CpuReading | None = None

    def _sample(self) -> tuple[float, float, float, float, float, float]:
        busy, total = machine_busy_seconds()
        server = process_tree_cpu(self.server_pid) if self.server_pid else 0.0
        return time.perf_counter(), server, postgres_cpu(), time.process_time(), busy, total

    def __enter__(self) -> CpuMeter:
        self._start = self._sample()
        return self

    def __exit__(self, *_exc: object) -> None:
        end = self._sample()
        self.reading = CpuReading(*(b - a for a, b in zip(self._start, end, strict=True)))


def _cpu_of(pids: set[int]) -> dict[int, float]:
    return {pid: cpu for pid, _ppid, _name, cpu in _proc_stats() if pid in pids}


class DatabaseCpu:
    """CPU seconds of the PostgreSQL backends serving one database (``url``), not of the whole server:
    ``with DatabaseCpu(url) as db: ...; db.seconds``.

    The backends are found in pg_stat_activity at the start and at the end (this meter's own connection
    left out) and read in /proc/<pid>/stat: a backend that starts during the stretch counts from zero; one
    that ends before the end is missed (with CONN_MAX_AGE the server's connections stay open). Other
    databases on the same server (other people's tests) are not counted; ``postgres_cpu`` counts them all.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        self.seconds = 0.0
        self.backends = 0

    def _backends(self) -> set[int]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ).fetchall()
        return {row[0] for row in rows}

    def __enter__(self) -> DatabaseCpu:
        self._start = _cpu_of(self._backends())
        return self

    def __exit__(self, *_exc: object) -> None:
        end = _cpu_of(self._backends())
        self.backends = len(end)
        self.seconds = sum(cpu - self._start.get(pid, 0.0) for pid, cpu in end.items())

    def line(self) -> str:
        return f"CPU of the {self.backends} PostgreSQL backends of this database {self.seconds:.2f} s"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def goal(met: bool, text: str) -> str:
    return f"goal {'MET' if met else 'NOT met'}: {text}"


# ---------------------------------------------------------------------------
# A throw-away database and the server's settings


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _maintenance(url: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def recreate_database(url: str) -> None:
    """Drop and create the database of ``url``, through the ``postgres`` maintenance database."""
    import psycopg
    from psycopg import sql

    name = database_name(url)
    if name in {"test", "postgres", "template0", "template1"} or "bench" not in name:
        raise SystemExit(f"refusing to drop database {name!r}: give one whose name contains 'bench'")
    with psycopg.connect(_maintenance(url), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(_maintenance(url), autocommit=True) as conn:
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


def create_people(count: int) -> list[str]:
    """``count`` members linked to the register, each logged in: their session keys, in order.

    In bulk through the ORM with unusable passwords (no hashing); the sessions are written directly.
    """
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


# ---------------------------------------------------------------------------
# gunicorn, with the production configuration (deploy/gunicorn.conf.py)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, workers: int, threads: int, log: Path) -> subprocess.Popen[bytes]:
    """gunicorn as deployed (deploy/gunicorn.conf.py), on ``port`` with ``workers`` × ``threads``."""
    command = [
        str(VENV_BIN / "gunicorn"),
        "coopsip.wsgi",
        "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--timeout", "60",
        "--max-requests", "0",  # no recycled worker mid-measurement (its CPU seconds would vanish from the count)
        "--log-level", "warning",
        "--access-logfile", "/dev/null",
    ]  # fmt: skip
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)  # noqa: S603


def wait_healthy(port: int, process: subprocess.Popen[bytes], timeout: float = 120) -> None:
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
# HTTP


def request(
    port: int, method: str, path: str, headers: dict[str, str], body: str | None = None
) -> tuple[http.client.HTTPResponse, bytes]:
    """One request on a new connection (as a browser after an idle page): the response and its body."""
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
