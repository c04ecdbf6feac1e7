"""Visitors' sign-ups from one address are limited through the sign-up page, in every web process together.

``core/tests/test_site_url_and_limits.py`` shows two processes share the counter of ``ratelimit``; here
two processes post the sign-up form itself (30 posts from one address, 15 each, one process after the
other so that SQLite is never written by both at once) against one database and one Redis: exactly the
limit gets a place, every other post is refused with a message saying why.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from coopsip.core.tests.test_site_url_and_limits import redis_url
from coopsip.events.views import VISITOR_SIGNUPS_PER_HOUR

__all__ = ["redis_url"]  # a private redis-server, shared with the ratelimit test

PREPARE = """
import django
django.setup()
from datetime import timedelta
from django.core.management import call_command
from django.utils import timezone
from coopsip.events import services
from coopsip.events.models import Attendance, Audience
call_command("migrate", verbosity=0)
start = timezone.now() + timedelta(days=7)
event = services.create_event(by=None, data=services.EventInput(
    titles={"en": "Open afterwork"}, starts_at=start, ends_at=start + timedelta(hours=2),
    attendance=Attendance.ONLINE, video_url="https://video.example.org/open", audience=Audience.PUBLIC,
))
print(event.pk)
"""

POST_SIGN_UPS = """
import django, sys
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
setup_test_environment()
address, event, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
client = Client(REMOTE_ADDR=address)
for number in range(first, first + 15):
    response = client.post(
        f"/en/events/{event}/sign-up/", {"name": "Visitor", "email": f"visitor{number}@example.org"}
    )
    refused = "Too many sign-ups came from your connection in the last hour." in response.content.decode()
    print(response.status_code, "refused" if refused else "")
"""


def _run(script: str, *args: str, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=300, check=True
    )
    return done.stdout.strip().splitlines()


def test_30_visitor_sign_ups_from_one_address_through_two_processes_give_the_limit_in_all(
    redis_url: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "coopsip.settings",
        "DATA_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DATABASE_URL", None)  # one SQLite file in tmp_path, for both processes
    event = _run(PREPARE, env=env)[-1]
    # An address of its own (a documentation range), so that a Redis given by CI holds no earlier count for it.
    address = f"2001:db8::{os.getpid() % 65536:x}:{time.time_ns() % 65536:x}"

    answers = [
        line.split()
        for first in (0, 15)
        for line in _run(POST_SIGN_UPS, address, event, str(first), env=env)
        if line[:3].isdigit()
    ]

    assert len(answers) == 30
    allowed = [answer for answer in answers if answer[0] == "303"]
    refused = [answer for answer in answers if answer == ["429", "refused"]]
    # Not the limit in each process: the limit in all.
    assert len(allowed) == VISITOR_SIGNUPS_PER_HOUR
    assert len(refused) == 30 - VISITOR_SIGNUPS_PER_HOUR
    assert answers[:VISITOR_SIGNUPS_PER_HOUR] == allowed
