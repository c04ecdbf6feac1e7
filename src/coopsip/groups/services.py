"""Every change to working groups: answers, deadlines, backfill, activation, invitations, and the team's actions.

Seats are written only under a row lock on their group (``_lock_groups``, in
the order of the groups' ids so that two services never wait on each other):
counting the seats held and writing one happen inside that lock, so a group
never holds more seats than its maximum size, whatever runs at the same time.
A person never holds two seats of one edition: the services check it under
the lock and a partial unique constraint refuses it anyway.

Emails are queued with keys that make them idempotent (``core.mail``):
a task that runs twice sends nothing twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, time, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from coopsip.core.audit import record_change
from coopsip.core.mail import queue_email
from coopsip.editions.models import Edition
from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import CircleRole
from coopsip.events.services import add_to_circle, create_circle
from coopsip.formation import engine, inputs
from coopsip.formation.models import FormationRun, MemberRole
from coopsip.groups.models import (
    DEFAULT_ANSWER_DAYS,
    HOLDING,
    REMINDER_DAYS_BEFORE,
    DeclineReason,
    GroupSettings,
    GroupStatus,
    Seat,
    SeatSource,
    SeatState,
    WorkingGroup,
)
from coopsip.registrations.models import Registration, RegistrationStatus

logger = logging.getLogger(__name__)

LOCK_TIMEOUT_MS = 5000
CIRCLE_ROLES: dict[str, str] = {
    MemberRole.MODERATOR: CircleRole.MODERATOR,
    MemberRole.SECRETARY: CircleRole.SECRETARY,
    # The 2017-2018 format: "coordinated by an animator and by a member of the board"; in the group's circle the
    # board member coordinates beside the moderator (holds its meetings, reads its attendance).
    MemberRole.BOARD: CircleRole.MODERATOR,
    MemberRole.PARTICIPANT: CircleRole.MEMBER,
}
# People who may be offered a freed seat: without a group, and not having said no this year.
SEEKING = (RegistrationStatus.SUBMITTED, RegistrationStatus.WAITING)


class GroupRefused(Exception):
    """The change is not possible; ``message`` says why, in the active language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GroupBusy(Exception):
    """The group is being changed by someone else right now: try again in a moment."""


# ---------------------------------------------------------------------------
# Helpers


def _lock_groups(*group_ids: int) -> dict[int, WorkingGroup]:
    """Lock the groups' rows (inside the caller's transaction), in the order of their ids."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(LOCK_TIMEOUT_MS)}")
    try:
        rows = list(WorkingGroup.objects.select_for_update(of=("self",)).filter(pk__in=group_ids).order_by("pk"))
    except Exception as error:  # a lock wait that timed out
        if "lock" in str(error).lower():
            raise GroupBusy from error
        raise
    return {group.pk: group for group in rows}


def settings_of(edition: Edition) -> GroupSettings:
    found = GroupSettings.objects.filter(edition=edition).first()
    return found if found is not None else GroupSettings(edition=edition, answer_days=DEFAULT_ANSWER_DAYS)


def answer_deadline(now: datetime, days: int) -> tuple[datetime, datetime]:
    """(deadline, reminder): the end of the Brussels day ``days`` from now, and 9:00 in Brussels two days
    before that day. Wall times, so a change to or from summer time moves neither."""
    local_day = now.astimezone(BRUSSELS).date() + timedelta(days=days)
    deadline = datetime.combine(local_day, time(23, 59), tzinfo=BRUSSELS).astimezone(UTC)
    remind_day = local_day - timedelta(days=REMINDER_DAYS_BEFORE)
    reminder = datetime.combine(remind_day, time(9, 0), tzinfo=BRUSSELS).astimezone(UTC)
    return deadline, max(reminder, now)


def _holding(group: WorkingGroup) -> list[Seat]:
    return list(
        group.seats.filter(state__in=HOLDING)
        .exclude(registration__status=RegistrationStatus.WITHDRAWN)
        .select_related("registration__user")
        .order_by("pk")
    )


def _set_registration(registration_id: int, status: str) -> None:
    Registration.objects.filter(pk=registration_id).exclude(status=RegistrationStatus.WITHDRAWN).update(
        status=status, updated_at=timezone.now()
    )


def _date(moment: datetime) -> str:
    return formats.date_format(moment.astimezone(BRUSSELS), "j F Y, H:i")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(BRUSSELS).strftime("%Y%m%dT%H%M")


def group_place(group: WorkingGroup) -> str:
    return group.office.name if group.office is not None else _("by video")


def _email(user: Any, template: str, *, key: str, context: dict[str, Any]) -> None:
    """Render ``groups/email/<template>`` in the person's language and queue it under ``key``."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        full = {"user": user, "site_url": settings.SITE_URL, **context}
        for name in ("link", "registration_link"):
            if callable(full.get(name)):
                # Built here, in the person's language: the address carries its language prefix (/nl/, /fr/, /en/).
                full[name] = full[name]()
        group = context.get("group")
        if group is not None:
            full |= {"place": group_place(group), "slot": inputs.slot_label(group.slot)}
        seat = context.get("seat")
        if seat is not None:
            full |= {"deadline": _date(seat.deadline)}
        subject = render_to_string(f"groups/email/{template}_subject.txt", full).strip()
        body = render_to_string(f"groups/email/{template}.txt", full)
    queue_email(key=key, to_email=user.email, subject=subject, body_text=body, user=user)


def proposal_url(edition: Edition) -> str:
    return settings.SITE_URL + reverse("groups:proposal", kwargs={"slug": edition.slug})


def group_url(group: WorkingGroup) -> str:
    return settings.SITE_URL + reverse("groups:detail", kwargs={"pk": group.pk})


