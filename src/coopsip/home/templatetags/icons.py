"""``{% icon "place" %}``: one icon of the site's inline sprite (templates/includes/icons.svg.html).

Icons are decoration beside a text that says the same, so they are hidden from
screen readers and never take the keyboard focus.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()

ICONS = frozenset({"calendar", "clock", "place", "online", "seats", "map"})


@register.simple_tag
def icon(name: str) -> SafeString:
    if name not in ICONS:
        raise template.TemplateSyntaxError(f"Unknown icon {name!r}; the sprite has {sorted(ICONS)}.")
    return format_html('<svg class="icon" aria-hidden="true" focusable="false"><use href="#i-{}"></use></svg>', name)
