"""A known data set for the statistics and API tests: figures computed by hand in the docstrings."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from coopsip.editions.models import Edition
from coopsip.events.models import Event, EventKind, SignUp, SignUpStatus
from coopsip.groups.models import WorkingGroup
from coopsip.groups.tests.factories import accept_all, make_edition, opened_groups


def edition_with_groups(staff: Any, sizes: tuple[int, ...] = (5, 4), *, prefixes: str = "MOPQ") -> list[WorkingGroup]:
    """An open edition with video groups of ``sizes`` people, all accepted (so all active)."""
    edition = make_edition()
    groups = opened_groups(edition, staff, list(sizes), prefixes=prefixes)
    for group in groups:
        accept_all(group)
    return [WorkingGroup.objects.get(pk=group.pk) for group in groups]


def held_meeting(group: WorkingGroup, *, present: int, absent: int, days_ago: int = 3) -> Event:
    """A past meeting of ``group``: the first ``present`` members marked present, the next ``absent`` absent."""
    starts = timezone.now() - timedelta(days=days_ago)
    event = Event.objects.create(
        title="Meeting",
        kind=EventKind.GROUP_MEETING,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        audience="circle",
        attendance="online",
        circle=group.circle,
        edition=group.edition,
        video_url="https://meet.example.org/secret-group-room",
    )
    members = [seat.registration.user for seat in group.seats.filter(state="accepted").order_by("pk")]
    for index, user in enumerate(members[: present + absent]):
        SignUp.objects.create(
            event=event,
            user=user,
            name=user.get_full_name() or user.email,
            email=user.email,
            status=SignUpStatus.ATTENDED if index < present else SignUpStatus.ABSENT,
            queued_at=starts - timedelta(days=1),
        )
    return event


def empty_edition(slug: str = "2030-2031") -> Edition:
    today = timezone.localdate()
    return Edition.objects.create(
        slug=slug,
        title_nl="Leeg",
        title_en="Empty edition",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=100),
        published_at=timezone.now() - timedelta(days=500),
    )
