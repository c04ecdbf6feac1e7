"""Search of offers and needs through core.search.matching_texts: the same answers on SQLite and PostgreSQL.

Run once on the default SQLite and once with DATABASE_URL pointing to PostgreSQL.
"""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.db import connection

from coopsip.networking import services
from coopsip.networking.selectors import SearchFilters, search_listings
from coopsip.networking.tests.conftest import offer_input


def titles(query: str, **filters: Any) -> list[str]:
    return [listing.title for listing in search_listings(SearchFilters(query=query, **filters))]


@pytest.fixture
def plain_texts(pieter: Any, camille: Any, bob: Any, places: dict[str, Any]) -> None:
    """Texts without vocabulary terms: only stemming can find other forms of their words."""
    for author, title, body, language in [
        (pieter, "Wij zoeken fotografen", "Voor een festival in de zomer.", "nl"),
        (camille, "Atelier de photographie", "Pour débutants, le samedi.", "fr"),
        (bob, "Rehearsal rooms", "Two rooms for rehearsing bands.", "en"),
    ]:
        services.publish_listing(
            author=author,
            data=offer_input(title=title, body=body, language=language, municipality_id=places["gent"].pk),
        )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("fotograaf", {"Wij zoeken fotografen"}, id="nl-fotograaf-finds-fotografen"),
        pytest.param("photographe", {"Atelier de photographie"}, id="fr-photographe-finds-photographie"),
        pytest.param("rehearsal room", {"Rehearsal rooms"}, id="en-plural"),
        pytest.param("FESTIVAL zomer", {"Wij zoeken fotografen"}, id="every-word-any-case"),
        pytest.param("fotograaf samedi", set(), id="every-word-must-match"),
    ],
)
def test_stemming_finds_other_forms_of_a_word(plain_texts: None, query: str, expected: set[str]) -> None:
    assert set(titles(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("geluidstechnicus", {"Sound engineer for concerts"}, id="nl-synonym"),
        pytest.param("ingénieur son", {"Sound engineer for concerts"}, id="fr-synonym"),
        pytest.param(
            "fotografie",
            {"Fotograaf voor evenementen en portretten", "Photographe de spectacles"},
            id="skill-name-in-another-language",
        ),
    ],
)
def test_the_vocabulary_names_and_synonyms_find_tagged_texts(offers: Any, query: str, expected: set[str]) -> None:
    assert set(titles(query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        '"fotograaf" OR & | ! :* <-> (',
        "fotograaf 📷🎉",
        "x" * 10_000,
        "fotograaf " * 2_000,
        "'; DROP TABLE networking_listing; --",
        "",
        "   ",
        "!!!",
    ],
)
def test_hostile_or_huge_queries_give_no_error_and_stay_fast(offers: Any, query: str) -> None:
    started = time.perf_counter()
    found = titles(query)
    assert time.perf_counter() - started < 1.0
    if "fotograaf" in query:
        assert "Fotograaf voor evenementen en portretten" in found


def test_distance_filter_and_order(offers: Any, places: dict[str, Any]) -> None:
    near_gent = titles("", near=places["gent"], within_km=30, order="distance")
    assert near_gent == ["Sound engineer for concerts", "Fotograaf voor evenementen en portretten"]
    assert titles("", near=places["gent"], within_km=0) == ["Sound engineer for concerts"]
    assert len(titles("", near=places["gent"], within_km=10_000)) == 3


def test_filters_by_kind_language_and_sector(offers: Any, vocab: dict[str, Any]) -> None:
    assert titles("", language="fr") == ["Photographe de spectacles"]
    assert set(titles("", sector=vocab["audiovisual"])) == {
        "Fotograaf voor evenementen en portretten",
        "Photographe de spectacles",
    }
    assert titles("", kind="need") == []


def test_postgresql_keeps_a_tsvector_in_the_text_language(offers: Any) -> None:
    from coopsip.networking.models import Listing

    listing = Listing.objects.get(title__startswith="Fotograaf")
    assert " fotograf" in listing.search_stems or " fotograaf" in listing.search_stems
    if connection.vendor == "postgresql":
        assert listing.search_vector
    else:
        assert listing.search_vector is None
