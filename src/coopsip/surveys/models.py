"""Surveys: questions with conditions, an audience, a pilot, answers (one response per person) and results.

Texts typed by staff (titles, questions, choices) are translated per field with
django-modeltranslation, as the editions' texts are (``translation.py``), and
shown with the visible fallback of ``{% translated %}``.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopsip.places.models import Country


def new_link_token() -> str:
    return secrets.token_urlsafe(18)


class AudienceKind(models.TextChoices):
    MEMBERS = "members", _("all members")
    COUNTRY = "country", _("the members of one country")
    OFFICE = "office", _("the members of one office or region")
    EDITION = "edition", _("the registrants of an edition")
    GROUP = "group", _("a working group")
    SECTOR_NETWORK = "sector_network", _("a sector network")
    LINK = "link", _("anyone with the link")


class Survey(models.Model):
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("Markdown."))
    data_note = models.TextField(
        _("what happens to the answers"),
        blank=True,
        help_text=_("Added to the standard note: who reads the answers and what they are used for."),
    )
    audience = models.CharField(_("audience"), max_length=20, choices=AudienceKind, default=AudienceKind.MEMBERS)
    audience_country = models.CharField(_("country"), max_length=2, choices=Country, blank=True)
    audience_office = models.ForeignKey(
        "places.Office",
        verbose_name=_("office or region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    audience_edition = models.ForeignKey(
        "editions.Edition",
        verbose_name=_("edition"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    audience_circle = models.ForeignKey(
        "events.Circle",
        verbose_name=_("group or network"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    link_token = models.CharField(_("link key"), max_length=40, unique=True, default=new_link_token)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    anonymous = models.BooleanField(
        _("anonymous"), default=True, help_text=_("Answers are stored without the person's name.")
    )
    pilot_office = models.ForeignKey(
        "places.Office",
        verbose_name=_("pilot in the office or region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("While the pilot runs, only people of this office or region can answer."),
    )
    in_pilot = models.BooleanField(_("pilot running"), default=False)
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="survey_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(in_pilot=False) | Q(pilot_office__isnull=False), name="survey_pilot_has_a_segment"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now: Any = None) -> bool:
        return (now or timezone.now()) >= self.closes_at


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("one choice")
    MULTIPLE = "multiple", _("several choices")
    RANKING = "ranking", _("ranking")
    SCALE_5 = "scale5", _("scale from 1 to 5")
    SCALE_10 = "scale10", _("scale from 0 to 10")
    MATRIX = "matrix", _("matrix")
    SHORT_TEXT = "short_text", _("short text")
    LONG_TEXT = "long_text", _("long text")
    NUMBER = "number", _("number")
    DATE = "date", _("date")
    YES_NO = "yes_no", _("yes or no")


CHOICE_KINDS = {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RANKING, QuestionKind.MATRIX}
TEXT_KINDS = {QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT}


class Question(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind)
    text = models.CharField(_("question"), max_length=500)
    help_text = models.TextField(_("explanation"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("shown only if the question"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="dependents",
    )
    # A choice's id, "yes"/"no" or a number on a scale: the answer that shows this question.
    condition_value = models.CharField(_("has the answer"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey", "position", "pk"]

    def __str__(self) -> str:
        return self.text


class Choice(models.Model):
    """An option of a choice question, or a row of a matrix (its options are the matrix's columns)."""

    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("position"))
    is_row = models.BooleanField(_("matrix row"), default=False)
    label = models.CharField(_("label"), max_length=300)

    class Meta:
        verbose_name = _("choice")
        verbose_name_plural = _("choices")
        ordering = ["question", "is_row", "position", "pk"]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """One person's answers to a survey: at most one per person (``respondent_key`` is unique per survey).

    ``respondent_key`` is a keyed hash of the survey and the person, so an
    anonymous response can still be found again by its author (to continue or
    change it) and a second one refused, while the row names nobody.
    """

    survey = models.ForeignKey(Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="responses")
    respondent_key = models.CharField(_("respondent key"), max_length=64)
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("respondent"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="survey_responses",
        help_text=_("Empty for an anonymous survey."),
    )
    in_pilot = models.BooleanField(_("pilot answer"), default=False)
    office = models.ForeignKey(
        "places.Office", verbose_name=_("office"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    country = models.CharField(_("country"), max_length=2, choices=Country, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "respondent_key"], name="survey_one_response_per_person"),
        ]
        indexes = [models.Index(fields=["survey", "submitted_at"], name="survey_response_sent")]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class Answer(models.Model):
    """The answer to one question: ``value`` for choices, scales, numbers, dates and matrices; ``text`` for text."""

    response = models.ForeignKey(Response, verbose_name=_("response"), on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, verbose_name=_("question"), on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField(_("value"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="survey_one_answer_per_question")]

    def __str__(self) -> str:
        return f"{self.question_id}: {self.value if self.value is not None else self.text[:40]}"
