"""Review fixes of "My Smart in Progress" and the header (issue 16): what a member reads on /me/."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services
from coopsip.events.models import Attendance, Audience, Place, PlaceKind
from coopsip.events.tests.test_public_pages import make_event

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def _next_tuesday_evening() -> datetime:
    """Tuesday 19:00 in Brussels, at least two days ahead (the words of the day are then known)."""
    day = timezone.localdate() + timezone.timedelta(days=2)
    while day.weekday() != 1:
        day += timezone.timedelta(days=1)
    return datetime(day.year, day.month, day.day, 19, 0, tzinfo=BRUSSELS)


def _signed_up(member: User, **fields: Any) -> Any:
    start = _next_tuesday_evening()
    event = make_event(title="Breakfast", **fields)
    event.starts_at, event.ends_at = start, start + timezone.timedelta(hours=2)
    event.save()
    services.sign_up(event_id=event.pk, user=member, notify=False)
    return start


# --- 2. An item about an event says its day, time and place --------------------------------------------


def test_my_events_on_my_home_say_the_day_the_time_and_the_place_in_my_language(member: User) -> None:
    kop = Place.objects.create(name="KOP", kind=PlaceKind.SHARED_SPACE, address="Kortrijksepoortstraat 1, Gent")
    start = _signed_up(member, place=kop)
    client = client_for(member)
    english = client.get("/en/me/").content.decode()
    assert f"Tue {start.day} {start:%b}, 19:00–21:00 · KOP" in english
    dutch = client.get("/nl/me/").content.decode()
    assert f"di {start.day} " in dutch and "19:00–21:00 · KOP" in dutch
    french = client.get("/fr/me/").content.decode()
    assert f"mar {start.day} " in french and "19:00–21:00 · KOP" in french


def test_an_online_event_on_my_home_says_online(member: User) -> None:
    _signed_up(member, attendance=Attendance.ONLINE, video_url="https://video.example.org/x")
    assert "19:00–21:00 · online" in client_for(member).get("/en/me/").content.decode()


def test_the_next_meeting_of_my_group_says_when_and_where(edition: Any, staff: User) -> None:
    from coopsip.groups.models import WorkingGroup
    from coopsip.groups.tests.factories import accept_all, opened_group

    group = opened_group(edition, staff)
    accept_all(group)
    group = WorkingGroup.objects.get(pk=group.pk)
    assert group.circle_id is not None
    start = _next_tuesday_evening()
    services.create_event(
        by=staff,
        data=services.EventInput(
            titles={"en": "Second meeting"},
            starts_at=start,
            ends_at=start + timezone.timedelta(hours=2),
            attendance=Attendance.ONLINE,
            video_url="https://video.example.org/g",
            audience=Audience.CIRCLE,
            circle=group.circle,
        ),
    )
    person = group.seats.select_related("registration__user").first().registration.user
    html = client_for(person).get("/en/me/").content.decode()
    assert "Next meeting of my group" in html
    assert f"Tue {start.day} {start:%b}, 19:00–21:00 · online" in html


@pytest.fixture
def edition() -> Any:
    from coopsip.groups.tests.factories import make_edition

    return make_edition()


# --- 4. A sector network's group is named with the network's own name, in the reader's language ----------


def _network_with_polls(member: User, polls: int) -> None:
    from coopsip.events.models import CircleRole
    from coopsip.groupspace import services as space_services
    from coopsip.networking.models import Sector
    from coopsip.networking.services import create_sector_network

    coordinator = User.objects.create_user(email="coord@example.org", password="x")
    circle = services.create_circle(
        name="Netwerk grafisch ontwerp", members=[(coordinator, CircleRole.MODERATOR), (member, CircleRole.MEMBER)]
    )
    create_sector_network(
        circle=circle,
        sector=Sector.objects.order_by("pk").first(),
        names={"nl": "Netwerk grafisch ontwerp", "fr": "Réseau graphisme", "en": "Graphic design network"},
    )
    soon = timezone.now() + timezone.timedelta(days=7)
    for number in range(polls):
        space_services.create_poll(
            by=coordinator,
            circle=circle,
            title=f"Meeting {number}",
            options=[(soon, soon + timezone.timedelta(hours=2))],
            notify=False,
        )


# Session, user, groups, register entry, each app's provider (polls with their network in one)…: 20 for one
# poll and for four.
ME_QUERIES = 20


@pytest.mark.parametrize("polls", [1, 4])
def test_a_sector_networks_poll_on_my_home_names_the_network_in_my_language(
    member: User, polls: int, django_assert_num_queries: Any
) -> None:
    _network_with_polls(member, polls)
    client = client_for(member)
    assert "Réseau graphisme proposes" not in client.get("/en/me/").content.decode()
    assert "Graphic design network proposes dates" in client.get("/en/me/").content.decode()
    assert "Réseau graphisme" in client.get("/fr/me/").content.decode()
    assert "Netwerk grafisch ontwerp" in client.get("/nl/me/").content.decode()
    client.get("/en/me/")
    # The same count for one poll and four: the network's name comes with the polls.
    with django_assert_num_queries(ME_QUERIES):
        client.get("/en/me/")
