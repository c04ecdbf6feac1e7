"""Only the Cooperative Life team reaches the staff pages of editions.

Sara (staff) gets every page. A visitor is sent to log in; Olivier (outsider),
Julien (non-member), Lotte (member) and Marc (board) get 403, on GET and on
POST, even when they change the ids in the address.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.core.models import ChangeRecord
from coopsip.editions.models import (
    CurrentEdition,
    Edition,
    FaqItem,
    Phase,
    PhaseKind,
    Resource,
    Theme,
    ThemeOffice,
)
from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Attendance, Audience, Event, EventKind
from coopsip.places.models import Office

REFUSED = ["outsider", "nonmember", "member", "board"]
KINDS = ["phases", "themes", "offices", "resources", "faq"]


def brussels(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def make_edition(slug: str = "2020-2021", *, year: int = 2020, **fields: Any) -> Edition:
    values: dict[str, Any] = {
        "title_nl": f"Smart in Progress {year}-{year + 1}",
        "starts_on": date(year, 11, 1),
        "ends_on": date(year + 1, 4, 30),
    }
    values.update(fields)
    return Edition.objects.create(slug=slug, **values)


def make_full_edition(slug: str = "2020-2021", *, year: int = 2020) -> Edition:
    """An edition with one part of each kind: a phase, a theme in an office, resources, a question."""
    edition = make_edition(slug, year=year)
    Phase.objects.create(
        edition=edition, kind=PhaseKind.STUDY, starts_on=date(year + 1, 1, 1), ends_on=date(year + 1, 1, 31)
    )
    theme = Theme.objects.create(edition=edition, slug="gendergelijkheid", title_nl="Gendergelijkheid")
    ThemeOffice.objects.create(theme=theme, office=Office.objects.get(slug="gent"))
    Resource.objects.create(edition=edition, title_nl="Verslag", url="https://example.org/verslag")
    Resource.objects.create(theme=theme, title_nl="Bijdrage", url="https://example.org/bijdrage")
    # Its info session is an event of the events engine (listed on the dashboard, edited by the organiser pages).
    Event.objects.create(
        edition=edition,
        title_nl="Infosessie",
        kind=EventKind.INFO_SESSION,
        audience=Audience.PUBLIC,
        attendance=Attendance.ONLINE,
        video_url="https://meet.example.org/sip",
        starts_at=brussels(year, 12, 16, 10),
        ends_at=brussels(year, 12, 16, 11, 30),
    )
    FaqItem.objects.create(edition=edition, question_nl="Wie mag deelnemen?", answer_nl="Alle vennoten.")
    return edition


def first_part(edition: Edition, kind: str) -> Any:
    return {
        "phases": lambda: edition.phases.first(),
        "themes": lambda: edition.themes.first(),
        "offices": lambda: ThemeOffice.objects.filter(theme__edition=edition).first(),
        "resources": lambda: edition.resources.first(),
        "faq": lambda: edition.faq.first(),
    }[kind]()


def staff_pages(edition: Edition) -> list[str]:
    """The address of every staff page for ``edition`` and its parts."""
    pk = edition.pk
    urls = [reverse("editions_staff:list"), reverse("editions_staff:create")]
    urls += [
        reverse(f"editions_staff:{name}", kwargs={"pk": pk})
        for name in ["dashboard", "edit", "copy", "publish", "unpublish", "history"]
    ]
    for kind in KINDS:
        part_pk = first_part(edition, kind).pk
        urls.append(reverse("editions_staff:part_add", kwargs={"pk": pk, "kind": kind}))
        urls.append(reverse("editions_staff:part_edit", kwargs={"pk": pk, "kind": kind, "part_pk": part_pk}))
        urls.append(reverse("editions_staff:part_delete", kwargs={"pk": pk, "kind": kind, "part_pk": part_pk}))
    return urls


@pytest.fixture
def full_edition(db: Any) -> Edition:
    return make_full_edition()


def _state() -> list[Any]:
    """Everything a staff page could change, to check that a refused request changed nothing."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (Edition, Phase, Theme, ThemeOffice, Resource, FaqItem, CurrentEdition)
    ] + [ChangeRecord.objects.count()]


def test_staff_gets_every_page(staff: Any, full_edition: Edition) -> None:
    client = client_for(staff)
    for url in staff_pages(full_edition):
        assert client.get(url).status_code == 200, url


def test_a_visitor_is_sent_to_log_in_from_every_page(full_edition: Edition) -> None:
    client = client_for(None)
    for url in staff_pages(full_edition):
        for response in (client.get(url), client.post(url, {"slug": "x"})):
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_every_page(personas: dict[str, Any], full_edition: Edition, role: str) -> None:
    client = client_for(personas[role])
    for url in staff_pages(full_edition):
        assert client.get(url).status_code == 403, f"{role} must not see {url}"


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_cannot_post_anything(personas: dict[str, Any], full_edition: Edition, role: str) -> None:
    client = client_for(personas[role])
    before = _state()
    for url in staff_pages(full_edition):
        response = client.post(url, {"slug": "hacked", "title_nl": "Gehackt", "kind": "study"})
        # Pages that only show something answer a POST with 405 before anything else.
        assert response.status_code in {403, 405}, f"{role} must not post to {url}"
    assert _state() == before


def test_a_member_is_refused_even_with_a_tampered_id(member: Any, full_edition: Edition) -> None:
    other = make_full_edition("2021-2022", year=2021)
    client = client_for(member)
    before = _state()
    phase = other.phases.get()
    for url in [
        reverse("editions_staff:part_edit", kwargs={"pk": full_edition.pk, "kind": "phases", "part_pk": phase.pk}),
        reverse("editions_staff:part_delete", kwargs={"pk": full_edition.pk, "kind": "phases", "part_pk": phase.pk}),
        reverse("editions_staff:publish", kwargs={"pk": 999_999}),
        reverse("editions_staff:part_add", kwargs={"pk": full_edition.pk, "kind": "nonsense"}),
    ]:
        assert client.post(url, {"kind": "study", "starts_on": "2021-01-01"}).status_code == 403, url
    assert _state() == before


def test_staff_cannot_reach_a_part_through_another_edition(staff: Any, full_edition: Edition) -> None:
    other = make_full_edition("2021-2022", year=2021)
    client = client_for(staff)
    before = _state()
    for kind in KINDS:
        part_pk = first_part(other, kind).pk
        for name in ("part_edit", "part_delete"):
            url = reverse(f"editions_staff:{name}", kwargs={"pk": full_edition.pk, "kind": kind, "part_pk": part_pk})
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url
    assert _state() == before


def test_an_unknown_edition_or_kind_of_part_is_404(staff: Any, full_edition: Edition) -> None:
    client = client_for(staff)
    assert client.get(reverse("editions_staff:dashboard", kwargs={"pk": 999_999})).status_code == 404
    url = reverse("editions_staff:part_add", kwargs={"pk": full_edition.pk, "kind": "nonsense"})
    assert client.get(url).status_code == 404


def test_the_team_area_links_to_the_editions(staff: Any) -> None:
    response = client_for(staff).get(reverse("core:staff"))
    assert reverse("editions_staff:list") in response.content.decode()
