"""The bounded queue: a request that waited too long for a web process gets a quick, friendly 503."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from coopsip.ops.overload import queued_seconds, retry_after

pytestmark = pytest.mark.django_db


def stamp(seconds_ago: float, unit: str = "ms") -> str:
    moment = time.time() - seconds_ago
    return f"t={int(moment * 1000)}" if unit == "ms" else f"t={moment:.3f}"


def test_a_page_that_waited_too_long_is_answered_busy_with_retry_after_in_the_readers_language() -> None:
    response = Client().get("/nl/", HTTP_X_REQUEST_START=stamp(5))
    assert response.status_code == 503
    assert 2 <= int(response["Retry-After"]) <= 30
    assert response["Cache-Control"] == "no-store"
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert 'href="/nl/"' in html
    assert "sessionid" not in response.cookies  # no session work was done


def test_a_page_that_waited_briefly_is_served() -> None:
    assert Client().get("/en/accounts/login/", HTTP_X_REQUEST_START=stamp(0.1)).status_code == 200


def test_without_the_proxys_stamp_nothing_is_turned_away() -> None:
    assert Client().get("/en/accounts/login/").status_code == 200
    assert Client().get("/en/accounts/login/", HTTP_X_REQUEST_START="garbage").status_code == 200


def test_a_form_sent_gets_a_longer_wait_than_a_page_and_is_told_it_was_not_saved(settings: Any) -> None:
    settings.QUEUE_LIMIT_SECONDS, settings.QUEUE_LIMIT_WRITE_SECONDS = 1.0, 10.0
    client = Client()
    # Three seconds in the queue: too long for a page, not for a sign-up in a burst (the CSRF check answers).
    assert client.get("/en/", HTTP_X_REQUEST_START=stamp(3)).status_code == 503
    assert client.post("/en/accounts/login/", HTTP_X_REQUEST_START=stamp(3)).status_code != 503
    response = client.post("/en/accounts/login/", HTTP_X_REQUEST_START=stamp(12, unit="s"))
    assert response.status_code == 503
    assert "was not saved" in response.content.decode()


def test_the_health_check_is_never_turned_away() -> None:
    assert Client().get("/health/", HTTP_X_REQUEST_START=stamp(60)).status_code == 200


def test_the_stamp_is_read_in_seconds_milliseconds_or_microseconds() -> None:
    now = 1_800_000_000.0
    assert queued_seconds("t=1799999998.5", now) == pytest.approx(1.5)
    assert queued_seconds("t=1799999998500", now) == pytest.approx(1.5)
    assert queued_seconds("1799999998500000", now) == pytest.approx(1.5)
    assert queued_seconds("t=soon", now) is None
    assert retry_after(0.2) == 2 and retry_after(4) == 8 and retry_after(100) == 30
