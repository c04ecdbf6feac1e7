"""Journey: a keyboard user skips the header straight to the content."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_the_first_tab_reaches_the_skip_link_and_enter_moves_to_the_content(page: Page, live_server: Any) -> None:
    page.goto("/en/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    # Off-screen until focused, then shown: a sighted keyboard user sees it.
    expect(skip).to_be_in_viewport()

    page.keyboard.press("Enter")
    main = page.get_by_role("main")
    expect(main).to_be_focused()
    expect(page).to_have_url(f"{live_server.url}/en/#main")
    expect(skip).not_to_be_in_viewport()

    # The next Tab goes on from the content, not back to the header.
    page.keyboard.press("Tab")
    expect(main.get_by_role("link", name="Create an account")).to_be_focused()
