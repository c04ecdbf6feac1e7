"""The home page: what coopsip is, and where the current edition stands."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition, Phase, PhaseKind, Theme
from coopsip.editions.services import publish_edition, unpublish_edition
from coopsip.editions.tests.test_public_pages import make_published_editions, translated, url
from coopsip.events.models import Attendance, Audience, Event, EventFormat, EventKind

HOME_QUERIES = 4  # current edition, its phases, its themes, the next session


@pytest.fixture
def running_edition(staff: User) -> Edition:
    """An edition around today: a phase done, one current, one to come, an info session next week."""
    today = timezone.localdate()
    edition = Edition.objects.create(
        slug="lopend",
        **translated("title", {"nl": "Lopende editie", "fr": "Édition en cours", "en": "Running edition"}),
        starts_on=today - timedelta(days=60),
        ends_on=today + timedelta(days=90),
        registration_opens_at=timezone.now() - timedelta(days=50),
        registration_closes_at=timezone.now() + timedelta(days=20),
        meetings_expected=4,
    )
    Phase.objects.create(
        edition=edition,
        kind=PhaseKind.PREPARATION,
        starts_on=today - timedelta(days=60),
        ends_on=today - timedelta(days=31),
    )
    Phase.objects.create(
        edition=edition, kind=PhaseKind.STUDY, starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=30)
    )
    Phase.objects.create(
        edition=edition, kind=PhaseKind.BOARD, starts_on=today + timedelta(days=31), ends_on=today + timedelta(days=90)
    )
    Theme.objects.create(edition=edition, slug="werk", title_nl="Werk", title_en="Work")
    # The info session is an event of the events engine, with its sign-up.
    Event.objects.create(
        edition=edition,
        title_nl="Infosessie",
        title_en="Info session",
        kind=EventKind.INFO_SESSION,
        format=EventFormat.PRESENTATION,
        audience=Audience.PUBLIC,
        attendance=Attendance.ONLINE,
        video_url="https://meet.example.org/sip-info",
        starts_at=timezone.now() + timedelta(days=7),
        ends_at=timezone.now() + timedelta(days=7, hours=2),
    )
    return publish_edition(actor=staff, edition=edition)


def test_the_home_page_shows_where_the_current_edition_stands(running_edition: Edition) -> None:
    html = client_for(None).get(url("home:index")).content.decode()
    assert "Running edition" in html
    assert "Registration open" in html
    assert 'class="timeline-step is-past"' in html
    assert 'class="timeline-step is-current" aria-current="step"' in html
    assert 'class="timeline-step is-future"' in html
    assert "Now: you are here" in html
    assert url("editions:theme", slug="lopend", theme_slug="werk") in html
    assert "About 4 meetings of about 3 hours each" in html


def test_the_home_page_shows_the_next_public_date(running_edition: Edition) -> None:
    html = client_for(None).get(url("home:index")).content.decode()
    assert "Next public date" in html
    assert "Info session" in html


def test_the_next_public_date_is_the_registration_deadline_when_it_comes_first(running_edition: Edition) -> None:
    Edition.objects.filter(pk=running_edition.pk).update(registration_closes_at=timezone.now() + timedelta(days=2))
    html = client_for(None).get(url("home:index")).content.decode()
    assert "Registration closes" in html
    assert "Info session" not in html


def test_between_two_phases_the_timeline_says_you_are_here(running_edition: Edition) -> None:
    running_edition.phases.filter(kind=PhaseKind.STUDY).delete()
    html = client_for(None).get(url("home:index")).content.decode()
    assert '<li class="timeline-here" aria-current="step">' in html
    assert "You are here: between two phases" in html


def test_an_edition_published_for_later_is_not_on_the_home_page(running_edition: Edition) -> None:
    Edition.objects.filter(pk=running_edition.pk).update(published_at=timezone.now() + timedelta(days=1))
    response = client_for(None).get(url("home:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Smart in Progress: shape the cooperative together" in html
    assert "current-edition" not in html


def test_an_unpublished_edition_leaves_the_home_page(running_edition: Edition, staff: User) -> None:
    unpublish_edition(actor=staff, edition=running_edition)
    html = client_for(None).get(url("home:index")).content.decode()
    assert "Running edition" not in html
    assert "current-edition" not in html


def test_the_home_page_shows_the_current_edition_in_each_language(running_edition: Edition) -> None:
    for language, title in [("nl", "Lopende editie"), ("fr", "Édition en cours"), ("en", "Running edition")]:
        html = client_for(None).get(url("home:index", language)).content.decode()
        assert title in html, language


def test_the_home_page_works_on_an_empty_site(db: Any) -> None:
    assert client_for(None).get(url("home:index")).status_code == 200


@pytest.mark.parametrize("themes", [1, 5])
def test_the_home_page_takes_the_same_number_of_queries_for_1_or_5_themes(
    staff: User, themes: int, django_assert_num_queries: Any
) -> None:
    make_published_editions(1, actor=staff, themes=themes)
    client = client_for(None)
    with django_assert_num_queries(HOME_QUERIES):
        assert client.get(url("home:index")).status_code == 200