def _about(group: WorkingGroup, held: list[Seat] | None = None) -> dict[str, Any]:
    """What an offer says of the group: its size, its moderator and secretary by first name, the edition's phases."""
    held = _holding(group) if held is None else held
    officers = {seat.role: seat.registration.user.first_name for seat in held if seat.role != MemberRole.PARTICIPANT}
    return {"size": len(held), "officers": officers, "phases": list(group.edition.phases.order_by("starts_on"))}


def _tell_offered(seat: Seat, about: dict[str, Any] | None = None, *, template: str = "offered") -> None:
    user = seat.registration.user
    _email(
        user,
        template,
        key=f"groups:{template}:{seat.pk}",
        context={
            "seat": seat,
            "group": seat.group,
            "edition": seat.group.edition,
            "link": partial(proposal_url, seat.group.edition),
            **(about if about is not None else _about(seat.group)),
        },
    )


def _schedule_deadline_work(*moments: datetime) -> None:
    """Plan a run of the reminders and deadlines for each moment (on the database backend; cron covers the rest)."""
    from coopsip.core.taskqueue import default_task_backend
    from coopsip.groups import tasks

    if not default_task_backend.supports_defer:
        return

    def plan(moment: datetime) -> None:
        tasks.process_answers.using(run_after=moment).enqueue()

    for moment in sorted(set(moments)):
        transaction.on_commit(partial(plan, moment), robust=True)


def _new_seat(
    group: WorkingGroup,
    registration: Registration,
    *,
    role: str,
    source: str,
    now: datetime,
    invited_by: Any = None,
    schedule: bool = True,
) -> Seat:
    deadline, reminder = answer_deadline(now, settings_of(group.edition).answer_days)
    seat = Seat.objects.create(
        group=group,
        registration=registration,
        role=role,
        source=source,
        offered_at=now,
        deadline=deadline,
        remind_at=reminder,
        invited_by=invited_by,
    )
    _set_registration(registration.pk, RegistrationStatus.PROPOSED)
    if schedule:
        _schedule_deadline_work(reminder, deadline + timedelta(minutes=1))
    return seat


# ---------------------------------------------------------------------------
# Opening the published proposal for answers


def open_answers(*, by: Any, run: FormationRun, now: datetime | None = None) -> int:
    """Turn the published ``run`` into working groups and ask each proposed person to answer by the deadline.

    Opening the same run again changes nothing and sends nothing. Returns how many people were asked.
    """
    now = now or timezone.now()
    if run.published_at is None or getattr(run, "replaced_at", None) is not None:
        raise GroupRefused(_("Only the published proposal can be opened for answers."))
    with transaction.atomic():
        edition = Edition.objects.select_for_update().get(pk=run.edition_id)
        if WorkingGroup.objects.filter(edition=edition, status__in=(GroupStatus.WAITING, GroupStatus.ACTIVE)).exists():
            if WorkingGroup.objects.filter(proposed_group__run=run).exists():
                return 0
            raise GroupRefused(
                _("This edition already has working groups: close them before opening another proposal.")
            )
        asked = 0
        for proposed in run.groups.select_related("theme", "office").prefetch_related("members__registration__user"):
            members = [m for m in proposed.members.all() if m.registration.status == RegistrationStatus.PROPOSED]
            group = WorkingGroup.objects.create(
                edition=edition,
                proposed_group=proposed,
                key=proposed.key,
                theme=proposed.theme,
                mode=proposed.mode,
                office=proposed.office,
                language=proposed.language,
                slot=proposed.slot,
                min_size=edition.group_size_min,
                max_size=max(edition.group_size_max, len(members)),
                proposed_size=len(members),
            )
            seats = [
                _new_seat(
                    group, member.registration, role=member.role, source=SeatSource.PROPOSAL, now=now, schedule=False
                )
                for member in members
            ]
            about = _about(group, seats)
            for seat in seats:
                _tell_offered(seat, about)
                asked += 1
        # Every seat of the proposal shares its reminder and its deadline: one planned run each.
        deadline, reminder = answer_deadline(now, settings_of(edition).answer_days)
        _schedule_deadline_work(reminder, deadline + timedelta(minutes=1))
        record_change(actor=by, obj=edition, action="group_answers_opened", changes={"run": run.number})
    return asked


# ---------------------------------------------------------------------------
# Answers


def _answerable(seat: Seat, group: WorkingGroup, now: datetime) -> None:
    if group.status == GroupStatus.CLOSED:
        raise GroupRefused(_("This group was closed: nothing was changed."))
    if seat.state == SeatState.ACCEPTED:
        raise GroupRefused(_("You have already accepted this group."))
    if seat.state == SeatState.DECLINED:
        raise GroupRefused(_("You have already declined this group."))
    if seat.state == SeatState.LEFT:
        raise GroupRefused(_("This proposal has changed: see your registration page."))
    if seat.state == SeatState.OFFERED and now > seat.deadline:
        # Before the deadlines' task has run: the seat is still "offered", but the time to answer is over.
        raise GroupRefused(
            _("The deadline to answer was %(deadline)s: it has passed, so nothing was changed.")
            % {"deadline": _date(seat.deadline)}
        )
    if seat.state == SeatState.EXPIRED:
        raise GroupRefused(
            _("The deadline to answer was %(deadline)s: the seat went to someone else.")
            % {"deadline": _date(seat.deadline)}
        )


