"""A vote cast twice at the same moment counts once (real threads, real commits; PostgreSQL in CI)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database
from coopsip.votes import services
from coopsip.votes.models import CastBallot, Participation

from .conftest import make_ballot, options, voter

CLICKS = 8


@pytest.mark.django_db(transaction=True)
def test_the_same_vote_sent_eight_times_at_once_counts_once(tmp_path: Path) -> None:
    lotte = voter(1)
    ballot = make_ballot(voter(2), method="approval")
    ids = list(options(ballot).values())
    codes: list[str] = []
    failures: list[BaseException] = []
    barrier = threading.Barrier(CLICKS)

    def click(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            with translation.override("en"):
                codes.append(services.cast_vote(ballot=ballot, user=lotte, choices=[ids[n % len(ids)]]))
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    with threads_on_a_file_database(tmp_path), ThreadPoolExecutor(max_workers=CLICKS) as pool:
        list(pool.map(click, range(CLICKS)))
    assert failures == []
    assert len(codes) == CLICKS
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    # The receipt of the vote that stayed is one of the codes handed out; the others no longer match.
    cast = CastBallot.objects.get(ballot=ballot)
    matching = [code for code in codes if services.receipt_hash(ballot, code) == cast.receipt_hash]
    assert len(matching) == 1
