"""Where an edition stands at a given moment: its status, its current phases, its timeline.

Built on the real calendar of 2020-2021, whose phases overlap. Moments are
given in UTC, as the database hands them over, and judged on the Brussels
calendar day, in winter (UTC+1) as in summer time (UTC+2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from coopsip.editions.phases import brussels_day, current_phases, edition_status, phase_state, timeline
from coopsip.editions.selectors import timeline_rows


@dataclass(frozen=True)
class Dates:
    published_at: datetime | None = datetime(2020, 10, 1, 8, tzinfo=UTC)
    starts_on: date = date(2020, 11, 1)
    ends_on: date = date(2021, 4, 15)
    registration_opens_at: datetime | None = datetime(2020, 11, 15, 8, tzinfo=UTC)  # 09:00 in Brussels
    registration_closes_at: datetime | None = datetime(2021, 1, 10, 22, 59, 59, tzinfo=UTC)  # 23:59:59


@dataclass(frozen=True)
class Period:
    name: str
    starts_on: date
    ends_on: date


PHASES_2020_2021 = [
    Period("preparation", date(2020, 11, 1), date(2020, 12, 31)),
    Period("study", date(2021, 1, 1), date(2021, 1, 31)),
    Period("ideas", date(2021, 1, 20), date(2021, 2, 20)),
    Period("experts", date(2021, 2, 1), date(2021, 2, 15)),
    Period("recommendations", date(2021, 2, 20), date(2021, 3, 20)),
    Period("test projects", date(2021, 1, 15), date(2021, 4, 15)),
]


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def names_current_at(moment: datetime) -> list[str]:
    return [phase.name for phase in current_phases(PHASES_2020_2021, moment)]


# --- Status of an edition ---------------------------------------------------------------------


def test_an_unpublished_edition_is_a_draft() -> None:
    assert edition_status(Dates(published_at=None), utc(2021, 1, 5, 12)) == "draft"


def test_an_edition_published_for_later_is_a_draft_until_then() -> None:
    edition = Dates(published_at=utc(2020, 11, 1, 9))
    assert edition_status(edition, utc(2020, 11, 1, 8, 59)) == "draft"
    assert edition_status(edition, utc(2020, 11, 1, 9)) == "announced"


@pytest.mark.parametrize(
    ("moment", "status"),
    [
        (utc(2020, 10, 20, 12), "announced"),
        (utc(2020, 11, 15, 7, 59, 59), "announced"),
        (utc(2020, 11, 15, 8), "registration_open"),
        (utc(2020, 12, 16, 9), "registration_open"),
        (utc(2021, 1, 10, 22, 59, 58), "registration_open"),
        (utc(2021, 1, 10, 22, 59, 59), "running"),
        (utc(2021, 3, 1, 12), "running"),
        # 15 April 2021 is in summer time: the last day ends at 21:59:59 UTC.
        (utc(2021, 4, 15, 21, 59, 59), "running"),
        (utc(2021, 4, 15, 22, 0), "closed"),
        (utc(2022, 6, 1, 12), "closed"),
    ],
)
def test_the_status_of_2020_2021_follows_its_dates(moment: datetime, status: str) -> None:
    assert edition_status(Dates(), moment) == status


def test_without_a_registration_window_an_edition_runs_from_its_first_brussels_day() -> None:
    edition = Dates(registration_opens_at=None, registration_closes_at=None)
    # 1 November 2020 starts at 23:00 UTC on 31 October (winter time).
    assert edition_status(edition, utc(2020, 10, 31, 22, 59, 59)) == "announced"
    assert edition_status(edition, utc(2020, 10, 31, 23, 0)) == "running"


# --- Current phases, which may overlap ----------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "names"),
    [
        (utc(2020, 12, 16, 9), ["preparation"]),
        (utc(2021, 1, 10, 12), ["study"]),
        (utc(2021, 1, 25, 12), ["study", "ideas", "test projects"]),
        (utc(2021, 2, 10, 12), ["ideas", "experts", "test projects"]),
        # Ideas end on the day recommendations start: both are current that day.
        (utc(2021, 2, 20, 12), ["ideas", "recommendations", "test projects"]),
        (utc(2021, 4, 1, 12), ["test projects"]),
        (utc(2021, 4, 20, 12), []),
        (utc(2020, 10, 1, 12), []),
    ],
)
def test_the_current_phases_of_2020_2021(moment: datetime, names: list[str]) -> None:
    assert names_current_at(moment) == names


def test_a_phase_is_current_until_midnight_in_brussels_not_in_utc() -> None:
    # Study ends on 31 January 2021 (winter, UTC+1): 22:59:59 UTC is 23:59:59 in Brussels.
    assert "study" in names_current_at(utc(2021, 1, 31, 22, 59, 59))
    # One second later it is 1 February in Brussels, though still 31 January in UTC.
    assert names_current_at(utc(2021, 1, 31, 23, 0)) == ["ideas", "experts", "test projects"]


def test_a_phase_starts_at_midnight_in_brussels() -> None:
    experts = PHASES_2020_2021[3]
    assert phase_state(experts, utc(2021, 1, 31, 22, 59, 59)) == "future"
    assert phase_state(experts, utc(2021, 1, 31, 23, 0)) == "current"


def test_the_day_of_the_spring_time_change_is_a_brussels_day_of_23_hours() -> None:
    # On 28 March 2021 clocks go from 02:00 to 03:00 (at 01:00 UTC).
    assert brussels_day(utc(2021, 3, 27, 22, 59, 59)) == date(2021, 3, 27)  # 23:59:59 CET
    assert brussels_day(utc(2021, 3, 27, 23, 0)) == date(2021, 3, 28)  # 00:00 CET
    assert brussels_day(utc(2021, 3, 28, 1, 30)) == date(2021, 3, 28)  # 03:30 CEST
    assert brussels_day(utc(2021, 3, 28, 21, 59, 59)) == date(2021, 3, 28)  # 23:59:59 CEST
    assert brussels_day(utc(2021, 3, 28, 22, 0)) == date(2021, 3, 29)  # 00:00 CEST


def test_a_phase_ending_on_the_spring_change_ends_at_midnight_summer_time() -> None:
    phase = Period("spring", date(2021, 3, 1), date(2021, 3, 28))
    assert phase_state(phase, utc(2021, 3, 28, 1, 30)) == "current"
    assert phase_state(phase, utc(2021, 3, 28, 21, 59, 59)) == "current"
    assert phase_state(phase, utc(2021, 3, 28, 22, 0)) == "past"


def test_the_day_of_the_autumn_time_change_is_a_brussels_day_of_25_hours() -> None:
    # On 25 October 2020 clocks go back from 03:00 to 02:00 (at 01:00 UTC).
    phase = Period("autumn", date(2020, 10, 25), date(2020, 10, 25))
    assert phase_state(phase, utc(2020, 10, 24, 21, 59, 59)) == "future"  # 23:59:59 CEST on the 24th
    assert phase_state(phase, utc(2020, 10, 24, 22, 0)) == "current"  # 00:00 CEST
    assert phase_state(phase, utc(2020, 10, 25, 0, 30)) == "current"  # 02:30 CEST
    assert phase_state(phase, utc(2020, 10, 25, 1, 30)) == "current"  # 02:30 CET, the second time
    assert phase_state(phase, utc(2020, 10, 25, 22, 59, 59)) == "current"  # 23:59:59 CET
    assert phase_state(phase, utc(2020, 10, 25, 23, 0)) == "past"  # 00:00 CET on the 26th


def test_a_moment_in_another_time_zone_is_judged_in_brussels() -> None:
    from zoneinfo import ZoneInfo

    # 18:30 in Montreal on 31 January is 00:30 on 1 February in Brussels.
    moment = datetime(2021, 1, 31, 18, 30, tzinfo=ZoneInfo("America/Montreal"))
    assert "study" not in names_current_at(moment)


@pytest.mark.parametrize(
    "call",
    [
        lambda moment: brussels_day(moment),
        lambda moment: phase_state(PHASES_2020_2021[0], moment),
        lambda moment: current_phases(PHASES_2020_2021, moment),
    ],
    ids=["brussels_day", "phase_state", "current_phases"],
)
def test_a_naive_datetime_raises(call: object) -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2021, 1, 25, 12))  # type: ignore[operator]


def test_a_naive_datetime_raises_for_the_status_of_a_published_edition() -> None:
    # edition_status compares with published_at before it converts the moment, so Python
    # refuses the comparison (TypeError) before brussels_day can (ValueError).
    with pytest.raises((ValueError, TypeError)):
        edition_status(Dates(), datetime(2021, 1, 25, 12))


# --- The timeline ----------------------------------------------------------------------------------


def test_the_timeline_lists_phases_by_start_with_their_state() -> None:
    steps = timeline(list(reversed(PHASES_2020_2021)), utc(2021, 2, 10, 12))
    assert [(step.phase.name, step.state) for step in steps] == [
        ("preparation", "past"),
        ("study", "past"),
        ("test projects", "current"),
        ("ideas", "current"),
        ("experts", "current"),
        ("recommendations", "future"),
    ]


def test_the_public_timeline_marks_you_are_here_between_two_phases() -> None:
    phases = [
        Period("first", date(2021, 1, 1), date(2021, 1, 31)),
        Period("second", date(2021, 3, 1), date(2021, 3, 31)),
    ]
    rows = timeline_rows(phases=phases, moment=utc(2021, 2, 10, 12))  # type: ignore[arg-type]
    assert [(row.phase.name if row.phase else "here", row.state) for row in rows] == [
        ("first", "past"),
        ("here", "current"),
        ("second", "future"),
    ]


def test_the_public_timeline_marks_you_are_here_before_the_first_phase() -> None:
    rows = timeline_rows(phases=PHASES_2020_2021, moment=utc(2020, 10, 1, 12))  # type: ignore[arg-type]
    assert rows[0].phase is None
    assert rows[0].state == "current"


def test_the_public_timeline_has_no_mark_when_a_phase_is_current_or_all_are_past() -> None:
    for moment in (utc(2021, 2, 10, 12), utc(2021, 6, 1, 12)):
        rows = timeline_rows(phases=PHASES_2020_2021, moment=moment)  # type: ignore[arg-type]
        assert all(row.phase is not None for row in rows)
        assert len(rows) == len(PHASES_2020_2021)


def test_the_edition_model_derives_its_status_from_the_same_rules() -> None:
    from coopsip.editions.models import Edition, EditionStatus

    edition = Edition(**{name: getattr(Dates(), name) for name in Dates.__dataclass_fields__})
    assert edition.status_at(utc(2020, 12, 16, 9)) == EditionStatus.REGISTRATION_OPEN
    assert edition.status_at(utc(2021, 4, 15, 22, 0)) == EditionStatus.CLOSED


def test_an_edition_whose_registration_closed_before_its_first_day_is_announced_until_then() -> None:
    from dataclasses import dataclass
    from datetime import date, datetime

    from coopsip.editions.phases import edition_status

    @dataclass
    class Dates:
        published_at: datetime | None
        starts_on: date
        ends_on: date
        registration_opens_at: datetime | None
        registration_closes_at: datetime | None

    edition = Dates(
        published_at=datetime(2026, 9, 1, tzinfo=UTC),
        starts_on=date(2026, 11, 1),
        ends_on=date(2027, 4, 30),
        registration_opens_at=datetime(2026, 9, 15, tzinfo=UTC),
        registration_closes_at=datetime(2026, 10, 10, tzinfo=UTC),
    )
    assert edition_status(edition, datetime(2026, 10, 15, tzinfo=UTC)) == "announced"
    assert edition_status(edition, datetime(2026, 11, 2, tzinfo=UTC)) == "running"
