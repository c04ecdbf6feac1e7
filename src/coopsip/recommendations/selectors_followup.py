"""Reads for the follow-up pages: what became of each recommendation, a synthesis page, the board's bundle.

Every list is a bounded queryset whose number of queries does not grow with its length (the tests pin it).
A recommendation's decision is either its own (``BoardDecision.recommendation``) or the one of the synthesis
it went into; ``with_outcome`` puts both in one row with subqueries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from coopsip.editions.models import Edition
from coopsip.recommendations import search
from coopsip.recommendations.models import (
    BoardDecision,
    FollowUpProject,
    Recommendation,
    RecommendationStatus,
    Synthesis,
    SynthesisSource,
    TestProject,
    TestProjectStatus,
)

# Statuses once a group gave the recommendation to the team (staff and the board read these).
SUBMITTED_OR_LATER = (
    RecommendationStatus.SUBMITTED,
    RecommendationStatus.IN_SYNTHESIS,
    RecommendationStatus.SYNTHESISED,
    RecommendationStatus.DECIDED,
)
NO_PROJECT = "none"


def _decisions(*, published_only: bool) -> tuple[QuerySet[BoardDecision], QuerySet[BoardDecision]]:
    direct = BoardDecision.objects.filter(recommendation=OuterRef("pk"))
    through = BoardDecision.objects.filter(synthesis__source_links__recommendation=OuterRef("pk"))
    if published_only:
        direct = direct.filter(published_at__isnull=False)
        through = through.filter(published_at__isnull=False)
    return direct, through


def with_outcome(queryset: QuerySet[Recommendation], *, published_only: bool = True) -> QuerySet[Recommendation]:
    """Recommendations with ``decision_pk``, ``decision_kind`` and ``project_status`` (the first public project)."""
    direct, through = _decisions(published_only=published_only)
    projects = FollowUpProject.objects.filter(decision_id=OuterRef("decision_pk"), public=True).order_by("pk")
    return queryset.annotate(
        decision_pk=Coalesce(Subquery(direct.values("pk")[:1]), Subquery(through.order_by("pk").values("pk")[:1])),
        decision_kind=Coalesce(
            Subquery(direct.values("decision")[:1]), Subquery(through.order_by("pk").values("decision")[:1])
        ),
        project_status=Subquery(projects.values("status")[:1]),
    )


def has_published_decision() -> Q:
    direct, through = _decisions(published_only=True)
    return Q(Exists(direct)) | Q(Exists(through))


@dataclass(frozen=True)
class OutcomeFilter:
    edition: str = ""  # slug
    theme: int | None = None
    decision: str = ""
    project: str = ""  # a ProjectStatus, or NO_PROJECT
    query: str = ""  # words to find in the title, need, proposal and actions (core.search)


def outcomes(filters: OutcomeFilter) -> QuerySet[Recommendation]:
    """Every recommendation since 2015 with a published decision, newest edition first (the public list)."""
    rows = with_outcome(
        Recommendation.objects.filter(has_published_decision()).select_related("edition", "theme", "group__office")
    )
    if filters.edition:
        rows = rows.filter(edition__slug=filters.edition)
    if filters.theme is not None:
        rows = rows.filter(theme_id=filters.theme)
    if filters.decision:
        rows = rows.filter(**{"decision_kind": filters.decision})
    if filters.project == NO_PROJECT:
        rows = rows.filter(**{"project_status__isnull": True})
    elif filters.project:
        rows = rows.filter(**{"project_status": filters.project})
    order = ("-edition__starts_on", "theme__position", "theme_id", "pk")
    if filters.query.strip():
        # The best matches first (SearchRank on PostgreSQL, the stems found on SQLite).
        return search.matching(rows, filters.query).order_by("-search_rank", *order)
    return rows.order_by(*order)


def may_be_seen_in_public(recommendation: Recommendation) -> bool:
    return Recommendation.objects.filter(pk=recommendation.pk).filter(has_published_decision()).exists()


# ---------------------------------------------------------------------------
# A recommendation's journey, as one history


@dataclass(frozen=True)
class Step:
    """One moment of the journey: when, what kind (for the icon and the heading), and what to show."""

    when: date | datetime | None
    kind: str
    title: str
    detail: Any = None
    items: list[Any] = field(default_factory=list)


def decision_of(recommendation: Recommendation, *, published_only: bool) -> BoardDecision | None:
    decisions = BoardDecision.objects.filter(
        Q(recommendation=recommendation) | Q(synthesis__source_links__recommendation=recommendation)
    ).select_related("synthesis")
    if published_only:
        decisions = decisions.filter(published_at__isnull=False)
    return decisions.order_by("pk").first()


def journey(recommendation: Recommendation, *, show_unpublished: bool, show_group_work: bool) -> dict[str, Any]:
    """Everything the journey page shows, in a fixed number of queries.

    ``show_unpublished``: staff and the board see a decision before it is published. ``show_group_work``:
    the versions' authors and the consent reasons are the group's (its members, staff, its advisor).
    """
    versions = list(recommendation.versions.order_by("number").select_related("author"))
    rounds = list(recommendation.consent_rounds.order_by("opened_at"))
    ideas = list(recommendation.ideas.order_by("created_at"))
    links = list(
        SynthesisSource.objects.filter(recommendation=recommendation)
        .select_related("synthesis__info_event")
        .prefetch_related(
            Prefetch(
                "synthesis__source_links",
                queryset=SynthesisSource.objects.select_related("recommendation__group__office"),
            )
        )
    )
    _synthesis_moments(links)
    decision = decision_of(recommendation, published_only=not show_unpublished)
    projects = (
        list(decision.projects.filter(public=True).prefetch_related("milestones", "updates").order_by("pk"))
        if decision is not None
        else []
    )
    tests = list(
        TestProject.objects.filter(recommendation=recommendation)
        .exclude(status__in=[TestProjectStatus.PROPOSED, TestProjectStatus.REFUSED])
        .select_related("evaluation", "group")
    )
    return {
        "ideas": ideas,
        "versions": versions,
        "rounds": [r for r in rounds if r.closed_at is not None],
        "links": links,
        "decision": decision,
        "projects": projects,
        "tests": tests,
        "show_group_work": show_group_work,
    }


# What happened to a synthesis after it was made, read from its history (core.audit): the groups told, the
# opening to every member (with the info moment), the sending to the board. Kind → the change recorded.
SYNTHESIS_MOMENTS = (
    ("with_groups", "status", "with_groups"),
    ("open_to_members", "comments_open", True),
    ("to_board", "status", "to_board"),
)


def _synthesis_moments(links: list[SynthesisSource]) -> None:
    """Give each link's synthesis ``moments`` (a list of Step, in time order) and ``comment_count``; two queries
    for all of them."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Count

    from coopsip.core.models import ChangeRecord

    syntheses = {link.synthesis_id: link.synthesis for link in links}
    if not syntheses:
        return
    counts = dict(
        Synthesis.objects.filter(pk__in=syntheses).annotate(n=Count("comments")).values_list("pk", "n")
    )  # fmt: skip
    records = ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Synthesis), object_id__in=list(syntheses)
    ).order_by("at", "pk")
    moments: dict[int, list[Step]] = {pk: [] for pk in syntheses}
    for record in records.only("object_id", "at", "changes"):
        changes = record.changes if isinstance(record.changes, dict) else {}
        for kind, name, value in SYNTHESIS_MOMENTS:
            change = changes.get(name)
            if isinstance(change, list) and len(change) == 2 and change[1] == value:
                moments[record.object_id].append(Step(when=record.at, kind=kind, title=""))
    for pk, synthesis in syntheses.items():
        synthesis.moments = moments[pk]  # type: ignore[attr-defined]
        synthesis.comment_count = counts.get(pk, 0)  # type: ignore[attr-defined]


