"""The follow-up of networking events: what was held, who came, and what came of it, by level, sector,
format, office and month.

A networking event is an event of kind "networking moment" or "partner meeting", a meeting of a sector
network, or any event staff gave a follow-up (``EventFollowUp``: level, office or region, organiser,
a head count for events whose sign-ups are not kept here). Level defaults to local and the office to
the office of the event's place.

Figures per event: sign-ups (seats taken), people present (attendance recorded "attended", plus the
head count), first-time attendees (the person's first networking event ever) and returning ones, and
what came of it: offers and needs published and contacts started by the people present in the 30 days
after (counted per event, never read). A group (a level, a month…) adds up its events.

``figures`` runs a fixed number of queries (six) whatever the number of events; the grouping is plain
Python over the rows of the chosen period (one year by default, at most ``MAX_DAYS``).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import SEATED, Event, EventFormat, EventKind, SignUp, SignUpStatus
from coopsip.events.models import Sector as EventSector
from coopsip.networking.models import ContactThread, Level, Listing, event_sectors
from coopsip.places.models import Office

AFTER = timedelta(days=30)
MAX_DAYS = 3 * 366
DIMENSIONS = ("level", "sector", "format", "office", "month")
TIME_DIMENSIONS = ("week", "month", "quarter")
PERIODS = ("week", "month", "quarter", "year")


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    level: str = ""
    sector: str = ""
    format: str = ""
    office_id: int | None = None


def year_filters(year: int) -> Filters:
    return Filters(start=date(year, 1, 1), end=date(year, 12, 31))


def period_bounds(period: str, day: date) -> tuple[date, date]:
    """The calendar week (Monday to Sunday), month, quarter or year that holds ``day``, first and last day."""
    if period == "week":
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    if period == "month":
        start = day.replace(day=1)
        return start, (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if period == "quarter":
        start = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        return start, (start + timedelta(days=95)).replace(day=1) - timedelta(days=1)
    return date(day.year, 1, 1), date(day.year, 12, 31)


def previous_period(filters: Filters, period: str = "") -> Filters:
    """The period just before ``filters``' one, of the same length (the calendar week, month, quarter or year
    before for those periods; otherwise as many days), with the same level, sector, format and office."""
    if period in PERIODS:
        start, end = period_bounds(period, filters.start - timedelta(days=1))
    else:
        days = (filters.end - filters.start).days + 1
        start, end = filters.start - timedelta(days=days), filters.start - timedelta(days=1)
    return dataclasses.replace(filters, start=start, end=end)


def networking_events_q() -> Q:
    return (
        Q(kind__in=(EventKind.NETWORKING, EventKind.PARTNER_MEETING))
        | Q(circle__sector_network__isnull=False)
        | Q(follow_up__isnull=False)
    )


@dataclass
class EventRow:
    pk: int
    title: str
    starts_at: datetime
    level: str
    sectors: list[str]
    format: str
    office_id: int | None
    organised_by: str
    signups: int = 0
    present: int = 0
    headcount: int = 0
    first_time: int = 0
    returning: int = 0
    listings_after: int = 0
    contacts_after: int = 0
    people: set[int] = field(default_factory=set)

    @property
    def sector(self) -> str:
        """The event's first sector ("" when none is given)."""
        return self.sectors[0] if self.sectors else ""

    @property
    def month(self) -> str:
        return self.starts_at.astimezone(BRUSSELS).strftime("%Y-%m")

    @property
    def attendance(self) -> int:
        return self.present + self.headcount


@dataclass
class Group:
    key: str
    label: str
    events: int = 0
    signups: int = 0
    attendance: int = 0
    first_time: int = 0
    returning: int = 0
    listings_after: int = 0
    contacts_after: int = 0
    people: set[int] = field(default_factory=set)

    def add(self, row: EventRow) -> None:
        self.events += 1
        self.signups += row.signups
        self.attendance += row.attendance
        self.first_time += row.first_time
        self.returning += row.returning
        self.listings_after += row.listings_after
        self.contacts_after += row.contacts_after
        self.people |= row.people


def _bounds(filters: Filters) -> tuple[datetime, datetime]:
    start = datetime.combine(filters.start, time.min, tzinfo=BRUSSELS)
    end = datetime.combine(min(filters.end, filters.start + timedelta(days=MAX_DAYS)), time.max, tzinfo=BRUSSELS)
    return start, end


