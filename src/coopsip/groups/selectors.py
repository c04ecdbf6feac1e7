"""Reads of working groups: a person's proposal, a group's page, the team's overview, the personal home."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from coopsip.core.personal_home import HomeItem, Urgency
from coopsip.editions.models import Edition
from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Event, SignUp, SignUpStatus
from coopsip.events.text import day_time_place
from coopsip.formation import inputs
from coopsip.groups.models import HOLDING, GroupStatus, Seat, SeatState, WorkingGroup
from coopsip.registrations.models import Registration

STALLED_DAYS = 30


# ---------------------------------------------------------------------------
# A person's proposal


@dataclass(frozen=True)
class Proposal:
    registration: Registration | None
    seat: Seat | None  # the seat held now (offered or accepted), else the latest one
    officers: dict[str, str] = field(default_factory=dict)  # role → first name
    size: int = 0


def proposal_for(*, user: Any, edition: Edition) -> Proposal:
    """The person's registration in ``edition`` and their seat, with the group's moderator and secretary
    by first name only and how many seats the group holds."""
    registration = Registration.objects.filter(edition=edition, user=user).first()
    if registration is None:
        return Proposal(None, None)
    seats = Seat.objects.filter(registration=registration).select_related(
        "group__theme", "group__office", "group__edition", "invited_by"
    )
    seat = seats.filter(state__in=HOLDING).first() or seats.order_by("-offered_at", "-pk").first()
    if seat is None:
        return Proposal(registration, None)
    held = seat.group.seats.filter(state__in=HOLDING).select_related("registration__user")
    officers = {s.role: s.registration.user.first_name for s in held if s.role in ("moderator", "secretary", "board")}
    return Proposal(registration, seat, officers, held.count())


# ---------------------------------------------------------------------------
# A group's page


@dataclass(frozen=True)
class MemberRow:
    name: str
    role: str
    role_label: str
    email: str  # empty unless the person agreed to share it
    seat_id: int


def members_of(group: WorkingGroup) -> list[MemberRow]:
    """Who accepted, moderator and secretary first; email addresses only of those who agreed."""
    order = {"moderator": 0, "board": 1, "secretary": 2, "participant": 3}
    held = group.seats.filter(state=SeatState.ACCEPTED)
    if group.status == GroupStatus.CLOSED and group.closed_at is not None:
        # Closing released every seat: who had accepted and was still in the group when it closed.
        held = group.seats.filter(state=SeatState.LEFT, answered_at__isnull=False, left_at__gte=group.closed_at)
    seats = sorted(
        held.select_related("registration__user"),
        key=lambda s: (order.get(s.role, 3), s.registration.user.last_name, s.pk),
    )
    return [
        MemberRow(
            name=seat.registration.user.get_full_name() or seat.registration.user.email,
            role=seat.role,
            role_label=str(seat.get_role_display()),
            email=seat.registration.user.email if seat.share_contact else "",
            seat_id=seat.pk,
        )
        for seat in seats
    ]


@dataclass(frozen=True)
class PhaseProgress:
    """One phase of the edition seen from one group: its meetings held and to come, and what the phase plans."""

    title: str
    held: int
    coming: int
    planned: str  # "2–3", "4" or "" when the phase sets no number
    current: bool


def phase_progress(phases: Iterable[Any], meetings: Iterable[Event], *, now: datetime) -> list[PhaseProgress]:
    """The group's meetings per phase (by Brussels date, cancelled ones left out); phases that plan meetings or
    hold some of the group's. No query: the phases and the meetings are already loaded."""
    kept = [m for m in meetings if m.cancelled_at is None]
    today = now.astimezone(BRUSSELS).date()
    rows = []
    for phase in phases:
        inside = [m for m in kept if phase.starts_on <= m.starts_at.astimezone(BRUSSELS).date() <= phase.ends_on]
        low, high = phase.meetings_min, phase.meetings_max
        if not inside and low is None and high is None:
            continue
        planned = f"{low}–{high}" if low is not None and high is not None and low != high else str(low or high or "")
        rows.append(
            PhaseProgress(
                title=str(phase.display_title),
                held=sum(1 for m in inside if m.starts_at < now),
                coming=sum(1 for m in inside if m.starts_at >= now),
                planned=planned,
                current=phase.starts_on <= today <= phase.ends_on,
            )
        )
    return rows


