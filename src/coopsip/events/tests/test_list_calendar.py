"""The events list reads like a calendar: weeks, one card per series, a month view, filters in every language."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone, translation

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Audience, Sector
from coopsip.events.tests.factories import event_input
from coopsip.events.tests.test_public_pages import LIST_URL, make_event

pytestmark = pytest.mark.django_db


def test_events_are_grouped_by_week_and_a_series_shows_once_with_its_next_dates(staff: User) -> None:
    start = timezone.now() + timedelta(days=2)
    series = services.create_series(
        by=staff,
        data=event_input(titles={"en": "Monday breakfast"}, starts_at=start, audience=Audience.PUBLIC),
        rule="FREQ=WEEKLY;COUNT=8",
    )
    make_event(title="Afterwork in Ghent", audience=Audience.PUBLIC, days=3)
    html = client_for(None).get(LIST_URL).content.decode()
    assert html.count(">Monday breakfast</a>") == 1
    assert "Next dates:" in html
    assert f'href="/en/events/series/{series.pk}/">All dates of this series</a>' in html
    assert html.count('class="event-week"') >= 1
    assert "Week of " in html


def test_the_month_view_shows_the_coming_events_of_the_month(db: Any) -> None:
    event = make_event(title="Afterwork in Ghent", audience=Audience.PUBLIC, days=1)
    month = event.starts_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m")
    html = client_for(None).get(f"{LIST_URL}?view=month&month={month}").content.decode()
    assert 'class="month-grid"' in html
    assert "Afterwork in Ghent" in html
    assert client_for(None).get(f"{LIST_URL}?view=month&month=nonsense").status_code == 200


def test_visitors_are_told_that_members_events_exist(db: Any) -> None:
    make_event(title="Open afterwork", audience=Audience.PUBLIC)
    make_event(title="Members' breakfast", audience=Audience.MEMBERS)
    make_event(title="Members' lunch", audience=Audience.MEMBERS)
    html = client_for(None).get(LIST_URL).content.decode()
    assert "2 more events are for members of the cooperative: log in to see them." in html
    assert "Members' breakfast" not in html


def test_the_french_sector_filter_finds_the_graphic_design_events(db: Any) -> None:
    make_event(title="Graphic design breakfast", audience=Audience.PUBLIC, sector=Sector.GRAPHIC_DESIGN)
    make_event(title="Music jam", audience=Audience.PUBLIC, sector=Sector.MUSIC)
    page = client_for(None).get("/fr/events/").content.decode()
    with translation.override("fr"):
        label = str(Sector.GRAPHIC_DESIGN.label)  # "graphisme" in the French catalogue
    assert f'<option value="graphic_design">{label}</option>' in page
    html = client_for(None).get("/fr/events/?sector=graphic_design").content.decode()
    assert "Graphic design breakfast" in html and "Music jam" not in html


def test_filtering_from_the_month_view_stays_on_that_month(db: Any) -> None:
    jam = make_event(title="Music jam", audience=Audience.PUBLIC, sector=Sector.MUSIC, days=1)
    make_event(title="Graphic design breakfast", audience=Audience.PUBLIC, sector=Sector.GRAPHIC_DESIGN, days=1)
    month = jam.starts_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m")
    html = client_for(None).get(f"{LIST_URL}?view=month&month={month}").content.decode()
    # The filter form sends the view and the month along with the filters.
    form = html.split('aria-label="Filter the events"', 1)[1].split("</form>", 1)[0]
    assert '<input type="hidden" name="view" value="month">' in form
    assert f'<input type="hidden" name="month" value="{month}">' in form
    assert f'href="{LIST_URL}?view=month">Clear the filters</a>' in form

    filtered = client_for(None).get(f"{LIST_URL}?view=month&month={month}&sector=music").content.decode()
    assert 'class="month-grid"' in filtered and 'class="event-week"' not in filtered
    assert "Music jam" in filtered and "Graphic design breakfast" not in filtered


def test_the_list_view_has_no_hidden_month_in_its_filters(db: Any) -> None:
    html = client_for(None).get(LIST_URL).content.decode()
    assert 'name="view"' not in html.split('aria-label="Filter the events"', 1)[1].split("</form>", 1)[0]


def test_a_month_without_events_says_so(db: Any) -> None:
    make_event(title="Music jam", audience=Audience.PUBLIC, days=1)
    later = (timezone.now() + timedelta(days=400)).strftime("%Y-%m")
    html = client_for(None).get(f"{LIST_URL}?view=month&month={later}").content.decode()
    assert "No coming event this month." in html


def test_an_event_card_keeps_its_time_range_together(db: Any) -> None:
    # Tomorrow from 08:30 to 10:00 in Brussels: the same day, whatever the hour the test runs.
    brussels = ZoneInfo("Europe/Brussels")
    tomorrow = timezone.now().astimezone(brussels).date() + timedelta(days=1)
    starts_at = datetime.combine(tomorrow, time(8, 30), tzinfo=brussels)
    make_event(
        title="Music jam", audience=Audience.PUBLIC, starts_at=starts_at, ends_at=starts_at + timedelta(minutes=90)
    )
    html = client_for(None).get(LIST_URL).content.decode()
    # The two times and their dash in one unbreakable span (site.css: .time-range { white-space: nowrap }).
    assert '<span class="time-range">08:30–10:00</span>' in html
