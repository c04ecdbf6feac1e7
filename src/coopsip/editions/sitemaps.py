"""The sitemap of the public pages, in every language with links between the translations.

``/sitemap.xml`` is an index of sections (``/sitemap-<section>.xml``); each section is paginated
(``?p=2``) at ``SITEMAP_LIMIT`` addresses a page, so no answer grows with the number of editions or themes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.urls import reverse

from coopsip.editions.models import Edition, Theme
from coopsip.editions.selectors import published_editions

# Addresses in one page of a section (each page in each language counts): well under the 50,000 and
# 50 MB a search engine accepts, and a page any crawler or person reads in one go.
SITEMAP_LIMIT = 1500

_EDITION_PAGES = ["editions:detail", "editions:faq"]

# A page of the sitemap: its url name, its arguments, when it last changed.
Page = tuple[str, dict[str, str], datetime | None]


class _Translated(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = SITEMAP_LIMIT


class PagesSitemap(_Translated):
    """The home page and the archive of editions."""

    def items(self) -> list[Page]:
        return [("home:index", {}, None), ("editions:archive", {}, None)]

    def location(self, item: Page) -> str:
        name, kwargs, _changed = item
        return reverse(name, kwargs=kwargs)

    def lastmod(self, item: Page) -> datetime | None:
        return item[2]


class EditionsSitemap(_Translated):
    """Each published edition's page and FAQ."""

    def items(self) -> list[Page]:
        editions = published_editions().order_by("pk").only("slug", "updated_at")
        return [(name, {"slug": e.slug}, e.updated_at) for e in editions for name in _EDITION_PAGES]

    location = PagesSitemap.location
    lastmod = PagesSitemap.lastmod


class ThemesSitemap(_Translated):
    """Each theme of a published edition."""

    def items(self) -> QuerySet[Theme]:
        editions: QuerySet[Edition] = published_editions()
        return (
            Theme.objects.filter(edition__in=editions)
            .select_related("edition")
            .only("slug", "edition__slug", "edition__updated_at")
            .order_by("pk")
        )

    def location(self, item: Theme) -> str:
        return reverse("editions:theme", kwargs={"slug": item.edition.slug, "theme_slug": item.slug})

    def lastmod(self, item: Theme) -> datetime | None:
        return item.edition.updated_at


SITEMAPS: dict[str, Any] = {"pages": PagesSitemap, "editions": EditionsSitemap, "themes": ThemesSitemap}
