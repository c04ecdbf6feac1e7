"""Fixtures for the browser tests: one Chromium per session, a new context per test.

The browser is Debian's Chromium (``/usr/bin/chromium``, or ``$COOPSIP_CHROMIUM``),
never one downloaded by Playwright. The pages are served by pytest-django's
``live_server``, which runs in a thread of this process and shares the test
database, the locmem email outbox and the cache with the tests.
"""

from __future__ import annotations

import importlib
import os
import re
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.apps import apps
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Request,
    Response,
    WebError,
    sync_playwright,
)

# Playwright's sync API runs an asyncio event loop in the test thread (it
# drives the browser from a greenlet). Django sees that running loop and
# refuses every ORM call from this thread with SynchronousOnlyOperation: the
# test's own make_person()/Municipality rows, and pytest-django's database
# flush after each transactional test. Nothing here is async code sharing a
# connection between coroutines, so relaxing the check is safe. It is set at
# import time because the session-wide browser keeps the loop alive between
# tests, teardowns included.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = os.environ.get("COOPSIP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
# Long enough for a slow CI runner, short enough to fail fast on a wrong selector.
TIMEOUT_MS = 10_000
# Violations at these impacts fail the test; "moderate" and "minor" are printed.
BLOCKING_IMPACTS = {"serious", "critical"}

_axe = Axe()


# What the browser refused under the site's Content-Security-Policy (settings.py), and the scripts that
# failed, in any page of any context of the current test: the test fails with the list when it ends.
CSP_MESSAGE = re.compile(r"Content[- ]Security[- ]Policy", re.IGNORECASE)
_page_problems: list[str] = []


def _watch(context: BrowserContext) -> BrowserContext:
    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and CSP_MESSAGE.search(message.text):
            where = message.page.url if message.page is not None else "?"
            _page_problems.append(f"{where}: {message.text}")

    def on_web_error(error: WebError) -> None:
        where = error.page.url if error.page is not None else "?"
        _page_problems.append(f"{where}: uncaught {error.error}")

    context.on("console", on_console)
    context.on("weberror", on_web_error)
    return context


def _fail_on_page_problems() -> None:
    if _page_problems:
        problems = list(_page_problems)
        _page_problems.clear()
        pytest.fail(
            "The browser refused content under the Content-Security-Policy, or a script failed "
            "(move inline code to a static file: docs/operations.md):\n" + "\n".join(f"    - {p}" for p in problems),
            pytrace=False,
        )


@pytest.fixture(autouse=True)
def no_page_problems() -> Iterator[None]:
    """Fail the test on any CSP violation or uncaught script error, on any page it opened (checked at the end)."""
    _page_problems.clear()
    yield
    _fail_on_page_problems()


def _chromium_path() -> str | None:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return CHROMIUM
    return shutil.which(CHROMIUM)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _chromium_path()
    if executable is None:
        pytest.skip(
            f"Chromium not found at {CHROMIUM!r}: install Debian's chromium (apt-get install -y chromium) "
            "or set COOPSIP_CHROMIUM to its path."
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        # Every context, also those a test opens itself for a second person, reports CSP violations
        # and script errors to no_page_problems.
        new_context = browser.new_context

        def watched_new_context(**options: Any) -> BrowserContext:
            return _watch(new_context(**options))

        browser.new_context = watched_new_context  # type: ignore[method-assign]
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser: Browser, live_server: Any) -> Iterator[BrowserContext]:
    # A Belgian visitor whose browser asks for Dutch: the site's default
    # language, and the one the home page redirects such a visitor to.
    context = browser.new_context(base_url=live_server.url, locale="nl-BE", timezone_id="Europe/Brussels")
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


# Stylesheets, scripts, fonts and images of the pages must load: axe judges
# contrast and visibility on the page as people see it, styled.
ASSET_TYPES = {"stylesheet", "script", "font", "image"}
_broken_assets: dict[Page, list[str]] = {}


@pytest.fixture
def page(context: BrowserContext) -> Iterator[Page]:
    page = context.new_page()
    broken = _broken_assets.setdefault(page, [])

    def on_response(response: Response) -> None:
        if response.status >= 400 and response.request.resource_type in ASSET_TYPES:
            broken.append(f"HTTP {response.status} {response.url}")

    def on_request_failed(request: Request) -> None:
        if request.resource_type in ASSET_TYPES:
            broken.append(f"{request.failure} {request.url}")

    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    try:
        yield page
    finally:
        _broken_assets.pop(page, None)


def label(text: str) -> re.Pattern[str]:
    """A form label as people read it, with or without Django's trailing colon."""
    return re.compile(rf"^{re.escape(text)}:?$")


def _describe(violation: dict[str, Any]) -> str:
    lines = [f"[{violation.get('impact')}] {violation['id']}: {violation['help']} ({violation.get('helpUrl', '')})"]
    for node in violation["nodes"]:
        target = " ".join(str(part) for part in node["target"])
        html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
        lines.append(f"    - {target}  {html}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation.

    It first checks that no content was refused under the Content-Security-Policy so far and that
    the page's stylesheets and scripts loaded: on an unstyled page axe's colour and visibility
    checks would mean nothing. axe-core goes in through ``page.evaluate``, which the page's
    policy does not govern, so no test needs ``bypass_csp`` (which would hide violations).
    """
    page.wait_for_load_state("load")
    _fail_on_page_problems()
    broken = _broken_assets.get(page, [])
    if broken:
        pytest.fail(f"Assets of {page.url} did not load:\n" + "\n".join(f"    - {b}" for b in broken), pytrace=False)
    violations = _axe.run(page).response["violations"]
    blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
    others = [v for v in violations if v.get("impact") not in BLOCKING_IMPACTS]
    if others:
        print(f"axe: non-blocking violations on {page.url}:\n" + "\n".join(_describe(v) for v in others))
    if blocking:
        report = "\n".join(_describe(v) for v in blocking)
        print(f"axe: blocking violations on {page.url}:\n{report}")
        pytest.fail(f"Accessibility violations on {page.url}:\n{report}", pytrace=False)


@pytest.fixture
def migration_rows(transactional_db: Any) -> None:
    """Put back the rows the data migrations create (role groups, offices).

    A transactional test empties every table when it ends, and Django only
    re-runs the post_migrate handlers (content types, sites), not data
    migrations: a browser test that ran before this one took them away.
    """
    for module, function in (
        ("coopsip.accounts.migrations.0002_role_groups", "add_groups"),
        ("coopsip.places.migrations.0002_belgian_offices", "add_offices"),
    ):
        getattr(importlib.import_module(module), function)(apps, None)


STAFF_EMAIL = "sara@example.org"


@pytest.fixture
def totp_secret() -> str:
    from allauth.mfa.totp.internal.auth import generate_totp_secret

    return generate_totp_secret()


@pytest.fixture
def sara(migration_rows: None, totp_secret: str) -> Any:
    """Sara, on the Cooperative Life team, with an authenticator app whose secret the test knows."""
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth.models import Group

    from conftest import make_person
    from coopsip.core.access import STAFF_GROUP

    user = make_person(STAFF_EMAIL, first_name="Sara", last_name="Janssens", preferred_language="en")
    user.groups.add(Group.objects.get_or_create(name=STAFF_GROUP)[0])
    TOTP.activate(user, totp_secret)
    return user
