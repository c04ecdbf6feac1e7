"""The header's links: my registration, my events, the events I organise, and the site's sections.

The header is on every page, whose query counts are pinned: it reads the person's auth groups, which the
menus load once per request (core.access), so the team, the board and the groups' moderators and
secretaries (``events.officers``) cost no query. "My registration" goes through a redirect to the
person's current registration. Only links the person may open are shown: the network's search and the
votes are for members (and the team, and the board for votes); others, and visitors, get the sector
networks, which everyone may read. Telling a member from another person reads their register entry
once (one query, kept on the user for the rest of the request, where most member pages read it anyway).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from coopsip.core.access import _in_group, is_board_member, is_member, is_staff_member
from coopsip.events.officers import OFFICERS_GROUP

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
    if is_staff_member(user) or _in_group(user, OFFICERS_GROUP):
        # The team organises events; a group's moderator and secretary hold its meetings.
        links.append(NavLink(reverse("events_organise:list"), _("Events I organise")))
    return links


@dataclass(frozen=True)
class SectionLinks:
    network: str
    surveys: bool
    votes: bool
    team_area: bool


def section_links(user: Any) -> SectionLinks:
    """The site's sections in the main menu that ``user`` may open (never a link to a refusal)."""
    team, board = is_staff_member(user), is_board_member(user)
    member = user.is_authenticated and not team and is_member(user)
    return SectionLinks(
        network=reverse("networking:search" if team or member else "networking:sector_networks"),
        surveys=bool(user.is_authenticated),
        votes=team or board or member,
        team_area=team,
    )


@register.simple_tag(takes_context=True)
def section_nav(context: template.Context) -> SectionLinks | None:
    request = context.get("request")
    return section_links(request.user) if request is not None else None


@register.simple_tag(takes_context=True)
def personal_nav(context: template.Context) -> list[NavLink]:
    request = context.get("request")
    return personal_links(request.user) if request is not None else []