def _locked_seat(seat_id: int, user: Any) -> tuple[Seat, WorkingGroup]:
    """Lock the seat's group, then read the seat as it is now (staff may have moved it meanwhile)."""
    group_id = Seat.objects.filter(pk=seat_id).values_list("group_id", flat=True).first()
    if group_id is None:
        raise GroupRefused(_("This proposal no longer exists."))
    group = _lock_groups(group_id)[group_id]
    seat = Seat.objects.select_for_update(of=("self",)).select_related("registration__user").get(pk=seat_id)
    if user is not None and seat.registration.user_id != user.pk:
        raise GroupRefused(_("This proposal is not yours."))
    seat.group = group
    return seat, group


def accept_seat(
    *, seat_id: int, user: Any, commitment_text: str, share_contact: bool = False, now: datetime | None = None
) -> Seat:
    """The person accepts their seat, confirming the commitment again (``commitment_text``: the words shown).

    The group becomes active when its moderator, its secretary and at least its
    minimum size have accepted; someone accepting in an active group joins it at once.
    """
    now = now or timezone.now()
    if not commitment_text.strip():
        raise GroupRefused(_("Confirm the commitment to accept the group."))
    with transaction.atomic():
        seat, group = _locked_seat(seat_id, user)
        _answerable(seat, group, now)
        seat.state = SeatState.ACCEPTED
        seat.answered_at = now
        seat.commitment_text = commitment_text.strip()
        seat.commitment_language = translation.get_language() or settings.LANGUAGE_CODE
        seat.share_contact = share_contact
        seat.save(update_fields=["state", "answered_at", "commitment_text", "commitment_language", "share_contact"])
        _set_registration(seat.registration_id, RegistrationStatus.ACCEPTED)
        record_change(actor=user, obj=group, action="seat_accepted", changes={"registration": seat.registration_id})
        if group.status == GroupStatus.ACTIVE and group.circle is not None:
            add_to_circle(circle=group.circle, user=seat.registration.user, role=CIRCLE_ROLES[seat.role])
            _email(
                seat.registration.user,
                "active",
                key=f"groups:active:{group.pk}:{seat.registration_id}",
                context={"group": group, "link": partial(group_url, group)},
            )
        else:
            _activate_if_ready(group, now=now)
    return seat


def decline_seat(
    *, seat_id: int, user: Any, reason: str, text: str = "", keep_waiting: bool = False, now: datetime | None = None
) -> Seat:
    """The person declines, with a reason from the list (and their own words); the seat is offered again.

    With ``keep_waiting`` they stay on the waiting list: a seat in another group that fits them is offered
    when one is free (never this group's again), or they are told why there is none (``offer_waiting_seat``).
    """
    now = now or timezone.now()
    if reason not in DeclineReason.values:
        raise GroupRefused(_("Choose a reason from the list."))
    if reason == DeclineReason.OTHER and not text.strip():
        raise GroupRefused(_("Tell us the reason in a few words."))
    with transaction.atomic():
        seat, group = _locked_seat(seat_id, user)
        _answerable(seat, group, now)
        seat.state = SeatState.DECLINED
        seat.answered_at = now
        seat.decline_reason = reason
        seat.decline_text = text.strip()[:1000]
        seat.save(update_fields=["state", "answered_at", "decline_reason", "decline_text"])
        _set_registration(
            seat.registration_id, RegistrationStatus.WAITING if keep_waiting else RegistrationStatus.DECLINED
        )
        record_change(
            actor=user,
            obj=group,
            action="seat_declined",
            changes={"registration": seat.registration_id, "reason": reason, "keep_waiting": keep_waiting},
        )
        _backfill_on_commit(group)
        if keep_waiting:
            _offer_waiting_seat_on_commit(seat.registration_id)
    return seat


def _backfill_on_commit(group: WorkingGroup) -> None:
    from coopsip.groups import tasks

    group_id = group.pk
    transaction.on_commit(lambda: tasks.backfill_group.enqueue(group_id), robust=True)


def expire_overdue(*, now: datetime) -> int:
    """Seats offered and not answered by their deadline expire; each freed seat is offered again. Returns how many."""
    expired = 0
    for seat_id in Seat.objects.filter(state=SeatState.OFFERED, deadline__lt=now).values_list("pk", flat=True):
        with transaction.atomic():
            seat, group = _locked_seat(seat_id, None)
            if seat.state != SeatState.OFFERED or seat.deadline >= now:
                continue  # answered meanwhile
            seat.state = SeatState.EXPIRED
            seat.answered_at = now
            seat.save(update_fields=["state", "answered_at"])
            _set_registration(seat.registration_id, RegistrationStatus.EXPIRED)
            _email(
                seat.registration.user,
                "expired",
                key=f"groups:expired:{seat.pk}",
                context={
                    "seat": seat,
                    "group": group,
                    "edition": group.edition,
                    "link": partial(proposal_url, group.edition),
                },
            )
            if group.status != GroupStatus.CLOSED:
                _backfill_on_commit(group)
            expired += 1
    return expired


def release_withdrawn(*, now: datetime) -> int:
    """Seats still held by people who withdrew their registration are freed (and offered again). Returns how many.

    Withdrawing belongs to the registrations, which know nothing of groups: this runs with the deadlines.
    """
    released = 0
    held = Seat.objects.filter(state__in=HOLDING, registration__status=RegistrationStatus.WITHDRAWN)
    for seat_id in held.values_list("pk", flat=True):
        with transaction.atomic():
            seat, group = _locked_seat(seat_id, None)
            if seat.state not in HOLDING:
                continue
            Seat.objects.filter(pk=seat.pk).update(state=SeatState.LEFT, left_at=now, left_reason="withdrew")
            if group.circle is not None:
                from coopsip.events.services import remove_from_circle

                remove_from_circle(circle=group.circle, user=seat.registration.user)
            record_change(
                actor=None, obj=group, action="seat_freed_by_withdrawal", changes={"registration": seat.registration_id}
            )
            if group.status != GroupStatus.CLOSED:
                _backfill_on_commit(group)
            released += 1
    return released


