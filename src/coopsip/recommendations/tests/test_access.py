"""Every page of the group's side, for every role.

Personas: M2 (a member of the group), M1 (its secretary), Ada (the advisor of the group's office),
O2 (a member of another group), staff, the board, a visitor. Drafts are the group's, its advisor's
and staff's; the board reads a recommendation once it is submitted; consent answers are the group's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, make_person
from coopsip.groups.models import OfficeAdvisor, WorkingGroup
from coopsip.places.models import Office
from coopsip.recommendations import services
from coopsip.recommendations.models import Recommendation

from .conftest import user

pytestmark = pytest.mark.django_db

ROLES = ["visitor", "other_group", "member", "secretary", "advisor", "staff", "board"]
GROUP_READERS = {"member", "secretary", "advisor", "staff"}
MEMBERS = {"member", "secretary"}
OFFICERS = {"secretary"}


@pytest.fixture
def world(group: WorkingGroup, draft: Recommendation, staff: Any, board: Any) -> dict[str, Any]:
    office = Office.objects.get(slug="gent")
    WorkingGroup.objects.filter(pk=group.pk).update(office=office)
    advisor = make_person("ada@example.org", first_name="Ada")
    OfficeAdvisor.objects.create(office=office, user=advisor)
    secretary = user("m1@example.org")
    consent_round = services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=2)
    )
    return {
        "people": {
            "visitor": None,
            "other_group": user("o2@example.org"),
            "member": user("m2@example.org"),
            "secretary": secretary,
            "advisor": advisor,
            "staff": staff,
            "board": board,
        },
        "group": group,
        "draft": draft,
        "round": consent_round,
    }


def _pages(world: dict[str, Any]) -> list[tuple[str, dict[str, Any], set[str]]]:
    g, r = world["group"].pk, world["draft"].pk
    rec = {"group_pk": g, "pk": r}
    return [
        ("recommendations:group", {"group_pk": g}, GROUP_READERS),
        ("recommendations:idea_create", {"group_pk": g}, MEMBERS),
        ("recommendations:draft_create", {"group_pk": g}, OFFICERS),
        ("recommendations:draft", rec, GROUP_READERS),
        ("recommendations:draft_edit", rec, MEMBERS),
        ("recommendations:versions", rec, GROUP_READERS),
        ("recommendations:version", rec | {"number": 1}, GROUP_READERS),
        ("recommendations:consent", rec | {"round_pk": world["round"].pk}, MEMBERS),
        ("recommendations:consent_close", rec | {"round_pk": world["round"].pk}, OFFICERS),
        ("recommendations:submit", rec, OFFICERS),
        ("recommendations:withdraw", rec, OFFICERS),
    ]


def test_every_page_for_every_role(world: dict[str, Any]) -> None:
    for name, kwargs, allowed in _pages(world):
        url = reverse(name, kwargs=kwargs)
        for role in ROLES:
            response = client_for(world["people"][role]).get(url)
            if role in allowed:
                assert response.status_code == 200, f"{role} should see {name}"
            elif role == "visitor":
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
            else:
                assert response.status_code == 403, f"{role} must not see {name} (got {response.status_code})"


def test_the_post_only_actions_refuse_get_and_those_outside_the_group(world: dict[str, Any]) -> None:
    rec = {"group_pk": world["group"].pk, "pk": world["draft"].pk}
    for name in ("recommendations:consent_open", "recommendations:reopen", "recommendations:contributions"):
        url = reverse(name, kwargs=rec)
        assert client_for(world["people"]["secretary"]).get(url).status_code == 405
        if name != "recommendations:contributions":  # every member attaches contributions
            assert client_for(world["people"]["member"]).post(url).status_code == 403
        for role in ("staff", "board", "advisor", "other_group"):
            assert client_for(world["people"][role]).post(url).status_code == 403, (role, name)
        assert "/accounts/login/" in client_for(None).post(url)["Location"]


def test_the_board_reads_a_recommendation_once_submitted_never_its_consent(world: dict[str, Any]) -> None:
    draft, board = world["draft"], world["people"]["board"]
    url = reverse("recommendations:draft", kwargs={"group_pk": world["group"].pk, "pk": draft.pk})
    Recommendation.objects.filter(pk=draft.pk).update(status="submitted", submitted_at=timezone.now())
    response = client_for(board).get(url)
    assert response.status_code == 200
    assert "A fund for shared tools" in response.content.decode()
    consent = reverse(
        "recommendations:consent", kwargs={"group_pk": world["group"].pk, "pk": draft.pk, "round_pk": world["round"].pk}
    )
    assert client_for(board).get(consent).status_code == 403
    # Withdrawn: back to the group only.
    Recommendation.objects.filter(pk=draft.pk).update(status="withdrawn", withdrawn_at=timezone.now())
    assert client_for(board).get(url).status_code == 403


def test_ids_of_another_group_lead_nowhere(world: dict[str, Any], groups: list[WorkingGroup]) -> None:
    other = groups[1]
    # The draft of group A under the address of group B: 404 for everyone, also for B's members.
    url = reverse("recommendations:draft", kwargs={"group_pk": other.pk, "pk": world["draft"].pk})
    assert client_for(world["people"]["other_group"]).get(url).status_code == 404
    assert client_for(world["people"]["member"]).get(url).status_code == 404
    # A round of A's draft under another recommendation of A's group: 404.
    second = services.create_draft(by=world["people"]["secretary"], group=world["group"], title="Two", language="en")
    url = reverse(
        "recommendations:consent",
        kwargs={"group_pk": world["group"].pk, "pk": second.pk, "round_pk": world["round"].pk},
    )
    assert client_for(world["people"]["member"]).get(url).status_code == 404
