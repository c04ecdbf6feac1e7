"""The follow-up of networking events: the staff dashboard's figures on a known data set, its CSV, the
public page (no figure for fewer than five people), and who reaches what."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.events import services as events_services
from coopsip.events.models import Attendance, Audience, EventFormat, EventKind
from coopsip.networking import followup, services
from coopsip.networking.models import Level
from coopsip.networking.tests.conftest import offer_input, person
from coopsip.networking.tests.test_access import expect


def held(
    title: str, start: datetime, people: list[Any], *, fmt: str = EventFormat.AFTERWORK, sector: str = "music"
) -> Any:
    event = events_services.create_event(
        by=None,
        data=events_services.EventInput(
            titles={"nl": title, "fr": title, "en": title},
            kind=EventKind.NETWORKING,
            format=fmt,
            sector=sector,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            attendance=Attendance.IN_PERSON,
            address="Rue Coenraets 72, 1060 Bruxelles",
            audience=Audience.MEMBERS,
        ),
    )
    ids = [
        events_services.sign_up(event_id=event.pk, user=p, now=start - timedelta(days=2), notify=False).pk
        for p in people
    ]
    events_services.record_attendance(by=None, event=event, present=ids, now=start + timedelta(hours=2))
    return event


@pytest.fixture
def data_set(db: Any, places: Any) -> dict[str, Any]:
    """A (60 days ago, 3 present), C (20 days ago, one of A's and a newcomer), B (European, 40 counted)."""
    now = timezone.now()
    people = [person(f"p{n}@example.org", f"P{n}", number=f"33{n:04d}") for n in range(4)]
    a = held("Afterwork A", now - timedelta(days=60), people[:3])
    c = held("Breakfast C", now - timedelta(days=20), [people[0], people[3]], fmt=EventFormat.WORK_BREAKFAST)
    b = held("=EU meet", now - timedelta(days=40), [], fmt=EventFormat.MEET_AND_CONNECT, sector="digital")
    services.record_event_follow_up(
        event=b, data=services.FollowUpInput(level=Level.EUROPEAN, organised_by="European network", headcount=40)
    )
    listing = services.publish_listing(
        author=people[0], data=offer_input(title="Sound", municipality_id=places["gent"].pk)
    )
    type(listing).objects.filter(pk=listing.pk).update(created_at=now - timedelta(days=10))
    return {"a": a, "b": b, "c": c, "people": people, "now": now}


def _filters(data: dict[str, Any], **kw: Any) -> followup.Filters:
    now = data["now"]
    return followup.Filters(start=(now - timedelta(days=90)).date(), end=now.date(), **kw)


def test_the_figures_of_a_known_data_set(data_set: dict[str, Any]) -> None:
    rows = {row.title: row for row in followup.event_rows(_filters(data_set))}
    a, c, b = rows["Afterwork A"], rows["Breakfast C"], rows["=EU meet"]
    assert (a.signups, a.attendance, a.first_time, a.returning, a.listings_after) == (3, 3, 3, 0, 0)
    assert (c.signups, c.attendance, c.first_time, c.returning, c.listings_after) == (2, 2, 1, 1, 1)
    assert (b.attendance, b.level, b.organised_by) == (40, "european", "European network")
    total = followup.totals(list(rows.values()))
    assert (total.events, total.signups, total.attendance, total.first_time, total.returning) == (3, 5, 45, 4, 1)
    levels = {g.key: g.attendance for g in followup.group_by(list(rows.values()), "level")}
    assert levels == {"european": 40, "local": 5}


def test_filters_keep_one_level_or_format(data_set: dict[str, Any]) -> None:
    assert [r.title for r in followup.event_rows(_filters(data_set, level="european"))] == ["=EU meet"]
    assert [r.title for r in followup.event_rows(_filters(data_set, format="work_breakfast"))] == ["Breakfast C"]


def test_staff_read_the_dashboard_with_charts_and_tables(staff: Any, data_set: dict[str, Any]) -> None:
    start = (data_set["now"] - timedelta(days=90)).date().isoformat()
    page = client_for(staff).get("/en/staff/network/events/", {"start": start, "level": "local"}).content.decode()
    assert "By level" in page and "By month" in page and "<svg" in page
    assert "Afterwork A" in page and "=EU meet" not in page
    assert "5 people present" in page and "(4 for the first time, 1 returning)" in page


def test_a_bad_period_says_so(staff: Any, data_set: dict[str, Any]) -> None:
    page = client_for(staff).get("/en/staff/network/events/", {"start": "2026-05-01", "end": "2026-01-01"})
    assert "The end comes before the start." in page.content.decode()


def test_the_csv_streams_one_line_per_event_with_formulas_defused(staff: Any, data_set: dict[str, Any]) -> None:
    start = (data_set["now"] - timedelta(days=90)).date().isoformat()
    response = client_for(staff).get("/en/staff/network/events/export.csv", {"start": start})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Date,Event,Level,Sector,Format")
    assert len(lines) == 4
    assert any(line.split(",")[1] == "'=EU meet" and ",European," in line for line in lines)


def test_staff_set_an_events_level(staff: Any, data_set: dict[str, Any]) -> None:
    url = reverse("networking_staff:followup_event", kwargs={"pk": data_set["a"].pk})
    client_for(staff).post(url, {"level": "regional", "organised_by": "", "headcount": ""})
    rows = {r.title: r for r in followup.event_rows(_filters(data_set))}
    assert rows["Afterwork A"].level == "regional"
    bad = client_for(staff).post(url, {"level": "galactic", "headcount": "-3"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


def test_the_public_page_hides_groups_of_fewer_than_five(client: Any, db: Any) -> None:
    now = timezone.now()
    few = [person(f"f{n}@example.org", f"Quietperson{n}", number=f"34{n:04d}") for n in range(3)]
    held("Small afterwork", now - timedelta(hours=3), few, fmt=EventFormat.AFTERWORK, sector="music")
    eu = held("Brussels EU day", now - timedelta(hours=3), [], fmt=EventFormat.MEET_AND_CONNECT, sector="digital")
    services.record_event_follow_up(event=eu, data=services.FollowUpInput(level=Level.EUROPEAN, headcount=12))
    page = client.get("/en/network/this-year/").content.decode()
    assert "2 events" in page and "15 people present" in page
    assert "fewer than 5" in page
    assert "<td>12</td>" in page and "<td>3</td>" not in page
    assert "Small afterwork" not in page and "Quietperson0" not in page


def test_who_reaches_the_follow_up(personas: Any, data_set: dict[str, Any]) -> None:
    for url in (
        reverse("networking_staff:followup"),
        reverse("networking_staff:followup_csv"),
        reverse("networking_staff:followup_event", kwargs={"pk": data_set["a"].pk}),
        reverse("networking_staff:followup_record"),
    ):
        expect(url, personas, {"staff"})
    for who in personas.values():
        assert client_for(who).get(reverse("networking:this_year")).status_code == 200


def test_the_dashboard_costs_the_same_queries_with_more_events(
    staff: Any, data_set: dict[str, Any], django_assert_num_queries: Any
) -> None:
    client = client_for(staff)
    start = (data_set["now"] - timedelta(days=90)).date().isoformat()
    client.get("/en/staff/network/events/", {"start": start})
    with django_assert_num_queries(13):
        client.get("/en/staff/network/events/", {"start": start})
    more = [person(f"m{n}@example.org", f"M{n}", number=f"35{n:04d}") for n in range(6)]
    for n in range(6):
        held(f"More {n}", data_set["now"] - timedelta(days=5 + n), more[: n + 1], fmt=EventFormat.PICNIC)
    with django_assert_num_queries(13):
        client.get("/en/staff/network/events/", {"start": start})


def test_an_event_for_several_sectors_counts_in_each(staff: Any, data_set: dict[str, Any]) -> None:
    url = reverse("networking_staff:followup_event", kwargs={"pk": data_set["a"].pk})
    client_for(staff).post(url, {"level": "local", "sectors": ["photography", "music", "nonsense"]})
    assert "Select a valid choice" in client_for(staff).post(url, {"level": "local", "sectors": ["x"]}).content.decode()
    client_for(staff).post(url, {"level": "local", "sectors": ["photography", "music"]})
    rows = {r.title: r for r in followup.event_rows(_filters(data_set))}
    assert rows["Afterwork A"].sectors == ["music", "photography"]
    by_sector = {g.key: g.attendance for g in followup.group_by(list(rows.values()), "sector")}
    assert by_sector == {"music": 5, "photography": 3, "digital": 40}
    photography = followup.event_rows(_filters(data_set, sector="photography"))
    assert [r.title for r in photography] == ["Afterwork A"]
    lines = b"".join(
        client_for(staff)
        .get("/en/staff/network/events/export.csv", {"start": _filters(data_set).start.isoformat()})
        .streaming_content
    ).decode()
    assert "music; photography" in lines


def test_staff_record_an_event_held_by_others_in_one_form(staff: Any, data_set: dict[str, Any]) -> None:
    day = (data_set["now"] - timedelta(days=3)).date()
    form = {
        "title": "Creative Europe info day",
        "level": "european",
        "sectors": ["audiovisual", "performing_arts"],
        "format": "presentation",
        "held_on": day.isoformat(),
        "place": "Mundo-B, Brussels",
        "organised_by": "Creative Europe Desk",
        "headcount": "85",
        "signups": "120",
    }
    client = client_for(staff)
    response = client.post(reverse("networking_staff:followup_record"), form, follow=True)
    assert "now counts in the follow-up" in response.content.decode()
    rows = {r.title: r for r in followup.event_rows(_filters(data_set))}
    eu = rows["Creative Europe info day"]
    assert (eu.level, eu.sectors) == ("european", ["audiovisual", "performing_arts"])
    assert (eu.attendance, eu.signups) == (85, 120)
    assert eu.organised_by == "Creative Europe Desk" and eu.format == "presentation"
    future = dict(form, held_on=(data_set["now"] + timedelta(days=3)).date().isoformat(), title="Later")
    refused = client.post(reverse("networking_staff:followup_record"), future).content.decode()
    assert "this date is still to come" in refused
    assert "Later" not in {r.title for r in followup.event_rows(_filters(data_set))}


def test_periods_are_calendar_weeks_months_quarters_and_years() -> None:
    from datetime import date

    day = date(2026, 5, 14)  # a Thursday
    assert followup.period_bounds("week", day) == (date(2026, 5, 11), date(2026, 5, 17))
    assert followup.period_bounds("month", day) == (date(2026, 5, 1), date(2026, 5, 31))
    assert followup.period_bounds("quarter", day) == (date(2026, 4, 1), date(2026, 6, 30))
    assert followup.period_bounds("quarter", date(2026, 12, 31)) == (date(2026, 10, 1), date(2026, 12, 31))
    assert followup.period_bounds("year", day) == (date(2026, 1, 1), date(2026, 12, 31))
    q2 = followup.Filters(start=date(2026, 4, 1), end=date(2026, 6, 30), level="local")
    before = followup.previous_period(q2, "quarter")
    assert (before.start, before.end, before.level) == (date(2026, 1, 1), date(2026, 3, 31), "local")
    ten_days = followup.previous_period(followup.Filters(start=date(2026, 3, 11), end=date(2026, 3, 20)))
    assert (ten_days.start, ten_days.end) == (date(2026, 3, 1), date(2026, 3, 10))


def test_a_quarter_is_compared_with_the_one_before(staff: Any, data_set: dict[str, Any]) -> None:
    # Two events 60 and 20 days ago: put the quarter of the later one beside the one before.
    quarter_day = (data_set["now"] - timedelta(days=20)).date()
    start, end = followup.period_bounds("quarter", quarter_day)
    page = (
        client_for(staff)
        .get("/en/staff/network/events/", {"period": "quarter", "start": quarter_day.isoformat()})
        .content.decode()
    )
    assert "Compared with the previous period" in page and "By week" in page
    rows = followup.event_rows(followup.Filters(start=start, end=end))
    before = followup.event_rows(followup.previous_period(followup.Filters(start=start, end=end), "quarter"))
    now_total, then_total = followup.totals(rows), followup.totals(before)
    assert now_total.events + then_total.events == 3
    assert f"<td>{now_total.attendance}</td>" in page
    assert "Difference" in page


def test_a_week_shows_only_that_week(staff: Any, data_set: dict[str, Any]) -> None:
    day = (data_set["now"] - timedelta(days=20)).date()
    response = client_for(staff).get("/en/staff/network/events/", {"period": "week", "start": day.isoformat()})
    page = response.content.decode()
    assert "Breakfast C" in page and "Afterwork A" not in page
