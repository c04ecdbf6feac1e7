"""Choosing a date twice at once makes one meeting; answers racing the choice are saved before it or refused.

Real threads with their own connections and real commits, as in the events'
concurrency tests: on PostgreSQL the row lock on the poll decides; on SQLite
the writers take turns on a file copy of the test database.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import translation

from coopsip.events import services as events_services
from coopsip.events.models import CircleRole, Event
from coopsip.groupspace import services
from coopsip.groupspace.models import DateAnswer, DatePoll
from coopsip.groupspace.services import GroupSpaceInvalid
from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database

from .conftest import person, soon

THREADS = 12


def run_together(calls: list[Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(calls))

    def work(call: Any) -> None:
        try:
            barrier.wait(timeout=60)
            with translation.override("en"):  # the refusals are read in English below
                results.append(call())
        except GroupSpaceInvalid as refused:
            results.append(refused)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        list(pool.map(work, calls))
    return results, failures


@pytest.mark.django_db(transaction=True)
def test_officers_choosing_at_once_make_one_meeting_and_late_answers_are_refused(tmp_path: Path) -> None:
    moderator = person("mona@example.org", "Mona", number="400001")
    secretary = person("sam@example.org", "Sam", number="400002")
    members = [person(f"m{n}@example.org", f"M{n}", number=f"40010{n}") for n in range(THREADS - 2)]
    circle = events_services.create_circle(
        name="Race",
        members=[(moderator, CircleRole.MODERATOR), (secretary, CircleRole.SECRETARY)]
        + [(m, CircleRole.MEMBER) for m in members],
    )
    poll = services.create_poll(by=moderator, circle=circle, title="Meeting", options=[soon(5), soon(6)], notify=False)
    first, second = poll.options.order_by("starts_at")
    with threads_on_a_file_database(tmp_path):
        calls = [
            lambda: services.choose_date(by=moderator, poll=poll, option_id=first.pk, address="Rue Haute 1"),
            lambda: services.choose_date(by=secretary, poll=poll, option_id=second.pk, address="Rue Haute 1"),
        ] + [
            lambda member=member: services.answer_poll(by=member, poll=poll, answers={first.pk: "yes"})
            for member in members
        ]
        results, failures = run_together(calls)
    assert failures == []
    assert Event.objects.filter(circle=circle).count() == 1
    poll = DatePoll.objects.get(pk=poll.pk)
    assert not poll.is_open and poll.event is not None
    refused_choices = [r for r in results if isinstance(r, GroupSpaceInvalid) and "already chosen" in str(r.errors)]
    assert len(refused_choices) == 1
    # Every answer either got in before the choice (and is kept) or was refused because the poll had closed.
    refused_answers = [
        r for r in results if isinstance(r, GroupSpaceInvalid) and "This poll is closed" in str(r.errors)
    ]
    assert DateAnswer.objects.filter(option__poll=poll).count() + len(refused_answers) == len(members)
