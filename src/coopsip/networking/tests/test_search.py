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


def test_the_page_s_hits_give_the_same_answer_as_the_lazy_search(
    offers: Any, places: dict[str, Any], vocab: dict[str, Any], pieter: Any, monkeypatch: Any
) -> None:
    """The search page reads the window's hits once (``search_hits``: ids, rank, distance, sorted) and then only its
    page's rows (``listings_for``): the same listings, in the same order, with the same rank and distance as
    ``search_listings``, whether the window holds every match or cuts them."""
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
        SearchFilters(query="fotograaf", near=places["gent"], within_km=60),  # by relevance, distances shown
        SearchFilters(query="", near=places["liege"], within_km=500, order="distance"),
        SearchFilters(query="", sector=vocab["audiovisual"], order="newest"),
        SearchFilters(query="photographe", language="fr"),
        SearchFilters(query="nothing-matches-this"),
    ]
    for window_size, reach_ids in ((500, 1000), (3, 1000), (500, 1)):
        monkeypatch.setattr(selectors, "SEARCH_WINDOW", window_size)
        monkeypatch.setattr(selectors, "REACH_IDS", reach_ids)  # 1: the places within reach as a subquery
        for filters in searches:
            lazy = [(li.pk, li.search_rank, li.distance2) for li in search_listings(filters)]
            hits = selectors.search_hits(filters)
            page = [(li.pk, li.search_rank, li.distance2) for li in selectors.listings_for(hits)]
            assert page == lazy, (window_size, reach_ids, filters)
            assert len(hits) == len(lazy) <= window_size + 1
    monkeypatch.setattr(selectors, "SEARCH_WINDOW", 500)
    # Pieter's six, his offer and Camille's (tagged with the Photography skill, whose synonyms hold the word)
    assert len(selectors.search_hits(SearchFilters(query="fotograaf"))) == 8
    assert selectors.listings_for([]) == []


def test_a_sector_filter_finds_each_listing_once_with_the_sector_s_narrower_terms(
    offers: Any, vocab: dict[str, Any], pieter: Any
) -> None:
    """A listing tagged with a sector and one of its narrower sectors is found once, by the broader one."""
    from coopsip.networking import selectors
    from coopsip.networking.models import Sector

    narrower = Sector.objects.get(slug="photography-sector", parent=vocab["audiovisual"])
    services.publish_listing(
        author=pieter,
        data=offer_input(title="Cameraman voor kortfilm", sectors=(vocab["audiovisual"], narrower), remote=True),
    )
    found = [hit.pk for hit in selectors.search_hits(SearchFilters(sector=vocab["audiovisual"]))]
    assert len(found) == len(set(found))
    titles_found = {li.title for li in selectors.listings_for(selectors.search_hits(SearchFilters(sector=narrower)))}
    assert titles_found == {"Cameraman voor kortfilm"}
    assert set(titles("", sector=vocab["audiovisual"])) == {
        "Fotograaf voor evenementen en portretten",
        "Photographe de spectacles",
        "Cameraman voor kortfilm",
    }


@pytest.mark.only_on("postgresql")  # PostgreSQL plans the tsquery; SQLite reads stems
def test_postgresql_plans_each_stem_of_a_word_once_whatever_the_languages_agree_on(offers: Any) -> None:
    """A word stemmed alike in Dutch, French and English is asked once: with three copies of it, PostgreSQL expected
    three times the matches and walked the whole table instead of reading the few matches through the GIN index."""
    import re

    from coopsip.core.search import matching_texts
    from coopsip.networking.models import Listing

    sql, params = matching_texts(Listing.objects.all(), "fotograaf festival vertaler").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    queries = re.findall(r"@@ '(.*?)'::tsquery", plan)
    assert queries
    for query in queries:
        lexemes = re.findall(r"''([^']+)''", query)
        assert len(lexemes) == len(set(lexemes)), query
        assert {"fotograf", "festival", "vertal"} <= set(lexemes), query