def event_rows(filters: Filters, *, now: datetime | None = None) -> list[EventRow]:
    """The networking events held in the period (not cancelled, started before ``now``) with their figures."""
    now = now or timezone.now()
    start, end = _bounds(filters)
    values = (
        Event.objects.filter(networking_events_q(), cancelled_at__isnull=True, starts_at__range=(start, end))
        .filter(starts_at__lt=now)
        .values(
            "pk",
            "title",
            "starts_at",
            "format",
            "sector",
            "place__office_id",
            "follow_up__level",
            "follow_up__office_id",
            "follow_up__organised_by",
            "follow_up__headcount",
            "follow_up__sectors",
            "follow_up__signups",
        )
        .order_by("starts_at", "pk")
    )
    rows: dict[int, EventRow] = {}
    for v in values:
        row = EventRow(
            pk=v["pk"],
            title=v["title"],
            starts_at=v["starts_at"],
            level=v["follow_up__level"] or Level.LOCAL,
            sectors=event_sectors(v["sector"], v["follow_up__sectors"]),
            format=v["format"],
            office_id=v["follow_up__office_id"] or v["place__office_id"],
            organised_by=v["follow_up__organised_by"] or "",
            headcount=v["follow_up__headcount"] or 0,
            signups=v["follow_up__signups"] or 0,
        )
        if filters.level and row.level != filters.level:
            continue
        if filters.sector and filters.sector not in row.sectors:
            continue
        if filters.format and row.format != filters.format:
            continue
        if filters.office_id and row.office_id != filters.office_id:
            continue
        rows[row.pk] = row
    if not rows:
        return []
    present: list[tuple[int, int]] = []
    for event_id, user_id, status in SignUp.objects.filter(event_id__in=rows, status__in=SEATED).values_list(
        "event_id", "user_id", "status"
    ):
        rows[event_id].signups += 1
        if status == SignUpStatus.ATTENDED:
            rows[event_id].present += 1
            if user_id is not None:
                present.append((event_id, user_id))
                rows[event_id].people.add(user_id)
    people = {user_id for _event, user_id in present}
    first_seen = dict(
        SignUp.objects.filter(networking_events_q_for_signups(), user_id__in=people, status=SignUpStatus.ATTENDED)
        .values("user_id")
        .annotate(first=Min("event__starts_at"))
        .values_list("user_id", "first")
    )
    last = max(row.starts_at for row in rows.values()) + AFTER
    first = min(row.starts_at for row in rows.values())
    listings = _by_person(
        Listing.objects.filter(author_id__in=people, created_at__range=(first, last)).values_list(
            "author_id", "created_at"
        )
    )
    contacts = _by_person(
        ContactThread.objects.filter(sender_id__in=people, created_at__range=(first, last)).values_list(
            "sender_id", "created_at"
        )
    )
    for event_id, user_id in present:
        row = rows[event_id]
        if first_seen.get(user_id) == row.starts_at:
            row.first_time += 1
        else:
            row.returning += 1
        row.listings_after += _count_within(listings.get(user_id, ()), row.starts_at)
        row.contacts_after += _count_within(contacts.get(user_id, ()), row.starts_at)
    return list(rows.values())


def networking_events_q_for_signups() -> Q:
    return (
        Q(event__kind__in=(EventKind.NETWORKING, EventKind.PARTNER_MEETING))
        | Q(event__circle__sector_network__isnull=False)
        | Q(event__follow_up__isnull=False)
    ) & Q(event__cancelled_at__isnull=True)


def _by_person(pairs: Iterable[tuple[int, datetime]]) -> dict[int, list[datetime]]:
    found: dict[int, list[datetime]] = defaultdict(list)
    for person, moment in pairs:
        found[person].append(moment)
    return found


def _count_within(moments: Iterable[datetime], start: datetime) -> int:
    return sum(1 for moment in moments if start <= moment < start + AFTER)


def labels(dimension: str) -> Callable[[str], str]:
    """How a group's key reads in the reader's language."""
    if dimension == "level":
        names = dict(Level.choices)
        return lambda key: str(names.get(key, key))
    if dimension == "sector":
        names = dict(EventSector.choices)
        return lambda key: str(names[key]) if key in names else _("no sector given")
    if dimension == "format":
        names = dict(EventFormat.choices)
        return lambda key: str(names.get(key, key))
    if dimension == "office":
        offices = {str(pk): name for pk, name in Office.objects.values_list("pk", "name")}
        return lambda key: offices.get(key, _("no office"))
    return lambda key: key


def _keys(row: EventRow, dimension: str) -> list[str]:
    if dimension == "month":
        return [row.month]
    if dimension == "week":
        year, week, _day = row.starts_at.astimezone(BRUSSELS).isocalendar()
        return [f"{year}-W{week:02d}"]
    if dimension == "quarter":
        local = row.starts_at.astimezone(BRUSSELS)
        return [f"{local.year}-Q{(local.month - 1) // 3 + 1}"]
    if dimension == "office":
        return [str(row.office_id or "")]
    if dimension == "sector":
        return row.sectors or [""]
    return [str(getattr(row, dimension))]


def group_by(rows: list[EventRow], dimension: str, label: Callable[[str], str] | None = None) -> list[Group]:
    """Groups of ``rows`` by ``dimension``: weeks, months and quarters in order, the others by attendance (largest
    first). An event for several sectors counts in each of them, so the sectors add up to more than the total."""
    label = label or labels(dimension)
    groups: dict[str, Group] = {}
    for row in rows:
        for key in _keys(row, dimension):
            if key not in groups:
                groups[key] = Group(key=key, label=label(key))
            groups[key].add(row)
    if dimension in TIME_DIMENSIONS:
        return [groups[key] for key in sorted(groups)]
    return sorted(groups.values(), key=lambda g: (-g.attendance, g.label))


def totals(rows: list[EventRow]) -> Group:
    total = Group(key="", label=_("All"))
    for row in rows:
        total.add(row)
    return total


def upcoming(*, now: datetime | None = None, limit: int = 8) -> list[Any]:
    """The next networking moments open to members or to everyone (group meetings are the group's own)."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(
            networking_events_q(), cancelled_at__isnull=True, starts_at__gt=now, audience__in=("public", "members")
        )
        .select_related("place")
        .order_by("starts_at", "pk")[:limit]
    )
