#!/usr/bin/env python
"""Smoke test of the production stack: start `scripts/stack.sh` on a fresh database, check it, stop it.

Checks, through the reverse proxy (Caddy): pages answer in each language, static files come from the
proxy (compressed, cached for a year), the headers (Permissions-Policy, no Server banner), the health
check; that a task worker delivers an email queued beside it; that the scheduler ran its first round.
Needs PostgreSQL (DATABASE_URL names the server; a database coopsip_smoke_<pid> is created and
dropped), Redis (REDIS_URL) and Caddy. Prints the time each step took; exits 1 on the first failure.

    .venv/bin/python scripts/stack_smoke.py
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START = time.monotonic()


def say(text: str) -> None:
    print(f"[{time.monotonic() - START:5.1f} s] {text}", flush=True)


def free_port() -> int:
    # The stack takes this port (Caddy) and the next one (gunicorn).
    for _attempt in range(50):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        with socket.socket() as other:
            try:
                other.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
        return port
    raise RuntimeError("no two free ports in a row")


def get(url: str, *, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (http on loopback only)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback only)
            return response.status, dict(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), error.read()


def check(condition: bool, text: str) -> None:
    if not condition:
        raise AssertionError(text)
    say(f"ok: {text}")


def main() -> int:
    server = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres").rsplit("/", 1)[0]
    database = f"coopsip_smoke_{os.getpid()}"
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="coopsip-stack-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"{server}/{database}",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
        "STACK_PORT": str(port),
        "STACK_DIR": str(folder),
        "PYTHONUNBUFFERED": "1",
    }
    log = (folder / "stack.log").open("w")
    say(f"starting the stack on port {port}, database {database}, log {folder / 'stack.log'}")
    stack = subprocess.Popen(
        [str(ROOT / "scripts" / "stack.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            if stack.poll() is not None:
                raise AssertionError(f"the stack stopped (exit {stack.returncode})")
            try:
                if get(f"{base}/health/")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("the stack did not answer /health/ within 240 s")
            time.sleep(0.5)
        say("the stack answers")

        status, headers, body = get(f"{base}/health/")
        check(status == 200 and b'"ok"' in body, "/health/ says ok")
        for language in ("nl", "fr", "en"):
            status, headers, body = get(f"{base}/{language}/")
            check(status == 200, f"/{language}/ answers 200")
        check("Server" not in headers, f"no Server banner (got {headers.get('Server')!r})")
        check("camera=()" in headers.get("Permissions-Policy", ""), "Permissions-Policy is set")
        check(headers.get("X-Frame-Options") == "DENY", "X-Frame-Options DENY")
        stylesheet = re.search(rb'href="(/static/[^"]+\.css)"', body)
        check(stylesheet is not None, "the page links a hashed stylesheet")
        assert stylesheet is not None
        status, headers, body = get(base + stylesheet.group(1).decode(), headers={"Accept-Encoding": "gzip"})
        check(status == 200 and headers.get("Content-Encoding") == "gzip", "the proxy serves it compressed")
        check("immutable" in headers.get("Cache-Control", ""), "static files are cached for a year")
        status, headers, body = get(f"{base}/en/accounts/login/")
        check(status == 200 and b"password" in body.lower(), "the login page answers")
        check(get(f"{base}/sitemap.xml")[0] == 200, "sitemap.xml answers")

        # A task worker delivers an email queued beside the stack (as a page would queue it).
        queue = (
            "from coopsip.core.mail import queue_email; from coopsip.core.models import OutgoingEmail; import time\n"
            "email = queue_email(key='smoke', to_email='smoke@example.org', subject='Smoke', body_text='Hello')\n"
            "for _ in range(300):\n"
            "    email.refresh_from_db()\n"
            "    if email.status == OutgoingEmail.Status.SENT: break\n"
            "    time.sleep(0.1)\n"
            "print(email.status)\n"
        )
        shell_env = {**env, **read_environment(folder / "environment")}
        result = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "manage.py", "shell", "-c", queue],
            cwd=ROOT,
            env=shell_env,
            capture_output=True,
            text=True,
            timeout=90,
        )
        check(result.stdout.strip().endswith("sent"), f"a worker sent the queued email ({result.stdout.strip()!r})")
        log.flush()
        output = (folder / "stack.log").read_text()
        check(output.count("Starting worker") >= 2, "two task workers run")
        check("send_queued_emails done" in output, "the scheduler ran its first round")
        return 0
    except AssertionError as error:
        say(f"FAILED: {error}")
        log.flush()
        print((folder / "stack.log").read_text()[-6000:])
        return 1
    finally:
        os.killpg(stack.pid, signal.SIGTERM)
        try:
            stack.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(stack.pid, signal.SIGKILL)
            stack.wait()
        say("stack stopped")
        drop = f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"
        subprocess.run(["psql", f"{server}/postgres", "-qc", drop], check=False)


def read_environment(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text().splitlines():
        key, _, value = line.partition("=")
        values[key] = value.strip("'")
    return values


if __name__ == "__main__":
    sys.exit(main())
