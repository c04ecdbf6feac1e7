"""Proposals, supports, decisions; casting, changing and checking a secret vote; counting; the next themes."""

from __future__ import annotations

from typing import Any

import pytest
from django.apps import apps
from django.db import models

from coopsip.editions.models import Theme
from coopsip.votes import services
from coopsip.votes.models import Ballot, CastBallot, Participation, ProposalStatus, Support
from coopsip.votes.services import VoteRefused

from .conftest import close, make_ballot, next_edition, options, shortlisted, voter


def test_a_member_proposes_and_others_support_once(member: Any) -> None:
    proposal = services.propose_theme(
        author=member, title="  Care   work ", challenge="Who cares?", why_now="", country="BE", language="nl"
    )
    assert proposal.title == "Care work" and proposal.status == ProposalStatus.PROPOSED
    other = voter(1)
    assert services.support_proposal(user=other, proposal=proposal) is True
    assert services.support_proposal(user=other, proposal=proposal) is False
    assert Support.objects.filter(proposal=proposal).count() == 1
    with pytest.raises(VoteRefused, match="your own proposal"):
        services.support_proposal(user=member, proposal=proposal)


def test_hostile_and_empty_proposals_are_refused_or_kept_as_text(member: Any) -> None:
    with pytest.raises(VoteRefused, match="Give the theme a title"):
        services.propose_theme(author=member, title=" ", challenge="x", why_now="", country="BE", language="nl")
    with pytest.raises(VoteRefused, match="Choose Belgium, France or both"):
        services.propose_theme(author=member, title="T", challenge="x", why_now="", country="DE", language="nl")
    kept = services.propose_theme(
        author=member, title="<script>x</script>", challenge="<img onerror=1>", why_now="", country="FR", language="fr"
    )
    assert kept.title == "<script>x</script>"  # escaped when shown


def test_not_retained_needs_a_reason_and_merging_moves_the_supports(member: Any) -> None:
    first, second = shortlisted(member, "Care", "Care work")
    with pytest.raises(VoteRefused, match="Say why"):
        services.decide_proposal(actor=None, proposal=first, status=ProposalStatus.NOT_RETAINED)
    services.support_proposal(user=voter(1), proposal=second)
    services.decide_proposal(
        actor=None, proposal=second, status=ProposalStatus.MERGED, merged_into=first, reason="Same idea"
    )
    assert first.supports.count() == 1
    second.refresh_from_db()
    with pytest.raises(VoteRefused, match="closed"):
        services.support_proposal(user=voter(2), proposal=second)


def test_a_ballot_takes_shortlisted_proposals_only_and_draws_the_tie_order(member: Any) -> None:
    ballot = make_ballot(member)
    assert sorted(ballot.tie_order) == sorted(str(pk) for pk in options(ballot).values())
    proposal = services.propose_theme(
        author=member, title="Raw", challenge="x", why_now="", country="BE", language="nl"
    )
    with pytest.raises(VoteRefused, match="Only shortlisted"):
        services.create_ballot(
            actor=None,
            title="x",
            method="approval",
            seats=1,
            opens_at=ballot.opens_at,
            closes_at=ballot.closes_at,
            proposals=[proposal, *[o.proposal for o in ballot.options.all()]],
        )


def test_a_member_votes_changes_the_vote_and_one_ballot_counts(ballot: Ballot) -> None:
    lotte = voter(1)
    ids = options(ballot)
    first = services.cast_vote(ballot=ballot, user=lotte, choices=[ids["Care"], ids["Tools"]])
    second = services.cast_vote(ballot=ballot, user=lotte, choices=[ids["Housing"]])
    assert first != second
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    assert services.current_choices(ballot, lotte) == [ids["Housing"]]
    close(ballot)
    assert services.check_receipt(ballot=ballot, code=first) is None  # replaced by the later vote
    cast = services.check_receipt(ballot=ballot, code=second.lower().replace("-", " "))
    assert cast is not None and cast.choices == [ids["Housing"]]
    with pytest.raises(VoteRefused, match="Voting is closed"):
        services.cast_vote(ballot=ballot, user=lotte, choices=[ids["Care"]])


def test_receipts_are_checked_only_after_the_close(ballot: Ballot) -> None:
    code = services.cast_vote(ballot=ballot, user=voter(1), choices=[])
    with pytest.raises(VoteRefused, match="once voting has closed"):
        services.check_receipt(ballot=ballot, code=code)


def test_only_members_vote_and_only_on_the_ballots_themes(ballot: Ballot, nonmember: Any) -> None:
    with pytest.raises(VoteRefused, match="Only members"):
        services.cast_vote(ballot=ballot, user=nonmember, choices=[])
    lotte = voter(1)
    with pytest.raises(VoteRefused, match="among the themes"):
        services.cast_vote(ballot=ballot, user=lotte, choices=[999999])
    ids = options(ballot)
    with pytest.raises(VoteRefused, match="one theme only"):
        services.cast_vote(ballot=ballot, user=lotte, choices=[ids["Care"], ids["Care"]])
    assert not Participation.objects.exists()


