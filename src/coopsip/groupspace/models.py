"""A group's shared space: finding a date, documents, discussion.

Everything hangs on an ``events.Circle`` (the people who meet again and
again): a working group's members form one, and so does a sector network, so
the same pages serve both. Meetings stay events of the circle: choosing a
date creates one through the events services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DatePoll(models.Model):
    """ "When shall we meet?": several dates and times, each member answers per option."""

    circle = models.ForeignKey(
        "events.Circle", verbose_name=_("group"), on_delete=models.CASCADE, related_name="date_polls"
    )
    title = models.CharField(_("what for"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    chosen = models.ForeignKey(
        "DateOption", verbose_name=_("chosen date"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("date poll")
        verbose_name_plural = _("date polls")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["circle", "closed_at"], name="datepoll_circle_open_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class DateOption(models.Model):
    poll = models.ForeignKey(DatePoll, verbose_name=_("date poll"), on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        verbose_name = _("proposed date")
        verbose_name_plural = _("proposed dates")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="dateoption_once_per_poll"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="dateoption_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.poll}: {self.starts_at:%Y-%m-%d %H:%M}"


class Availability(models.TextChoices):
    YES = "yes", pgettext_lazy("date poll answer", "yes")
    IF_NEED_BE = "maybe", pgettext_lazy("date poll answer", "if need be")
    NO = "no", pgettext_lazy("date poll answer", "no")


class DateAnswer(models.Model):
    option = models.ForeignKey(
        DateOption, verbose_name=_("proposed date"), on_delete=models.CASCADE, related_name="answers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="date_answers"
    )
    answer = models.CharField(_("answer"), max_length=5, choices=Availability)
    answered_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("answer to a date poll")
        verbose_name_plural = _("answers to date polls")
        constraints = [models.UniqueConstraint(fields=["option", "user"], name="dateanswer_once_per_option")]

    def __str__(self) -> str:
        return f"{self.user}: {self.answer}"


def document_path(instance: Document, filename: str) -> str:
    # ``filename`` is already the generated name the service gave (editions.services.safe_file_name).
    return f"groupspace/{instance.circle_id}/{filename}"


class Document(models.Model):
    """A file uploaded to the group's space, or a link; who added it and when."""

    circle = models.ForeignKey(
        "events.Circle", verbose_name=_("group"), on_delete=models.CASCADE, related_name="documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=document_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-added_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")), name="document_is_a_file_or_a_link"
            ),
        ]
        indexes = [models.Index(fields=["circle", "-added_at"], name="document_circle_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)


class Thread(models.Model):
    circle = models.ForeignKey(
        "events.Circle", verbose_name=_("group"), on_delete=models.CASCADE, related_name="threads"
    )
    title = models.CharField(_("subject"), max_length=200)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("last message"))
    post_count = models.PositiveIntegerField(_("messages"), default=0)

    class Meta:
        verbose_name = _("discussion thread")
        verbose_name_plural = _("discussion threads")
        ordering = ["-last_post_at", "-pk"]
        indexes = [models.Index(fields=["circle", "-last_post_at"], name="thread_circle_idx")]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """One message in a thread, in Markdown (rendered by the sanitiser)."""

    thread = models.ForeignKey(Thread, verbose_name=_("thread"), on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="group_posts",
    )
    body = models.TextField(_("message"), help_text=_("Markdown."))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["thread", "created_at"], name="post_thread_idx")]

    def __str__(self) -> str:
        return f"{self.thread}: {self.pk}"
