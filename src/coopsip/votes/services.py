"""Every change to theme proposals and ballots.

Casting a vote (``cast_vote``) writes two rows that nothing joins: the
``Participation`` (who voted) and the ``CastBallot`` (what), found again by a
keyed hash of the ballot and the person. Both have a unique key, so a vote
cast twice at the same moment (two tabs, a double click) leaves one of each;
the later one replaces the choices. A receipt code, given to the member and
stored only as its hash, lets them check after the close that their ballot
was counted as cast.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.core.audit import record_change
from coopsip.editions import services as editions_services
from coopsip.editions.models import Edition, Theme
from coopsip.events.models import Event
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

    ``option_ids``: the ballot's option ids when the caller has them already (the page does), to save a query.
    """
    now = now or timezone.now()
    refusal = window_refusal(ballot, now)
    if refusal:
        raise VoteRefused(refusal)
    entry = getattr(user, "register_entry", None)
    if entry is None or not entry.is_member:
        raise VoteRefused(_("Only members of the cooperative vote."))
    return _write_vote(ballot=ballot, user=user, choices=_clean_choices(ballot, choices, option_ids))


@transaction.atomic
def _write_vote(*, ballot: Ballot, user: Any, choices: list[int]) -> str:
    """Two statements, each an atomic upsert on its unique key (no read first, no retry, no savepoint).

    The participation is inserted unless it exists; the ballot's content is inserted, or its choices and
    receipt replaced when the member voted before (found by the voter key). Two requests of one member
    at the same moment (two tabs) serialise on the cast ballot's row: one row each, the later choices kept,
    and only the later receipt matches them.
    """
    Participation.objects.bulk_create([Participation(ballot=ballot, user=user)], ignore_conflicts=True)
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


def has_voted(ballot: Ballot, user: Any) -> bool:
    return user.is_authenticated and Participation.objects.filter(ballot=ballot, user=user).exists()


def current_choices(ballot: Ballot, user: Any) -> list[int]:
    """The member's own choices while voting is open (to change them), found by their key."""
    cast = CastBallot.objects.filter(ballot=ballot, voter_key=voter_key(ballot, user)).first()
    return list(cast.choices) if cast else []


def check_receipt(*, ballot: Ballot, code: str, now: datetime | None = None) -> CastBallot | None:
    """After the close: the ballot cast with this receipt, or None."""
    if (now or timezone.now()) < ballot.closes_at:
        raise VoteRefused(_("Receipts can be checked once voting has closed."))
    return CastBallot.objects.filter(ballot=ballot, receipt_hash=receipt_hash(ballot, code)).first()


@transaction.atomic
def record_paper_ballot(*, actor: Any, ballot: Ballot, choices: Sequence[int | str]) -> CastBallot:
    """A paper ballot counted in the room, entered by staff: no voter, no receipt, marked as paper."""
    if ballot.counted_at is not None:
        raise VoteRefused(_("The ballot is already counted."))
    cast = CastBallot.objects.create(ballot=ballot, channel=Channel.PAPER, choices=_clean_choices(ballot, choices))
    record_change(actor=actor, obj=ballot, action="paper_ballot_recorded")
    return cast


@transaction.atomic
def record_show_of_hands(
    *, actor: Any, ballot: Ballot, counts: Mapping[int, int], voters: int, note: str = ""
) -> RoomCount:
    """Hands raised per option at the assembly (approval ballots only), marked as such in the result."""
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


@transaction.atomic
def count_ballot(*, actor: Any, ballot: Ballot, now: datetime | None = None) -> Ballot:
    """Count after the close with ``counting.count``; the result (rounds, ties, channels) is stored."""
    now = now or timezone.now()
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if now < ballot.closes_at:
        raise VoteRefused(_("Voting is still open: count after it closes."))
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


@transaction.atomic
def create_elected_themes(*, actor: Any, ballot: Ballot, edition: Edition) -> list[Theme]:
    """The elected proposals become themes of ``edition`` in one step (the editions' theme service).

    A proposal's text goes into its own language and, when that is not Dutch,
    into Dutch too (the site's fallback language) for the team to translate.
    Refused a second time, so nothing is created twice.
    """
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if ballot.result is None:
        raise VoteRefused(_("Count the ballot first."))
    if ballot.themes_created_at is not None:
        raise VoteRefused(_("The themes of this ballot were already created."))
    options = {str(o.pk): o.proposal for o in ballot.options.select_related("proposal")}
    position = (edition.themes.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    themes = []
    for option_id in ballot.result["elected"]:
        proposal = options[option_id]
        language = proposal.language if proposal.language in editions_services.LANGUAGES else "nl"
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
            themes.append(editions_services.create_theme(actor=actor, edition=edition, values=values))
        except editions_services.EditionRuleBroken as broken:
            raise VoteRefused(" ".join(str(message) for message in broken.errors.values())) from None
        position += 1
    ballot.themes_created_at = timezone.now()
    ballot.edition = edition
    ballot.save(update_fields=["themes_created_at", "edition"])
    record_change(actor=actor, obj=ballot, action="themes_created", changes={"edition": edition.slug})
    return themes


def _unique_slug(edition: Edition, title: str) -> str:
    from django.utils.text import slugify

    base = (slugify(title) or "theme")[:40]
    slug, n = base, 2
    while edition.themes.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug
