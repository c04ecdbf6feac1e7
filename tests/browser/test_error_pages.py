"""Journey: a person opens a team page and a mistyped address; each error page keeps the site's frame,
speaks the page's language and leads somewhere."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coopsip.accounts.models import User

from .conftest import assert_accessible
from .test_profile import log_in, olivier  # noqa: F401  (the fixture)

pytestmark = pytest.mark.browser


def test_error_pages_say_what_one_can_do_in_the_pages_language(page: Page, live_server: Any, olivier: User) -> None:  # noqa: F811
    log_in(page, live_server)

    response = page.goto("/en/staff/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot open this page")
    expect(page.get_by_text("This page is for the Cooperative Life team.")).to_be_visible()
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()
    assert_accessible(page)

    response = page.goto("/nl/no-such-page/")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page)
    page.get_by_role("main").locator('a[href="/nl/"]').click()
    expect(page).to_have_url(f"{live_server.url}/nl/")
