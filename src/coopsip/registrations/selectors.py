"""Reads for the staff pages of registrations: the filtered list, the demand table and the pool of volunteers.

Each function runs a fixed number of queries whatever the number of
registrations; the demand table and the pool are built in plain Python from
one aggregate or prefetched query, so that their arithmetic can be tested on
its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Prefetch, Q, QuerySet

from coopsip.core.search import PersonFields, matching_people
from coopsip.editions.models import Edition, Theme
from coopsip.places.models import Office
from coopsip.registrations.models import (
    InvitationStatus,
    MeetingMode,
    Registration,
    RegistrationStatus,
    RoleInvitation,
    ThemePreference,
    VolunteerRole,
)

MODES: tuple[str, ...] = tuple(MeetingMode.values)
# A person is found by the names of their account and of their register entry, their email, their member number.
REGISTRATION_SEARCH = PersonFields(
    names=(
        "user__first_name",
        "user__last_name",
        "user__register_entry__first_name",
        "user__register_entry__last_name",
    ),
    emails=("user__email",),
    numbers=("user__register_entry__member_number",),
)
ANY_ROLE = "any"


def editions_with_counts() -> QuerySet[Edition]:
    """Every edition, the latest first, with ``active_count`` and ``withdrawn_count`` of registrations."""
    withdrawn = Q(registrations__status=RegistrationStatus.WITHDRAWN)
    return Edition.objects.annotate(
        active_count=Count("registrations", filter=~withdrawn), withdrawn_count=Count("registrations", filter=withdrawn)
    ).order_by("-starts_on", "-pk")


def with_details(registrations: QuerySet[Registration]) -> QuerySet[Registration]:
    """``registrations`` with what the staff list and the export show, in three queries in all."""
    return registrations.select_related("user__register_entry", "office", "municipality").prefetch_related(
        Prefetch("preferences", ThemePreference.objects.select_related("theme").order_by("rank")), "slots"
    )


def _speaks(language: str) -> Q:
    if connection.features.supports_json_field_contains:
        return Q(languages__contains=[language])
    # SQLite keeps the list as JSON text: look for the quoted code.
    return Q(languages__icontains=f'"{language}"')


def filter_registrations(
    *,
    edition: Edition,
    theme: Theme | None = None,
    office: Office | None = None,
    mode: str = "",
    language: str = "",
    role: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[Registration]:
    """The registrations of ``edition`` that match every filter given (a theme at any rank), newest first.

    ``role`` is "moderator", "secretary" or ``ANY_ROLE`` (either). ``q`` finds people as the member
    register does (``core.search``): names in any order, part of an email, the start of a member number.
    """
    registrations = matching_people(Registration.objects.filter(edition=edition), q, fields=REGISTRATION_SEARCH)
    if theme is not None:
        registrations = registrations.filter(preferences__theme=theme)
    if office is not None:
        registrations = registrations.filter(office=office)
    if mode:
        registrations = registrations.filter(mode=mode)
    if language:
        registrations = registrations.filter(_speaks(language))
    if role == VolunteerRole.MODERATOR:
        registrations = registrations.filter(volunteers_as_moderator=True)
    elif role == VolunteerRole.SECRETARY:
        registrations = registrations.filter(volunteers_as_secretary=True)
    elif role == ANY_ROLE:
        registrations = registrations.filter(Q(volunteers_as_moderator=True) | Q(volunteers_as_secretary=True))
    if status:
        registrations = registrations.filter(status=status)
    return with_details(registrations).order_by("-created_at", "-pk")


# --- Demand -------------------------------------------------------------------------


@dataclass(frozen=True)
class DemandCell:
    """People who want a theme in an office and a mode, and how many of them volunteer for each role."""

    people: int = 0
    moderators: int = 0
    secretaries: int = 0

    def __add__(self, other: DemandCell) -> DemandCell:
        return DemandCell(
            self.people + other.people, self.moderators + other.moderators, self.secretaries + other.secretaries
        )

    @property
    def lacks_moderator(self) -> bool:
        return self.people > 0 and self.moderators == 0


def _sum(cells: Iterable[DemandCell]) -> DemandCell:
    total = DemandCell()
    for cell in cells:
        total += cell
    return total


@dataclass(frozen=True)
class DemandRow:
    office: Office | None  # None: registrations that named no office
    cells: tuple[DemandCell, ...]  # one per mode, in MODES order

    @property
    def total(self) -> DemandCell:
        return _sum(self.cells)


@dataclass(frozen=True)
class ThemeDemand:
    theme: Theme
    rows: tuple[DemandRow, ...]

    @property
    def totals(self) -> tuple[DemandCell, ...]:
        return tuple(_sum(row.cells[i] for row in self.rows) for i in range(len(MODES)))

    @property
    def total(self) -> DemandCell:
        return _sum(self.totals)


@dataclass(frozen=True)
class DemandTable:
    first_choice_only: bool
    themes: tuple[ThemeDemand, ...]

    @property
    def totals(self) -> tuple[DemandCell, ...]:
        return tuple(_sum(theme.totals[i] for theme in self.themes) for i in range(len(MODES)))

    @property
    def total(self) -> DemandCell:
        return _sum(self.totals)

    def cell(self, theme_slug: str, office_slug: str | None, mode: str) -> DemandCell:
        """One cell by slugs, for tests and scripts; an empty cell when nobody is there."""
        for theme in self.themes:
            if theme.theme.slug != theme_slug:
                continue
            for row in theme.rows:
                if (row.office.slug if row.office else None) == office_slug:
                    return row.cells[MODES.index(mode)]
        return DemandCell()


def build_demand_table(
    *,
    themes: Sequence[Theme],
    offices: Mapping[int, Office],
    counts: Iterable[Mapping[str, Any]],
    first_choice_only: bool,
) -> DemandTable:
    """Arrange aggregate ``counts`` (theme_id, office_id, mode, people, moderators, secretaries) by theme and office.

    Every theme gets its section, in the order given, even without anybody;
    offices come by name, and "no office" last.
    """
    cells: dict[int, dict[int | None, dict[str, DemandCell]]] = defaultdict(lambda: defaultdict(dict))
    for row in counts:
        cells[row["theme_id"]][row["office_id"]][row["mode"]] = DemandCell(
            row["people"], row["moderators"], row["secretaries"]
        )

    def office_order(office_id: int | None) -> tuple[int, str]:
        return (1, "") if office_id is None else (0, offices[office_id].name.lower())

    sections = []
    for theme in themes:
        by_office = cells.get(theme.pk, {})
        rows = tuple(
            DemandRow(
                office=offices[office_id] if office_id is not None else None,
                cells=tuple(by_office[office_id].get(mode, DemandCell()) for mode in MODES),
            )
            for office_id in sorted(by_office, key=office_order)
        )
        sections.append(ThemeDemand(theme=theme, rows=rows))
    return DemandTable(first_choice_only=first_choice_only, themes=tuple(sections))


def demand_table(*, edition: Edition, first_choice_only: bool = True) -> DemandTable:
    """Active registrations of ``edition`` per theme × office × mode, with their volunteers; three queries.

    With ``first_choice_only`` a person counts once, under their first
    choice; otherwise once under each theme they chose.
    """
    preferences = ThemePreference.objects.filter(registration__edition=edition).exclude(
        registration__status=RegistrationStatus.WITHDRAWN
    )
    if first_choice_only:
        preferences = preferences.filter(rank=1)
    counts = list(
        preferences.values("theme_id", office_id=F("registration__office_id"), mode=F("registration__mode"))
        .annotate(
            people=Count("pk"),
            moderators=Count("pk", filter=Q(registration__volunteers_as_moderator=True)),
            secretaries=Count("pk", filter=Q(registration__volunteers_as_secretary=True)),
        )
        .order_by()
    )
    office_ids = {row["office_id"] for row in counts if row["office_id"] is not None}
    offices = Office.objects.in_bulk(office_ids) if office_ids else {}
    themes = list(Theme.objects.filter(edition=edition).order_by("position", "pk"))
    return build_demand_table(themes=themes, offices=offices, counts=counts, first_choice_only=first_choice_only)


# --- Mix of stakeholder types (the edition's format) ------------------------------------


@dataclass(frozen=True)
class MixRow:
    theme: Theme
    office: Office | None
    counts: tuple[int, ...]  # one per column of ``StakeholderMix.columns``
    board_members: int

    @property
    def people(self) -> int:
        return sum(self.counts)

    @property
    def largest_share(self) -> int:
        """The share, in percent, of the most frequent stakeholder type (0 without people)."""
        return round(100 * max(self.counts) / self.people) if self.people else 0

    @property
    def types_present(self) -> int:
        return sum(1 for count in self.counts if count)


@dataclass(frozen=True)
class StakeholderMix:
    columns: tuple[str, ...]  # "" (members and people who did not say) then the admitted types
    rows: tuple[MixRow, ...]


def stakeholder_mix(*, edition: Edition, first_choice_only: bool = True) -> StakeholderMix:
    """People per stakeholder type, per theme and office, with board-member volunteers; three queries."""
    preferences = ThemePreference.objects.filter(registration__edition=edition).exclude(
        registration__status=RegistrationStatus.WITHDRAWN
    )
    if first_choice_only:
        preferences = preferences.filter(rank=1)
    counts = list(
        preferences.values("theme_id", office_id=F("registration__office_id"), kind=F("registration__stakeholder_type"))
        .annotate(people=Count("pk"), board=Count("pk", filter=Q(registration__volunteers_as_board_member=True)))
        .order_by()
    )
    columns = ("", *edition.admitted_stakeholder_types)
    office_ids = {row["office_id"] for row in counts if row["office_id"] is not None}
    offices = Office.objects.in_bulk(office_ids) if office_ids else {}
    themes = list(Theme.objects.filter(edition=edition).order_by("position", "pk"))
    cells: dict[tuple[int, int | None], list[int]] = defaultdict(lambda: [0] * (len(columns) + 1))
    for row in counts:
        cell = cells[(row["theme_id"], row["office_id"])]
        kind = row["kind"] if row["kind"] in columns else ""
        cell[columns.index(kind)] += row["people"]
        cell[-1] += row["board"]

    def office_order(office_id: int | None) -> tuple[int, str]:
        return (1, "") if office_id is None else (0, offices[office_id].name.lower())

    rows = []
    for theme in themes:
        here = sorted((office_id for theme_id, office_id in cells if theme_id == theme.pk), key=office_order)
        for office_id in here:
            values = cells[(theme.pk, office_id)]
            rows.append(
                MixRow(
                    theme=theme,
                    office=offices[office_id] if office_id is not None else None,
                    counts=tuple(values[:-1]),
                    board_members=values[-1],
                )
            )
    return StakeholderMix(columns=columns, rows=tuple(rows))


# --- Pool of moderators and secretaries ------------------------------------------------


@dataclass
class PoolPerson:
    """Someone who may take a role for a theme in an office, and why we think so."""

    user: Any
    rank: int | None = None  # the rank of the theme in their registration, when they volunteered there
    volunteered: bool = False
    invited: bool = False
    registered: bool = True  # False: accepted an invitation but has not registered (no slots, place...)


@dataclass
class PoolPlace:
    theme: Theme | None  # None: invited for any theme
    office: Office | None  # None: no office known
    moderators: list[PoolPerson] = field(default_factory=list)
    secretaries: list[PoolPerson] = field(default_factory=list)


@dataclass(frozen=True)
class Pool:
    places: list[PoolPlace]
    open_invitations: list[RoleInvitation]  # pending and declined, the latest first

    @property
    def moderator_count(self) -> int:
        return len({p.user.pk for place in self.places for p in place.moderators})

    @property
    def secretary_count(self) -> int:
        return len({p.user.pk for place in self.places for p in place.secretaries})


def volunteer_pool(*, edition: Edition) -> Pool:
    """Moderators and secretaries per theme and office: volunteers and accepted invitations; five queries.

    A volunteer appears under each theme they chose, in the office of their
    registration. A person who accepted an invitation appears under its
    theme (or "any theme") and its office, else the office of their
    registration, else of their profile. Someone both volunteering and
    invited appears once, marked as both.
    """
    registrations = list(
        Registration.objects.filter(edition=edition)
        .exclude(status=RegistrationStatus.WITHDRAWN)
        .filter(Q(volunteers_as_moderator=True) | Q(volunteers_as_secretary=True))
        .select_related("user", "office")
        .prefetch_related(Prefetch("preferences", ThemePreference.objects.select_related("theme").order_by("rank")))
    )
    invitations = list(
        RoleInvitation.objects.filter(edition=edition)
        .select_related("user__office", "theme", "office", "invited_by")
        .order_by("-created_at", "-pk")
    )
    themes = list(Theme.objects.filter(edition=edition).order_by("position", "pk"))
    registered = set(
        Registration.objects.filter(edition=edition)
        .exclude(status=RegistrationStatus.WITHDRAWN)
        .values_list("user_id", flat=True)
    )
    office_of_registration = {r.user_id: r.office for r in registrations}
    places: dict[tuple[int | None, int | None], PoolPlace] = {}
    theme_by_id = {t.pk: t for t in themes}

    def person(theme: Theme | None, office: Office | None, role: str, user: Any) -> PoolPerson:
        key = (theme.pk if theme else None, office.pk if office else None)
        place = places.setdefault(key, PoolPlace(theme=theme, office=office))
        people = place.moderators if role == VolunteerRole.MODERATOR else place.secretaries
        for existing in people:
            if existing.user.pk == user.pk:
                return existing
        people.append(PoolPerson(user=user))
        return people[-1]

    for registration in registrations:
        roles = [
            role
            for role, on in (
                (VolunteerRole.MODERATOR, registration.volunteers_as_moderator),
                (VolunteerRole.SECRETARY, registration.volunteers_as_secretary),
            )
            if on
        ]
        for preference in registration.preferences.all():
            for role in roles:
                entry = person(preference.theme, registration.office, role, registration.user)
                entry.volunteered, entry.rank = True, preference.rank
    for invitation in invitations:
        if invitation.status != InvitationStatus.ACCEPTED:
            continue
        office = invitation.office or office_of_registration.get(invitation.user_id) or invitation.user.office
        theme = theme_by_id.get(invitation.theme_id) if invitation.theme_id else None
        entry = person(theme, office, invitation.role, invitation.user)
        entry.invited, entry.registered = True, invitation.user_id in registered

    theme_order = {t.pk: i for i, t in enumerate(themes)}

    def place_order(place: PoolPlace) -> tuple[int, int, str]:
        theme_rank = theme_order[place.theme.pk] if place.theme else len(theme_order)
        return (theme_rank, place.office is None, place.office.name.lower() if place.office else "")

    ordered = sorted(places.values(), key=place_order)
    for place in ordered:
        for people in (place.moderators, place.secretaries):
            people.sort(key=lambda p: (p.rank or 9, str(p.user).lower()))
    return Pool(
        places=ordered,
        open_invitations=[i for i in invitations if i.status != InvitationStatus.ACCEPTED],
    )
