"""Paper ballots at the assembly: handed out to named members, never to one who voted online, never counted twice."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for, make_person
from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.votes import services
from coopsip.votes.models import CastBallot, Channel, Participation
from coopsip.votes.services import VoteRefused

from .conftest import close, make_ballot, options, voter

ROLES = ["visitor", "outsider", "nonmember", "member", "staff", "board"]


def test_a_member_who_voted_online_gets_no_paper_ballot_and_one_with_a_paper_ballot_cannot_vote_online(
    member: Any,
) -> None:
    ballot = make_ballot(voter(9))
    ids = options(ballot)
    services.cast_vote(ballot=ballot, user=member, choices=[ids["Care"]])
    with pytest.raises(VoteRefused) as refused:
        services.hand_out_paper_ballot(actor=None, ballot=ballot, entry=member.register_entry)
    assert str(refused.value) == "Lotte Peeters already voted online: their vote counts; no paper ballot."
    lotte_online = Participation.objects.get(ballot=ballot, user=member)
    assert lotte_online.channel == Channel.ONLINE

    present = voter(1)
    services.hand_out_paper_ballot(actor=None, ballot=ballot, entry=present.register_entry)
    with pytest.raises(VoteRefused) as refused:
        services.cast_vote(ballot=ballot, user=present, choices=[ids["Tools"]])
    assert str(refused.value) == "You received a paper ballot at the assembly: it is counted there."
    with pytest.raises(VoteRefused, match=r"Voter1 Test already received a paper ballot\."):
        services.hand_out_paper_ballot(actor=None, ballot=ballot, entry=present.register_entry)
    assert CastBallot.objects.filter(ballot=ballot).count() == 1  # Lotte's only
    assert Participation.objects.filter(ballot=ballot).count() == 2


def test_a_member_without_an_account_gets_a_paper_ballot_and_cannot_vote_online_after_linking_one(member: Any) -> None:
    ballot = make_ballot(voter(9))
    entry = RegisterEntry.objects.create(
        member_number="300001", first_name="Anne", last_name="Claes", status=MembershipStatus.MEMBER
    )
    services.hand_out_paper_ballot(actor=None, ballot=ballot, entry=entry)
    # Later that evening Anne links an account to her membership and tries to vote online as well.
    anne = make_person("anne@example.org", first_name="Anne", last_name="Claes")
    RegisterEntry.objects.filter(pk=entry.pk).update(user=anne, verified_at=ballot.opens_at)
    anne.refresh_from_db()
    with pytest.raises(VoteRefused, match="You received a paper ballot"):
        services.cast_vote(ballot=ballot, user=anne, choices=[])
    assert not CastBallot.objects.exists()


def test_a_non_member_of_the_register_gets_no_paper_ballot(nonmember: Any) -> None:
    ballot = make_ballot(voter(9))
    with pytest.raises(VoteRefused) as refused:
        services.hand_out_paper_ballot(actor=None, ballot=ballot, entry=nonmember.register_entry)
    assert str(refused.value) == "Julien Dubois is not a member of the cooperative: no paper ballot."


def test_no_more_paper_ballots_are_entered_than_were_handed_out(staff: Any) -> None:
    ballot = make_ballot(voter(9), method="approval")
    ids = options(ballot)
    with pytest.raises(VoteRefused, match="No paper ballot was handed out yet"):
        services.record_paper_ballot(actor=staff, ballot=ballot, choices=[ids["Care"]])
    for n in (1, 2):
        services.hand_out_paper_ballot(actor=staff, ballot=ballot, entry=voter(n).register_entry)
    services.record_paper_ballot(actor=staff, ballot=ballot, choices=[ids["Care"]])
    services.record_paper_ballot(actor=staff, ballot=ballot, choices=[])
    with pytest.raises(VoteRefused) as refused:
        services.record_paper_ballot(actor=staff, ballot=ballot, choices=[ids["Tools"]])
    assert str(refused.value) == "All 2 paper ballots handed out are entered."
    # Through the page: the refusal in words, nothing stored.
    page = client_for(staff).post(
        reverse("votes_staff:paper", kwargs={"pk": ballot.pk}), {"approve": [ids["Tools"]]}, follow=True
    )
    assert "All 2 paper ballots handed out are entered." in page.content.decode()
    assert CastBallot.objects.filter(ballot=ballot, channel=Channel.PAPER).count() == 2
    result = services.count_ballot(actor=staff, ballot=close(ballot)).result
    assert result is not None and (result["paper"], result["participants"]) == (2, 2)


def test_the_paper_ballot_desk_finds_a_member_hands_out_a_ballot_and_refuses_one_who_voted_online(
    staff: Any, member: Any
) -> None:
    ballot = make_ballot(voter(9))
    services.cast_vote(ballot=ballot, user=member, choices=[])
    present = voter(1)
    client = client_for(staff)
    desk = reverse("votes_staff:hand_out", kwargs={"pk": ballot.pk})
    manage = client.get(reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert desk in manage and "Hand out paper ballots" in manage
    assert (
        "Only for members present who did not vote online or on paper; it cannot be checked per person." not in manage
    )  # ranked choice: no show of hands

    page = client.get(desk, {"q": "Voter1"}).content.decode()
    assert "Hand a paper ballot to Voter1 Test" in page and "500001" in page
    response = client.post(desk, {"entry": present.register_entry.pk, "q": "Voter1"}, follow=True)
    assert response.redirect_chain[-1][0].endswith("?q=Voter1")
    page = response.content.decode()
    assert "Voter1 Test gets a paper ballot." in page and "Has a paper ballot." in page
    assert Participation.objects.get(ballot=ballot, entry=present.register_entry).channel == Channel.PAPER

    page = client.get(desk, {"q": "100001"}).content.decode()  # Lotte, by her member number
    assert "Voted online: their vote counts; no paper ballot." in page and "Hand a paper ballot to" not in page
    forged = client.post(desk, {"entry": member.register_entry.pk}, follow=True).content.decode()
    assert "Lotte Peeters already voted online: their vote counts; no paper ballot." in forged
    assert "Choose a member from the list." in client.post(desk, {"entry": "x"}, follow=True).content.decode()
    assert "No member of the cooperative matches" in client.get(desk, {"q": "Nobody"}).content.decode()
    # The member with the paper ballot sees why there is no online form.
    ballot_page = client_for(present).get(reverse("votes:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert "You received a paper ballot at the assembly: it is counted there." in ballot_page
    assert 'name="rank_' not in ballot_page
    refused = client_for(present).post(reverse("votes:ballot", kwargs={"pk": ballot.pk}), {})
    assert refused.status_code == 400
    assert "You received a paper ballot at the assembly: it is counted there." in refused.content.decode()


def test_the_desk_lists_at_most_ten_members_and_says_so(staff: Any) -> None:
    ballot = make_ballot(voter(99))
    for n in range(12):
        voter(n)
    page = client_for(staff).get(reverse("votes_staff:hand_out", kwargs={"pk": ballot.pk}), {"q": "Test"})
    text = page.content.decode()
    assert text.count("Hand a paper ballot to") == 10
    assert "Only the first 10 members found are shown: type more of the name or the number." in text


def test_the_show_of_hands_says_who_may_raise_a_hand(staff: Any) -> None:
    ballot = make_ballot(voter(9), method="approval")
    page = client_for(staff).get(reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert "Only for members present who did not vote online or on paper; it cannot be checked per person." in page


def test_the_paper_ballot_desk_per_role(personas: dict[str, Any]) -> None:
    ballot = make_ballot(voter(9))
    url = reverse("votes_staff:hand_out", kwargs={"pk": ballot.pk})
    entry = voter(1).register_entry
    for role in ROLES:
        client = client_for(personas[role])
        expected_get = {"staff": 200, "visitor": 302}.get(role, 403)
        assert client.get(url).status_code == expected_get, role
        expected_post = {"staff": 303, "visitor": 302}.get(role, 403)
        assert client.post(url, {"entry": entry.pk}).status_code == expected_post, role
    assert client_for(personas["staff"]).put(url).status_code == 405
    assert Participation.objects.filter(ballot=ballot).count() == 1  # the staff member's hand-out only
    missing = reverse("votes_staff:hand_out", kwargs={"pk": 999999})
    assert client_for(personas["staff"]).get(missing).status_code == 404
