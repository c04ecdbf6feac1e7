"""Shortlisted proposals, an open ballot and a closed one; members to vote."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import link_to_register, make_person
from coopsip.editions.models import Edition
from coopsip.members.models import MembershipStatus
from coopsip.votes import services
from coopsip.votes.models import Ballot, ProposalStatus, ThemeProposal


def voter(n: int) -> Any:
    user = make_person(f"voter{n}@example.org", first_name=f"Voter{n}", last_name="Test")
    link_to_register(user, number=f"5{n:05d}", status=MembershipStatus.MEMBER)
    return user


def shortlisted(author: Any, *titles: str) -> list[ThemeProposal]:
    made = []
    for title in titles:
        proposal = services.propose_theme(
            author=author,
            title=title,
            challenge=f"The challenge of {title}",
            why_now="Now",
            country="BOTH",
            language="fr",
        )
        made.append(services.decide_proposal(actor=None, proposal=proposal, status=ProposalStatus.SHORTLISTED))
    return made


def make_ballot(
    author: Any,
    *,
    method: str = "instant_runoff",
    seats: int = 1,
    is_open: bool = True,
    titles: tuple[str, ...] = ("Care", "Housing", "Tools"),
) -> Ballot:
    now = timezone.now()
    opens, closes = (
        (now - timedelta(hours=1), now + timedelta(days=1))
        if is_open
        else (now - timedelta(days=2), now + timedelta(hours=1))
    )
    return services.create_ballot(
        actor=None,
        title="Themes 2027",
        method=method,
        seats=seats,
        opens_at=opens,
        closes_at=closes,
        proposals=shortlisted(author, *titles),
    )


def next_edition() -> Edition:
    today = timezone.localdate()
    return Edition.objects.create(
        slug="next",
        title_nl="Volgende",
        in_belgium=True,
        in_france=True,
        starts_on=today + timedelta(days=100),
        ends_on=today + timedelta(days=300),
    )


@pytest.fixture
def ballot(member: Any) -> Ballot:
    return make_ballot(member)


def options(ballot: Ballot) -> dict[str, int]:
    return {o.proposal.title: o.pk for o in ballot.options.select_related("proposal")}


def close(ballot: Ballot) -> Ballot:
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    ballot.refresh_from_db()
    return ballot
