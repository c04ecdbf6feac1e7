"""A group's officer is offered only what fits a group's meeting (issue 16 review, 9).

Ines is the secretary of "Werkgroep wonen". Her "New meeting" form offers no info session, no partner meeting,
no minibus trip, and no edition that is a draft or over; a POST of one of them is refused with a clear error.
Staff keep every choice.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.events.models import Circle, Event
from coopsip.events.tests.test_organise_group_meetings import (  # noqa: F401  (fixtures)
    CREATE,
    circle,
    ines,
    meeting_data,
    mehdi,
)

pytestmark = pytest.mark.django_db

# ruff: noqa: F811  (the fixtures ines and circle are imported, then named as arguments)


def _edition(slug: str, *, published: bool, ends_in_days: int) -> Edition:
    today = timezone.localdate()
    return Edition.objects.create(
        slug=slug,
        title_en=f"Edition {slug}",
        starts_on=today - timedelta(days=100),
        ends_on=today + timedelta(days=ends_in_days),
        published_at=timezone.now() - timedelta(days=1) if published else None,
    )


@pytest.fixture
def editions() -> dict[str, Edition]:
    return {
        "running": _edition("running", published=True, ends_in_days=100),
        "draft": _edition("draft", published=False, ends_in_days=300),
        "over": _edition("over", published=True, ends_in_days=-10),
    }


def test_the_officer_is_offered_only_what_fits_a_group_meeting(
    ines: User, circle: Circle, editions: dict[str, Edition]
) -> None:
    page = client_for(ines).get(f"{CREATE}?circle={circle.pk}").content.decode()
    assert 'value="group_meeting"' in page
    assert 'value="info_session"' not in page and 'value="partner_meeting"' not in page
    assert 'value="minibus"' not in page
    assert f'value="{editions["running"].pk}"' in page
    assert f'value="{editions["draft"].pk}"' not in page and f'value="{editions["over"].pk}"' not in page


def test_staff_keep_every_kind_and_edition(staff: User, editions: dict[str, Edition]) -> None:
    page = client_for(staff).get(CREATE).content.decode()
    assert 'value="info_session"' in page and f'value="{editions["draft"].pk}"' in page


def test_the_server_refuses_an_info_session_from_an_officer(ines: User, circle: Circle) -> None:
    response = client_for(ines).post(CREATE, meeting_data(circle, kind="info_session"))
    assert response.status_code == 400
    assert "info sessions and partner meetings are organised by the team" in response.content.decode()
    assert not Event.objects.exists()


def test_the_server_refuses_a_minibus_trip_from_an_officer(ines: User, circle: Circle) -> None:
    response = client_for(ines).post(CREATE, meeting_data(circle, format="minibus"))
    assert response.status_code == 400
    assert "Choose a format that fits a group&#x27;s meeting." in response.content.decode()


@pytest.mark.parametrize("which", ["draft", "over"])
def test_the_server_refuses_a_draft_or_finished_edition_from_an_officer(
    ines: User, circle: Circle, editions: dict[str, Edition], which: str
) -> None:
    response = client_for(ines).post(CREATE, meeting_data(circle, edition=str(editions[which].pk)))
    assert response.status_code == 400
    assert "Choose an edition that is published and not over, or no edition." in response.content.decode()
    assert not Event.objects.exists()
    # The running edition is accepted.
    assert client_for(ines).post(CREATE, meeting_data(circle, edition=str(editions["running"].pk))).status_code == 303
