"""Reads of the member register: the search (``search_register``) and the register page (``register_page``).

A page of the register costs two queries whatever the register's size: a count that stops at ``COUNTED + 1``
entries, and the page's entries. How the page's entries are found depends on that count (measured in
bench/register_search.py, 35,000 entries on PostgreSQL):

- up to ``COUNTED`` matches: PostgreSQL finds them through the search indexes and sorts them
  (``search_register``'s order, which no index serves: walking the name index instead would read every
  entry before the first "Van…" for a search for "van");
- more than ``COUNTED``, or no search at all: it walks the name index (``registerentry_name_order``) from the
  start and stops at the page's end; with that many matches the first ones are near. The page then says
  "more than ``COUNTED``" and its pages go as far as the first ``COUNTED``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet

from coopsip.core.search import PersonFields, matching_people, words
from coopsip.members.models import RegisterEntry

REGISTER_SEARCH = PersonFields(
    names=("first_name", "last_name"), emails=("email",), numbers=("member_number",), text="search_text"
)
NAME_ORDER = ("last_name", "first_name", "member_number")  # the register's order, the index registerentry_name_order
PAGE_SIZE = 50
COUNTED = 5000  # a register page counts its entries up to this many, and shows at most this many
SHOWN = ("member_number", "first_name", "last_name", "status", "user_id")  # what the register page shows


class _Unindexed(models.Func):
    """``field || ''``: the same value, in the same order, which no index serves."""

    template = "(%(expressions)s || '')"
    output_field = models.TextField()


# The register's order as a sort of the rows found: the planner cannot walk the name index for it (and
# read rows in name order until enough match, which is slow when the matches are all near the end).
SORTED_BY_NAME = tuple(_Unindexed(name) for name in NAME_ORDER)


def search_register(*, query: str) -> QuerySet[RegisterEntry]:
    """Register entries by name in any order, part of the email address or the start of the member number,
    in the register's order (last name, first name, number): the entries found, sorted."""
    entries = RegisterEntry.objects.all()
    if not words(query):
        return entries.order_by(*NAME_ORDER)
    return matching_people(entries, query, fields=REGISTER_SEARCH).order_by(*SORTED_BY_NAME)


class _CountedPaginator(Paginator[RegisterEntry]):
    """A paginator told its count, so it does not count again."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@dataclass(frozen=True)
class RegisterPage:
    """One page of the register's entries for a search; ``more_than`` is ``COUNTED`` when more entries match
    (the pages then hold the first ``COUNTED``), else None."""

    page: Page[RegisterEntry]
    more_than: int | None


def register_page(*, query: str, page: str | int | None) -> RegisterPage:
    """The ``page``-th page of ``PAGE_SIZE`` entries ``query`` finds (the last one if past the end), in two queries."""
    entries = search_register(query=query).only(*SHOWN)
    found = entries.order_by()[: COUNTED + 1].count()
    if found > COUNTED:
        entries = entries.order_by(*NAME_ORDER)
    paginator = _CountedPaginator(entries, PAGE_SIZE, count=min(found, COUNTED))
    return RegisterPage(paginator.get_page(page), COUNTED if found > COUNTED else None)
