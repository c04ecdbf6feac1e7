"""Two people saving the same draft at once, and a person answering twice at once.

Real threads with their own connections and real commits: on PostgreSQL the row lock on the
recommendation (or the round) decides; on SQLite the writers take turns on a file copy of the
test database (``threads_on_a_file_database``).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone, translation

from coopsip.groups.tests.factories import accept_all, make_edition, opened_group
from coopsip.recommendations import services
from coopsip.recommendations.models import ConsentAnswer, Recommendation, RecommendationVersion
from coopsip.recommendations.services import RecommendationInvalid, StaleDraft
from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database

from .conftest import user

THREADS = 6


def run_together(calls: list[Any]) -> tuple[list[Any], list[BaseException]]:
    results: list[Any] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(len(calls))

    def work(call: Any) -> None:
        try:
            barrier.wait(timeout=60)
            with translation.override("en"):
                results.append(call())
        except RecommendationInvalid as refused:
            results.append(refused)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        list(pool.map(work, calls))
    return results, failures


def _fields(recommendation: Recommendation, need: str) -> dict[str, str]:
    return {name: getattr(recommendation, name) for name in services.VERSIONED_FIELDS} | {"need": need}


@pytest.mark.django_db(transaction=True)
def test_simultaneous_saves_of_one_version_keep_one_and_refuse_the_others(tmp_path: Path, staff: Any) -> None:
    group = opened_group(make_edition(), staff, 6)
    accept_all(group)
    group.refresh_from_db()
    secretary = user("m1@example.org")
    draft = services.create_draft(by=secretary, group=group, title="Race", language="en")
    people = [user(f"m{n}@example.org") for n in range(THREADS)]
    with threads_on_a_file_database(tmp_path):
        calls = [
            lambda person=person: services.save_draft(
                by=person, recommendation=draft, based_on=1, fields=_fields(draft, f"Need of {person.first_name}")
            )
            for person in people
        ]
        results, failures = run_together(calls)
    assert failures == []
    saved = [r for r in results if isinstance(r, RecommendationVersion)]
    stale = [r for r in results if isinstance(r, StaleDraft)]
    assert len(saved) == 1 and len(stale) == THREADS - 1
    draft = Recommendation.objects.get(pk=draft.pk)
    assert draft.version == 2 and draft.versions.count() == 2
    assert draft.need == f"Need of {saved[0].author.first_name}"


@pytest.mark.django_db(transaction=True)
def test_one_person_answering_twice_at_once_has_one_answer(tmp_path: Path, staff: Any) -> None:
    group = opened_group(make_edition(), staff, 4)
    accept_all(group)
    group.refresh_from_db()
    secretary, member = user("m1@example.org"), user("m2@example.org")
    draft = services.create_draft(by=secretary, group=group, title="Race", language="en")
    consent_round = services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=2)
    )
    positions = ["agree", "abstain"] * (THREADS // 2)
    with threads_on_a_file_database(tmp_path):
        calls = [
            lambda position=position: services.answer_consent(
                by=member, consent_round=consent_round, position=position, language="en"
            )
            for position in positions
        ]
        _results, failures = run_together(calls)
    assert failures == []
    assert ConsentAnswer.objects.filter(round_id=consent_round.pk, user=member).count() == 1
