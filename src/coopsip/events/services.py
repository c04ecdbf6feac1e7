"""Every change to events: creating them, signing up, cancelling, the waiting list, attendance, minutes.

Seats are counted on the event row itself (``Event.seats_taken``: the
sign-ups for which ``counts_a_seat`` holds). ``sign_up`` does everything it
can without a lock (the refusal checks, the person's own sign-up), then
takes a seat with one conditional ``UPDATE … SET seats_taken = seats_taken
+ 1 WHERE … seats_taken < capacity``; the row lock that statement takes is
held only until the sign-up row is written and committed. When it updates
nothing the event is full: the person goes on the waiting list under the
same row lock (``SELECT … FOR NO KEY UPDATE``). So no number of simultaneous
requests seats more people than there are seats, and the queue
(``queued_at``, read while the row is held) is the order in which the
sign-ups committed. Every other change of seats (``cancel_sign_up``,
``change_capacity``, ``update_event``, the waiting list's promotion, kept
seats that lapse) takes the same row lock and moves the counter in the same
transaction. On SQLite the whole database is written by one transaction at
a time, which gives the same guarantee.

A request that waits longer than LOCK_TIMEOUT_MS for the row is tried again
by ``sign_up`` itself (SIGN_UP_ATTEMPTS in all) before the person is told
``EventBusy`` ("try again in a moment").

Emails are queued on commit, with keys that make them idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from dateutil.rrule import rrule, rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from coopsip.core.access import is_member, is_staff_member
from coopsip.core.audit import record_change
from coopsip.core.taskqueue import default_task_backend
from coopsip.editions.models import Edition, Theme
from coopsip.editions.phases import BRUSSELS
from coopsip.events import notifications
from coopsip.events.models import (
    SEATED,
    Attendance,
    Audience,
    CalendarFeed,
    Circle,
    CircleMember,
    CircleRole,
    Event,
    EventFormat,
    EventKind,
    MinutesAttachment,
    Place,
    Sector,
    Series,
    SignUp,
    SignUpStatus,
    new_token,
)
from coopsip.events.text import single_line

logger = logging.getLogger(__name__)

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# A series is materialised occurrence by occurrence: it must end, and not too far away.
MAX_OCCURRENCES = 104
MAX_SERIES_DAYS = 731
MAX_CAPACITY = 100_000
# How long a change of seats waits for the event's row before it gives up (sign_up then tries again).
LOCK_TIMEOUT_MS = 5000
# How many times sign_up tries in all before the person is asked to try again (EventBusy).
SIGN_UP_ATTEMPTS = 3
# A visitor's seat is kept this long while they open the link we emailed them; the link itself works a day.
VISITOR_HOLD = timedelta(minutes=30)
VISITOR_CONFIRM_WITHIN = timedelta(days=1)


class EventInvalid(Exception):
    """``errors`` maps form field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