def test_no_stored_row_joins_a_person_to_a_choice(ballot: Ballot) -> None:
    """Search every row of every table for the voter's id, email or key next to the choice."""
    lotte = voter(1)
    ids = options(ballot)
    services.cast_vote(ballot=ballot, user=lotte, choices=[ids["Tools"], ids["Care"]])
    cast = CastBallot.objects.get(ballot=ballot)
    person_marks = {str(lotte.pk), lotte.email}
    # The content row holds no person, no time, and a random id.
    field_names = {f.name for f in CastBallot._meta.get_fields()}
    assert not {"user", "voter", "cast_at", "created_at", "voted_at"} & field_names
    assert not any(isinstance(f, models.DateTimeField) for f in CastBallot._meta.get_fields())
    assert isinstance(cast.pk, type(cast.id)) and len(str(cast.pk)) == 36
    # The participation row holds no choice and no time: who (account, register entry) and how (online, paper).
    participation_fields = {f.name for f in Participation._meta.get_fields()}
    assert participation_fields == {"id", "ballot", "user", "entry", "channel"}
    # No row anywhere holds both something of the person and the choices.
    choices_text = str([ids["Tools"], ids["Care"]])
    for model in apps.get_models():
        for row in model.objects.all().values():
            values = {str(v) for v in row.values()}
            if choices_text in values:
                assert not (person_marks & values), f"{model.__name__} joins a person to a choice"
    assert cast.voter_key not in {str(v) for row in Participation.objects.values() for v in row.values()}


def test_counting_after_the_close_with_paper_and_hands_marked(member: Any) -> None:
    ballot = make_ballot(member, method="approval", seats=1)
    ids = options(ballot)
    for n in range(3):
        services.cast_vote(ballot=ballot, user=voter(n), choices=[ids["Care"]])
    services.cast_vote(ballot=ballot, user=voter(9), choices=[ids["Housing"]])
    with pytest.raises(VoteRefused, match="still open"):
        services.count_ballot(actor=None, ballot=ballot)
    services.hand_out_paper_ballot(actor=None, ballot=ballot, entry=voter(5).register_entry)
    services.record_paper_ballot(actor=None, ballot=ballot, choices=[ids["Housing"]])
    services.record_show_of_hands(actor=None, ballot=ballot, counts={ids["Housing"]: 2, ids["Tools"]: 1}, voters=3)
    ballot = services.count_ballot(actor=None, ballot=close(ballot))
    result = ballot.result
    assert result["elected"] == [str(ids["Housing"])]  # 1 online + 1 paper + 2 hands = 4 > 3
    assert (result["online"], result["paper"], result["hands"], result["participants"]) == (4, 1, 3, 5)
    with pytest.raises(VoteRefused, match="already counted"):
        services.record_paper_ballot(actor=None, ballot=ballot, choices=[])


def test_a_show_of_hands_is_refused_on_a_ranked_ballot(ballot: Ballot) -> None:
    with pytest.raises(VoteRefused, match="cannot rank"):
        services.record_show_of_hands(actor=None, ballot=ballot, counts={}, voters=1)


def test_a_tie_is_counted_by_the_drawn_order_and_reported(member: Any) -> None:
    ballot = make_ballot(member, method="approval", seats=1)
    ids = options(ballot)
    services.cast_vote(ballot=ballot, user=voter(1), choices=[ids["Care"]])
    services.cast_vote(ballot=ballot, user=voter(2), choices=[ids["Tools"]])
    ballot = services.count_ballot(actor=None, ballot=close(ballot))
    drawn = [t for t in ballot.tie_order if t in (str(ids["Care"]), str(ids["Tools"]))]
    assert ballot.result["elected"] == [drawn[0]]
    assert ballot.result["ties"][0]["rule"] == "drawn_order"


def test_elected_proposals_become_themes_of_the_next_edition_once(member: Any) -> None:
    ballot = make_ballot(member, method="approval", seats=2)
    ids = options(ballot)
    services.cast_vote(ballot=ballot, user=voter(1), choices=[ids["Care"], ids["Housing"]])
    ballot = services.count_ballot(actor=None, ballot=close(ballot))
    edition = next_edition()
    themes = services.create_elected_themes(actor=None, ballot=ballot, edition=edition).created
    assert sorted(t.title_fr for t in themes) == ["Care", "Housing"]
    assert all(t.title_nl == t.title_fr and t.in_belgium and t.in_france for t in themes)  # Dutch to translate
    assert Theme.objects.get(edition=edition, slug="care").challenges_fr == "The challenge of Care"
    with pytest.raises(VoteRefused, match="already created"):
        services.create_elected_themes(actor=None, ballot=ballot, edition=edition)
    assert edition.themes.count() == 2
