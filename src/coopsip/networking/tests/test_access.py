"""Every networking page of one object, for every role (the rows of core/tests/test_permissions.py point here)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.networking import services
from coopsip.networking.models import SavedSearch

ROLES = ["visitor", "outsider", "nonmember", "member", "staff", "board"]


@pytest.fixture
def personas(member: Any, nonmember: Any, outsider: Any, staff: Any, board: Any) -> dict[str, Any]:
    return {
        "visitor": None,
        "outsider": outsider,
        "nonmember": nonmember,
        "member": member,
        "staff": staff,
        "board": board,
    }


def expect(
    url: str,
    personas: dict[str, Any],
    allowed: set[str],
    *,
    method: str = "get",
    data: Any = None,
    extra: dict[str, Any] | None = None,
) -> None:
    for role, person in {**personas, **(extra or {})}.items():
        response = getattr(client_for(person), method)(url, data or {})
        if role == "visitor":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], (url, role)
        elif role in allowed:
            assert response.status_code in (200, 302), (url, role, response.status_code)
        else:
            assert response.status_code in (403, 404), (url, role, response.status_code)


def test_a_listing_is_for_members_and_staff(personas: dict[str, Any], offers: dict[str, Any], pieter: Any) -> None:
    pk = offers["pieter"].pk
    everyone = {"member", "staff", "pieter"}
    for name in ("detail", "report"):
        expect(reverse(f"networking:{name}", kwargs={"pk": pk}), personas, everyone, extra={"pieter": pieter})


def test_only_the_author_changes_withdraws_and_renews(personas: dict[str, Any], offers: Any, pieter: Any) -> None:
    pk = offers["pieter"].pk
    for name in ("edit", "withdraw"):
        expect(reverse(f"networking:{name}", kwargs={"pk": pk}), personas, {"pieter"}, extra={"pieter": pieter})
    expect(
        reverse("networking:renew", kwargs={"pk": pk}), personas, {"pieter"}, method="post", extra={"pieter": pieter}
    )
    assert client_for(pieter).get(reverse("networking:renew", kwargs={"pk": pk})).status_code == 405


def test_writing_to_an_author_is_for_members(personas: dict[str, Any], offers: Any) -> None:
    url = reverse("networking:contact", kwargs={"pk": offers["bob"].pk})
    expect(url, personas, {"member", "staff"}, method="post", data={"body": "Hello"})
    assert client_for(personas["member"]).get(url).status_code == 405


def test_a_conversation_is_for_its_two_people_only(
    personas: dict[str, Any], offers: Any, pieter: Any, bob: Any
) -> None:
    thread = services.write_to_author(listing=offers["pieter"], sender=personas["member"], body="Hallo")
    url = reverse("networking:thread", kwargs={"pk": thread.pk})
    expect(url, personas, {"member", "pieter"}, extra={"pieter": pieter, "bob": bob})


def test_saved_searches_are_their_owners(personas: dict[str, Any]) -> None:
    saved = SavedSearch.objects.create(user=personas["member"], name="Mine")
    expect(reverse("networking:delete_search", kwargs={"pk": saved.pk}), personas, {"member"})
    expect(
        reverse("networking:save_search"),
        personas,
        {"member", "staff"},
        method="post",
        data={"frequency": "weekly", "query_string": "q=x"},
    )


def test_only_staff_hide(personas: dict[str, Any], offers: Any) -> None:
    expect(reverse("networking_staff:hide", kwargs={"pk": offers["bob"].pk}), personas, {"staff"})


def test_the_renewal_link_needs_its_key_not_a_login(offers: Any) -> None:
    listing = offers["bob"]
    url = reverse("networking:renew_link", kwargs={"token": services.renew_token(listing)})
    assert client_for(None).get(url).status_code == 200
    other = reverse("networking:renew_link", kwargs={"token": services.renew_token(offers["pieter"])[:-2] + "xx"})
    assert client_for(None).get(other).status_code == 404


def test_profiles_shown_to_members_never_to_visitors(personas: dict[str, Any], pieter: Any) -> None:
    profile = services.save_profile(user=pieter, data=services.ProfileInput(is_visible=True, activity="Fotograaf"))
    expect(
        reverse("networking:profile", kwargs={"pk": profile.pk}),
        personas,
        {"member", "staff", "pieter"},
        extra={"pieter": pieter},
    )
    profile.is_visible = False
    profile.save()
    expect(reverse("networking:profile", kwargs={"pk": profile.pk}), personas, {"pieter"}, extra={"pieter": pieter})
