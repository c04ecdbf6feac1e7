"""What members, invited experts and partners share on a theme: experiences, resources, questions.

A contribution is written in one language (``language``) and shown as written,
marked with its language where the page is in another. Staff highlight it,
move it to the theme's resources (an ``editions.Resource`` is made from it), or
hide it with a reason the author is told.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    EXPERIENCE = "experience", _("an experience")
    RESOURCE = "resource", _("a resource")
    QUESTION = "question", _("a question")


class AuthorRole(models.TextChoices):
    PARTICIPANT = "participant", _("participant")
    EXPERT = "expert", _("invited expert")
    PARTNER = "partner", _("invited partner")
    STAFF = "staff", _("Cooperative Life team")


class InvitedRole(models.TextChoices):
    EXPERT = "expert", _("expert")
    PARTNER = "partner", _("partner")


def contribution_file_path(instance: Contribution, filename: str) -> str:
    # A random folder: the name says nothing of who uploaded it and cannot be guessed.
    return f"contributions/{timezone.now():%Y/%m}/{secrets.token_hex(8)}/{filename}"


class InvitedContributor(models.Model):
    """An expert or a partner whom staff invited to contribute to the themes of an edition."""

    edition = models.ForeignKey(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="invited_contributors"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="contributor_invitations",
    )
    role = models.CharField(_("invited as"), max_length=10, choices=InvitedRole)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("invited contributor")
        verbose_name_plural = _("invited contributors")
        ordering = ["-created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["edition", "user"], name="invitedcontributor_once")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class Contribution(models.Model):
    theme = models.ForeignKey(
        "editions.Theme", verbose_name=_("theme"), on_delete=models.CASCADE, related_name="contributions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="contributions",
    )
    author_role = models.CharField(_("shared as"), max_length=12, choices=AuthorRole, default=AuthorRole.PARTICIPANT)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), max_length=10_000, blank=True, help_text=_("Markdown."))
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to=contribution_file_path, blank=True, max_length=300)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    highlighted = models.BooleanField(_("highlighted"), default=False)
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True)
    hidden_reason = models.CharField(_("why it is hidden"), max_length=500, blank=True)
    resource = models.OneToOneField(
        "editions.Resource",
        verbose_name=_("among the theme's resources"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_contribution",
    )
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-highlighted", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hidden_at__isnull=True) | ~Q(hidden_reason=""), name="contribution_hidden_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["theme", "hidden_at", "-created_at"], name="contribution_theme_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None


class Answer(models.Model):
    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.CASCADE, related_name="+"
    )
    author_role = models.CharField(_("shared as"), max_length=12, choices=AuthorRole, default=AuthorRole.PARTICIPANT)
    body = models.TextField(_("answer"), max_length=5000, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.contribution}: {self.body[:40]}"


class UsefulMark(models.Model):
    """One person found a contribution useful: once per person, by construction."""

    contribution = models.ForeignKey(
        Contribution, verbose_name=_("contribution"), on_delete=models.CASCADE, related_name="useful_marks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("marked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("useful mark")
        verbose_name_plural = _("useful marks")
        constraints = [models.UniqueConstraint(fields=["contribution", "user"], name="usefulmark_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.contribution}"
