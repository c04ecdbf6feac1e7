"""Figures beyond the working groups: recommendations and their follow-up, networking, surveys.

Read through the other apps' own selectors (``recommendations.selectors_followup``,
``networking.selectors`` and ``networking.followup``), never their services, and computed
in the database (one aggregate query per table). People counts go through
``stats.suppression`` like every other figure: ``protect`` where a column adds up to a
total shown beside it. Cached in the shared cache with the overview (same generation:
"compute again" forgets both).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.events.models import Event, SignUp, SignUpStatus
from coopsip.networking.followup import networking_events_q
from coopsip.networking.models import Category, Kind, Level
from coopsip.networking.selectors import shown_listings
from coopsip.recommendations.models import ProjectStatus, Recommendation
from coopsip.recommendations.selectors_followup import SUBMITTED_OR_LATER, has_published_decision, with_outcome
from coopsip.registrations.models import Registration, RegistrationStatus
from coopsip.stats.presentation import Cell, Table
from coopsip.stats.selectors import CACHE_SECONDS, _generation
from coopsip.stats.suppression import people, protect, rate
from coopsip.surveys.models import AudienceKind, Survey

NO_PROJECT = "none"


@dataclass(frozen=True)
class SurveyFigures:
    title: str
    audience: str
    closes_at: datetime
    sent: int
    audience_size: int | None  # None when the audience cannot be counted from the registrations


@dataclass(frozen=True)
class Activity:
    """Raw counts (people counts are suppressed where shown)."""

    themes: list[tuple[str, str, int, int]]  # (edition slug, theme title, submitted, decided)
    follow_up: dict[str, int]  # project status (or NO_PROJECT) -> recommendations with a published decision
    listings: dict[tuple[str, str], int]  # (category, kind) -> offers or needs shown now
    listing_authors: dict[str, int]  # kind -> distinct members who published one shown now
    events: dict[str, tuple[int, int]]  # level -> (networking events held, people present)
    surveys: list[SurveyFigures]  # surveys whose results are published, newest first


def compute(*, now: datetime | None = None) -> Activity:
    now = now or timezone.now()
    submitted = Recommendation.objects.filter(status__in=SUBMITTED_OR_LATER)
    per_theme = (
        submitted.values("theme_id", "theme__title", "edition__slug", "edition__starts_on", "theme__position")
        .annotate(n=Count("pk"), decided=Count("pk", filter=has_published_decision()))
        .order_by("-edition__starts_on", "theme__position", "theme_id")
    )
    themes = [(row["edition__slug"], row["theme__title"], row["n"], row["decided"]) for row in per_theme]
    follow_up = {
        row["follow_up_status"] or NO_PROJECT: row["n"]
        for row in with_outcome(Recommendation.objects.filter(has_published_decision()))
        .annotate(follow_up_status=Coalesce("project_status", Value(NO_PROJECT)))
        .values("follow_up_status")
        .annotate(n=Count("pk"))
        .order_by()
    }
    shown = shown_listings(now)
    listings = {
        (row["category"], row["kind"]): row["n"]
        for row in shown.values("category", "kind").annotate(n=Count("pk")).order_by()
    }
    authors = {
        row["kind"]: row["n"] for row in shown.values("kind").annotate(n=Count("author_id", distinct=True)).order_by()
    }
    held = Event.objects.filter(networking_events_q(), cancelled_at__isnull=True, starts_at__lt=now)
    level = Coalesce("follow_up__level", Value(Level.LOCAL))
    counted = {
        row["level"]: (row["n"], row["headcount"] or 0)
        for row in held.annotate(level=level)
        .values("level")
        .annotate(n=Count("pk", distinct=True), headcount=Sum("follow_up__headcount"))
        .order_by()
    }
    present = {
        row["level"]: row["n"]
        for row in SignUp.objects.filter(event__in=held, status=SignUpStatus.ATTENDED)
        .annotate(level=Coalesce("event__follow_up__level", Value(Level.LOCAL)))
        .values("level")
        .annotate(n=Count("pk"))
        .order_by()
    }
    events = {key: (n, headcount + present.get(key, 0)) for key, (n, headcount) in counted.items()}
    published = list(
        Survey.objects.filter(results_published_at__isnull=False)
        .annotate(sent=Count("responses", filter=Q(responses__submitted_at__isnull=False, responses__in_pilot=False)))
        .order_by("-closes_at", "pk")[:100]
    )
    editions = {survey.audience_edition_id for survey in published if survey.audience == AudienceKind.EDITION}
    sizes = dict(
        Registration.objects.filter(edition_id__in=editions)
        .exclude(status=RegistrationStatus.WITHDRAWN)
        .values_list("edition_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("edition_id", "n")
    )
    surveys = [
        SurveyFigures(
            title=survey.title,
            audience=survey.audience,
            closes_at=survey.closes_at,
            sent=getattr(survey, "sent", 0),
            audience_size=sizes.get(survey.audience_edition_id or 0, 0)
            if survey.audience == AudienceKind.EDITION
            else None,
        )
        for survey in published
    ]
    return Activity(themes, follow_up, listings, authors, events, surveys)


def activity() -> Activity:
    """``compute`` through the shared cache, forgotten with the overview."""
    key = f"stats:activity:{_generation()}"
    cached: Activity | None = cache.get(key)
    if cached is None:
        cached = compute()
        cache.set(key, cached, CACHE_SECONDS)
    return cached


# ---------------------------------------------------------------------------
# Tables (the page shows them, the CSV links stream them)


def themes_table(data: Activity) -> Table:
    return Table(
        "themes",
        _("Recommendations per theme"),
        (_("Edition"), _("Theme"), _("Recommendations submitted"), _("Recommendations decided")),
        ("edition", "theme", "recommendations_submitted", "recommendations_decided"),
        [(slug, title, n, decided) for slug, title, n, decided in data.themes],
    )


def follow_up_table(data: Activity) -> Table:
    labels: list[tuple[str, str]] = [(str(value), str(label)) for value, label in ProjectStatus.choices]
    labels.append((NO_PROJECT, _("no project yet")))
    return Table(
        "follow_up",
        _("Decided recommendations, by the status of their follow-up"),
        (_("Follow-up"), _("Recommendations decided")),
        ("follow_up", "recommendations_decided"),
        [(label, data.follow_up.get(value, 0)) for value, label in labels],
    )


def listings_table(data: Activity, *, exact: bool = False) -> Table:
    kinds = (Kind.OFFER, Kind.NEED)
    counts = [[data.listings.get((str(category), str(kind)), 0) for kind in kinds] for category in Category.values]
    protected = protect(counts, exact=exact)
    rows: list[tuple[Cell, ...]] = [
        (str(label), *figures) for (_value, label), figures in zip(Category.choices, protected, strict=True)
    ]
    authors = [people(data.listing_authors.get(str(kind), 0), exact=exact) for kind in kinds]
    rows.append((_("members who published them"), *authors))
    return Table(
        "listings",
        _("Offers and needs shown now, by what they are about"),
        (_("What"), _("Offers"), _("Needs")),
        ("category", "offers", "needs"),
        rows,
    )


def events_table(data: Activity, *, exact: bool = False) -> Table:
    levels = Level.choices
    present = protect([[data.events.get(str(value), (0, 0))[1]] for value, _label in levels], exact=exact)
    return Table(
        "networking_events",
        _("Networking events held, by level"),
        (_("Level"), _("Events held"), _("People present")),
        ("level", "events", "people_present"),
        [
            (str(label), data.events.get(str(value), (0, 0))[0], figures[0])
            for (value, label), figures in zip(levels, present, strict=True)
        ],
    )


def surveys_table(data: Activity, *, exact: bool = False) -> Table:
    """Public: per audience kind (survey titles and results are for their audience); staff: per survey."""
    if exact:
        return Table(
            "surveys",
            _("Surveys whose results are published: responses"),
            (_("Survey"), _("Audience"), _("Closes"), _("Responses sent"), _("Response rate (%)")),
            ("survey", "audience", "closes", "responses", "response_rate"),
            [
                (
                    survey.title,
                    str(AudienceKind(survey.audience).label),
                    survey.closes_at.date().isoformat(),
                    people(survey.sent, exact=True),
                    rate(survey.sent, survey.audience_size, exact=True) if survey.audience_size is not None else None,
                )
                for survey in data.surveys
            ],
        )
    per_kind: dict[str, list[SurveyFigures]] = {}
    for survey in data.surveys:
        per_kind.setdefault(survey.audience, []).append(survey)
    rows: list[tuple[Cell, ...]] = []
    for value, label in AudienceKind.choices:
        found = per_kind.get(str(value), [])
        if not found:
            continue
        sent = sum(survey.sent for survey in found)
        sizes = [survey.audience_size for survey in found]
        counted = None if any(size is None for size in sizes) else sum(size or 0 for size in sizes)
        rows.append(
            (
                str(label),
                len(found),
                people(sent),
                rate(sent, counted) if counted is not None else None,
            )
        )
    return Table(
        "surveys",
        _("Surveys whose results are published: responses"),
        (_("Audience"), _("Surveys"), _("Responses sent"), _("Response rate (%)")),
        ("audience", "surveys", "responses", "response_rate"),
        rows,
    )


def tables(data: Activity, *, exact: bool = False) -> dict[str, Table]:
    found = [
        themes_table(data),
        follow_up_table(data),
        listings_table(data, exact=exact),
        events_table(data, exact=exact),
        surveys_table(data, exact=exact),
    ]
    return {table.key: table for table in found}
