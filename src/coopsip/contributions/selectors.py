"""Reads of contributions: a fixed number of queries whatever their number."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from coopsip.contributions.models import Answer, Contribution, UsefulMark
from coopsip.core.access import is_staff_member
from coopsip.editions.models import Theme


def visible_to(user: Any) -> Q:
    """Hidden contributions are seen by staff and by their author only."""
    if is_staff_member(user):
        return Q()
    return Q(hidden_at__isnull=True) | Q(author_id=user.pk)


def contributions_of(*, theme: Theme, user: Any) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(theme=theme)
        .filter(visible_to(user))
        .select_related("author", "resource")
        .annotate(
            useful=Count("useful_marks", distinct=True),
            answer_count=Count("answers", distinct=True),
            marked=Exists(UsefulMark.objects.filter(contribution=OuterRef("pk"), user_id=user.pk)),
        )
        .order_by("-highlighted", "-created_at", "-pk")
    )


def contribution_for(*, pk: int, user: Any) -> Contribution | None:
    return (
        Contribution.objects.filter(pk=pk)
        .filter(visible_to(user))
        .select_related("author", "theme__edition", "resource")
        .annotate(
            useful=Count("useful_marks", distinct=True),
            marked=Exists(UsefulMark.objects.filter(contribution=OuterRef("pk"), user_id=user.pk)),
        )
        .first()
    )


def answers_of(contribution: Contribution) -> QuerySet[Answer]:
    return Answer.objects.filter(contribution=contribution).select_related("author")


def count_on(theme: Theme) -> int:
    return Contribution.objects.filter(theme=theme, hidden_at__isnull=True).count()
