"""The review page of a formation run holds a real edition (issue 11, point 4).

At 250 and at 5,000 registrants (about 450 groups, written straight to the
database by ``review_data``), Sara's pages stay under 300 KB and need the same
number of queries: the groups of one theme × office a page at a time, the
people without a group a page at a time, and the move dialog of one person.
(Before, the page held a select of every group for each person: 969 KB at 250
people, 211 MB at 5,116.) The time is measured by bench/formation_review.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.formation import selectors
from coopsip.formation.models import FormationRun
from coopsip.formation.tests.review_data import build_review_run

MAX_BYTES = 300_000
# Session, user, groups and second factor; the run; the cells (3); then the page's own reads.
RUN_PAGE_QUERIES = 14
# The people without a group: their registrations (and who is on the board), then the members of the groups
# with room, read to check the balance rules with each person in them.
UNPLACED_QUERIES = 28
DIALOG_QUERIES = 24


@pytest.fixture(params=[250, 5000], ids=["250 people", "5000 people"])
def big_run(request: Any, staff: User, db: Any) -> FormationRun:
    return build_review_run(request.param, by=staff)


def run_url(run: FormationRun) -> str:
    return reverse("formation_staff:run", kwargs={"pk": run.pk})


def test_the_run_page_shows_one_theme_and_office_a_page_at_a_time_small_and_in_fixed_queries(
    staff: User, big_run: FormationRun, django_assert_max_num_queries: Any
) -> None:
    client = client_for(staff)
    found = selectors.cells(big_run)
    crowded = found[0]
    with django_assert_max_num_queries(RUN_PAGE_QUERIES):
        response = client.get(run_url(big_run))
    assert response.status_code == 200
    html = response.content.decode()
    assert len(response.content) < MAX_BYTES, len(response.content)
    # The navigation names every theme × office with its counts; the page shows a page of the first one's groups.
    for cell in found:
        assert f'href="?cell={cell.key}#review"' in html
    assert f"{crowded.groups} groups, {crowded.people} people" in html
    assert html.count('class="formation-group"') == min(crowded.groups, selectors.GROUPS_PER_PAGE)
    assert ("Page 1 of" in html) == (crowded.groups > selectors.GROUPS_PER_PAGE)
    # No select of every group for each person: one shared dialog, fetched per person.
    assert "<select" not in html.split('id="cells-nav"')[1]
    assert html.count('id="move-dialog"') == 1

    last = found[-1]
    with django_assert_max_num_queries(RUN_PAGE_QUERIES):
        response = client.get(run_url(big_run), {"cell": last.key})
    assert len(response.content) < MAX_BYTES
    assert response.content.decode().count('class="formation-group"') == min(last.groups, selectors.GROUPS_PER_PAGE)


def test_the_people_without_a_group_come_a_page_at_a_time_with_real_groups_named(
    staff: User, big_run: FormationRun, django_assert_max_num_queries: Any
) -> None:
    client = client_for(staff)
    with django_assert_max_num_queries(UNPLACED_QUERIES):
        response = client.get(run_url(big_run), {"cell": "unplaced"})
    assert response.status_code == 200
    assert len(response.content) < MAX_BYTES, len(response.content)
    html = response.content.decode()
    shown = min(big_run.unplaced.count(), selectors.UNPLACED_PER_PAGE)
    assert html.count('<tr id="unplaced-') == shown
    # The reason names real groups of the proposal (their code, theme, place, language and slot).
    assert "These groups suit this person and have room now: G0001: Housing, Antwerp, Dutch, Monday evening" in html


def test_the_move_dialog_of_one_person_is_small_and_in_fixed_queries(
    staff: User, big_run: FormationRun, django_assert_max_num_queries: Any
) -> None:
    client = client_for(staff)
    member = big_run.members.filter(role="participant").order_by("pk").first()
    assert member is not None
    url = reverse("formation_staff:move_dialog", kwargs={"pk": big_run.pk, "registration": member.registration_id})
    with django_assert_max_num_queries(DIALOG_QUERIES):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert len(response.content) < 50_000
    # The groups of the same theme, office, language and slot, with room; never their own.
    assert 'name="group"' in html
    assert f'value="{member.group_id}"' not in html