class SignUpRefused(Exception):
    """The person may not sign up (or cancel) now; ``message`` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class EventBusy(Exception):
    """The event was locked by other sign-ups for too long: nothing changed, try again."""


@dataclass(frozen=True)
class EventInput:
    """What an organiser fills in for an event (or the first occurrence of a series)."""

    titles: Mapping[str, str]  # language code → title; at least one
    starts_at: datetime
    ends_at: datetime
    descriptions: Mapping[str, str] = field(default_factory=dict)
    kind: str = EventKind.NETWORKING
    format: str = EventFormat.MEETING
    sector: str = ""
    theme: Theme | None = None
    edition: Edition | None = None
    language: str = ""
    attendance: str = Attendance.IN_PERSON
    place: Place | None = None
    address: str = ""
    video_url: str = ""
    capacity: int | None = None
    signup_deadline: datetime | None = None
    audience: str = Audience.MEMBERS
    circle: Circle | None = None
    agenda: str = ""


# ---------------------------------------------------------------------------
# Validation


def event_errors(*, data: EventInput, event: Event | None = None) -> dict[str, str]:
    """Every problem with ``data``, by form field; ``event`` is the event being changed, if any."""
    errors: dict[str, str] = {}
    if not any(title.strip() for title in data.titles.values()):
        errors["title_nl"] = _("Give the event a title in at least one language.")
    if data.sector and data.sector not in Sector.values:
        errors["sector"] = _("Choose a sector from the list.")
    for moment_field in ("starts_at", "ends_at", "signup_deadline"):
        moment = getattr(data, moment_field)
        if moment is not None and timezone.is_naive(moment):
            errors[moment_field] = _("Give a date and time.")
    if errors.keys() & {"starts_at", "ends_at", "signup_deadline"}:
        return errors
    if data.ends_at <= data.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    elif data.ends_at - data.starts_at > timedelta(days=14):
        errors["ends_at"] = _("An event lasts at most two weeks; for a repeated gathering, create a series.")
    if data.signup_deadline is not None and data.signup_deadline > data.starts_at:
        errors["signup_deadline"] = _("The sign-up deadline must be at the latest when the event starts.")
    if data.attendance in (Attendance.ONLINE, Attendance.HYBRID):
        if not data.video_url:
            errors["video_url"] = _("Give the video link: people who sign up need it to join.")
        elif not _is_web_link(data.video_url):
            errors["video_url"] = _(
                "Give a full web address starting with https://, such as https://meet.example.org/sip."
            )
    elif data.video_url and not _is_web_link(data.video_url):
        errors["video_url"] = _("Give a full web address starting with https://, such as https://meet.example.org/sip.")
    if data.attendance in (Attendance.IN_PERSON, Attendance.HYBRID) and data.place is None and not data.address.strip():
        errors["place"] = _("Choose a place or give an address.")
    if data.capacity is not None:
        if data.capacity < 1:
            errors["capacity"] = _("Give at least one seat, or leave the field empty for no limit.")
        elif data.capacity > MAX_CAPACITY:
            errors["capacity"] = _("Give at most %(max)d seats, or leave the field empty for no limit.") % {
                "max": MAX_CAPACITY
            }
        elif (
            data.audience == Audience.CIRCLE
            and data.circle is not None
            and (data.capacity < data.circle.memberships.count())
        ):
            errors["capacity"] = _(
                "Every member of the group has a seat at its meetings: give at least as many seats as members "
                "(%(count)d), or leave the field empty."
            ) % {"count": data.circle.memberships.count()}
        elif event is not None:
            error = capacity_error(event=event, capacity=data.capacity)
            if error:
                errors["capacity"] = error
    if data.audience == Audience.CIRCLE and data.circle is None:
        errors["circle"] = _("Choose the group whose members may come.")
    if data.language and data.language not in LANGUAGES:
        errors["language"] = _("Choose Dutch, French or English, or leave it empty.")
    return errors


def _is_web_link(url: str) -> bool:
    try:
        URLValidator(schemes=["https", "http"])(url)
    except ValidationError:
        return False
    return True


def capacity_error(*, event: Event, capacity: int | None) -> str | None:
    """Why ``capacity`` cannot be set on ``event`` now, or None."""
    if capacity is None:
        return None
    seated = event.signups.filter(status__in=SEATED).count()
    if capacity < seated:
        return ngettext(
            "%(seated)d person already has a seat: keep at least %(seated)d seat, "
            "or cancel sign-ups on the attendee list first.",
            "%(seated)d people already have a seat: keep at least %(seated)d seats, "
            "or cancel sign-ups on the attendee list first.",
            seated,
        ) % {"seated": seated}
    return None


def signup_refusal(*, event: Event, user: Any, now: datetime) -> str | None:
    """Why ``user`` (None: a visitor without an account) may not sign up for ``event`` now, or None."""
    closed = _closed(event, now)
    if closed:
        return closed
    if event.audience == Audience.PUBLIC:
        return None
    if user is None or not user.is_authenticated:
        return _("Log in to sign up: this event is for members of the cooperative.")
    if event.audience == Audience.MEMBERS:
        if is_member(user) or is_staff_member(user) or event.organiser_id == user.pk:
            return None
        if getattr(user, "register_entry", None) is not None:
            # Linked already, as a non-member user: linking again would not help.
            return _(
                "This event is for shareholding members (vennoten) of the cooperative. Your account is linked "
                "to the register as a non-member user, so this event is not open to you."
            )
        return _("This event is for members (vennoten) of the cooperative. Link your account to your membership first.")
    if event.organiser_id == user.pk:
        return None
    if event.circle_id is not None and CircleMember.objects.filter(circle_id=event.circle_id, user=user).exists():
        return None
    return _("This meeting is for the members of its group only.")


def _closed(event: Event, now: datetime) -> str | None:
    """Why nobody may sign up for ``event`` at ``now`` (cancelled, past the deadline), or None."""
    if event.is_cancelled:
        return _("This event was cancelled.")
    deadline = event.signup_deadline or event.starts_at
    if now >= deadline:
        return _("Sign-up for this event is closed.")
    return None


# ---------------------------------------------------------------------------
# Seats: the counter on the event row, and its lock


def counts_a_seat(status: str, hold_until: datetime | None) -> bool:
    """Whether a sign-up in this state is counted in ``Event.seats_taken``.

    A seat (confirmed, attended, absent), or a visitor's kept seat that was
    not released yet: a kept seat counts until ``release_lapsed_holds`` (or
    the next sign-up that finds the event full) releases it after it lapses.
    """
    return status in SEATED or (status == SignUpStatus.PENDING and hold_until is not None)


def counted_q(prefix: str = "") -> Q:
    """``counts_a_seat`` as a filter on sign-ups (``prefix``: the path to them, such as "signups__")."""
    return Q(**{f"{prefix}status__in": SEATED}) | Q(
        **{f"{prefix}status": SignUpStatus.PENDING, f"{prefix}hold_until__isnull": False}
    )


def _limit_lock_wait() -> None:
    """From here on in the transaction, a statement waits at most LOCK_TIMEOUT_MS for a row lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")


def _lock_event(event_id: int) -> Event:
    """Take the event's row lock (inside the caller's transaction), waiting at most LOCK_TIMEOUT_MS.

    ``FOR NO KEY UPDATE``: the lock an UPDATE of the counter takes, so the
    two exclude each other, while rows that merely refer to the event (a new
    sign-up's foreign key) are not held up.
    """
    _limit_lock_wait()
    return Event.objects.select_for_update(of=("self",), no_key=True).select_related("place", "circle").get(pk=event_id)


def _take_seat(event_id: int, *, now: datetime) -> bool:
    """Take a free seat of an open event in one statement; False when it is full, cancelled or closed.

    The row lock of the UPDATE is held until the caller's transaction ends:
    every seat taken is counted before the next request may look.
    """
    still_open = Q(cancelled_at__isnull=True) & (
        Q(signup_deadline__gt=now) | Q(signup_deadline__isnull=True, starts_at__gt=now)
    )
    free = Q(capacity__isnull=True) | Q(seats_taken__lt=F("capacity"))
    return Event.objects.filter(still_open, free, pk=event_id).update(seats_taken=F("seats_taken") + 1) == 1


def _add_seats(event: Event, count: int) -> None:
    """Move the counter of ``event`` (locked by the caller) by ``count``, in the database and on the instance."""
    if count:
        Event.objects.filter(pk=event.pk).update(seats_taken=F("seats_taken") + count)
        event.seats_taken += count


def _full(event: Event) -> bool:
    """Every seat taken (``event`` locked by the caller, so its counter is current)."""
    return event.capacity is not None and event.seats_taken >= event.capacity


def _promote_waiting(event: Event, *, now: datetime) -> list[SignUp]:
    """Give free seats to the first people waiting, in order; call with the event locked.

    Nobody is promoted once the event has started or when it is cancelled: a
    seat that frees during the meeting is of no use to anyone.
    """
    if event.is_cancelled or now >= event.starts_at:
        return []
    if event.capacity is None:
        free = None
    else:
        free = event.capacity - event.seats_taken
        if free <= 0:
            return []
    waiting = event.signups.filter(status=SignUpStatus.WAITING).order_by("queued_at", "pk")
    promoted = list(waiting if free is None else waiting[:free])
    for signup in promoted:
        signup.status = SignUpStatus.CONFIRMED
        signup.promoted_at = now
        signup.save(update_fields=["status", "promoted_at", "updated_at"])
        notifications.on_commit_promoted(signup)
    _add_seats(event, len(promoted))
    return promoted


