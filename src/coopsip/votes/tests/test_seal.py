"""The seal at the close: after it, nothing in the database links a member to a ballot.

What an auditor holding the database would try: pair the rows by the order they were stored in (SQLite's
rowid, PostgreSQL's ctid), by the transaction that wrote them (PostgreSQL's xmin), by the voter key (with the
server's secret), or find the old rows' bytes in the files.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database
from coopsip.votes import counting, services
from coopsip.votes.models import Ballot, CastBallot, Participation
from coopsip.votes.services import VoteRefused

from .conftest import close, make_ballot, options, voter

VOTERS = 30
THEMES = ("Care", "Housing", "Tools", "Time", "Land")


def physical_order(ballot: Ballot) -> list[str]:
    """The receipt hashes of the ballot's contents in the order the database stores them."""
    position = "ctid" if connection.vendor == "postgresql" else "rowid"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT receipt_hash FROM votes_castballot WHERE ballot_id = %s ORDER BY {position}",
            [ballot.pk],
        )
        return [row[0] for row in cursor.fetchall()]


def thirty_votes(ballot: Ballot) -> tuple[list[Any], list[str], dict[str, list[int]]]:
    """30 members vote, each a different ranking; their codes and receipt hashes in the order they voted."""
    ids = list(options(ballot).values())
    rankings = [list(r) for r in itertools.permutations(ids, 3)][:VOTERS]
    people, codes, cast = [], [], {}
    for n, ranking in enumerate(rankings):
        person = voter(n)
        code = services.cast_vote(ballot=ballot, user=person, choices=ranking)
        people.append(person)
        codes.append(code)
        cast[services.receipt_hash(ballot, code)] = ranking
    return people, codes, cast


def test_the_seal_shuffles_the_ballots_drops_every_voter_key_and_keeps_receipts_and_the_result(
    member: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "_RANDOM", random.Random(18))  # a pinned order; the site uses the OS's
    ballot = make_ballot(member, seats=2, titles=THEMES)
    people, codes, cast = thirty_votes(ballot)
    voting_order = list(cast)
    assert physical_order(ballot) == voting_order  # the link the seal removes: stored in the order voted
    old_ids = set(CastBallot.objects.values_list("pk", flat=True))
    with pytest.raises(VoteRefused, match=r"Voting is still open: the ballot box is sealed once voting has closed\."):
        services.seal_ballot(ballot=ballot)

    sealed = services.seal_ballot(ballot=close(ballot))

    assert sealed.sealed_at is not None
    stored = physical_order(ballot)
    assert stored != voting_order and sorted(stored) == sorted(voting_order)
    rows = list(CastBallot.objects.filter(ballot=ballot).values_list("pk", "voter_key", "sealed", "choices"))
    assert {pk for pk, *_rest in rows}.isdisjoint(old_ids)  # new random ids
    assert all(key is None and is_sealed for _pk, key, is_sealed, _c in rows)
    assert Counter(tuple(c) for *_rest, c in rows) == Counter(tuple(c) for c in cast.values())
    # Not even the server's secret finds a member's ballot now; each member's receipt still does.
    for person, code in zip(people, codes, strict=True):
        assert services.current_choices(ballot, person) == []
        found = services.check_receipt(ballot=ballot, code=code)
        assert found is not None and found.choices == cast[services.receipt_hash(ballot, code)]
    # A second seal changes nothing.
    assert services.seal_ballot(ballot=ballot).sealed_at == sealed.sealed_at
    assert physical_order(ballot) == stored
    # Counting gives what the ballots as cast give.
    counted = services.count_ballot(actor=None, ballot=ballot)
    expected = counting.count(
        method="instant_runoff",
        candidates=[str(pk) for pk in options(ballot).values()],
        ballots=[[str(c) for c in ranking] for ranking in cast.values()],
        seats=2,
        tie_order=ballot.tie_order,
    )
    assert counted.result is not None and counted.result["elected"] == list(expected.elected)
    assert counted.result["ballots"] == VOTERS and counted.result["participants"] == VOTERS
    assert physical_order(ballot) == stored  # counting sealed nothing twice


def test_counting_seals_first_and_the_scheduler_seals_every_closed_ballot_once(member: Any) -> None:
    counted, waiting, still_open = (make_ballot(member, titles=(f"A{n}", f"B{n}", f"C{n}")) for n in range(3))
    lotte = voter(1)
    for ballot in (counted, waiting, still_open):
        services.cast_vote(ballot=ballot, user=lotte, choices=list(options(ballot).values())[:1])
    counted = services.count_ballot(actor=None, ballot=close(counted))
    assert counted.sealed_at is not None and not CastBallot.objects.filter(ballot=counted, voter_key__isnull=False)
    close(waiting)
    out = _run("seal_closed_ballots")
    assert out == "1 ballot(s) sealed."
    assert Ballot.objects.get(pk=waiting.pk).sealed_at is not None
    assert Ballot.objects.get(pk=still_open.pk).sealed_at is None  # still open: its voters can change their vote
    assert _run("seal_closed_ballots") == "0 ballot(s) sealed."
    # A vote that committed at the very close, after the seal, is sealed by the next run with the others.
    CastBallot.objects.create(ballot=waiting, voter_key="late" * 16, receipt_hash="r" * 64, choices=[])
    assert _run("seal_closed_ballots") == "1 ballot(s) sealed."
    assert not CastBallot.objects.filter(ballot=waiting, voter_key__isnull=False).exists()
    assert CastBallot.objects.filter(ballot=waiting).count() == 2


