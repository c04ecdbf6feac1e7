from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("contributions/_groupspace_tab.html")
def contributions_tab(circle: Any) -> dict[str, Any]:
    """A tab of a working group's space to the contributions on its theme (nothing for other circles)."""
    from coopsip.groups.models import WorkingGroup

    theme_id = WorkingGroup.objects.filter(circle_id=circle.pk).values_list("theme_id", flat=True).first()
    return {"theme_id": theme_id}
