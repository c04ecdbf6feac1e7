"""The result page: who sees the counted totals when, and ties that say which seat they decided."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from conftest import client_for
from coopsip.votes import services
from coopsip.votes.models import Ballot

from .conftest import close, make_ballot, options, voter

TOTALS = "Approvals per theme"


def counted_ballot() -> Ballot:
    """Approval, two seats: Care 2, Housing 1, Tools 1; seat 2 is a tie between Housing and Tools."""
    ballot = make_ballot(voter(9), method="approval", seats=2)
    ids = options(ballot)
    services.cast_vote(ballot=ballot, user=voter(1), choices=[ids["Care"], ids["Housing"]])
    services.cast_vote(ballot=ballot, user=voter(2), choices=[ids["Care"], ids["Tools"]])
    return services.count_ballot(actor=None, ballot=close(ballot))


def test_the_team_and_the_board_see_the_totals_once_counted_members_once_published(
    personas: dict[str, Any],
) -> None:
    ballot = counted_ballot()
    url = reverse("votes:ballot", kwargs={"pk": ballot.pk})
    before = {"visitor": 302, "outsider": 403, "nonmember": 403, "member": False, "board": True, "staff": True}
    after = {**before, "member": True}
    for expected in (before, after):
        for role, sees in expected.items():
            response = client_for(personas[role]).get(url)
            if isinstance(sees, int) and not isinstance(sees, bool):
                assert response.status_code == sees, role
                assert TOTALS not in response.content.decode()
                continue
            page = response.content.decode()
            assert response.status_code == 200, role
            assert (TOTALS in page and "Elected:" in page) is sees, role
            unpublished = "Not published yet: only the team and the board see these totals."
            assert (unpublished in page) is (sees and expected is before), role
        services.publish_result(actor=None, ballot=ballot)


def test_each_tie_names_its_seat_and_how_it_was_broken(staff: Any) -> None:
    ballot = counted_ballot()
    names = {str(pk): title for title, pk in options(ballot).items()}
    drawn = [names[o] for o in ballot.tie_order if names[o] in ("Housing", "Tools")]
    page = client_for(staff).get(reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert (
        f"Seat 2: tie between {drawn[0]} and {drawn[1]}, with as many approvals; "
        f"the order drawn by lot chose {drawn[0]}."
    ) in page


def test_a_ranked_tie_names_its_seat_and_round(staff: Any) -> None:
    ballot = make_ballot(voter(9), seats=1)
    ids = options(ballot)
    # Care 2, Housing 1, Tools 1 first preferences: round 1 of seat 1 eliminates Housing or Tools by the drawn order.
    for n, first in enumerate(("Care", "Care", "Housing", "Tools")):
        services.cast_vote(ballot=ballot, user=voter(n), choices=[ids[first]])
    ballot = services.count_ballot(actor=None, ballot=close(ballot))
    names = {str(pk): title for title, pk in ids.items()}
    tied = [names[o] for o in ballot.tie_order if names[o] in ("Housing", "Tools")]
    page = client_for(staff).get(reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})).content.decode()
    assert (
        f"Seat 1, round 1: tie for the fewest votes between {tied[0]} and {tied[1]}, also in every earlier round; "
        f"the order drawn by lot eliminated {tied[1]}."
    ) in page
