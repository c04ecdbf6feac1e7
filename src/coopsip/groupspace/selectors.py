"""Reads for the group space: ranked date options, who answered what, open polls awaiting someone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from coopsip.events.models import CircleMember
from coopsip.groupspace.models import Availability, DateAnswer, DateOption, DatePoll, Document, Post, Thread


@dataclass(frozen=True)
class OptionResult:
    option: DateOption
    yes: int
    if_need_be: int
    no: int
    best: bool  # among the options with the most yes, then the most "if need be"


def ranked_options(poll: DatePoll) -> list[OptionResult]:
    """The poll's options, best first: the most yes, then the most "if need be", then the earliest (one query)."""
    options = list(
        poll.options.annotate(
            yes=Count("answers", filter=Q(answers__answer=Availability.YES)),
            maybe=Count("answers", filter=Q(answers__answer=Availability.IF_NEED_BE)),
            no=Count("answers", filter=Q(answers__answer=Availability.NO)),
        )
    )
    options.sort(key=lambda o: (-o.yes, -o.maybe, o.starts_at, o.pk))
    top = (options[0].yes, options[0].maybe) if options else None
    return [
        OptionResult(
            option=o,
            yes=o.yes,
            if_need_be=o.maybe,
            no=o.no,
            best=top is not None and top != (0, 0) and (o.yes, o.maybe) == top,
        )
        for o in options
    ]


def answers_of(*, poll: DatePoll, user: Any) -> dict[int, str]:
    """The person's answer per option id (one query)."""
    if not user.is_authenticated:
        return {}
    return dict(DateAnswer.objects.filter(option__poll=poll, user=user).values_list("option_id", "answer"))


@dataclass(frozen=True)
class AnswerRow:
    name: str
    answers: list[str]  # per option, in the order of the options given; "" when not answered


def answer_grid(*, poll: DatePoll, options: list[DateOption]) -> list[AnswerRow]:
    """Who answered what, one row per member of the group (two queries)."""
    members = list(
        CircleMember.objects.filter(circle_id=poll.circle_id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    given: dict[tuple[int, int], str] = {
        (user_id, option_id): answer
        for user_id, option_id, answer in DateAnswer.objects.filter(option__poll=poll).values_list(
            "user_id", "option_id", "answer"
        )
    }
    return [
        AnswerRow(
            name=m.user.get_full_name() or m.user.email,
            answers=[given.get((m.user_id, option.pk), "") for option in options],
        )
        for m in members
    ]


def polls_of(circle_id: int) -> QuerySet[DatePoll]:
    return (
        DatePoll.objects.filter(circle_id=circle_id)
        .select_related("created_by", "chosen", "event")
        .annotate(option_count=Count("options", distinct=True))
        .order_by("-created_at", "-pk")
    )


def polls_awaiting(user: Any) -> list[DatePoll]:
    """Open polls of the person's groups with dates to come that they have not answered yet (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        DatePoll.objects.filter(
            circle__memberships__user=user, closed_at__isnull=True, options__starts_at__gt=timezone.now()
        )
        .exclude(options__answers__user=user)
        # What names the group on the personal home (events' circle_name): a sector network's own name, or the
        # working group's theme and place.
        .select_related("circle__sector_network", "circle__working_group__theme", "circle__working_group__office")
        .distinct()
        .order_by("created_at", "pk")[:5]
    )


def documents_of(circle_id: int) -> QuerySet[Document]:
    return Document.objects.filter(circle_id=circle_id).select_related("added_by")


def threads_of(circle_id: int) -> QuerySet[Thread]:
    return Thread.objects.filter(circle_id=circle_id).select_related("started_by")


def posts_of(thread: Thread) -> QuerySet[Post]:
    return thread.posts.select_related("author")


def space_name(circle: Any) -> str:
    """The group's name in the reader's language: a working group's theme (translated), place and code.

    The circle's own name was written once, in the language active when the group started (Dutch, usually).
    """
    group = getattr(circle, "working_group", None)  # no such group: Django's error is an AttributeError
    if group is None:
        return str(circle.name)
    from coopsip.groups.services import group_place

    return f"{group.theme.title} – {group_place(group)} ({group.key})"
