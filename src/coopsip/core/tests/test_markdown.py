"""Markdown typed by staff becomes safe HTML: raw HTML is text, only http(s) and mailto links survive."""

from __future__ import annotations

import pytest

from coopsip.core.markdown import render_markdown


def test_it_renders_ordinary_markdown() -> None:
    html = render_markdown("# Title\n\nSome **bold** and a [link](https://example.org).\n\n- one\n- two")
    assert "<h3>Title</h3>" in html  # the page has its h1 and the section its h2
    assert "<strong>bold</strong>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer nofollow">link</a>' in html
    assert "<li>one</li>" in html


def test_it_keeps_mail_links() -> None:
    assert 'href="mailto:team@example.org"' in render_markdown("[mail](mailto:team@example.org)")


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">x</a>',
        "<div style='background:url(javascript:alert(1))'>x</div>",
    ],
)
def test_raw_html_is_shown_as_text(source: str) -> None:
    html = render_markdown(source)
    assert "<script" not in html
    assert "<img" not in html
    assert "<a " not in html
    assert "<div" not in html
    assert "&lt;" in html


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x](vbscript:msgbox(1))",
        "![x](javascript:alert(1))",
        "<javascript:alert(1)>",
    ],
)
def test_dangerous_links_are_not_links(source: str) -> None:
    html = render_markdown(source)
    assert "href=" not in html
    assert "src=" not in html


def test_empty_text_renders_nothing() -> None:
    assert render_markdown("") == ""
