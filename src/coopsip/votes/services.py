"""Every change to theme proposals and ballots.

Casting a vote (``cast_vote``) writes two rows that no column joins: the
``Participation`` (who voted) and the ``CastBallot`` (what), found again by a
keyed hash of the ballot and the person. Both have a unique key, so a vote
cast twice at the same moment (two tabs, a double click) leaves one of each;
the later one replaces the choices. A receipt code, given to the member and
stored only as its hash, lets them check after the close that their ballot
was counted as cast.

At the close ``seal_ballot`` rewrites the ballot's contents in a random order,
with new ids and without voter keys, so that neither the order the rows were
stored in nor the transaction that wrote them (nor the server's secret) links
a member to a ballot any more; ``count_ballot`` seals first, and the
``seal_closed_ballots`` command seals every closed ballot (see models.py and
docs/votes.md for what is left while voting is open).

At the assembly, the team hands a paper ballot to a named member of the
register (``hand_out_paper_ballot``): a member who voted online gets none, one
who got one cannot vote online, and no more paper ballots are entered than
were handed out.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import logging
import secrets
import time
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopsip.core.audit import record_change
from coopsip.editions import services as editions_services
from coopsip.editions.models import Edition, Theme
from coopsip.events.models import Event
from coopsip.members.models import RegisterEntry
from coopsip.votes import counting
from coopsip.votes.models import (
    Ballot,
    BallotMethod,
    BallotOption,
    CastBallot,
    Channel,
    Participation,
    ProposalCountry,
    ProposalStatus,
    RoomCount,
    Support,
    ThemeProposal,
)

TITLE_MAX = 200
TEXT_MAX = 3000
RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I

logger = logging.getLogger(__name__)


class VoteRefused(Exception):
    """A change that is not allowed now; the message says why."""


# --- Proposals -------------------------------------------------------------------------------


def proposal_errors(*, title: str, challenge: str, why_now: str, country: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Give the theme a title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("At most %(limit)s characters.") % {"limit": TITLE_MAX}
    if not challenge.strip():
        errors["challenge"] = _("Say which challenge the theme answers.")
    for name, text in (("challenge", challenge), ("why_now", why_now)):
        if len(text) > TEXT_MAX:
            errors[name] = _("At most %(limit)s characters.") % {"limit": TEXT_MAX}
    if country not in ProposalCountry.values:
        errors["country"] = _("Choose Belgium, France or both.")
    return errors


@transaction.atomic
def propose_theme(
    *, author: Any, title: str, challenge: str, why_now: str, country: str, language: str, by_board: bool = False
) -> ThemeProposal:
    """A member's (or, with ``by_board``, the board's) proposal, in the language it was written in."""
    errors = proposal_errors(title=title, challenge=challenge, why_now=why_now, country=country)
    if errors:
        raise VoteRefused(" ".join(errors.values()))
    proposal = ThemeProposal.objects.create(
        title=" ".join(title.split()),
        challenge=challenge.strip(),
        why_now=why_now.strip(),
        country=country,
        language=language,
        author=author,
        by_board=by_board,
    )
    record_change(actor=author, obj=proposal, action="created")
    return proposal


def support_proposal(*, user: Any, proposal: ThemeProposal) -> bool:
    """Support ``proposal`` once; True when this call added the support (a repeat changes nothing)."""
    if proposal.status in (ProposalStatus.MERGED, ProposalStatus.NOT_RETAINED):
        raise VoteRefused(_("This proposal is closed: it can no longer be supported."))
    if proposal.author_id == user.pk:
        raise VoteRefused(_("You cannot support your own proposal."))
    try:
        with transaction.atomic():
            _support, created = Support.objects.get_or_create(proposal=proposal, user=user)
    except IntegrityError:  # the same member's other click won
        return False
    return created


@transaction.atomic
def withdraw_support(*, user: Any, proposal: ThemeProposal) -> None:
    Support.objects.filter(proposal=proposal, user=user).delete()


@transaction.atomic
def decide_proposal(
    *, actor: Any, proposal: ThemeProposal, status: str, reason: str = "", merged_into: ThemeProposal | None = None
) -> ThemeProposal:
    """Shortlist, merge into another proposal, or not retain (with the reason, shown to members)."""
    proposal = ThemeProposal.objects.select_for_update().get(pk=proposal.pk)
    if status not in ProposalStatus.values:
        raise VoteRefused(_("Choose what happens to the proposal."))
    if status == ProposalStatus.NOT_RETAINED and not reason.strip():
        raise VoteRefused(_("Say why the proposal is not retained: the member reads it."))
    if status == ProposalStatus.MERGED:
        if merged_into is None or merged_into.pk == proposal.pk:
            raise VoteRefused(_("Choose the other proposal it is merged with."))
        if merged_into.status == ProposalStatus.MERGED:
            raise VoteRefused(_("That proposal was itself merged: choose the one it was merged into."))
    before = proposal.status
    proposal.status = status
    proposal.reason = reason.strip()
    proposal.merged_into = merged_into if status == ProposalStatus.MERGED else None
    proposal.save()
    if status == ProposalStatus.MERGED and merged_into is not None:
        # Supports follow the theme; a member who supported both keeps one.
        for support in Support.objects.filter(proposal=proposal):
            Support.objects.get_or_create(proposal=merged_into, user_id=support.user_id)
    record_change(actor=actor, obj=proposal, action="decided", changes={"status": [before, status]})
    return proposal


# --- Ballots ---------------------------------------------------------------------------------


@transaction.atomic
def create_ballot(
    *,
    actor: Any,
    title: str,
    method: str,
    seats: int,
    opens_at: datetime,
    closes_at: datetime,
    proposals: Sequence[ThemeProposal],
    edition: Edition | None = None,
    event: Event | None = None,
) -> Ballot:
    """A ballot on shortlisted proposals; the order that breaks ties is drawn by lot now and shown.

    ``event``: the general assembly (an event of the events engine) where the vote is held.
    """
    if method not in BallotMethod.values:
        raise VoteRefused(_("Choose the voting method."))
    if closes_at <= opens_at:
        raise VoteRefused(_("Voting must close after it opens."))
    if any(p.status != ProposalStatus.SHORTLISTED for p in proposals):
        raise VoteRefused(_("Only shortlisted proposals can be on the ballot."))
    if len(proposals) < 2 or not 1 <= seats < len(proposals):
        raise VoteRefused(
            _("Put at least two proposals on the ballot and elect fewer themes than there are proposals.")
        )
    ballot = Ballot.objects.create(
        title=" ".join(title.split()) or _("Themes of the next edition"),
        method=method,
        seats=seats,
        opens_at=opens_at,
        closes_at=closes_at,
        edition=edition,
        event=event,
        created_by=actor,
    )
    options = [
        BallotOption.objects.create(ballot=ballot, proposal=proposal, position=position)
        for position, proposal in enumerate(proposals, start=1)
    ]
    drawn = [str(option.pk) for option in options]
    secrets.SystemRandom().shuffle(drawn)
    ballot.tie_order = drawn
    ballot.save(update_fields=["tie_order"])
    record_change(actor=actor, obj=ballot, action="created")
    return ballot


@transaction.atomic
def link_event(*, actor: Any, ballot: Ballot, event: Event | None) -> Ballot:
    """Hold the vote at ``event`` (the general assembly), or at no event with None."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    before = ballot.event_id
    ballot.event = event
    ballot.save(update_fields=["event"])
    record_change(
        actor=actor, obj=ballot, action="event_linked", changes={"event": [before, event.pk if event else None]}
    )
    return ballot


