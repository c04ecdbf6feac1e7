"""Reads about events: what a person may see, seats left, waiting positions, attendance over time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise
from typing import Any

from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from coopsip.core.access import is_member, is_staff_member
from coopsip.events.models import (
    SEATED,
    Audience,
    Circle,
    CircleMember,
    Event,
    EventKind,
    Series,
    SignUp,
    SignUpStatus,
)


def with_seats(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with ``seated_count``: its seat counter (a visitor's kept seat counts while they confirm).

    Read from the event's row, not counted over its sign-ups.
    """
    return events.annotate(seated_count=F("seats_taken"))


def with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    """Each event with ``seated_count`` and ``waiting_count``, in the same query."""
    waiting = (
        SignUp.objects.filter(event=OuterRef("pk"), status=SignUpStatus.WAITING)
        .order_by()
        .values("event")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return with_seats(events).annotate(waiting_count=Coalesce(Subquery(waiting), 0))


def visible_events(*, user: Any) -> QuerySet[Event]:
    """Events ``user`` may see listed: public ones, members' ones for members, their groups' meetings."""
    events = Event.objects.all()
    if is_staff_member(user):
        return events
    wanted = Q(audience="public")
    if user.is_authenticated:
        if is_member(user):
            wanted |= Q(audience="members")
        # Semi-joins, not joins: a join to the sign-ups multiplied each event by its sign-ups before DISTINCT.
        wanted |= (
            Q(circle__in=CircleMember.objects.filter(user=user).values("circle_id"))
            | Q(organiser=user)
            | Q(pk__in=SignUp.objects.filter(user=user).values("event_id"))
        )
    return events.filter(wanted).distinct()


@dataclass(frozen=True)
class EventFilters:
    kind: str = ""
    format: str = ""
    sector: str = ""
    theme_id: int | None = None
    place_id: int | None = None
    attendance: str = ""


def public_info_sessions(edition: Any) -> QuerySet[Event]:
    """The info sessions of ``edition`` that everyone may attend (not cancelled), in date order."""
    return Event.objects.filter(
        edition=edition, kind=EventKind.INFO_SESSION, audience=Audience.PUBLIC, cancelled_at__isnull=True
    ).order_by("starts_at", "pk")


def upcoming_events(*, user: Any, now: datetime, filters: EventFilters = EventFilters()) -> QuerySet[Event]:
    """Coming events ``user`` may see, soonest first, filtered, with seat counts."""
    events = visible_events(user=user).filter(ends_at__gt=now, cancelled_at__isnull=True)
    if filters.kind:
        events = events.filter(kind=filters.kind)
    if filters.format:
        events = events.filter(format=filters.format)
    if filters.sector:
        events = events.filter(sector=filters.sector)
    if filters.theme_id:
        events = events.filter(theme_id=filters.theme_id)
    if filters.place_id:
        events = events.filter(place_id=filters.place_id)
    if filters.attendance:
        events = events.filter(attendance=filters.attendance)
    ids = events.values("pk")
    return (
        with_seats(Event.objects.filter(pk__in=ids))
        .select_related("place", "theme", "series")
        .order_by("starts_at", "pk")
    )


def signup_of(*, event: Event, user: Any) -> SignUp | None:
    """The person's sign-up for ``event`` (in any status), or None."""
    if not user.is_authenticated:
        return None
    return SignUp.objects.filter(event=event, user=user).first()


def waiting_position(signup: SignUp) -> int | None:
    """1 for the first person waiting; None unless ``signup`` is waiting."""
    if signup.status != SignUpStatus.WAITING:
        return None
    ahead = SignUp.objects.filter(event_id=signup.event_id, status=SignUpStatus.WAITING).filter(
        Q(queued_at__lt=signup.queued_at) | Q(queued_at=signup.queued_at, pk__lt=signup.pk)
    )
    return ahead.count() + 1


def attendees(event: Event) -> QuerySet[SignUp]:
    """Everyone on the event's list in the order they were queued (the waiting list's order)."""
    return event.signups.select_related("user", "invited_by").order_by("queued_at", "pk")


# The attendee list's three parts, in this order.
SEATS, WAITING_LIST, OTHERS = 0, 1, 2


def attendees_in_list_order(event: Event) -> QuerySet[SignUp]:
    """Everyone on the event's list: seats first (with visitors' kept seats), then the waiting list in order,
    then the others (cancelled, visitors who have not confirmed without a seat kept); each in queue order.
    """
    seats = Q(status__in=SEATED) | Q(status=SignUpStatus.PENDING, hold_until__isnull=False)
    part = Case(
        When(seats, then=Value(SEATS)),
        When(status=SignUpStatus.WAITING, then=Value(WAITING_LIST)),
        default=Value(OTHERS),
        output_field=IntegerField(),
    )
    return event.signups.alias(part=part).order_by("part", "queued_at", "pk")


@dataclass(frozen=True)
class AttendeeCounts:
    seated: int  # confirmed (or attended, absent)
    seats_part: int  # the rows of the first part: seated and kept seats
    waiting: int
    total: int


def attendee_counts(event: Event) -> AttendeeCounts:
    """How many people are in each part of the attendee list, in one query."""
    kept = Q(status=SignUpStatus.PENDING, hold_until__isnull=False)
    counts = event.signups.aggregate(
        seated=Count("pk", filter=Q(status__in=SEATED)),
        kept=Count("pk", filter=kept),
        waiting=Count("pk", filter=Q(status=SignUpStatus.WAITING)),
        total=Count("pk"),
    )
    return AttendeeCounts(
        seated=counts["seated"],
        seats_part=counts["seated"] + counts["kept"],
        waiting=counts["waiting"],
        total=counts["total"],
    )


def my_signups(*, user: Any, now: datetime) -> QuerySet[SignUp]:
    """The person's coming sign-ups (seated or waiting), soonest first."""
    return (
        SignUp.objects.filter(user=user, status__in=(*SEATED, SignUpStatus.WAITING), event__ends_at__gt=now)
        .select_related("event", "event__place")
        .order_by("event__starts_at")
    )


# ---------------------------------------------------------------------------
# Attendance over time


@dataclass(frozen=True)
class AttendanceRow:
    name: str
    email: str
    marks: tuple[str, ...]  # per meeting: "attended", "absent", "excused" (cancelled), "" (not expected)
    expected: int
    attended: int
    missed_two_in_a_row: bool


@dataclass(frozen=True)
class AttendanceTable:
    events: tuple[Event, ...]
    rows: tuple[AttendanceRow, ...]


def _attendance_table(events: Sequence[Event]) -> AttendanceTable:
    signups = (
        SignUp.objects.filter(event__in=events)
        .exclude(status=SignUpStatus.WAITING)
        .exclude(status=SignUpStatus.CONFIRMED)  # meetings whose attendance is not recorded yet
        .select_related("user")
    )
    by_person: dict[str, dict[int, SignUp]] = {}
    names: dict[str, tuple[str, str]] = {}
    for signup in signups:
        key = f"u{signup.user_id}" if signup.user_id else f"e{signup.email.lower()}"
        by_person.setdefault(key, {})[signup.event_id] = signup
        names[key] = (signup.name, signup.email)
    rows = []
    for key, marks_by_event in by_person.items():
        marks = []
        for event in events:
            found = marks_by_event.get(event.pk)
            if found is None:
                marks.append("")
            elif found.status == SignUpStatus.ATTENDED:
                marks.append("attended")
            elif found.status == SignUpStatus.ABSENT:
                marks.append("absent")
            else:
                marks.append("excused")
        expected = [mark for mark in marks if mark]
        missed = [mark != "attended" for mark in expected]
        rows.append(
            AttendanceRow(
                name=names[key][0],
                email=names[key][1],
                marks=tuple(marks),
                expected=len(expected),
                attended=sum(1 for mark in expected if mark == "attended"),
                missed_two_in_a_row=any(a and b for a, b in pairwise(missed)),
            )
        )
    rows.sort(key=lambda row: (not row.missed_two_in_a_row, row.attended - row.expected, row.name.lower()))
    return AttendanceTable(events=tuple(events), rows=tuple(rows))


def recorded_events(events: QuerySet[Event], *, now: datetime) -> list[Event]:
    """Past, not cancelled events whose attendance was recorded, oldest first."""
    return list(
        events.filter(starts_at__lte=now, cancelled_at__isnull=True)
        .filter(signups__status__in=(SignUpStatus.ATTENDED, SignUpStatus.ABSENT))
        .distinct()
        .order_by("starts_at", "pk")
    )


def series_attendance(*, series: Series, now: datetime) -> AttendanceTable:
    """Who came to how many of the occurrences they signed up for, and who missed two in a row.

    A cancellation before the meeting counts as "excused": still a missed meeting.
    """
    return _attendance_table(recorded_events(series.events.all(), now=now))


def circle_attendance(*, circle: Circle, now: datetime) -> AttendanceTable:
    """The same for a group's meetings: every member is expected at each meeting after joining."""
    return _attendance_table(recorded_events(circle.events.all(), now=now))
