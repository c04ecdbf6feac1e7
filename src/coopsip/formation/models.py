"""Formation runs: the engine's proposal of groups for an edition, reviewed and published by staff.

A run stores what the engine proposed (groups, their members and roles, the
people left out with the reason as a code and parameters, the report). Staff
move people and lock people or whole groups; a re-run keeps the locks and
re-optimises the rest. Publishing a run makes each placed registration
"proposed" with its group.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RunStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("formation run", "waiting for the worker")
    RUNNING = "running", pgettext_lazy("formation run", "running")
    DONE = "done", pgettext_lazy("formation run", "done")
    FAILED = "failed", pgettext_lazy("formation run", "failed")


class FormationRun(models.Model):
    edition = models.ForeignKey(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="formation_runs"
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=10, choices=RunStatus, default=RunStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("re-run of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reruns",
    )
    params = models.JSONField(_("settings"), default=dict)
    report = models.JSONField(_("report"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Publishing another run of the edition replaces this one: it stays as a record, no longer published.
    replaced_at = models.DateTimeField(_("replaced"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("replaced by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("formation run")
        verbose_name_plural = _("formation runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="formationrun_number_per_edition"),
            # At most one published proposal per edition: publishing another replaces it first.
            models.UniqueConstraint(
                fields=["edition"],
                condition=models.Q(published_at__isnull=False, replaced_at__isnull=True),
                name="formationrun_one_published_per_edition",
            ),
            models.CheckConstraint(
                condition=models.Q(replaced_at__isnull=True) | models.Q(published_at__isnull=False),
                name="formationrun_replaced_was_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.edition} #{self.number}"

    @property
    def is_finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def is_published(self) -> bool:
        """The edition's published proposal now (a run published and then replaced is no longer)."""
        return self.published_at is not None and self.replaced_at is None


class GroupMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    VIDEO = "video", _("by video")


class ProposedGroup(models.Model):
    run = models.ForeignKey(FormationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="groups")
    key = models.CharField(_("group code"), max_length=40)
    theme = models.ForeignKey("editions.Theme", verbose_name=_("theme"), on_delete=models.CASCADE)
    mode = models.CharField(_("how it meets"), max_length=10, choices=GroupMode)
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.PROTECT, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    slot = models.CharField(_("time slot"), max_length=6)
    locked = models.BooleanField(_("locked"), default=False)

    class Meta:
        verbose_name = _("proposed group")
        verbose_name_plural = _("proposed groups")
        ordering = ["theme__position", "office__name", "key"]
        constraints = [models.UniqueConstraint(fields=["run", "key"], name="proposedgroup_key_per_run")]

    def __str__(self) -> str:
        return self.key


class MemberRole(models.TextChoices):
    MODERATOR = "moderator", _("moderator")
    SECRETARY = "secretary", _("secretary")
    BOARD = "board", _("board member")
    PARTICIPANT = "participant", _("participant")


class ProposedMember(models.Model):
    run = models.ForeignKey(FormationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="members")
    group = models.ForeignKey(ProposedGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="members")
    registration = models.ForeignKey(
        "registrations.Registration", verbose_name=_("registration"), on_delete=models.CASCADE, related_name="+"
    )
    role = models.CharField(_("role"), max_length=12, choices=MemberRole, default=MemberRole.PARTICIPANT)
    locked = models.BooleanField(_("locked"), default=False)
    moved_by_staff = models.BooleanField(_("moved by staff"), default=False)

    class Meta:
        verbose_name = _("proposed member")
        verbose_name_plural = _("proposed members")
        ordering = ["role", "registration__user__last_name"]
        # One group per person per run.
        constraints = [models.UniqueConstraint(fields=["run", "registration"], name="proposedmember_once_per_run")]

    def __str__(self) -> str:
        return f"{self.registration} ({self.role})"


class Unplaced(models.Model):
    """A person the run left out, with the engine's reason (a code and its parameters, translated when shown)."""

    run = models.ForeignKey(FormationRun, verbose_name=_("run"), on_delete=models.CASCADE, related_name="unplaced")
    registration = models.ForeignKey(
        "registrations.Registration", verbose_name=_("registration"), on_delete=models.CASCADE, related_name="+"
    )
    code = models.CharField(_("reason"), max_length=40)
    params = models.JSONField(_("details"), default=dict)

    class Meta:
        verbose_name = _("person without a group")
        verbose_name_plural = _("people without a group")
        constraints = [models.UniqueConstraint(fields=["run", "registration"], name="unplaced_once_per_run")]

    def __str__(self) -> str:
        return f"{self.registration}: {self.code}"
