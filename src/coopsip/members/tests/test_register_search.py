"""The register search: the same answers on SQLite and PostgreSQL, served by indexes on PostgreSQL."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.members.selectors import search_register

pytestmark = pytest.mark.django_db

PEOPLE = [
    ("200145", "Lotte", "Peeters", "lotte.peeters@example.org"),
    ("200146", "Pieter", "Lotteman", "pieter@lotte.be"),
    ("312000", "Chloé", "Van den Broeck", "chloe@example.be"),
    ("120001", "Anna", "DE SMET", "anna.desmet@example.org"),
]


@pytest.fixture
def register() -> None:
    RegisterEntry.objects.bulk_create(
        RegisterEntry(member_number=n, first_name=f, last_name=la, email=e, status=MembershipStatus.MEMBER)
        for n, f, la, e in PEOPLE
    )


def found(query: str) -> list[str]:
    return sorted(search_register(query=query).values_list("member_number", flat=True))


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("lotte", ["200145", "200146"]),  # first name of one, part of the last name and email of the other
        ("Peeters Lotte", ["200145"]),
        ("peeters, LOTTE", ["200145"]),
        ("200", ["200145", "200146"]),  # the start of a member number...
        ("12", ["120001"]),  # ...never a digit in the middle (312000 is not found)
        ("de smet", ["120001"]),  # case does not matter
        ("broeck chlo", ["312000"]),
        ("@example.org", ["120001", "200145"]),
        ("nobody", []),
        ("", ["120001", "200145", "200146", "312000"]),
    ],
)
def test_the_register_search_finds_the_same_people_on_every_database(
    register: None, query: str, numbers: list[str]
) -> None:
    assert found(query) == numbers


if os.environ.get("DATABASE_URL", "").startswith("postgres"):

    def test_on_postgresql_the_register_search_is_served_by_trigram_and_prefix_indexes(register: None) -> None:
        with connection.cursor() as cursor:
            # Four rows: reading the table (or the primary key) is cheaper, so leave the planner only bitmap scans,
            # which need an index that answers the condition.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            plan_names = search_register(query="peeters").explain()
            plan_number = search_register(query="2001").explain()
        assert "members_registerentry_last_name_trgm" in plan_names, plan_names
        assert "members_registerentry_email_trgm" in plan_names
        assert "members_registerentry_member_number_prefix" in plan_number or "_trgm" in plan_number
        assert found("peeters") == ["200145"]
