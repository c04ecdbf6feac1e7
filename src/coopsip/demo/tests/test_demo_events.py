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
    # The graphic-design sector network, whose minutes this module writes (demo.networking adds another network,
    # the other circles are working groups of demo.groups).
    network = Circle.objects.filter(working_group__isnull=True, events__minutes_nl__startswith="## Bijeenkomst")
    table = circle_attendance(circle=network.distinct().get(), now=timezone.now())
    assert len(table.events) >= 3
    assert any(row.missed_two_in_a_row for row in table.rows)
    assert Event.objects.filter(circle__isnull=False, minutes_nl__startswith="## Bijeenkomst").exists()


def test_agendas_minutes_and_addresses_are_in_the_readers_or_the_meetings_language(demo: dict[str, int]) -> None:
    from django.utils import translation

    from coopsip.events.models import Place

    # The sector network meets in both languages: its agenda and minutes are written in each (and English).
    meeting = Event.objects.filter(circle__working_group__isnull=True, minutes_nl__startswith="## Bijeenkomst").first()
    assert meeting is not None and meeting.language == ""
    assert meeting.minutes_fr.startswith("## Réunion") and meeting.minutes_en.startswith("## Meeting")
    # No English agenda is left on Dutch and French pages: what they show is in their language or says it is not.
    for code in ("nl", "fr"):
        with translation.override(code):
            english = Event.objects.filter(**{f"agenda_{code}__contains": "Questions and answers"})
            assert not english.exclude(language="en").exists()
            assert not Event.objects.filter(**{f"agenda_{code}__contains": "Round of news"}).exists()
    # A working group's meetings are in the group's language, so are their agendas.
    assert not Event.objects.filter(circle__working_group__isnull=False, language="").exists()
    baf = Place.objects.get(name="BAF")
    assert (baf.address_nl, baf.address_fr) == ("Werkhuizenkaai 12, 1000 Brussel", "Quai des Usines 12, 1000 Bruxelles")
    event = Event.objects.filter(place=baf).select_related("place").first()
    assert event is not None
    for code, town in (("nl", "1000 Brussel"), ("fr", "1000 Bruxelles"), ("en", "1000 Bruxelles")):
        with translation.override(code):
            assert event.where.endswith(town)


def test_the_demo_events_send_no_email_and_load_once(demo: dict[str, int]) -> None:
    assert not OutgoingEmail.objects.filter(key__startswith="events:").exists()
    before = Event.objects.count()
    assert load_events()["events"] == before == demo["events"]


def test_a_visit_to_a_practical_case_is_planned_for_the_current_edition(demo: dict[str, int]) -> None:
    from coopsip.editions.models import CurrentEdition

    visit = Event.objects.get(format=EventFormat.PRACTICAL_VISIT)
    assert visit.place is not None and visit.place.name == "LaVallée"
    assert visit.edition == CurrentEdition.objects.get(country="BE").edition
    assert visit.starts_at > timezone.now()
    assert visit.signups.filter(status=SignUpStatus.CONFIRMED).count() == 9
    for name in ("title", "description", "agenda"):
        assert all(getattr(visit, f"{name}_{code}") for code in ("nl", "fr", "en")), name


def test_the_sector_networks_agendas_and_minutes_are_in_each_language(demo: dict[str, int]) -> None:
    meetings = Event.objects.filter(circle__name__startswith="Sectornetwerk grafisch ontwerp")
    past = meetings.filter(starts_at__lt=timezone.now())
    assert past.exists()
    for meeting in past:
        for name in ("agenda", "minutes"):
            assert all(getattr(meeting, f"{name}_{code}") for code in ("nl", "fr", "en")), (meeting, name)
    assert "Nous avons comparé" in past.first().minutes_fr
