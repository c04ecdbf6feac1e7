"""Sara (staff) chooses the format of an edition's groups; copying the edition keeps it."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from coopsip.editions import services
from coopsip.editions.models import Edition
from coopsip.editions.tests.test_staff_access import make_full_edition
from coopsip.editions.tests.test_staff_editions import CREATE, edition_data

FORMAT_2017: dict[str, str | None] = {
    "admits_clients": "on",
    "admits_partners": "on",
    "admits_employees": "on",
    "admits_permanent_staff": "on",
    "requires_moderator": "on",
    "requires_secretary": None,
    "requires_board_member": "on",
    "min_stakeholder_types": "3",
    "max_stakeholder_share": "40",
    "max_gender_share": "60",
}


def test_the_form_groups_the_format_with_help(staff: Any) -> None:
    page = client_for(staff).get(reverse(CREATE)).content.decode()
    assert "Format of the groups" in page
    assert "Each group has a board member" in page
    assert "Leave empty when groups need not mix stakeholder types." in page


def test_staff_set_up_an_edition_in_the_2017_format(staff: Any) -> None:
    response = client_for(staff).post(reverse(CREATE), edition_data(**FORMAT_2017))
    assert response.status_code == 302
    edition = Edition.objects.get(slug="2021-2022")
    assert (edition.requires_moderator, edition.requires_secretary, edition.requires_board_member) == (
        True,
        False,
        True,
    )
    assert (edition.min_stakeholder_types, edition.max_stakeholder_share, edition.max_gender_share) == (3, 40, 60)
    assert edition.mixes_stakeholder_types and not edition.balance_rules_soft


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"min_stakeholder_types": "3"}, "min_stakeholder_types", "this edition admits 2"),
        ({"min_stakeholder_types": "1"}, "min_stakeholder_types", "at least two stakeholder types"),
        ({"max_gender_share": "120"}, "max_gender_share", "less than or equal to 100"),
        ({"max_stakeholder_share": "0"}, "max_stakeholder_share", "greater than or equal to 1"),
        ({"max_stakeholder_share": "30"}, "max_stakeholder_share", "no group can keep every type"),
        ({"max_gender_share": "20"}, "max_gender_share", "No group can keep each gender at 20% or less"),
        (
            {"requires_moderator": None, "requires_secretary": None},
            "requires_moderator",
            "Someone coordinates each group",
        ),
    ],
)
def test_a_format_no_group_could_follow_is_refused_in_words(
    staff: Any, changes: dict[str, str], field: str, words: str
) -> None:
    # edition_data admits partners only: members and partners, two types.
    response = client_for(staff).post(reverse(CREATE), edition_data(**changes))
    assert response.status_code == 400
    errors = response.context["form"].errors[field]
    assert len(errors) == 1 and words in errors[0]
    assert not Edition.objects.filter(slug="2021-2022").exists()


def test_the_model_validation_says_the_same() -> None:
    edition = Edition(min_stakeholder_types=4, admits_clients=True)
    with pytest.raises(ValidationError) as refused:
        edition.clean()
    assert "min_stakeholder_types" in refused.value.message_dict


def test_half_of_one_gender_is_the_least_a_gender_balance_can_ask() -> None:
    assert "max_gender_share" not in Edition(max_gender_share=50).format_errors()
    edition = Edition(max_gender_share=49, requires_moderator=False, requires_secretary=False)
    with pytest.raises(ValidationError) as refused:
        edition.clean()
    assert set(refused.value.message_dict) == {"max_gender_share", "requires_moderator"}


def test_copying_an_edition_copies_its_format(staff: Any) -> None:
    source = make_full_edition()
    source.admits_clients = source.admits_partners = True
    source.requires_board_member, source.requires_secretary = True, False
    source.min_stakeholder_types, source.max_stakeholder_share, source.max_gender_share = 2, 60, 70
    source.one_theme_per_office = source.balance_rules_soft = True
    source.save()
    copy = services.copy_edition(
        actor=staff,
        source=source,
        slug="2021-2022",
        titles={"nl": "SIP 2021-2022"},
        starts_on=date(2021, 11, 1),
        ends_on=date(2022, 4, 30),
    )
    assert [getattr(copy, name) for name in services.FORMAT_FIELDS] == [
        getattr(source, name) for name in services.FORMAT_FIELDS
    ]