def _release_lapsed(event: Event, *, now: datetime) -> tuple[int, list[SignUp]]:
    """Release the visitors' kept seats of ``event`` (locked) that lapsed by ``now``, then serve the waiting list.

    Returns how many seats were released and who was promoted.
    """
    released = SignUp.objects.filter(event=event, status=SignUpStatus.PENDING, hold_until__lte=now).update(
        hold_until=None, updated_at=now
    )
    if not released:
        return 0, []
    _add_seats(event, -released)
    return released, _promote_waiting(event, now=now)


def recount_seats(*, now: datetime, event_ids: Collection[int] | None = None) -> int:
    """Set the seat counter of events whose sign-ups changed outside these services; returns how many were wrong.

    ``event_ids``: those events (after deleting sign-ups, for example when
    a person's data is erased); None: every event that has not ended, as the
    cron command's safety net. A seat that comes free goes to the first
    people waiting. Each event is set under its row lock, so a sign-up in
    flight is counted once.
    """
    events = Event.objects.all() if event_ids is not None else Event.objects.filter(ends_at__gt=now)
    if event_ids is not None:
        events = events.filter(pk__in=event_ids)
    counted = Count("signups", filter=counted_q("signups__"))
    wrong = list(
        events.annotate(counted=counted).exclude(seats_taken=F("counted")).order_by("pk").values_list("pk", flat=True)
    )
    for event_id in wrong:
        with transaction.atomic():
            event = _lock_event(event_id)
            real = event.signups.filter(counted_q()).count()
            if real != event.seats_taken:
                logger.warning("Seat counter of event %s was %s, set to %s.", event_id, event.seats_taken, real)
                _add_seats(event, real - event.seats_taken)
                _promote_waiting(event, now=now)
    return len(wrong)


def _remind_at(starts_at: datetime) -> datetime:
    """The same time of day in Brussels, one calendar day before (23 or 25 hours across a clock change)."""
    local = starts_at.astimezone(BRUSSELS)
    day_before = (local.replace(tzinfo=None) - timedelta(days=1)).replace(tzinfo=BRUSSELS)
    return day_before.astimezone(UTC)


# ---------------------------------------------------------------------------
# Organising


def _apply(event: Event, data: EventInput) -> None:
    for language in LANGUAGES:
        setattr(event, f"title_{language}", single_line(data.titles.get(language, "")))
        setattr(event, f"description_{language}", data.descriptions.get(language, "").strip())
    for name in ("kind", "format", "language", "attendance", "audience", "capacity", "signup_deadline"):
        setattr(event, name, getattr(data, name))
    event.sector = data.sector
    event.theme = data.theme
    event.edition = data.edition
    event.starts_at = data.starts_at
    event.ends_at = data.ends_at
    event.place = data.place if data.attendance != Attendance.ONLINE else None
    event.address = single_line(data.address) if data.attendance != Attendance.ONLINE and data.place is None else ""
    event.video_url = single_line(data.video_url) if data.attendance != Attendance.IN_PERSON else ""
    event.circle = data.circle if data.audience == Audience.CIRCLE else None
    setattr(event, f"agenda_{text_language(event)}", data.agenda)
    event.remind_at = _remind_at(data.starts_at)


def create_event(*, by: Any, data: EventInput, series: Series | None = None) -> Event:
    """Create an event; members of its group (if any) are signed up at once. Raises EventInvalid."""
    errors = event_errors(data=data)
    if errors:
        raise EventInvalid(errors)
    with transaction.atomic():
        event = Event(series=series, organiser=by if by is not None and by.is_authenticated else None)
        _apply(event, data)
        event.save()
        if event.circle is not None:
            _seat_circle_members(event)
        record_change(actor=by, obj=event, action="created")
        notifications.on_commit_schedule_reminders(event)
    return event


def _seat_circle_members(event: Event) -> None:
    """A group's members are expected at each of its meetings: they hold a seat without signing up.

    Call with the event locked. Seats are counted like any sign-up: when a
    capacity is full, a member joining late waits like everyone else.
    """
    now = timezone.now()
    assert event.circle is not None
    seated = event.seats_taken
    for membership in event.circle.memberships.select_related("user").order_by("joined_at", "pk"):
        user = membership.user
        if SignUp.objects.filter(event=event, user=user).exists():
            continue
        full = event.capacity is not None and seated >= event.capacity
        SignUp.objects.create(
            event=event,
            user=user,
            name=single_line(user.get_full_name() or user.email),
            email=user.email,
            language=user.preferred_language,
            status=SignUpStatus.WAITING if full else SignUpStatus.CONFIRMED,
            queued_at=now,
        )
        seated += 0 if full else 1
    _add_seats(event, seated - event.seats_taken)


_CHANGES_PEOPLE_NOTICE = ("starts_at", "ends_at", "place_id", "address", "video_url", "attendance")


def update_event(*, by: Any, event: Event, data: EventInput) -> Event:
    """Change an event. A capacity below the seats already taken is refused; more seats go to the waiting list.

    People holding a seat are told when the time, place or link changes.
    Raises EventInvalid or EventBusy.
    """
    try:
        with transaction.atomic(durable=True):
            locked = _lock_event(event.pk)
            if locked.is_cancelled:
                raise EventInvalid({"__all__": _("This event is cancelled: it can no longer be changed.")})
            errors = event_errors(data=data, event=locked)
            if errors:
                raise EventInvalid(errors)
            before = {name: getattr(locked, name) for name in _CHANGES_PEOPLE_NOTICE}
            _apply(locked, data)
            changed = [name for name in _CHANGES_PEOPLE_NOTICE if getattr(locked, name) != before[name]]
            locked.sequence += 1
            locked.save()
            if locked.circle is not None:
                _seat_circle_members(locked)
            _promote_waiting(locked, now=timezone.now())
            record_change(actor=by, obj=locked, action="changed", changes={"fields": changed})
            if changed:
                notifications.on_commit_changed(locked)
            if "starts_at" in changed:
                notifications.on_commit_schedule_reminders(locked)
    except OperationalError as error:
        raise EventBusy from error
    return locked


