"""Registrations ("Ik neem deel") for an edition: what group formation needs to know about a person.

One registration per person per edition. Preferences, availability slots and
accepted commitments are rows, so that group formation and staff filters can
query them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from coopsip.accounts.models import SPOKEN_LANGUAGES, Gender, StakeholderType

MAX_PREFERENCES = 3


class RegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("registration status", "submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("registration status", "withdrawn")
    # Group formation published a group for the person (or a freed seat was offered): an answer is awaited.
    PROPOSED = "proposed", pgettext_lazy("registration status", "proposed a group")
    # The person's answer to the proposal (the groups app keeps the seat, its deadline and the reason).
    ACCEPTED = "accepted", pgettext_lazy("registration status", "accepted a group")
    DECLINED = "declined", pgettext_lazy("registration status", "declined the group")
    EXPIRED = "expired", pgettext_lazy("registration status", "did not answer in time")
    # Without a group, on the list for a seat that frees up.
    WAITING = "waiting", pgettext_lazy("registration status", "waiting for a seat")


class MeetingMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    VIDEO = "video", _("by video only")
    EITHER = "either", _("either")


class Source(models.TextChoices):
    ONLINE = "online", _("online form")
    IMPORT = "import", _("imported by staff")
    GROUP_INVITATION = "invitation", _("invited by a working group")


class Registration(models.Model):
    edition = models.ForeignKey(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RegistrationStatus, default=RegistrationStatus.SUBMITTED
    )
    mode = models.CharField(_("how to meet"), max_length=12, choices=MeetingMode)
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.SET_NULL, null=True, blank=True
    )
    municipality = models.ForeignKey(
        "places.Municipality", verbose_name=_("home municipality"), on_delete=models.SET_NULL, null=True, blank=True
    )
    languages = models.JSONField(_("working languages"), default=list)
    volunteers_as_moderator = models.BooleanField(_("volunteers as moderator"), default=False)
    volunteers_as_secretary = models.BooleanField(_("volunteers as secretary"), default=False)
    volunteers_as_board_member = models.BooleanField(_("volunteers as board member"), default=False)
    volunteer_experience = models.CharField(_("experience as moderator or secretary"), max_length=500, blank=True)
    stakeholder_type = models.CharField(_("stakeholder type"), max_length=20, choices=StakeholderType, blank=True)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender, blank=True)
    notes = models.TextField(_("anything we should know"), blank=True, max_length=2000)
    source = models.CharField(_("source"), max_length=10, choices=Source, default=Source.ONLINE)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "user"], name="registration_one_per_person_per_edition"),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="registration_withdrawn_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.edition}"

    @property
    def is_active(self) -> bool:
        return self.status != RegistrationStatus.WITHDRAWN

    @property
    def language_names(self) -> list[str]:
        names = dict(SPOKEN_LANGUAGES)
        return [str(names.get(code, code)) for code in self.languages]

    @property
    def ordered_slots(self) -> list[AvailabilitySlot]:
        """Monday morning first, Sunday evening last (the database sorts parts by name)."""
        order = {part: index for index, part in enumerate(DayPart.values)}
        return sorted(self.slots.all(), key=lambda slot: (slot.weekday, order[slot.part]))


class ThemePreference(models.Model):
    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="preferences"
    )
    theme = models.ForeignKey("editions.Theme", verbose_name=_("theme"), on_delete=models.PROTECT)
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        verbose_name = _("theme preference")
        verbose_name_plural = _("theme preferences")
        ordering = ["registration", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "rank"], name="preference_rank_unique"),
            models.UniqueConstraint(fields=["registration", "theme"], name="preference_theme_unique"),
            models.CheckConstraint(
                condition=Q(rank__gte=1) & Q(rank__lte=MAX_PREFERENCES), name="preference_rank_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rank}. {self.theme}"


class DayPart(models.TextChoices):
    MORNING = "morning", _("morning")
    AFTERNOON = "afternoon", _("afternoon")
    EVENING = "evening", _("evening")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilitySlot(models.Model):
    """A weekly time slot when the person can meet."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="slots"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday)
    part = models.CharField(_("part of the day"), max_length=10, choices=DayPart)

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["registration", "weekday", "part"]
        constraints = [
            models.UniqueConstraint(fields=["registration", "weekday", "part"], name="slot_unique"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="slot_weekday_range"),
        ]

    def __str__(self) -> str:
        # The same words as the checkbox of the form ("maandagavond", "lundi soir").
        return pgettext("a weekly time slot", "%(day)s %(part)s") % {
            "day": self.get_weekday_display(),
            "part": self.get_part_display(),
        }


class CommitmentKind(models.TextChoices):
    WHOLE_PERIOD = "whole_period", _("whole period")
    VOLUNTEER = "volunteer", _("unpaid volunteer")
    INTEREST = "interest", _("interest in the theme")


class CommitmentAcceptance(models.Model):
    """A commitment the person accepted, with the exact words they saw and when."""

    registration = models.ForeignKey(
        Registration, verbose_name=_("registration"), on_delete=models.CASCADE, related_name="commitments"
    )
    kind = models.CharField(_("commitment"), max_length=20, choices=CommitmentKind)
    text = models.TextField(_("text accepted"))
    language = models.CharField(_("language"), max_length=5)
    accepted_at = models.DateTimeField(_("accepted at"))

    class Meta:
        verbose_name = _("accepted commitment")
        verbose_name_plural = _("accepted commitments")
        constraints = [models.UniqueConstraint(fields=["registration", "kind"], name="commitment_unique")]

    def __str__(self) -> str:
        return self.get_kind_display()


class VolunteerRole(models.TextChoices):
    MODERATOR = "moderator", _("moderator")
    SECRETARY = "secretary", _("secretary")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation status", "pending")
    ACCEPTED = "accepted", pgettext_lazy("invitation status", "accepted")
    DECLINED = "declined", pgettext_lazy("invitation status", "declined")


class RoleInvitation(models.Model):
    """Staff invite a person to moderate or to act as secretary in an edition."""

    edition = models.ForeignKey(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="role_invitations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="role_invitations"
    )
    role = models.CharField(_("role"), max_length=10, choices=VolunteerRole)
    theme = models.ForeignKey(
        "editions.Theme", verbose_name=_("theme"), on_delete=models.SET_NULL, null=True, blank=True
    )
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.SET_NULL, null=True, blank=True
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    token = models.CharField(_("token"), max_length=64, unique=True)
    status = models.CharField(_("status"), max_length=10, choices=InvitationStatus, default=InvitationStatus.PENDING)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="role_invitations_sent",
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation to a role")
        verbose_name_plural = _("invitations to a role")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user", "role"],
                condition=Q(status="pending"),
                name="invitation_one_pending_per_role",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(answered_at__isnull=False), name="invitation_answered_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user} ({self.edition})"
