"""Theme proposals, their supports, and the general assembly's secret ballot.

Secrecy: ``Participation`` records *that* a member voted, and how (online, or a
paper ballot handed out at the assembly), to refuse a second vote and to count
turnout; ``CastBallot`` records *what* was voted, with no person, no time and a
random id, so no column joins one to the other. While voting is open a
member's ballot is found again (to change it) by ``voter_key``, a keyed hash of
the ballot and the person whose key is not in the database; the member checks
it after the close with a receipt code, stored only as its hash.

What is honestly left while voting is open: the participation and the ballot
are written in one transaction, one after the other. So someone holding both
the database and the server's ballot secret (``COOPSIP_BALLOT_SECRET``) can
recompute a member's voter key and read their current choices; and someone
holding the database alone can pair the two rows by the order they were
stored in (SQLite's rowid, PostgreSQL's ctid) or, on PostgreSQL, by the id of
the transaction that wrote both (the system column ``xmin``). Backups and
PostgreSQL's write-ahead log taken while voting is open hold the same.

The seal (``services.seal_ballot``) removes every such link at the close,
before anything is counted: the ballot's contents are read, deleted and
written again in one new transaction, in a cryptographically random order,
with new random ids and without voter keys (``sealed``). Afterwards nothing,
not even the server's secret, leads from a person to a ballot; receipts still
check, since a receipt is the member's own code. See docs/votes.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProposalCountry(models.TextChoices):
    BELGIUM = "BE", _("Belgium")
    FRANCE = "FR", _("France")
    BOTH = "BOTH", _("Belgium and France")


class ProposalStatus(models.TextChoices):
    # A context of their own: "proposed" alone is also a date's label ("proposed on") elsewhere.
    PROPOSED = "proposed", pgettext_lazy("theme proposal status", "proposed")
    SHORTLISTED = "shortlisted", pgettext_lazy("theme proposal status", "shortlisted for the vote")
    MERGED = "merged", pgettext_lazy("theme proposal status", "merged with another proposal")
    NOT_RETAINED = "not_retained", pgettext_lazy("theme proposal status", "not retained")


class ThemeProposal(models.Model):
    """A theme proposed for the next edition, by a member (in their language) or by the board."""

    title = models.CharField(_("title"), max_length=200)
    challenge = models.TextField(_("the challenge it answers"))
    why_now = models.TextField(_("why now"), blank=True)
    country = models.CharField(_("country"), max_length=4, choices=ProposalCountry, default=ProposalCountry.BOTH)
    language = models.CharField(_("language"), max_length=8)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="theme_proposals",
    )
    by_board = models.BooleanField(_("the board's proposal"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=ProposalStatus, default=ProposalStatus.PROPOSED)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), on_delete=models.SET_NULL, null=True, blank=True, related_name="merged"
    )
    reason = models.TextField(_("reason"), blank=True)
    # Set when an elected proposal becomes a theme: a proposal elected again (by another ballot) is not made twice.
    theme = models.ForeignKey(
        "editions.Theme",
        verbose_name=_("became the theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposals",
    )
    created_at = models.DateTimeField(_("proposed on"), auto_now_add=True)

    class Meta:
        verbose_name = _("theme proposal")
        verbose_name_plural = _("theme proposals")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False), name="proposal_merged_has_a_target"
            ),
            models.CheckConstraint(condition=~Q(merged_into=models.F("pk")), name="proposal_not_merged_into_itself"),
        ]

    def __str__(self) -> str:
        return self.title


class Support(models.Model):
    proposal = models.ForeignKey(
        ThemeProposal, verbose_name=_("proposal"), on_delete=models.CASCADE, related_name="supports"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("member"), on_delete=models.CASCADE, related_name="theme_supports"
    )
    created_at = models.DateTimeField(_("supported on"), auto_now_add=True)

    class Meta:
        verbose_name = _("support")
        verbose_name_plural = _("supports")
        constraints = [models.UniqueConstraint(fields=["proposal", "user"], name="support_once_per_member")]

    def __str__(self) -> str:
        return f"{self.user} → {self.proposal}"


class BallotMethod(models.TextChoices):
    APPROVAL = "approval", _("approval voting (tick every theme you approve)")
    INSTANT_RUNOFF = "instant_runoff", _("ranked choice (instant runoff)")


class Ballot(models.Model):
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("voting method"), max_length=20, choices=BallotMethod)
    seats = models.PositiveSmallIntegerField(_("themes to elect"), default=2)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    # Candidates (option ids as strings) in the order drawn by lot when the ballot was created: breaks ties.
    tie_order = models.JSONField(_("order drawn for ties"), default=list)
    edition = models.ForeignKey(
        "editions.Edition",
        verbose_name=_("next edition"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The edition whose themes the elected proposals become."),
    )
    # The general assembly where the vote is held (date, place, sign-up): an event of the events engine.
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("general assembly (event)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ballots",
        help_text=_("The event of the general assembly: its page shows the vote, and the ballot shows the event."),
    )
    result = models.JSONField(_("result"), null=True, blank=True)
    # When the cast ballots were rewritten in a random order without voter keys (``services.seal_ballot``).
    sealed_at = models.DateTimeField(_("sealed"), null=True, blank=True)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)
    published_at = models.DateTimeField(_("result published"), null=True, blank=True)
    themes_created_at = models.DateTimeField(_("themes created"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        ordering = ["-closes_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="ballot_closes_after_opening"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="ballot_elects_someone"),
        ]

    def __str__(self) -> str:
        return self.title


class BallotOption(models.Model):
    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="options")
    proposal = models.ForeignKey(ThemeProposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        verbose_name = _("option")
        verbose_name_plural = _("options")
        ordering = ["ballot", "position"]
        constraints = [models.UniqueConstraint(fields=["ballot", "proposal"], name="ballot_option_once")]

    def __str__(self) -> str:
        return str(self.proposal)


class Channel(models.TextChoices):
    ONLINE = "online", _("online")
    PAPER = "paper", _("paper ballot counted in the room")


class Participation(models.Model):
    """That a member voted on a ballot, online or on a paper ballot handed out at the assembly: no choice here.

    A paper ballot is handed out to a member of the register (``entry``), who may have no account; an online
    vote records the account and, when it is linked, its register entry. One participation per account and one
    per register entry: a member who voted online gets no paper ballot, and one who got a paper ballot cannot
    vote online.
    """

    ballot = models.ForeignKey(
        Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballot_participations",
    )
    entry = models.ForeignKey(
        "members.RegisterEntry",
        verbose_name=_("register entry"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ballot_participations",
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.ONLINE)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "user"], name="one_vote_per_member"),
            models.UniqueConstraint(fields=["ballot", "entry"], name="one_vote_per_register_entry"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(entry__isnull=False), name="participation_names_a_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user or self.entry} voted on {self.ballot}"


class CastBallot(models.Model):
    """What was voted: option ids in order (ranked) or approved, no person, no time, a random id.

    ``voter_key`` finds a member's own ballot while voting is open; ``sealed`` rows were rewritten by the seal
    at the close, in a random order, with a new id and no voter key.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="cast")
    voter_key = models.CharField(_("voter key"), max_length=64, null=True, blank=True)
    receipt_hash = models.CharField(_("receipt"), max_length=64, null=True, blank=True)
    choices = models.JSONField(_("choices"), default=list)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel, default=Channel.ONLINE)
    sealed = models.BooleanField(_("sealed"), default=False)

    class Meta:
        verbose_name = _("cast ballot")
        verbose_name_plural = _("cast ballots")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter_key"], name="one_ballot_content_per_voter"),
            models.CheckConstraint(
                condition=Q(channel="paper") | Q(voter_key__isnull=False) | Q(sealed=True),
                name="online_ballot_has_a_voter_key_until_sealed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ballot} ({self.get_channel_display()})"


class RoomCount(models.Model):
    """A show of hands at the assembly: approvals per option, counted in the room (approval ballots only)."""

    ballot = models.ForeignKey(Ballot, verbose_name=_("ballot"), on_delete=models.CASCADE, related_name="room_counts")
    counts = models.JSONField(_("hands per option"), default=dict)
    voters = models.PositiveIntegerField(_("people who voted by show of hands"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("show of hands")
        verbose_name_plural = _("shows of hands")

    def __str__(self) -> str:
        return f"{self.ballot}: {self.voters}"
