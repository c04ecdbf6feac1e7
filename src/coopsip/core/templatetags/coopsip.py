from django import template
from django.utils.safestring import SafeString, mark_safe

from coopsip.core.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> SafeString:
    """Render staff-written Markdown; the output is sanitised, hence safe to mark."""
    return mark_safe(render_markdown(text))  # noqa: S308 (sanitised by nh3 in render_markdown)