def _run(command: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue().strip()


@pytest.mark.only_on("postgresql")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_no_cast_ballot_shares_a_transaction_or_its_old_bytes_with_a_participation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each vote writes its participation and its ballot in one transaction: the same xmin, until the seal."""
    # On a server shared with other test runs, their transactions (older than the seal) can last a while.
    monkeypatch.setattr(services, "OLDER_TRANSACTIONS_WAIT", 180.0)
    ballot = make_ballot(voter(99), titles=THEMES)
    with translation.override("en"):
        thirty_votes(ballot)
    keys = list(CastBallot.objects.values_list("voter_key", flat=True))

    def xmins(table: str) -> set[str]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT xmin::text FROM {table}")
            return {row[0] for row in cursor.fetchall()}

    assert xmins("votes_castballot") == xmins("votes_participation")  # the link, while voting is open
    services.seal_ballot(ballot=close(ballot))
    assert xmins("votes_castballot").isdisjoint(xmins("votes_participation"))
    assert len(xmins("votes_castballot")) == 1  # all written by the seal's one transaction
    assert Participation.objects.count() == CastBallot.objects.count() == VOTERS
    # The old rows' bytes (their voter keys) are gone from the table's and its indexes' pages too.
    assert keys_on_pages(keys) == 0


def keys_on_pages(keys: list[str]) -> int:
    """How many of ``keys`` are in the raw pages of votes_castballot and its indexes (PostgreSQL)."""
    with connection.cursor() as cursor:
        try:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")
        except Exception:  # not a superuser: the rest was checked
            pytest.skip("pageinspect is not available to read the raw pages")
        cursor.execute(
            "SELECT c.relname, p FROM pg_class c, generate_series(0, pg_relation_size(c.oid) / 8192 - 1) p "
            "WHERE c.relname = 'votes_castballot' OR c.oid IN "
            "(SELECT indexrelid FROM pg_index WHERE indrelid = 'votes_castballot'::regclass)"
        )
        pages = cursor.fetchall()
        assert pages
        found = 0
        for relation, page in pages:
            cursor.execute("SELECT get_raw_page(%s, %s::int)", [relation, page])
            raw = bytes(cursor.fetchone()[0])
            found += sum(key.encode() in raw for key in keys)
    return found


@pytest.mark.only_on("postgresql")
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_transaction_older_than_the_seal_delays_the_erasure_to_the_scheduler(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A backup or a report running since before the seal still sees the old rows: PostgreSQL keeps them."""
    import psycopg

    ballot = make_ballot(voter(99))
    ids = list(options(ballot).values())
    for n in range(5):
        services.cast_vote(ballot=ballot, user=voter(n), choices=ids[: n % 3 + 1])
    keys = list(CastBallot.objects.values_list("voter_key", flat=True))
    monkeypatch.setattr(services, "OLDER_TRANSACTIONS_WAIT", 0.5)
    with psycopg.connect(**connection.get_connection_params()) as backup:
        backup.execute("SELECT txid_current()")  # a transaction begun before the seal, still running
        with caplog.at_level("WARNING", logger="coopsip.votes.services"):
            services.seal_ballot(ballot=close(ballot))
        assert "Transactions older than the seal still ran" in caplog.text
        assert keys_on_pages(keys) > 0
        backup.rollback()
    monkeypatch.setattr(services, "OLDER_TRANSACTIONS_WAIT", 180.0)
    assert _run("seal_closed_ballots") == "0 ballot(s) sealed."  # nothing to seal, the old rows to erase
    assert keys_on_pages(keys) == 0


@pytest.mark.only_on("sqlite")
@pytest.mark.django_db(transaction=True)
def test_on_sqlite_the_old_voter_keys_are_not_left_in_the_database_files(tmp_path: Path) -> None:
    import threading

    ballot = make_ballot(voter(99), titles=THEMES)
    keys: list[str] = []

    def vote_and_seal() -> None:
        try:
            with translation.override("en"):
                thirty_votes(ballot)
            keys.extend(CastBallot.objects.values_list("voter_key", flat=True))
            files = [tmp_path / "race.sqlite3", tmp_path / "race.sqlite3-wal"]
            before.extend(sum(k.encode() in f.read_bytes() for k in keys) for f in files if f.exists())
            services.seal_ballot(ballot=close(ballot))
            after.extend(sum(k.encode() in f.read_bytes() for k in keys) for f in files if f.exists())
        finally:
            connection.close()

    before: list[int] = []
    after: list[int] = []
    with threads_on_a_file_database(tmp_path):
        worker = threading.Thread(target=vote_and_seal)
        worker.start()
        worker.join(timeout=120)
    assert len(keys) == VOTERS and sum(before) >= VOTERS  # written to the files while voting was open
    assert after and sum(after) == 0
