"""People of the networking tests.

Lotte (the ``member`` persona) lives in Gent and needs a photographer. Pieter is a Dutch-speaking
photographer in Lokeren (20 km away); Camille a French-speaking photographer in Liège; Bob a sound
engineer in Gent. Each has an offer.
"""

from __future__ import annotations

from typing import Any

import pytest

from conftest import link_to_register, make_person
from coopsip.members.models import MembershipStatus
from coopsip.networking import services
from coopsip.networking.models import Sector, Skill
from coopsip.places.models import Municipality


def place(postcode: str, name: str, lat: float, lon: float, country: str = "BE") -> Municipality:
    return Municipality.objects.get_or_create(
        country=country, postcode=postcode, name=name, defaults={"latitude": lat, "longitude": lon}
    )[0]


def person(email: str, first_name: str, *, number: str, language: str = "nl") -> Any:
    user = make_person(email, first_name=first_name, last_name="Test", preferred_language=language)
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def offer_input(**kw: Any) -> services.ListingInput:
    values: dict[str, Any] = {
        "kind": "offer",
        "category": "work",
        "title": "",
        "body": "",
        "language": "nl",
        "pay": "paid",
    }
    return services.ListingInput(**{**values, **kw})


@pytest.fixture
def places(db: Any) -> dict[str, Municipality]:
    return {
        "gent": place("9000", "Gent", 51.0543, 3.7174),
        "lokeren": place("9160", "Lokeren", 51.1034, 3.9931),
        "liege": place("4000", "Liège", 50.6326, 5.5797),
        "brussel": place("1000", "Bruxelles", 50.8504, 4.3488),
    }


@pytest.fixture
def vocab(db: Any) -> dict[str, Any]:
    return {
        "audiovisual": Sector.objects.get(slug="audiovisual"),
        "music": Sector.objects.get(slug="music"),
        "photo": Skill.objects.get(slug="photography"),
        "sound": Skill.objects.get(slug="sound-engineering"),
    }


@pytest.fixture
def pieter(db: Any) -> Any:
    return person("pieter@example.org", "Pieter", number="300001")


@pytest.fixture
def camille(db: Any) -> Any:
    return person("camille@example.org", "Camille", number="300002", language="fr")


@pytest.fixture
def bob(db: Any) -> Any:
    return person("bob@example.org", "Bob", number="300003", language="en")


@pytest.fixture
def offers(places: dict[str, Any], vocab: dict[str, Any], pieter: Any, camille: Any, bob: Any) -> dict[str, Any]:
    return {
        "pieter": services.publish_listing(
            author=pieter,
            data=offer_input(
                title="Fotograaf voor evenementen en portretten",
                body="Ik ben fotograaf en werk graag met andere fotografen.",
                sectors=(vocab["audiovisual"],),
                skills=(vocab["photo"],),
                municipality_id=places["lokeren"].pk,
                radius_km=40,
            ),
        ),
        "camille": services.publish_listing(
            author=camille,
            data=offer_input(
                title="Photographe de spectacles",
                body="La photographie de scène est mon métier.",
                language="fr",
                sectors=(vocab["audiovisual"],),
                skills=(vocab["photo"],),
                municipality_id=places["liege"].pk,
                radius_km=30,
            ),
        ),
        "bob": services.publish_listing(
            author=bob,
            data=offer_input(
                title="Sound engineer for concerts",
                body="Live mixing, recording.",
                language="en",
                sectors=(vocab["music"],),
                skills=(vocab["sound"],),
                municipality_id=places["gent"].pk,
            ),
        ),
    }
