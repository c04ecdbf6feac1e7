"""The rows behind ``coopsip.core.notifications`` (read its docstring for the API)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.TextChoices):
    EACH = "each", _("an email for each message")
    DIGEST = "digest", _("one email a day at most (daily digest)")
    NONE = "none", _("no email")


class NotificationPreference(models.Model):
    """How one person wants to hear about one topic; without a row, the topic's default (the digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    topic = models.CharField(_("topic"), max_length=60)
    delivery = models.CharField(_("emails"), max_length=6, choices=Delivery, default=Delivery.DIGEST)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="notificationpreference_once")]

    def __str__(self) -> str:
        return f"{self.user}: {self.topic} = {self.delivery}"


class PendingNotification(models.Model):
    """One line waiting for the person's next daily digest, already in their language.

    ``key`` (unique per person) makes queueing idempotent: the same message is
    never listed twice. ``digest_key`` is set when a digest took it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="pending_notifications",
    )
    topic = models.CharField(_("topic"), max_length=60)
    key = models.CharField(_("key"), max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    digest_key = models.CharField(_("sent in the digest"), max_length=200, blank=True, db_index=True)

    class Meta:
        verbose_name = _("notification waiting for the digest")
        verbose_name_plural = _("notifications waiting for the digest")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="pendingnotification_once")]
        indexes = [models.Index(fields=["digest_key", "user"], name="pendingnotification_due_idx")]

    def __str__(self) -> str:
        return f"{self.user}: {self.subject}"
