"""Journey: a visitor reads the site in Dutch, then switches to French and English."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_accessible

pytestmark = pytest.mark.browser

# Each language button is named in its own language, whatever the page's language.
BUTTONS = {"nl": "Nederlands", "fr": "Français", "en": "English"}


def expect_language(page: Page, url: str, code: str) -> None:
    expect(page).to_have_url(url)
    expect(page.locator("html")).to_have_attribute("lang", code)
    header = page.get_by_role("banner")
    for other, name in BUTTONS.items():
        button = header.get_by_role("button", name=name, exact=True)
        expect(button).to_have_attribute("lang", other)
        if other == code:
            expect(button).to_have_attribute("aria-current", "true")
        else:
            expect(button).not_to_have_attribute("aria-current", "true")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_a_visitor_switches_the_language_with_the_header_buttons(page: Page, live_server: Any) -> None:
    page.goto("/")
    # The browser asks for Dutch (nl-BE), the site's default: / leads to /nl/.
    expect_language(page, f"{live_server.url}/nl/", "nl")
    assert_accessible(page)

    page.get_by_role("banner").get_by_role("button", name=BUTTONS["fr"]).click()
    expect_language(page, f"{live_server.url}/fr/", "fr")
    assert_accessible(page)

    page.get_by_role("banner").get_by_role("button", name=BUTTONS["en"]).click()
    expect_language(page, f"{live_server.url}/en/", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Smart in Progress: shape the cooperative together")
    assert_accessible(page)

    # The choice is remembered: the bare address now leads to the English pages.
    page.goto("/")
    expect_language(page, f"{live_server.url}/en/", "en")