# ---------------------------------------------------------------------------
# Staff: a theme's submitted recommendations; the board: an edition's bundle


def theme_recommendations(theme_id: int, query: str = "") -> QuerySet[Recommendation]:
    """Every recommendation of the theme a group gave to the team, across groups and countries (those
    holding every word of ``query``, best first, when one is given)."""
    rows = (
        Recommendation.objects.filter(theme_id=theme_id, status__in=SUBMITTED_OR_LATER)
        .select_related("group__office")
        # Decided as it is by the board: it goes into no synthesis (the page offers no "Keep as it is").
        .annotate(board_decided=Exists(BoardDecision.objects.filter(recommendation=OuterRef("pk"))))
    )
    if query.strip():
        return search.matching(rows, query).order_by("-search_rank", "status", "language", "pk")
    return rows.order_by("status", "language", "pk")


def bundle(edition: Edition) -> list[dict[str, Any]]:
    """Per theme: the syntheses sent to the board and the recommendations with the board on their own."""
    syntheses = list(
        Synthesis.objects.filter(edition=edition, status__in=["to_board", "decided"])
        .select_related("theme")
        .prefetch_related(
            Prefetch("source_links", queryset=SynthesisSource.objects.select_related("recommendation__group__office"))
        )
        .order_by("theme__position", "pk")
    )
    decisions = {
        d.synthesis_id or ("r", d.recommendation_id): d
        for d in BoardDecision.objects.filter(Q(synthesis__edition=edition) | Q(recommendation__edition=edition))
    }
    # Submitted ones, and those the board decided as they are (still listed, with their decision, once published).
    alone = list(
        Recommendation.objects.filter(edition=edition)
        .filter(
            Q(status=RecommendationStatus.SUBMITTED) | Q(status=RecommendationStatus.DECIDED, decision__isnull=False)
        )
        .exclude(synthesis_links__isnull=False)
        .select_related("theme", "group__office")
        .order_by("theme__position", "pk")
    )
    themes: dict[int, dict[str, Any]] = {}
    for theme in edition.themes.order_by("position", "pk"):
        themes[theme.pk] = {"theme": theme, "syntheses": [], "recommendations": []}
    for synthesis in syntheses:
        themes[synthesis.theme_id]["syntheses"].append(
            {"synthesis": synthesis, "decision": decisions.get(synthesis.pk)}
        )
    for recommendation in alone:
        themes[recommendation.theme_id]["recommendations"].append(
            {"recommendation": recommendation, "decision": decisions.get(("r", recommendation.pk))}
        )
    return [entry for entry in themes.values() if entry["syntheses"] or entry["recommendations"]]
