"""The demand table: active registrations per theme × office × mode, with their volunteers.

A small hand-made edition: six people still registered and one who withdrew.

    person  themes        office     mode       volunteers
    Anna    wonen, zorg   Gent       in person  moderator
    Bert    wonen         Gent       in person  secretary
    Carla   wonen         Gent       video
    Dries   wonen         Antwerpen  either
    Eva     zorg, wonen   Gent       in person  moderator and secretary
    Fien    zorg          (none)     video
    Gust    wonen         Gent       in person  withdrew
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition, Theme
from coopsip.registrations.selectors import DemandCell, build_demand_table, demand_table
from coopsip.registrations.services import withdraw_registration
from coopsip.registrations.tests.test_staff_access import make_member, make_open_edition, register


@pytest.fixture
def edition(db: Any) -> Edition:
    edition = make_open_edition()
    people = [
        ("anna", ("wonen", "zorg"), "gent", "in_person", {"moderator": True}),
        ("bert", ("wonen",), "gent", "in_person", {"secretary": True}),
        ("carla", ("wonen",), "gent", "video", {}),
        ("dries", ("wonen",), "antwerpen", "either", {}),
        ("eva", ("zorg", "wonen"), "gent", "in_person", {"moderator": True, "secretary": True}),
        ("fien", ("zorg",), None, "video", {}),
        ("gust", ("wonen",), "gent", "in_person", {}),
    ]
    for number, (name, themes, office_slug, mode, roles) in enumerate(people):
        user = make_member(f"{name}@example.org", number=f"50{number}", first_name=name.title())
        registration = register(user, edition, *themes, office_slug=office_slug, mode=mode, **roles)
    withdraw_registration(registration=registration)  # Gust
    return edition


def test_first_choices_per_theme_office_and_mode(edition: Edition) -> None:
    table = demand_table(edition=edition)
    assert table.cell("wonen", "gent", "in_person") == DemandCell(people=2, moderators=1, secretaries=1)
    assert table.cell("wonen", "gent", "video") == DemandCell(1, 0, 0)
    assert table.cell("wonen", "antwerpen", "either") == DemandCell(1, 0, 0)
    assert table.cell("zorg", "gent", "in_person") == DemandCell(1, 1, 1)
    assert table.cell("zorg", None, "video") == DemandCell(1, 0, 0)
    assert table.cell("digitaal", "gent", "in_person") == DemandCell()


def test_row_and_column_totals(edition: Edition) -> None:
    table = demand_table(edition=edition)
    wonen, zorg, digitaal, paris = table.themes
    assert [row.office.slug for row in wonen.rows] == ["antwerpen", "gent"]  # by name
    assert wonen.rows[1].total == DemandCell(3, 1, 1)  # Gent, all modes
    assert wonen.totals == (DemandCell(2, 1, 1), DemandCell(1, 0, 0), DemandCell(1, 0, 0))
    assert wonen.total == DemandCell(4, 1, 1)
    assert [row.office for row in zorg.rows][-1] is None  # "no office" comes last
    assert zorg.total == DemandCell(2, 1, 1)
    assert digitaal.rows == () and paris.rows == ()
    assert table.totals == (DemandCell(3, 2, 2), DemandCell(2, 0, 0), DemandCell(1, 0, 0))
    assert table.total == DemandCell(6, 2, 2)  # Gust withdrew: not counted


def test_all_choices_count_a_person_under_each_theme(edition: Edition) -> None:
    table = demand_table(edition=edition, first_choice_only=False)
    assert table.cell("wonen", "gent", "in_person") == DemandCell(3, 2, 2)  # Anna, Bert and Eva (2nd choice)
    assert table.cell("zorg", "gent", "in_person") == DemandCell(2, 2, 1)  # Eva, and Anna (2nd choice)
    assert table.total.people == 8  # choices, not people


def test_cells_with_people_but_no_moderator_are_flagged(edition: Edition) -> None:
    table = demand_table(edition=edition)
    assert table.cell("wonen", "gent", "video").lacks_moderator
    assert not table.cell("wonen", "gent", "in_person").lacks_moderator
    assert not table.cell("digitaal", "gent", "video").lacks_moderator  # nobody there: nothing missing


def test_the_page_shows_the_table_with_headers_and_the_flag_in_words(staff: User, edition: Edition) -> None:
    response = client_for(staff).get(reverse("registrations_staff:demand", kwargs={"slug": edition.slug}))
    html = response.content.decode()
    assert response.status_code == 200
    # The table is named by the line above its scrolling box (a caption would scroll out of sight at 390 px).
    assert '<p id="demand-caption" class="table-caption">People per theme of their first choice' in html
    assert '<div class="table-scroll" tabindex="0" aria-labelledby="demand-caption" role="region">' in html
    assert '<table class="staff-table demand-table" aria-labelledby="demand-caption">' in html
    assert "1 moderator, 1 secretary" in html
    assert '<th scope="rowgroup" rowspan="3">Housing</th>' in html  # Antwerp, Ghent, all offices
    assert '<th scope="col">In person</th>' in html
    assert "No office given" in html
    assert "Nobody yet." in html  # Digital work
    # Wonen: Gent video, Antwerpen either and its row; zorg: no office video and its row; wonen's video and
    # either totals, zorg's video total; the video and either totals of all themes.
    assert html.count('<strong class="flag">No moderator</strong>') == 10
    assert "?role=moderator&amp;theme=" in html  # invite a moderator where one is missing


def test_the_page_switches_to_all_choices(staff: User, edition: Edition) -> None:
    url = reverse("registrations_staff:demand", kwargs={"slug": edition.slug})
    response = client_for(staff).get(url, {"choices": "all"})
    assert response.context["table"].first_choice_only is False
    assert "a person counts under each of the themes they chose" in response.content.decode()


@pytest.mark.parametrize("extra", [0, 8])
def test_the_page_keeps_a_fixed_number_of_queries(
    staff: User, edition: Edition, django_assert_num_queries: Any, extra: int
) -> None:
    offices = ["gent", "luik", "namen", "bergen"]
    for number in range(extra):
        user = make_member(f"extra{number}@example.org", number=f"60{number}")
        register(user, edition, "digitaal", "zorg", office_slug=offices[number % 4], moderator=number % 2 == 0)
    client = client_for(staff)
    url = reverse("registrations_staff:demand", kwargs={"slug": edition.slug})
    client.get(url)
    # Session, user, the team's second-factor check (2), groups, edition, counts, offices, themes.
    with django_assert_num_queries(9):
        client.get(url)


def test_the_arrangement_needs_no_database() -> None:
    housing, care = Theme(pk=1, slug="wonen", title="Housing"), Theme(pk=2, slug="zorg", title="Care")
    counts = [
        {"theme_id": 1, "office_id": None, "mode": "video", "people": 3, "moderators": 0, "secretaries": 1},
        {"theme_id": 1, "office_id": None, "mode": "either", "people": 2, "moderators": 1, "secretaries": 0},
    ]
    table = build_demand_table(themes=[housing, care], offices={}, counts=counts, first_choice_only=True)
    assert table.themes[0].rows[0].cells == (DemandCell(), DemandCell(3, 0, 1), DemandCell(2, 1, 0))
    assert table.themes[0].rows[0].total == DemandCell(5, 1, 1)
    assert table.themes[1].rows == ()
