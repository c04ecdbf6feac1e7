"""The personal home's block: an open ballot the member has not voted on yet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from coopsip.core import personal_home
from coopsip.votes.models import Ballot


def open_ballots(user: Any) -> Iterable[personal_home.HomeItem]:
    """Members only; one query whatever the person's history."""
    entry = getattr(user, "register_entry", None) if user.is_authenticated else None
    if entry is None or not entry.is_member:
        return
    now = timezone.now()
    waiting = (
        Ballot.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .exclude(participations__user=user)
        .order_by("closes_at")[:2]
    )
    for ballot in waiting:
        yield personal_home.HomeItem(
            title=_("Vote: %(title)s") % {"title": ballot.title},
            text=_("One member, one vote, secret; you can change it until %(date)s.")
            % {"date": date_format(localtime(ballot.closes_at), "j F Y, H:i")},
            url=reverse("votes:ballot", kwargs={"pk": ballot.pk}),
            link_text=_("Vote"),
            urgency=personal_home.Urgency.ACT_NOW,
            when=ballot.closes_at,
            section="votes",
        )


personal_home.register("votes", open_ballots, order=41)
