"""``{% event_ballots event %}``: on an event's page, the vote held at that general assembly while it is open."""

from __future__ import annotations

from typing import Any

from django import template

from coopsip.votes import services

register = template.Library()


@register.inclusion_tag("votes/_event_ballots.html", takes_context=True)
def event_ballots(context: template.Context, event: Any) -> dict[str, Any]:
    user = context.get("user")
    return {
        "ballots": services.open_ballots_of(event) if event is not None and event.pk else [],
        "may_vote": bool(user is not None and user.is_authenticated and user.has_perm("votes.vote")),
        "user": user,
    }
