"""Every page of contributions, for every role (the rows of core/tests/test_permissions.py point here)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from coopsip.contributions.models import Kind
from coopsip.contributions.tests.test_contributions import PNG, make_theme, share

READ = {"outsider", "nonmember", "member", "staff", "board"}  # anybody signed in
STAFF = {"staff"}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("theme", READ),
        ("detail", READ),
        ("file", READ),
        ("hide", STAFF),
        ("invited", STAFF),
    ],
)
def test_pages_per_role(personas: dict[str, Any], name: str, allowed: set[str]) -> None:
    theme = make_theme()
    contribution = share(
        personas["member"], theme, kind=Kind.RESOURCE, upload=SimpleUploadedFile("plan.png", PNG), body=""
    )
    kwargs = {
        "theme": {"theme_pk": theme.pk},
        "invited": {"slug": theme.edition.slug},
    }.get(name, {"pk": contribution.pk})
    url = reverse(f"contributions:{name}", kwargs=kwargs)
    for role, person in personas.items():
        response = client_for(person).get(url)
        if role in allowed:
            assert response.status_code == 200, role
        elif role == "visitor":
            assert response.status_code == 302 and "/login/" in response["Location"], role
        else:
            assert response.status_code == 403, role


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("useful", READ - {"member"}), ("highlight", STAFF), ("move", STAFF)],
)
def test_post_actions_per_role(personas: dict[str, Any], name: str, allowed: set[str]) -> None:
    theme = make_theme()
    contribution = share(personas["member"], theme)
    url = reverse(f"contributions:{name}", kwargs={"pk": contribution.pk})
    for role, person in personas.items():
        client = client_for(person)
        assert client.get(url).status_code in (302, 405), role  # POST only
        response = client.post(url, {"on": "1"})
        if role in allowed or (name == "useful" and role == "member"):
            assert response.status_code == 303, role  # the author is told why they cannot mark their own
        elif role == "visitor":
            assert response.status_code == 302, role
        else:
            assert response.status_code == 403, role


def test_sharing_is_for_people_linked_to_the_register_staff_and_invited_people(personas: dict[str, Any]) -> None:
    theme = make_theme()
    url = reverse("contributions:theme", kwargs={"theme_pk": theme.pk})
    data = {"kind": "question", "title": "Why?", "body": "Because.", "language": "en"}
    expected = {"visitor": 302, "outsider": 403, "nonmember": 303, "member": 303, "staff": 303, "board": 403}
    for role, person in personas.items():
        assert client_for(person).post(url, data).status_code == expected[role], role


def test_an_unpublished_editions_theme_is_for_staff_only(personas: dict[str, Any]) -> None:
    theme = make_theme()
    theme.edition.published_at = None
    theme.edition.save()
    url = reverse("contributions:theme", kwargs={"theme_pk": theme.pk})
    assert client_for(personas["member"]).get(url).status_code == 403
    assert client_for(personas["staff"]).get(url).status_code == 200
