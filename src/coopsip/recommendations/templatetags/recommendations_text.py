"""Texts people wrote in one language (a recommendation, an evaluation), with the editions' visible fallback.

A recommendation is kept in the language its group wrote it in (``obj.language``). ``{% as_written obj "title" %}``
shows it with the same note as ``{% translated %}`` (editions_public) when that is not the reader's language:
the text keeps its ``lang`` attribute and a short marker such as "(NL)" follows.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.utils.translation import get_language

register = template.Library()


@register.filter
def written_elsewhere(obj: models.Model) -> str:
    """The language ``obj`` was written in when it is not the reader's, else ""."""
    language = str(getattr(obj, "language", "") or "")
    return language if language and language != (get_language() or "") else ""


@register.inclusion_tag("editions/_translated.html")
def as_written(obj: models.Model, field: str, markdown: bool = False, level: int = 3) -> dict[str, Any]:
    """``obj.<field>`` as written, with the editions' fallback note when it is in another language."""
    return {
        "value": getattr(obj, field),
        "fallback_language": written_elsewhere(obj) or None,
        "markdown": markdown,
        "level": level,
    }
