from django import template
from django.utils.safestring import SafeString, mark_safe

from coopsip.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str, top_level: int = 3) -> SafeString:
    """Render staff-written Markdown (``|markdown:2`` under an h1); sanitised, hence safe to mark."""
    return mark_safe(render_markdown(text, top_level=int(top_level)))  # noqa: S308 (sanitised by nh3)
