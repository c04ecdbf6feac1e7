"""The site's one search service: every search box goes through here.

People (the member register, the registrations list; later group members, networking)
----------------------------------------------------------------------------------------
Staff type what they remember of a person, in any order: "Peeters Lotte",
"lotte peeters", "peeters, lotte", "2000" (the start of a member number),
"@example.org" or "lotte.pee" (part of an email address).
``matching_people`` splits the query into words (``words``) and keeps the
rows where **every** word matches **one of** the fields given in
``PersonFields``:

- names: the word is contained in the field, case-insensitively;
- emails: the word is contained in the field, case-insensitively;
- numbers: the field starts with the word (member numbers are looked up by
  their beginning, never by a digit in the middle: "12" must not match 31200).

It is a ``QuerySet.filter`` with plain lookups, so it works the same on SQLite
(the default set-up) and PostgreSQL, adds no query, keeps the caller's ordering
and pagination, and follows relations (``user__email``). On PostgreSQL those
lookups read ``UPPER(field::text) LIKE UPPER('%word%')``; ``person_search_indexes``
gives a migration the indexes that serve exactly that expression: a GIN
trigram index (``pg_trgm``) per name and email field, and a ``text_pattern_ops``
index per number field for the prefix. The answers are the same with or without
them (the indexes only change how PostgreSQL finds the rows), and SQLite skips them. A query has at most
``MAX_WORDS`` words; longer ones are cut. Accents are not folded yet:
"Chloe" does not find "Chloé" (PostgreSQL's ``unaccent`` would, SQLite has none).

Texts (offers and needs; later recommendations, contributions)
--------------------------------------------------------------
Texts are written in Dutch, French or English, and "fotograaf" must find
"fotografen", "photographe" "photographie". A model that is searched keeps
two columns, written by ``index_texts`` whenever its text changes:

- ``search_stems`` (every database): the Snowball stems of its words, in the
  text's language, between spaces (`` fotograf gent ``); words of the shared
  vocabulary (sector and skill names, synonyms) are stemmed in all three
  languages, as they are written in any of them;
- ``search_vector`` (PostgreSQL only, a ``SearchVectorField`` with a GIN index):
  ``to_tsvector`` with the ``dutch``, ``french`` or ``english`` configuration
  of the text's language (title weight A, the rest B), the vocabulary in all three.

``matching_texts(queryset, query)`` keeps the rows where **every** word of the
query matches, the word being stemmed in each of the three languages (so a
Dutch query finds a French text that shares the word), and annotates
``search_rank``: ``SearchRank`` on PostgreSQL, the number of stems found on
SQLite. The query is reduced to ``MAX_WORDS`` words of letters and digits
(operators, quotes, emoji and punctuation are dropped; a 10,000-character
query costs no more than six words), common short words of the three
languages are left out, and the same entry point serves both databases, so
pages and tests never branch on the database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import connection, migrations, models
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

MAX_WORDS = 6
MAX_WORD_LENGTH = 40
_SEPARATORS = re.compile(r"[\s,;]+")
_TEXT_WORD = re.compile(r"\w+", re.UNICODE)
# PostgreSQL text-search configurations and Snowball stemmers of the site's languages.
TEXT_CONFIGS = {"nl": "dutch", "fr": "french", "en": "english"}
# Words too common to search for (PostgreSQL drops them too).
_STOP_WORDS_NL = "de het een en van in op te voor met is dat die zijn als aan er om ook maar bij"
_STOP_WORDS_FR = "le la les un une des du et au aux pour par sur dans est qui que ce se pas"
_STOP_WORDS_EN = "the a an and of to for on at by with are be or it this that from as"
STOP_WORDS = frozenset(f"{_STOP_WORDS_NL} {_STOP_WORDS_FR} {_STOP_WORDS_EN}".split())

M = TypeVar("M", bound=models.Model)


def words(query: str) -> list[str]:
    """The words of ``query``: split on spaces, commas and semicolons, without empty ones, at most ``MAX_WORDS``."""
    return [word for word in _SEPARATORS.split(query.strip()) if word][:MAX_WORDS]


@functools.cache
def _stemmer(language: str) -> Any:
    import snowballstemmer

    return snowballstemmer.stemmer(TEXT_CONFIGS[language])


def text_words(text: str, *, limit: int | None = None) -> list[str]:
    """The searchable words of ``text``: letters and digits, lower case, without stop words."""
    found: list[str] = []
    for match in _TEXT_WORD.finditer(text[: limit * (MAX_WORD_LENGTH + 2)] if limit else text):
        word = match.group().lower().replace("_", "")
        if word and word not in STOP_WORDS and len(word) <= MAX_WORD_LENGTH:
            found.append(word)
            if limit is not None and len(found) >= limit:
                break
    return found


def stems(text: str, language: str | None) -> set[str]:
    """The Snowball stems of ``text``'s words in ``language`` (``None``: in all three languages)."""
    languages = [language] if language in TEXT_CONFIGS else list(TEXT_CONFIGS)
    tokens = text_words(text)
    return {stem for lang in languages for stem in _stemmer(lang).stemWords(tokens)}


def query_stems(query: str) -> list[set[str]]:
    """Per word of ``query`` (at most ``MAX_WORDS``), its stems in the three languages."""
    return [stems(word, None) for word in text_words(query, limit=MAX_WORDS)]


