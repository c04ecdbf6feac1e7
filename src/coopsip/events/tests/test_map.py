"""An event's page shows its place on a map (issue 16, point 3): an OpenStreetMap frame, the address as text."""

from __future__ import annotations

from decimal import Decimal

import pytest

from conftest import client_for
from coopsip.events.models import Audience, Place, PlaceKind
from coopsip.events.tests.factories import make_event
from coopsip.places.models import Office

pytestmark = pytest.mark.django_db


def _page(**fields: object) -> str:
    event = make_event(audience=Audience.PUBLIC, **fields)
    return client_for(None).get(f"/en/events/{event.pk}/").content.decode()


def test_a_place_with_a_position_has_a_map_in_a_closed_box_beside_its_address() -> None:
    kop = Place.objects.create(
        name="KOP",
        kind=PlaceKind.SHARED_SPACE,
        address="Rue Coenraets 72, 1060 Saint-Gilles",
        latitude=Decimal("50.82963"),
        longitude=Decimal("4.33977"),
    )
    page = _page(place=kop, address="")
    assert "KOP, Rue Coenraets 72, 1060 Saint-Gilles" in page  # the address, always as text
    box = page.split('<details class="event-map">', 1)[1].split("</details>", 1)[0]
    assert "<summary>Show the map on this page</summary>" in box
    assert 'title="Map around KOP, Rue Coenraets 72, 1060 Saint-Gilles (OpenStreetMap)"' in box
    assert "https://www.openstreetmap.org/export/embed.html?bbox=4.33277%2C50.82563%2C4.34677%2C50.83363" in box
    assert "marker=50.82963%2C4.33977" in box
    assert 'loading="lazy"' in box and 'referrerpolicy="no-referrer"' in box
    assert "https://www.openstreetmap.org/?mlat=50.82963&amp;mlon=4.33977#map=17/50.82963/4.33977" in box


def test_an_office_without_its_own_position_uses_the_offices() -> None:
    office = Office.objects.order_by("slug").first()
    assert office is not None
    place = Place.objects.create(name="Kantoor", kind=PlaceKind.OFFICE, office=office, address="Straat 1, 9000 Gent")
    page = _page(place=place, address="")
    assert f"marker={office.latitude:.5f}%2C{office.longitude:.5f}" in page


def test_an_address_without_a_known_position_keeps_the_link_to_a_map_only() -> None:
    page = _page()
    assert "Rue Coenraets 72, 1060 Bruxelles" in page
    assert "<iframe" not in page
    assert "https://www.openstreetmap.org/search?query=" in page
