"""A visitor reads the statistics in French, with axe-core on each page, and downloads a table as CSV (issue 19)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from coopsip.stats.tests.data import edition_with_groups, held_meeting

from .conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_a_visitor_reads_the_statistics_in_french_and_downloads_a_csv(page: Page, live_server: Any, sara: Any) -> None:
    groups = edition_with_groups(sara, (5, 3))
    held_meeting(groups[0], present=4, absent=1)
    slug = groups[0].edition.slug
    page.goto("/fr/statistics/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # Each chart is an image with a title and a description, and its numbers in a table beside it.
    expect(page.locator("svg[role=img]").first).to_be_visible()
    assert page.locator("figure.chart table").count() >= 3
    assert_accessible(page)
    with page.expect_download() as download:
        page.locator("a[href$='/statistics/editions.csv']").click()
    assert download.value.suggested_filename == "coopsip-editions.csv"
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.splitlines()[0].startswith("edition,source,registrations,placed")
    assert ",8,8,2,1,80.0," in content
    page.goto(f"/fr/statistics/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(slug)
    assert_accessible(page)
    # The group of 3 people is not shown as a number on the page of its theme's office or its groups.
    page.goto("/fr/statistics/open-data/")
    assert_accessible(page)


@pytest.mark.parametrize("language", ["fr", "nl", "en"])
def test_the_participation_table_fits_a_1280_px_screen(page: Page, live_server: Any, sara: Any, language: str) -> None:
    # Its last columns (recommendations, test projects) were cut off, the scrollbar hidden.
    groups = edition_with_groups(sara, (5, 3))
    held_meeting(groups[0], present=4, absent=1)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/{language}/statistics/")
    box = page.locator(".stats-table .table-scroll").first
    assert box.evaluate("b => b.scrollWidth <= b.clientWidth")
    last = box.locator("thead th").last.evaluate("th => th.getBoundingClientRect().right")
    assert last <= box.evaluate("b => b.getBoundingClientRect().right") + 1


def test_chart_text_is_readable_on_a_phone(page: Page, live_server: Any, sara: Any) -> None:
    groups = edition_with_groups(sara, (5, 3))
    held_meeting(groups[0], present=4, absent=1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/fr/statistics/")
    # Rendered text size: the SVG's font size scaled by its drawn width over its viewBox (it was 5-7 px).
    sizes = page.locator("figure.chart svg").evaluate_all(
        """svgs => svgs.map(s => parseFloat(getComputedStyle(s.querySelector('text')).fontSize)
                          * s.getBoundingClientRect().width / s.viewBox.baseVal.width)"""
    )
    assert sizes and min(sizes) >= 11, sizes
    # The chart scrolls in its box, which takes the keyboard focus; the page itself does not scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
