"""Template helpers for the public edition pages: translated text with a visible fallback, country names.

Content is typed by staff in three languages; django-modeltranslation shows
another language when the reader's is empty. ``{% translated obj "field" %}``
says so: the text keeps its own ``lang`` attribute (for screen readers and
hyphenation) and a short note follows in the reader's language.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.utils.translation import get_language
from modeltranslation.utils import resolution_order

from coopsip.places.models import Country

register = template.Library()


def shown_language(obj: models.Model, field: str) -> str | None:
    """The language whose text ``obj.<field>`` shows to the reader now; None when every language is empty."""
    for code in resolution_order(get_language() or "nl"):
        if getattr(obj, f"{field}_{code}", None):
            return code
    return None


@register.inclusion_tag("editions/_translated.html")
def translated(obj: models.Model, field: str, markdown: bool = False, level: int = 3) -> dict[str, Any]:
    """``obj.<field>`` in the reader's language, or in another one with a note saying so."""
    code = shown_language(obj, field)
    return {
        "value": getattr(obj, field),
        "fallback_language": code if code and code != get_language() else None,
        "markdown": markdown,
        "level": level,
    }


@register.filter
def country_names(codes: list[str]) -> list[str]:
    """``["BE", "FR"]`` → ``["Belgium", "France"]`` in the reader's language."""
    return [str(Country(code).label) for code in codes]
