"""The proposal and ballot pages: a member proposes, another supports; votes, changes, checks the receipt; the team."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse
from django.utils import translation

from conftest import client_for, link_to_register
from coopsip.members.models import MembershipStatus
from coopsip.votes import services
from coopsip.votes.models import Ballot, CastBallot, ProposalStatus, ThemeProposal

from .conftest import close, make_ballot, next_edition, options, shortlisted, voter

ROLES = ["visitor", "outsider", "nonmember", "member", "staff", "board"]


def test_a_member_proposes_a_theme_and_another_supports_it(member: Any) -> None:
    response = client_for(member).post(
        "/fr/votes/themes/propose/",
        {"title": "Le soin", "challenge": "Qui prend soin?", "why_now": "Maintenant", "country": "BOTH"},
    )
    assert response.status_code == 303
    proposal = ThemeProposal.objects.get()
    assert proposal.language == "fr" and proposal.author == member
    other = client_for(voter(1))
    url = f"/en/votes/themes/{proposal.pk}/"  # the member above wrote in French; this one reads in English
    assert "Support this theme" in other.get(url).content.decode()
    assert other.post(reverse("votes:support", kwargs={"pk": proposal.pk})).status_code == 303
    page = other.get(url).content.decode()
    assert "1 support" in page and "Withdraw my support" in page
    assert '<h1 lang="fr">Le soin</h1>' in page


def test_the_board_proposes_as_the_board(board: Any) -> None:
    response = client_for(board).post(
        reverse("votes:proposal_new"), {"title": "Ethics", "challenge": "A committee", "country": "BE"}
    )
    assert response.status_code == 303
    assert ThemeProposal.objects.get().by_board


def test_a_member_votes_changes_the_vote_and_checks_the_receipt(member: Any) -> None:
    ballot = make_ballot(voter(9))
    ids = options(ballot)
    client = client_for(member)
    url = reverse("votes:ballot", kwargs={"pk": ballot.pk})
    first = client.post(url, {f"rank_{ids['Care']}": "1", f"rank_{ids['Tools']}": "2"}).content.decode()
    assert "Your receipt code:" in first
    changed = client.post(url, {f"rank_{ids['Housing']}": "1"}).content.decode()
    code = re.search(r"<code>([A-Z0-9-]+)</code>", changed)
    assert code is not None and "Change my vote" in changed
    assert CastBallot.objects.count() == 1
    refused = client.post(url, {f"rank_{ids['Housing']}": "1", f"rank_{ids['Care']}": "1"})
    assert refused.status_code == 400 and "Give each rank to one theme only." in refused.content.decode()
    close(ballot)
    page = client.post(url, {"receipt": code.group(1)}).content.decode()
    assert "This receipt matches a ballot cast with these choices: Housing." in page
    assert "No ballot matches" in client.post(url, {"receipt": "AAAA-BBBB-CCCC"}).content.decode()
    # Never in the address: the form posts it, and a code in the URL is not read (it would reach the logs).
    assert 'method="post" class="form inline-form" action="#receipt-check"' in page
    assert "This receipt matches" not in client.get(url, {"receipt": code.group(1)}).content.decode()
    assert CastBallot.objects.count() == 1  # checking a receipt casts nothing


def test_the_team_counts_publishes_and_creates_the_themes(staff: Any, member: Any) -> None:
    ballot = make_ballot(voter(9), method="approval", seats=1)
    ids = options(ballot)
    services.cast_vote(ballot=ballot, user=member, choices=[ids["Tools"]])
    client = client_for(staff)
    manage = reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})
    present = voter(3).register_entry
    client.post(reverse("votes_staff:hand_out", kwargs={"pk": ballot.pk}), {"entry": present.pk})
    client.post(reverse("votes_staff:paper", kwargs={"pk": ballot.pk}), {"approve": [ids["Tools"], ids["Care"]]})
    assert client.post(reverse("votes_staff:count", kwargs={"pk": ballot.pk})).status_code == 303
    assert not Ballot.objects.get().counted_at  # still open: refused
    close(ballot)
    client.post(reverse("votes_staff:count", kwargs={"pk": ballot.pk}))
    page = client.get(manage).content.decode()
    assert "Elected:</strong> Tools" in page and "paper ballots counted in the room: 1" in page
    member_page = client_for(member).get(reverse("votes:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert "Elected:" not in member_page
    client.post(reverse("votes_staff:publish", kwargs={"pk": ballot.pk}))
    assert (
        "Elected:</strong> Tools"
        in client_for(member).get(reverse("votes:ballot", kwargs={"pk": ballot.pk})).content.decode()
    )
    edition = next_edition()
    themes_url = reverse("votes_staff:themes", kwargs={"pk": ballot.pk})
    assert "Create the themes" in client.get(themes_url).content.decode()
    assert client.post(themes_url, {"edition": edition.pk}).status_code == 303
    assert list(edition.themes.values_list("title_fr", flat=True)) == ["Tools"]


def test_a_paper_ballot_is_entered_as_written_or_refused_in_words(staff: Any) -> None:
    ballot = make_ballot(voter(9))  # ranked choice
    ids = options(ballot)
    client = client_for(staff)
    paper = reverse("votes_staff:paper", kwargs={"pk": ballot.pk})
    manage = reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})
    for n in (1, 2):
        services.hand_out_paper_ballot(actor=staff, ballot=ballot, entry=voter(n).register_entry)
    page = client.post(paper, {f"rank_{ids['Care']}": "abc"}, follow=True).content.decode()
    assert "Write each rank as a whole number from 1, or leave it empty." in page
    both_first = {f"rank_{ids['Care']}": "1", f"rank_{ids['Tools']}": "1"}
    assert "Give each rank to one theme only." in client.post(paper, both_first, follow=True).content.decode()
    assert CastBallot.objects.count() == 0  # nothing guessed, nothing stored
    client.post(paper, {f"rank_{ids['Tools']}": "2", f"rank_{ids['Care']}": "1"})
    assert CastBallot.objects.get().choices == [ids["Care"], ids["Tools"]]
    assert "A blank paper ballot is recorded" in client.post(paper, {}, follow=True).content.decode()
    assert client.get(manage).status_code == 200


def test_staff_decide_with_a_reason(staff: Any, member: Any) -> None:
    proposal = services.propose_theme(author=member, title="T", challenge="C", why_now="", country="BE", language="nl")
    url = reverse("votes_staff:decide", kwargs={"pk": proposal.pk})
    refused = client_for(staff).post(url, {"status": "not_retained", "reason": ""})
    assert refused.status_code == 400 and "Say why" in refused.content.decode()
    assert client_for(staff).post(url, {"status": "not_retained", "reason": "Already running"}).status_code == 303
    page = client_for(member).get(reverse("votes:proposal", kwargs={"pk": proposal.pk})).content.decode()
    assert "Not retained:</strong> Already running" in page


def test_every_page_per_role(personas: dict[str, Any]) -> None:
    proposal, *_rest = shortlisted(voter(9), "Care", "Housing")
    ballot = make_ballot(voter(8))
    reading = {"member": 200, "staff": 200, "board": 200, "visitor": 302}
    team = {"staff": 200, "visitor": 302}
    pages = {
        reverse("votes:proposal", kwargs={"pk": proposal.pk}): reading,
        reverse("votes:ballot", kwargs={"pk": ballot.pk}): reading,
        reverse("votes_staff:decide", kwargs={"pk": proposal.pk}): team,
        reverse("votes_staff:ballot", kwargs={"pk": ballot.pk}): team,
        reverse("votes_staff:themes", kwargs={"pk": ballot.pk}): team,
    }
    posts = {
        reverse("votes:support", kwargs={"pk": proposal.pk}): {"member": 303, "visitor": 302},
        reverse("votes_staff:paper", kwargs={"pk": ballot.pk}): {"staff": 303, "visitor": 302},
        reverse("votes_staff:hands", kwargs={"pk": ballot.pk}): {"staff": 303, "visitor": 302},
        reverse("votes_staff:count", kwargs={"pk": ballot.pk}): {"staff": 303, "visitor": 302},
        reverse("votes_staff:publish", kwargs={"pk": ballot.pk}): {"staff": 303, "visitor": 302},
        reverse("votes_staff:link_event", kwargs={"pk": ballot.pk}): {"staff": 303, "visitor": 302},
    }
    for role in ROLES:
        client = client_for(personas[role])
        for url, expected in pages.items():
            assert client.get(url).status_code == expected.get(role, 403), (role, url)
        for url, expected in posts.items():
            assert client.post(url).status_code == expected.get(role, 403), (role, url)
            if role == "member":
                assert client.get(url).status_code == 405
    # Voting itself: members only.
    vote_url = reverse("votes:ballot", kwargs={"pk": ballot.pk})
    for role in ("nonmember", "staff", "board"):
        assert client_for(personas[role]).post(vote_url, {}).status_code == 403, role
    assert client_for(personas["member"]).get(reverse("votes:ballot", kwargs={"pk": 99999})).status_code == 404
    assert proposal.status == ProposalStatus.SHORTLISTED


def test_the_personal_home_offers_the_open_ballot_until_the_member_voted(member: Any) -> None:
    ballot = make_ballot(voter(9))
    client = client_for(member)
    assert "Vote: Themes 2027" in client.get(reverse("home:me")).content.decode()
    services.cast_vote(ballot=ballot, user=member, choices=[])
    assert "Vote: Themes 2027" not in client.get(reverse("home:me")).content.decode()


def test_members_reach_the_themes_and_a_published_result_from_the_header_and_the_personal_home(
    member: Any, staff: Any
) -> None:
    client = client_for(member)
    page = client.get(reverse("home:me")).content.decode()
    assert "Themes and votes" in page and "Themes of the next edition" not in page  # nothing proposed yet
    ballot = make_ballot(voter(9))  # three shortlisted proposals
    page = client.get("/en/me/").content.decode()
    assert "3 themes are proposed: support the ones you want, or propose your own." in page
    assert reverse("votes:proposals") in page
    ballot = close(ballot)
    services.count_ballot(actor=staff, ballot=ballot)
    services.publish_result(actor=staff, ballot=ballot)
    page = client.get("/en/me/").content.decode()
    assert "Result of the vote: Themes 2027" in page
    assert reverse("votes:ballot", kwargs={"pk": ballot.pk}) in page


def test_a_board_member_who_is_a_member_chooses_to_propose_as_the_board(board: Any) -> None:
    link_to_register(board, number="100009", status=MembershipStatus.MEMBER)
    client = client_for(board)
    url = reverse("votes:proposal_new")
    form = client.get(url).content.decode()
    assert "Propose on behalf of the board" in form
    assert 'name="on_behalf_of_board"' in form and 'name="on_behalf_of_board" checked' not in form  # off at first
    client.post(url, {"title": "Own idea", "challenge": "Mine", "country": "BE"})
    client.post(url, {"title": "Board idea", "challenge": "Ours", "country": "BE", "on_behalf_of_board": "on"})
    assert dict(ThemeProposal.objects.values_list("title", "by_board")) == {"Own idea": False, "Board idea": True}
    page = client.get(reverse("votes:proposals")).content.decode()
    assert page.count("proposed by the board") == 1


def test_a_member_never_sees_the_board_checkbox_and_a_forged_one_is_ignored(member: Any) -> None:
    client = client_for(member)
    url = reverse("votes:proposal_new")
    assert "Propose on behalf of the board" not in client.get(url).content.decode()
    response = client.post(url, {"title": "T", "challenge": "C", "country": "BE", "on_behalf_of_board": "on"})
    assert response.status_code == 303
    assert ThemeProposal.objects.get().by_board is False


def test_a_proposals_status_reads_as_a_status_not_as_a_date(member: Any) -> None:
    """ "proposed" had one translation with "proposed on" (a date's label): the status now has its own context."""
    proposal = services.propose_theme(
        author=member, title="Zorg", challenge="C", why_now="", country="BE", language="nl"
    )
    assert str(ProposalStatus.PROPOSED.label) == "proposed"
    for language in ("nl", "fr"):
        with translation.override(language):
            label = str(ProposalStatus.PROPOSED.label)
            pages = [
                client_for(member).get(reverse("votes:proposal", kwargs={"pk": proposal.pk})).content.decode(),
                client_for(member).get(reverse("votes:proposals")).content.decode(),
            ]
        assert label not in ("voorgesteld op", "proposé le"), language
        assert all(label in page for page in pages), language
        assert not any(wrong in page for page in pages for wrong in ("voorgesteld op", "proposé le"))
