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

A word of one or two characters (shorter than ``SHORT_WORD``) starts a word of
a name or the email instead ("p", "pe" as typed into a live search box: "pe"
finds Peeters and Van den Peereboom, not Lopez).

It is a ``QuerySet.filter`` with plain lookups, so it works the same on SQLite
(the default set-up) and PostgreSQL, adds no query, keeps the caller's ordering
and pagination, and follows relations (``user__email``). A model searched often
(the register) keeps its names and emails in one column written by the database,
``person_search_text`` (a ``GeneratedField``: `` LOTTE PEETERS LOTTE.PEETERS@…``,
upper-cased, a space before each field), named in ``PersonFields.text``: a word
is looked for there with ``LIKE '%WORD%'`` (a short one ``LIKE '% WO%'``), the
word upper-cased by the database as the column was. ``person_text_indexes``
gives a migration the indexes serving exactly that on PostgreSQL: a GIN trigram
index (``pg_trgm``) on the column and a ``text_pattern_ops`` index per number
field (``UPPER(number::text) LIKE UPPER('20%')``). The answers are the same with
or without them (the indexes only change how PostgreSQL finds the rows), and
SQLite skips them. A query has at most ``MAX_WORDS`` words; longer ones are cut.
Accents are not folded yet: "Chloe" does not find "Chloé" (PostgreSQL's
``unaccent`` would, SQLite has none).

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
SQLite. On PostgreSQL a word's three stemmings are asked once each when they
differ and once in all when they agree (``_AnyLanguage``: the same rows and
ranks, and the planner then estimates the matches right). The tsvector is a
stored column, never computed at query time. The query is reduced to
``MAX_WORDS`` words of letters and digits (operators, quotes, emoji and
punctuation are dropped; a 10,000-character query costs no more than six
words), common short words of the three languages are left out, and the same
entry point serves both databases, so pages and tests never branch on the
database.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.postgres.search import SearchQuery
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
    query_words = text_words(query, limit=MAX_WORDS)
    if not query_words:
        return queryset.annotate(search_rank=Value(0.0, output_field=models.FloatField()))
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        tsquery: Any = None
        for word in query_words:
            either = _AnyLanguage(word)
            tsquery = either if tsquery is None else tsquery & either
        return queryset.filter(**{vector_field: tsquery}).annotate(
            search_rank=SearchRank(F(vector_field), tsquery, cover_density=False)
        )
    condition = Q()
    hits: Any = Value(0)
    for forms in query_stems(query):
        either_q = Q()
        for stem in sorted(forms):
            lookup = Q(**{f"{stems_field}__contains": f" {stem} "})
            either_q |= lookup
            hits = hits + Case(When(lookup, then=Value(1)), default=Value(0), output_field=IntegerField())
        condition &= either_q
    return queryset.filter(condition).annotate(
        search_rank=Coalesce(hits, Value(0)) * Value(1.0, output_field=models.FloatField())
    )


class _AnyLanguage(SearchQuery):
    """A word's tsquery in each language of ``TEXT_CONFIGS``, OR-ed, each distinct one once (PostgreSQL).

    Most words stem alike in two or three languages: ``'fotograf' | 'fotograf' | 'fotograf'`` finds the same rows
    as ``'fotograf'``, and ``ts_rank`` counts each lexeme of a query once, so both rank alike. But the planner took
    the copies for three chances of a match: it expected up to three times the rows (nine times for two words) and
    walked the newest-first index through most of the table where the GIN index held the few hundred matches
    (340 ms against 2 ms in bench/networking.py). The comparisons are of constants: the planner folds the ``CASE``
    into one tsquery before it estimates anything."""

    def __init__(self, word: str) -> None:
        super().__init__(word, search_type="plain")
        self.word = word

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        one = "plainto_tsquery(%s::regconfig, %s)"
        configs = list(TEXT_CONFIGS.values())
        sql, params = one, [configs[0], self.word]
        for n, config in enumerate(configs[1:], start=1):
            earlier = ", ".join([one] * n)
            earlier_params = [value for previous in configs[:n] for value in (previous, self.word)]
            # The same query as an earlier language's: left out; else added.
            sql = f"CASE WHEN {one} = ANY(ARRAY[{earlier}]) THEN {sql} ELSE ({sql}) || {one} END"
            params = [config, self.word, *earlier_params, *params, *params, config, self.word]
        return sql, params


