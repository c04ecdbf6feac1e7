"""Two staff members publish two runs of one edition at the same moment: one proposal is published, the
other publication is refused, and people are told once.

Real threads, real connections and commits (a transactional test), on SQLite (a file copy of the test
database, see ``threads_on_a_file_database``) and on PostgreSQL (``DATABASE_URL=postgres://...``), where the
lock on the edition makes the second publication wait and then see the first.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.utils import translation

from coopsip.accounts.models import User
from coopsip.formation import publishing, services
from coopsip.formation.changes import published_run
from coopsip.formation.models import FormationRun, ProposedMember, RunStatus
from coopsip.formation.tests.test_publishing import copy_proposal
from coopsip.formation.tests.test_staff_access import make_formable_edition
from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database


@pytest.mark.django_db(transaction=True)
def test_two_runs_published_at_once_leave_one_published_proposal(staff: User, settings: Any, tmp_path: Path) -> None:
    settings.COOPSIP_FORMATION_SECONDS = 2
    edition = make_formable_edition()
    first = services.start_run(by=staff, edition=edition)  # formed on commit, by the immediate task backend
    first.refresh_from_db()
    assert first.status == RunStatus.DONE, first.error
    second = FormationRun.objects.create(edition=edition, number=2, status=RunStatus.DONE, started_by=staff)
    copy_proposal(first, second)
    a, b = second.groups.order_by("pk")[:2]
    x = second.members.filter(group=a, role="participant").first()
    assert x is not None
    ProposedMember.objects.filter(pk=x.pk).update(group=b)
    # Each staff member confirmed the page they saw: nothing was published yet.
    seen = {run.pk: publishing.changes_to_publish(run).fingerprint for run in (first, second)}
    barrier = threading.Barrier(2)
    published: list[int] = []
    refused: list[str] = []
    failures: list[BaseException] = []
    mail.outbox.clear()

    def publish(run: FormationRun) -> None:
        try:
            barrier.wait(timeout=30)
            with translation.override("en"):
                publishing.publish_run(by=staff, run=run, confirmed=seen[run.pk])
            published.append(run.pk)
        except services.FormationRefused as refusal:
            refused.append(str(refusal.message))
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(run,)) for run in (first, second)]
    with threads_on_a_file_database(tmp_path):
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert len(published) == 1 and len(refused) == 1
    assert "changed since the page was opened" in refused[0]
    winner = published_run(edition)
    assert winner is not None and winner.pk == published[0]
    assert FormationRun.objects.filter(published_at__isnull=False).count() == 1
    # One publication's emails: 26 groups proposed, and the two people left out told why.
    assert len(mail.outbox) == 28
