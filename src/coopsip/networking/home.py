"""The personal home's block: new offers that match the person's needs, new needs that fit their profile."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.translation import ngettext

from coopsip.core import personal_home
from coopsip.core.access import is_member
from coopsip.networking.selectors import new_matches_for_needs, new_needs_for_profile


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


def needs_for_my_profile(user: Any) -> Iterable[personal_home.HomeItem]:
    """Needs of the last two weeks that fit the person's shown profile: the platform asks who could answer."""
    if not is_member(user):
        return
    count, profile = new_needs_for_profile(user)
    if count and profile is not None:
        skill = next(iter(profile.skills.all()), None)
        query = f"?kind=need&skill={skill.pk}" if skill is not None else "?kind=need"
        yield personal_home.HomeItem(
            title=ngettext(
                "%(count)s new need fits your profile: could you help?",
                "%(count)s new needs fit your profile: could you help?",
                count,
            )
            % {"count": count},
            url=reverse("networking:search") + query,
            link_text=ngettext("See the need", "See the needs", count),
            urgency=personal_home.Urgency.INFO,
            section="networking",
        )


def networking_items(user: Any) -> Iterable[personal_home.HomeItem]:
    yield from matching_offers(user)
    yield from needs_for_my_profile(user)


personal_home.register("networking", networking_items, order=40)
