"""Lockouts a stranger cannot trigger (issue 17): limits by account and address together, a slow-down
for guessing from many addresses that spares the owner's devices, every lockout logged and told."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.ops import lockouts

pytestmark = pytest.mark.django_db

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