def change_capacity(*, by: Any, event_id: int, capacity: int | None) -> Event:
    """Set the number of seats (None: no limit). Raises EventInvalid below the seats taken, EventBusy."""
    try:
        with transaction.atomic(durable=True):
            event = _lock_event(event_id)
            if event.is_cancelled:
                raise EventInvalid({"capacity": _("This event is cancelled: it can no longer be changed.")})
            if capacity is not None and not 1 <= capacity <= MAX_CAPACITY:
                raise EventInvalid(
                    {"capacity": _("Give between 1 and %(max)d seats, or leave it empty.") % {"max": MAX_CAPACITY}}
                )
            error = capacity_error(event=event, capacity=capacity)
            if error:
                raise EventInvalid({"capacity": error})
            event.capacity = capacity
            event.save(update_fields=["capacity", "updated_at"])
            _promote_waiting(event, now=timezone.now())
            record_change(actor=by, obj=event, action="capacity", changes={"capacity": capacity})
    except OperationalError as error:
        raise EventBusy from error
    return event


def cancel_event(*, by: Any, event: Event) -> Event:
    """Cancel an event: everyone signed up or waiting is told. Cancelling twice tells nobody twice."""
    with transaction.atomic():
        locked = Event.objects.select_for_update(of=("self",)).get(pk=event.pk)
        if locked.cancelled_at is None:
            locked.cancelled_at = timezone.now()
            locked.sequence += 1
            locked.save(update_fields=["cancelled_at", "sequence", "updated_at"])
            record_change(actor=by, obj=locked, action="cancelled")
            notifications.on_commit_cancelled(locked)
    return locked


def parse_rule(*, rule: str, first_start: datetime) -> list[datetime]:
    """The start of each occurrence of ``rule`` (RFC 5545 RRULE) from ``first_start``, in Brussels wall time.

    Raises EventInvalid (field "rule") for an unreadable rule, a rule without
    an end (UNTIL or COUNT), or one beyond MAX_OCCURRENCES / MAX_SERIES_DAYS.
    """
    text = rule.strip().removeprefix("RRULE:")
    upper = text.upper()
    if not text:
        return [first_start]
    if "UNTIL=" not in upper and "COUNT=" not in upper:
        raise EventInvalid(
            {
                "rule": _(
                    "A series needs an end: a last date or a number of times "
                    "(at most %(count)d times, within two years)."
                )
                % {"count": MAX_OCCURRENCES}
            }
        )
    local_start = first_start.astimezone(BRUSSELS).replace(tzinfo=None)
    try:
        # Naive wall time in, naive wall time out: "every Monday at 9:00" stays 9:00 across clock changes.
        recurrence = rrulestr(text, dtstart=local_start, ignoretz=True)
        assert isinstance(recurrence, rrule)
        horizon = local_start + timedelta(days=MAX_SERIES_DAYS)
        starts: list[datetime] = []
        for moment in recurrence:
            if moment > horizon or len(starts) >= MAX_OCCURRENCES:
                raise EventInvalid(
                    {
                        "rule": _(
                            "This series has too many occurrences: at most %(count)d, within two years. "
                            "Choose an earlier end."
                        )
                        % {"count": MAX_OCCURRENCES}
                    }
                )
            starts.append(moment)
    except (ValueError, TypeError, AssertionError) as error:
        raise EventInvalid({"rule": _("This repetition rule cannot be read: %(error)s") % {"error": error}}) from error
    if not starts:
        raise EventInvalid({"rule": _("This rule gives no date at all: check its end.")})
    return [moment.replace(tzinfo=BRUSSELS) for moment in starts]


def create_series(*, by: Any, data: EventInput, rule: str) -> Series:
    """Create a series and one event per occurrence, each with the first one's settings and wall-clock times.

    Raises EventInvalid (the event's fields, or "rule").
    """
    errors = event_errors(data=data)
    if errors:
        raise EventInvalid(errors)
    starts = parse_rule(rule=rule, first_start=data.starts_at)
    local_first = data.starts_at.astimezone(BRUSSELS).replace(tzinfo=None)
    duration = data.ends_at.astimezone(BRUSSELS).replace(tzinfo=None) - local_first
    # The deadline keeps its wall-clock distance to each start ("18:00 the day before"), across clock changes.
    deadline_before = (
        local_first - data.signup_deadline.astimezone(BRUSSELS).replace(tzinfo=None) if data.signup_deadline else None
    )
    with transaction.atomic():
        series = Series(
            rule=rule.strip().removeprefix("RRULE:"),
            first_starts_at=data.starts_at,
            circle=data.circle if data.audience == Audience.CIRCLE else None,
            created_by=by if by is not None and by.is_authenticated else None,
        )
        for language in LANGUAGES:
            setattr(series, f"title_{language}", single_line(data.titles.get(language, "")))
        series.save()
        for start in starts:
            end = (start.replace(tzinfo=None) + duration).replace(tzinfo=BRUSSELS)
            occurrence = replace(
                data,
                starts_at=start,
                ends_at=end,
                signup_deadline=(
                    (start.replace(tzinfo=None) - deadline_before).replace(tzinfo=BRUSSELS)
                    if deadline_before is not None
                    else None
                ),
            )
            create_event(by=by, data=occurrence, series=series)
        record_change(actor=by, obj=series, action="created", changes={"rule": series.rule, "count": len(starts)})
    return series


# ---------------------------------------------------------------------------
# Signing up


