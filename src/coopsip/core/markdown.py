"""Markdown typed by staff, rendered to safe HTML.

Raw HTML in the source is escaped by the parser, and the result is cleaned
again by nh3 (an allow-list sanitiser): no script, event handler, style or
``javascript:`` link can survive either step.
"""

from __future__ import annotations

import functools

import nh3
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h2", "h3", "h4", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str) -> str:
    """Safe HTML for ``text``; headings start at h2 because the page has its own h1."""
    html = _parser().render(text or "")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
