"""Statistics: hand-computed figures on a known data set, the small-group rule, CSV, permissions, query counts."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for
from coopsip.stats import selectors
from coopsip.stats.models import RecordedFigures
from coopsip.stats.suppression import people, rate
from coopsip.stats.tests.data import edition_with_groups, empty_edition, held_meeting

pytestmark = pytest.mark.django_db


def _csv(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode("utf-8-sig")


# ---------------------------------------------------------------------------
# The small-group rule (one place)


def test_a_count_of_one_to_four_people_reads_fewer_than_5() -> None:
    assert [str(people(n)) for n in (0, 1, 4, 5, 12)] == ["0", "fewer than 5", "fewer than 5", "5", "12"]
    assert people(3).csv() == "<5"
    assert people(3).json() is None
    assert people(None).value == 0


def test_staff_figures_are_exact() -> None:
    assert str(people(3, exact=True)) == "3"


def test_a_rate_over_fewer_than_5_people_is_not_given() -> None:
    assert rate(3, 4) is None
    assert rate(4, 5) == 80.0
    assert rate(0, 0) is None
    assert rate(3, 4, exact=True) == 75.0


# ---------------------------------------------------------------------------
# Figures on a known data set


@pytest.fixture
def known(staff: Any) -> Any:
    """Two video groups of 5 and 4 people, all accepted (9 registrations, 9 placed, 2 active groups).

    Group 1 held one meeting: 4 present, 1 absent (attendance 80 %). The second group's
    meeting is in the future (not held). No recommendations.
    """
    groups = edition_with_groups(staff, (5, 4))
    held_meeting(groups[0], present=4, absent=1)
    held_meeting(groups[1], present=0, absent=0, days_ago=-3)
    return groups[0].edition


def test_the_overview_counts_the_known_data_set(known: Any) -> None:
    (row,) = selectors.compute_overview().editions
    assert (row.registrations, row.placed, row.groups, row.meetings_held) == (9, 9, 2, 1)
    assert (row.attended, row.marked) == (4, 5)
    assert row.source == selectors.PLATFORM
    assert selectors.compute_overview().distinct_people == 9


def test_every_held_meeting_of_an_edition_is_counted(known: Any) -> None:
    # Three held meetings in two groups: the page says 3 (it once said 1, one row per meeting).
    first, second = known.working_groups.order_by("pk")
    held_meeting(first, present=3, absent=0, days_ago=10)
    held_meeting(second, present=2, absent=1, days_ago=5)
    (row,) = selectors.compute_overview().editions
    assert row.meetings_held == 3
    assert (row.attended, row.marked) == (4 + 3 + 2, 5 + 3 + 3)


def test_the_public_page_shows_the_figures_and_hides_small_groups(client: Any, known: Any) -> None:
    response = client.get(f"/en/statistics/{known.slug}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<dt>Registrations</dt><dd>9</dd>" in page
    assert "<dt>Attendance rate (%)</dt><dd>80.0</dd>" in page
    # Per theme: all 9 chose Care first and were placed in its 2 groups; no recommendation yet.
    assert '<th scope="row">Care</th><td>9</td><td>9</td><td>2</td><td>0</td>' in page
    # Per country: the people live in Ghent (BE), registered without an office.
    assert '<th scope="row">Belgium</th><td>9</td>' in page


def test_a_small_group_reads_fewer_than_5_on_the_page_and_in_its_csv(client: Any, staff: Any) -> None:
    groups = edition_with_groups(staff, (3,))
    slug = groups[0].edition.slug
    page = client.get(f"/en/statistics/{slug}/").content.decode()
    assert "<dt>Registrations</dt><dd>fewer than 5</dd>" in page
    assert "<dd>3</dd>" not in page
    response = client.get(f"/en/statistics/{slug}/theme.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0] == ["theme", "first_choices", "placed", "groups", "recommendations"]
    assert ["Care", "<5", "<5", "1", "0"] in rows
    overview = b"".join(client.get("/en/statistics/editions.csv").streaming_content).decode("utf-8-sig")
    assert ",<5,<5," in overview


def test_an_edition_without_data_shows_zeros_and_a_sentence(client: Any) -> None:
    edition = empty_edition()
    page = client.get(f"/en/statistics/{edition.slug}/").content.decode()
    assert "There are no figures for this edition yet" in page
    assert "<dt>Registrations</dt><dd>0</dd>" in page


def test_figures_recorded_before_the_platform_count_when_it_has_none(client: Any) -> None:
    edition = empty_edition("2015-2016")
    RecordedFigures.objects.create(
        edition=edition, registrations=120, placed=100, groups=9, first_time_participants=110
    )
    page = client.get("/en/statistics/").content.decode()
    assert "recorded by the team" in page
    assert "110" in page  # distinct people: the recorded first-timers
    row = selectors.compute_overview().editions[0]
    assert (row.registrations, row.placed, row.groups, row.source) == (120, 100, 9, selectors.RECORDED)


def test_the_statistics_page_in_french_has_its_charts_with_tables(client: Any, known: Any) -> None:
    page = client.get("/fr/statistics/").content.decode()
    assert page.count("<svg") >= 3
    assert page.count('role="img"') >= 3
    assert "<table>" in page


def test_an_unknown_table_is_not_found(client: Any, known: Any) -> None:
    assert client.get(f"/en/statistics/{known.slug}/gender.csv").status_code == 404
    assert client.get("/en/statistics/1999-2000/").status_code == 404


# ---------------------------------------------------------------------------
# Permissions


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("visitor", 302), ("outsider", 403), ("nonmember", 403), ("member", 403), ("staff", 200), ("board", 200)],
)
def test_the_staff_detail_is_for_staff_and_the_board(personas: Any, known: Any, persona: str, expected: int) -> None:
    client = client_for(personas[persona])
    assert client.get(f"/en/staff/statistics/{known.slug}/").status_code == expected
    assert client.get(f"/en/staff/statistics/{known.slug}/gender.csv").status_code == expected


@pytest.mark.parametrize("persona", ["visitor", "member", "board", "staff"])
def test_everyone_reads_the_public_statistics(personas: Any, known: Any, persona: str) -> None:
    client = client_for(personas[persona])
    assert client.get("/en/statistics/").status_code == 200
    assert client.get("/en/statistics/open-data/").status_code == 200


@pytest.mark.parametrize(("persona", "expected"), [("visitor", 403), ("member", 403), ("board", 403), ("staff", 303)])
def test_only_staff_compute_again_and_rebuild(personas: Any, persona: str, expected: int) -> None:
    client = client_for(personas[persona])
    assert client.post("/en/staff/statistics/refresh/").status_code == expected
    assert client.post("/en/staff/statistics/open-data/rebuild/").status_code == expected


def test_staff_read_exact_numbers_and_the_funnel(staff: Any) -> None:
    groups = edition_with_groups(staff, (3,))
    for _ in range(3):
        held_meeting(groups[0], present=2, absent=1)
    page = client_for(staff).get(f"/en/staff/statistics/{groups[0].edition.slug}/").content.decode()
    assert "<dt>Registrations</dt><dd>3</dd>" in page
    assert "From registration to taking part" in page
    funnel = selectors.funnel(groups[0].edition)
    assert (funnel.registered, funnel.proposed, funnel.accepted, funnel.attending) == (3, 3, 3, 2)
    assert "By gender (where people answered)" in page


def test_the_staff_page_refuses_a_post(staff: Any, known: Any) -> None:
    assert client_for(staff).post(f"/en/staff/statistics/{known.slug}/").status_code == 405


# ---------------------------------------------------------------------------
# Query counts: the same at two data sizes


def _queries(client: Any, url: str) -> int:
    from django.core.cache import cache

    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_statistics_pages_take_the_same_number_of_queries_at_two_sizes(client: Any, staff: Any) -> None:
    small = edition_with_groups(staff, (3,), prefixes="A")[0]
    held_meeting(small, present=2, absent=1)
    small_index = _queries(client, "/en/statistics/")
    small_edition = _queries(client, f"/en/statistics/{small.edition.slug}/")
    from coopsip.groups.tests.factories import accept_all, opened_groups
    from coopsip.registrations.tests.test_register import make_open_edition

    bigger = make_open_edition(slug="2024-2025", group_size_min=3, group_size_max=5)
    for group in opened_groups(bigger, staff, [5, 5, 4], prefixes="BCD"):
        accept_all(group)
        group.refresh_from_db()
        held_meeting(group, present=3, absent=1)
    empty_edition()
    assert _queries(client, "/en/statistics/") == small_index
    assert _queries(client, f"/en/statistics/{bigger.slug}/") == small_edition
    assert small_index <= 20


def test_each_language_reads_the_theme_names_of_its_own_page_and_csv(client: Any, known: Any) -> None:
    # The per-edition tables are cached: the first language asked once filled them for every language.
    assert '<th scope="row">Soins</th>' in client.get(f"/fr/statistics/{known.slug}/").content.decode()
    page = client.get(f"/nl/statistics/{known.slug}/").content.decode()
    assert '<th scope="row">Zorg</th>' in page
    assert "Soins" not in page
    rows = list(csv.reader(io.StringIO(_csv(client, f"/nl/statistics/{known.slug}/theme.csv"))))
    assert [row[0] for row in rows[1:]] == ["Werk", "Wonen", "Zorg", "Coopératives en France"]


def test_a_figure_the_team_did_not_record_is_not_known_rather_than_0(client: Any) -> None:
    edition = empty_edition("2015-2016")
    RecordedFigures.objects.create(edition=edition, registrations=120, groups=9)  # placed, meetings: not known
    row = selectors.compute_overview().editions[0]
    assert (row.registrations, row.placed, row.groups, row.meetings_held) == (120, None, 9, None)
    page = client.get(f"/fr/statistics/{edition.slug}/").content.decode()
    assert "<dt>Personnes placées dans un groupe</dt><dd>inconnu</dd>" in page
    assert "<dt>Réunions tenues</dt><dd>inconnu</dd>" in page
    overview = client.get("/en/statistics/").content.decode()
    assert '<th scope="row">Empty edition</th><td>recorded by the team</td><td>120</td><td>not known</td>' in overview
    # The trend chart draws no point for it: its numbers table leaves the cell empty, not 0.
    assert "<td>120</td><td></td>" in overview.replace(" ", "")
    rows = list(csv.reader(io.StringIO(_csv(client, "/en/statistics/editions.csv"))))
    assert rows[1][2:6] == ["120", "", "9", ""]
    from coopsip.stats.opendata import build_zip

    with zipfile.ZipFile(io.BytesIO(build_zip())) as archive:
        participation = list(csv.reader(io.StringIO(archive.read("participation.csv").decode("utf-8"))))
    assert participation[1][2:6] == ["120", "", "9", ""]


def test_a_country_total_does_not_give_back_its_few_people_without_an_office(client: Any, staff: Any) -> None:
    """14 people: 6 at the Ghent office (BE), 5 at an office in Lille (FR), 3 by video living in Ghent (BE).

    Per country: Belgium 9, France 5. Hiding Lille's 5 as the complement of the 3 without an
    office left Belgium's 9 minus Ghent's 6 = 3 on the page: Ghent's 6 is hidden instead.
    """
    from coopsip.places.models import Office
    from coopsip.registrations.models import Registration

    groups = edition_with_groups(staff, (5, 5, 4))
    edition = groups[0].edition
    lille = Office.objects.create(slug="lille", name="Lille", country="FR", latitude=50.6, longitude=3.06)
    people_ids = list(Registration.objects.filter(edition=edition).order_by("pk").values_list("pk", flat=True))
    Registration.objects.filter(pk__in=people_ids[:6]).update(office=Office.objects.get(slug="gent"))
    Registration.objects.filter(pk__in=people_ids[6:11]).update(office=lille)
    countries = list(csv.reader(io.StringIO(_csv(client, f"/en/statistics/{edition.slug}/country.csv"))))
    assert countries[1:] == [["Belgium", "9"], ["France", "5"]]
    offices = list(csv.reader(io.StringIO(_csv(client, f"/en/statistics/{edition.slug}/office.csv"))))
    registrations = {row[0]: row[1] for row in offices[1:]}
    assert registrations == {"Ghent": "x", "Lille": "5", "no office (by video)": "<5"}
    page = client.get(f"/en/statistics/{edition.slug}/").content.decode()
    assert '<th scope="row">Ghent</th><td>hidden</td>' in page


@pytest.mark.parametrize(
    ("language", "registrations", "rate"),
    [("fr", "4\xa0200", "69,0"), ("nl", "4.200", "69,0"), ("en", "4,200", "69.0")],
)
def test_numbers_are_written_as_the_language_of_the_page_writes_them(
    client: Any, language: str, registrations: str, rate: str
) -> None:
    edition = empty_edition("2015-2016")
    RecordedFigures.objects.create(edition=edition, registrations=4200, placed=3900, attendance_rate="69.0")
    page = client.get(f"/{language}/statistics/").content.decode()
    assert f"<td>{registrations}</td>" in page
    assert f"<td>{rate}</td>" in page
    detail = client.get(f"/{language}/statistics/{edition.slug}/").content.decode()
    assert f"<dd>{registrations}</dd>" in detail
    assert f"<dd>{rate}</dd>" in detail
    # Files keep plain numbers, whatever the language.
    assert ",4200,3900," in _csv(client, f"/{language}/statistics/editions.csv")
