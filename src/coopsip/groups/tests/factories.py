"""A published proposal built by hand (no engine run), so that the groups' tests do not wait for the solver."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from django.utils import timezone

from conftest import link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus
from coopsip.groups import services
from coopsip.groups.models import Seat, WorkingGroup
from coopsip.members.models import MembershipStatus
from coopsip.registrations.models import MeetingMode, Registration, RegistrationStatus
from coopsip.registrations.tests.test_register import make_open_edition, make_places, register_with_service

_numbers = itertools.count(1)


def make_edition(**fields: Any) -> Edition:
    make_places()
    return make_open_edition(**({"group_size_min": 3, "group_size_max": 5} | fields))


def make_registrant(
    edition: Edition,
    name: str,
    *,
    moderator: bool = False,
    secretary: bool = False,
    language: str = "en",
    **changes: Any,
) -> Registration:
    user = make_person(f"{name.lower()}@example.org", first_name=name, last_name="Test", preferred_language=language)
    link_to_register(user, number=f"7{next(_numbers):07d}", status=MembershipStatus.MEMBER)
    values = {
        "mode": MeetingMode.EITHER,
        "languages": ["en"],
        "volunteers_as_moderator": moderator,
        "volunteers_as_secretary": secretary,
    }
    return register_with_service(user, edition, **(values | changes))


def make_published_run(edition: Edition, groups: list[list[tuple[Registration, str]]]) -> FormationRun:
    """A done, published run of video groups ("tue_am", Care, English) with these members and roles."""
    run = FormationRun.objects.create(
        edition=edition, number=FormationRun.objects.filter(edition=edition).count() + 1, status=RunStatus.DONE
    )
    theme = edition.themes.get(slug="zorg")
    for number, members in enumerate(groups, start=1):
        group = ProposedGroup.objects.create(
            run=run, key=f"G{number:04d}", theme=theme, mode="video", office=None, language="en", slot="tue_am"
        )
        for registration, role in members:
            ProposedMember.objects.create(run=run, group=group, registration=registration, role=role)
            Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.PROPOSED)
    FormationRun.objects.filter(pk=run.pk).update(published_at=timezone.now())
    run.refresh_from_db()
    return run


def roles(count: int) -> list[str]:
    return ["moderator", "secretary", *["participant"] * (count - 2)]


def opened_groups(
    edition: Edition, staff: User, sizes: list[int], *, prefixes: str = "MOPQ", now: datetime | None = None
) -> list[WorkingGroup]:
    """Proposed video groups of these sizes (a volunteer moderator and secretary first in each), open for answers.

    People are called M0, M1… in the first group, O0, O1… in the second."""
    proposal = []
    for size, prefix in zip(sizes, prefixes, strict=False):
        people = [make_registrant(edition, f"{prefix}{n}", moderator=n == 0, secretary=n == 1) for n in range(size)]
        proposal.append(list(zip(people, roles(size), strict=True)))
    run = make_published_run(edition, proposal)
    services.open_answers(by=staff, run=run, now=now)
    return list(WorkingGroup.objects.filter(proposed_group__run=run).order_by("key"))


def opened_group(edition: Edition, staff: User, size: int = 4, *, now: datetime | None = None) -> WorkingGroup:
    return opened_groups(edition, staff, [size], now=now)[0]


def seat_of(registration: Registration) -> Seat:
    return Seat.objects.filter(registration=registration).order_by("-pk").first()  # type: ignore[return-value]


def accept_all(group: WorkingGroup, now: datetime | None = None) -> None:
    for seat in group.seats.filter(state="offered").select_related("registration__user"):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part.", now=now)
