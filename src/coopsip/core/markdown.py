"""Markdown typed by staff, rendered to safe HTML.

Raw HTML in the source is escaped by the parser, and the result is cleaned
again by nh3 (an allow-list sanitiser): no script, event handler, style or
``javascript:`` link can survive either step.
"""

from __future__ import annotations

import functools
import re

import nh3
from markdown_it import MarkdownIt

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "ul", "ol", "li", "a", "blockquote", "code", "pre",
    "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_HEADING = re.compile(r"<(/?)h([1-6])>")


@functools.cache
def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")


def render_markdown(text: str, *, top_level: int = 3) -> str:
    """Safe HTML for ``text``.

    Staff text sits somewhere in a page's outline, so its headings start at
    ``top_level``: under a section's h2, "# Title" becomes <h3>, "## Sub" <h4>.
    """
    html = _parser().render(text or "")
    shift = max(2, min(top_level, 6)) - 1
    html = _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}>", html)
    return nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}, "th": {"align"}, "td": {"align"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
