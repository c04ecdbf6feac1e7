"""The calendar feed of an edition: it parses, carries Brussels times, and changes when staff change things."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.utils import translation
from icalendar import Calendar, Event

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.core.audit import record_change
from coopsip.core.models import ChangeRecord
from coopsip.editions.ical import edition_calendar
from coopsip.editions.models import Edition, Phase, PhaseKind
from coopsip.editions.services import publish_edition
from coopsip.editions.tests.test_public_pages import brussels, make_2020_2021, url
from coopsip.events.models import Event as EngineEvent


@pytest.fixture
def edition(staff: User) -> Edition:
    edition = publish_edition(actor=staff, edition=make_2020_2021())
    # Pretend everything was written on 1 November 2020, so that a change today shows.
    ChangeRecord.objects.update(at=brussels(2020, 11, 1, 9))
    Edition.objects.filter(pk=edition.pk).update(updated_at=brussels(2020, 11, 1, 9))
    edition.refresh_from_db()
    return edition


def parse(edition: Edition) -> Calendar:
    return Calendar.from_ical(edition_calendar(edition=edition))


def events(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def info_session(calendar: Calendar) -> Event:
    [event] = [event for uid, event in events(calendar).items() if uid.startswith("info-session-")]
    return event


def test_the_feed_parses_with_icalendar(edition: Edition) -> None:
    calendar = parse(edition)
    assert calendar["VERSION"] == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == edition.title
    # Six phases, the info session, the registration deadline.
    assert len(calendar.walk("VEVENT")) == 8


def test_the_info_session_is_at_10_in_brussels_winter_time(edition: Edition) -> None:
    session = info_session(parse(edition))
    assert str(session.start.tzinfo) == "Europe/Brussels"
    assert session.start.utcoffset() == timedelta(hours=1)
    assert session.start.replace(tzinfo=None) == datetime(2020, 12, 16, 10, 0)
    assert session.end.replace(tzinfo=None) == datetime(2020, 12, 16, 11, 30)
    assert b"DTSTART;TZID=Europe/Brussels:20201216T100000" in edition_calendar(edition=edition)


def test_a_session_in_summer_is_at_utc_plus_two(edition: Edition) -> None:
    EngineEvent.objects.filter(edition=edition).update(
        starts_at=brussels(2021, 3, 30, 18), ends_at=brussels(2021, 3, 30, 20)
    )
    session = info_session(parse(edition))
    assert session.start.utcoffset() == timedelta(hours=2)
    assert session.start.replace(tzinfo=None) == datetime(2021, 3, 30, 18, 0)


def test_phases_are_all_day_events_ending_the_next_day(edition: Edition) -> None:
    study = edition.phases.get(kind=PhaseKind.STUDY)
    event = events(parse(edition))[f"phase-{study.pk}@coopsip"]
    assert event.start == date(2021, 1, 1)
    assert event.end == date(2021, 2, 1)  # DTEND is exclusive: the last day is 31 January
    assert b"DTSTART;VALUE=DATE:20210101" in edition_calendar(edition=edition)


def test_the_registration_deadline_is_an_event_in_brussels_time(edition: Edition) -> None:
    event = events(parse(edition))[f"registration-closes-{edition.pk}@coopsip"]
    assert event.start.replace(tzinfo=None) == datetime(2021, 1, 10, 23, 59)
    assert event.start.utcoffset() == timedelta(hours=1)


def test_the_feed_describes_the_brussels_time_zone_in_winter_and_summer(edition: Edition) -> None:
    feed = edition_calendar(edition=edition)
    [zone] = Calendar.from_ical(feed).walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Brussels"
    assert b"TZOFFSETTO:+0100" in feed
    assert b"TZOFFSETTO:+0200" in feed


def test_two_renders_without_a_change_are_identical(edition: Edition) -> None:
    first, second = edition_calendar(edition=edition), edition_calendar(edition=edition)
    assert first == second
    assert set(events(Calendar.from_ical(first))) == set(events(Calendar.from_ical(second)))


def test_uids_are_stable_and_name_the_object(edition: Edition) -> None:
    uids = set(events(parse(edition)))
    assert {f"phase-{pk}@coopsip" for pk in edition.phases.values_list("pk", flat=True)} <= uids
    assert f"registration-closes-{edition.pk}@coopsip" in uids


def test_a_change_by_staff_raises_sequence_and_last_modified(edition: Edition, staff: User) -> None:
    study = edition.phases.get(kind=PhaseKind.STUDY)
    uid = f"phase-{study.pk}@coopsip"
    session_before = info_session(parse(edition))
    before = events(parse(edition))[uid]
    assert before["LAST-MODIFIED"].dt == brussels(2020, 11, 1, 9)

    # What the staff services do: change the row and write a line of history.
    Phase.objects.filter(pk=study.pk).update(ends_on=date(2021, 2, 5))
    record_change(actor=staff, obj=study, action="changed", changes={"ends_on": ["2021-01-31", "2021-02-05"]})

    after = events(parse(edition))[uid]
    assert after["SEQUENCE"] == before["SEQUENCE"] + 1
    assert after["LAST-MODIFIED"].dt > before["LAST-MODIFIED"].dt
    assert after["DTSTAMP"].dt == after["LAST-MODIFIED"].dt
    assert after.end == date(2021, 2, 6)
    # The other events did not change.
    assert info_session(parse(edition))["SEQUENCE"] == session_before["SEQUENCE"]


def test_a_change_to_the_edition_updates_every_event(edition: Edition, staff: User) -> None:
    before = events(parse(edition))
    record_change(actor=staff, obj=edition, action="changed", changes={"title_nl": ["a", "b"]})
    after = events(parse(edition))
    assert all(after[uid]["SEQUENCE"] == before[uid]["SEQUENCE"] + 1 for uid in before)


def test_the_feed_is_text_calendar_with_titles_in_the_language_of_the_address(edition: Edition) -> None:
    response = client_for(None).get(url("editions:calendar", "fr", slug=edition.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert "Séance d'information en ligne" in summaries
    with translation.override("fr"):
        assert any(summary.startswith(str(PhaseKind.STUDY.label)) for summary in summaries)
    phases = [event for event in calendar.walk("VEVENT") if str(event["UID"]).startswith("phase-")]
    assert all(str(event["URL"]) == "http://testserver/fr/editions/2020-2021/" for event in phases)


def test_the_feed_builds_in_three_queries(edition: Edition, django_assert_num_queries: Any) -> None:
    edition_calendar(edition=edition)  # content types are cached after the first call
    with django_assert_num_queries(3):
        edition_calendar(edition=edition)


def test_the_feed_answers_head_for_calendar_apps_and_refuses_post(edition: Edition) -> None:
    client = client_for(None)
    address = url("editions:calendar", slug=edition.slug)
    assert client.head(address).status_code == 200
    assert client.post(address).status_code == 405


def test_the_feed_of_a_draft_is_not_found(db: Any) -> None:
    draft = make_2020_2021()
    assert client_for(None).get(url("editions:calendar", slug=draft.slug)).status_code == 404