@dataclass(frozen=True)
class TextPart:
    """A piece of a searched text: ``language`` None for vocabulary words (stemmed in every language)."""

    text: str
    language: str | None
    weight: str = "B"


def stems_document(parts: Iterable[TextPart]) -> str:
    """The value of ``search_stems``: every stem once, between spaces."""
    found: set[str] = set()
    for part in parts:
        found |= stems(part.text, part.language)
    return f" {' '.join(sorted(found))} " if found else ""


def index_texts(queryset: QuerySet[Any], parts: Iterable[TextPart]) -> None:
    """Write ``search_stems`` (and on PostgreSQL ``search_vector``, when the model has one) of the rows of
    ``queryset`` from ``parts``."""
    parts = list(parts)
    values: dict[str, Any] = {"search_stems": stems_document(parts)}
    field_names = {field.name for field in queryset.model._meta.get_fields()}
    if connection.vendor == "postgresql" and "search_vector" in field_names:
        from django.contrib.postgres.search import SearchVector

        vector: Any = None
        for part in parts:
            for language in [part.language] if part.language in TEXT_CONFIGS else list(TEXT_CONFIGS):
                piece = SearchVector(
                    Value(part.text, output_field=models.TextField()),
                    config=TEXT_CONFIGS[language or "en"],
                    weight=part.weight,
                )
                vector = piece if vector is None else vector + piece
        values["search_vector"] = vector
    queryset.update(**values)


def matching_texts(
    queryset: QuerySet[M], query: str, *, stems_field: str = "search_stems", vector_field: str = "search_vector"
) -> QuerySet[M]:
    """``queryset`` narrowed to rows whose text holds every word of ``query`` (any form: stems), annotated with
    ``search_rank`` (higher is better). An empty query keeps every row, with rank 0."""
    per_word = query_stems(query)
    if not per_word:
        return queryset.annotate(search_rank=Value(0.0, output_field=models.FloatField()))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        tsquery: Any = None
        for word in text_words(query, limit=MAX_WORDS):
            either: Any = None
            for config in TEXT_CONFIGS.values():
                one = SearchQuery(word, config=config, search_type="plain")
                either = one if either is None else either | one
            tsquery = either if tsquery is None else tsquery & either
        return queryset.filter(**{vector_field: tsquery}).annotate(
            search_rank=SearchRank(F(vector_field), tsquery, cover_density=False)
        )
    condition = Q()
    hits: Any = Value(0)
    for forms in per_word:
        either_q = Q()
        for stem in sorted(forms):
            lookup = Q(**{f"{stems_field}__contains": f" {stem} "})
            either_q |= lookup
            hits = hits + Case(When(lookup, then=Value(1)), default=Value(0), output_field=IntegerField())
        condition &= either_q
    return queryset.filter(condition).annotate(
        search_rank=Coalesce(hits, Value(0)) * Value(1.0, output_field=models.FloatField())
    )


@dataclass(frozen=True)
class PersonFields:
    """Where a person's words are looked for; each entry is a field path such as ``"user__last_name"``."""

    names: tuple[str, ...]
    emails: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()

    def match(self, word: str) -> Q:
        """Rows where ``word`` matches one of these fields."""
        condition = Q()
        for name in (*self.names, *self.emails):
            condition |= Q(**{f"{name}__icontains": word})
        for number in self.numbers:
            condition |= Q(**{f"{number}__istartswith": word})
        return condition


def people_condition(query: str, *, fields: PersonFields) -> Q:
    """The condition of ``matching_people``: every word of ``query`` matches one of ``fields``."""
    condition = Q()
    for word in words(query):
        condition &= fields.match(word)
    return condition


def matching_people(queryset: QuerySet[M], query: str, *, fields: PersonFields) -> QuerySet[M]:
    """``queryset`` narrowed to the people ``query`` describes; an empty query keeps every row."""
    if not words(query):
        return queryset
    return queryset.filter(people_condition(query, fields=fields))


def _person_index_statements(table: str, fields: PersonFields) -> list[tuple[str, str]]:
    """(create, drop) SQL of the indexes serving ``matching_people`` on ``table``'s own columns."""
    statements = []
    for column in (*fields.names, *fields.emails):
        name = f"{table}_{column}_trgm"[:63]
        statements.append(
            (
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ((UPPER("{column}"::text)) gin_trgm_ops)',
                f'DROP INDEX IF EXISTS "{name}"',
            )
        )
    for column in fields.numbers:
        name = f"{table}_{column}_prefix"[:63]
        statements.append(
            (
                f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" ((UPPER("{column}"::text)) text_pattern_ops)',
                f'DROP INDEX IF EXISTS "{name}"',
            )
        )
    return statements


def person_search_indexes(table: str, fields: PersonFields) -> list[migrations.operations.base.Operation]:
    """Migration operations: on PostgreSQL, ``pg_trgm`` and the indexes ``matching_people`` uses on ``table``.

    Only the table's own columns (no ``user__email``). ``pg_trgm`` is a trusted extension (PostgreSQL 13+):
    the database's owner may create it. Nothing happens on SQLite.
    """
    from django.contrib.postgres.operations import TrigramExtension

    statements = _person_index_statements(table, fields)

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for create, _drop in statements:
                schema_editor.execute(create)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for _create, drop in statements:
                schema_editor.execute(drop)

    return [TrigramExtension(), migrations.RunPython(forwards, backwards, elidable=False)]
