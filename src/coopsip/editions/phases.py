"""Where an edition stands at a given moment: its status, its current phases, its timeline.

Dates of editions and phases are calendar days in Brussels. A moment (an
aware datetime) is turned into the Brussels calendar day first, so a phase
that ends on 31 January is still current at 23:59 on that day in Brussels,
in winter as in summer time, whatever the server's time zone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Generic, Literal, Protocol, TypeVar
from zoneinfo import ZoneInfo

BRUSSELS = ZoneInfo("Europe/Brussels")

Status = Literal["draft", "announced", "registration_open", "running", "closed"]
PhaseState = Literal["past", "current", "future"]


class EditionDates(Protocol):
    published_at: datetime | None
    starts_on: date
    ends_on: date
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None


class PhaseDates(Protocol):
    starts_on: date
    ends_on: date


def brussels_day(moment: datetime) -> date:
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(BRUSSELS).date()


def edition_status(edition: EditionDates, moment: datetime) -> Status:
    """The status of ``edition`` at ``moment``.

    draft: not published yet (or published for later); announced: published,
    registration not open yet and not started; registration_open: within
    the registration window; running: after registration (or from the first
    day when there is no window) until the last day; closed: after the last day.
    """
    day = brussels_day(moment)  # first: a naive moment is refused whatever the edition
    if edition.published_at is None or edition.published_at > moment:
        return "draft"
    if day > edition.ends_on:
        return "closed"
    opens, closes = edition.registration_opens_at, edition.registration_closes_at
    if opens is not None and closes is not None:
        if moment < opens:
            return "announced"
        if moment < closes:
            return "registration_open"
        return "running" if day >= edition.starts_on else "announced"
    return "announced" if day < edition.starts_on else "running"


def phase_state(phase: PhaseDates, moment: datetime) -> PhaseState:
    day = brussels_day(moment)
    if day < phase.starts_on:
        return "future"
    if day > phase.ends_on:
        return "past"
    return "current"


P = TypeVar("P", bound=PhaseDates)


def current_phases(phases: Iterable[P], moment: datetime) -> list[P]:
    """The phases running at ``moment``; several when they overlap."""
    return [phase for phase in phases if phase_state(phase, moment) == "current"]


@dataclass(frozen=True)
class TimelineStep(Generic[P]):
    phase: P
    state: PhaseState


def timeline(phases: Sequence[P], moment: datetime) -> list[TimelineStep[P]]:
    """Every phase in date order with whether it is past, current or future ("you are here")."""
    ordered = sorted(phases, key=lambda p: (p.starts_on, p.ends_on))
    return [TimelineStep(phase=p, state=phase_state(p, moment)) for p in ordered]
