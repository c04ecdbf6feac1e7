"""The personal home's block: date polls waiting for the person's answer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from coopsip.core import personal_home
from coopsip.events.templatetags.events_tags import circle_name
from coopsip.groupspace.selectors import polls_awaiting


def open_polls(user: Any) -> Iterable[personal_home.HomeItem]:
    """One item per open poll the person has not answered (one query whatever their history)."""
    for poll in polls_awaiting(user):
        yield personal_home.HomeItem(
            title=_("When can you come? %(title)s") % {"title": poll.title},
            text=_("%(group)s proposes dates: answer yes, if need be or no.") % {"group": circle_name(poll.circle)},
            url=reverse("groupspace:poll", kwargs={"circle_pk": poll.circle_id, "pk": poll.pk}),
            link_text=_("Answer the date poll"),
            urgency=personal_home.Urgency.ACT_NOW,
            when=poll.created_at,
            section="groups",
        )


personal_home.register("groupspace", open_polls, order=25)
