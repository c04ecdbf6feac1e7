"""Only the Cooperative Life team reaches the staff pages of registrations.

Sara (staff) gets every page. A visitor is sent to log in; Olivier
(outsider), Julien (non-member), Lotte (member) and Marc (board) get 403 on
every page, on GET and on POST, and nothing changes.

The helpers here (an edition open for registration, people, registrations)
serve the other staff tests too.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from conftest import client_for, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.editions.models import Edition, Theme
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Municipality, Office
from coopsip.registrations.models import Registration, RoleInvitation
from coopsip.registrations.services import RegistrationInput, submit_registration

REFUSED = ["outsider", "nonmember", "member", "board"]
ALL_COMMITMENTS = frozenset({"whole_period", "volunteer", "interest"})


def make_open_edition(slug: str = "2026-2027") -> Edition:
    """A published edition, in Belgium and France, whose registration is open now, with four themes."""
    now = timezone.now()
    today = timezone.localdate()
    edition = Edition.objects.create(
        slug=slug,
        title_nl=f"Smart in Progress {slug}",
        title_fr=f"Smart in Progress {slug} (fr)",
        in_belgium=True,
        in_france=True,
        starts_on=today,
        ends_on=today + timedelta(days=180),
        registration_opens_at=now - timedelta(days=1),
        registration_closes_at=now + timedelta(days=30),
        published_at=now - timedelta(days=2),
    )
    themes = [
        ("wonen", "Wonen", "Logement", "Housing", True, False),
        ("zorg", "Zorg", "Soins", "Care", True, False),
        ("digitaal", "Digitaal werk", "Travail numérique", "Digital work", True, True),
        ("paris", "Parijs", "Paris", "Paris", False, True),
    ]
    for position, (theme_slug, nl, fr, en, in_belgium, in_france) in enumerate(themes, start=1):
        Theme.objects.create(
            edition=edition,
            slug=theme_slug,
            position=position,
            title_nl=nl,
            title_fr=fr,
            title_en=en,
            in_belgium=in_belgium,
            in_france=in_france,
        )
    return edition


def office(slug: str) -> Office:
    return Office.objects.get(slug=slug)


def theme(edition: Edition, slug: str) -> Theme:
    return Theme.objects.get(edition=edition, slug=slug)


def ghent() -> Municipality:
    place, _created = Municipality.objects.get_or_create(
        country="BE", postcode="9000", name="Gent", defaults={"latitude": 51.05, "longitude": 3.72}
    )
    return place


def make_member(email: str, *, number: str, first_name: str = "Anna", last_name: str = "Test", **extra: Any) -> User:
    # Groups are formed by where people live: every registrant has a place.
    extra.setdefault("municipality", ghent())
    user = make_person(email, first_name=first_name, last_name=last_name, **extra)
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def register(
    user: User,
    edition: Edition,
    *themes: str,
    mode: str = "either",
    office_slug: str | None = "gent",
    languages: tuple[str, ...] = ("nl",),
    slots: tuple[tuple[int, str], ...] = ((0, "evening"),),
    moderator: bool = False,
    secretary: bool = False,
    **extra: Any,
) -> Registration:
    """Register ``user`` through the service, as the form would, whatever the window."""
    data = RegistrationInput(
        theme_ids=[theme(edition, slug).pk for slug in themes or ("wonen",)],
        mode=mode,
        office=office(office_slug) if office_slug else None,
        municipality=extra.pop("municipality", None) or user.municipality or ghent(),
        languages=languages,
        slots=slots,
        volunteers_as_moderator=moderator,
        volunteers_as_secretary=secretary,
        accepted=ALL_COMMITMENTS,
        **extra,
    )
    return submit_registration(user=user, edition=edition, data=data, check_window=False)


@pytest.fixture
def edition(db: Any) -> Edition:
    return make_open_edition()


@pytest.fixture
def lotte_registered(member: User, edition: Edition) -> Registration:
    return register(member, edition, "wonen", "zorg", moderator=True)


def staff_pages(edition: Edition, registration: Registration) -> list[str]:
    slug = edition.slug
    return [
        reverse("registrations_staff:editions"),
        *[
            reverse(f"registrations_staff:{name}", kwargs={"slug": slug})
            for name in ("list", "demand", "export", "import", "pool", "invite")
        ],
        reverse("registrations_staff:detail", kwargs={"slug": slug, "pk": registration.pk}),
    ]


def _state() -> list[Any]:
    return [
        list(Registration.objects.order_by("pk").values()),
        list(RoleInvitation.objects.order_by("pk").values()),
        OutgoingEmail.objects.count(),
    ]


def _post_data(edition: Edition, person: User) -> dict[str, Any]:
    csv = f"email;theme_1;mode;languages;slots\n{person.email};zorg;video;fr;tue-morning\n"
    return {
        "email": person.email,
        "role": "moderator",
        "file": SimpleUploadedFile("paper.csv", csv.encode(), content_type="text/csv"),
    }


def test_staff_gets_every_page(staff: User, lotte_registered: Registration, edition: Edition) -> None:
    client = client_for(staff)
    for url in staff_pages(edition, lotte_registered):
        assert client.get(url).status_code == 200, url


def test_a_visitor_is_sent_to_log_in_from_every_page(lotte_registered: Registration, edition: Edition) -> None:
    client = client_for(None)
    for url in staff_pages(edition, lotte_registered):
        for response in (client.get(url), client.post(url, {})):
            assert response.status_code == 302, url
            assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_every_page(
    personas: dict[str, Any], lotte_registered: Registration, edition: Edition, role: str
) -> None:
    client = client_for(personas[role])
    for url in staff_pages(edition, lotte_registered):
        assert client.get(url).status_code == 403, f"{role} must not see {url}"


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_cannot_import_or_invite(
    personas: dict[str, Any], lotte_registered: Registration, edition: Edition, role: str
) -> None:
    client = client_for(personas[role])
    before = _state()
    for url in staff_pages(edition, lotte_registered):
        response = client.post(url, _post_data(edition, personas["member"]))
        # Pages that only show something answer a POST with 405 before anything else.
        assert response.status_code in {403, 405}, f"{role} must not post to {url}"
    assert _state() == before


def test_pages_that_only_show_refuse_a_post(staff: User, lotte_registered: Registration, edition: Edition) -> None:
    client = client_for(staff)
    for name in ("list", "demand", "export", "pool"):
        assert client.post(reverse(f"registrations_staff:{name}", kwargs={"slug": edition.slug})).status_code == 405


def test_an_unknown_edition_is_404(staff: User) -> None:
    client = client_for(staff)
    for name in ("list", "demand", "export", "import", "pool", "invite"):
        assert client.get(reverse(f"registrations_staff:{name}", kwargs={"slug": "nope"})).status_code == 404


def test_staff_cannot_reach_a_registration_through_another_edition(staff: User, lotte_registered: Registration) -> None:
    other = make_open_edition("2027-2028")
    url = reverse("registrations_staff:detail", kwargs={"slug": other.slug, "pk": lotte_registered.pk})
    assert client_for(staff).get(url).status_code == 404


def test_the_team_area_links_to_the_registrations(staff: User) -> None:
    response = client_for(staff).get(reverse("core:staff"))
    assert reverse("registrations_staff:editions") in response.content.decode()


def test_the_detail_page_shows_what_the_person_told_staff(staff: User, member: User, edition: Edition) -> None:
    registration = register(member, edition, "wonen", notes="I use a wheelchair.", moderator=True)
    url = reverse("registrations_staff:detail", kwargs={"slug": edition.slug, "pk": registration.pk})
    html = client_for(staff).get(url).content.decode()
    assert "I use a wheelchair." in html
    assert "100001" in html  # member number
    assert "I take part as an unpaid volunteer." in html
