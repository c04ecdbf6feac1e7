"""Elected proposals become themes once: a proposal elected by two ballots is not made a theme twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.editions.models import Theme
from coopsip.votes import services
from coopsip.votes.models import Ballot, ThemeProposal

from .conftest import close, next_edition, options, shortlisted, voter


def elect(proposals: list[ThemeProposal], winner: str, by: Any) -> Ballot:
    """A closed, counted approval ballot on ``proposals`` where ``winner`` is elected (``by`` votes for it)."""
    now = timezone.now()
    ballot = services.create_ballot(
        actor=None,
        title="Themes",
        method="approval",
        seats=1,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(hours=1),
        proposals=proposals,
    )
    services.cast_vote(ballot=ballot, user=by, choices=[options(ballot)[winner]])
    return services.count_ballot(actor=None, ballot=close(ballot))


def test_a_proposal_elected_by_two_ballots_becomes_one_theme_and_the_team_is_told(staff: Any, member: Any) -> None:
    care, housing, tools = shortlisted(voter(90), "Care", "Housing", "Tools")
    first, second = elect([care, housing], "Care", member), elect([care, tools], "Care", member)
    edition = next_edition()
    services.create_elected_themes(actor=staff, ballot=first, edition=edition)
    page = client_for(staff).post(
        reverse("votes_staff:themes", kwargs={"pk": second.pk}), {"edition": edition.pk}, follow=True
    )
    text = page.content.decode()
    assert "0 themes were added to Volgende." in text
    assert "“Care” is not created again: it is already the theme “Care” of Volgende." in text
    assert Theme.objects.filter(edition=edition).count() == 1
    care.refresh_from_db()
    assert care.theme == Theme.objects.get(edition=edition)
    assert Ballot.objects.get(pk=second.pk).themes_created_at is not None


def test_a_proposal_whose_title_the_edition_has_as_a_theme_already_is_skipped(staff: Any) -> None:
    care, housing = shortlisted(voter(90), "Care", "Housing")
    ballot = elect([care, housing], "Care", voter(1))
    edition = next_edition()
    Theme.objects.create(edition=edition, slug="care", title_nl="Care", title_fr="Care")
    done = services.create_elected_themes(actor=staff, ballot=ballot, edition=edition)
    assert done.created == [] and done.skipped == [
        "“Care” is not created again: Volgende already has a theme of that title."
    ]
    care.refresh_from_db()
    assert care.theme is not None and care.theme.slug == "care"


def test_the_proposal_says_which_theme_it_became_with_a_link_once_the_edition_is_published(member: Any) -> None:
    care, housing = shortlisted(voter(90), "Care", "Housing")
    edition = next_edition()
    services.create_elected_themes(actor=None, ballot=elect([care, housing], "Care", member), edition=edition)
    url = reverse("votes:proposal", kwargs={"pk": care.pk})
    theme_url = reverse("editions:theme", kwargs={"slug": edition.slug, "theme_slug": "care"})
    page = client_for(member).get(url).content.decode()
    assert "Became the theme “Care” of edition Volgende." in page and theme_url not in page  # a draft edition
    edition.published_at = timezone.now() - timedelta(days=1)
    edition.save(update_fields=["published_at"])
    page = client_for(member).get(url).content.decode()
    assert f'Became the theme <a href="{theme_url}">“Care”</a> of edition Volgende.' in page
    assert client_for(member).get(theme_url).status_code == 200
    assert (
        "Became the theme"
        not in client_for(member).get(reverse("votes:proposal", kwargs={"pk": housing.pk})).content.decode()
    )
