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
    # Generous on purpose: a query that blew up (2,000 words, 10,000 characters) would take minutes; a busy CI
    # machine (load 18) must not fail a query that is merely slow there.
    assert time.perf_counter() - started < 10.0
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


def test_the_window_read_once_gives_the_same_results_as_the_lazy_search(
    offers: Any, places: dict[str, Any], vocab: dict[str, Any], pieter: Any, monkeypatch: Any
) -> None:
    """The search page reads the window's ids once (``search_window``) and ranks those (``search_results``): the
    same listings, in the same order, with the same rank and distance as ``search_listings``, window or not."""
    from coopsip.networking import selectors

    for n in range(6):
        services.publish_listing(
            author=pieter,
            data=offer_input(
                title=f"Fotograaf {n}",
                body="festival " * (n % 3),
                sectors=(vocab["audiovisual"],),
                municipality_id=[places["gent"], places["liege"], places["brussel"]][n % 3].pk,
                remote=n == 4,
            ),
        )
    searches = [
        SearchFilters(query="fotograaf"),
        SearchFilters(query="fotograaf festival"),
        SearchFilters(query="fotograaf", near=places["gent"], within_km=60, order="distance"),
        SearchFilters(query="", sector=vocab["audiovisual"], order="newest"),
        SearchFilters(query="photographe", language="fr"),
        SearchFilters(query="nothing-matches-this"),
    ]
    for window_size in (500, 3):
        monkeypatch.setattr(selectors, "SEARCH_WINDOW", window_size)
        for filters in searches:
            lazy = [(li.pk, li.search_rank, li.distance2) for li in search_listings(filters)]
            ids = selectors.search_window(filters)
            read_once = [(li.pk, li.search_rank, li.distance2) for li in selectors.search_results(filters, ids)]
            assert read_once == lazy, (window_size, filters)
            assert len(ids) == len(lazy) <= window_size + 1
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 500)
    # Pieter's six, his offer and Camille's (tagged with the Photography skill, whose synonyms hold the word)
    assert len(selectors.search_window(SearchFilters(query="fotograaf"))) == 8
