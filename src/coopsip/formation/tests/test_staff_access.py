"""Only the Cooperative Life team reaches the staff pages of group formation.

Sara (staff) gets every page. A visitor is sent to log in; Olivier
(outsider), Julien (non-member), Lotte (member) and Marc (board) get 403 on
every page, on GET and on POST, and nothing changes. Each page answers only
its methods (405) and an unknown run, group, member or edition is a 404.

The helpers here (a small edition whose registrations form groups, a finished
run) serve the other staff tests of formation too.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.editions.models import Edition
from coopsip.formation import services
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus, Unplaced
from coopsip.registrations.models import Registration
from coopsip.registrations.tests.test_staff_access import make_member, make_open_edition, register

REFUSED = ["outsider", "nonmember", "member", "board"]
PARTICIPANTS = 20


@pytest.fixture(autouse=True)
def _fast_engine(settings: Any) -> None:
    settings.COOPSIP_FORMATION_SECONDS = 2


def make_formable_edition() -> Edition:
    """26 people who all chose housing on Monday evening in Ghent, in Dutch, with 3 moderators and 3 secretaries
    (groups of 6 to 10: three groups); Tom is free only on Tuesday morning and Zoë chose only care: both are
    left out."""
    edition = make_open_edition()
    edition.group_size_max = 10
    edition.save(update_fields=["group_size_max"])
    for number in range(1, 4):
        person = make_member(
            f"mod{number}@example.org", number=f"3001{number:02d}", first_name="Mod", last_name=f"M{number}"
        )
        register(person, edition, "wonen", moderator=True)
        person = make_member(
            f"sec{number}@example.org", number=f"3002{number:02d}", first_name="Sec", last_name=f"S{number}"
        )
        register(person, edition, "wonen", secretary=True)
    for number in range(1, PARTICIPANTS + 1):
        person = make_member(
            f"p{number}@example.org", number=f"3003{number:02d}", first_name="Part", last_name=f"P{number:02d}"
        )
        register(person, edition, "wonen")
    tom = make_member("tom@example.org", number="300401", first_name="Tom", last_name="Tuesday")
    register(tom, edition, "wonen", slots=((1, "morning"),))
    zoe = make_member("zoe@example.org", number="300402", first_name="Zoë", last_name="Zorg")
    register(zoe, edition, "zorg")
    return edition


def finished_run(
    edition: Edition, by: User | None, on_commit: Any, previous: FormationRun | None = None
) -> FormationRun:
    with on_commit():
        run = services.start_run(by=by, edition=edition, previous=previous)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


@pytest.fixture
def edition(db: Any) -> Edition:
    return make_formable_edition()


@pytest.fixture
def done_run(staff: User, edition: Edition, on_commit: Any) -> FormationRun:
    return finished_run(edition, staff, on_commit)


def state() -> list[Any]:
    return [
        list(FormationRun.objects.order_by("pk").values()),
        list(ProposedGroup.objects.order_by("pk").values()),
        list(ProposedMember.objects.order_by("pk").values()),
        list(Unplaced.objects.order_by("pk").values()),
        list(Registration.objects.order_by("pk").values("pk", "status")),
        OutgoingEmail.objects.count(),
    ]


def pages(run: FormationRun) -> list[tuple[str, str, dict[str, Any]]]:
    """Every page: (url, method it answers besides, data for a POST)."""
    group = run.groups.first()
    member = run.members.first()
    unplaced = run.unplaced.first()
    assert group is not None and member is not None and unplaced is not None
    slug = run.edition.slug
    move = {"registration": unplaced.registration_id, "group": group.pk, "role": "participant"}
    return [
        (reverse("formation_staff:runs", kwargs={"slug": slug}), "GET", {}),
        (reverse("formation_staff:runs", kwargs={"slug": slug}), "POST", {}),
        (reverse("formation_staff:compare", kwargs={"slug": slug}), "GET", {}),
        (reverse("formation_staff:run", kwargs={"pk": run.pk}), "GET", {}),
        (reverse("formation_staff:check", kwargs={"pk": run.pk}), "GET", move),
        (reverse("formation_staff:move", kwargs={"pk": run.pk}), "POST", move),
        (reverse("formation_staff:lock_group", kwargs={"pk": group.pk}), "POST", {"locked": "1"}),
        (reverse("formation_staff:lock_member", kwargs={"pk": member.pk}), "POST", {"locked": "1"}),
        (reverse("formation_staff:rerun", kwargs={"pk": run.pk}), "POST", {}),
        (reverse("formation_staff:publish", kwargs={"pk": run.pk}), "GET", {}),
        (reverse("formation_staff:publish", kwargs={"pk": run.pk}), "POST", {}),
    ]


def _send(client: Any, url: str, method: str, data: dict[str, Any]) -> Any:
    return client.get(url, data) if method == "GET" else client.post(url, data)


def test_staff_gets_every_page(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    for url, method, data in pages(done_run):
        if method == "GET":
            assert client.get(url, data).status_code == 200, url


def test_a_visitor_is_sent_to_log_in_from_every_page(done_run: FormationRun) -> None:
    client = client_for(None)
    before = state()
    for url, method, data in pages(done_run):
        response = _send(client, url, method, data)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]
    assert state() == before


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_every_page_and_change_nothing(
    personas: dict[str, Any], done_run: FormationRun, role: str, on_commit: Any
) -> None:
    client = client_for(personas[role])
    before = state()
    with on_commit():
        for url, method, data in pages(done_run):
            assert _send(client, url, method, data).status_code == 403, f"{role} must not {method} {url}"
    assert state() == before


def test_each_page_answers_only_its_methods(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    group = done_run.groups.first()
    member = done_run.members.first()
    assert group is not None and member is not None
    slug = done_run.edition.slug
    wrong = [
        ("delete", reverse("formation_staff:runs", kwargs={"slug": slug})),
        ("post", reverse("formation_staff:compare", kwargs={"slug": slug})),
        ("post", reverse("formation_staff:run", kwargs={"pk": done_run.pk})),
        ("post", reverse("formation_staff:check", kwargs={"pk": done_run.pk})),
        ("get", reverse("formation_staff:move", kwargs={"pk": done_run.pk})),
        ("get", reverse("formation_staff:lock_group", kwargs={"pk": group.pk})),
        ("get", reverse("formation_staff:lock_member", kwargs={"pk": member.pk})),
        ("get", reverse("formation_staff:rerun", kwargs={"pk": done_run.pk})),
        ("put", reverse("formation_staff:publish", kwargs={"pk": done_run.pk})),
    ]
    before = state()
    for method, url in wrong:
        assert getattr(client, method)(url).status_code == 405, f"{method} {url}"
    assert state() == before


def test_an_unknown_run_group_member_or_edition_is_404(staff: User, db: Any) -> None:
    client = client_for(staff)
    for name in ("runs", "compare"):
        assert client.get(reverse(f"formation_staff:{name}", kwargs={"slug": "nope"})).status_code == 404
    for name in ("run", "check", "publish"):
        assert client.get(reverse(f"formation_staff:{name}", kwargs={"pk": 999999})).status_code == 404
    for name in ("move", "lock_group", "lock_member", "rerun", "publish"):
        assert client.post(reverse(f"formation_staff:{name}", kwargs={"pk": 999999})).status_code == 404
    assert client.post(reverse("formation_staff:runs", kwargs={"slug": "nope"})).status_code == 404
    assert not FormationRun.objects.exists()


def test_the_registrations_staff_pages_link_to_group_formation(staff: User, edition: Edition) -> None:
    html = client_for(staff).get(reverse("registrations_staff:demand", kwargs={"slug": edition.slug})).content.decode()
    assert reverse("formation_staff:runs", kwargs={"slug": edition.slug}) in html
