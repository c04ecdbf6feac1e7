"""Template helpers for events: when (in Brussels time), seats left, and the events of an edition."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from coopsip.events import notifications, selectors
from coopsip.events.models import Event

register = template.Library()


@register.filter
def when(event: Event) -> str:
    """The event's date and time in Brussels, as the active language writes them."""
    return notifications.when(event)


@register.filter
def seats_left(event: Event) -> int | None:
    """Free seats of an event annotated by ``selectors.with_counts``; None when there is no limit."""
    if event.capacity is None:
        return None
    return max(0, event.capacity - event.seated_count)  # type: ignore[attr-defined]


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or None (``{{ my_status|lookup:event.pk }}``)."""
    getter = getattr(mapping, "get", None)
    return getter(key) if getter is not None else None


@register.inclusion_tag("events/_edition_events.html", takes_context=True)
def edition_events(context: template.Context, edition: Any) -> dict[str, Any]:
    """The coming events of ``edition`` that the reader may see, each with a link."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return {"events": []}
    events = selectors.upcoming_events(user=user, now=timezone.now()).filter(edition=edition)
    return {"events": list(events)}
