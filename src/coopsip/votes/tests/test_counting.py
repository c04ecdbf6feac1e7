"""Counting on hand-computed cases (no Django: runs without settings)."""

from __future__ import annotations

import pytest

from coopsip.votes.counting import (
    APPROVAL,
    DRAWN_ORDER,
    EARLIER_ROUNDS,
    INSTANT_RUNOFF,
    Round,
    TieBreak,
    count,
)


def _times(n: int, ballot: list[str]) -> list[list[str]]:
    return [list(ballot) for _ in range(n)]


def test_approval_elects_the_most_approved_and_breaks_a_tie_at_the_last_seat_by_the_drawn_order() -> None:
    # A: 3 approvals, B: 2, C: 2, D: 1. Two seats: A, then B or C; C was drawn before B.
    ballots = [["A", "B"], ["A"], ["B", "C"], ["A", "C"], ["D"], []]
    result = count(
        method=APPROVAL, candidates=["A", "B", "C", "D"], ballots=ballots, seats=2, tie_order=["C", "A", "B", "D"]
    )
    assert result.elected == ("A", "C")
    assert result.totals == (("A", 3), ("C", 2), ("B", 2), ("D", 1))
    assert result.ties == (TieBreak(round=0, seat=2, tied=("C", "B"), chosen="C", rule=DRAWN_ORDER),)
    assert result.ballots == 6 and result.blank == 1


def test_approval_without_a_tie_at_the_boundary_reports_none() -> None:
    result = count(
        method=APPROVAL,
        candidates=["A", "B", "C"],
        ballots=[["A", "B"], ["A", "B"], ["C"]],
        seats=2,
        tie_order=["C", "B", "A"],
    )
    # A and B tie with each other, but both are in: nothing was decided by lot.
    assert set(result.elected) == {"A", "B"}
    assert result.ties == ()


def test_instant_runoff_transfers_the_eliminated_candidates_ballots() -> None:
    # 4 A>B>C, 3 B>C>A, 2 C>B>A. Round 1: A4 B3 C2 (no majority of 9): C out. Round 2: A4 B5: B elected.
    ballots = _times(4, ["A", "B", "C"]) + _times(3, ["B", "C", "A"]) + _times(2, ["C", "B", "A"])
    result = count(
        method=INSTANT_RUNOFF, candidates=["A", "B", "C"], ballots=ballots, seats=1, tie_order=["A", "B", "C"]
    )
    assert result.elected == ("B",)
    assert result.rounds == (
        Round(seat=1, number=1, counts=(("A", 4), ("B", 3), ("C", 2)), exhausted=0, elected=None, eliminated="C"),
        Round(seat=1, number=2, counts=(("B", 5), ("A", 4)), exhausted=0, elected="B", eliminated=None),
    )
    assert result.totals == (("A", 4), ("B", 3), ("C", 2))
    assert result.ties == ()


def test_exhausted_ballots_stop_counting_and_a_tie_with_equal_history_goes_by_the_drawn_order() -> None:
    # 3 A, 2 B, 2 C>B, 1 C, 1 blank.
    # Round 1: A3 C3 B2, 1 exhausted (the blank): B out.
    # Round 2: A3 C3, the 2 "B" ballots exhausted too (3); A and C tie, and tied in round 1 as well:
    #          the drawn order A, B, C eliminates C (drawn last).
    # Round 3: A alone: elected, 6 exhausted.
    ballots = _times(3, ["A"]) + _times(2, ["B"]) + _times(2, ["C", "B"]) + [["C"], []]
    result = count(
        method=INSTANT_RUNOFF, candidates=["A", "B", "C"], ballots=ballots, seats=1, tie_order=["A", "B", "C"]
    )
    assert result.elected == ("A",)
    assert [(r.number, r.exhausted, r.eliminated, r.elected) for r in result.rounds] == [
        (1, 1, "B", None),
        (2, 3, "C", None),
        (3, 6, None, "A"),
    ]
    assert result.ties == (TieBreak(round=2, seat=1, tied=("A", "C"), chosen="C", rule=DRAWN_ORDER),)
    assert result.blank == 1 and result.ballots == 9


