"""Counting a ballot exactly: approval voting and ranked choice by instant runoff.

Plain Python, no Django: frozen dataclasses in and out, deterministic. The
votes app turns stored ballot contents into ``count`` and stores the result.

Candidates are ids (strings). Every tie is broken by a rule written down
before the vote, and the result says which tie was broken and how:

* **approval**: each ballot approves any number of candidates; the ``seats``
  candidates with the most approvals are elected. A tie at the last seat goes
  to the candidate earlier in ``tie_order`` (the order drawn by lot when the
  ballot opened, shown on the ballot's page).
* **instant runoff** (``seats`` = 1), and for several seats **repeated instant
  runoff**: each round gives every ballot to its highest-ranked candidate still
  in the race; a candidate with more than half of the ballots still counting
  is elected; otherwise the candidate with the fewest is eliminated. A tie for
  the fewest is broken by the earlier rounds (the one with fewer votes in the
  latest round where they differ is eliminated), then by ``tie_order`` (the
  one drawn last is eliminated). For each further seat the count starts again
  from the full ballots without the candidates already elected. A ballot whose
  ranked candidates are all out of the race is *exhausted*: counted as cast,
  it simply no longer weighs in that round.

Unknown candidates and repeats inside a ballot are ignored (the first mention
counts), so a ballot is never thrown away whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

APPROVAL = "approval"
INSTANT_RUNOFF = "instant_runoff"

EARLIER_ROUNDS = "earlier_rounds"
DRAWN_ORDER = "drawn_order"


@dataclass(frozen=True)
class TieBreak:
    """A tie broken during the count."""

    round: int  # 1-based round of the seat's count (0 for approval)
    seat: int  # 1-based seat being filled
    tied: tuple[str, ...]
    chosen: str  # elected (approval) or eliminated (instant runoff)
    rule: str  # EARLIER_ROUNDS or DRAWN_ORDER


@dataclass(frozen=True)
class Round:
    """One round of an instant-runoff count."""

    seat: int
    number: int
    counts: tuple[tuple[str, int], ...]  # continuing candidates, most votes first
    exhausted: int
    elected: str | None
    eliminated: str | None


@dataclass(frozen=True)
class Result:
    method: str
    seats: int
    ballots: int  # ballots counted (blank ones included)
    elected: tuple[str, ...]
    totals: tuple[tuple[str, int], ...]  # approvals, or first preferences, most first
    rounds: tuple[Round, ...]
    ties: tuple[TieBreak, ...]
    blank: int  # ballots with no valid candidate


def _clean(ranking: Iterable[str], candidates: frozenset[str]) -> tuple[str, ...]:
    seen: list[str] = []
    for candidate in ranking:
        if candidate in candidates and candidate not in seen:
            seen.append(candidate)
    return tuple(seen)


def _check(candidates: Sequence[str], seats: int, tie_order: Sequence[str]) -> None:
    if len(set(candidates)) != len(candidates):
        raise ValueError("candidates must be distinct")
    if not 1 <= seats <= len(candidates):
        raise ValueError("seats must be between 1 and the number of candidates")
    if sorted(tie_order) != sorted(candidates):
        raise ValueError("tie_order must list every candidate once")


def count(
    *,
    method: str,
    candidates: Sequence[str],
    ballots: Iterable[Sequence[str]],
    seats: int,
    tie_order: Sequence[str],
    hands: Mapping[str, int] | None = None,
) -> Result:
    """The result of ``ballots`` (each a ranking, or for approval the approved candidates in any order).

    ``hands`` adds approvals counted by a show of hands in the room (approval only).
    """
    _check(candidates, seats, tie_order)
    known = frozenset(candidates)
    grouped: Counter[tuple[str, ...]] = Counter(_clean(ballot, known) for ballot in ballots)
    if method == APPROVAL:
        return _approval(candidates, grouped, seats, tie_order, hands or {})
    if hands:
        raise ValueError("a show of hands cannot rank: only approval ballots take one")
    if method == INSTANT_RUNOFF:
        return _instant_runoff(candidates, grouped, seats, tie_order)
    raise ValueError(f"unknown method {method!r}")


def _approval(
    candidates: Sequence[str],
    grouped: Counter[tuple[str, ...]],
    seats: int,
    tie_order: Sequence[str],
    hands: Mapping[str, int],
) -> Result:
    approvals: Counter[str] = Counter(dict.fromkeys(candidates, 0))
    for candidate, raised in hands.items():
        if candidate in approvals:
            approvals[candidate] += raised
    for ballot, times in grouped.items():
        for candidate in ballot:
            approvals[candidate] += times
    drawn = {candidate: position for position, candidate in enumerate(tie_order)}
    ranked = sorted(candidates, key=lambda c: (-approvals[c], drawn[c]))
    elected = tuple(ranked[:seats])
    ties: list[TieBreak] = []
    if seats < len(ranked):
        boundary = approvals[ranked[seats - 1]]
        tied = tuple(c for c in ranked if approvals[c] == boundary)
        if approvals[ranked[seats]] == boundary:
            # Some of ``tied`` are in, some out: the drawn order decided.
            for position, candidate in enumerate(ranked[:seats], start=1):
                if candidate in tied:
                    ties.append(TieBreak(round=0, seat=position, tied=tied, chosen=candidate, rule=DRAWN_ORDER))
    return Result(
        method=APPROVAL,
        seats=seats,
        ballots=sum(grouped.values()),
        elected=elected,
        totals=tuple((c, approvals[c]) for c in ranked),
        rounds=(),
        ties=tuple(ties),
        blank=grouped.get((), 0),
    )


def _instant_runoff(
    candidates: Sequence[str], grouped: Counter[tuple[str, ...]], seats: int, tie_order: Sequence[str]
) -> Result:
    drawn = {candidate: position for position, candidate in enumerate(tie_order)}
    elected: list[str] = []
    rounds: list[Round] = []
    ties: list[TieBreak] = []
    first: Counter[str] = Counter(dict.fromkeys(candidates, 0))
    for ballot, times in grouped.items():
        if ballot:
            first[ballot[0]] += times
    for seat in range(1, seats + 1):
        continuing = [c for c in candidates if c not in elected]
        history: list[Counter[str]] = []
        number = 0
        while True:
            number += 1
            alive = set(continuing)
            tally: Counter[str] = Counter(dict.fromkeys(continuing, 0))
            exhausted = 0
            for ballot, times in grouped.items():
                for candidate in ballot:
                    if candidate in alive:
                        tally[candidate] += times
                        break
                else:
                    exhausted += times
            history.append(tally)
            counting = sum(tally.values())
            order = tuple(sorted(continuing, key=lambda c: (-tally[c], drawn[c])))
            leader = order[0]
            if len(continuing) == 1 or 2 * tally[leader] > counting:
                elected.append(leader)
                rounds.append(
                    Round(
                        seat=seat,
                        number=number,
                        counts=tuple((c, tally[c]) for c in order),
                        exhausted=exhausted,
                        elected=leader,
                        eliminated=None,
                    )
                )
                break
            fewest = min(tally[c] for c in continuing)
            tied = [c for c in continuing if tally[c] == fewest]
            loser, rule = _loser(tied, history, drawn)
            if rule:
                ties.append(
                    TieBreak(
                        round=number,
                        seat=seat,
                        tied=tuple(sorted(tied, key=drawn.__getitem__)),
                        chosen=loser,
                        rule=rule,
                    )
                )
            rounds.append(
                Round(
                    seat=seat,
                    number=number,
                    counts=tuple((c, tally[c]) for c in order),
                    exhausted=exhausted,
                    elected=None,
                    eliminated=loser,
                )
            )
            continuing.remove(loser)
    return Result(
        method=INSTANT_RUNOFF,
        seats=seats,
        ballots=sum(grouped.values()),
        elected=tuple(elected),
        totals=tuple(sorted(first.items(), key=lambda item: (-item[1], drawn[item[0]]))),
        rounds=tuple(rounds),
        ties=tuple(ties),
        blank=grouped.get((), 0),
    )


def _loser(tied: list[str], history: list[Counter[str]], drawn: dict[str, int]) -> tuple[str, str]:
    """Who of ``tied`` is eliminated, and by which rule ("" when there was no tie)."""
    if len(tied) == 1:
        return tied[0], ""
    remaining = list(tied)
    for earlier in reversed(history[:-1]):
        fewest = min(earlier[c] for c in remaining)
        remaining = [c for c in remaining if earlier[c] == fewest]
        if len(remaining) == 1:
            return remaining[0], EARLIER_ROUNDS
    return max(remaining, key=drawn.__getitem__), DRAWN_ORDER