def remind_due(*, now: datetime) -> int:
    """Remind, once, each person whose answer is due in two days. Returns how many were reminded."""
    reminded = 0
    due = Seat.objects.filter(
        state=SeatState.OFFERED, remind_at__lte=now, deadline__gt=now, reminded_at__isnull=True
    ).select_related("registration__user", "group__edition", "group__theme", "group__office")
    for seat in due:
        with transaction.atomic():
            # The conditional update decides who reminds when two runs overlap; the email key refuses a second anyway.
            if not Seat.objects.filter(pk=seat.pk, state=SeatState.OFFERED, reminded_at__isnull=True).update(
                reminded_at=now
            ):
                continue
            _email(
                seat.registration.user,
                "reminder",
                key=f"groups:reminder:{seat.pk}:{_stamp(seat.deadline)}",
                context={
                    "seat": seat,
                    "group": seat.group,
                    "edition": seat.group.edition,
                    "link": partial(proposal_url, seat.group.edition),
                },
            )
            reminded += 1
    return reminded


# ---------------------------------------------------------------------------
# Activation


def _activate_if_ready(group: WorkingGroup, *, now: datetime) -> bool:
    """Call with the group locked: make it active when its moderator, secretary and minimum size accepted."""
    if group.status != GroupStatus.WAITING:
        return False
    accepted = [seat for seat in _holding(group) if seat.state == SeatState.ACCEPTED]
    roles = {seat.role for seat in accepted}
    if any(role not in roles for role in required_roles(group.edition)) or len(accepted) < group.min_size:
        return False
    circle = create_circle(
        name=f"{group.theme.title} – {group_place(group)} ({group.key})",
        members=[(seat.registration.user, CIRCLE_ROLES[seat.role]) for seat in accepted],
    )
    group.status = GroupStatus.ACTIVE
    group.circle = circle
    group.activated_at = now
    group.attention = ""
    group.save(update_fields=["status", "circle", "activated_at", "attention"])
    record_change(actor=None, obj=group, action="group_active", changes={"members": len(accepted)})
    for seat in accepted:
        _email(
            seat.registration.user,
            "active",
            key=f"groups:active:{group.pk}:{seat.registration_id}",
            context={"group": group, "link": partial(group_url, group)},
        )
    return True


# ---------------------------------------------------------------------------
# Backfill


@dataclass(frozen=True)
class BackfillResult:
    offered: list[int]  # registration ids offered a seat
    new_roles: dict[int, str]  # registration id → role taken over
    missing_role: str | None  # a role nobody could take: the team was told


VACANT = "vacant-seat"


def required_roles(edition: Edition) -> tuple[str, ...]:
    """The roles each group of ``edition`` needs before it starts, as its format says."""
    return tuple(
        role
        for role, required in (
            (MemberRole.MODERATOR, edition.requires_moderator),
            (MemberRole.SECRETARY, edition.requires_secretary),
            (MemberRole.BOARD, edition.requires_board_member),
        )
        if required
    )


def _needed_role(group: WorkingGroup, holding: list[Seat]) -> str:
    roles = {seat.role for seat in holding}
    for role in required_roles(group.edition):
        if role not in roles:
            return role
    return MemberRole.PARTICIPANT


def backfill(*, group_id: int, now: datetime | None = None) -> BackfillResult:
    """Offer the group's freed seats, one person per seat, to the best-fitting people still without a group.

    The engine's re-form after a decline decides (``engine.reform_after_decline``):
    the freed seat is the one that "declines", every person holding a seat is
    kept, and only this group is given to it, so nobody else changes group. A
    missing moderator or secretary is taken over by a member who volunteered or
    found among the people without a group; when nobody can, the group is
    flagged and the edition's contact address told.
    """
    now = now or timezone.now()
    offered: list[int] = []
    new_roles: dict[int, str] = {}
    missing: str | None = None
    broken: list[engine.Violation] = []
    with transaction.atomic():
        group = _lock_groups(group_id).get(group_id)
        if group is None or group.status == GroupStatus.CLOSED:
            return BackfillResult([], {}, None)
        edition = group.edition
        holding = _holding(group)
        seeking = set(
            Registration.objects.filter(edition=edition, status__in=SEEKING)
            .exclude(group_seats__state__in=HOLDING)
            .exclude(group_seats__group=group)  # who declined, expired or left this group is not asked again
            .values_list("pk", flat=True)
        )
        loaded = inputs.load_problem(edition, only={*seeking, *(seat.registration_id for seat in holding)})
        base = inputs.engine_params(inputs.default_params(edition))
        target = min(group.proposed_size, group.max_size)
        while True:
            holding = _holding(group)
            role = _needed_role(group, holding)
            if len(holding) >= target and role == MemberRole.PARTICIPANT:
                break
            if len(holding) >= group.max_size:
                missing = role
                break
            members = tuple(engine.Member(str(seat.registration_id), seat.role) for seat in holding)  # type: ignore[arg-type]
            current = engine.Group(
                id=group.key,
                theme=str(group.theme_id),
                mode=group.mode,  # type: ignore[arg-type]
                office=str(group.office_id) if group.office_id else None,
                language=group.language,
                slot=group.slot,
                members=(*members, engine.Member(VACANT, role)),  # type: ignore[arg-type]
            )
            pool = tuple(engine.Unassigned(str(pk), "waiting", {}, "") for pk in sorted(seeking))
            params = replace(base, min_size=len(holding) + 1, max_size=max(group.max_size, len(holding) + 1))
            solution = engine.reform_after_decline(
                loaded.problem, params, engine.Solution(groups=(current,), unassigned=pool), VACANT
            )
            formed = next((g for g in solution.groups if g.id == group.key), None)
            if formed is None:  # nobody fits: the engine would dissolve the group, which is not ours to do here
                if role != MemberRole.PARTICIPANT:
                    missing = role
                break
            before = {str(seat.registration_id): seat for seat in holding}
            changed = False
            for member in formed.members:
                seat = before.get(member.id)
                if seat is not None and seat.role != member.role:
                    _take_over_role(group, seat, member.role, now=now)
                    new_roles[seat.registration_id] = member.role
                    changed = True
            for member in formed.members:
                if member.id in before or member.id == VACANT:
                    continue
                if len(_holding(group)) >= group.max_size:
                    break
                registration = loaded.registrations[member.id]
                seat = _new_seat(group, registration, role=member.role, source=SeatSource.BACKFILL, now=now)
                _tell_offered(seat)
                seeking.discard(registration.pk)
                offered.append(registration.pk)
                changed = True
            if not changed:
                break
        if missing is None:
            # A decline may have tipped the group over a balance rule of the format that nobody could repair.
            broken = _broken_balance(loaded.problem, base, group)
        if missing is not None:
            _flag(group, missing, now=now)
        elif broken:
            _flag(group, MemberRole.PARTICIPANT, now=now, text=_balance_text(group, broken[0]))
        elif group.attention:
            group.attention = ""
            group.save(update_fields=["attention"])
        if offered or new_roles:
            record_change(
                actor=None, obj=group, action="seats_offered_again", changes={"offered": offered, "roles": new_roles}
            )
    return BackfillResult(offered, new_roles, missing)