def sign_up(
    *,
    event_id: int,
    user: Any = None,
    name: str = "",
    email: str = "",
    language: str = "",
    now: datetime | None = None,
    notify: bool = True,
) -> SignUp:
    """Take a seat at an event, or a place on its waiting list when it is full.

    ``user`` is the person with an account; a visitor without one (public
    events only) gives ``name`` and ``email``. Signing up again while holding
    a seat or waiting changes nothing; after a cancellation it queues anew.
    ``notify=False`` sends no confirmation (demo data). The returned sign-up
    has ``newly_queued`` True when this call gave it its seat or place in the
    queue (False: the person already had one). Raises SignUpRefused (with the reason) or EventBusy.
    """
    anonymous = user is None or not user.is_authenticated
    if anonymous:
        name, email = single_line(name), email.strip().lower()
        if not name or not email:
            raise SignUpRefused(_("Give your name and email address."))
    for attempt in range(1, SIGN_UP_ATTEMPTS + 1):
        try:
            return _sign_up_once(
                event_id=event_id,
                user=None if anonymous else user,
                name=name,
                email=email,
                language=language,
                now=now,
                notify=notify,
            )
        except (OperationalError, IntegrityError, _ChangedMeanwhile) as error:
            # OperationalError: the row stayed locked past LOCK_TIMEOUT_MS. IntegrityError or
            # _ChangedMeanwhile: the same person's other request (a double click) was first; the next
            # attempt finds its sign-up. Nothing was written: the transaction was rolled back.
            logger.warning("Sign-up for event %s tried again (attempt %d): %r", event_id, attempt, error)
            if attempt == SIGN_UP_ATTEMPTS:
                if isinstance(error, IntegrityError):
                    raise
                raise EventBusy from error
    raise AssertionError("unreachable")


def _own_sign_up(*, event: Event, user: Any, email: str) -> SignUp | None:
    """The person's sign-up for ``event`` in any status (``user`` None: the visitor's, by email), or None."""
    mine = SignUp.objects.filter(event=event)
    mine = mine.filter(user__isnull=True, email__iexact=email) if user is None else mine.filter(user=user)
    return mine.first()


class _ChangedMeanwhile(Exception):
    """The person's own sign-up changed between the read and the lock: start again."""


def _sign_up_once(
    *, event_id: int, user: Any, name: str, email: str, language: str, now: datetime | None, notify: bool
) -> SignUp:
    """One attempt of ``sign_up`` (``user`` None: a visitor with ``name`` and ``email``)."""
    anonymous = user is None
    # Read without a lock: the event, whether the person may come, and their own sign-up.
    event = Event.objects.select_related("place", "circle").get(pk=event_id)
    refusal = signup_refusal(event=event, user=user, now=now or timezone.now())
    if refusal:
        raise SignUpRefused(refusal)
    signup = _own_sign_up(event=event, user=user, email=email)
    if (
        signup is not None
        and signup.status != SignUpStatus.CANCELLED
        and not _confirm_expired(signup, now or timezone.now())
    ):
        signup.newly_queued = False
        return signup
    with transaction.atomic(durable=True):
        if signup is not None:
            # Signing up again (rare): the event's row first, then the person's row, as cancel_sign_up does.
            locked = _lock_event(event_id)
            _release_lapsed(locked, now=now or timezone.now())  # an expired visitor's kept seat among them
            before = (signup.status, signup.queued_at)
            signup = SignUp.objects.select_for_update().get(pk=signup.pk)
            if (signup.status, signup.queued_at) != before:
                raise _ChangedMeanwhile
            if counts_a_seat(signup.status, signup.hold_until):
                _add_seats(locked, -1)  # an expired visitor's seat still kept: it is taken anew below
        else:
            _limit_lock_wait()
        seated = _take_seat(event_id, now=now or timezone.now())
        if not seated:
            # Full (or closed since): the waiting list is written under the row lock, in the order it is taken.
            locked = _lock_event(event_id)
            closed = _closed(locked, now or timezone.now())
            if closed:
                raise SignUpRefused(closed)
            released, _promoted = _release_lapsed(locked, now=now or timezone.now())
            seated = bool(released) and _take_seat(event_id, now=now or timezone.now())
        # Read while the event's row is held: the queue is in the order the sign-ups commit.
        now = now or timezone.now()
        status = SignUpStatus.CONFIRMED if seated else SignUpStatus.WAITING
        hold_until = None
        if anonymous:
            # A visitor proves the address first: a seat (if one is free) is kept for a short while only,
            # so a script without the mailboxes cannot take the seats of an info session.
            status, hold_until = SignUpStatus.PENDING, now + VISITOR_HOLD if seated else None
        if signup is None:
            signup = SignUp(event=event, user=user)
        if anonymous:
            signup.name, signup.email = name, email
            # A fresh personal link: the old one was mailed to whoever signed up before.
            signup.token = new_token()
            signup.language = language if language in LANGUAGES else settings.LANGUAGE_CODE
        else:
            signup.name = single_line(user.get_full_name() or user.email)
            signup.email = user.email
            signup.language = user.preferred_language
        signup.status = status
        signup.hold_until = hold_until
        signup.status_before_cancel = ""
        signup.queued_at = now
        signup.promoted_at = None
        signup.save()
        signup.newly_queued = True
        if hold_until is not None:
            _plan_hold_lapse(event_id=event.pk, at=hold_until)
        if notify and status == SignUpStatus.PENDING:
            notifications.on_commit_confirm_email(signup)
        elif notify:
            notifications.on_commit_signed_up(signup)
    return signup


def _plan_hold_lapse(*, event_id: int, at: datetime) -> None:
    """Plan the release of a kept seat for the moment it lapses (on the database queue; cron covers the others)."""
    # Imported here: the task module calls this one's services.
    from coopsip.events.tasks import release_lapsed_seat_holds

    if not default_task_backend.supports_defer:
        return
    transaction.on_commit(lambda: release_lapsed_seat_holds.using(run_after=at).enqueue(event_id), robust=True)


def release_lapsed_holds(*, now: datetime, event_id: int | None = None) -> int:
    """Give the seats that visitors did not confirm in time to the first people waiting; returns how many moved.

    A visitor's kept seat lapses at ``hold_until``; from then it is free, and
    the waiting list is served at once (by the task planned for that moment,
    and by the cron command as a safety net), not at the next sign-up or
    cancellation. The visitor can still confirm within the day: they then get
    a seat if one is free, else a place on the waiting list. Running twice
    moves nobody twice. Without ``event_id`` (the cron command) it also sets
    right any seat counter that sign-ups deleted outside these services left
    wrong (``recount_seats``).
    """
    lapsed = SignUp.objects.filter(status=SignUpStatus.PENDING, hold_until__lte=now)
    if event_id is not None:
        lapsed = lapsed.filter(event_id=event_id)
    promoted = 0
    for lapsed_event_id in sorted(set(lapsed.values_list("event_id", flat=True))):
        try:
            with transaction.atomic():
                _released, moved = _release_lapsed(_lock_event(lapsed_event_id), now=now)
                promoted += len(moved)
        except OperationalError:
            # A busy event: the next run (or the next change to its seats) serves its waiting list.
            continue
    if event_id is None:
        recount_seats(now=now)
    return promoted


