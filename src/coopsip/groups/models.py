"""Working groups: a published proposal turned into groups whose members answer, then meet.

A ``WorkingGroup`` is made from one ``formation.ProposedGroup`` of the edition's
published run. Each person's place in it is a ``Seat``: offered (an answer is
awaited until its deadline), accepted, declined (with a reason), expired (no
answer in time) or left (moved, merged, the group closed). The registration's
status mirrors the person's latest answer, so that staff lists and group
formation read it without this app.

A group becomes active (an ``events.Circle`` whose members hold a seat at its
meetings) when its moderator, its secretary and at least the minimum size have
accepted. Seats are only written under a row lock on the group (services.py):
a group never holds more offered or accepted seats than its maximum size, and
a person never holds two (a partial unique constraint says it again).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coopsip.formation.models import GroupMode, MemberRole

DEFAULT_ANSWER_DAYS = 7
REMINDER_DAYS_BEFORE = 2


class GroupSettings(models.Model):
    """What the groups of one edition follow; one row per edition, created with defaults on first use."""

    edition = models.OneToOneField(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="group_settings"
    )
    answer_days = models.PositiveSmallIntegerField(
        _("days to answer a proposal"),
        default=DEFAULT_ANSWER_DAYS,
        help_text=_("A reminder goes out two days before the deadline."),
    )

    class Meta:
        verbose_name = _("working-group settings")
        verbose_name_plural = _("working-group settings")
        constraints = [
            models.CheckConstraint(condition=Q(answer_days__gte=3) & Q(answer_days__lte=60), name="answer_days_range")
        ]

    def __str__(self) -> str:
        return str(self.edition)


class OfficeAdvisor(models.Model):
    """A staff-assigned advisor of one office: they follow the groups that meet there (read-only)."""

    office = models.ForeignKey("places.Office", verbose_name=_("office"), on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("advisor"),
        on_delete=models.CASCADE,
        related_name="advised_offices",
    )

    class Meta:
        verbose_name = _("advisor of an office")
        verbose_name_plural = _("advisors of offices")
        constraints = [models.UniqueConstraint(fields=["office", "user"], name="officeadvisor_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.office})"


class GroupStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("working group status", "waiting for answers")
    ACTIVE = "active", pgettext_lazy("working group status", "active")
    CLOSED = "closed", pgettext_lazy("working group status", "closed")


class WorkingGroup(models.Model):
    edition = models.ForeignKey(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT, related_name="working_groups"
    )
    proposed_group = models.OneToOneField(
        "formation.ProposedGroup",
        verbose_name=_("proposed group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_group",
    )
    key = models.CharField(_("group code"), max_length=40)
    theme = models.ForeignKey("editions.Theme", verbose_name=_("theme"), on_delete=models.PROTECT)
    mode = models.CharField(_("how it meets"), max_length=10, choices=GroupMode)
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    slot = models.CharField(_("time slot"), max_length=6)
    min_size = models.PositiveSmallIntegerField(_("minimum size"))
    max_size = models.PositiveSmallIntegerField(_("maximum size"))
    # How many people the proposal had: a freed seat is offered again up to this number.
    proposed_size = models.PositiveSmallIntegerField(_("seats proposed"))
    status = models.CharField(_("status"), max_length=10, choices=GroupStatus, default=GroupStatus.WAITING)
    circle = models.OneToOneField(
        "events.Circle",
        verbose_name=_("group in the events"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="working_group",
    )
    # Set when the group needs a person from the team (no replacement for its moderator or secretary).
    attention = models.CharField(_("needs the team"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    activated_at = models.DateTimeField(_("active since"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    close_reason = models.CharField(_("why it closed"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("working group")
        verbose_name_plural = _("working groups")
        ordering = ["theme__position", "office__name", "key"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="workinggroup_key_per_edition"),
            models.CheckConstraint(condition=Q(min_size__lte=models.F("max_size")), name="workinggroup_sizes"),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(circle__isnull=False), name="workinggroup_active_has_circle"
            ),
        ]

    def __str__(self) -> str:
        place = self.office.name if self.office_id and self.office else str(_("by video"))
        return f"{self.theme.title} – {place} ({self.key})"

    @property
    def is_video(self) -> bool:
        return self.mode == GroupMode.VIDEO


class SeatState(models.TextChoices):
    OFFERED = "offered", pgettext_lazy("seat state", "waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("seat state", "accepted")
    DECLINED = "declined", pgettext_lazy("seat state", "declined")
    EXPIRED = "expired", pgettext_lazy("seat state", "no answer in time")
    LEFT = "left", pgettext_lazy("seat state", "left the group")


# States that hold a place in the group.
HOLDING = (SeatState.OFFERED, SeatState.ACCEPTED)


class SeatSource(models.TextChoices):
    PROPOSAL = "proposal", _("the published proposal")
    BACKFILL = "backfill", _("a freed seat")
    INVITATION = "invitation", _("an invitation by the group")
    STAFF = "staff", _("moved by the team")


class DeclineReason(models.TextChoices):
    SLOT = "slot", _("The time slot no longer suits me")
    TOO_FAR = "too_far", _("The place is too far for me")
    OTHER_THEME = "other_theme", _("I would rather work on another theme")
    NO_TIME = "no_time", _("I have no time this year")
    OTHER = "other", _("Another reason")


class Seat(models.Model):
    group = models.ForeignKey(WorkingGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="seats")
    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("registration"),
        on_delete=models.CASCADE,
        related_name="group_seats",
    )
    role = models.CharField(_("role"), max_length=12, choices=MemberRole, default=MemberRole.PARTICIPANT)
    state = models.CharField(_("state"), max_length=10, choices=SeatState, default=SeatState.OFFERED)
    source = models.CharField(_("offered through"), max_length=12, choices=SeatSource, default=SeatSource.PROPOSAL)
    offered_at = models.DateTimeField(_("offered"))
    deadline = models.DateTimeField(_("answer by"))
    remind_at = models.DateTimeField(_("reminder due"), db_index=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=12, choices=DeclineReason, blank=True)
    decline_text = models.CharField(_("in their words"), max_length=1000, blank=True)
    commitment_text = models.TextField(_("commitment accepted"), blank=True)
    commitment_language = models.CharField(_("language"), max_length=5, blank=True)
    # The group sees the person's email address only when they agreed (asked when they accept).
    share_contact = models.BooleanField(_("shares their email address with the group"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    left_reason = models.CharField(_("why they left"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("seat in a working group")
        verbose_name_plural = _("seats in working groups")
        ordering = ["group", "role", "offered_at", "pk"]
        constraints = [
            # One group at a time per person and edition (a registration is one person in one edition).
            models.UniqueConstraint(
                fields=["registration"], condition=Q(state__in=["offered", "accepted"]), name="seat_one_group_at_a_time"
            ),
            # At most one moderator and one secretary per group among the seats held.
            models.UniqueConstraint(
                fields=["group", "role"],
                condition=Q(state__in=["offered", "accepted"], role__in=["moderator", "secretary"]),
                name="seat_one_officer_per_role",
            ),
            models.CheckConstraint(
                condition=Q(state="offered") | Q(state="left") | Q(answered_at__isnull=False),
                name="seat_answered_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "deadline"], name="seat_state_deadline_idx")]

    def __str__(self) -> str:
        return f"{self.registration} – {self.group.key} ({self.state})"

    @property
    def holds_place(self) -> bool:
        return self.state in HOLDING