def _take_over_role(group: WorkingGroup, seat: Seat, role: str, *, now: datetime) -> None:
    seat.role = role
    seat.save(update_fields=["role"])
    if seat.state == SeatState.ACCEPTED and group.circle is not None:
        add_to_circle(circle=group.circle, user=seat.registration.user, role=CIRCLE_ROLES[role])
    _email(
        seat.registration.user,
        "new_role",
        key=f"groups:role:{seat.pk}:{role}:{_stamp(now)}",
        context={"seat": seat, "group": group, "role": MemberRole(role).label, "link": partial(group_url, group)},
    )


def _broken_balance(problem: engine.Problem, params: engine.Params, group: WorkingGroup) -> list[engine.Violation]:
    """The hard balance rules of the edition's format that the group, as it stands, breaks."""
    from coopsip.formation.reasons import FLAGS

    members = tuple(engine.Member(str(seat.registration_id), seat.role) for seat in _holding(group))  # type: ignore[arg-type]
    current = engine.Group(
        id=group.key,
        theme=str(group.theme_id),
        mode=group.mode,  # type: ignore[arg-type]
        office=str(group.office_id) if group.office_id else None,
        language=group.language,
        slot=group.slot,
        members=members,
    )
    return [v for v in engine.validate(problem, [current], params) if v.severity == "hard" and v.code in FLAGS]


def _balance_text(group: WorkingGroup, violation: engine.Violation) -> str:
    """The balance rule the group breaks since a decline, in words (the formation's texts)."""
    from coopsip.formation.reasons import Names, flag_text

    return flag_text(violation.code, dict(violation.params), Names(), group=group.key)


def _flag(group: WorkingGroup, role: str, *, now: datetime, text: str = "") -> None:
    text = text or (
        _("No moderator: nobody who volunteered fits this group.")
        if role == MemberRole.MODERATOR
        else _("No secretary: nobody who volunteered fits this group.")
        if role == MemberRole.SECRETARY
        else _("No board member: nobody who volunteered fits this group.")
        if role == MemberRole.BOARD
        else _("The group is full.")
    )
    if group.attention == text:
        return
    group.attention = text
    group.save(update_fields=["attention"])
    contact = group.edition.contact_email
    if contact:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("A working group needs the team: %(group)s") % {"group": group.key}
            body = render_to_string(
                "groups/email/attention.txt",
                {"group": group, "text": text, "place": group_place(group), "link": group_url(group)},
            )
        queue_email(
            key=f"groups:attention:{group.pk}:{role}:{_stamp(now)}", to_email=contact, subject=subject, body_text=body
        )


# ---------------------------------------------------------------------------
# The waiting list: people without a group who want a freed seat

# Who may put themselves on the waiting list again: they said no, or did not answer in time.
REJOINING = (RegistrationStatus.DECLINED, RegistrationStatus.EXPIRED)


def _own_registration(user: Any, edition: Edition) -> Registration:
    """The person's registration in ``edition``, locked; refused when they have none, hold a seat, or the
    groups are not formed yet."""
    registration = (
        Registration.objects.select_for_update()
        .filter(edition=edition, user=user)
        .exclude(status=RegistrationStatus.WITHDRAWN)
        .first()
    )
    if registration is None:
        raise GroupRefused(_("You have no registration for this edition."))
    if not WorkingGroup.objects.filter(edition=edition).exists():
        raise GroupRefused(_("The groups are not formed yet: your registration is all that is needed for now."))
    if registration.group_seats.filter(state__in=HOLDING).exists():
        raise GroupRefused(_("You have a group: answer its proposal or go to its page."))
    return registration


def join_waiting_list(*, user: Any, edition: Edition) -> Registration:
    """A person without a group (they declined or did not answer in time) asks for a freed seat after all.

    A seat in a group that fits them is offered at once if one is free; else they are told why there is
    none, and stay on the list for the next one."""
    with transaction.atomic():
        registration = _own_registration(user, edition)
        if registration.status not in REJOINING:
            raise GroupRefused(_("You are already on the waiting list."))
        _set_registration(registration.pk, RegistrationStatus.WAITING)
        record_change(actor=user, obj=registration, action="waiting_list_joined")
        _offer_waiting_seat_on_commit(registration.pk)
    registration.refresh_from_db()
    return registration


