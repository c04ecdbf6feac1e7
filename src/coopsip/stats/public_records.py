"""What coopsip publishes for reuse (the API and the open-data ZIP): public records only, allow-listed fields.

Each ``*_row`` function names every field it returns; nothing is copied from a model by
reflection, so a field added to a model later is never published by accident. The
querysets hold only what a visitor already sees on the site: published editions and their
themes and phases, events open to everyone, recommendations whose board decision is
published, the public projects of those decisions. Never a person: no names, emails,
authors, attendees, video links, drafts, consent answers or unpublished decisions.
The tests in ``api/tests`` look for each of those.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from coopsip.editions.models import Edition, Phase, Theme
from coopsip.editions.selectors import published_editions
from coopsip.events.models import Audience, Event
from coopsip.recommendations.models import BoardDecision, FollowUpProject, Milestone, Recommendation
from coopsip.recommendations.selectors_followup import has_published_decision, with_outcome

Row = dict[str, Any]


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def editions() -> QuerySet[Edition]:
    return published_editions().order_by("-starts_on", "pk")


def edition_row(edition: Edition) -> Row:
    return {
        "slug": edition.slug,
        "sip_number": edition.sip_number,
        "title": edition.title,
        "starts_on": _iso(edition.starts_on),
        "ends_on": _iso(edition.ends_on),
        "countries": edition.countries,
        "status": str(edition.status.value),
        "url": reverse("editions:detail", kwargs={"slug": edition.slug}),
    }


def themes() -> QuerySet[Theme]:
    return (
        Theme.objects.filter(edition__in=published_editions())
        .select_related("edition")
        .order_by("-edition__starts_on", "position", "pk")
    )


def theme_row(theme: Theme) -> Row:
    return {
        "id": theme.pk,
        "edition": theme.edition.slug,
        "slug": theme.slug,
        "position": theme.position,
        "title": theme.title,
        "summary": theme.summary,
        "countries": theme.countries,
        "continues_theme": theme.extends_id,
        "url": reverse("editions:theme", kwargs={"slug": theme.edition.slug, "theme_slug": theme.slug}),
    }


def phases() -> QuerySet[Phase]:
    return (
        Phase.objects.filter(edition__in=published_editions())
        .select_related("edition")
        .order_by("-edition__starts_on", "starts_on", "pk")
    )


def phase_row(phase: Phase) -> Row:
    return {
        "id": phase.pk,
        "edition": phase.edition.slug,
        "kind": phase.kind,
        "title": phase.display_title,
        "starts_on": _iso(phase.starts_on),
        "ends_on": _iso(phase.ends_on),
    }


def public_events() -> QuerySet[Event]:
    """Events open to everyone (never a members' event or a group's meeting)."""
    return (
        Event.objects.filter(audience=Audience.PUBLIC, circle__isnull=True)
        .select_related("place", "edition")
        .order_by("-starts_at", "pk")
    )


def event_row(event: Event) -> Row:
    return {
        "id": event.pk,
        "title": event.title,
        "description": event.description,
        "kind": event.kind,
        "format": event.format,
        "sector": event.sector,
        "language": event.language,
        "starts_at": _iso(event.starts_at),
        "ends_at": _iso(event.ends_at),
        "attendance": event.attendance,
        "place": event.place.name if event.place_id and event.place else None,
        "address": (event.place.address if event.place_id and event.place else event.address) or None,
        "edition": event.edition.slug if event.edition_id and event.edition else None,
        "theme": event.theme_id,
        "cancelled": event.cancelled_at is not None,
        "url": reverse("events:detail", kwargs={"pk": event.pk}),
        "ical_url": reverse("events:calendar", kwargs={"pk": event.pk}),
    }


RECOMMENDATION_ORDER = ("-edition__starts_on", "theme_id", "pk")


def _readable(rows: QuerySet[Recommendation]) -> QuerySet[Recommendation]:
    return with_outcome(rows).select_related("edition", "group__office").order_by(*RECOMMENDATION_ORDER)


def recommendations() -> QuerySet[Recommendation]:
    """Recommendations whose board decision (their own or their synthesis's) is published."""
    return _readable(Recommendation.objects.filter(has_published_decision()))


def recommendation_slice(rows: QuerySet[Recommendation], start: int, stop: int) -> list[Recommendation]:
    """``rows[start:stop]`` of a (filtered) ``recommendations()``, in one query that reads only what it shows.

    The page's ids are picked by an inner query that sorts ids only; the outer one reads those rows whole
    with their edition, office and outcome. Sorting every published recommendation with its edition's and
    office's texts attached took most of the list's time in the database (EXPLAIN, docs/statistics-api.md).
    """
    page = rows.values("pk")[start:stop]
    return list(_readable(Recommendation.objects.filter(pk__in=page)))


def public_projects() -> QuerySet[FollowUpProject]:
    return FollowUpProject.objects.filter(public=True, decision__published_at__isnull=False)


def decisions_for(rows: list[Recommendation]) -> dict[int, Row]:
    """The published decisions of ``rows`` with their public projects and milestones (three queries)."""
    ids = {getattr(row, "decision_pk", None) for row in rows} - {None}
    projects = public_projects().order_by("pk").prefetch_related(Prefetch("milestones", Milestone.objects.all()))
    found = BoardDecision.objects.filter(pk__in=ids, published_at__isnull=False).prefetch_related(
        Prefetch("projects", projects, to_attr="public_projects")
    )
    return {decision.pk: decision_row(decision) for decision in found}


def decision_row(decision: BoardDecision) -> Row:
    return {
        "id": decision.pk,
        "decision": decision.decision,
        "meeting_date": _iso(decision.meeting_date),
        "published_at": _iso(decision.published_at),
        "answer": decision.answer,
        "projects": [project_row(p) for p in getattr(decision, "public_projects", [])],
    }


def project_row(project: FollowUpProject) -> Row:
    return {
        "id": project.pk,
        "title": project.title,
        "description": project.description,
        "status": project.status,
        "progress": project.progress,
        "started_on": _iso(project.started_on),
        "ended_on": _iso(project.ended_on),
        "link": project.link or None,
        "milestones": [
            {"title": m.title, "due_on": _iso(m.due_on), "reached_on": _iso(m.reached_on)}
            for m in project.milestones.all()
        ],
    }


def recommendation_row(recommendation: Recommendation, decisions: dict[int, Row]) -> Row:
    group = recommendation.group
    return {
        "id": recommendation.pk,
        "edition": recommendation.edition.slug,
        "theme": recommendation.theme_id,
        "title": recommendation.title,
        "language": recommendation.language,
        "need": recommendation.need,
        "proposal": recommendation.proposal,
        "actions": recommendation.actions,
        "office": group.office.name if group is not None and group.office is not None else None,
        "decision": decisions.get(getattr(recommendation, "decision_pk", None) or 0),
        "url": reverse("recommendations_public:detail", kwargs={"pk": recommendation.pk}),
    }


def recommendation_rows(rows: list[Recommendation]) -> list[Row]:
    decisions = decisions_for(rows)
    return [recommendation_row(row, decisions) for row in rows]


def decisions_by_recommendation(rows: list[Row]) -> dict[int, list[int]]:
    """{decision id: [recommendation ids]} of serialised recommendations (a synthesis answers several)."""
    grouped: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        if row["decision"]:
            grouped[row["decision"]["id"]].append(row["id"])
    return grouped
