"""One address for every emailed link (checked at start-up), and rate limits shared by every process."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from conftest import client_for, make_person
from coopsip.core.checks import check_shared_cache, check_site_url, site_url_problems
from coopsip.events.views import VISITOR_SIGNUPS_PER_HOUR

# --- SITE_URL ------------------------------------------------------------------------------------


def test_a_production_site_url_must_be_https_on_an_allowed_host() -> None:
    hosts = ["sip.example.org"]
    assert site_url_problems(site_url="https://sip.example.org", debug=False, allowed_hosts=hosts) == []
    assert site_url_problems(site_url="http://127.0.0.1:8000", debug=True, allowed_hosts=hosts) == []
    problems = site_url_problems(site_url="http://127.0.0.1:8000", debug=False, allowed_hosts=[*hosts, "127.0.0.1"])
    assert any("https" in problem for problem in problems) and any("this machine" in problem for problem in problems)
    assert "127.0.0.1" in site_url_problems(site_url="https://127.0.0.1", debug=False, allowed_hosts=hosts)[0]
    assert "ALLOWED_HOSTS" in site_url_problems(site_url="https://other.example", debug=False, allowed_hosts=hosts)[0]
    assert (
        "without a path" in site_url_problems(site_url="https://sip.example.org/nl/", debug=True, allowed_hosts=[])[0]
    )
    assert "absolute" in site_url_problems(site_url="sip.example.org", debug=True, allowed_hosts=[])[0]


def test_the_system_check_refuses_the_default_address_in_production(settings: Any) -> None:
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["sip.example.org"]
    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [error.id for error in check_site_url(None)] == ["coopsip.E003", "coopsip.E003"]
    settings.SITE_URL = "https://sip.example.org"
    assert check_site_url(None) == []


def test_a_cache_local_to_each_process_is_refused_in_production(settings: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.DEBUG = True
    assert check_shared_cache(None) == []
    settings.DEBUG = False
    assert [error.id for error in check_shared_cache(None)] == ["coopsip.E004"]


@pytest.mark.django_db
def test_a_password_reset_mail_links_to_the_site_url_in_the_persons_language(settings: Any, on_commit: Any) -> None:
    settings.SITE_URL = "https://sip.example.org"
    make_person("camille@example.org", preferred_language="fr")
    # Asked from a Dutch page on another host name: the mail is French and links to the French page.
    with on_commit():
        response = client_for(None).post(
            "/nl/accounts/password/reset/", {"email": "camille@example.org"}, HTTP_HOST="127.0.0.1"
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert "https://sip.example.org/fr/accounts/password/reset/key/" in message.body
    assert "127.0.0.1" not in message.body


@pytest.mark.django_db
def test_the_confirmation_mail_of_a_new_account_links_to_the_site_url(settings: Any, on_commit: Any) -> None:
    settings.SITE_URL = "https://sip.example.org"
    with on_commit():
        client_for(None).post(
            "/en/accounts/signup/",
            {"email": "ada@example.org", "password1": "a-long-pass-phrase", "password2": "a-long-pass-phrase"},
            HTTP_HOST="localhost",
        )
    [message] = mail.outbox
    assert "https://sip.example.org/en/accounts/confirm-email/" in message.body


# --- The rate limit across processes -------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """REDIS_URL when CI gives one, else a private redis-server on a free port."""
    given = os.environ.get("REDIS_URL")
    if given:
        yield given
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("The cross-process rate limit test needs Redis: set REDIS_URL or install redis-server.")
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _attempt in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/15"
    finally:
        process.terminate()
        process.wait(timeout=10)


SIGN_UPS = """
import django, sys
django.setup()
from coopsip.core import ratelimit
from coopsip.events.views import VISITOR_SIGNUPS_PER_HOUR
key = "events-sign-up:" + sys.argv[1]
print(sum(ratelimit.consume(key=key, limit=VISITOR_SIGNUPS_PER_HOUR, period=3600) for _ in range(15)))
"""


def test_30_sign_ups_from_one_address_in_two_processes_share_one_limit(redis_url: str, tmp_path: Path) -> None:
    address = f"192.0.2.{os.getpid() % 250}-{time.time_ns()}"
    env = {**os.environ, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "coopsip.settings"}
    env.pop("DATABASE_URL", None)
    env["DATA_DIR"] = str(tmp_path)
    runs = [
        subprocess.Popen([sys.executable, "-c", SIGN_UPS, address], env=env, stdout=subprocess.PIPE, text=True)
        for _process in range(2)
    ]
    allowed = [int(run.communicate(timeout=120)[0].strip().splitlines()[-1]) for run in runs]
    # Each process tried 15; together they got exactly the limit, not the limit each.
    assert sum(allowed) == VISITOR_SIGNUPS_PER_HOUR
