"""The personal home's block: new offers that match the person's needs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from coopsip.core import personal_home
from coopsip.core.access import is_member
from coopsip.networking.selectors import new_matches_for_needs


def matching_offers(user: Any) -> Iterable[personal_home.HomeItem]:
    """One item per shown need (at most three) with offers published in the last two weeks that fit it."""
    if not is_member(user):
        return
    for need, count in new_matches_for_needs(user):
        yield personal_home.HomeItem(
            title=ngettext(
                "%(count)s new offer matches your need “%(title)s”",
                "%(count)s new offers match your need “%(title)s”",
                count,
            )
            % {"count": count, "title": need.title},
            url=reverse("networking:detail", kwargs={"pk": need.pk}),
            link_text=ngettext("See the offer", "See the offers", count),
            urgency=personal_home.Urgency.INFO,
            when=need.created_at,
            section="networking",
        )


personal_home.register("networking", matching_offers, order=40)