def _confirm_expired(signup: SignUp, now: datetime) -> bool:
    """A visitor's sign-up whose confirmation link is too old: it no longer counts, signing up again starts anew."""
    return signup.status == SignUpStatus.PENDING and now >= signup.queued_at + VISITOR_CONFIRM_WITHIN


def confirm_visitor_sign_up(*, token: str, now: datetime | None = None) -> SignUp:
    """A visitor opened the link we emailed and confirms: the kept seat becomes theirs.

    When the kept seat ran out (or none was free), they get a free seat if there is one, else a
    place on the waiting list from now. Confirming twice changes nothing. Raises SignUpRefused
    (the link is too old, the event was cancelled or started) or EventBusy.
    """
    event_id = SignUp.objects.filter(token=token).values_list("event_id", flat=True).first()
    if event_id is None:
        raise SignUpRefused(_("This link is not valid."))
    try:
        with transaction.atomic(durable=True):
            event = _lock_event(event_id)
            now = now or timezone.now()
            signup = SignUp.objects.select_for_update().get(token=token)
            if signup.status != SignUpStatus.PENDING:
                return signup
            if _confirm_expired(signup, now):
                raise SignUpRefused(_("This link is more than a day old. Please sign up again."))
            refusal = signup_refusal(event=event, user=None, now=now)
            if refusal:
                raise SignUpRefused(refusal)
            # A kept seat that lapsed (this one too, perhaps) goes to the people waiting first.
            released, _moved = _release_lapsed(event, now=now)
            if released:
                signup.refresh_from_db(fields=["hold_until"])
            if signup.hold_until is not None:
                signup.status = SignUpStatus.CONFIRMED  # the kept seat, already counted
            elif not _full(event):
                signup.status = SignUpStatus.CONFIRMED
                _add_seats(event, 1)
            else:
                signup.status, signup.queued_at = SignUpStatus.WAITING, now
            signup.hold_until = None
            signup.save(update_fields=["status", "hold_until", "queued_at", "updated_at"])
            notifications.on_commit_signed_up(signup)
    except OperationalError as error:
        raise EventBusy from error
    return signup


def cancel_sign_up(*, signup_id: int, now: datetime | None = None, by: Any = None) -> SignUp:
    """Give up a seat (or a place on the waiting list); the first person waiting gets the seat and is told.

    ``by`` is an organiser cancelling for someone: the previous status is kept
    so that ``undo_cancel_sign_up`` can give it back. Nobody cancels after the
    start: then the organiser records the person absent or excused
    (``record_attendance``). Cancelling twice changes nothing. Raises
    SignUpRefused after the event started, EventBusy.
    """
    try:
        with transaction.atomic(durable=True):
            return cancel_sign_up_in_transaction(signup_id=signup_id, now=now or timezone.now(), by=by)
    except OperationalError as error:
        raise EventBusy from error


def cancel_sign_up_in_transaction(*, signup_id: int, now: datetime, by: Any = None) -> SignUp:
    """``cancel_sign_up`` inside the caller's transaction (deleting an account cancels its seats this way)."""
    event_id = SignUp.objects.values_list("event_id", flat=True).get(pk=signup_id)
    event = _lock_event(event_id)
    signup = SignUp.objects.select_for_update().get(pk=signup_id)
    if signup.status == SignUpStatus.CANCELLED:
        return signup
    if now >= event.starts_at:
        if by is not None:
            raise SignUpRefused(
                _("This meeting has started: record the person as absent or excused in the attendance instead.")
            )
        raise SignUpRefused(_("This event has started: it can no longer be cancelled."))
    freed = counts_a_seat(signup.status, signup.hold_until)
    signup.status_before_cancel = signup.status if by is not None else ""
    signup.status = SignUpStatus.CANCELLED
    signup.save(update_fields=["status", "status_before_cancel", "updated_at"])
    _add_seats(event, -1 if freed else 0)
    _promote_waiting(event, now=now)
    if by is not None:
        record_change(
            actor=by,
            obj=event,
            action="signup_cancelled",
            changes={"signup": signup.pk, "status": signup.status_before_cancel},
        )
    return signup


@dataclass(frozen=True)
class Restored:
    """What ``undo_cancel_sign_up`` gave back: ``seat_taken`` when the seat had gone and the person now waits."""

    signup: SignUp
    seat_taken: bool
    position: int | None


def undo_cancel_sign_up(*, by: Any, signup_id: int, now: datetime | None = None) -> Restored:
    """Give back what an organiser's cancellation took: the seat, or the place on the waiting list.

    Only before the start, and only for a cancellation by an organiser (not
    one the person made). Seats are counted as in ``sign_up``: when the freed
    seat was taken in the meantime and the event is full, the person goes
    back on the waiting list at their old place in the queue (their first
    sign-up time, so usually first). Raises SignUpRefused (why), EventBusy.
    """
    try:
        with transaction.atomic(durable=True):
            event_id = SignUp.objects.values_list("event_id", flat=True).get(pk=signup_id)
            event = _lock_event(event_id)
            signup = SignUp.objects.select_for_update().get(pk=signup_id)
            now = now or timezone.now()
            if signup.status != SignUpStatus.CANCELLED or not signup.status_before_cancel:
                raise SignUpRefused(
                    _("There is no cancellation to undo for %(name)s: the list changed since.") % {"name": signup.name}
                )
            if event.is_cancelled:
                raise SignUpRefused(_("This event was cancelled."))
            if now >= event.starts_at:
                raise SignUpRefused(
                    _("This meeting has started: record who came in the attendance instead of undoing.")
                )
            wanted = signup.status_before_cancel
            full = _full(event)
            seat_taken = wanted in SEATED and full
            signup.status = SignUpStatus.WAITING if wanted == SignUpStatus.WAITING or seat_taken else wanted
            if signup.status == SignUpStatus.PENDING and (
                full or signup.hold_until is None or signup.hold_until <= now
            ):
                signup.hold_until = None  # a visitor's kept seat comes back only while it lasts and is free
            signup.status_before_cancel = ""
            signup.save(update_fields=["status", "hold_until", "status_before_cancel", "updated_at"])
            _add_seats(event, 1 if counts_a_seat(signup.status, signup.hold_until) else 0)
            # A place given back on the waiting list may have a free seat in front of it.
            _promote_waiting(event, now=now)
            signup.refresh_from_db()
            record_change(
                actor=by,
                obj=event,
                action="signup_cancel_undone",
                changes={"signup": signup.pk, "status": signup.status},
            )
            position = None
            if signup.status == SignUpStatus.WAITING:
                ahead = event.signups.filter(status=SignUpStatus.WAITING).filter(
                    Q(queued_at__lt=signup.queued_at) | Q(queued_at=signup.queued_at, pk__lt=signup.pk)
                )
                position = ahead.count() + 1
    except OperationalError as error:
        raise EventBusy from error
    return Restored(signup=signup, seat_taken=seat_taken and signup.status == SignUpStatus.WAITING, position=position)


