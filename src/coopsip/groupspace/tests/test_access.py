"""Who reaches each page of a group's space, and who is refused.

The group's members read and post; its moderator and secretary also plan
meetings and invite guests; staff may do everything; the board reads only;
everyone else is refused, including a member (even the moderator) of another
group who changes the ids in the address.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from coopsip.groupspace import services

from .conftest import soon

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n"


@pytest.fixture
def space(circle: Any, moderator: Any, secretary: Any, settings: Any, tmp_path: Any) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    poll = services.create_poll(by=moderator, circle=circle, title="Meeting 2", options=[soon(7), soon(8)])
    document = services.add_document(by=secretary, circle=circle, upload=SimpleUploadedFile("a.pdf", PDF))
    thread = services.start_thread(by=secretary, circle=circle, title="Agenda", body="Hello")
    return {"circle": circle, "poll": poll, "document": document, "thread": thread}


def urls(space: dict[str, Any], circle_pk: int | None = None) -> dict[str, str]:
    c = circle_pk or space["circle"].pk
    return {
        "polls": reverse("groupspace:polls", kwargs={"circle_pk": c}),
        "poll_create": reverse("groupspace:poll_create", kwargs={"circle_pk": c}),
        "poll": reverse("groupspace:poll", kwargs={"circle_pk": c, "pk": space["poll"].pk}),
        "poll_answer": reverse("groupspace:poll_answer", kwargs={"circle_pk": c, "pk": space["poll"].pk}),
        "poll_choose": reverse("groupspace:poll_choose", kwargs={"circle_pk": c, "pk": space["poll"].pk}),
        "documents": reverse("groupspace:documents", kwargs={"circle_pk": c}),
        "document_file": reverse("groupspace:document_file", kwargs={"circle_pk": c, "pk": space["document"].pk}),
        "document_delete": reverse("groupspace:document_delete", kwargs={"circle_pk": c, "pk": space["document"].pk}),
        "threads": reverse("groupspace:threads", kwargs={"circle_pk": c}),
        "thread": reverse("groupspace:thread", kwargs={"circle_pk": c, "pk": space["thread"].pk}),
        "guests": reverse("groupspace:guests", kwargs={"circle_pk": c}),
    }


READ = ["polls", "poll", "documents", "document_file", "threads", "thread"]
ORGANISE_GET = ["poll_create", "guests"]


@pytest.fixture
def everyone(personas: dict[str, Any], moderator: Any, secretary: Any, bob: Any, other_circle: Any) -> dict[str, Any]:
    return {**personas, "moderator": moderator, "secretary": secretary, "other_group": bob}


# role → (pages it reads, pages it organises)
READERS = {"member", "moderator", "secretary", "staff", "board"}
ORGANISERS = {"moderator", "secretary", "staff"}


def _expect(response: Any, role: str, allowed: bool, name: str) -> None:
    if allowed:
        assert response.status_code == 200, f"{role} should reach {name}"
    elif role == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], name
    else:
        assert response.status_code == 403, f"{role} must not reach {name}"


def test_reading_pages_per_role(space: dict[str, Any], everyone: dict[str, Any]) -> None:
    pages = urls(space)
    for role, user in everyone.items():
        client = client_for(user)
        for name in READ:
            _expect(client.get(pages[name]), role, role in READERS, name)


def test_organising_pages_per_role(space: dict[str, Any], everyone: dict[str, Any]) -> None:
    pages = urls(space)
    for role, user in everyone.items():
        client = client_for(user)
        for name in ORGANISE_GET:
            _expect(client.get(pages[name]), role, role in ORGANISERS, name)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("documents", {"url": "https://pad.example.org/x", "title": "Pad"}),
        ("threads", {"title": "New", "body": "Hi"}),
        ("thread", {"body": "Reply"}),
    ],
)
def test_the_board_and_outsiders_cannot_write(
    space: dict[str, Any], everyone: dict[str, Any], name: str, data: dict[str, str]
) -> None:
    url = urls(space)[name]
    for role in ("board", "outsider", "nonmember", "other_group"):
        assert client_for(everyone[role]).post(url, data).status_code == 403, role
    response = client_for(None).post(url, data)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    # A member writes.
    assert client_for(everyone["member"]).post(url, data).status_code == 303


def test_only_members_answer_and_only_officers_choose(space: dict[str, Any], everyone: dict[str, Any]) -> None:
    pages = urls(space)
    option = space["poll"].options.first()
    answer = {f"option_{option.pk}": "yes"}
    for role in ("board", "outsider", "other_group"):
        assert client_for(everyone[role]).post(pages["poll_answer"], answer).status_code == 403, role
    assert client_for(everyone["member"]).post(pages["poll_answer"], answer).status_code == 303
    choose = {"option": option.pk, "attendance": "in_person", "address": "Rue Haute 1, Gent"}
    for role in ("member", "board", "other_group", "outsider"):
        assert client_for(everyone[role]).post(pages["poll_choose"], choose).status_code == 403, role
    assert space["circle"].events.count() == 0


def test_a_document_is_deleted_by_who_added_it_an_officer_or_staff_only(
    space: dict[str, Any], everyone: dict[str, Any]
) -> None:
    url = urls(space)["document_delete"]
    for role in ("member", "board", "other_group", "outsider"):
        assert client_for(everyone[role]).get(url).status_code == 403, role
        assert client_for(everyone[role]).post(url).status_code == 403, role
    assert client_for(everyone["secretary"]).get(url).status_code == 200  # who added it: the confirmation


def test_another_groups_moderator_cannot_reach_this_group_by_changing_ids(
    space: dict[str, Any], everyone: dict[str, Any], other_circle: Any
) -> None:
    bob = client_for(everyone["other_group"])
    # With this group's id: refused.
    for name, url in urls(space).items():
        response = bob.post(url) if name in ("poll_answer", "poll_choose") else bob.get(url)
        assert response.status_code == 403, name
    # With his own group's id and this group's poll, document or thread: not found.
    for name, url in urls(space, circle_pk=other_circle.pk).items():
        if name in ("polls", "poll_create", "documents", "threads", "guests"):
            continue
        response = bob.post(url) if name in ("poll_answer", "poll_choose") else bob.get(url)
        assert response.status_code == 404, name
    response = bob.post(
        urls(space, circle_pk=other_circle.pk)["poll_answer"], {f"option_{space['poll'].options.first().pk}": "yes"}
    )
    assert response.status_code == 404
    assert not space["poll"].options.first().answers.exists()


def test_unknown_groups_and_objects_are_404(space: dict[str, Any], everyone: dict[str, Any]) -> None:
    staff = client_for(everyone["staff"])
    assert staff.get(reverse("groupspace:polls", kwargs={"circle_pk": 999_999})).status_code == 404
    assert (
        staff.get(reverse("groupspace:poll", kwargs={"circle_pk": space["circle"].pk, "pk": 999_999})).status_code
        == 404
    )


def test_actions_refuse_the_wrong_method(space: dict[str, Any], everyone: dict[str, Any]) -> None:
    pages = urls(space)
    member = client_for(everyone["secretary"])
    assert member.get(pages["poll_answer"]).status_code == 405
    assert member.get(pages["poll_choose"]).status_code == 405
    assert member.post(pages["document_file"]).status_code == 405
    assert member.post(pages["polls"]).status_code == 405


def test_the_notification_preferences_are_a_persons_own(everyone: dict[str, Any]) -> None:
    url = reverse("notifications:preferences")
    response = client_for(None).get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(everyone["member"]).get(url).status_code == 200
