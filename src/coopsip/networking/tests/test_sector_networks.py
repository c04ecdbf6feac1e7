"""Sector networks: a Circle marked as the network of a sector; public pages, asking to join, leaving, coordinators."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from conftest import client_for
from coopsip.events import services as events_services
from coopsip.events.models import CircleMember, CircleRole, SignUp
from coopsip.networking import services
from coopsip.networking.models import JoinRequest, Profile, Sector
from coopsip.networking.tests.conftest import offer_input, person
from coopsip.networking.tests.test_access import expect


@pytest.fixture
def coordinator(db: Any) -> Any:
    return person("coord@example.org", "Cora", number="300010")


@pytest.fixture
def network(coordinator: Any, pieter: Any, places: Any, vocab: Any) -> Any:
    circle = events_services.create_circle(
        name="Sectornetwerk audiovisueel",
        members=[(coordinator, CircleRole.MODERATOR), (pieter, CircleRole.MEMBER)],
    )
    return services.create_sector_network(
        circle=circle,
        sector=vocab["audiovisual"],
        names={"nl": "Sectornetwerk audiovisueel", "fr": "Réseau audiovisuel", "en": "Audiovisual network"},
        how_to_join={"en": "Any member working in film or photography may join."},
    )


def _meeting(network: Any, days: int = 10) -> Any:
    from coopsip.events.models import Attendance, Audience, EventKind

    start = timezone.now() + timedelta(days=days)
    return events_services.create_event(
        by=None,
        data=events_services.EventInput(
            titles={"nl": "Bijeenkomst", "fr": "Réunion", "en": "Network meeting"},
            kind=EventKind.GROUP_MEETING,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            attendance=Attendance.IN_PERSON,
            address="Rue Coenraets 72, 1060 Bruxelles",
            audience=Audience.CIRCLE,
            circle=network.circle,
        ),
    )


def test_a_visitor_sees_the_network_its_meetings_and_how_to_join_but_no_person(
    client: Any, network: Any, pieter: Any, vocab: Any, places: Any
) -> None:
    _meeting(network)
    Profile.objects.create(user=pieter, is_visible=True, activity="Fotograaf")
    services.publish_listing(
        author=pieter,
        data=offer_input(
            title="Fotograaf in Lokeren", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
        ),
    )
    listing = client.get("/en/network/sectors/").content.decode()
    assert "Audiovisual network" in listing and "2 members" in listing
    page = client.get(f"/en/network/sectors/{network.pk}/").content.decode()
    assert "Network meeting" in page and "Any member working in film" in page
    assert "Pieter" not in page and "Fotograaf in Lokeren" not in page
    assert "Logged-in members also see" in page


def test_a_member_sees_the_profiles_that_opted_in_and_the_offers_in_the_sector(
    member: Any, network: Any, pieter: Any, coordinator: Any, vocab: Any, places: Any
) -> None:
    Profile.objects.create(user=pieter, is_visible=True, activity="Fotograaf")
    Profile.objects.create(user=coordinator, is_visible=False, activity="Hidden")
    services.publish_listing(
        author=pieter,
        data=offer_input(
            title="Fotograaf in Lokeren", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
        ),
    )
    services.publish_listing(
        author=pieter,
        data=offer_input(title="Sound for a concert", sectors=(vocab["music"],), municipality_id=places["gent"].pk),
    )
    page = client_for(member).get(f"/en/network/sectors/{network.pk}/").content.decode()
    assert "Pieter Test" in page and "Fotograaf in Lokeren" in page
    assert "Hidden" not in page and "Sound for a concert" not in page
    assert "Cora Test (moderator)" in page


def test_the_name_falls_back_visibly_to_another_language(client: Any, network: Any) -> None:
    network.name_en = ""
    network.save()
    page = client.get(f"/en/network/sectors/{network.pk}/").content.decode()
    assert "Sectornetwerk audiovisueel" in page and 'lang="nl"' in page


def test_a_member_asks_to_join_the_coordinator_accepts_and_they_get_a_seat(
    member: Any, network: Any, coordinator: Any
) -> None:
    meeting = _meeting(network)
    response = client_for(member).post(
        f"/en/network/sectors/{network.pk}/join/", {"message": "I make documentaries."}, follow=True
    )
    assert "Your request is sent" in response.content.decode()
    join = JoinRequest.objects.get(network=network, user=member)
    manage = client_for(coordinator).get(f"/en/network/sectors/{network.pk}/manage/").content.decode()
    assert "I make documentaries." in manage
    response = client_for(coordinator).post(
        f"/en/network/sectors/{network.pk}/requests/{join.pk}/", {"answer": "accept"}, follow=True
    )
    assert "is now in the network" in response.content.decode()
    assert CircleMember.objects.filter(circle=network.circle, user=member).exists()
    assert SignUp.objects.filter(event=meeting, user=member).exists()
    page = client_for(member).get(f"/en/network/sectors/{network.pk}/").content.decode()
    assert "You are in this network" in page


def test_asking_twice_or_when_already_in_says_so(member: Any, network: Any, pieter: Any) -> None:
    client_for(member).post(f"/en/network/sectors/{network.pk}/join/", {"message": ""})
    client_for(member).post(f"/en/network/sectors/{network.pk}/join/", {"message": ""})
    assert JoinRequest.objects.filter(network=network, user=member).count() == 1
    assert client_for(pieter).post(f"/en/network/sectors/{network.pk}/join/", {"message": ""}).status_code == 403
    with pytest.raises(services.NetworkingError, match="already in this network"):
        services.ask_to_join(network=network, user=pieter)
    too_long = client_for(member).post(f"/en/network/sectors/{network.pk}/join/", {"message": "x" * 1001})
    assert too_long.status_code == 200 and "at most 1000 characters" in too_long.content.decode()


def test_a_declined_request_leaves_the_network_as_it_was(member: Any, network: Any, coordinator: Any) -> None:
    join = services.ask_to_join(network=network, user=member)
    client_for(coordinator).post(f"/en/network/sectors/{network.pk}/requests/{join.pk}/", {"answer": "decline"})
    join.refresh_from_db()
    assert join.status == JoinRequest.Status.DECLINED
    assert not CircleMember.objects.filter(circle=network.circle, user=member).exists()


def test_leaving_asks_first_then_gives_up_the_seats(network: Any, pieter: Any) -> None:
    meeting = _meeting(network)
    assert SignUp.objects.filter(event=meeting, user=pieter, status="confirmed").exists()
    url = f"/en/network/sectors/{network.pk}/leave/"
    assert "Leave Audiovisual network?" in client_for(pieter).get(url).content.decode()
    assert CircleMember.objects.filter(circle=network.circle, user=pieter).exists()
    client_for(pieter).post(url)
    assert not CircleMember.objects.filter(circle=network.circle, user=pieter).exists()
    assert SignUp.objects.get(event=meeting, user=pieter).status == "cancelled"


def test_a_coordinator_takes_someone_out_after_confirming(network: Any, coordinator: Any, pieter: Any) -> None:
    url = f"/en/network/sectors/{network.pk}/members/{pieter.pk}/remove/"
    assert "Take Pieter Test out of Audiovisual network?" in client_for(coordinator).get(url).content.decode()
    client_for(coordinator).post(url)
    assert not CircleMember.objects.filter(circle=network.circle, user=pieter).exists()


def test_who_reaches_which_page(network: Any, coordinator: Any, pieter: Any, member: Any, personas: Any) -> None:
    join = services.ask_to_join(network=network, user=member)
    pk = network.pk
    extra = {"coordinator": coordinator, "pieter": pieter}
    # Public pages: everyone, visitors included.
    for url in (reverse("networking:sector_networks"), reverse("networking:sector_network", kwargs={"pk": pk})):
        for who in [*personas.values(), coordinator]:
            assert client_for(who).get(url).status_code == 200
    expect(reverse("networking:sector_network_join", kwargs={"pk": pk}), personas, {"member"}, extra=extra)
    expect(
        reverse("networking:sector_network_leave", kwargs={"pk": pk}), personas, {"pieter", "coordinator"}, extra=extra
    )
    expect(
        reverse("networking:sector_network_manage", kwargs={"pk": pk}), personas, {"staff", "coordinator"}, extra=extra
    )
    remove = reverse("networking:sector_network_remove", kwargs={"pk": pk, "user_pk": pieter.pk})
    expect(remove, personas, {"staff", "coordinator"}, extra=extra)
    decide = reverse("networking:sector_network_decide", kwargs={"pk": pk, "request_pk": join.pk})
    for role in ("member", "nonmember", "board", "pieter"):
        who = {**personas, **extra}[role]
        assert client_for(who).post(decide, {"answer": "accept"}).status_code == 403, role
    assert client_for(coordinator).get(decide).status_code == 405
    join.refresh_from_db()
    assert join.status == JoinRequest.Status.WAITING


def test_a_closed_network_is_not_listed_nor_shown(client: Any, network: Any) -> None:
    network.is_active = False
    network.save()
    assert "Audiovisual network" not in client.get("/en/network/sectors/").content.decode()
    assert client.get(f"/en/network/sectors/{network.pk}/").status_code == 404


def test_the_network_pages_cost_the_same_queries_with_more_members(
    member: Any, network: Any, vocab: Any, places: Any, django_assert_num_queries: Any
) -> None:
    client = client_for(member)
    url = f"/en/network/sectors/{network.pk}/"

    def grow(count: int, start: int) -> None:
        for n in range(start, start + count):
            someone = person(f"n{n}@example.org", f"N{n}", number=f"32{n:04d}")
            events_services.add_to_circle(circle=network.circle, user=someone)
            Profile.objects.create(user=someone, is_visible=True)
            services.publish_listing(
                author=someone,
                data=offer_input(
                    title=f"Offer {n}", sectors=(vocab["audiovisual"],), municipality_id=places["gent"].pk
                ),
            )

    grow(2, 0)
    client.get(url)
    with django_assert_num_queries(18):
        client.get(url)
    with django_assert_num_queries(9):
        client.get("/en/network/sectors/")
    grow(15, 10)
    services.create_sector_network(
        circle=events_services.create_circle(name="Muziek"), sector=vocab["music"], names={"en": "Music network"}
    )
    with django_assert_num_queries(18):
        client.get(url)
    with django_assert_num_queries(9):
        client.get("/en/network/sectors/")


def test_the_sector_network_is_named_in_the_readers_language(network: Any) -> None:
    with override("fr"):
        assert str(network.name) == "Réseau audiovisuel"
    assert Sector.objects.filter(sector_networks=network).exists()


def test_the_organisers_pages_name_the_network_in_the_readers_language(network: Any, coordinator: Any) -> None:
    """Issue 16: not the group's name written once ("Sectornetwerk audiovisueel") on every language's page."""
    french = client_for(coordinator).get("/fr/events/organise/").content.decode()
    assert "Réseau audiovisuel" in french and "Sectornetwerk audiovisueel" not in french
    english = client_for(coordinator).get("/en/events/organise/").content.decode()
    assert "Audiovisual network" in english