def meetings_of(group: WorkingGroup) -> list[Event]:
    if group.circle_id is None:
        return []
    return list(Event.objects.filter(circle_id=group.circle_id).select_related("place").order_by("starts_at"))


def groups_for_member(user: Any) -> QuerySet[WorkingGroup]:
    return WorkingGroup.objects.filter(seats__registration__user=user, seats__state=SeatState.ACCEPTED).exclude(
        status=GroupStatus.CLOSED
    )


# ---------------------------------------------------------------------------
# The team's overview


class Flag:
    BELOW_MINIMUM = "below_minimum"
    NO_MODERATOR = "no_moderator"
    NO_SECRETARY = "no_secretary"
    STALLED = "stalled"


FILTER_STATUSES = ["waiting", "active", "closed", Flag.BELOW_MINIMUM, Flag.NO_MODERATOR, Flag.STALLED]


def status_choices() -> list[tuple[str, str]]:
    return [
        ("waiting", _("waiting for answers")),
        ("active", _("active")),
        ("closed", _("closed")),
        (Flag.BELOW_MINIMUM, _("below the minimum size")),
        (Flag.NO_MODERATOR, _("no moderator or secretary")),
        (Flag.STALLED, _("stalled (no meeting for 30 days)")),
    ]


def _count(queryset: QuerySet[Any]) -> Subquery:
    return Subquery(
        queryset.order_by().values("circle_id").annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def overview(
    *, edition: Edition, now: datetime, theme: int | None = None, office: str = "", status: str = ""
) -> QuerySet[WorkingGroup]:
    """The edition's groups with their counts, for one page: seats by state, meetings held and planned, flags.

    ``office`` is an office id or "video"; ``status`` one of FILTER_STATUSES.
    """
    events = Event.objects.filter(circle_id=OuterRef("circle_id"), cancelled_at__isnull=True)
    held_role = Seat.objects.filter(group=OuterRef("pk"), state__in=HOLDING)
    running = edition.starts_on <= now.date() <= edition.ends_on
    groups = (
        WorkingGroup.objects.filter(edition=edition)
        .select_related("theme", "office", "edition")
        .annotate(
            accepted=Count("seats", filter=Q(seats__state=SeatState.ACCEPTED)),
            pending=Count("seats", filter=Q(seats__state=SeatState.OFFERED)),
            declined=Count("seats", filter=Q(seats__state__in=(SeatState.DECLINED, SeatState.EXPIRED))),
            held=Coalesce(_count(events.filter(starts_at__lt=now)), 0),
            planned=Coalesce(_count(events.filter(starts_at__gte=now)), 0),
            has_moderator=Exists(held_role.filter(role="moderator")),
            has_secretary=Exists(held_role.filter(role="secretary")),
            has_board=Exists(held_role.filter(role="board")),
            met_recently=Exists(events.filter(starts_at__lt=now, starts_at__gte=now - timedelta(days=STALLED_DAYS))),
        )
        .annotate(holding=F("accepted") + F("pending"))
        .order_by("theme__position", "office__name", "key")
    )
    if theme:
        groups = groups.filter(theme_id=theme)
    if office == "video":
        groups = groups.filter(office__isnull=True)
    elif office.isdigit():
        groups = groups.filter(office_id=int(office))
    open_ = ~Q(status=GroupStatus.CLOSED)
    stalled = Q(status=GroupStatus.ACTIVE, met_recently=False, activated_at__lt=now - timedelta(days=STALLED_DAYS)) & Q(
        pk__isnull=not running
    )
    if status in ("waiting", "active", "closed"):
        groups = groups.filter(status=status)
    elif status == Flag.BELOW_MINIMUM:
        groups = groups.filter(open_, holding__lt=F("min_size"))
    elif status == Flag.NO_MODERATOR:
        # The roles the edition's format asks for (a 2017-2018 group has a board member, maybe no secretary).
        missing = Q(pk__in=[])
        for role, required in (
            ("has_moderator", edition.requires_moderator),
            ("has_secretary", edition.requires_secretary),
            ("has_board", edition.requires_board_member),
        ):
            if required:
                missing |= Q(**{role: False})
        groups = groups.filter(open_).filter(missing)
    elif status == Flag.STALLED:
        groups = groups.filter(stalled)
    return groups


def flags_of(group: Any, *, now: datetime) -> list[str]:
    """The flags of one annotated group (from ``overview``), in words."""
    if group.status == GroupStatus.CLOSED:
        return []
    flags = []
    if group.holding < group.min_size:
        flags.append(_("below the minimum size"))
    edition = group.edition
    if edition.requires_moderator and not group.has_moderator:
        flags.append(_("no moderator"))
    if edition.requires_secretary and not group.has_secretary:
        flags.append(_("no secretary"))
    if edition.requires_board_member and not group.has_board:
        flags.append(_("no board member"))
    running = group.edition.starts_on <= now.date() <= group.edition.ends_on
    if (
        running
        and group.status == GroupStatus.ACTIVE
        and not group.met_recently
        and group.activated_at is not None
        and group.activated_at < now - timedelta(days=STALLED_DAYS)
    ):
        flags.append(_("stalled: no meeting for 30 days"))
    if group.attention:
        flags.append(group.attention)
    return flags


def missed_two_in_a_row(groups: Iterable[WorkingGroup], *, now: datetime) -> dict[int, list[str]]:
    """Per group id, the people marked absent at both of its last two meetings (two queries for the page)."""
    by_circle = {group.circle_id: group.pk for group in groups if group.circle_id is not None}
    if not by_circle:
        return {}
    past = Event.objects.filter(circle_id__in=by_circle, starts_at__lt=now, cancelled_at__isnull=True).order_by(
        "circle_id", "-starts_at"
    )
    last_two: dict[int, list[int]] = defaultdict(list)
    for circle_id, event_id in past.values_list("circle_id", "pk"):
        if len(last_two[circle_id]) < 2:
            last_two[circle_id].append(event_id)
    wanted = [event_id for ids in last_two.values() if len(ids) == 2 for event_id in ids]
    absences: dict[tuple[int, int], int] = defaultdict(int)
    names: dict[int, str] = {}
    for circle_id, user_id, name in SignUp.objects.filter(
        event_id__in=wanted, status=SignUpStatus.ABSENT, user__isnull=False
    ).values_list("event__circle_id", "user_id", "name"):
        absences[(circle_id, user_id)] += 1
        names[user_id] = name
    missed: dict[int, list[str]] = defaultdict(list)
    for (circle_id, user_id), count in sorted(absences.items()):
        if count == 2:
            missed[by_circle[circle_id]].append(names[user_id])
    return dict(missed)


TREND_MEETINGS = 5


@dataclass(frozen=True)
class Trend:
    shares: tuple[int, ...]  # per recorded meeting, oldest first: % of the expected people who came
    direction: str  # "rising", "falling", "steady" or "" (fewer than two meetings)

    @property
    def label(self) -> str:
        return {"rising": _("rising"), "falling": _("falling"), "steady": _("steady")}.get(self.direction, "")


def attendance_trends(groups: Iterable[WorkingGroup], *, now: datetime) -> dict[int, Trend]:
    """Per group id, the attendance of its last five meetings whose attendance was recorded (one query for the
    page, at most five meetings per group): the share of the people seated who came (a cancellation counts as
    missed, as in the events' attendance table), and whether it goes up or down from the first to the last."""
    by_circle = {group.circle_id: group.pk for group in groups if group.circle_id is not None}
    if not by_circle:
        return {}
    rows = (
        SignUp.objects.filter(
            event__circle_id__in=by_circle, event__starts_at__lt=now, event__cancelled_at__isnull=True
        )
        .exclude(status=SignUpStatus.WAITING)
        .values("event_id", "event__circle_id", "event__starts_at")
        .annotate(
            came=Count("pk", filter=Q(status=SignUpStatus.ATTENDED)),
            recorded=Count("pk", filter=Q(status__in=(SignUpStatus.ATTENDED, SignUpStatus.ABSENT))),
            expected=Count("pk", filter=~Q(status=SignUpStatus.CONFIRMED)),
        )
        .filter(recorded__gt=0)  # meetings whose attendance is not recorded yet say nothing
        .order_by("event__circle_id", "-event__starts_at", "-event_id")
    )
    shares: dict[int, list[int]] = defaultdict(list)
    for row in rows:
        found = shares[row["event__circle_id"]]
        if len(found) < TREND_MEETINGS and row["expected"]:
            found.append(round(100 * row["came"] / row["expected"]))
    trends = {}
    for circle_id, newest_first in shares.items():
        oldest_first = tuple(reversed(newest_first))
        direction = ""
        if len(oldest_first) >= 2:
            change = oldest_first[-1] - oldest_first[0]
            direction = "rising" if change >= 10 else "falling" if change <= -10 else "steady"
        trends[by_circle[circle_id]] = Trend(oldest_first, direction)
    return trends


# ---------------------------------------------------------------------------
# The personal home


def home_items_for(user: Any) -> list[HomeItem]:
    """The proposal to answer (with its deadline), my group, my next meeting: three queries at most."""
    items: list[HomeItem] = []
    seats = list(
        Seat.objects.filter(registration__user=user, state__in=HOLDING)
        .exclude(group__status=GroupStatus.CLOSED)
        .select_related("group__theme", "group__office", "group__edition")
    )
    circles = []
    for seat in seats:
        group = seat.group
        place = group.office.name if group.office is not None else _("by video")
        if seat.state == SeatState.OFFERED and seat.deadline < timezone.now():
            items.append(
                HomeItem(
                    title=_("Your proposed working group"),
                    text=_("The deadline to answer was %(deadline)s: it has passed.")
                    % {"deadline": formats.date_format(seat.deadline.astimezone(BRUSSELS), "j F Y, H:i")},
                    url=reverse("groups:proposal", kwargs={"slug": group.edition.slug}),
                    link_text=_("See the proposal"),
                    urgency=Urgency.INFO,
                    section="groups",
                )
            )
        elif seat.state == SeatState.OFFERED:
            items.append(
                HomeItem(
                    title=_("Answer your proposed working group"),
                    text=_("%(theme)s, %(place)s, %(slot)s. Answer by %(deadline)s.")
                    % {
                        "theme": group.theme.title,
                        "place": place,
                        "slot": inputs.slot_label(group.slot),
                        "deadline": formats.date_format(seat.deadline.astimezone(BRUSSELS), "j F Y, H:i"),
                    },
                    url=reverse("groups:proposal", kwargs={"slug": group.edition.slug}),
                    link_text=_("Accept or decline"),
                    urgency=Urgency.ACT_NOW,
                    when=seat.deadline,
                    section="groups",
                )
            )
        else:
            items.append(
                HomeItem(
                    title=_("My working group"),
                    text=_("%(theme)s, %(place)s, %(slot)s.")
                    % {"theme": group.theme.title, "place": place, "slot": inputs.slot_label(group.slot)},
                    url=reverse("groups:detail", kwargs={"pk": group.pk}),
                    link_text=_("Go to the group's page"),
                    urgency=Urgency.INFO,
                    section="groups",
                )
            )
            if group.circle_id is not None:
                circles.append(group.circle_id)
    if circles:
        meeting = (
            Event.objects.filter(circle_id__in=circles, starts_at__gte=timezone.now(), cancelled_at__isnull=True)
            .select_related("place")
            .order_by("starts_at")
            .first()
        )
        if meeting is not None:
            items.append(
                HomeItem(
                    title=_("Next meeting of my group"),
                    text=meeting.title,
                    schedule=day_time_place(meeting),
                    url=reverse("events:detail", kwargs={"pk": meeting.pk}),
                    link_text=_("See the meeting"),
                    urgency=Urgency.UPCOMING,
                    when=meeting.starts_at,
                    section="groups",
                )
            )
    return items