def leave_waiting_list(*, user: Any, edition: Edition) -> Registration:
    """A person without a group no longer wants a seat this year (their registration stays)."""
    with transaction.atomic():
        registration = _own_registration(user, edition)
        if registration.status not in SEEKING:
            raise GroupRefused(_("You are not on the waiting list."))
        _set_registration(registration.pk, RegistrationStatus.DECLINED)
        record_change(actor=user, obj=registration, action="waiting_list_left")
    registration.refresh_from_db()
    return registration


def _offer_waiting_seat_on_commit(registration_id: int, *, tell: bool = True) -> None:
    from coopsip.groups import tasks

    transaction.on_commit(lambda: tasks.offer_waiting_seat.enqueue(registration_id, tell), robust=True)


def _seat_target(group: WorkingGroup) -> int:
    """How many seats a group offers again when some are freed: the size it was proposed with."""
    return min(group.proposed_size, group.max_size)


def _personal_reason(code: str, params: Mapping[str, Any], names: Any) -> str:
    """The engine's reason (its code and parameters) said to the person themselves, not in the team's words."""
    from coopsip.accounts.models import SPOKEN_LANGUAGES

    language = str(dict(SPOKEN_LANGUAGES).get(str(params.get("language")), params.get("language") or ""))
    texts: dict[str, Any] = {
        "theme_not_in_country": lambda: _("The theme you chose does not run in your country."),
        "language": lambda: (
            _("The group with a free seat works in %(language)s, a language you did not choose.")
            % {"language": language}
        ),
        "not_available": lambda: (
            _("The group with a free seat meets on %(slot)s, and you are not available then.")
            % {"slot": inputs.slot_label(str(params.get("slot")))}
        ),
        "video_only": lambda: _("You meet only by video, and the group with a free seat meets in person."),
        "in_person_only": lambda: _("You meet only in person, and the group with a free seat meets by video."),
        "too_far": lambda: (
            _("The group with a free seat meets at the %(office)s office, too far from your home.")
            % {"office": names.office(params.get("office"))}
        ),
        "groups_full": lambda: (
            _(
                "The groups you could join (such as %(theme)s in %(language)s, %(place)s) are full, or their "
                "moderators and secretaries were needed by larger groups."
            )
            % {
                "theme": names.theme(params.get("theme")),
                "language": language,
                "place": names.office(params.get("office")),
            }
        ),
    }
    text = texts.get(code)
    return str(text()) if text is not None else _("No group that fits your answers has a free seat.")


def offer_waiting_seat(*, registration_id: int, tell: bool = True, now: datetime | None = None) -> Seat | None:
    """Offer one person on the waiting list a free seat in a group of the edition that fits them, or tell them
    why there is none: one email with the engine's reason in words and what they can do.

    A group "fits" when the engine's rules for a member (theme chosen, language, time slot, in person or by
    video, distance) all hold (``engine.validate.member_violations``). Groups they were in before are not
    offered again. The seat is written under the group's lock like every other; running twice offers
    nothing twice and sends nothing twice. ``tell=False`` sends no email when nothing fits (people of a
    closed group were told already, with what they can do)."""
    from coopsip.formation.engine.validate import member_violations
    from coopsip.formation.reasons import Names

    now = now or timezone.now()
    registration = Registration.objects.select_related("user", "edition").filter(pk=registration_id).first()
    if registration is None or registration.status not in SEEKING:
        return None
    if registration.group_seats.filter(state__in=HOLDING).exists():
        return None
    edition = registration.edition
    loaded = inputs.load_problem(edition, only={registration.pk})
    person = next(iter(loaded.problem.registrants), None)
    if person is None:
        return None
    params = inputs.engine_params(inputs.default_params(edition))
    themes = {theme.id: theme for theme in loaded.problem.themes}
    offices = {office.id: office for office in loaded.problem.offices}
    been = Seat.objects.filter(registration=registration).values("group_id")
    open_groups = (
        WorkingGroup.objects.filter(edition=edition)
        .exclude(status=GroupStatus.CLOSED)
        .exclude(pk__in=been)
        .annotate(holding=Count("seats", filter=Q(seats__state__in=HOLDING)))
        .order_by("key")
    )
    chosen = [g for g in open_groups if str(g.theme_id) in person.prefs and g.holding < _seat_target(g)]
    chosen.sort(key=lambda g: (person.prefs.index(str(g.theme_id)), g.key))
    fitting: list[WorkingGroup] = []
    why = None
    for group in chosen:
        office = str(group.office_id) if group.office_id else None
        candidate = engine.Group(
            id=group.key,
            theme=str(group.theme_id),
            mode=group.mode,  # type: ignore[arg-type]
            office=office,
            language=group.language,
            slot=group.slot,
            members=(),
        )
        broken = member_violations(
            person, "participant", candidate, themes.get(candidate.theme), offices.get(office or ""), params
        )
        if not broken:
            fitting.append(group)
        elif why is None:
            why = broken[0]
    for free in fitting:
        with transaction.atomic():
            locked = _lock_groups(free.pk).get(free.pk)
            if locked is None or locked.status == GroupStatus.CLOSED or len(_holding(locked)) >= _seat_target(locked):
                continue  # taken meanwhile
            current = Registration.objects.select_for_update().get(pk=registration.pk)
            if current.status not in SEEKING or current.group_seats.filter(state__in=HOLDING).exists():
                return None
            seat = _new_seat(locked, current, role=MemberRole.PARTICIPANT, source=SeatSource.BACKFILL, now=now)
            _tell_offered(seat)
            record_change(actor=None, obj=locked, action="seats_offered_again", changes={"offered": [current.pk]})
            return seat
    if not tell:
        return None
    user = registration.user
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        names = Names({str(registration.pk): registration})
        if why is not None:
            reason = _personal_reason(why.code, why.params, names)
        else:
            reason = _personal_reason(
                "groups_full",
                {
                    "theme": person.prefs[0] if person.prefs else "",
                    "language": next(iter(sorted(person.languages)), ""),
                    "office": str(registration.office_id) if registration.office_id else None,
                },
                names,
            )
    _email(
        user,
        "without",
        key=f"groups:without:{registration.pk}:{registration.updated_at.isoformat()}",
        context={
            "edition": edition,
            "reason": reason,
            "by_video": registration.mode == "in_person",
            "link": partial(proposal_url, edition),
            "registration_link": partial(_registration_url, edition),
        },
    )
    return None


