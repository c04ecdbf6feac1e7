"""Which recommendations say much the same: TF-IDF with stemming, cosine similarity within one language.

Plain Python, no Django (the style guide's rule for algorithms): frozen dataclasses in and out,
deterministic (the same texts give the same pairs in the same order, whatever the input order).

    pairs = suggest_pairs([Document(key=1, language="nl", text="…"), …], threshold=0.25)

Texts are compared only with texts of the same language: a Dutch and a French recommendation
that say the same thing share almost no stems, and a score between them would mean nothing.
Each language's texts are weighed on their own (the rarer a stem among that language's texts,
the more it counts). Words are lower-cased, split on anything that is not a letter or a digit,
stripped of common function words and stemmed with the Snowball stemmer of the language
(Dutch, French, English; another language is compared on whole words).

The result is a suggestion for a person to look at, never applied by itself: staff decide what
to merge. The cost is one pass over the words (each distinct word stemmed once) and the scores of all pairs
(a product of matrices with NumPy, in blocks of rows), so 300 texts of a few hundred words take a small
fraction of a second.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy
import snowballstemmer

SNOWBALL = {"nl": "dutch", "fr": "french", "en": "english"}
DEFAULT_THRESHOLD = 0.25


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Function words that carry no meaning of their own (a short list: TF-IDF weighs the rest).
STOPWORDS: dict[str, frozenset[str]] = {
    "nl": _words(
        "de het een en of in op te van voor met aan bij door om als dat die dit deze er is zijn was wordt worden "
        "kan kunnen moet moeten zal zullen niet ook nog meer dan maar naar over uit tot zo wel we wij je jij ze zij "
        "hun hen ons onze hij haar zich wat wie waar hoe elk elke alle veel"
    ),
    "fr": _words(
        "le la les un une des de du d l et ou en dans sur pour par avec au aux ce cet cette ces qui que qu est sont "
        "être a ont il elle ils elles nous vous on se sa son ses leur leurs ne pas plus mais comme si y tout tous "
        "toute toutes chaque"
    ),
    "en": _words(
        "the a an and or of in on to for with by at from as that this these those is are was were be been it its "
        "we our they their them he she not no more than but so if all each every can could should would will "
        "which who what how"
    ),
}
_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@dataclass(frozen=True)
class Document:
    """One text to compare: a key of the caller's choosing (a recommendation's id), its language and its words."""

    key: Hashable
    language: str
    text: str


@dataclass(frozen=True)
class Suggestion:
    """Two documents of one language whose texts are alike: ``score`` is the cosine, from 0 to 1.

    ``first`` is the document that came first in the input; ``shared_words`` are up to five words
    (as written in the texts) that weigh most in the score, to show a person why.
    """

    first: Hashable
    second: Hashable
    language: str
    score: float
    shared_words: tuple[str, ...]


@cache
def _stemmer(language: str) -> Any:
    name = SNOWBALL.get(language)
    return snowballstemmer.stemmer(name) if name else None


def _fold(word: str) -> str:
    """Without accents, so that "éthique" and "ethique" meet (after stemming, which needs the accents)."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def terms(text: str, language: str) -> list[tuple[str, str]]:
    """The text's (stem, word) pairs in order, without function words and one-letter words."""
    stop = STOPWORDS.get(language, frozenset())
    words = [w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in stop and not w.isdigit()]
    return [(_stem(language, word), word) for word in words]


@lru_cache(maxsize=100_000)
def _stem(language: str, word: str) -> str:
    # Snowball in pure Python costs ~0.3 ms a word; texts repeat their words, so each is stemmed once.
    stemmer = _stemmer(language)
    return _fold(stemmer.stemWord(word) if stemmer is not None else word)


def _vectors(docs: Sequence[Document]) -> tuple[list[dict[str, float]], dict[str, str]]:
    """Unit-length TF-IDF vectors (sublinear term frequency, smoothed IDF) and a readable word per stem."""
    counts: list[Counter[str]] = []
    seen_words: dict[str, Counter[str]] = defaultdict(Counter)
    for doc in docs:
        pairs = terms(doc.text, doc.language)
        counts.append(Counter(stem for stem, _word in pairs))
        for stem, word in pairs:
            seen_words[stem][word] += 1
    frequency: Counter[str] = Counter()
    for count in counts:
        frequency.update(count.keys())
    n = len(docs)
    idf = {stem: math.log((1 + n) / (1 + df)) + 1.0 for stem, df in frequency.items()}
    vectors = []
    for count in counts:
        weights = {stem: (1.0 + math.log(tf)) * idf[stem] for stem, tf in count.items()}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        vectors.append({stem: w / norm for stem, w in weights.items()} if norm else {})
    # The most frequent way the stem was written; ties by alphabet, so that the result is deterministic.
    readable = {stem: min(words.items(), key=lambda item: (-item[1], item[0]))[0] for stem, words in seen_words.items()}
    return vectors, readable


