"""Journey: a visitor reads the site in Dutch, then switches to French and English."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_visitor_switches_the_language_with_the_header_buttons(page: Page, live_server: Any) -> None:
    page.goto("/")

    # The browser asks for Dutch (nl-BE), the site's default: / goes to /nl/.
    expect(page).to_have_url(f"{live_server.url}/nl/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    languages = page.get_by_role("group", name="Language")
    expect(languages.get_by_role("button", name="Nederlands")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)

    languages.get_by_role("button", name="Français").click()
    expect(page).to_have_url(f"{live_server.url}/fr/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    languages = page.get_by_role("group", name=re.compile(r"^(Language|Langue)$"))
    expect(languages.get_by_role("button", name="Français")).to_have_attribute("aria-current", "true")
    expect(languages.get_by_role("button", name="Nederlands")).not_to_have_attribute("aria-current", "true")
    assert_accessible(page)

    languages.get_by_role("button", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    languages = page.get_by_role("group", name="Language")
    expect(languages.get_by_role("button", name="English")).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("link", name="Log in").first).to_be_visible()
    assert_accessible(page)

    # The choice is remembered: the bare address now leads to the English pages.
    page.goto("/")
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
