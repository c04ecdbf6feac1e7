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
and pagination, and follows relations (``user__email``). A query has at most
``MAX_WORDS`` words; longer ones are cut. Accents are not folded yet:
"Chloe" does not find "Chloé" (PostgreSQL's ``unaccent`` would, SQLite has none).

Texts (offers and needs, recommendations, contributions: to come)
------------------------------------------------------------------
Texts are written in Dutch, French or English. Extend this module with a
``matching_texts(queryset, query, *, fields, language)`` that, on PostgreSQL,
uses ``django.contrib.postgres.search`` (a ``SearchVector`` per language with
the ``dutch``, ``french`` and ``english`` configurations, stored in a
generated or trigger-kept column with a GIN index, ranked with ``SearchRank``)
and, on SQLite, falls back to ``words`` with ``icontains`` on each field (or
FTS5). Keep the same entry point for both databases, like ``matching_people``,
so pages and tests never branch on the database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeVar

from django.db import models
from django.db.models import Q, QuerySet

MAX_WORDS = 6
_SEPARATORS = re.compile(r"[\s,;]+")

M = TypeVar("M", bound=models.Model)


def words(query: str) -> list[str]:
    """The words of ``query``: split on spaces, commas and semicolons, without empty ones, at most ``MAX_WORDS``."""
    return [word for word in _SEPARATORS.split(query.strip()) if word][:MAX_WORDS]


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
