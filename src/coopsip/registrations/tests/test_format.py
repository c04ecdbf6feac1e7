"""The registration form asks what the edition's format needs; the demand table shows the stakeholder mix."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from conftest import client_for, with_authenticator
from coopsip.accounts.models import User
from coopsip.core.access import BOARD_GROUP
from coopsip.editions.models import Edition
from coopsip.registrations.models import Registration
from coopsip.registrations.selectors import stakeholder_mix
from coopsip.registrations.tests.test_register import form_data, make_open_edition, make_places, register_url
from coopsip.registrations.tests.test_staff_access import make_member, register

FORMAT_2017: dict[str, Any] = {
    "admits_clients": True,
    "admits_partners": True,
    "requires_secretary": False,
    "requires_board_member": True,
    "min_stakeholder_types": 2,
    "max_stakeholder_share": 60,
    "max_gender_share": 60,
}


@pytest.fixture
def board_member(member: User) -> User:
    """Lotte, a member who sits on the board (with a second factor, as the board must)."""
    member.groups.add(Group.objects.get_or_create(name=BOARD_GROUP)[0])
    return with_authenticator(member)


@pytest.fixture
def plain(db: Any) -> Edition:
    make_places()
    return make_open_edition()


@pytest.fixture
def mixed(db: Any) -> Edition:
    make_places()
    return make_open_edition(**FORMAT_2017)


def test_an_edition_without_balance_rules_asks_neither_stakeholder_type_nor_gender(
    member: User, plain: Edition
) -> None:
    page = client_for(member).get(register_url(plain)).content.decode()
    assert 'name="stakeholder_type"' not in page
    assert 'name="gender"' not in page
    assert 'name="volunteers_as_board_member"' not in page
    assert 'name="volunteers_as_secretary"' in page


def test_answers_the_format_does_not_need_are_not_kept(member: User, plain: Edition) -> None:
    response = client_for(member).post(register_url(plain), form_data(plain, stakeholder_type="client", gender="man"))
    assert response.status_code == 302
    registration = Registration.objects.get(user=member, edition=plain)
    assert (registration.stakeholder_type, registration.gender) == ("", "")


def test_a_mixed_edition_asks_the_admitted_types_gender_and_board_member(board_member: User, mixed: Edition) -> None:
    page = client_for(board_member).get(register_url(mixed)).content.decode()
    assert 'name="stakeholder_type"' in page
    assert 'value="client"' in page and 'value="partner"' in page
    assert 'value="employee"' not in page  # not admitted by this edition
    assert "A member of the cooperative, or I prefer not to say" in page
    assert 'name="gender"' in page and "I prefer not to say" in page
    assert 'name="volunteers_as_board_member"' in page
    assert 'name="volunteers_as_secretary"' not in page  # the 2017 format has no secretary
    assert "Coordinating a group" in page


def test_a_mixed_edition_keeps_the_answers(board_member: User, mixed: Edition) -> None:
    data = form_data(mixed, stakeholder_type="client", gender="", volunteers_as_board_member="on")
    response = client_for(board_member).post(register_url(mixed), data)
    assert response.status_code == 302
    registration = Registration.objects.get(user=board_member, edition=mixed)
    assert registration.stakeholder_type == "client"
    assert registration.gender == ""  # prefer not to say
    assert registration.volunteers_as_board_member
    mine = client_for(board_member).get(f"/en/registrations/{mixed.slug}/mine/").content.decode()
    assert "You volunteer as board member." in mine


def test_only_a_board_member_is_asked_to_sit_in_a_group_as_board_member(member: User, mixed: Edition) -> None:
    page = client_for(member).get(register_url(mixed)).content.decode()
    assert 'name="volunteers_as_board_member"' not in page
    assert 'name="volunteers_as_moderator"' in page


def test_a_member_not_on_the_board_cannot_volunteer_as_board_member_by_post(member: User, mixed: Edition) -> None:
    data = form_data(mixed, stakeholder_type="client", gender="", volunteers_as_board_member="on")
    response = client_for(member).post(register_url(mixed), data)
    assert response.status_code == 302
    assert not Registration.objects.get(user=member, edition=mixed).volunteers_as_board_member


def test_the_form_starts_from_the_board_members_profile_and_they_may_decline_for_one_edition(
    board_member: User, mixed: Edition
) -> None:
    board_member.volunteers_as_board_member = True
    board_member.save(update_fields=["volunteers_as_board_member"])
    client = client_for(board_member)
    page = client.get(register_url(mixed)).content.decode()
    assert "checked" in page[page.index('name="volunteers_as_board_member"') :].split(">", 1)[0]
    # Unticked for this edition: the registration keeps the answer, the profile keeps volunteering.
    data = form_data(mixed, stakeholder_type="client", gender="")
    assert "volunteers_as_board_member" not in data
    assert client.post(register_url(mixed), data).status_code == 302
    assert not Registration.objects.get(user=board_member, edition=mixed).volunteers_as_board_member
    board_member.refresh_from_db()
    assert board_member.volunteers_as_board_member
    again = client.get(register_url(mixed)).content.decode()
    assert "checked" not in again[again.index('name="volunteers_as_board_member"') :].split(">", 1)[0]


def test_a_type_the_edition_does_not_admit_is_refused(member: User, mixed: Edition) -> None:
    response = client_for(member).post(register_url(mixed), form_data(mixed, stakeholder_type="employee"))
    assert response.status_code == 400
    assert "stakeholder_type" in response.context["form"].errors
    assert not Registration.objects.filter(user=member).exists()


def _people(edition: Edition, extra: int = 0) -> None:
    kinds = ["client", "client", "client", "partner", ""]
    for number, kind in enumerate(kinds + ["partner"] * extra):
        user = make_member(f"mix{number}@example.org", number=f"70{number}")
        register(user, edition, "wonen", stakeholder_type=kind, volunteers_as_board_member=number == 3)


def test_the_mix_per_theme_and_office(mixed: Edition) -> None:
    _people(mixed)
    mix = stakeholder_mix(edition=mixed)
    assert mix.columns == ("", "client", "partner")
    [row] = mix.rows
    assert (row.theme.slug, row.office.slug if row.office else None) == ("wonen", "gent")
    assert row.counts == (1, 3, 1)
    assert (row.largest_share, row.types_present, row.board_members) == (60, 3, 1)


def test_the_demand_page_counts_only_the_roles_of_the_format(staff: User, mixed: Edition) -> None:
    # The 2017 format: a moderator (the animator) and a board member, no secretary.
    _people(mixed)
    url = reverse("registrations_staff:demand", kwargs={"slug": mixed.slug})
    page = client_for(staff).get(url).content.decode()
    assert "0 moderators" in page and '<strong class="flag">No moderator</strong>' in page
    assert "secretar" not in page.split('id="demand-caption"')[1].split("</table>")[0]
    assert "the roles the groups of this edition have" in page
    assert "The board members who volunteer are counted in the mix of stakeholder types below." in page
    # Without moderators either, nothing is missing in any cell.
    Edition.objects.filter(pk=mixed.pk).update(requires_moderator=False)
    page = client_for(staff).get(url).content.decode()
    table = page.split('id="demand-caption"')[1].split("</table>")[0]
    assert "moderator" not in table and "secretar" not in table
    assert "No moderator" not in page and "5 people" in table


def test_the_demand_page_shows_the_mix_only_for_a_mixed_edition(staff: User, mixed: Edition) -> None:
    _people(mixed)
    plain = make_open_edition("2026-2027")
    page = client_for(staff).get(reverse("registrations_staff:demand", kwargs={"slug": mixed.slug})).content.decode()
    assert "Mix of stakeholder types per theme and office" in page
    assert "At most 60% of a group are of one stakeholder type." in page
    other = client_for(staff).get(reverse("registrations_staff:demand", kwargs={"slug": plain.slug})).content.decode()
    assert "Mix of stakeholder types" not in other


@pytest.mark.parametrize("extra", [0, 8])
def test_the_demand_page_with_the_mix_keeps_a_fixed_number_of_queries(
    staff: User, mixed: Edition, django_assert_num_queries: Any, extra: int
) -> None:
    _people(mixed, extra)
    client = client_for(staff)
    url = reverse("registrations_staff:demand", kwargs={"slug": mixed.slug})
    client.get(url)
    # The demand table's nine, and the mix: counts, offices, themes.
    with django_assert_num_queries(12):
        client.get(url)
