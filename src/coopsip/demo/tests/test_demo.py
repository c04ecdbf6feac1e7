from __future__ import annotations

import pytest
from django.test import Client

from coopsip.accounts.models import User
from coopsip.demo.formation import BOARD_2017
from coopsip.demo.services import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from coopsip.demo.tests.conftest import DEMO_PEOPLE

pytestmark = pytest.mark.django_db


def test_it_loads_people_spread_over_the_offices(demo: dict[str, int]) -> None:
    # The synthetic people, three demo accounts, and the made-up board of 2017-2018 (demo.formation).
    assert demo["register_entries"] == DEMO_PEOPLE + 3 + len(BOARD_2017)
    offices = set(User.objects.exclude(office=None).values_list("office__slug", flat=True))
    assert len(offices) >= 10
    assert User.objects.exclude(municipality=None).count() > 30


def test_loading_it_again_changes_nothing(demo: dict[str, int]) -> None:
    assert load_demo(people=DEMO_PEOPLE) == demo


def test_the_demo_member_logs_in_and_is_a_member(demo: dict[str, int]) -> None:
    client = Client()
    response = client.post("/nl/accounts/login/", {"login": DEMO_ACCOUNTS[0].email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email=DEMO_ACCOUNTS[0].email)
    assert user.has_perm("members.verify_membership") is False
    assert user.register_entry.is_member


def test_the_demo_staff_member_is_on_the_cooperative_life_team(demo: dict[str, int]) -> None:
    user = User.objects.get(email="staff@demo.coopsip.org")
    assert user.has_perm("members.import_register")
    assert not User.objects.get(email="bestuur@demo.coopsip.org").has_perm("members.import_register")


def test_the_demo_staff_member_logs_in_with_the_printed_code(demo: dict[str, int]) -> None:
    from coopsip.demo.services import demo_totp_code

    client = Client()
    response = client.post("/en/accounts/login/", {"login": "staff@demo.coopsip.org", "password": DEMO_PASSWORD})
    assert "/accounts/2fa/authenticate/" in response["Location"]
    response = client.post(response["Location"], {"code": demo_totp_code()})
    assert response.status_code == 302
    assert client.get("/en/members/register/import/").status_code == 200
