"""The one search service (core.search) finds people as staff remember them (issue 11, point 14).

Run on SQLite by default and on PostgreSQL with DATABASE_URL: the same lookups must give the same rows.
"""

from __future__ import annotations

from typing import Any

import pytest

from coopsip.core.search import MAX_WORDS, PersonFields, matching_people, words
from coopsip.members.models import MembershipStatus, RegisterEntry

FIELDS = PersonFields(names=("first_name", "last_name"), emails=("email",), numbers=("member_number",))


@pytest.fixture
def entries(db: Any) -> None:
    for number, first, last, email in [
        ("200001", "Lotte", "Peeters", "lotte.peeters@example.org"),
        ("200002", "Julien", "Dubois", "julien@smart.coop"),
        ("312000", "Anne", "Lotte-Smet", ""),
        ("412", "Peter", "Janssens", "pj@example.org"),
    ]:
        RegisterEntry.objects.create(
            member_number=number, first_name=first, last_name=last, email=email, status=MembershipStatus.MEMBER
        )


def found(query: str) -> list[str]:
    entries = RegisterEntry.objects.order_by("member_number")
    return list(matching_people(entries, query, fields=FIELDS).values_list("member_number", flat=True))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("Lotte Peeters", ["200001"], id="first-last"),
        pytest.param("peeters lotte", ["200001"], id="last-first"),
        pytest.param("Peeters, Lotte", ["200001"], id="last-comma-first"),
        pytest.param("  LOTTE   PEE ", ["200001"], id="case-spaces-part"),
        pytest.param("2000", ["200001", "200002"], id="number-prefix"),
        pytest.param("12", [], id="digits-inside-a-number-do-not-match"),
        pytest.param("412", ["412"], id="whole-number"),
        pytest.param("smart.coop", ["200002"], id="part-of-email"),
        pytest.param("lotte.peeters@", ["200001"], id="start-of-email"),
        pytest.param("lotte", ["200001", "312000"], id="one-word-in-any-name"),
        pytest.param("lotte julien", [], id="every-word-must-match"),
        pytest.param("", ["200001", "200002", "312000", "412"], id="empty-keeps-all"),
    ],
)
def test_people_are_found_by_names_in_any_order_email_parts_and_number_prefixes(
    entries: None, query: str, expected: list[str]
) -> None:
    assert found(query) == expected


def test_a_long_query_is_cut_to_a_bounded_number_of_words() -> None:
    assert words("a, b;c  d e f g h") == ["a", "b", "c", "d", "e", "f"][:MAX_WORDS]


# --- Texts (networking/tests/test_search.py searches real offers and needs on both databases) ---


def test_text_queries_keep_a_few_plain_words_whatever_is_typed() -> None:
    from coopsip.core.search import query_stems, text_words

    assert text_words('"fotograaf" OR (photographe) & !gent <-> :* 📷') == ["fotograaf", "photographe", "gent"]
    assert len(query_stems("woord " * 5_000)) == MAX_WORDS
    assert query_stems("🎉🎉 !!! ''") == []


def test_one_word_is_stemmed_in_the_three_languages() -> None:
    from coopsip.core.search import stems

    assert stems("fotografen", "nl") == stems("fotograaf", "nl")
    assert stems("photographie", "fr") == stems("photographe", "fr")
    assert stems("rooms", "en") == stems("room", "en")
    assert len(stems("photographies", None)) >= 2  # one stem per language, some equal
