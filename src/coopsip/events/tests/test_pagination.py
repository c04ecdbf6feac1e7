"""Bounded lists (issue 16): "Events I organise" by pages, an edition's page shows its soonest events only.

Query counts are pinned at two data sizes: one event, and more than a page of them.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.events.models import Audience, Event, EventKind
from coopsip.events.organise_views import ORGANISE_PER_PAGE
from coopsip.events.templatetags.events_tags import EDITION_EVENTS_SHOWN
from coopsip.events.tests.factories import make_event
from coopsip.home.tests.test_index import running_edition  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def _copies(event: Event, count: int, *, days: int = 1, **fields: Any) -> None:
    """``count`` more events like ``event``, a day apart (rows only: the list reads rows)."""
    copies = []
    for number in range(count):
        copy = Event.objects.get(pk=event.pk)
        copy.pk = None
        copy.starts_at = event.starts_at + timedelta(days=days * (number + 1))
        copy.ends_at = copy.starts_at + timedelta(hours=2)
        for name, value in fields.items():
            setattr(copy, name, value)
        copies.append(copy)
    Event.objects.bulk_create(copies)


def test_events_i_organise_come_by_pages_in_the_same_queries(staff: User, django_assert_num_queries: Any) -> None:
    first = make_event(staff)
    make_event(staff, starts_at=timezone.now() - timedelta(days=40))  # each list holds one (an empty page reads none)
    client = client_for(staff)
    url = reverse("events_organise:list")
    client.get(url)  # the session and the person's groups, as on any page
    with _counting() as captured:
        small = client.get(url)
    _copies(first, ORGANISE_PER_PAGE + 4)
    _copies(first, 3, days=-30)
    with django_assert_num_queries(len(captured)):
        large = client.get(url)
    assert len(small.context["coming"].object_list) == 1
    assert len(large.context["coming"].object_list) == ORGANISE_PER_PAGE
    page = large.content.decode()
    assert 'href="?coming=2#coming"' in page and "Page 1 of 2" in page
    assert 'aria-label="Pages of the coming events"' in page
    second = client.get(url, {"coming": 2}).context["coming"]
    assert len(second.object_list) == 5 and second.number == 2
    assert len(large.context["past"].object_list) == 4


def test_an_editions_page_shows_its_soonest_events_in_the_same_queries(
    running_edition: Edition,  # noqa: F811
    staff: User,
    django_assert_num_queries: Any,
) -> None:
    session = Event.objects.get(edition=running_edition, kind=EventKind.INFO_SESSION)
    client = client_for(None)
    url = f"/en/editions/{running_edition.slug}/"
    with _counting() as captured:
        client.get(url)
    _copies(session, EDITION_EVENTS_SHOWN + 5, audience=Audience.PUBLIC)
    _copies(session, EDITION_EVENTS_SHOWN + 5, days=-20)
    with django_assert_num_queries(len(captured)):
        page = client.get(url).content.decode()
    coming = page.split('id="edition-events-title"', 1)[1].split("</section>", 1)[0]
    past = page.split('id="sessions-title"', 1)[1].split("</section>", 1)[0]
    assert coming.count("<li>") == EDITION_EVENTS_SHOWN
    assert past.count("<h3>") == EDITION_EVENTS_SHOWN
    assert reverse("events:list") in coming  # all of them are on the events list


def _counting() -> Any:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    return CaptureQueriesContext(connection)