def _registration_url(edition: Edition) -> str:
    return settings.SITE_URL + reverse("registrations:register", kwargs={"slug": edition.slug})


# ---------------------------------------------------------------------------
# Invitations by the group's moderator or secretary


def find_invitee(*, edition: Edition, identifier: str) -> Any:
    """The person an officer means by an email address or a member number (their user), or GroupRefused."""
    from coopsip.accounts.models import User

    identifier = identifier.strip()
    if not identifier:
        raise GroupRefused(_("Give an email address or a member number."))
    query = Q(email__iexact=identifier) if "@" in identifier else Q(register_entry__member_number=identifier)
    user = User.objects.filter(query).select_related("register_entry").first()
    if user is None:
        raise GroupRefused(_("Nobody with this email address or member number has an account on this site."))
    return user


def invite(*, by: Any, group: WorkingGroup, identifier: str, now: datetime | None = None) -> Seat:
    """Offer a seat in an active group to a member the officer names; they accept the commitment before joining.

    Refused, with why: the group is not active or full, the person is not a
    member, is already in a group of this edition, or may not meet there
    (in person: their office or region must be the group's; anyone for a video group).
    """
    now = now or timezone.now()
    from coopsip.core.access import is_member

    user = find_invitee(edition=group.edition, identifier=identifier)
    if not is_member(user):
        raise GroupRefused(
            _("%(name)s is not a member of the cooperative.") % {"name": user.get_full_name() or user.email}
        )
    with transaction.atomic():
        group = _lock_groups(group.pk)[group.pk]
        if group.status != GroupStatus.ACTIVE:
            raise GroupRefused(_("Only an active group can invite people."))
        if len(_holding(group)) >= group.max_size:
            raise GroupRefused(
                _("The group is full: it has %(max)s seats, all taken or offered.") % {"max": group.max_size}
            )
        registration = Registration.objects.filter(edition=group.edition, user=user).first()
        if registration is not None and registration.group_seats.filter(state__in=HOLDING).exists():
            raise GroupRefused(
                _("%(name)s is already in a group of this edition.") % {"name": user.get_full_name() or user.email}
            )
        if registration is not None and registration.status == RegistrationStatus.WITHDRAWN:
            registration = None
        if group.office_id is not None:
            office = registration.office_id if registration is not None else None
            municipality = registration.municipality if registration is not None else user.municipality
            near = office == group.office_id or (
                municipality is not None and group.office is not None and _near(municipality, group.office)
            )
            if not near:
                raise GroupRefused(
                    _("%(name)s does not belong to the office or region of %(office)s; invite them to a video group.")
                    % {"name": user.get_full_name() or user.email, "office": group_place(group)}
                )
        if registration is None:
            from coopsip.registrations.services import register_for_group

            registration = register_for_group(
                user=user,
                edition=group.edition,
                mode=group.mode,
                office=group.office,
                language=group.language,
            )
        seat = _new_seat(
            group, registration, role=MemberRole.PARTICIPANT, source=SeatSource.INVITATION, now=now, invited_by=by
        )
        record_change(actor=by, obj=group, action="person_invited", changes={"registration": registration.pk})
        _tell_offered(seat, template="invited")
    return seat


def _near(municipality: Any, office: Any) -> bool:
    from coopsip.formation.engine.geo import haversine_km

    km = haversine_km(
        float(municipality.latitude), float(municipality.longitude), float(office.latitude), float(office.longitude)
    )
    return km <= float(settings.COOPSIP_FORMATION_MAX_TRAVEL_KM)


# ---------------------------------------------------------------------------
# The team's actions


def close_group(*, by: Any, group: WorkingGroup, reason: str, now: datetime | None = None) -> WorkingGroup:
    """Close a group; everyone holding a seat is told, and waits for a seat elsewhere."""
    now = now or timezone.now()
    if not reason.strip():
        raise GroupRefused(_("Say why the group closes: its members will read it."))
    with transaction.atomic():
        group = _lock_groups(group.pk)[group.pk]
        if group.status == GroupStatus.CLOSED:
            raise GroupRefused(_("This group is already closed."))
        people = _holding(group)
        _release(people, reason=reason.strip(), now=now)
        group.status = GroupStatus.CLOSED
        group.closed_at = now
        group.close_reason = reason.strip()[:500]
        group.save(update_fields=["status", "closed_at", "close_reason"])
        record_change(actor=by, obj=group, action="group_closed", changes={"reason": group.close_reason})
        for seat in people:
            _email(
                seat.registration.user,
                "closed",
                key=f"groups:closed:{group.pk}:{seat.registration_id}",
                context={"group": group, "reason": group.close_reason, "edition": group.edition},
            )
            # On the waiting list now: a free seat elsewhere that fits them is offered (the email above said
            # what they can do, so nothing more is sent when none fits).
            _offer_waiting_seat_on_commit(seat.registration_id, tell=False)
    return group


