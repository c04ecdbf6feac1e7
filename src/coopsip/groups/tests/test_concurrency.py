"""The last seat of a group, taken at once by many: never more than the maximum, never one person in two groups.

Real threads, each with its own database connection, and real commits (a
transactional test), in the style of the events' concurrency test. On
PostgreSQL the requests truly run side by side and the row lock on the group
decides; on SQLite the writers take turns on a file copy of the database.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from conftest import link_to_register, make_person
from coopsip.groups import services
from coopsip.groups.models import HOLDING, GroupStatus, Seat, SeatState, WorkingGroup
from coopsip.groups.tests.factories import make_edition, opened_groups
from coopsip.members.models import MembershipStatus
from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database


def all_at_once(calls: list[Callable[[], Any]]) -> tuple[int, list[BaseException]]:
    """Run each call on its own thread, all starting together; (how many succeeded, unexpected errors)."""
    failures: list[BaseException] = []
    done: list[int] = []
    barrier = threading.Barrier(len(calls))

    def work(call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=60)
            for _attempt in range(20):  # "try again in a moment"
                try:
                    call()
                    done.append(1)
                    break
                except services.GroupBusy:
                    continue
                except services.GroupRefused:
                    break  # refused with a reason: the expected answer for all but one
        except BaseException as exc:
            failures.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        list(pool.map(work, calls))
    return len(done), failures


def holding(group: WorkingGroup) -> int:
    return Seat.objects.filter(group=group, state__in=HOLDING).count()


@pytest.mark.django_db(transaction=True)
def test_moves_and_invitations_racing_for_the_last_seat_fill_it_once(tmp_path: Path) -> None:
    staff = make_person("team@example.org")  # the services take who acted; access is the views' business
    edition = make_edition(group_size_min=3, group_size_max=5)
    target, first, second = opened_groups(edition, staff, [4, 4, 4])
    for group in (target, first, second):
        for seat in group.seats.select_related("registration__user"):
            services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part.")
    target.refresh_from_db()
    assert target.status == GroupStatus.ACTIVE and holding(target) == 4
    officer = target.seats.get(role="moderator").registration.user
    newcomers = []
    for number in range(6):
        person = make_person(f"new{number}@example.org", first_name=f"New{number}")
        link_to_register(person, number=f"88{number:04d}", status=MembershipStatus.MEMBER)
        newcomers.append(person)
    movers = list(Seat.objects.filter(group__in=(first, second), role="participant"))
    calls: list[Callable[[], Any]] = [
        lambda seat=seat: services.move_person(by=staff, seat=seat, to_group=target) for seat in movers
    ]
    calls += [
        lambda person=person: services.invite(by=officer, group=target, identifier=person.email) for person in newcomers
    ]
    with threads_on_a_file_database(tmp_path):
        succeeded, failures = all_at_once(calls)
    assert failures == []
    assert succeeded == 1
    assert holding(target) == 5
    # Everyone holds at most one seat of the edition.
    for registration_id in Seat.objects.values_list("registration_id", flat=True).distinct():
        assert Seat.objects.filter(registration_id=registration_id, state__in=HOLDING).count() <= 1


@pytest.mark.django_db(transaction=True)
def test_accepting_while_staff_move_the_person_ends_in_one_group(tmp_path: Path) -> None:
    staff = make_person("team@example.org")  # the services take who acted; access is the views' business
    edition = make_edition(group_size_min=3, group_size_max=8)
    source, target = opened_groups(edition, staff, [7, 3])
    for group in (source, target):
        officers = list(group.seats.exclude(role="participant").select_related("registration__user"))
        for seat in [*officers, group.seats.filter(role="participant").select_related("registration__user")[0]]:
            services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part.")
    source.refresh_from_db()
    assert source.status == GroupStatus.ACTIVE
    pending = list(source.seats.filter(state=SeatState.OFFERED).select_related("registration__user"))
    assert len(pending) == 4
    calls: list[Callable[[], Any]] = []
    for seat in pending:
        user = seat.registration.user
        calls.append(lambda seat=seat, user=user: services.accept_seat(seat_id=seat.pk, user=user, commitment_text="x"))
        # Staff try the move twice around the acceptance: before it, it is refused (not accepted yet).
        calls.append(lambda seat=seat: services.move_person(by=staff, seat=seat, to_group=target))
        calls.append(lambda seat=seat: services.move_person(by=staff, seat=seat, to_group=target))
    with threads_on_a_file_database(tmp_path):
        _succeeded, failures = all_at_once(calls)
    assert failures == []
    for seat in pending:
        held = Seat.objects.filter(registration_id=seat.registration_id, state__in=HOLDING)
        assert held.count() == 1
        assert held.get().state == SeatState.ACCEPTED
    assert holding(target) <= target.max_size