@dataclass(frozen=True)
class Suggestions:
    """The best pairs (at most the limit asked for) and how many pairs reached the threshold in all."""

    pairs: tuple[Suggestion, ...]
    total: int


@dataclass(frozen=True)
class _Language:
    """One language's pairs as arrays (scores, positions in the input) and how to name their shared words."""

    scores: Any
    firsts: Any
    seconds: Any
    shared_words: Any


def _pairs_of_language(docs: Sequence[tuple[int, Document]], threshold: float) -> _Language:
    vectors, readable = _vectors([doc for _position, doc in docs])
    # Only stems found in two texts or more can make two texts alike (the norms already count the others).
    frequency: Counter[str] = Counter()
    for vector in vectors:
        frequency.update(vector.keys())
    columns = {stem: column for column, stem in enumerate(sorted(s for s, df in frequency.items() if df > 1))}
    matrix = numpy.zeros((len(docs), max(len(columns), 1)), dtype=numpy.float64)
    for row, vector in enumerate(vectors):
        for stem, weight in vector.items():
            column = columns.get(stem)
            if column is not None:
                matrix[row, column] = weight
    positions = numpy.array([position for position, _doc in docs], dtype=numpy.int64)
    local = {position: index for index, (position, _doc) in enumerate(docs)}

    def shared_words(first: int, second: int) -> tuple[str, ...]:
        a, b = vectors[local[first]], vectors[local[second]]
        shared = sorted(a.keys() & b.keys(), key=lambda stem: (-a[stem] * b[stem], stem))
        return tuple(readable[stem] for stem in shared[:5])

    scores, firsts, seconds = [], [], []
    # Blocks of rows keep the memory to block × texts, whatever the number of texts.
    for start in range(0, len(docs), 512):
        block = numpy.minimum(numpy.round(matrix[start : start + 512] @ matrix.T, 4), 1.0)
        rows, cols = numpy.nonzero(block >= threshold)
        upper = (rows + start) < cols
        rows, cols = rows[upper], cols[upper]
        scores.append(block[rows, cols])
        firsts.append(positions[rows + start])
        seconds.append(positions[cols])
    return _Language(numpy.concatenate(scores), numpy.concatenate(firsts), numpy.concatenate(seconds), shared_words)


def suggest(
    documents: Iterable[Document], *, threshold: float = DEFAULT_THRESHOLD, limit: int | None = None
) -> Suggestions:
    """The pairs of documents of one language whose cosine similarity is at least ``threshold``.

    Best first (score descending, then by input order), at most ``limit`` pairs, with the number of pairs
    found in all. Keys must be unique. Empty texts and texts made only of function words match nothing.
    Sorting and cutting happen on arrays: only the pairs returned cost Python objects.
    """
    if not 0.0 < threshold <= 1.0:
        raise ValueError("threshold must be above 0 and at most 1")
    docs = list(documents)
    if len({doc.key for doc in docs}) != len(docs):
        raise ValueError("document keys must be unique")
    by_language: dict[str, list[tuple[int, Document]]] = defaultdict(list)
    for position, doc in enumerate(docs):
        by_language[doc.language].append((position, doc))
    found = [_pairs_of_language(by_language[language], threshold) for language in sorted(by_language)]
    if not found:
        return Suggestions(pairs=(), total=0)
    scores = numpy.concatenate([f.scores for f in found])
    firsts = numpy.concatenate([f.firsts for f in found])
    seconds = numpy.concatenate([f.seconds for f in found])
    words = {doc_position: f.shared_words for f in found for doc_position in f.firsts.tolist()}
    order = numpy.lexsort((seconds, firsts, -scores))
    if limit is not None:
        order = order[:limit]
    pairs = tuple(
        Suggestion(
            first=docs[first].key,
            second=docs[second].key,
            language=docs[first].language,
            score=float(score),
            shared_words=words[first](first, second),
        )
        for score, first, second in zip(
            scores[order].tolist(), firsts[order].tolist(), seconds[order].tolist(), strict=True
        )
    )
    return Suggestions(pairs=pairs, total=len(scores))


def suggest_pairs(
    documents: Iterable[Document], *, threshold: float = DEFAULT_THRESHOLD, limit: int | None = None
) -> list[Suggestion]:
    """``suggest(...).pairs`` as a list."""
    return list(suggest(documents, threshold=threshold, limit=limit).pairs)
