from __future__ import annotations

from typing import Any

from django import template

from coopsip.registrations.models import Registration

register = template.Library()


@register.simple_tag(takes_context=True)
def my_registration(context: template.Context, edition: Any) -> Registration | None:
    """The reader's registration for ``edition``, if any: pages link to it whatever the dates."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return Registration.objects.filter(edition=edition, user=user).first()
