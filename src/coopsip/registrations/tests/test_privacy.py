from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.registrations.models import Registration, RoleInvitation
from coopsip.registrations.tests.test_register import make_open_edition, make_places, register_with_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(db: Any) -> Edition:
    make_places()
    return make_open_edition()


def test_the_data_download_holds_the_registration_and_the_invitations_received(
    member: User, staff: User, edition: Edition
) -> None:
    register_with_service(member, edition, notes="I come by wheelchair.")
    RoleInvitation.objects.create(edition=edition, user=member, role="moderator", token="t" * 40, invited_by=staff)
    data = json.loads(client_for(member).post(reverse("accounts:export_data")).content)
    section = data["registrations"]
    assert section["registrations"][0]["notes"] == "I come by wheelchair."
    assert section["invitations"][0]["role"] == "moderator"


def test_deleting_the_account_deletes_the_registrations(member: User, edition: Edition) -> None:
    from coopsip.accounts.services import delete_account

    register_with_service(member, edition)
    delete_account(user=member)
    assert not Registration.objects.exists()
