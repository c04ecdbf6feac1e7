"""Lockouts a stranger cannot trigger (issue 17): limits by account and address together, a slow-down
for guessing from many addresses that spares the owner's devices, every lockout logged and told."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.core.tests.test_site_url_and_limits import redis_url
from coopsip.ops import lockouts

pytestmark = pytest.mark.django_db
__all__ = ["redis_url"]  # a private redis-server (or CI's REDIS_URL), shared with the rate limit tests

LOGIN = "/en/accounts/login/"


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    cache.clear()
    yield
    cache.clear()


def attempt(address: str, password: str, *, client: Client | None = None) -> Any:
    client = client or Client(REMOTE_ADDR=address)
    return client.post(LOGIN, {"login": "lotte@example.org", "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return client.get(reverse("accounts:profile")).status_code == 200


def test_wrong_passwords_from_thirty_addresses_do_not_keep_the_owner_out_of_her_usual_browser(member: User) -> None:
    browser = Client()
    assert attempt("198.51.100.7", PASSWORD, client=browser).status_code == 302
    browser.post(reverse("account_logout"))
    assert not logged_in(browser)

    for number in range(30):
        attempt(f"203.0.113.{number}", "guess-{number}")

    assert attempt("198.51.100.7", PASSWORD, client=browser).status_code == 302
    assert logged_in(browser)


def test_guessing_from_many_addresses_is_slowed_down_for_new_devices_not_locked(
    member: User, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(lockouts, "now", lambda: clock[0])
    with caplog.at_level(logging.WARNING, logger="coopsip.security"):
        for number in range(lockouts.slowdown_after()):
            attempt(f"203.0.113.{number}", "guess")
    assert "Account slowed down after 10 wrong passwords" in caplog.text

    # Right after: even the right password from a new device waits a moment (its try is not counted).
    new_device = Client(REMOTE_ADDR="198.51.100.9")
    response = attempt("198.51.100.9", PASSWORD, client=new_device)
    assert response.status_code == 200 and not logged_in(new_device)
    assert b"not correct" in response.content
    # The wait is a second here, and grows with the guesses, never past the maximum.
    assert lockouts.wait_needed(10) == 1 and lockouts.wait_needed(14) == 16 and lockouts.wait_needed(99) == 300
    clock[0] += 2
    assert attempt("198.51.100.9", PASSWORD, client=new_device).status_code == 302
    assert logged_in(new_device)


def test_five_wrong_passwords_block_that_address_for_that_account_only_and_the_owner_is_told(
    member: User, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="coopsip.security"):
        responses = [attempt("203.0.113.66", "guess") for _attempt in range(5)]
    assert responses[-1].status_code == 429
    assert "Login locked for one account from one address (203.0.113.66)" in caplog.text
    # The stranger's address is blocked; the owner, from her own address, is not.
    assert attempt("203.0.113.66", PASSWORD).status_code == 429
    owner = Client(REMOTE_ADDR="198.51.100.7")
    assert attempt("198.51.100.7", PASSWORD, client=owner).status_code == 302
    assert logged_in(owner)
    [email] = OutgoingEmail.objects.filter(to_email="lotte@example.org")
    # Lotte reads Dutch (the default language): the email is in her language.
    assert email.subject == "Er zijn verkeerde wachtwoorden geprobeerd op je account"
    assert "vanaf het adres 203.0.113.66" in email.body_text
    assert "/en/accounts/password/reset/" in email.body_text or "/accounts/password/reset/" in email.body_text


def test_a_stranger_guessing_many_accounts_from_one_address_is_stopped_by_the_address_limit(
    member: User, nonmember: User
) -> None:
    client = Client(REMOTE_ADDR="203.0.113.99")
    responses = [
        client.post(LOGIN, {"login": f"someone{number}@example.org", "password": "guess"}) for number in range(12)
    ]
    assert b"Too many failed login attempts" in responses[-1].content  # allauth: 10 a minute from one address
    # Lotte, elsewhere, is not concerned.
    assert attempt("198.51.100.7", PASSWORD).status_code == 302


# --- Counted in the shared cache: every web process adds to one account's count ---------------------------------

PREPARE_ACCOUNTS = """
import django, sys
django.setup()
from django.core.management import call_command
from conftest import make_person
call_command("migrate", verbosity=0)
for email in sys.argv[1:]:
    make_person(email, first_name="Lotte", last_name="Peeters")  # a verified email address, as on the site
"""

# One web process: ``tries`` wrong passwords for ``login`` through the login form, each from another address (no
# address reaches its own limit), then what this process reads of the account's count in the cache; with "owner",
# the right password from a browser the site has never seen. The clock is fixed and shared, so that the wait
# after the last failure (1 s at the tenth) has not passed however slow the machine.
GUESS = """
import django, sys
django.setup()
from django.core.cache import cache
from django.test import Client
from django.test.utils import setup_test_environment
from django.contrib.auth import SESSION_KEY
from conftest import PASSWORD
from coopsip.ops import lockouts
setup_test_environment()
lockouts.now = lambda: 1_000_000.0
login, network, tries, owner = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:] == ["owner"]
for number in range(tries):
    address = f"{network}.{number + 1}"
    Client().post("/en/accounts/login/", {"login": login, "password": "guess"}, REMOTE_ADDR=address)
print("failures", (cache.get(lockouts.account_key(login)) or {}).get("failures", 0))
if owner:
    browser = Client()
    response = browser.post("/en/accounts/login/", {"login": login, "password": PASSWORD}, REMOTE_ADDR="192.0.2.200")
    print("owner", response.status_code, "logged in" if SESSION_KEY in browser.session else "not logged in")
"""


def _python(script: str, *args: str, env: dict[str, str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", script, *args], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()


def test_wrong_passwords_in_two_web_processes_add_up_to_one_slow_down(redis_url: str, tmp_path: Path) -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "coopsip.settings",
        "PYTHONPATH": os.pathsep.join([str(Path(__file__).resolve().parents[4]), os.environ.get("PYTHONPATH", "")]),
        "DATA_DIR": str(tmp_path),  # one SQLite file for every process
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "REDIS_URL": redis_url,
    }
    env.pop("DATABASE_URL", None)
    per_process = {**env, "REDIS_URL": ""}  # no shared cache: each process counts for itself
    # Accounts of their own: a Redis given by CI may hold counts of earlier runs.
    shared, alone = (f"lotte.{name}.{os.getpid()}.{time.time_ns()}@example.org" for name in ("shared", "alone"))
    _python(PREPARE_ACCOUNTS, shared, alone, env=env)
    half = str(lockouts.slowdown_after() // 2)

    # Two processes one after the other (SQLite is written by one at a time), five wrong passwords each.
    assert _python(GUESS, shared, "203.0.113", half, env=env) == ["failures 5"]
    assert _python(GUESS, shared, "198.51.100", half, "owner", env=env) == ["failures 10", "owner 200 not logged in"]
    # The second process saw the first one's five: at ten, a new browser waits, even with the right password
    # (the form answers "not correct", nobody is logged in; the owner's usual browser is not slowed, see above).

    # Without the shared cache, each process counts only its own five: guessing is never slowed down.
    assert _python(GUESS, alone, "203.0.113", half, env=per_process) == ["failures 5"]
    assert _python(GUESS, alone, "198.51.100", half, "owner", env=per_process) == ["failures 5", "owner 302 logged in"]
