"""The sitemap of the public pages, in every language with links between the translations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from coopsip.editions.models import Theme
from coopsip.editions.selectors import published_editions

_EDITION_PAGES = ["editions:detail", "editions:faq"]

# A page of the sitemap: its url name, its arguments, when it last changed.
Page = tuple[str, dict[str, str], datetime | None]


class PublicSitemap(Sitemap):
    """Home, the archive, and each published edition with its FAQ and its themes."""

    i18n = True
    alternates = True
    x_default = True

    def items(self) -> list[Page]:
        editions = list(published_editions())
        themes = Theme.objects.filter(edition__in=published_editions()).select_related("edition")
        items: list[Page] = [
            ("home:index", {}, None),
            ("editions:archive", {}, None),
        ]
        for edition in editions:
            items += [(name, {"slug": edition.slug}, edition.updated_at) for name in _EDITION_PAGES]
        items += [
            ("editions:theme", {"slug": theme.edition.slug, "theme_slug": theme.slug}, theme.edition.updated_at)
            for theme in themes
        ]
        return items

    def location(self, item: Page) -> str:
        name, kwargs, _changed = item
        return reverse(name, kwargs=kwargs)

    def lastmod(self, item: Page) -> datetime | None:
        return item[2]


SITEMAPS: dict[str, Any] = {"public": PublicSitemap}