# A trigram index finds a word of three characters or more anywhere in a text. A shorter one would be looked
# for in every row, and finds a third of the register anyway: it matches the start of a word instead ("p",
# "pe" as typed into a live search box), which the same index serves (the trigram "  p" starts a word).
SHORT_WORD = 3


def person_search_text(*fields: str) -> models.Func:
    """The value of a person's search column (a ``GeneratedField`` written by the database with the row): a space
    and ``fields`` upper-cased, joined by spaces (`` LOTTE PEETERS LOTTE.PEETERS@EXAMPLE.ORG``).

    A word has no space in it (``words``), so it is in this text exactly when it is in one of the fields; a word
    starts one of the fields' words exactly when the text holds it after a space.
    """
    from django.db.models.functions import Concat, Upper

    parts: list[Any] = []
    for field in fields:
        parts += [Value(" "), F(field)]
    return Upper(Concat(*parts, output_field=models.TextField()))


@dataclass(frozen=True)
class PersonFields:
    """Where a person's words are looked for; each entry is a field path such as ``"user__last_name"``.

    ``text``: the model's own column holding ``person_search_text(*names, *emails)``, if it has one: names and
    emails are then looked for in it (one lookup, one index: ``person_text_indexes``), with the same answers.
    """

    names: tuple[str, ...]
    emails: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    text: str = ""

    def match(self, word: str) -> Q:
        """Rows where ``word`` matches one of these fields."""
        from django.db.models.functions import Upper

        short = len(word) < SHORT_WORD
        condition = Q()
        if self.text:
            # Upper-cased by the database, as the column was (Python and PostgreSQL do not agree on "ß").
            condition |= Q(**{f"{self.text}__contains": Upper(Value(f" {word}" if short else word))})
        else:
            for name in (*self.names, *self.emails):
                if short:
                    condition |= Q(**{f"{name}__istartswith": word}) | Q(**{f"{name}__icontains": f" {word}"})
                else:
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
    """(create, drop) SQL of the indexes of ``person_search_indexes``: a trigram index per name and email field
    (replaced by ``person_text_indexes``), a prefix index per number field."""
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


def person_text_indexes(table: str, fields: PersonFields) -> list[migrations.operations.base.Operation]:
    """Migration operations: on PostgreSQL, the indexes ``matching_people`` uses on ``table`` when ``fields.text``
    names its search column: a GIN trigram index on that column (``LIKE '%WORD%'`` and, for a short word,
    ``LIKE '% WO%'``) and a ``text_pattern_ops`` prefix index per number field.

    The per-field trigram indexes of ``person_search_indexes`` are dropped: nothing searches those fields any
    more, and every write paid for them. ``pg_trgm`` is created if missing and left in place when the migration
    is reversed (the earlier indexes need it). Nothing happens on SQLite.
    """
    name = f"{table}_{fields.text}_trgm"[:63]
    # fastupdate off: a row goes into the index when it is written, not into a pending list that every search
    # reads until autovacuum merges it (after an import of the register: 10 ms and more per search).
    text_index = (
        f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin ("{fields.text}" gin_trgm_ops) '
        "WITH (fastupdate = off)",
        f'DROP INDEX IF EXISTS "{name}"',
    )
    earlier = _person_index_statements(table, fields)
    numbers = [pair for pair in earlier if pair[0].endswith("text_pattern_ops)")]
    replaced = [pair for pair in earlier if pair[0].endswith("gin_trgm_ops)")]

    def forwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            for create, _drop in [text_index, *numbers]:
                schema_editor.execute(create)
            for _create, drop in replaced:
                schema_editor.execute(drop)

    def backwards(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            for create, _drop in replaced:
                schema_editor.execute(create)
            schema_editor.execute(text_index[1])

    return [migrations.RunPython(forwards, backwards, elidable=False)]
