"""The header's personal links: my registration, my events, and (for the team) the events organised.

No query of its own: the header is on every page, whose query counts are pinned. "My registration"
goes through a redirect to the person's current registration; group officers and organisers
find "Events I organise" on "My events" and on their personal home.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from coopsip.core.access import is_staff_member

register = template.Library()


@dataclass(frozen=True)
class NavLink:
    url: str
    text: str


def personal_links(user: Any) -> list[NavLink]:
    """The person's own places beside "My Smart in Progress", in a fixed order."""
    if not user.is_authenticated:
        return []
    links = [
        NavLink(reverse("home:my_registration"), _("My registration")),
        NavLink(reverse("events:mine"), _("My events")),
    ]
    # The group membership is read once per request for the menus already (core.access caches it).
    if is_staff_member(user):
        links.append(NavLink(reverse("events_organise:list"), _("Events I organise")))
    return links


@register.simple_tag(takes_context=True)
def personal_nav(context: template.Context) -> list[NavLink]:
    request = context.get("request")
    return personal_links(request.user) if request is not None else []