def open_ballots_of(event: Event, now: datetime | None = None) -> list[Ballot]:
    """The ballots held at ``event`` that are open now (for the event's page)."""
    now = now or timezone.now()
    return list(Ballot.objects.filter(event=event, opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk"))


def voter_key(ballot: Ballot, user: Any) -> str:
    secret = getattr(settings, "COOPSIP_BALLOT_SECRET", "") or settings.SECRET_KEY
    message = f"ballot:{ballot.pk}:person:{user.pk}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def receipt_hash(ballot: Ballot, code: str) -> str:
    cleaned = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(f"{ballot.pk}:{cleaned}".encode()).hexdigest()


def _new_receipt() -> str:
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _n in range(12))
    return "-".join(raw[i : i + 4] for i in range(0, 12, 4))


def choices_from_ranks(ranks: Mapping[int, str]) -> list[str]:
    """The options in the order of the ranks typed beside them (option id → text; empty: not ranked).

    Raises VoteRefused when a rank is not a whole number from 1, or when two options share a rank: a paper
    ballot is entered as written, never guessed."""
    ranked: list[tuple[int, int]] = []
    for option, raw in ranks.items():
        text = raw.strip()
        if not text:
            continue
        if not text.isdigit() or int(text) < 1:
            raise VoteRefused(_("Write each rank as a whole number from 1, or leave it empty."))
        ranked.append((int(text), option))
    if len({rank for rank, _option in ranked}) != len(ranked):
        raise VoteRefused(_("Give each rank to one theme only."))
    return [str(option) for _rank, option in sorted(ranked)]


def _clean_choices(
    ballot: Ballot, choices: Sequence[int | str], option_ids: Collection[int] | None = None
) -> list[int]:
    valid = set(option_ids) if option_ids is not None else set(ballot.options.values_list("pk", flat=True))
    cleaned: list[int] = []
    for choice in choices:
        try:
            number = int(choice)
        except (TypeError, ValueError):
            raise VoteRefused(_("Choose among the themes on the ballot.")) from None
        if number not in valid:
            raise VoteRefused(_("Choose among the themes on the ballot."))
        if number in cleaned:
            raise VoteRefused(_("Give each rank to one theme only."))
        cleaned.append(number)
    return cleaned


def window_refusal(ballot: Ballot, now: datetime) -> str | None:
    if now < ballot.opens_at:
        return _("Voting has not opened yet.")
    if now >= ballot.closes_at:
        return _("Voting is closed.")
    return None


def cast_vote(
    *,
    ballot: Ballot,
    user: Any,
    choices: Sequence[int | str],
    now: datetime | None = None,
    option_ids: Collection[int] | None = None,
) -> str:
    """Record (or replace) ``user``'s vote and return a new receipt code. Members only, within the window.

    Refused to a member who received a paper ballot at the assembly. ``option_ids``: the ballot's option ids
    when the caller has them already (the page does), to save a query.
    """
    now = now or timezone.now()
    refusal = window_refusal(ballot, now)
    if refusal:
        raise VoteRefused(refusal)
    entry = getattr(user, "register_entry", None)
    if entry is None or not entry.is_member:
        raise VoteRefused(_("Only members of the cooperative vote."))
    return _write_vote(ballot=ballot, user=user, entry=entry, choices=_clean_choices(ballot, choices, option_ids))


def _of_person(user_id: int | None, entry: RegisterEntry | None) -> Q:
    """The participations of one person: by their account, or by their entry in the register."""
    match = Q(user_id=user_id) if user_id is not None else Q(pk__in=[])
    return match | Q(entry=entry) if entry is not None else match


@transaction.atomic
def _write_vote(*, ballot: Ballot, user: Any, entry: RegisterEntry, choices: list[int]) -> str:
    """Two upserts on their unique keys (no read first, no retry, no savepoint), and one check.

    The participation is inserted unless the member has one (by account or register entry); the ballot's
    content is inserted, or its choices and receipt replaced when the member voted before (found by the voter
    key). Two requests of one member at the same moment (two tabs) serialise on the cast ballot's row: one
    row each, the later choices kept, and only the later receipt matches them. The check after the insert
    refuses a member who got a paper ballot, even one handed out while this vote was being written (the insert
    waits for it and then keeps the paper participation).
    """
    Participation.objects.bulk_create([Participation(ballot=ballot, user=user, entry=entry)], ignore_conflicts=True)
    if Participation.objects.filter(_of_person(user.pk, entry), ballot=ballot, channel=Channel.PAPER).exists():
        raise VoteRefused(_("You received a paper ballot at the assembly: it is counted there."))
    code = _new_receipt()
    CastBallot.objects.bulk_create(
        [
            CastBallot(
                ballot=ballot,
                voter_key=voter_key(ballot, user),
                receipt_hash=receipt_hash(ballot, code),
                choices=choices,
            )
        ],
        update_conflicts=True,
        unique_fields=["ballot", "voter_key"],
        update_fields=["choices", "receipt_hash"],
    )
    return code


def participation_channel(ballot: Ballot, user: Any) -> str | None:
    """How ``user`` voted on ``ballot`` (``Channel.ONLINE`` or ``Channel.PAPER``), or None. One query."""
    if not user.is_authenticated:
        return None
    entry = getattr(user, "register_entry", None)
    found = Participation.objects.filter(_of_person(user.pk, entry), ballot=ballot).values_list("channel", flat=True)
    return found.first()


def has_voted(ballot: Ballot, user: Any) -> bool:
    return participation_channel(ballot, user) is not None


def current_choices(ballot: Ballot, user: Any) -> list[int]:
    """The member's own choices while voting is open (to change them), found by their key."""
    cast = CastBallot.objects.filter(ballot=ballot, voter_key=voter_key(ballot, user)).first()
    return list(cast.choices) if cast else []


def check_receipt(*, ballot: Ballot, code: str, now: datetime | None = None) -> CastBallot | None:
    """After the close: the ballot cast with this receipt, or None (the seal keeps receipts)."""
    if (now or timezone.now()) < ballot.closes_at:
        raise VoteRefused(_("Receipts can be checked once voting has closed."))
    return CastBallot.objects.filter(ballot=ballot, receipt_hash=receipt_hash(ballot, code)).first()


# --- The assembly: paper ballots and a show of hands ----------------------------------------


def entry_name(entry: RegisterEntry) -> str:
    return " ".join(f"{entry.first_name} {entry.last_name}".split()) or entry.member_number


@transaction.atomic
def hand_out_paper_ballot(*, actor: Any, ballot: Ballot, entry: RegisterEntry) -> Participation:
    """A paper ballot handed to a member present at the assembly (with or without an account on the site).

    Recorded as their participation, on paper. Refused to a member who voted online (their online vote
    counts) or who got a paper ballot already; once handed out, their online vote is refused. Until counted.
    """
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.counted_at is not None:
        raise VoteRefused(_("The ballot is already counted."))
    name = entry_name(entry)
    if not entry.is_member:
        raise VoteRefused(_("%(name)s is not a member of the cooperative: no paper ballot.") % {"name": name})
    try:
        with transaction.atomic():
            participation = Participation.objects.create(
                ballot=ballot, user_id=entry.user_id, entry=entry, channel=Channel.PAPER
            )
    except IntegrityError:
        existing = Participation.objects.filter(_of_person(entry.user_id, entry), ballot=ballot).first()
        if existing is not None and existing.channel == Channel.ONLINE:
            raise VoteRefused(
                _("%(name)s already voted online: their vote counts; no paper ballot.") % {"name": name}
            ) from None
        raise VoteRefused(_("%(name)s already received a paper ballot.") % {"name": name}) from None
    # The history says that a paper ballot was handed out, not to whom: the participation says that.
    record_change(actor=actor, obj=ballot, action="paper_ballot_handed_out")
    return participation


def paper_counts(ballot: Ballot) -> tuple[int, int]:
    """(paper ballots handed out, paper ballots entered)."""
    handed = Participation.objects.filter(ballot=ballot, channel=Channel.PAPER).count()
    entered = CastBallot.objects.filter(ballot=ballot, channel=Channel.PAPER).count()
    return handed, entered


@transaction.atomic
def record_paper_ballot(*, actor: Any, ballot: Ballot, choices: Sequence[int | str]) -> CastBallot:
    """A paper ballot counted in the room, entered by staff: no voter, no receipt, marked as paper.

    Never more than the paper ballots handed out (``hand_out_paper_ballot``): two team members entering at
    once queue on the ballot's row.
    """
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.counted_at is not None:
        raise VoteRefused(_("The ballot is already counted."))
    handed, entered = paper_counts(ballot)
    if not handed:
        raise VoteRefused(_("No paper ballot was handed out yet: hand them out to the members present first."))
    if entered >= handed:
        raise VoteRefused(
            ngettext(
                "The only paper ballot handed out is entered already.",
                "All %(count)s paper ballots handed out are entered.",
                handed,
            )
            % {"count": handed}
        )
    cast = CastBallot.objects.create(ballot=ballot, channel=Channel.PAPER, choices=_clean_choices(ballot, choices))
    record_change(actor=actor, obj=ballot, action="paper_ballot_recorded")
    return cast


@transaction.atomic
def record_show_of_hands(
    *, actor: Any, ballot: Ballot, counts: Mapping[int, int], voters: int, note: str = ""
) -> RoomCount:
    """Hands raised per option at the assembly (approval ballots only), marked as such in the result.

    It cannot be checked per person: the team asks only members present who did not vote online or on paper.
    """
    if ballot.method != BallotMethod.APPROVAL:
        raise VoteRefused(_("A show of hands cannot rank: enter the paper ballots one by one instead."))
    if ballot.counted_at is not None:
        raise VoteRefused(_("The ballot is already counted."))
    valid = set(ballot.options.values_list("pk", flat=True))
    if not set(counts) <= valid or any(n < 0 or n > voters for n in counts.values()):
        raise VoteRefused(_("Each count must be between 0 and the number of people who voted by hand."))
    room = RoomCount.objects.create(
        ballot=ballot, counts={str(k): v for k, v in counts.items()}, voters=voters, note=note, recorded_by=actor
    )
    record_change(actor=actor, obj=ballot, action="show_of_hands_recorded")
    return room


# --- The seal at the close ------------------------------------------------------------------

ERASE_AGAIN = timedelta(days=1)
SEAL_BATCH = 2000  # rows per INSERT when the seal writes the ballots again (in the shuffled order)
LOCK_WAIT = "2s"  # VACUUM (FULL) after a seal: how long it may wait for its lock before a plain VACUUM runs
# The seal's order: from the operating system's generator, never from a seed (tests replace it to pin an order).
_RANDOM: Any = secrets.SystemRandom()


@contextmanager
def _secure_delete() -> Iterator[None]:
    """On SQLite, deleted rows are overwritten with zeros (``PRAGMA secure_delete``) for the duration."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        before = int(cursor.fetchone()[0])
        cursor.execute("PRAGMA secure_delete = 1")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA secure_delete = {before:d}")


# Transactions still running, or snapshots still open in this database, that began before the seal's commit
# may still see the deleted rows, so PostgreSQL keeps them. Waits (polls) for them this long before erasing.
OLDER_TRANSACTIONS_WAIT = 10.0
_OLDER_TRANSACTIONS = """
    SELECT txid_snapshot_xmin(txid_current_snapshot()) <= %(seal)s OR EXISTS (
        SELECT 1 FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL
          AND age(backend_xmin) >= age((%(seal)s %% 4294967296)::text::xid)
    )
"""


def _erase_old_rows(seal_txid: int | None = None) -> bool:
    """After the seal's commit, erase the deleted rows (their old order, transaction ids and voter keys).

    PostgreSQL: a plain ``VACUUM`` only marks their space free, and their bytes (voter key, ``xmin``) stay on
    the table's and the index's pages until overwritten; ``VACUUM (FULL)`` writes the table and its indexes
    anew without them (about 0.2 s for 35,000 ballots, under a lock that holds other ballots' votes for that
    long). It copies the deleted rows too while a transaction older than the seal (``seal_txid``) is running,
    in any database of the server, or a snapshot older than it is open in this one (a backup, a report):
    so it first waits for those, at most ``OLDER_TRANSACTIONS_WAIT`` seconds; the scheduler's job runs it
    again for a day after each seal. It waits at most ``LOCK_WAIT`` for its lock, else the plain ``VACUUM``
    runs. Neither can run inside a transaction: after the commit the connection is in autocommit.
    SQLite: the deleted rows were zeroed (``secure_delete``); the write-ahead log, which still holds the pages
    as they were, is checkpointed and truncated.

    True when the rows are erased; False (and a warning logged) otherwise. The seal itself stands.
    """
    if connection.in_atomic_block:  # a caller's transaction (tests): nothing was committed for real
        logger.info("The sealed ballots' old rows are erased after a real commit only.")
        return False
    table = connection.ops.quote_name(CastBallot._meta.db_table)
    try:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                return True
            if connection.vendor != "postgresql":
                return False
            if seal_txid is None:  # a later run: wait for every transaction running now instead
                cursor.execute("SELECT txid_snapshot_xmax(txid_current_snapshot()) - 1")
                seal_txid = int(cursor.fetchone()[0])
            waited_out = _older_transactions_ended(cursor, seal_txid)
            cursor.execute(f"SET lock_timeout = '{LOCK_WAIT}'")
            try:
                cursor.execute(f"VACUUM (FULL) {table}")
            except OperationalError:
                logger.warning("VACUUM (FULL) %s waited too long for its lock; plain VACUUM instead", table)
                cursor.execute(f"VACUUM {table}")
                return False
            finally:
                cursor.execute("RESET lock_timeout")
            if not waited_out:
                logger.warning("Transactions older than the seal still ran: its old rows are erased at a later run")
            return waited_out
    except DatabaseError:
        logger.exception("Erasing the sealed ballots' old rows failed; run VACUUM (FULL) votes_castballot")
        return False


def _older_transactions_ended(cursor: Any, seal_txid: int) -> bool:
    deadline = time.monotonic() + OLDER_TRANSACTIONS_WAIT
    while True:
        cursor.execute(_OLDER_TRANSACTIONS, {"seal": seal_txid})
        if not cursor.fetchone()[0]:
            return True
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def seal_ballot(*, ballot: Ballot, actor: Any = None, now: datetime | None = None) -> Ballot:
    """Seal the ballot box at the close: nothing links a member to a ballot afterwards.

    In one transaction, the ballot's contents (online and paper) are read, deleted and written again in a
    cryptographically random order, with new random ids, their choices, channel and receipt hash, and no voter
    key (``sealed``). That removes the order the rows were stored in (rowid, ctid) and, on PostgreSQL, the
    transaction id they share with their participation (``xmin``); without voter keys even the server's secret
    no longer finds a member's ballot. After the commit the deleted rows are erased (``_erase_old_rows``).

    Refused before the close. Idempotent: a sealed ballot is left as it is, unless a vote written at the very
    close committed after the seal (a row with a voter key), which a second call seals with the others.
    """
    now = now or timezone.now()
    with _secure_delete(), transaction.atomic():
        locked = Ballot.objects.select_for_update().get(pk=ballot.pk)
        if now < locked.closes_at:
            raise VoteRefused(_("Voting is still open: the ballot box is sealed once voting has closed."))
        contents = CastBallot.objects.filter(ballot=locked)
        if locked.sealed_at is not None and not contents.filter(voter_key__isnull=False).exists():
            return locked
        rows = list(contents.values_list("choices", "channel", "receipt_hash"))
        contents.delete()
        _RANDOM.shuffle(rows)
        CastBallot.objects.bulk_create(
            [
                CastBallot(
                    id=uuid.uuid4(),
                    ballot=locked,
                    voter_key=None,
                    receipt_hash=receipt,
                    choices=choices,
                    channel=channel,
                    sealed=True,
                )
                for choices, channel, receipt in rows
            ],
            batch_size=SEAL_BATCH,
        )
        if locked.sealed_at is None:
            locked.sealed_at = now
            locked.save(update_fields=["sealed_at"])
        record_change(actor=actor, obj=locked, action="sealed", changes={"ballots": len(rows)})
        seal_txid = None
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT txid_current()")
                seal_txid = int(cursor.fetchone()[0])
        transaction.on_commit(functools.partial(_erase_old_rows, seal_txid))
    return locked


def seal_closed_ballots(*, now: datetime | None = None) -> list[Ballot]:
    """Seal every ballot whose voting has closed and that is not sealed (the scheduler's job). Safe to repeat.

    For a day after a seal it also erases the deleted rows again (``_erase_old_rows``).
    """
    now = now or timezone.now()
    due = (
        Ballot.objects.filter(closes_at__lte=now)
        .filter(Q(sealed_at__isnull=True) | Q(cast__voter_key__isnull=False))
        .distinct()
        .order_by("closes_at", "pk")
    )
    sealed = []
    for ballot in due:
        try:
            sealed.append(seal_ballot(ballot=ballot, now=now))
        except DatabaseError:  # one ballot must not keep the others unsealed
            logger.exception("Sealing ballot %s failed", ballot.pk)
    # Again for a day after each seal: a transaction older than it (a backup) may have kept its old rows.
    if not sealed and Ballot.objects.filter(sealed_at__gte=now - ERASE_AGAIN).exists():
        _erase_old_rows()
    return sealed


# --- Counting and the themes ----------------------------------------------------------------


@transaction.atomic
def count_ballot(*, actor: Any, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """Seal (``seal_ballot``), then count with ``counting.count``; the result (rounds, ties, channels) is stored."""
    now = now or timezone.now()
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if now < ballot.closes_at:
        raise VoteRefused(_("Voting is still open: count after it closes."))
    ballot = seal_ballot(ballot=ballot, actor=actor, now=now)
    candidates = [str(pk) for pk in ballot.options.order_by("position").values_list("pk", flat=True)]
    rows = list(CastBallot.objects.filter(ballot=ballot).values_list("choices", "channel"))
    hands: dict[str, int] = {}
    hand_voters = 0
    for room in RoomCount.objects.filter(ballot=ballot):
        hand_voters += room.voters
        for option, raised in room.counts.items():
            hands[option] = hands.get(option, 0) + raised
    result = counting.count(
        method=ballot.method,
        candidates=candidates,
        ballots=[[str(c) for c in choices] for choices, _channel in rows],
        seats=ballot.seats,
        tie_order=ballot.tie_order,
        hands=hands or None,
    )
    ballot.result = {
        "elected": list(result.elected),
        "totals": [list(pair) for pair in result.totals],
        "rounds": [
            {
                "seat": r.seat,
                "number": r.number,
                "counts": [list(pair) for pair in r.counts],
                "exhausted": r.exhausted,
                "elected": r.elected,
                "eliminated": r.eliminated,
            }
            for r in result.rounds
        ],
        "ties": [
            {"round": t.round, "seat": t.seat, "tied": list(t.tied), "chosen": t.chosen, "rule": t.rule}
            for t in result.ties
        ],
        "ballots": result.ballots,
        "blank": result.blank,
        "online": sum(1 for _c, channel in rows if channel == Channel.ONLINE),
        "paper": sum(1 for _c, channel in rows if channel == Channel.PAPER),
        "hands": hand_voters,
        "participants": Participation.objects.filter(ballot=ballot).count(),
    }
    ballot.counted_at = now
    ballot.save(update_fields=["result", "counted_at"])
    record_change(actor=actor, obj=ballot, action="counted")
    return ballot


@transaction.atomic
def publish_result(*, actor: Any, ballot: Ballot) -> Ballot:
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.counted_at is None:
        raise VoteRefused(_("Count the ballot before publishing its result."))
    ballot.published_at = timezone.now()
    ballot.save(update_fields=["published_at"])
    record_change(actor=actor, obj=ballot, action="published")
    return ballot


@dataclass(frozen=True)
class ElectedThemes:
    """What ``create_elected_themes`` did: the themes it created, and the proposals it skipped with why."""

    created: list[Theme] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one sentence each


@transaction.atomic
def create_elected_themes(*, actor: Any, ballot: Ballot, edition: Edition) -> ElectedThemes:
    """The elected proposals become themes of ``edition`` in one step (the editions' theme service).

    A proposal's text goes into its own language and, when that is not Dutch,
    into Dutch too (the site's fallback language) for the team to translate.
    Refused a second time for one ballot. A proposal that already became a theme
    (elected by another ballot too), or whose title the edition has as a theme
    already, is skipped and said so: nothing is created twice.
    """
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.result is None:
        raise VoteRefused(_("Count the ballot first."))
    if ballot.themes_created_at is not None:
        raise VoteRefused(_("The themes of this ballot were already created."))
    option_proposals = dict(ballot.options.values_list("pk", "proposal_id"))
    elected_ids = [option_proposals[int(option_id)] for option_id in ballot.result["elected"]]
    # Locked: two ballots electing the same proposal, turned into themes at the same moment, make one theme.
    proposals = ThemeProposal.objects.select_for_update().in_bulk(elected_ids)
    position = (edition.themes.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    done = ElectedThemes()
    for proposal_id in elected_ids:
        proposal = proposals[proposal_id]
        language = proposal.language if proposal.language in editions_services.LANGUAGES else "nl"
        if proposal.theme_id is not None:
            theme = Theme.objects.select_related("edition").get(pk=proposal.theme_id)
            done.skipped.append(
                _("“%(title)s” is not created again: it is already the theme “%(theme)s” of %(edition)s.")
                % {"title": proposal.title, "theme": theme.title, "edition": theme.edition}
            )
            continue
        same_title = edition.themes.filter(**{f"title_{language}": proposal.title}).first()
        if same_title is not None:
            proposal.theme = same_title
            proposal.save(update_fields=["theme"])
            done.skipped.append(
                _("“%(title)s” is not created again: %(edition)s already has a theme of that title.")
                % {"title": proposal.title, "edition": edition}
            )
            continue
        values: dict[str, Any] = {
            "slug": _unique_slug(edition, proposal.title),
            "position": position,
            f"title_{language}": proposal.title,
            f"challenges_{language}": proposal.challenge,
            f"summary_{language}": proposal.why_now,
            # Where the proposal wants it, as far as the edition runs there.
            "in_belgium": edition.in_belgium and proposal.country in (ProposalCountry.BELGIUM, ProposalCountry.BOTH),
            "in_france": edition.in_france and proposal.country in (ProposalCountry.FRANCE, ProposalCountry.BOTH),
        }
        if not (values["in_belgium"] or values["in_france"]):
            raise VoteRefused(
                _("“%(title)s” is for a country where %(edition)s does not run.")
                % {"title": proposal.title, "edition": edition}
            )
        if language != "nl":
            values["title_nl"] = proposal.title
        try:
            theme = editions_services.create_theme(actor=actor, edition=edition, values=values)
        except editions_services.EditionRuleBroken as broken:
            raise VoteRefused(" ".join(str(message) for message in broken.errors.values())) from None
        proposal.theme = theme
        proposal.save(update_fields=["theme"])
        done.created.append(theme)
        position += 1
    ballot.themes_created_at = timezone.now()
    ballot.edition = edition
    ballot.save(update_fields=["themes_created_at", "edition"])
    record_change(
        actor=actor,
        obj=ballot,
        action="themes_created",
        changes={"edition": edition.slug, "created": len(done.created), "skipped": len(done.skipped)},
    )
    return done


def _unique_slug(edition: Edition, title: str) -> str:
    from django.utils.text import slugify

    base = (slugify(title) or "theme")[:40]
    slug, n = base, 2
    while edition.themes.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
