"""Demo working groups: the demo edition's published proposal answered, so that a newcomer sees every state.

About seven weeks ago the answers were asked for. In four groups everyone
accepted: they are active, three of them with two past meetings (attendance
and minutes) and one planned, the fourth stalled (no meeting since it
started). The demo member (vennoot@demo.coopsip.org) was invited into the
first active group and accepted. In the other groups most people accepted;
a few declined (with a reason) and their seats were offered again to people
without a group (the backfill); one of them asked to stay on the waiting list
(she is offered a free seat in another group that fits her, or told why there
is none), and the secretaries have not answered yet, so those groups wait.
The moderator of an active group has invited a member who has not answered
yet. Everything goes through the groups' services; the emails
they send go to made-up people and are delivered by the local mail backend
only. Loading twice adds nothing: the step is skipped once the edition has
working groups.

``active_circles()`` gives the circles of the active groups (the group spaces'
demo fills them).
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta

from django.test.utils import override_settings
from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services as events
from coopsip.events.models import Attendance, Audience, Circle, Event, EventFormat, EventKind
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.groups import services
from coopsip.groups.models import GroupStatus, Seat, SeatState, WorkingGroup
from coopsip.registrations.models import Registration, Source

SEED = 2029
ASKED_DAYS_AGO = 50
ACTIVE = 4  # the last one is the stalled group
# (reason, their words, keep me on the waiting list)
DECLINES = (
    ("no_time", "", False),
    ("slot", "I changed jobs: Tuesday mornings are gone.", True),
    ("too_far", "", False),
)
COMMITMENT = "I take part for the whole period. Taking part now and then is not possible."


# A working group's meetings in its own language (issue 16: no English agendas on Dutch and French pages).
MEETING_AGENDA = {
    "nl": (
        "1. Nieuws van iedereen\n2. Wat we leerden sinds de vorige keer\n3. Ideeën om uit te werken\n"
        "4. Volgende bijeenkomst"
    ),
    "fr": (
        "1. Tour de table\n2. Ce que nous avons appris depuis la dernière fois\n3. Idées à explorer\n"
        "4. Prochaine réunion"
    ),
    "en": "1. Round of news\n2. What we learnt since last time\n3. Ideas to explore\n4. Next meeting",
}
MEETING_MINUTES = {
    "nl": (
        "## Bijeenkomst {number}\n\n- {present} van de {seated} leden waren er.\n"
        "- We somden op waar leden tegenaan lopen rond dit thema en kozen drie vragen om uit te zoeken.\n"
        "- Volgende keer: ieder brengt een voorbeeld uit het eigen werk mee."
    ),
    "fr": (
        "## Réunion {number}\n\n- {present} membres sur {seated} étaient présents.\n"
        "- Nous avons listé les difficultés des membres sur ce thème et choisi trois questions à étudier.\n"
        "- La prochaine fois : chacun apporte un exemple tiré de son propre travail."
    ),
    "en": (
        "## Meeting {number}\n\n- {present} of {seated} members came.\n"
        "- We listed what members run into on this theme and chose three questions to study.\n"
        "- Next time: each brings one example from their own work."
    ),
}
OFFICE_ADDRESS = {
    "nl": "Kantoor {office} van de coöperatie",
    "fr": "Bureau {office} de la coopérative",
    "en": "{office} office of the cooperative",
}


def active_circles() -> list[Circle]:
    """The circles of the demo edition's active working groups, in the groups' order."""
    return [
        group.circle
        for group in WorkingGroup.objects.filter(edition__slug=DEMO_EDITION, status=GroupStatus.ACTIVE)
        .select_related("circle")
        .order_by("pk")
        if group.circle is not None
    ]


def load_groups() -> dict[str, int]:
    run = (
        FormationRun.objects.filter(edition__slug=DEMO_EDITION, status=RunStatus.DONE, published_at__isnull=False)
        .order_by("-published_at")
        .first()
    )
    if run is not None and not WorkingGroup.objects.filter(edition=run.edition).exists():
        # Delivered to the local mail backend only: the people are made up.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            _answer(run)
    # The counts that the steps before reported and this one changes (an invitation, late registrations, meetings).
    return {
        "registrations": Registration.objects.filter(edition__slug=DEMO_EDITION).count(),
        "circles": Circle.objects.count(),
        "events": Event.objects.count(),
        "working_groups": WorkingGroup.objects.count(),
        "active_working_groups": WorkingGroup.objects.filter(status=GroupStatus.ACTIVE).count(),
    }


def _accept(seat: Seat, when: datetime) -> None:
    services.accept_seat(
        seat_id=seat.pk,
        user=seat.registration.user,
        commitment_text=COMMITMENT,
        share_contact=seat.pk % 2 == 0,
        now=when,
    )


def _answer(run: FormationRun) -> None:
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    now = timezone.now()
    asked = now - timedelta(days=ASKED_DAYS_AGO)
    services.open_answers(by=staff, run=run, now=asked)
    groups = list(WorkingGroup.objects.filter(proposed_group__run=run).order_by("pk"))
    # Large groups start, a video group with a free seat first (the demo member is invited into it).
    starting = sorted(groups, key=lambda g: (g.mode != "video", g.proposed_size >= g.max_size, -g.proposed_size, g.pk))
    # One group per theme first, so that the active groups cover several themes (the recommendations' demo
    # needs a theme per stage: decided, with the board, open to every member), whatever the engine proposed.
    first_of_theme: list[WorkingGroup] = []
    for group in starting:
        if all(group.theme_id != first.theme_id for first in first_of_theme):
            first_of_theme.append(group)
    starting = (first_of_theme + [g for g in starting if g not in first_of_theme])[:ACTIVE]
    for group in starting:
        for seat in group.seats.filter(state=SeatState.OFFERED).select_related("registration__user"):
            _accept(seat, asked + timedelta(days=rng.randint(1, 4)))
    waiting = [group for group in groups if group not in starting]
    declines = iter(DECLINES)
    for index, group in enumerate(waiting):
        seats = list(group.seats.filter(state=SeatState.OFFERED).select_related("registration__user").order_by("pk"))
        decline = next(declines, None) if index % 2 == 0 else None
        leaving = [seat for seat in seats if seat.role == "participant"][-1:] if decline is not None else []
        for seat in seats:
            if seat.role == "secretary":
                continue  # not answered yet: the group waits
            if decline is not None and seat in leaving:
                _late_registration(group)  # someone who fits, to take the freed seat
                services.decline_seat(
                    seat_id=seat.pk,
                    user=seat.registration.user,
                    reason=decline[0],
                    text=decline[1],
                    keep_waiting=decline[2],
                    now=asked + timedelta(days=2),
                )
                continue
            _accept(seat, asked + timedelta(days=rng.randint(1, 5)))
    # The backfill ran on each decline (now): the people offered a freed seat accept half of the time.
    for seat in Seat.objects.filter(group__in=waiting, source="backfill", state=SeatState.OFFERED):
        if rng.random() < 0.5:
            _accept(seat, now)
    for group in starting[: ACTIVE - 1]:
        if _demo_member_joins(group, asked + timedelta(days=6)):
            break
    # An invitation still waiting for its answer (sent two days ago).
    for group in reversed(starting[: ACTIVE - 1]):
        if _invite_someone(group, now - timedelta(days=2)):
            break
    for group in starting[: ACTIVE - 1]:
        group.refresh_from_db()
        _meetings(group, staff, now)
    _ask_again(run, now)


def _ask_again(run: FormationRun, now: datetime) -> None:
    """The seats still waiting for an answer were asked again two days ago: their deadlines lie ahead of today.

    Without this, the demo's pending offers would keep the deadline of the first ask (weeks ago), and every page
    would (rightly) say the time to answer has passed.
    """
    deadline, reminder = services.answer_deadline(
        now - timedelta(days=2), services.settings_of(run.edition).answer_days
    )
    Seat.objects.filter(group__proposed_group__run=run, state=SeatState.OFFERED, deadline__lt=now).update(
        deadline=deadline, remind_at=reminder, reminded_at=None
    )


def _late_registration(group: WorkingGroup) -> None:
    """A member who registered late, through the team, and fits ``group``: the backfill offers them its seat."""
    from coopsip.formation.engine.model import DAYS
    from coopsip.formation.inputs import PARTS_BY_CODE
    from coopsip.registrations.models import CommitmentKind
    from coopsip.registrations.services import RegistrationInput, submit_registration

    people = User.objects.filter(
        register_entry__member_number__startswith="D", register_entry__status="member", municipality__isnull=False
    ).exclude(register_entry__member_number__startswith="DEMO")
    if group.office_id is not None:
        people = people.filter(office=group.office)
    person = (
        people.exclude(pk__in=Registration.objects.filter(edition=group.edition).values("user")).order_by("pk").first()
    )
    if person is None:
        return
    day, part = group.slot.split("_")
    registration = submit_registration(
        user=person,
        edition=group.edition,
        data=RegistrationInput(
            theme_ids=[group.theme_id],
            mode="either",
            office=group.office or person.office,
            municipality=person.municipality,
            languages=[group.language],
            slots=[(DAYS.index(day), PARTS_BY_CODE[part])],
            accepted=frozenset(CommitmentKind.values),
        ),
        check_window=False,
        notify=False,
    )
    # Registered by the team after the window closed, as staff do with a paper form.
    Registration.objects.filter(pk=registration.pk).update(source=Source.IMPORT)


def _demo_member_joins(group: WorkingGroup, when: datetime) -> bool:
    lotte = User.objects.filter(email="vennoot@demo.coopsip.org").first()
    secretary = (
        group.seats.filter(role="secretary", state=SeatState.ACCEPTED).select_related("registration__user").first()
    )
    if lotte is None or secretary is None:
        return False
    try:
        seat = services.invite(by=secretary.registration.user, group=group, identifier=lotte.email, now=when)
    except services.GroupRefused:
        return False  # the group is full or meets too far from her
    services.accept_seat(seat_id=seat.pk, user=lotte, commitment_text=COMMITMENT, share_contact=True, now=when)
    return True


def _invite_someone(group: WorkingGroup, when: datetime) -> bool:
    """The group's moderator invites a member who is not registered for the edition; they have not answered."""
    moderator = (
        group.seats.filter(role="moderator", state=SeatState.ACCEPTED).select_related("registration__user").first()
    )
    if moderator is None:
        return False
    people = User.objects.filter(
        register_entry__member_number__startswith="D", register_entry__status="member", municipality__isnull=False
    ).exclude(register_entry__member_number__startswith="DEMO")
    if group.office_id is not None:
        people = people.filter(office=group.office)
    person = (
        people.exclude(pk__in=Registration.objects.filter(edition=group.edition).values("user")).order_by("-pk").first()
    )
    if person is None:
        return False
    try:
        services.invite(by=moderator.registration.user, group=group, identifier=person.email, now=when)
    except services.GroupRefused:
        return False  # full, or too far from them
    return True


