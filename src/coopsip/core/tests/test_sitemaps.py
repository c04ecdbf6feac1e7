"""The sitemap is bounded: an index of sections, each section paginated (editions/sitemaps.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions import sitemaps
from coopsip.editions.models import Edition, Theme
from coopsip.editions.services import publish_edition

pytestmark = pytest.mark.django_db


def published(count: int, actor: User, themes: int = 2) -> None:
    for number in range(count):
        year = 1990 + number
        edition = Edition.objects.create(
            slug=f"{year}-{year + 1}",
            title_nl=f"Editie {year}",
            starts_on=date(year, 11, 1),
            ends_on=date(year + 1, 4, 30),
        )
        for position in range(themes):
            Theme.objects.create(
                edition=edition, slug=f"thema-{position}", position=position, title_nl=f"Thema {position}"
            )
        publish_edition(actor=actor, edition=edition)


def test_the_sitemap_index_lists_each_section_and_each_page_of_it(staff: User, monkeypatch: Any) -> None:
    published(3, staff, themes=2)  # 6 editions pages + 6 theme pages, × 3 languages
    for sitemap in sitemaps.SITEMAPS.values():
        monkeypatch.setattr(sitemap, "limit", 5)
    client = client_for(None)
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    xml = index.content.decode()
    assert "<sitemapindex" in xml
    assert "http://testserver/sitemap-pages.xml</loc>" in xml
    assert "http://testserver/sitemap-editions.xml</loc>" in xml
    assert "http://testserver/sitemap-themes.xml?p=4</loc>" in xml  # 18 addresses, 5 a page
    assert "sitemap-themes.xml?p=5" not in xml

    pages = [client.get(f"/sitemap-themes.xml?p={page}").content.decode() for page in range(1, 5)]
    assert [page.count("<url>") for page in pages] == [5, 5, 5, 3]
    every = "".join(pages)
    for year in (1990, 1991, 1992):
        for theme in (0, 1):
            for language in ("nl", "fr", "en"):
                assert f"http://testserver/{language}/editions/{year}-{year + 1}/themes/thema-{theme}/</loc>" in every
    assert client.get("/sitemap-themes.xml?p=9").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_section_page_never_holds_more_than_the_limit(staff: User) -> None:
    published(2, staff, themes=1)
    for section in ("pages", "editions", "themes"):
        response = client_for(None).get(f"/sitemap-{section}.xml")
        assert response.status_code == 200
        assert 0 < response.content.decode().count("<url>") <= sitemaps.SITEMAP_LIMIT
