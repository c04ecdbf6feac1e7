"""The personal home's blocks: an open ballot the member has not voted on yet; the themes members are
proposing and supporting for the next edition; a ballot's result published in the last weeks."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopsip.core import personal_home
from coopsip.votes.models import Ballot, ProposalStatus, ThemeProposal

RECENT_RESULTS = timedelta(days=60)


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


def themes_and_results(user: Any) -> Iterable[personal_home.HomeItem]:
    """Members: the proposals open for support (if any), and a result published lately. Two queries."""
    entry = getattr(user, "register_entry", None) if user.is_authenticated else None
    if entry is None or not entry.is_member:
        return
    open_count = ThemeProposal.objects.filter(status__in=[ProposalStatus.PROPOSED, ProposalStatus.SHORTLISTED]).count()
    if open_count:
        yield personal_home.HomeItem(
            title=_("Themes of the next edition"),
            text=ngettext(
                "%(count)s theme is proposed: support the ones you want, or propose your own.",
                "%(count)s themes are proposed: support the ones you want, or propose your own.",
                open_count,
            )
            % {"count": open_count},
            url=reverse("votes:proposals"),
            link_text=_("See the proposed themes"),
            urgency=personal_home.Urgency.INFO,
            section="votes",
        )
    published = (
        Ballot.objects.filter(published_at__gte=timezone.now() - RECENT_RESULTS).order_by("-published_at").first()
    )
    if published is not None:
        yield personal_home.HomeItem(
            title=_("Result of the vote: %(title)s") % {"title": published.title},
            text=_("The general assembly's vote is counted and its result published."),
            url=reverse("votes:ballot", kwargs={"pk": published.pk}),
            link_text=_("See the result"),
            urgency=personal_home.Urgency.INFO,
            when=published.published_at,
            section="votes",
        )


personal_home.register("votes", open_ballots, order=41)
personal_home.register("themes", themes_and_results, order=43)