def invite_guest(*, by: Any, event: Event, name: str, email: str, language: str, role: str = "") -> SignUp:
    """Invite a guest (an expert, a partner) to one meeting: a seat and a personal link, no account needed.

    Raises EventInvalid (fields "name", "email") or EventBusy.
    """
    errors: dict[str, str] = {}
    name, role = single_line(name), single_line(role)
    if not name:
        errors["name"] = _("Give the guest's name.")
    try:
        validate_email(email.strip())
    except ValidationError:
        errors["email"] = _("Give a valid email address, such as name@example.org.")
    if errors:
        raise EventInvalid(errors)
    try:
        with transaction.atomic(durable=True):
            locked = _lock_event(event.pk)
            if locked.is_cancelled or timezone.now() >= locked.ends_at:
                raise EventInvalid({"email": _("This meeting is over or cancelled: guests can no longer be invited.")})
            existing = SignUp.objects.filter(event=locked, user__isnull=True, email__iexact=email.strip()).first()
            if existing is not None and existing.status in SEATED:
                raise EventInvalid({"email": _("This person is already invited.")})
            counted = existing is not None and counts_a_seat(existing.status, existing.hold_until)
            if not counted and _full(locked):
                raise EventInvalid({"email": _("The meeting is full: add seats before inviting a guest.")})
            guest = existing or SignUp(event=locked)
            guest.name = name
            guest.email = email.strip().lower()
            guest.language = language if language in LANGUAGES else settings.LANGUAGE_CODE
            guest.status = SignUpStatus.CONFIRMED
            guest.hold_until = None
            guest.queued_at = timezone.now()
            guest.status_before_cancel = ""
            guest.invited_by = by
            guest.guest_role = role
            guest.token = new_token()
            guest.save()
            _add_seats(locked, 0 if counted else 1)
            record_change(actor=by, obj=locked, action="guest_invited", changes={"guest": guest.name})
            notifications.on_commit_guest_invited(guest)
    except OperationalError as error:
        raise EventBusy from error
    return guest


# ---------------------------------------------------------------------------
# After the meeting


class Mark:
    """What an organiser records for one person after the start."""

    ATTENDED = "attended"
    ABSENT = "absent"
    EXCUSED = "excused"  # stored as a cancellation: the attendance tables show it as "excused"
    CHOICES = (ATTENDED, ABSENT, EXCUSED)


MARK_STATUS: dict[str, str] = {
    Mark.ATTENDED: SignUpStatus.ATTENDED,
    Mark.ABSENT: SignUpStatus.ABSENT,
    Mark.EXCUSED: SignUpStatus.CANCELLED,
}


def mark_of(signup: SignUp) -> str:
    """The mark ``signup`` has now ("" for a seat whose attendance is not recorded, or someone waiting)."""
    marks: dict[str, str] = {status: mark for mark, status in MARK_STATUS.items()}
    return marks.get(signup.status, "")


def markable(signup: SignUp) -> bool:
    """Who gets a mark after the start: seat holders and those who cancelled (not people still waiting)."""
    return signup.status != SignUpStatus.WAITING


def record_attendance(
    *,
    by: Any,
    event: Event,
    marks: Mapping[int, str] | None = None,
    present: Collection[int] = (),
    now: datetime | None = None,
    among: Collection[int] | None = None,
) -> int:
    """Record who came: ``marks`` maps sign-up ids to attended, absent or excused (see ``Mark``).

    ``present`` is the short form "these came" (ids marked attended). Only
    once the event has started; nothing else changes a sign-up then. A seat
    holder without a mark is recorded absent; someone who cancelled and has
    no mark stays excused. ``among``: only these sign-ups are recorded (the
    people on one page of a long list), the others keep what they have.
    Gives no seat to anyone and tells nobody (an excused person's seat is no
    longer counted). Returns how many came, in all. Raises EventInvalid.
    """
    marks = {**dict.fromkeys(present, Mark.ATTENDED), **(marks or {})}
    now = now or timezone.now()
    if now < event.starts_at:
        raise EventInvalid({"present": _("Attendance can be recorded once the meeting has started.")})
    if any(mark not in Mark.CHOICES for mark in marks.values()):
        raise EventInvalid({"present": _("Choose came, absent or excused for each person.")})
    with transaction.atomic():
        locked = _lock_event(event.pk)  # the event's row first, then its sign-ups, as every change of seats does
        signups = SignUp.objects.select_for_update().filter(event=event)
        if among is not None:
            signups = signups.filter(pk__in=list(among))
        rows = [signup for signup in signups if markable(signup)]
        unknown = set(marks) - {signup.pk for signup in rows}
        if unknown:
            raise EventInvalid({"present": _("Some people marked are not on this meeting's list; reload the page.")})
        seats = 0
        for signup in rows:
            if signup.pk not in marks and not signup.holds_seat:
                continue  # cancelled beforehand and not marked: stays excused, as the person left it
            status = MARK_STATUS[marks.get(signup.pk, Mark.ABSENT)]
            if signup.status != status or signup.attendance_recorded_by_id != getattr(by, "pk", None):
                seats -= int(counts_a_seat(signup.status, signup.hold_until))
                seats += int(counts_a_seat(status, None))
                signup.status = status
                signup.status_before_cancel = ""
                signup.attendance_recorded_by = by
                signup.save(update_fields=["status", "status_before_cancel", "attendance_recorded_by", "updated_at"])
        _add_seats(locked, seats)
        came = event.signups.filter(status=SignUpStatus.ATTENDED).count()
        record_change(actor=by, obj=event, action="attendance", changes={"present": came})
    return came