def test_a_tie_for_the_fewest_is_broken_by_the_earlier_round_first() -> None:
    # 6 A, 5 B, 3 C, 2 D>C. Round 1: A6 B5 C3 D2: D out. Round 2: A6 B5 C5: B and C tie;
    # in round 1 C had fewer (3 < 5): C out. Round 3: A6 B5 (5 exhausted), 6 > 11/2: A elected.
    ballots = _times(6, ["A"]) + _times(5, ["B"]) + _times(3, ["C"]) + _times(2, ["D", "C"])
    result = count(
        method=INSTANT_RUNOFF, candidates=["A", "B", "C", "D"], ballots=ballots, seats=1, tie_order=["C", "B", "A", "D"]
    )
    assert result.elected == ("A",)
    assert result.ties == (TieBreak(round=2, seat=1, tied=("C", "B"), chosen="C", rule=EARLIER_ROUNDS),)
    assert result.rounds[-1].counts == (("A", 6), ("B", 5))
    assert result.rounds[-1].exhausted == 5


def test_several_seats_count_again_without_the_elected() -> None:
    # Seat 1 as above: B. Seat 2 between A and C: 4 A>B>C go to A; 3 B>C>A and 2 C>B>A go to C: C5 > 9/2.
    ballots = _times(4, ["A", "B", "C"]) + _times(3, ["B", "C", "A"]) + _times(2, ["C", "B", "A"])
    result = count(
        method=INSTANT_RUNOFF, candidates=["A", "B", "C"], ballots=ballots, seats=2, tie_order=["A", "B", "C"]
    )
    assert result.elected == ("B", "C")
    assert result.rounds[-1] == Round(
        seat=2, number=1, counts=(("C", 5), ("A", 4)), exhausted=0, elected="C", eliminated=None
    )


def test_unknown_candidates_and_repeats_inside_a_ballot_are_ignored_not_the_ballot() -> None:
    result = count(
        method=INSTANT_RUNOFF,
        candidates=["A", "B"],
        ballots=[["X", "B", "B", "A"], ["A"], ["B"]],
        seats=1,
        tie_order=["A", "B"],
    )
    assert result.elected == ("B",)
    assert result.rounds[0].counts == (("B", 2), ("A", 1))


def test_counting_is_the_same_whatever_the_order_of_the_ballots() -> None:
    ballots = _times(4, ["A", "B", "C"]) + _times(3, ["B", "C", "A"]) + _times(2, ["C", "B", "A"]) + [["C"], []]
    forward = count(
        method=INSTANT_RUNOFF, candidates=["A", "B", "C"], ballots=ballots, seats=2, tie_order=["B", "A", "C"]
    )
    backward = count(
        method=INSTANT_RUNOFF, candidates=["A", "B", "C"], ballots=ballots[::-1], seats=2, tie_order=["B", "A", "C"]
    )
    assert forward == backward


@pytest.mark.parametrize(
    ("candidates", "seats", "tie_order"),
    [(["A", "B"], 0, ["A", "B"]), (["A", "B"], 3, ["A", "B"]), (["A", "A"], 1, ["A", "A"]), (["A", "B"], 1, ["A"])],
)
def test_impossible_settings_are_refused(candidates: list[str], seats: int, tie_order: list[str]) -> None:
    with pytest.raises(ValueError, match="must"):
        count(method=APPROVAL, candidates=candidates, ballots=[], seats=seats, tie_order=tie_order)


def test_an_unknown_method_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown method"):
        count(method="borda", candidates=["A"], ballots=[], seats=1, tie_order=["A"])


def test_a_show_of_hands_adds_approvals_and_cannot_rank() -> None:
    result = count(
        method=APPROVAL,
        candidates=["A", "B"],
        ballots=[["A"], ["A"], ["B"]],
        seats=1,
        tie_order=["A", "B"],
        hands={"B": 2},
    )
    assert result.elected == ("B",) and result.totals == (("B", 3), ("A", 2))
    with pytest.raises(ValueError, match="cannot rank"):
        count(method=INSTANT_RUNOFF, candidates=["A"], ballots=[], seats=1, tie_order=["A"], hands={"A": 1})
