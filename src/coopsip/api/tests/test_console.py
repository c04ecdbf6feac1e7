"""The "try it" console: a plain form that sends a GET request to an endpoint and shows its JSON."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_the_console_shows_the_form_with_every_endpoint(client: Any) -> None:
    page = client.get("/api/v1/console/").content.decode()
    assert '<label for="console-path">' in page
    assert '<option value="/api/v1/themes/">' in page
    assert "<script" not in page.split("<main", 1)[-1].split("</main>", 1)[0]


def test_the_console_shows_the_answer_of_the_api(client: Any) -> None:
    page = client.get("/api/v1/console/", {"path": "/api/v1/editions/", "query": "limit=5"}).content.decode()
    assert "status 200" in page
    assert "&quot;limit&quot;: 5" in page
    bad = client.get("/api/v1/console/", {"path": "/api/v1/editions/", "query": "page=-1"}).content.decode()
    assert "status 400" in bad
    assert "&quot;parameter&quot;: &quot;page&quot;" in bad


@pytest.mark.parametrize("path", ["/accounts/profile/", "/api/v1/console/", "/api/v1/nothing/", "https://example.org/"])
def test_the_console_only_calls_the_api(client: Any, path: str) -> None:
    # The console has no language in its address: it speaks the browser's language.
    response = client.get("/api/v1/console/", {"path": path}, headers={"accept-language": "en"})
    assert response.status_code == 400
    assert "This is not an endpoint of the API." in response.content.decode()


def test_the_documentation_links_to_the_console(client: Any) -> None:
    assert 'href="/api/v1/console/"' in client.get("/api/v1/docs/").content.decode()


def test_behind_a_proxy_the_rate_limit_counts_per_person(settings: Any) -> None:
    from django.test import RequestFactory

    from coopsip.api.views import _client

    request = RequestFactory().get(
        "/api/v1/", HTTP_X_FORWARDED_FOR="203.0.113.7, 198.51.100.2", REMOTE_ADDR="127.0.0.1"
    )
    assert _client(request) == "127.0.0.1"
    settings.PROXY_COUNT = 1
    assert _client(request) == "198.51.100.2"
    settings.PROXY_COUNT = 2
    assert _client(request) == "203.0.113.7"