def text_language(event: Event) -> str:
    """The language an agenda or minutes typed now is kept in: the meeting's, or the page's for a mixed one."""
    code = event.language or (get_language() or settings.LANGUAGE_CODE)[:2]
    return code if code in LANGUAGES else LANGUAGES[0]


def meeting_texts(event: Event) -> dict[str, str]:
    """The agenda and minutes as kept in ``text_language`` (what a form edits; no other language's text)."""
    code = text_language(event)
    return {field: getattr(event, f"{field}_{code}") or "" for field in ("agenda", "minutes")}


def save_minutes(*, by: Any, event: Event, agenda: str, minutes: str) -> Event:
    """Save the agenda and the minutes (Markdown) of a meeting, in its language (``text_language``).

    Readers of another language see that text with the site's note, until someone writes theirs.
    """
    code = text_language(event)
    with transaction.atomic():
        setattr(event, f"agenda_{code}", agenda.strip())
        if minutes.strip() != (getattr(event, f"minutes_{code}") or ""):
            setattr(event, f"minutes_{code}", minutes.strip())
            event.minutes_updated_at = timezone.now()
        event.save(update_fields=[f"agenda_{code}", f"minutes_{code}", "minutes_updated_at", "updated_at"])
        record_change(actor=by, obj=event, action="minutes")
    return event


def add_attachment(*, by: Any, event: Event, upload: UploadedFile) -> MinutesAttachment:
    """Attach a file to the minutes; refused (EventInvalid, field "file") unless it is an allowed document."""
    from coopsip.editions.services import upload_error

    error = upload_error(upload)
    if error:
        raise EventInvalid({"file": error})
    with transaction.atomic():
        attachment = MinutesAttachment(event=event, uploaded_by=by, name=single_line(upload.name or "")[:200] or "file")
        attachment.file.save(upload.name or "file", upload, save=False)
        attachment.save()
        record_change(actor=by, obj=event, action="attachment_added", changes={"name": attachment.name})
    return attachment


def delete_attachment(*, by: Any, attachment: MinutesAttachment) -> None:
    with transaction.atomic():
        event = attachment.event
        name = attachment.name
        stored = attachment.file.name
        storage = attachment.file.storage
        attachment.delete()
        record_change(actor=by, obj=event, action="attachment_removed", changes={"name": name})
        transaction.on_commit(lambda: storage.delete(stored))


# ---------------------------------------------------------------------------
# Calendars and groups


def calendar_feed_of(*, user: Any) -> CalendarFeed:
    """The person's calendar link, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


def renew_calendar_feed(*, user: Any) -> CalendarFeed:
    """Give the person a new secret calendar link; the old one stops working at once."""
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
        if not created:
            feed.token = new_token()
            feed.save(update_fields=["token", "created_at"])
    return feed


def create_circle(*, name: str, members: Collection[tuple[Any, str]] = ()) -> Circle:
    """A group whose meetings are open to its members only (the groups of a later issue build on it)."""
    with transaction.atomic():
        circle = Circle.objects.create(name=single_line(name))
        for user, role in members:
            add_to_circle(circle=circle, user=user, role=role)
    return circle


def add_to_circle(*, circle: Circle, user: Any, role: str = CircleRole.MEMBER) -> CircleMember:
    """Add a person to a group; they are expected at (and hold a seat for) its coming meetings."""
    with transaction.atomic():
        membership, created = CircleMember.objects.get_or_create(circle=circle, user=user, defaults={"role": role})
        if not created and membership.role != role:
            membership.role = role
            membership.save(update_fields=["role"])
        for event_id in circle.events.filter(starts_at__gt=timezone.now(), cancelled_at__isnull=True).values_list(
            "pk", flat=True
        ):
            _seat_circle_members(_lock_event(event_id))
    return membership


def remove_from_circle(*, circle: Circle, user: Any, by: Any = None) -> bool:
    """Take a person out of a group: their seats and places at its coming meetings go, as if they cancelled.

    From then on the group's meetings leave their personal calendar and they
    no longer see the video links (past meetings they attended stay in their
    history). The working groups use this when someone leaves. Returns False
    when the person was not in the group. Raises EventBusy.
    """
    now = timezone.now()
    try:
        # Not durable: the working groups call it inside their own change.
        with transaction.atomic():
            deleted, _rows = CircleMember.objects.filter(circle=circle, user=user).delete()
            if not deleted:
                return False
            coming = SignUp.objects.filter(
                user=user,
                event__circle=circle,
                event__starts_at__gt=now,
                status__in=(*SEATED, SignUpStatus.WAITING),
            ).values_list("pk", flat=True)
            for signup_id in list(coming):
                cancel_sign_up_in_transaction(signup_id=signup_id, now=now)
            record_change(actor=by, obj=circle, action="member_removed", changes={"person": user.pk})
    except OperationalError as error:
        raise EventBusy from error
    return True


def renew_circle_calendar(*, by: Any, circle: Circle) -> Circle:
    """Give the group's calendar link a new key: the old link answers "not found" from now on."""
    with transaction.atomic():
        locked = Circle.objects.select_for_update().get(pk=circle.pk)
        locked.calendar_token = new_token()
        locked.save(update_fields=["calendar_token"])
        record_change(actor=by, obj=locked, action="calendar_link_renewed")
    return locked


def upcoming_q(now: datetime) -> Q:
    return Q(ends_at__gt=now, cancelled_at__isnull=True)
