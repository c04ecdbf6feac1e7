"""Search over recommendations through the site's one search service, ``core.search``.

A recommendation's title (weight A) and its need, proposal and concrete actions (weight B) are indexed in
the language it was written in: Snowball stems in ``search_stems`` on every database, and on PostgreSQL a
``tsvector`` with the ``dutch``, ``french`` or ``english`` configuration in ``search_vector`` (GIN index).
``core.search.matching_texts`` then finds "comité" in "comités", "ethisch" in "ethische", on both databases.

The text of a recommendation changes only through ``services.create_draft`` and ``services.save_draft``
(and the archive loaded by the demo), which call ``index_recommendations``; once submitted it is frozen.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from coopsip.core.search import TextPart, index_texts, matching_texts

INDEXED_FIELDS = ("title", "language", "need", "proposal", "actions")


def parts(recommendation: Any) -> list[TextPart]:
    language = recommendation.language
    body = "\n".join((recommendation.need, recommendation.proposal, recommendation.actions))
    return [TextPart(recommendation.title, language, "A"), TextPart(body, language)]


def index_recommendations(queryset: QuerySet[Any]) -> int:
    """Write the search columns of every recommendation of ``queryset`` (one UPDATE each). Returns how many."""
    count = 0
    rows = list(queryset.only("pk", *INDEXED_FIELDS).order_by("pk"))
    manager = queryset.model._default_manager.db_manager(queryset.db)
    with transaction.atomic(using=queryset.db):  # one commit, not one per row
        for recommendation in rows:
            index_texts(manager.filter(pk=recommendation.pk), parts(recommendation))
            count += 1
    return count


def matching(queryset: QuerySet[Any], query: str) -> QuerySet[Any]:
    """``queryset`` narrowed to the recommendations whose text holds every word of ``query`` (any form),
    annotated with ``search_rank``; an empty query keeps every row."""
    return matching_texts(queryset, query)
