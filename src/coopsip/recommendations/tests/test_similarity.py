"""Similarity suggestions: plain Python, deterministic, within one language."""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time

import pytest

from coopsip.recommendations.similarity import Document, Suggestion, suggest, suggest_pairs, terms

ETHICS_NL_1 = Document(
    key=1,
    language="nl",
    text="Een ethisch comité oprichten dat de coöperatie adviseert over ethische vragen van de vennoten.",
)
ETHICS_NL_2 = Document(
    key=2,
    language="nl",
    text="Wij stellen voor een ethisch comité op te richten: het comité adviseert de raad over ethische kwesties.",
)
NETWORK_NL = Document(
    key=3,
    language="nl",
    text="Netwerkmomenten per sector organiseren zodat vennoten elkaar vinden en samen werk creëren.",
)
ETHICS_FR = Document(
    key=4,
    language="fr",
    text="Créer un comité d'éthique qui conseille la coopérative sur les questions éthiques des membres.",
)
ETHICS_FR_2 = Document(
    key=5,
    language="fr",
    text="Nous proposons la création d'un comité éthique pour conseiller le conseil d'administration.",
)


def test_it_imports_without_django() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    code = "import coopsip.recommendations.similarity, sys; assert 'django' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, env=env)


def test_two_texts_about_an_ethics_committee_are_suggested_and_the_network_one_is_not() -> None:
    pairs = suggest_pairs([ETHICS_NL_1, ETHICS_NL_2, NETWORK_NL])
    assert [(p.first, p.second) for p in pairs] == [(1, 2)]
    assert 0.25 <= pairs[0].score <= 1.0
    assert "ethisch" in pairs[0].shared_words
    assert "comité" in pairs[0].shared_words


def test_stemming_joins_plural_and_singular_forms() -> None:
    stems = {stem for stem, _word in terms("aanbevelingen aanbeveling", "nl")}
    assert len(stems) == 1
    french = {stem for stem, _word in terms("comités comité éthiques éthique", "fr")}
    assert len(french) == 2


def test_function_words_do_not_make_texts_alike() -> None:
    a = Document(key="a", language="nl", text="de het een van voor met en de het een")
    b = Document(key="b", language="nl", text="de het een van voor met en")
    assert suggest_pairs([a, b], threshold=0.01) == []


def test_texts_of_different_languages_are_never_compared() -> None:
    same_words_other_language = Document(key=9, language="en", text=ETHICS_NL_1.text)
    pairs = suggest_pairs([ETHICS_NL_1, same_words_other_language, ETHICS_FR, ETHICS_FR_2])
    assert {(p.first, p.second) for p in pairs} == {(4, 5)}
    assert pairs[0].language == "fr"


def test_identical_texts_score_one() -> None:
    twin = Document(key=7, language="nl", text=ETHICS_NL_1.text)
    [pair] = suggest_pairs([ETHICS_NL_1, twin])
    assert pair == Suggestion(first=1, second=7, language="nl", score=1.0, shared_words=pair.shared_words)


def test_the_threshold_and_the_limit_bound_the_result() -> None:
    docs = [ETHICS_NL_1, ETHICS_NL_2, NETWORK_NL]
    everything = suggest_pairs(docs, threshold=0.0001)
    assert len(everything) >= 2
    assert [p.score for p in everything] == sorted((p.score for p in everything), reverse=True)
    assert suggest_pairs(docs, threshold=0.0001, limit=1) == everything[:1]
    assert suggest_pairs(docs, threshold=1.0) == []


def test_the_result_does_not_depend_on_the_input_order() -> None:
    docs = [ETHICS_NL_1, ETHICS_NL_2, NETWORK_NL, ETHICS_FR, ETHICS_FR_2]
    first = {(p.first, p.second): (p.score, p.shared_words) for p in suggest_pairs(docs, threshold=0.01)}
    shuffled = docs[:]
    random.Random(3).shuffle(shuffled)
    again = {
        tuple(sorted((p.first, p.second))): (p.score, p.shared_words)  # type: ignore[type-var]
        for p in suggest_pairs(shuffled, threshold=0.01)
    }
    assert {tuple(sorted(k)): v for k, v in first.items()} == again


def test_empty_texts_and_bad_arguments() -> None:
    assert suggest_pairs([]) == []
    assert suggest_pairs([Document(key=1, language="nl", text=""), Document(key=2, language="nl", text="")]) == []
    with pytest.raises(ValueError, match="unique"):
        suggest_pairs([ETHICS_NL_1, ETHICS_NL_1])
    with pytest.raises(ValueError, match="threshold"):
        suggest_pairs([ETHICS_NL_1], threshold=0)


def test_a_language_without_a_stemmer_is_compared_on_whole_words() -> None:
    a = Document(key=1, language="de", text="Ein Ethikrat für die Genossenschaft gründen")
    b = Document(key=2, language="de", text="Die Genossenschaft soll einen Ethikrat gründen")
    [pair] = suggest_pairs([a, b])
    assert "ethikrat" in pair.shared_words


def test_three_hundred_texts_take_under_a_second() -> None:
    rng = random.Random(1)
    vocabulary = [f"woord{i}" for i in range(1500)] + ["ethisch", "comité", "netwerk", "budget", "vennoot"]
    docs = [
        Document(key=i, language="nl", text=" ".join(rng.choice(vocabulary) for _ in range(150))) for i in range(300)
    ]
    started = time.process_time()
    suggest_pairs(docs)
    assert time.process_time() - started < 1.0


def test_suggest_returns_the_best_pairs_and_counts_them_all() -> None:
    docs = [ETHICS_NL_1, ETHICS_NL_2, NETWORK_NL, ETHICS_FR, ETHICS_FR_2]
    everything = suggest_pairs(docs, threshold=0.0001)
    found = suggest(docs, threshold=0.0001, limit=2)
    assert found.total == len(everything)
    assert list(found.pairs) == everything[:2]


def test_three_hundred_alike_texts_still_take_under_a_second() -> None:
    # Every pair is above the threshold (44,850 pairs): only the pairs shown cost Python objects.
    rng = random.Random(7)
    words = ["ethisch", "comité", "advies", "vennoten", "werk", "netwerk", "sector", "budget", "opleiding"]
    docs = [Document(key=i, language="nl", text=" ".join(rng.choice(words) for _ in range(200))) for i in range(300)]
    started = time.process_time()
    found = suggest(docs, limit=15)
    assert time.process_time() - started < 1.0
    assert found.total == 300 * 299 // 2 and len(found.pairs) == 15
