"""A double click, a resubmitted form or two submissions at the same moment never make two registrations.

The threaded test uses real connections and real commits (a transactional
test). It runs on PostgreSQL (``DATABASE_URL=postgres://...``), where the two
inserts truly race and the unique constraint decides, and on SQLite, where
immediate transactions make the second writer wait for the first.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from conftest import client_for, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.members.models import MembershipStatus
from coopsip.registrations.models import Registration, ThemePreference
from coopsip.registrations.tests.test_register import (
    form_data,
    make_open_edition,
    make_places,
    register_url,
    register_with_service,
)

PEOPLE = 4  # each submits twice at the same moment: several chances for the race to happen


@pytest.mark.django_db
def test_a_resubmitted_form_makes_one_registration(member: User) -> None:
    make_places()
    edition = make_open_edition()
    client = client_for(member)
    responses = [client.post(register_url(edition), form_data(edition)) for _ in range(3)]
    assert [r.status_code for r in responses] == [302, 302, 302]
    assert Registration.objects.filter(user=member, edition=edition).count() == 1
    assert ThemePreference.objects.filter(registration__user=member).count() == 2


@contextmanager
def threads_on_a_file_database(directory: Path) -> Iterator[None]:
    """Let other threads reach the test database through connections of their own, as in production.

    On SQLite the suite's database lives in memory, shared between
    connections; there a second writer fails at once ("database table is
    locked") where the file database coopsip runs on (WAL, immediate
    transactions, a busy timeout) makes it wait. So the threads work on a file
    copy of it, with the settings of production, and the result is copied
    back for the assertions. PostgreSQL needs nothing of this.
    """
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = directory / "race.sqlite3"
    connection.ensure_connection()
    with closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
    in_memory = connections.settings["default"]
    connections.settings["default"] = {**in_memory, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = in_memory
    with closing(sqlite3.connect(path)) as copy:
        copy.backup(connection.connection)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_by_the_same_person_make_one_registration(tmp_path: Path) -> None:
    make_places()
    edition = make_open_edition()
    people = []
    for number in range(PEOPLE):
        person = make_person(f"person{number}@example.org", first_name=f"Person {number}")
        link_to_register(person, number=f"2000{number}", status=MembershipStatus.MEMBER)
        people.append(person)
    themes = {theme.slug: theme.pk for theme in edition.themes.all()}
    barrier = threading.Barrier(2 * PEOPLE)
    failures: list[BaseException] = []

    def submit(person: Any, theme: str) -> None:
        try:
            barrier.wait(timeout=30)
            register_with_service(person, edition, theme_ids=[themes[theme]])
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=submit, args=(person, theme)) for person in people for theme in ("werk", "wonen")
    ]
    with threads_on_a_file_database(tmp_path):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    for person in people:
        registrations = Registration.objects.filter(user=person, edition=edition)
        assert registrations.count() == 1
        # One of the two answers, whole: never a mix, never both themes.
        assert [p.theme.slug for p in registrations.get().preferences.all()] in (["werk"], ["wonen"])
        assert registrations.get().slots.count() == 1
        assert registrations.get().commitments.count() == 3
