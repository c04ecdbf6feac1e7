"""Sara (staff) lists the registrations of an edition, filters them and picks the edition."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.registrations.models import Registration
from coopsip.registrations.services import withdraw_registration
from coopsip.registrations.staff_views import PAGE_SIZE
from coopsip.registrations.tests.test_staff_access import make_member, make_open_edition, office, register, theme


@pytest.fixture
def edition(db: Any) -> Edition:
    return make_open_edition()


@pytest.fixture
def people(edition: Edition) -> dict[str, Registration]:
    """Four registrations that differ in every filter."""
    anna = make_member("anna@example.org", number="1", first_name="Anna", last_name="Aerts")
    bert = make_member("bert@example.org", number="2", first_name="Bert", last_name="Bosmans")
    chloe = make_member("chloe@example.org", number="3", first_name="Chloé", last_name="Collin")
    dirk = make_member("dirk@example.org", number="4", first_name="Dirk", last_name="Dewulf")
    registrations = {
        "anna": register(anna, edition, "wonen", "zorg", mode="in_person", office_slug="gent", moderator=True),
        "bert": register(bert, edition, "zorg", mode="video", office_slug="antwerpen", languages=("nl", "en")),
        "chloe": register(
            chloe, edition, "digitaal", "wonen", mode="either", office_slug="luik", languages=("fr",), secretary=True
        ),
        "dirk": register(dirk, edition, "zorg", mode="in_person", office_slug="gent"),
    }
    withdraw_registration(registration=registrations["dirk"], reason="No time")
    return registrations


def _names(staff: User, edition: Edition, **query: Any) -> set[str]:
    response = client_for(staff).get(reverse("registrations_staff:list", kwargs={"slug": edition.slug}), query)
    assert response.status_code == 200
    return {r.user.first_name for r in response.context["page"]}


def test_without_filters_every_registration_is_listed(staff: User, edition: Edition, people: Any) -> None:
    assert _names(staff, edition) == {"Anna", "Bert", "Chloé", "Dirk"}


def test_the_theme_filter_matches_any_rank(staff: User, edition: Edition, people: Any) -> None:
    assert _names(staff, edition, theme=theme(edition, "wonen").pk) == {"Anna", "Chloé"}
    assert _names(staff, edition, theme=theme(edition, "zorg").pk) == {"Anna", "Bert", "Dirk"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param({"mode": "in_person"}, {"Anna", "Dirk"}, id="mode"),
        pytest.param({"language": "fr"}, {"Chloé"}, id="language-fr"),
        pytest.param({"language": "en"}, {"Bert"}, id="language-en"),
        pytest.param({"role": "moderator"}, {"Anna"}, id="moderator"),
        pytest.param({"role": "secretary"}, {"Chloé"}, id="secretary"),
        pytest.param({"role": "any"}, {"Anna", "Chloé"}, id="either-role"),
        pytest.param({"status": "withdrawn"}, {"Dirk"}, id="withdrawn"),
        pytest.param({"status": "submitted", "mode": "in_person"}, {"Anna"}, id="two-filters"),
        pytest.param({"mode": "nonsense"}, {"Anna", "Bert", "Chloé", "Dirk"}, id="a-bad-value-is-ignored"),
    ],
)
def test_filters(staff: User, edition: Edition, people: Any, query: dict[str, str], expected: set[str]) -> None:
    assert _names(staff, edition, **query) == expected


def test_the_office_filter(staff: User, edition: Edition, people: Any) -> None:
    assert _names(staff, edition, office=office("gent").pk) == {"Anna", "Dirk"}


def test_the_list_shows_the_columns_staff_need(staff: User, edition: Edition, people: Any) -> None:
    html = client_for(staff).get(reverse("registrations_staff:list", kwargs={"slug": edition.slug})).content.decode()
    for text in ("Anna Aerts", "anna@example.org", "Ghent", "Housing", "Care", "In person", "moderator", "Withdrawn"):
        assert text in html, text


def test_another_editions_registrations_are_not_listed(staff: User, edition: Edition, people: Any) -> None:
    other = make_open_edition("2027-2028")
    assert _names(staff, other) == set()


def test_an_htmx_request_gets_only_the_results(staff: User, edition: Edition, people: Any) -> None:
    url = reverse("registrations_staff:list", kwargs={"slug": edition.slug})
    response = client_for(staff).get(url, {"mode": "video"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="results">')
    assert "Bert" in html and "Anna" not in html
    assert response["Vary"].count("HX-Request") == 1


def test_pages_keep_the_filters(staff: User, edition: Edition) -> None:
    for number in range(PAGE_SIZE + 1):
        register(make_member(f"p{number}@example.org", number=f"9{number}"), edition, "wonen", mode="video")
    url = reverse("registrations_staff:list", kwargs={"slug": edition.slug})
    response = client_for(staff).get(url, {"mode": "video"})
    assert "?mode=video&amp;page=2" in response.content.decode()
    second = client_for(staff).get(url, {"mode": "video", "page": 2})
    assert len(second.context["page"]) == 1


@pytest.mark.parametrize("count", [1, 12])
def test_the_list_keeps_a_fixed_number_of_queries(
    staff: User, edition: Edition, django_assert_num_queries: Any, count: int
) -> None:
    for number in range(count):
        user = make_member(f"q{number}@example.org", number=f"8{number}")
        register(user, edition, "wonen", "zorg", "digitaal", slots=((0, "evening"), (2, "morning")))
    client = client_for(staff)
    url = reverse("registrations_staff:list", kwargs={"slug": edition.slug})
    query = {"theme": theme(edition, "wonen").pk}
    # Session, user, the team's second-factor check (group, authenticator), groups, edition, the theme
    # filtered on, count, page, preferences with their themes, slots, and the choices of theme and office.
    with django_assert_num_queries(13):
        response = client.get(url, query)
    assert len(response.context["page"]) == count


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        pytest.param("Bert Bosmans", {"Bert"}, id="first-last"),
        pytest.param("collin chloé", {"Chloé"}, id="last-first"),
        pytest.param("anna@exa", {"Anna"}, id="part-of-email"),
        pytest.param("example.org", {"Anna", "Bert", "Chloé", "Dirk"}, id="email-domain"),
        pytest.param("nobody", set(), id="no-match"),
    ],
)
def test_staff_search_registrations_by_name_or_email(
    staff: User, edition: Edition, people: Any, q: str, expected: set[str]
) -> None:
    # Issue 11, point 14: the list had no search by name or email at all.
    assert _names(staff, edition, q=q) == expected


def test_the_search_finds_a_member_number_and_combines_with_the_filters(
    staff: User, edition: Edition, people: Any
) -> None:
    numbers = {name: registration.user.register_entry.member_number for name, registration in people.items()}
    assert _names(staff, edition, q=numbers["bert"]) >= {"Bert"}
    assert _names(staff, edition, q="example.org", mode="video") == {"Bert"}
    html = client_for(staff).get(reverse("registrations_staff:list", kwargs={"slug": edition.slug})).content.decode()
    assert 'name="q"' in html and "Name, email or member number" in html


@pytest.mark.parametrize("count", [1, 12])
def test_a_search_keeps_a_fixed_number_of_queries(
    staff: User, edition: Edition, django_assert_num_queries: Any, count: int
) -> None:
    for number in range(count):
        user = make_member(f"q{number}@example.org", number=f"8{number}", first_name="Quinten", last_name="Quist")
        register(user, edition, "wonen", "zorg", "digitaal", slots=((0, "evening"), (2, "morning")))
    client = client_for(staff)
    url = reverse("registrations_staff:list", kwargs={"slug": edition.slug})
    # Session, user, second-factor check (group, authenticator), groups, edition, count, page,
    # preferences with their themes, slots, and the choices of theme and office.
    with django_assert_num_queries(12):
        response = client.get(url, {"q": "quist quinten"})
    assert len(response.context["page"]) == count


def test_the_edition_picker_counts_registrations(staff: User, edition: Edition, people: Any) -> None:
    make_open_edition("2027-2028")
    response = client_for(staff).get(reverse("registrations_staff:editions"))
    counts = {e.slug: (e.active_count, e.withdrawn_count) for e in response.context["editions"]}
    assert counts == {"2026-2027": (3, 1), "2027-2028": (0, 0)}
    assert reverse("registrations_staff:list", kwargs={"slug": "2027-2028"}) in response.content.decode()
