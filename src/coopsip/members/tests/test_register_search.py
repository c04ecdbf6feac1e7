"""The register search: the same answers on SQLite and PostgreSQL, served by indexes on PostgreSQL."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from coopsip.core.search import PersonFields, matching_people
from coopsip.members import selectors
from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.members.selectors import register_page, search_register

pytestmark = pytest.mark.django_db
ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith("postgres")

PEOPLE = [
    ("200145", "Lotte", "Peeters", "lotte.peeters@example.org"),
    ("200146", "Pieter", "Lotteman", "pieter@lotte.be"),
    ("312000", "Chloé", "Van den Broeck", "chloe@example.be"),
    ("120001", "Anna", "DE SMET", "anna.desmet@example.org"),
    ("120002", "Marc", "Lopez", ""),
    ("120003", "Zoé", "Lefèvre", ""),
]


@pytest.fixture
def register() -> None:
    RegisterEntry.objects.bulk_create(
        RegisterEntry(member_number=n, first_name=f, last_name=la, email=e, status=MembershipStatus.MEMBER)
        for n, f, la, e in PEOPLE
    )


def found(query: str) -> list[str]:
    return sorted(search_register(query=query).values_list("member_number", flat=True))


QUERIES = [
    ("lotte", ["200145", "200146"]),  # first name of one, part of the last name and email of the other
    ("Peeters Lotte", ["200145"]),
    ("peeters, LOTTE", ["200145"]),
    ("200", ["200145", "200146"]),  # the start of a member number...
    ("12", ["120001", "120002", "120003"]),  # ...never a digit in the middle (312000 is not found)
    ("de smet", ["120001"]),  # case does not matter
    ("broeck chlo", ["312000"]),
    ("chloé", ["312000"]),
    ("lefèvre", ["120003"]),
    ("Lefevre", []),  # accents are not folded (yet)
    ("@example.org", ["120001", "200145"]),
    ("lotte.be", ["200146"]),
    # One or two letters: the start of a word of a name or of the email, not anywhere.
    ("pe", ["200145"]),  # Peeters, not Lopez
    ("lo", ["120002", "200145", "200146"]),  # Lopez, Lotte, Lotteman
    ("br", ["312000"]),  # Van den Broeck: a later word of the last name
    ("et", []),  # inside Peeters and Smet, at the start of nothing
    ("p l", ["200145", "200146"]),  # Pieter Lotteman, Peeters Lotte
    ("%", []),  # typed characters are characters, not wildcards
    ("_", []),
    ("a_b", []),
    ("nobody", []),
    ("", ["120001", "120002", "120003", "200145", "200146", "312000"]),
]


@pytest.mark.parametrize(("query", "numbers"), QUERIES)
def test_the_register_search_finds_the_same_people_on_every_database(
    register: None, query: str, numbers: list[str]
) -> None:
    assert found(query) == sorted(numbers)


@pytest.mark.parametrize(("query", "numbers"), QUERIES)
def test_the_search_column_and_the_fields_one_by_one_find_the_same_people(
    register: None, query: str, numbers: list[str]
) -> None:
    # The registrations list searches names across relations, field by field; the register reads its one
    # search column. A person must be found (or not) alike by both.
    field_by_field = PersonFields(names=("first_name", "last_name"), emails=("email",), numbers=("member_number",))
    entries = matching_people(RegisterEntry.objects.all(), query, fields=field_by_field)
    assert sorted(entries.values_list("member_number", flat=True)) == sorted(numbers)


def test_the_search_column_follows_a_change_of_name(register: None) -> None:
    entry = RegisterEntry.objects.get(member_number="200145")
    entry.last_name, entry.email = "Vermeulen", "lv@example.org"
    entry.save()
    assert found("vermeulen") == ["200145"]
    assert found("peeters") == []
    RegisterEntry.objects.filter(pk=entry.pk).update(first_name="Sofie")
    assert found("sofie verm") == ["200145"]


def test_results_come_in_the_register_order_last_name_first(register: None) -> None:
    everyone = ["120001", "120003", "120002", "200146", "200145", "312000"]
    assert [entry.member_number for entry in register_page(query="", page=1).page] == everyone
    # Lefèvre, Lopez, Lotteman, Peeters (Lotte): found by the search indexes, then sorted.
    assert [entry.member_number for entry in register_page(query="l", page=1).page] == everyone[1:5]


def test_a_page_counts_only_up_to_a_bound_and_says_there_are_more(
    register: None, staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selectors, "COUNTED", 3)
    monkeypatch.setattr(selectors, "PAGE_SIZE", 2)
    client = client_for(staff)
    for query in ["", "l"]:  # everyone; Lefèvre, Lopez, Lotteman, Peeters
        response = client.get(reverse("members:register"), {"q": query})
        assert response.context["more_than"] == 3
        assert b"More than 3 entries: here are the first 3. Add a word to find fewer." in response.content
        assert response.context["page"].paginator.num_pages == 2
        # The shared pager keeps the search in its links.
        assert f"?q={query}&amp;page=2".encode() in response.content
    # The third of the register's order (Lefèvre, Lopez, Lotteman), whichever way the rows were found.
    second = client.get(reverse("members:register"), {"q": "l", "page": 2}).context["page"]
    assert [entry.member_number for entry in second] == ["200146"]
    response = client.get(reverse("members:register"), {"q": "lotte"})
    assert response.context["more_than"] is None and b"2 entries" in response.content


def test_one_or_two_letters_find_the_names_that_start_with_them(register: None, staff: Any) -> None:
    response = client_for(staff).get(reverse("members:register"), {"q": "pe"})
    assert b"Peeters" in response.content and b"Lopez" not in response.content
    assert b"One or two letters find the names that start with them." in response.content


if ON_POSTGRESQL:

    def _fill_register(count: int) -> None:
        """``count`` entries in one statement, names made of common parts so that words repeat as in a real register
        (every 41st a Peeters, every 7th a Van …); then ANALYZE, as autovacuum does after a large import."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO members_registerentry (member_number, first_name, last_name, email, status, is_client,
                    is_partner, is_employee, is_permanent_staff, created_at, updated_at)
                SELECT (500000 + n)::text, f.name, l.name, lower(f.name || '.' || replace(l.name, ' ', '') || n)
                        || (ARRAY['@gmail.com', '@telenet.be', '@skynet.be', '@example.org'])[1 + n %% 4],
                    'member', false, false, false, false, now(), now()
                FROM generate_series(1, %s) AS n,
                LATERAL (SELECT (ARRAY['Lotte', 'Pieter', 'Chloé', 'Anna', 'Marc', 'Sofie', 'Wout', 'Inès', 'Jan',
                    'Emma', 'Louis', 'Camille', 'Noor', 'Hugo', 'Zoé', 'Bram', 'Eline', 'Jérôme'])[1 + n %% 18]
                    AS name) f,
                LATERAL (SELECT CASE WHEN n %% 41 = 0 THEN 'Peeters'
                    ELSE (ARRAY['', '', '', '', '', 'Van ', 'De ', 'Ver'])[1 + n %% 8]
                      || (ARRAY['Berg', 'Broeck', 'Velde', 'Bossche', 'Poel', 'Hoek', 'Meulen', 'Straeten', 'Haegen',
                         'Acker', 'Beke', 'Eycken', 'Steen', 'Dries', 'Linden', 'Walle', 'Mol', 'Hout', 'Bruyn',
                         'Wilde', 'Cock', 'Keyser', 'Vos', 'Pauw', 'Graeve'])[1 + (n / 8) %% 25]
                      || (ARRAY['', 's', 'e', 'mans', 'ens', 'aert', 'eghem', 'x', 'ot'])[1 + (n / 200) %% 9]
                    END AS name) l
                """,
                [count],
            )
            cursor.execute("ANALYZE members_registerentry")

    def _plans(query: str) -> list[dict[str, Any]]:
        """The plan (EXPLAIN FORMAT JSON) of each query a register page of ``query`` runs, as it ran them."""
        with CaptureQueriesContext(connection) as captured:
            result = register_page(query=query, page=1)
            list(result.page.object_list)
        plans = []
        with connection.cursor() as cursor:
            for executed in captured.captured_queries:
                cursor.execute("EXPLAIN (FORMAT JSON) " + executed["sql"])  # values inlined: no placeholders
                raw = cursor.fetchone()[0]
                plans.append((json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"])
        return plans

    def _nodes(plan: dict[str, Any]) -> list[dict[str, Any]]:
        return [plan, *(node for child in plan.get("Plans", []) for node in _nodes(child))]

    def _scans(plans: list[dict[str, Any]]) -> list[str]:
        """Each scan of the register table: its kind and index, as "Bitmap Index Scan on <index>"."""
        return [
            f"{node['Node Type']} on {node.get('Index Name') or node['Relation Name']}"
            for plan in plans
            for node in _nodes(plan)
            if node.get("Relation Name") == "members_registerentry" or "registerentry" in node.get("Index Name", "")
        ]

    def test_at_35000_entries_with_the_default_planner_a_search_reads_indexes_not_the_table() -> None:
        _fill_register(35_000)
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM pg_settings WHERE name LIKE 'enable%%' AND setting <> boot_val")
            assert cursor.fetchall() == [], "the planner's settings are the defaults"
        trigram, number = "members_registerentry_search_text_trgm", "members_registerentry_member_number_prefix"
        for query in ["peeters", "Lotte Peeters", "van broeck", "meulenmans", "sofie.ver", "xyzzy", "ch", "zo"]:
            scans = _scans(_plans(query))
            assert not [scan for scan in scans if scan.startswith("Seq Scan")], (query, scans)
            assert f"Bitmap Index Scan on {trigram}" in scans, (query, scans)
        scans = _scans(_plans("5012"))  # the start of a member number
        assert f"Bitmap Index Scan on {number}" in scans and not [s for s in scans if s.startswith("Seq")], scans
        # No search, or one that finds most of the register: the page walks the name index and stops after 50.
        for query in ["", "@gmail.com"]:
            count, page = _plans(query)
            assert [node["Node Type"] for node in _nodes(count)][:2] == ["Aggregate", "Limit"], query
            assert "Index Scan on registerentry_name_order" in _scans([page]), (query, _scans([page]))
        # The answers are those of a plain reading of the table.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM members_registerentry WHERE last_name = 'Peeters'")
            peeters = cursor.fetchone()[0]
        result = register_page(query="peeters", page=1)
        assert result.page.paginator.count == peeters > 0 and result.more_than is None
        assert {entry.last_name for entry in result.page} == {"Peeters"}