def _meetings(group: WorkingGroup, staff: User | None, now: datetime) -> None:
    """Two past meetings with attendance and minutes, and the next one planned, on the group's weekday."""
    assert group.circle is not None
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun").index(group.slot[:3])
    hour = {"am": 9, "pm": 14, "ev": 19}[group.slot[4:]]
    today = now.astimezone(BRUSSELS).date()
    last = today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
    secretary = (
        group.seats.filter(role="secretary", state=SeatState.ACCEPTED).select_related("registration__user").first()
    )
    recorder = secretary.registration.user if secretary else staff
    theme = {code: getattr(group.theme, f"title_{code}", "") or group.theme.title for code in ("nl", "fr", "en")}
    spoken = group.language if group.language in MEETING_AGENDA else "nl"
    for number, day in enumerate((last - timedelta(weeks=3), last, last + timedelta(weeks=3)), start=1):
        start = datetime.combine(day, time(hour, 0), tzinfo=BRUSSELS)
        video = group.office is None
        event = events.create_event(
            by=staff,
            data=events.EventInput(
                titles={
                    "nl": f"Werkgroep {theme['nl']}: bijeenkomst {number}",
                    "fr": f"Groupe de travail {theme['fr']} : réunion {number}",
                    "en": f"Working group {theme['en']}: meeting {number}",
                },
                kind=EventKind.GROUP_MEETING,
                format=EventFormat.MEETING,
                theme=group.theme,
                edition=group.edition,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                attendance=Attendance.ONLINE if video else Attendance.IN_PERSON,
                address="" if video else OFFICE_ADDRESS[spoken].format(office=group.office.name),  # type: ignore[union-attr]
                video_url=f"https://meet.example.org/working-group-{group.pk}" if video else "",
                audience=Audience.CIRCLE,
                circle=group.circle,
                # A group meets in its language: the agenda and minutes are written in it (readers of another
                # language are told so on the meeting's page).
                language=spoken,
                agenda=MEETING_AGENDA[spoken],
            ),
        )
        if start >= now:
            continue
        seated = list(event.signups.order_by("user__email"))
        present = [signup.pk for index, signup in enumerate(seated) if index != 2]  # one person missed both
        events.record_attendance(by=recorder, event=event, present=present, now=event.ends_at)
        events.save_minutes(
            by=recorder,
            event=event,
            agenda=event.agenda,
            minutes=MEETING_MINUTES[spoken].format(number=number, present=len(present), seated=len(seated)),
        )
