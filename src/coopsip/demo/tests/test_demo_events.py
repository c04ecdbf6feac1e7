"""The demo's events: what a newcomer should find after `make run`."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.utils import timezone

from coopsip.core.models import OutgoingEmail
from coopsip.demo.events import BREAKFAST_TITLE_EN, load_events
from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Audience, Circle, Event, EventFormat, EventKind, Series, SignUpStatus
from coopsip.events.selectors import circle_attendance

pytestmark = pytest.mark.django_db


def test_the_2020_info_session_is_public_online_with_its_attendance(demo: dict[str, int]) -> None:
    session = Event.objects.get(kind=EventKind.INFO_SESSION, edition__slug="2020-2021")
    assert session.starts_at == datetime(2020, 12, 16, 10, 0, tzinfo=BRUSSELS)
    assert session.ends_at == datetime(2020, 12, 16, 11, 30, tzinfo=BRUSSELS)
    assert session.audience == Audience.PUBLIC and session.video_url
    assert session.signups.filter(status=SignUpStatus.ATTENDED).count() == 31
    assert session.signups.filter(status=SignUpStatus.ABSENT).count() == 9


def test_networking_moments_come_in_several_formats_and_one_has_a_waiting_list(demo: dict[str, int]) -> None:
    coming = Event.objects.filter(kind=EventKind.NETWORKING, series__isnull=True, starts_at__gt=timezone.now())
    formats = set(coming.values_list("format", flat=True))
    assert {EventFormat.AFTERWORK, EventFormat.FOREST_WALK, EventFormat.WORKSPACE_TOUR} <= formats
    assert coming.filter(place__name="KOP").exists()
    assert coming.filter(place__kind="office").exists()
    assert coming.filter(attendance="online").exists()
    assert coming.filter(signups__status=SignUpStatus.WAITING).exists()


def test_a_weekly_series_meets_every_monday_morning_at_the_kop(demo: dict[str, int]) -> None:
    # The weekly breakfast; the networking demo adds a monthly Partner Meeting Point at the KOP too.
    series = Series.objects.get(title_en=BREAKFAST_TITLE_EN)
    assert series.rule.startswith("FREQ=WEEKLY")
    starts = [event.starts_at.astimezone(BRUSSELS) for event in series.events.order_by("starts_at")]
    assert len(starts) == 12
    assert {(start.weekday(), start.hour, start.minute) for start in starts} == {(0, 8, 30)}
    assert set(series.events.values_list("place__name", flat=True)) == {"KOP"}


def test_staff_see_who_missed_two_meetings_of_the_sector_network_in_a_row(demo: dict[str, int]) -> None:
    # The sector network: the other circles are working groups (demo.groups).
    table = circle_attendance(circle=Circle.objects.get(working_group__isnull=True), now=timezone.now())
    assert len(table.events) >= 3
    assert any(row.missed_two_in_a_row for row in table.rows)
    assert Event.objects.filter(circle__isnull=False, minutes__startswith="## Meeting").exists()


def test_the_demo_events_send_no_email_and_load_once(demo: dict[str, int]) -> None:
    assert not OutgoingEmail.objects.filter(key__startswith="events:").exists()
    before = Event.objects.count()
    assert load_events()["events"] == before == demo["events"]
