"""The "Group" select of "New event" and "New series" names each group in the reader's language (issue 16 review).

A sector network's circle keeps one internal name ("Sectornetwerk grafisch ontwerp · Réseau graphisme"); the
select shows the network's own name in nl, fr or en, as the personal home does.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events import services as events_services
from coopsip.events.models import CircleRole
from coopsip.events.tests.test_organise_access import person
from coopsip.networking import services as networking_services
from coopsip.networking.models import Sector

pytestmark = pytest.mark.django_db

MIXED = "Sectornetwerk grafisch ontwerp · Réseau graphisme"
NAMES = {"nl": "Sectornetwerk grafisch ontwerp", "fr": "Réseau graphisme", "en": "Graphic design network"}


@pytest.fixture
def cora(db: Any) -> User:
    return person("cora@example.org", "Cora")


@pytest.fixture
def network(cora: User) -> Any:
    circle = events_services.create_circle(name=MIXED, members=[(cora, CircleRole.SECRETARY)])
    return networking_services.create_sector_network(
        circle=circle, sector=Sector.objects.get(slug="audiovisual"), names=NAMES
    )


def _options(html: str) -> list[str]:
    select = re.search(r'<select name="circle"[^>]*>(.*?)</select>', html, re.S)
    assert select is not None
    return [text.strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select.group(1), re.S)]


@pytest.mark.parametrize("language", ["nl", "fr", "en"])
@pytest.mark.parametrize("page", ["new", "new-series"])
def test_staff_see_the_sector_network_named_in_their_language(
    staff: User, network: Any, language: str, page: str
) -> None:
    response = client_for(staff).get(f"/{language}/events/organise/{page}/")

    options = _options(response.content.decode())
    assert NAMES[language] in options
    assert MIXED not in options


@pytest.mark.parametrize("language", ["nl", "fr"])
def test_the_networks_secretary_sees_its_name_in_her_language(cora: User, network: Any, language: str) -> None:
    response = client_for(cora).get(f"/{language}/events/organise/new/?circle={network.circle.pk}")

    assert _options(response.content.decode()) == [NAMES[language]]
