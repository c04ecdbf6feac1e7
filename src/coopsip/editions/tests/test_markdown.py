"""Text typed by staff is Markdown rendered harmless on the public pages: no script, handler or javascript: link.

The hostile source may still be *read* on the page, escaped as text
(``&lt;script&gt;``); what must not exist is an element that runs it. So the
page is parsed as a browser would, and its elements and attributes checked.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition, FaqItem, Theme
from coopsip.editions.services import publish_edition
from coopsip.editions.tests.test_public_pages import make_2020_2021, url

HOSTILE = (
    "Our mission.\n\n"
    "<script>alert(1)</script>\n\n"
    "<img src=x onerror=alert(1)>\n\n"
    "[x](javascript:alert(1))\n\n"
    '<a href="javascript:alert(2)" onclick="alert(3)">y</a>\n\n'
    "[z](JaVaScRiPt:alert(4)) and ![i](javascript:alert(5)) and [w](java\tscript:alert(6))\n\n"
    "<svg onload=alert(7)></svg> <iframe src=javascript:alert(8)></iframe>"
)


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def dangers(html: str) -> list[str]:
    parser = Elements()
    parser.feed(html)
    found = []
    for tag, attrs in parser.tags:
        if tag in {"script", "iframe", "object", "embed", "svg", "style"}:
            found.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"{tag} {name}=")
            if name in {"href", "src", "action", "formaction"} and re.sub(r"\s", "", value).lower().startswith(
                "javascript:"
            ):
                found.append(f"{tag} {name}={value}")
    return found


def site_scripts(html: str) -> list[str]:
    """The scripts the site itself loads (htmx), which are not content."""
    return re.findall(r'<script src="/static/[^"]+"[^>]*></script>', html)


def site_icons(html: str) -> list[str]:
    """The site's own icons: the inline sprite of the base template and its uses (``{% icon %}``), not content."""
    sprite = re.findall(r'<svg [^>]*class="icon-sprite"[^>]*>.*?</svg>', html, re.S)
    uses = re.findall(
        r'<svg class="icon" aria-hidden="true" focusable="false"><use href="#i-[a-z]+"></use></svg>', html
    )
    return sprite + uses


def content_of(html: str) -> str:
    """The page without the site's own script tags and icons."""
    for own in site_scripts(html) + site_icons(html):
        html = html.replace(own, "")
    return html


@pytest.fixture
def edition(staff: User) -> Edition:
    edition = make_2020_2021()
    Theme.objects.filter(edition=edition, slug="begeleiding").update(
        challenges_nl=HOSTILE, challenges_fr=HOSTILE, challenges_en=HOSTILE, summary_en="<script>alert(9)</script>"
    )
    FaqItem.objects.filter(edition=edition).update(answer_en=HOSTILE)
    return publish_edition(actor=staff, edition=edition)


def test_the_test_finds_what_it_looks_for() -> None:
    assert dangers('<p><script>x</script><img src=x onerror=y><a href=" JavaScript:z">a</a></p>') == [
        "<script>",
        "img onerror=",
        "a href= JavaScript:z",
    ]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
def test_a_hostile_theme_text_renders_harmless_on_the_theme_page(edition: Edition, language: str) -> None:
    response = client_for(None).get(url("editions:theme", language, slug=edition.slug, theme_slug="begeleiding"))
    html = content_of(response.content.decode())
    assert "Our mission." in html
    assert dangers(html) == []
    assert "<script" not in html
    # The same, said as the issue says it, looking inside tags only (text may quote the source).
    assert not re.search(r"<[^<>]*\bonerror\s*=", html)
    assert not re.search(r"""<[^<>]*\b(href|src)\s*=\s*["']?\s*javascript:""", html, re.I)
    # What was raw HTML is shown as text, not run.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_hostile_answer_renders_harmless_in_the_faq(edition: Edition) -> None:
    html = content_of(client_for(None).get(url("editions:faq", slug=edition.slug)).content.decode())
    assert "Our mission." in html
    assert dangers(html) == []


def test_the_site_still_loads_its_own_script(edition: Edition) -> None:
    html = client_for(None).get(url("editions:theme", slug=edition.slug, theme_slug="begeleiding")).content.decode()
    # Its own files only (htmx and the phone menu), served from /static/, none written by a person.
    scripts = site_scripts(html)
    assert [src.split('"')[1] for src in scripts] == [
        "/static/django_htmx/htmx-2.min.js",
        "/static/coopsip/menu.js",
        "/static/coopsip/behaviours.js",
    ]
