"""Recommendations: from a group's idea to the board's decision and what became of it.

The journey, and who writes each part (every change goes through ``services.py``):

- a group's members add ``Idea`` rows and discuss them in the group's discussion;
- the secretary (or moderator) turns ideas into a ``Recommendation`` draft with the
  structure of the seeds' summary; each save is a numbered ``RecommendationVersion``
  (a full snapshot), and a save based on an older number is refused;
- the group adopts it by a ``ConsentRound`` (one ``ConsentAnswer`` per person),
  then submits it to the team, or withdraws it before the synthesis;
- staff merge the submitted recommendations of a theme into a ``Synthesis`` that keeps
  its sources (``SynthesisSource``); groups, and members for info moments, comment;
- the board records a ``BoardDecision`` (on a synthesis or a recommendation), published later;
- an accepted one becomes a ``FollowUpProject`` with ``Milestone`` and ``ProjectUpdate`` rows;
- a group may try one out as a ``TestProject`` with ``BudgetLine`` requests, ``Expense`` rows,
  a ``TestProjectLogEntry`` log and a final ``Evaluation``.

Texts typed by people are stored in the language they were written in (a ``language``
field). Texts typed by staff for everyone (a synthesis, the board's answer, a project)
are translated per field with django-modeltranslation (``translation.py``), shown with
the editions' visible fallback (``{% translated obj "field" %}``).

The recommendation's status is a small state machine: ``services.TRANSITIONS`` lists the
allowed moves and ``services._move`` refuses every other one.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Limits named in the error a person sees when a text is too long.
TITLE_MAX = 200
TEXT_MAX = 20_000
SHORT_TEXT_MAX = 2_000


class Idea(models.Model):
    """An idea for a recommendation, added by any member of a group and discussed in the group's discussion."""

    group = models.ForeignKey(
        "groups.WorkingGroup", verbose_name=_("group"), on_delete=models.CASCADE, related_name="ideas"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendation_ideas",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    challenge = models.CharField(
        _("challenge of the theme it answers"), max_length=300, blank=True, help_text=_("In a few words.")
    )
    # The group's discussion of the idea: a thread of its group space.
    thread = models.OneToOneField(
        "groupspace.Thread",
        verbose_name=_("discussion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="idea",
    )
    # The draft the secretary made of it (one idea goes into at most one draft).
    recommendation = models.ForeignKey(
        "Recommendation",
        verbose_name=_("turned into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["group", "-created_at"], name="idea_group_idx")]

    def __str__(self) -> str:
        return self.title


class RecommendationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("recommendation status", "draft")
    CONSENT = "consent", pgettext_lazy("recommendation status", "consent round open")
    ADOPTED = "adopted", pgettext_lazy("recommendation status", "adopted by the group")
    SUBMITTED = "submitted", pgettext_lazy("recommendation status", "submitted to the team")
    WITHDRAWN = "withdrawn", pgettext_lazy("recommendation status", "withdrawn")
    IN_SYNTHESIS = "in_synthesis", pgettext_lazy("recommendation status", "in a synthesis")
    SYNTHESISED = "synthesised", pgettext_lazy("recommendation status", "synthesised, with the board")
    DECIDED = "decided", pgettext_lazy("recommendation status", "decided by the board")


# The structured fields of a recommendation, in the order of the seeds' summary.
STRUCTURED_FIELDS = ("need", "proposal", "actions", "carriers", "cost_and_means", "risks", "feasibility")
# Everything a version keeps.
VERSIONED_FIELDS = ("title", *STRUCTURED_FIELDS)


class Recommendation(models.Model):
    """A group's recommendation, from its first draft to the board's decision.

    ``group`` is empty only for the archive's recommendations of editions before the
    platform (loaded from the seeds). ``version`` is the number of the latest
    ``RecommendationVersion``: an edit form carries it, and a save based on another
    number is refused (services.save_draft).
    """

    edition = models.ForeignKey(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT, related_name="recommendations"
    )
    theme = models.ForeignKey(
        "editions.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="recommendations"
    )
    group = models.ForeignKey(
        "groups.WorkingGroup",
        verbose_name=_("group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"), max_length=12, choices=RecommendationStatus, default=RecommendationStatus.DRAFT
    )
    need = models.TextField(_("the need it answers"), blank=True, help_text=_("Markdown."))
    proposal = models.TextField(_("the proposal"), blank=True, help_text=_("Markdown."))
    actions = models.TextField(_("concrete actions"), blank=True, help_text=_("Markdown."))
    carriers = models.TextField(_("who could carry it"), blank=True, help_text=_("Markdown."))
    cost_and_means = models.TextField(_("cost and means"), blank=True, help_text=_("Markdown."))
    risks = models.TextField(_("risks"), blank=True, help_text=_("Markdown."))
    feasibility = models.TextField(_("how feasibility was checked"), blank=True, help_text=_("Markdown."))
    version = models.PositiveIntegerField(_("version"), default=0)
    # Invited experts' contributions (documents of the group space) that informed the draft.
    contributions = models.ManyToManyField(
        "groupspace.Document", verbose_name=_("experts' contributions"), blank=True, related_name="recommendations"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("why it was withdrawn"), max_length=SHORT_TEXT_MAX, blank=True)
    # Search (core.search): Snowball stems on every database and, on PostgreSQL, a tsvector in the text's
    # language (dutch, french or english) with a GIN index; written by services.index_recommendations.
    search_stems = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["edition", "theme__position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["draft", "consent", "adopted"]) | Q(submitted_at__isnull=False),
                name="recommendation_submitted_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="withdrawn") | Q(withdrawn_at__isnull=False),
                name="recommendation_withdrawn_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["theme", "status"], name="recommendation_theme_idx"),
            models.Index(fields=["group", "status"], name="recommendation_group_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        """The group may still change the text (not while a consent round runs, not once submitted)."""
        return self.status == RecommendationStatus.DRAFT


class RecommendationVersion(models.Model):
    """One saved state of a recommendation's text: who saved it, when, and every field as it was."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    need = models.TextField(_("the need it answers"), blank=True)
    proposal = models.TextField(_("the proposal"), blank=True)
    actions = models.TextField(_("concrete actions"), blank=True)
    carriers = models.TextField(_("who could carry it"), blank=True)
    cost_and_means = models.TextField(_("cost and means"), blank=True)
    risks = models.TextField(_("risks"), blank=True)
    feasibility = models.TextField(_("how feasibility was checked"), blank=True)

    class Meta:
        verbose_name = _("version of a recommendation")
        verbose_name_plural = _("versions of recommendations")
        ordering = ["recommendation", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["recommendation", "number"], name="recommendationversion_number_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="recommendationversion_number_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id} v{self.number}"


class ConsentResult(models.TextChoices):
    ADOPTED = "adopted", pgettext_lazy("consent result", "adopted")
    BLOCKED = "blocked", pgettext_lazy("consent result", "blocked")
    NOT_ADOPTED = "not_adopted", pgettext_lazy("consent result", "not adopted")


class ConsentRound(models.Model):
    """A Loomio-style consent round on one version of a recommendation, open until ``closes_at``.

    The counts and the result are written when the round closes, so they stay as they
    were even if people later leave the group.
    """

    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.CASCADE, related_name="consent_rounds"
    )
    # RESTRICT, not PROTECT: a version asked about is never deleted alone, but goes with its recommendation.
    version = models.ForeignKey(
        RecommendationVersion, verbose_name=_("version asked about"), on_delete=models.RESTRICT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    opened_at = models.DateTimeField(_("opened"))
    closes_at = models.DateTimeField(_("closes"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=ConsentResult, blank=True)
    agree_count = models.PositiveIntegerField(_("agree"), default=0)
    abstain_count = models.PositiveIntegerField(_("abstain"), default=0)
    disagree_count = models.PositiveIntegerField(_("disagree"), default=0)
    block_count = models.PositiveIntegerField(_("block"), default=0)

    class Meta:
        verbose_name = _("consent round")
        verbose_name_plural = _("consent rounds")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation"], condition=Q(closed_at__isnull=True), name="consentround_one_open"
            ),
            models.CheckConstraint(condition=Q(closes_at__gt=F("opened_at")), name="consentround_closes_after_open"),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True, result="") | Q(closed_at__isnull=False) & ~Q(result=""),
                name="consentround_closed_has_result",
            ),
        ]
        indexes = [models.Index(fields=["closed_at", "closes_at"], name="consentround_open_idx")]

    def __str__(self) -> str:
        return f"{self.recommendation} ({self.opened_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class Position(models.TextChoices):
    AGREE = "agree", pgettext_lazy("consent", "agree")
    ABSTAIN = "abstain", pgettext_lazy("consent", "abstain")
    DISAGREE = "disagree", pgettext_lazy("consent", "disagree")
    BLOCK = "block", pgettext_lazy("consent", "block")


class ConsentAnswer(models.Model):
    """One person's answer in a round; a second answer replaces the first (one row per person)."""

    round = models.ForeignKey(
        ConsentRound, verbose_name=_("consent round"), on_delete=models.CASCADE, related_name="answers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consent_answers"
    )
    position = models.CharField(_("answer"), max_length=8, choices=Position)
    reason = models.TextField(_("reason"), blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    answered_at = models.DateTimeField(_("answered"))

    class Meta:
        verbose_name = _("consent answer")
        verbose_name_plural = _("consent answers")
        ordering = ["round", "answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["round", "user"], name="consentanswer_one_per_person"),
            # A block stops the group: it always says why.
            models.CheckConstraint(
                condition=~Q(position="block") | ~Q(reason=""), name="consentanswer_block_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.user_id} {self.position}"


class SynthesisStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("synthesis status", "being written")
    WITH_GROUPS = "with_groups", pgettext_lazy("synthesis status", "with the groups for comments")
    TO_BOARD = "to_board", pgettext_lazy("synthesis status", "sent to the board")
    DECIDED = "decided", pgettext_lazy("synthesis status", "decided by the board")


class Synthesis(models.Model):
    """Staff's synthesis of a theme's recommendations: one text that keeps links to every source."""

    edition = models.ForeignKey(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.PROTECT, related_name="syntheses"
    )
    theme = models.ForeignKey(
        "editions.Theme", verbose_name=_("theme"), on_delete=models.PROTECT, related_name="syntheses"
    )
    # Translated per language (translation.py): title_nl, title_fr, title_en, text_…
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    text = models.TextField(_("text"), blank=True, help_text=_("Markdown."))
    status = models.CharField(_("status"), max_length=12, choices=SynthesisStatus, default=SynthesisStatus.DRAFT)
    sources: models.ManyToManyField[Recommendation, SynthesisSource] = models.ManyToManyField(
        Recommendation, through="SynthesisSource", verbose_name=_("sources"), related_name="syntheses"
    )
    # Open to every member for comments (the info moments), not only to the groups concerned.
    comments_open = models.BooleanField(_("open to every member for comments"), default=False)
    info_event = models.ForeignKey(
        "events.Event",
        verbose_name=_("info moment"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("synthesis")
        verbose_name_plural = _("syntheses")
        ordering = ["edition", "theme__position", "pk"]

    def __str__(self) -> str:
        return self.title


class SynthesisSource(models.Model):
    synthesis = models.ForeignKey(
        Synthesis, verbose_name=_("synthesis"), on_delete=models.CASCADE, related_name="source_links"
    )
    recommendation = models.ForeignKey(
        Recommendation, verbose_name=_("recommendation"), on_delete=models.PROTECT, related_name="synthesis_links"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    # The version of the source that went into the synthesis.
    version_number = models.PositiveIntegerField(_("version"), null=True, blank=True)

    class Meta:
        verbose_name = _("source of a synthesis")
        verbose_name_plural = _("sources of syntheses")
        ordering = ["synthesis", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["synthesis", "recommendation"], name="synthesissource_once"),
        ]

    def __str__(self) -> str:
        return f"{self.synthesis_id} ← {self.recommendation_id}"


class SynthesisComment(models.Model):
    synthesis = models.ForeignKey(
        Synthesis, verbose_name=_("synthesis"), on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="synthesis_comments",
    )
    # The group the comment speaks for, when it comes from a group whose work went into the synthesis.
    group = models.ForeignKey(
        "groups.WorkingGroup",
        verbose_name=_("group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    text = models.TextField(_("comment"), help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment on a synthesis")
        verbose_name_plural = _("comments on syntheses")
        ordering = ["synthesis", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.synthesis_id}: {self.pk}"


class DecisionKind(models.TextChoices):
    ACCEPTED = "accepted", pgettext_lazy("board decision", "accepted")
    ACCEPTED_WITH_CHANGES = "accepted_with_changes", pgettext_lazy("board decision", "accepted with changes")
    POSTPONED = "postponed", pgettext_lazy("board decision", "postponed")
    REJECTED = "rejected", pgettext_lazy("board decision", "rejected")
    ALREADY_UNDER_WAY = "already_under_way", pgettext_lazy("board decision", "already under way")


class BoardDecision(models.Model):
    """The board's decision on a synthesis or on one recommendation; public once ``published_at`` is set."""

    synthesis = models.OneToOneField(
        Synthesis, verbose_name=_("synthesis"), on_delete=models.PROTECT, null=True, blank=True, related_name="decision"
    )
    recommendation = models.OneToOneField(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
    )
    decision = models.CharField(_("decision"), max_length=24, choices=DecisionKind)
    # Translated per language (translation.py): answer_nl, answer_fr, answer_en.
    answer = models.TextField(_("the board's answer"), blank=True, help_text=_("Markdown."))
    meeting_date = models.DateField(_("board meeting"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("recorded"))
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("board decision")
        verbose_name_plural = _("board decisions")
        ordering = ["-meeting_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(synthesis__isnull=True, recommendation__isnull=False)
                | Q(synthesis__isnull=False, recommendation__isnull=True),
                name="boarddecision_on_one_thing",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.meeting_date})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("project status", "planned")
    UNDER_WAY = "under_way", pgettext_lazy("project status", "under way")
    DONE = "done", pgettext_lazy("project status", "done")
    STOPPED = "stopped", pgettext_lazy("project status", "stopped")


class FollowUpProject(models.Model):
    """What an accepted recommendation became: a project followed in public (Decidim's accountability)."""

    decision = models.ForeignKey(
        BoardDecision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="projects"
    )
    # Translated per language (translation.py).
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    responsible_team = models.CharField(_("responsible team"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus, default=ProjectStatus.PLANNED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    public = models.BooleanField(_("shown in public"), default=False)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_on = models.DateField(_("ended"), null=True, blank=True)
    link = models.URLField(_("link to what came of it"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("follow-up project")
        verbose_name_plural = _("follow-up projects")
        ordering = ["decision", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__gte=0) & Q(progress__lte=100), name="project_progress_range"),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True) | Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="project_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    project = models.ForeignKey(
        FollowUpProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="milestones"
    )
    # Translated per language (translation.py).
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    due_on = models.DateField(_("due"), null=True, blank=True)
    reached_on = models.DateField(_("reached"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["project", "position", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class ProjectUpdate(models.Model):
    project = models.ForeignKey(
        FollowUpProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="updates"
    )
    text = models.TextField(_("update"), help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    posted_on = models.DateField(_("date"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("project update")
        verbose_name_plural = _("project updates")
        ordering = ["project", "-posted_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.posted_on}"


class TestProjectStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("test project status", "proposed")
    APPROVED = "approved", pgettext_lazy("test project status", "approved")
    REFUSED = "refused", pgettext_lazy("test project status", "refused")
    RUNNING = "running", pgettext_lazy("test project status", "running")
    EVALUATED = "evaluated", pgettext_lazy("test project status", "evaluated")


class TestProject(models.Model):
    """A group tries a recommendation out itself, with its own means and a small budget from the team."""

    group = models.ForeignKey(
        "groups.WorkingGroup", verbose_name=_("group"), on_delete=models.PROTECT, related_name="test_projects"
    )
    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation it tests"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="test_projects",
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    goal = models.TextField(_("goal"), help_text=_("Markdown."))
    plan = models.TextField(_("plan"), blank=True, help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    status = models.CharField(_("status"), max_length=10, choices=TestProjectStatus, default=TestProjectStatus.PROPOSED)
    approved_amount = models.DecimalField(
        _("approved budget (EUR)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved or refused by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("approved or refused"), null=True, blank=True)
    refusal_reason = models.CharField(_("why it was refused"), max_length=SHORT_TEXT_MAX, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        verbose_name = _("test project")
        verbose_name_plural = _("test projects")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gte=Decimal("0")),
                name="testproject_amount_not_negative",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="testproject_ends_after_start"),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "refused"]) | Q(approved_amount__isnull=False),
                name="testproject_approved_has_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class BudgetKind(models.TextChoices):
    ANIMATION = "animation", pgettext_lazy("budget line", "animation")
    ORGANISATION = "organisation", pgettext_lazy("budget line", "organisation")
    INVITING = "inviting", pgettext_lazy("budget line", "inviting people")
    OTHER = "other", pgettext_lazy("budget line", "other")


class BudgetLine(models.Model):
    test_project = models.ForeignKey(
        TestProject, verbose_name=_("test project"), on_delete=models.CASCADE, related_name="budget_lines"
    )
    kind = models.CharField(_("for"), max_length=12, choices=BudgetKind)
    description = models.CharField(_("description"), max_length=300, blank=True)
    requested_amount = models.DecimalField(_("amount requested (EUR)"), max_digits=9, decimal_places=2)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        ordering = ["test_project", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(requested_amount__gte=Decimal("0")), name="budgetline_amount_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.requested_amount}"


class Expense(models.Model):
    test_project = models.ForeignKey(
        TestProject, verbose_name=_("test project"), on_delete=models.CASCADE, related_name="expenses"
    )
    amount = models.DecimalField(_("amount (EUR)"), max_digits=9, decimal_places=2)
    description = models.CharField(_("description"), max_length=300)
    spent_on = models.DateField(_("date"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Set when staff allowed this expense to take the total above the approved budget.
    approved_above_budget_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("above the budget, allowed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["test_project", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=Decimal("0")), name="expense_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} ({self.spent_on})"


class LogKind(models.TextChoices):
    UPDATE = "update", pgettext_lazy("test project log", "update")
    DIFFICULTY = "difficulty", pgettext_lazy("test project log", "difficulty")
    NEED = "need", pgettext_lazy("test project log", "need the team must answer")


class TestProjectLogEntry(models.Model):
    test_project = models.ForeignKey(
        TestProject, verbose_name=_("test project"), on_delete=models.CASCADE, related_name="log_entries"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=LogKind)
    text = models.TextField(_("text"), help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    answer = models.TextField(_("the team's answer"), blank=True, help_text=_("Markdown."))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("log entry of a test project")
        verbose_name_plural = _("log entries of test projects")
        ordering = ["test_project", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.test_project_id}: {self.kind}"


class Evaluation(models.Model):
    """The group's evaluation at the end of a test project: positive and negative lessons."""

    test_project = models.OneToOneField(
        TestProject, verbose_name=_("test project"), on_delete=models.CASCADE, related_name="evaluation"
    )
    what_worked = models.TextField(_("what worked"), help_text=_("Markdown."))
    what_did_not = models.TextField(_("what did not work"), help_text=_("Markdown."))
    lessons = models.TextField(_("lessons"), help_text=_("Markdown."))
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    written_at = models.DateTimeField(_("written"))

    class Meta:
        verbose_name = _("evaluation of a test project")
        verbose_name_plural = _("evaluations of test projects")

    def __str__(self) -> str:
        return f"{self.test_project}"


class Publication(models.Model):
    """The yearly summary of an edition (per theme: goals, recommendations, decisions, actions, test projects).

    The text is made from the rows above when it is shown; this row only says that staff published it,
    so that it appears in the edition's archive (web page and PDF, in the three languages).
    """

    edition = models.OneToOneField(
        "editions.Edition", verbose_name=_("edition"), on_delete=models.CASCADE, related_name="publication"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("yearly publication")
        verbose_name_plural = _("yearly publications")

    def __str__(self) -> str:
        return str(self.edition)
