"""Participation figures, computed in the database: one aggregate query per figure, grouped by edition.

The overview of every edition takes a fixed number of queries whatever the number of
editions, people and meetings (the tests pin it at two data sizes). Counts are raw
here; ``stats.suppression`` turns them into publishable figures where they are shown.

Where a figure comes from, per edition: the platform's own rows when it has any for that
edition (registrations, seats, meetings), else the totals the team recorded for editions
before the platform (``RecordedFigures``), else nothing (zeros and a sentence on the page).
Recommendations, decisions and test projects always come from the platform (the archive's
recommendations are in it).

The overview is cached in the shared cache for ``CACHE_SECONDS``: the figures move slowly
(a registration, a meeting marked), the writes live in other apps' services, and a few
minutes' delay on a public statistics page harms nobody. Staff may refresh it at once.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone, translation

from coopsip.editions.models import CurrentEdition, Edition, Theme
from coopsip.editions.selectors import published_editions
from coopsip.events.models import Event, EventKind, SignUp, SignUpStatus
from coopsip.groups.models import Seat, SeatState, WorkingGroup
from coopsip.places.models import Office
from coopsip.recommendations.models import Recommendation, TestProject, TestProjectStatus
from coopsip.recommendations.selectors_followup import SUBMITTED_OR_LATER, has_published_decision, with_outcome
from coopsip.registrations.models import Registration, RegistrationStatus, ThemePreference
from coopsip.stats.models import RecordedFigures

CACHE_KEY = "stats:overview:v1"
CACHE_SECONDS = 600
RUNNING_TEST_PROJECTS = (TestProjectStatus.APPROVED, TestProjectStatus.RUNNING, TestProjectStatus.EVALUATED)
# "Attending after three meetings" in the funnel: marked present at three group meetings or more.
FUNNEL_MEETINGS = 3

PLATFORM = "platform"
RECORDED = "recorded"
NO_DATA = "none"


@dataclass
class EditionFigures:
    """Raw counts of one edition (people counts are suppressed where shown, not here)."""

    edition: Edition
    source: str = NO_DATA
    # None: not known (a figure the team did not record for an edition before the platform), never 0.
    registrations: int | None = 0
    placed: int | None = 0
    groups: int | None = 0
    meetings_held: int | None = 0
    attended: int = 0  # sign-ups marked present at held group meetings
    marked: int = 0  # sign-ups marked present or absent
    recorded_rate: float | None = None
    recommendations_submitted: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    test_projects: int = 0

    @property
    def decided(self) -> int:
        return sum(self.decisions.values())

    @property
    def has_data(self) -> bool:
        return self.source != NO_DATA or self.recommendations_submitted > 0 or self.test_projects > 0


@dataclass
class Overview:
    editions: list[EditionFigures]  # oldest first
    platform_people: int  # distinct people with a registration (not withdrawn) on the platform
    recorded_people: int  # first-time participants the team recorded before the platform
    computed_at: datetime

    @property
    def distinct_people(self) -> int:
        return self.platform_people + self.recorded_people


def _by_edition(rows: Iterable[dict[str, int]], value: str = "n") -> dict[int, int]:
    """{edition id: count} from rows keyed ``edition_id`` or ``e`` (an edition reached through a relation)."""
    return {row.get("e", row.get("edition_id", 0)): row[value] for row in rows}


def active_registrations() -> QuerySet[Registration]:
    return Registration.objects.exclude(status=RegistrationStatus.WITHDRAWN)


def placed_seats() -> QuerySet[Seat]:
    """Seats of people who accepted their group (also those who left it later: closed, merged, moved)."""
    return Seat.objects.filter(Q(state=SeatState.ACCEPTED) | Q(state=SeatState.LEFT, answered_at__isnull=False))


def held_meetings_signups(now: datetime) -> QuerySet[SignUp]:
    return SignUp.objects.filter(
        event__kind=EventKind.GROUP_MEETING,
        event__circle__working_group__isnull=False,
        event__cancelled_at__isnull=True,
        event__starts_at__lt=now,
    )


def compute_overview(*, now: datetime | None = None) -> Overview:
    """Every published edition's figures, oldest first, in a fixed number of queries (no cache)."""
    now = now or timezone.now()
    editions = list(published_editions(moment=now).order_by("starts_on", "pk"))
    registrations = _by_edition(active_registrations().values("edition_id").annotate(n=Count("pk")).order_by())
    placed = _by_edition(
        placed_seats().values(e=F("group__edition_id")).annotate(n=Count("registration_id", distinct=True)).order_by()
    )
    groups = _by_edition(
        WorkingGroup.objects.filter(activated_at__isnull=False).values("edition_id").annotate(n=Count("pk")).order_by()
    )
    meetings = _by_edition(
        Event.objects.filter(
            kind=EventKind.GROUP_MEETING,
            circle__working_group__isnull=False,
            cancelled_at__isnull=True,
            starts_at__lt=now,
        )
        # annotate() then values("e"): Event is translated (modeltranslation), and its values() given only
        # an expression selects every field, which grouped per meeting and counted 1 per edition.
        .annotate(e=F("circle__working_group__edition_id"))
        .values("e")
        .annotate(n=Count("pk"))
        .order_by()
    )
    attendance = {
        row["e"]: row
        for row in held_meetings_signups(now)
        .values(e=F("event__circle__working_group__edition_id"))
        .annotate(
            attended=Count("pk", filter=Q(status=SignUpStatus.ATTENDED)),
            marked=Count("pk", filter=Q(status__in=[SignUpStatus.ATTENDED, SignUpStatus.ABSENT])),
        )
        .order_by()
    }
    submitted = _by_edition(
        Recommendation.objects.filter(status__in=SUBMITTED_OR_LATER)
        .values("edition_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    decisions: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        with_outcome(Recommendation.objects.filter(has_published_decision()))
        .values("edition_id", *["decision_kind"])
        .annotate(n=Count("pk"))
        .order_by()
    ):
        decisions[row["edition_id"]][row["decision_kind"]] = row["n"]
    test_projects = _by_edition(
        TestProject.objects.filter(status__in=RUNNING_TEST_PROJECTS)
        .values(e=F("group__edition_id"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    recorded = {row.edition_id: row for row in RecordedFigures.objects.all()}
    rows: list[EditionFigures] = []
    recorded_people = 0
    for edition in editions:
        figures = EditionFigures(
            edition=edition,
            recommendations_submitted=submitted.get(edition.pk, 0),
            decisions=dict(decisions.get(edition.pk, {})),
            test_projects=test_projects.get(edition.pk, 0),
        )
        if registrations.get(edition.pk):
            figures.source = PLATFORM
            figures.registrations = registrations[edition.pk]
            figures.placed = placed.get(edition.pk, 0)
            figures.groups = groups.get(edition.pk, 0)
            figures.meetings_held = meetings.get(edition.pk, 0)
            figures.attended = attendance.get(edition.pk, {}).get("attended", 0)
            figures.marked = attendance.get(edition.pk, {}).get("marked", 0)
        elif edition.pk in recorded:
            record = recorded[edition.pk]
            figures.source = RECORDED
            figures.registrations = record.registrations
            figures.placed = record.placed
            figures.groups = record.groups
            figures.meetings_held = record.meetings_held
            figures.recorded_rate = float(record.attendance_rate) if record.attendance_rate is not None else None
            recorded_people += record.first_time_participants or 0
        rows.append(figures)
    platform_people = active_registrations().values("user_id").distinct().count()
    return Overview(editions=rows, platform_people=platform_people, recorded_people=recorded_people, computed_at=now)


def _generation() -> int:
    """Part of every cache key here: ``forget_overview`` moves it on, so every cached figure is computed again."""
    value = cache.get(f"{CACHE_KEY}:generation")
    if value is None:
        value = 1
        cache.add(f"{CACHE_KEY}:generation", value, None)
    return int(value)


def overview() -> Overview:
    """``compute_overview`` through the shared cache (``CACHE_SECONDS``)."""
    key = f"{CACHE_KEY}:{_generation()}"
    cached: Overview | None = cache.get(key)
    if cached is None:
        cached = compute_overview()
        cache.set(key, cached, CACHE_SECONDS)
    return cached


def forget_overview() -> None:
    key = f"{CACHE_KEY}:generation"
    cache.add(key, 1, None)
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def public_breakdowns(edition: Edition) -> dict[str, Breakdown]:
    """Per country, office and theme of ``edition``, through the shared cache like the overview.

    The office and theme labels are their names in the active language: the language is part of the key.
    """
    key = f"stats:breakdowns:v2:{edition.pk}:{translation.get_language()}:{_generation()}"
    cached: dict[str, Breakdown] | None = cache.get(key)
    if cached is None:
        countries = by_country(edition)
        cached = {"country": countries, "office": by_office(edition, countries), "theme": by_theme(edition)}
        cache.set(key, cached, CACHE_SECONDS)
    return cached


# ---------------------------------------------------------------------------
# One edition in detail: per country, office and theme


@dataclass(frozen=True)
class Breakdown:
    """Rows of one table: a label and raw counts, in the order of ``columns``."""

    key: str
    columns: tuple[str, ...]
    rows: Sequence[tuple[str, Sequence[int]]]
    # Other sums of the first column a published total reveals: (rows, rest in no row) — see suppression.protect.
    partial_lines: Sequence[tuple[Sequence[int], int]] = ()


def edition_figures(edition: Edition) -> EditionFigures:
    for row in overview().editions:
        if row.edition.pk == edition.pk:
            return row
    return EditionFigures(edition=edition)


def by_office(edition: Edition, countries: Breakdown | None = None) -> Breakdown:
    """Registrations and people placed per office (the office the person chose; none for video only).

    With the table per ``countries``: the offices of a country plus that country's people
    without an office add up to its registrations there, so each country is a partial line.
    """
    registrations: dict[int | None, int] = dict(
        active_registrations()
        .filter(edition=edition)
        .values_list("office_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("office_id", "n")
    )
    placed: dict[int | None, int] = dict(
        placed_seats()
        .filter(group__edition=edition)
        .values("registration__office_id")
        .annotate(n=Count("registration_id", distinct=True))
        .order_by()
        .values_list("registration__office_id", "n")
    )
    offices = {office.pk: office for office in Office.objects.filter(pk__in=set(registrations) | set(placed))}
    ordered = sorted(offices.values(), key=lambda office: (office.country, office.name))
    rows = [(office.name, (registrations.get(office.pk, 0), placed.get(office.pk, 0))) for office in ordered]
    if registrations.get(None) or placed.get(None):
        rows.append(("", (registrations.get(None, 0), placed.get(None, 0))))
    lines: list[tuple[Sequence[int], int]] = []
    for country, (total, *_rest) in countries.rows if countries else ():
        at = [index for index, office in enumerate(ordered) if office.country == country]
        if country and at:
            lines.append((at, total - sum(rows[index][1][0] for index in at)))
    return Breakdown("office", ("registrations", "placed"), rows, lines)


def by_country(edition: Edition) -> Breakdown:
    """Registrations per country (of the office, else of the home municipality)."""
    counts = (
        active_registrations()
        .filter(edition=edition)
        .values(country=Coalesce("office__country", "municipality__country"))
        .annotate(n=Count("pk"))
        .order_by("country")
    )
    return Breakdown("country", ("registrations",), [(row["country"] or "", (row["n"],)) for row in counts])


def by_theme(edition: Edition) -> Breakdown:
    """Per theme: first choices, people placed, groups, recommendations submitted."""
    first_choices = dict(
        ThemePreference.objects.filter(rank=1, registration__edition=edition)
        .exclude(registration__status=RegistrationStatus.WITHDRAWN)
        .values("theme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("theme_id", "n")
    )
    placed = dict(
        placed_seats()
        .filter(group__edition=edition)
        .values("group__theme_id")
        .annotate(n=Count("registration_id", distinct=True))
        .order_by()
        .values_list("group__theme_id", "n")
    )
    groups = dict(
        WorkingGroup.objects.filter(edition=edition, activated_at__isnull=False)
        .values("theme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("theme_id", "n")
    )
    recommendations = dict(
        Recommendation.objects.filter(edition=edition, status__in=SUBMITTED_OR_LATER)
        .values("theme_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("theme_id", "n")
    )
    rows = [
        (
            theme.title,
            (
                first_choices.get(theme.pk, 0),
                placed.get(theme.pk, 0),
                groups.get(theme.pk, 0),
                recommendations.get(theme.pk, 0),
            ),
        )
        for theme in Theme.objects.filter(edition=edition).order_by("position", "pk")
    ]
    return Breakdown("theme", ("first_choices", "placed", "groups", "recommendations"), rows)


# Columns that count people (suppressed where shown) and those that count things.
PEOPLE_COLUMNS = frozenset({"registrations", "placed", "first_choices", "count"})


# ---------------------------------------------------------------------------
# Staff: more detail, and the current edition's funnel


def staff_breakdowns(edition: Edition) -> list[Breakdown]:
    """Registrations by stakeholder type, gender (where answered), mode, working language and volunteering."""
    base = active_registrations().filter(edition=edition)
    tables = []
    for key in ("stakeholder_type", "gender", "mode"):
        counts = base.values(key).annotate(n=Count("pk")).order_by(key)
        tables.append(Breakdown(key, ("count",), [(row[key] or "", (row["n"],)) for row in counts]))
    # Working languages are a list per registration: counted in Python over one column (staff only).
    languages: Counter[str] = Counter()
    for codes in base.values_list("languages", flat=True):
        languages.update(codes or [])
    tables.append(Breakdown("language", ("count",), [(code, (n,)) for code, n in sorted(languages.items())]))
    volunteering = base.aggregate(
        moderator=Count("pk", filter=Q(volunteers_as_moderator=True)),
        secretary=Count("pk", filter=Q(volunteers_as_secretary=True)),
    )
    tables.append(Breakdown("volunteering", ("count",), [(k, (v,)) for k, v in volunteering.items()]))
    return tables


@dataclass(frozen=True)
class Funnel:
    registered: int
    proposed: int
    accepted: int
    attending: int


def funnel(edition: Edition, *, now: datetime | None = None) -> Funnel:
    """Registered → proposed a group → accepted → present at three group meetings or more."""
    now = now or timezone.now()
    registrations = Registration.objects.filter(edition=edition)
    attending = (
        held_meetings_signups(now)
        .filter(event__circle__working_group__edition=edition, status=SignUpStatus.ATTENDED, user__isnull=False)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=FUNNEL_MEETINGS)
        .count()
    )
    return Funnel(
        registered=registrations.count(),
        proposed=registrations.filter(group_seats__isnull=False).distinct().count(),
        accepted=placed_seats().filter(group__edition=edition).values("registration_id").distinct().count(),
        attending=attending,
    )


def current_edition_for_stats() -> Edition | None:
    """The edition the site presents in Belgium, else the latest published one."""
    current = CurrentEdition.objects.filter(country="BE").select_related("edition").first()
    if current is not None and current.edition.is_published:
        return current.edition
    return published_editions().order_by("-starts_on").first()