def _release(seats: Iterable[Seat], *, reason: str, now: datetime) -> None:
    for seat in seats:
        Seat.objects.filter(pk=seat.pk).update(state=SeatState.LEFT, left_at=now, left_reason=reason[:300])
        _set_registration(seat.registration_id, RegistrationStatus.WAITING)


def merge_groups(*, by: Any, source: WorkingGroup, target: WorkingGroup, now: datetime | None = None) -> WorkingGroup:
    """Move everyone of ``source`` into ``target`` (same theme, both small enough), close ``source``; all are told."""
    now = now or timezone.now()
    if source.pk == target.pk:
        raise GroupRefused(_("Choose two different groups."))
    with transaction.atomic():
        locked = _lock_groups(source.pk, target.pk)
        source, target = locked[source.pk], locked[target.pk]
        if GroupStatus.CLOSED in (source.status, target.status):
            raise GroupRefused(_("A closed group cannot be merged."))
        if source.theme_id != target.theme_id:
            raise GroupRefused(_("Only groups of the same theme can be merged."))
        moving, staying = _holding(source), _holding(target)
        if len(moving) + len(staying) > target.max_size:
            raise GroupRefused(
                _("Together they would have %(count)s people; a group has at most %(max)s.")
                % {"count": len(moving) + len(staying), "max": target.max_size}
            )
        taken = {seat.role for seat in staying}
        for seat in moving:
            role = (
                seat.role if seat.role == MemberRole.PARTICIPANT or seat.role not in taken else MemberRole.PARTICIPANT
            )
            taken.add(role)
            Seat.objects.filter(pk=seat.pk).update(state=SeatState.LEFT, left_at=now, left_reason="merged")
            moved = Seat.objects.create(
                group=target,
                registration=seat.registration,
                role=role,
                state=seat.state,
                source=SeatSource.STAFF,
                offered_at=seat.offered_at,
                deadline=seat.deadline,
                remind_at=seat.remind_at,
                reminded_at=seat.reminded_at,
                answered_at=seat.answered_at,
                commitment_text=seat.commitment_text,
                commitment_language=seat.commitment_language,
                share_contact=seat.share_contact,
            )
            if moved.state == SeatState.ACCEPTED and target.circle is not None:
                add_to_circle(circle=target.circle, user=seat.registration.user, role=CIRCLE_ROLES[role])
        source.status = GroupStatus.CLOSED
        source.closed_at = now
        source.close_reason = _("Merged into %(group)s.") % {"group": target.key}
        source.save(update_fields=["status", "closed_at", "close_reason"])
        target.proposed_size = min(target.max_size, target.proposed_size + source.proposed_size)
        target.save(update_fields=["proposed_size"])
        record_change(actor=by, obj=target, action="groups_merged", changes={"from": source.key})
        _activate_if_ready(target, now=now)
        for seat in [*moving, *staying]:
            _email(
                seat.registration.user,
                "merged",
                key=f"groups:merged:{source.pk}:{target.pk}:{seat.registration_id}",
                context={"group": target, "source": source, "link": partial(group_url, target)},
            )
    return target


def move_person(*, by: Any, seat: Seat, to_group: WorkingGroup, now: datetime | None = None) -> Seat:
    """Move a person who accepted from one active group to another (never above its maximum); both told."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock_groups(seat.group_id, to_group.pk)
        source, target = locked[seat.group_id], locked[to_group.pk]
        seat = Seat.objects.select_for_update(of=("self",)).select_related("registration__user").get(pk=seat.pk)
        if seat.group_id != source.pk or seat.state != SeatState.ACCEPTED:
            raise GroupRefused(_("Only a person who accepted their group can be moved."))
        if source.pk == target.pk:
            raise GroupRefused(_("The person is already in this group."))
        if source.status != GroupStatus.ACTIVE or target.status != GroupStatus.ACTIVE:
            raise GroupRefused(_("People move only between active groups."))
        if len(_holding(target)) >= target.max_size:
            raise GroupRefused(_("%(group)s is full (%(max)s seats).") % {"group": target.key, "max": target.max_size})
        Seat.objects.filter(pk=seat.pk).update(state=SeatState.LEFT, left_at=now, left_reason="moved")
        user = seat.registration.user
        if source.circle is not None:
            from coopsip.events.services import remove_from_circle

            remove_from_circle(circle=source.circle, user=user, by=by)
        moved = Seat.objects.create(
            group=target,
            registration=seat.registration,
            role=MemberRole.PARTICIPANT,
            state=SeatState.ACCEPTED,
            source=SeatSource.STAFF,
            offered_at=now,
            deadline=seat.deadline,
            remind_at=seat.remind_at,
            answered_at=seat.answered_at,
            commitment_text=seat.commitment_text,
            commitment_language=seat.commitment_language,
            share_contact=seat.share_contact,
        )
        assert target.circle is not None
        add_to_circle(circle=target.circle, user=user, role=CircleRole.MEMBER)
        record_change(
            actor=by,
            obj=target,
            action="person_moved",
            changes={"registration": seat.registration_id, "from": source.key},
        )
        _email(
            user,
            "moved",
            key=f"groups:moved:{moved.pk}",
            context={"group": target, "source": source, "link": partial(group_url, target)},
        )
        if seat.role != MemberRole.PARTICIPANT:
            _backfill_on_commit(source)  # the role it left needs someone
    return moved


def set_advisor(*, by: Any, office: Any, user: Any) -> None:
    from coopsip.groups.models import OfficeAdvisor

    with transaction.atomic():
        OfficeAdvisor.objects.get_or_create(office=office, user=user)
        record_change(actor=by, obj=office, action="advisor_set", changes={"user": user.pk})
