"""Template helpers for events: when (in Brussels time), seats left, a map link, and the events of an edition."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils import timezone

from coopsip.events import notifications, selectors
from coopsip.events.models import Event

register = template.Library()

EDITION_EVENTS_SHOWN = 10  # on an edition's page: coming events, and past info sessions


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


OPENSTREETMAP_SEARCH = "https://www.openstreetmap.org/search"


@register.filter
def map_url(event: Any) -> str:
    """A link to the event's address on OpenStreetMap ("" online): a plain link, no map script or tiles here."""
    place = getattr(event, "place", None)
    address = place.address if place is not None else getattr(event, "address", "")
    if not address:
        return ""
    # The stored address carries the postcode and the town, which is what the map's search needs.
    return f"{OPENSTREETMAP_SEARCH}?{urlencode({'query': address})}"


OPENSTREETMAP_EMBED = "https://www.openstreetmap.org/export/embed.html"
OPENSTREETMAP = "https://www.openstreetmap.org/"
MAP_SPAN = (0.004, 0.007)  # half the height and width of the embedded map, in degrees: a few streets around


@register.filter
def map_embed(event: Any) -> dict[str, str] | None:
    """The OpenStreetMap embed and a larger map's link for the event's place, or None (no known position).

    The page shows it in a closed ``<details>``: the frame (and OpenStreetMap's requests) load only when the
    reader opens it; the address is always there as text beside it.
    """
    place = getattr(event, "place", None)
    position = place.position if place is not None else None
    if position is None:
        return None
    lat, lon = position
    bbox = f"{lon - MAP_SPAN[1]:.5f},{lat - MAP_SPAN[0]:.5f},{lon + MAP_SPAN[1]:.5f},{lat + MAP_SPAN[0]:.5f}"
    embed = urlencode({"bbox": bbox, "layer": "mapnik", "marker": f"{lat:.5f},{lon:.5f}"})
    link = f"{OPENSTREETMAP}?{urlencode({'mlat': f'{lat:.5f}', 'mlon': f'{lon:.5f}'})}#map=17/{lat:.5f}/{lon:.5f}"
    return {"src": f"{OPENSTREETMAP_EMBED}?{embed}", "link": link}


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """``mapping[key]``, or None (``{{ my_status|lookup:event.pk }}``)."""
    getter = getattr(mapping, "get", None)
    return getter(key) if getter is not None else None


@register.filter
def circle_name(circle: Any) -> str:
    """A group's name in the reader's language: a sector network's own (translated) name, else as its space names it.

    Lists select ``sector_network`` and ``working_group__theme``/``working_group__office`` with the circles.
    """
    from coopsip.groupspace.selectors import space_name

    network = getattr(circle, "sector_network", None)  # no such network: Django's error is an AttributeError
    return str(network.name) if network is not None else space_name(circle)


@register.inclusion_tag("events/_edition_events.html", takes_context=True)
def edition_events(context: template.Context, edition: Any, exclude: Any = None) -> dict[str, Any]:
    """The coming events of ``edition`` that the reader may see, and its past info sessions; each date once.

    The edition's info sessions are events of the events engine (with their sign-up): they are listed here
    among the coming events, and stay listed as past sessions afterwards. ``exclude`` is an event the page
    already shows (the edition's "next public date" box), left out so that it is shown once. Two queries.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    now = timezone.now()
    # Bounded: the soonest coming events (the events list has them all), the latest past sessions.
    coming = selectors.upcoming_events(user=user, now=now).filter(edition=edition) if user is not None else None
    excluded_pk = getattr(exclude, "pk", None)  # no next date: the template passes an empty value
    if coming is not None and excluded_pk is not None:
        coming = coming.exclude(pk=excluded_pk)
    events = [] if coming is None else list(coming[:EDITION_EVENTS_SHOWN])
    past = selectors.public_info_sessions(edition).filter(ends_at__lte=now).select_related("place")
    return {"events": events, "sessions": list(past.order_by("-starts_at", "-pk")[:EDITION_EVENTS_SHOWN])}
