"""What happens to a recommendation once a group submitted it: synthesis, the board, follow-up, test projects.

Every change here is one function: keyword-only, in one transaction, emails and notifications queued on
commit through ``core.mail`` and ``core.notifications`` with idempotent keys. The recommendation's
status only moves through ``services._move`` (the state machine of ``services.py``), so no path here can
jump from a draft to a decision.

- **Synthesis** (staff): ``merge_into_synthesis`` (several submitted recommendations of one theme become one
  text that keeps a link to each source and the version that went in), ``keep_as_is`` (one source, its own
  words), ``edit_synthesis``, ``send_to_groups`` (the groups whose work went in are emailed, each person in
  their language, and may comment), ``open_to_all_members`` (the info moments), ``comment_on_synthesis``,
  ``open_with_info_moment`` (opens it and creates the info moment's event in one step), ``send_to_board``.
- **The board**: ``record_decision`` (on a synthesis sent to the board, or on one submitted recommendation;
  refused on a withdrawn one; changeable until published), ``publish_decisions`` (every decision of an edition
  not yet published, together; every member of the groups concerned is told in their language).
- **Follow-up**: ``create_project``, ``change_project`` (a change of status tells the groups concerned),
  ``add_milestone``, ``reach_milestone`` (tells them too), ``post_project_update``.
- **Test projects**: ``propose_test_project`` (budget lines), ``approve_test_project`` / ``refuse_test_project``
  (staff), ``record_expense`` (never above the approved amount unless staff allow it; under a row lock),
  ``add_log_entry``, ``answer_log_entry`` (staff), ``write_evaluation`` (attached to the recommendation tested).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Sum
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopsip.core import notifications
from coopsip.core.audit import record_change
from coopsip.core.mail import queue_email
from coopsip.editions.models import Edition, PhaseKind, Theme
from coopsip.recommendations.models import (
    SHORT_TEXT_MAX,
    TEXT_MAX,
    TITLE_MAX,
    BoardDecision,
    BudgetKind,
    BudgetLine,
    DecisionKind,
    Evaluation,
    Expense,
    FollowUpProject,
    LogKind,
    Milestone,
    ProjectStatus,
    ProjectUpdate,
    Recommendation,
    RecommendationStatus,
    Synthesis,
    SynthesisComment,
    SynthesisSource,
    SynthesisStatus,
    TestProject,
    TestProjectLogEntry,
    TestProjectStatus,
)

LANGUAGES = ("nl", "fr", "en")
FOLLOWUP_TOPIC = "recommendations.followup"
# Decisions after which something is carried out, and so may become a project followed in public.
LEADS_TO_PROJECT = (DecisionKind.ACCEPTED, DecisionKind.ACCEPTED_WITH_CHANGES, DecisionKind.ALREADY_UNDER_WAY)
# Once the board has a synthesis, its sources can no longer be withdrawn or merged elsewhere.
MERGEABLE = (RecommendationStatus.SUBMITTED,)


notifications.register_topic(
    FOLLOWUP_TOPIC,
    gettext_lazy("What became of your group's recommendations: projects that change status, milestones reached"),
)


class FollowUpRefused(Exception):
    """A change that is not allowed; the message says why, in the person's language."""


# ---------------------------------------------------------------------------
# Helpers


def _move(recommendation: Recommendation, to: str, *, by: Any) -> None:
    """The state machine of services.py (the one place that changes a recommendation's status)."""
    from coopsip.recommendations import services

    try:
        services._move(recommendation, to, by=by)
    except services.RecommendationInvalid as refused:
        raise FollowUpRefused(" ".join(str(message) for message in refused.errors.values())) from refused


def _check_text(value: str, *, limit: int, name: str) -> str:
    value = value.strip()
    if len(value) > limit:
        raise FollowUpRefused(
            _("%(name)s is too long: at most %(limit)s characters.") % {"name": name, "limit": f"{limit:,}"}
        )
    return value


def _translated_values(field: str, texts: dict[str, str], *, limit: int, name: str) -> dict[str, str]:
    return {
        f"{field}_{language}": _check_text(texts.get(language, ""), limit=limit, name=name) for language in LANGUAGES
    }


def groups_concerned(*, recommendations: Iterable[Recommendation]) -> list[int]:
    return sorted({rec.group_id for rec in recommendations if rec.group_id is not None})


def members_of_groups(group_ids: Sequence[int]) -> list[Any]:
    """The people who hold an accepted seat in these groups (each once)."""
    from coopsip.accounts.models import User
    from coopsip.groups.models import SeatState

    return list(
        User.objects.filter(
            registrations__group_seats__group_id__in=group_ids,
            registrations__group_seats__state=SeatState.ACCEPTED,
        )
        .distinct()
        .order_by("pk")
    )


def _sources_of_decision(decision: BoardDecision) -> list[Recommendation]:
    if decision.recommendation_id is not None:
        return [decision.recommendation]  # type: ignore[list-item]
    return list(decision.synthesis.sources.all())  # type: ignore[union-attr]


def _url(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _email(user: Any, template: str, *, key: str, context: dict[str, Any]) -> None:
    """Render ``recommendations/email/<template>`` in the person's language and queue it under ``key``."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        full = {"user": user, "site_url": settings.SITE_URL, **context}
        if callable(full.get("link")):
            full["link"] = full["link"]()  # the address carries the person's language prefix
        subject = render_to_string(f"recommendations/staff/email/{template}_subject.txt", full).strip()
        body = render_to_string(f"recommendations/staff/email/{template}.txt", full)
    queue_email(key=key, to_email=user.email, subject=subject, body_text=body, user=user)


# ---------------------------------------------------------------------------
# Synthesis


def _mergeable(theme: Theme, recommendation_ids: Sequence[int]) -> list[Recommendation]:
    recommendations = list(
        Recommendation.objects.select_for_update().filter(pk__in=recommendation_ids, theme=theme).order_by("pk")
    )
    if len(recommendations) != len(set(recommendation_ids)):
        raise FollowUpRefused(_("Some of these recommendations do not belong to this theme."))
    for recommendation in recommendations:
        if recommendation.status not in MERGEABLE:
            raise FollowUpRefused(
                _("“%(title)s” is %(status)s: only submitted recommendations go into a synthesis.")
                % {"title": recommendation.title, "status": recommendation.get_status_display()}
            )
    decided = BoardDecision.objects.filter(recommendation__in=recommendations).select_related("recommendation").first()
    if decided is not None:
        # One recommendation, one decision: the board already answered this one as it is.
        raise FollowUpRefused(
            _("The board has already recorded its decision on “%(title)s”: it no longer goes into a synthesis.")
            % {"title": decided.recommendation.title}  # type: ignore[union-attr]
        )
    return recommendations


@transaction.atomic
def merge_into_synthesis(
    *,
    by: Any,
    theme: Theme,
    recommendation_ids: Sequence[int],
    title: str,
    text: str,
    language: str,
) -> Synthesis:
    """One synthesised recommendation made of several submitted ones; it keeps a link to every source.

    Each source moves to "in a synthesis" and its current version number is kept with the link, so the
    journey shows which text went in. Two recommendations at least (``keep_as_is`` takes one alone).
    """
    if len(set(recommendation_ids)) < 2:
        raise FollowUpRefused(_("Choose at least two recommendations to merge (or keep one as it is)."))
    if language not in LANGUAGES:
        raise FollowUpRefused(_("Choose the language of the text."))
    title = _check_text(title, limit=TITLE_MAX, name=_("The title"))
    if not title:
        raise FollowUpRefused(_("Give the synthesis a title."))
    text = _check_text(text, limit=TEXT_MAX, name=_("The text"))
    sources = _mergeable(theme, recommendation_ids)
    return _create_synthesis(by=by, theme=theme, sources=sources, title=title, text=text, language=language)


@transaction.atomic
def keep_as_is(*, by: Any, theme: Theme, recommendation_id: int) -> Synthesis:
    """One submitted recommendation goes to the board in its own words (a synthesis with itself as source)."""
    [source] = _mergeable(theme, [recommendation_id])
    parts = [source.need, source.proposal, source.actions]
    text = "\n\n".join(part for part in parts if part.strip())[:TEXT_MAX]
    return _create_synthesis(
        by=by, theme=theme, sources=[source], title=source.title, text=text, language=source.language
    )


def _create_synthesis(
    *, by: Any, theme: Theme, sources: list[Recommendation], title: str, text: str, language: str
) -> Synthesis:
    synthesis = Synthesis(edition_id=theme.edition_id, theme=theme, created_by=by, status=SynthesisStatus.DRAFT)
    setattr(synthesis, f"title_{language}", title)
    setattr(synthesis, f"text_{language}", text)
    synthesis.save()
    for position, recommendation in enumerate(sources):
        SynthesisSource.objects.create(
            synthesis=synthesis,
            recommendation=recommendation,
            position=position,
            version_number=recommendation.version or None,
        )
        _move(recommendation, RecommendationStatus.IN_SYNTHESIS, by=by)
    record_change(
        actor=by, obj=synthesis, action="create", changes={"sources": [rec.pk for rec in sources]}
    )  # fmt: skip
    return synthesis


def _locked_synthesis(synthesis_id: int) -> Synthesis:
    return Synthesis.objects.select_for_update().get(pk=synthesis_id)


@transaction.atomic
def edit_synthesis(*, by: Any, synthesis: Synthesis, titles: dict[str, str], texts: dict[str, str]) -> Synthesis:
    """Staff change the synthesis' title and text in each language, until the board has it."""
    synthesis = _locked_synthesis(synthesis.pk)
    if synthesis.status not in (SynthesisStatus.DRAFT, SynthesisStatus.WITH_GROUPS):
        raise FollowUpRefused(_("The board has this synthesis: its text no longer changes."))
    values = _translated_values("title", titles, limit=TITLE_MAX, name=_("The title"))
    values |= _translated_values("text", texts, limit=TEXT_MAX, name=_("The text"))
    if not any(values[f"title_{language}"] for language in LANGUAGES):
        raise FollowUpRefused(_("Give the synthesis a title."))
    for field, value in values.items():
        setattr(synthesis, field, value)
    synthesis.save()
    record_change(actor=by, obj=synthesis, action="update", changes={"text": True})
    return synthesis


@transaction.atomic
def send_to_groups(*, by: Any, synthesis: Synthesis) -> int:
    """The groups whose work went in are told (each person by email, in their language) and may comment.

    Returns how many people were told. Sending again tells nobody twice.
    """
    synthesis = _locked_synthesis(synthesis.pk)
    if synthesis.status == SynthesisStatus.DRAFT:
        synthesis.status = SynthesisStatus.WITH_GROUPS
        synthesis.save(update_fields=["status", "updated_at"])
        record_change(actor=by, obj=synthesis, action="update", changes={"status": ["draft", "with_groups"]})
    elif synthesis.status != SynthesisStatus.WITH_GROUPS:
        raise FollowUpRefused(_("The board already has this synthesis."))
    people = members_of_groups(groups_concerned(recommendations=synthesis.sources.all()))
    for person in people:
        _email(
            person,
            "synthesis_for_groups",
            key=f"recommendations:synthesis:{synthesis.pk}:groups:{person.pk}",
            context={
                "synthesis": synthesis,
                "link": lambda: _url("recommendations_staff:synthesis", pk=synthesis.pk),
            },
        )
    return len(people)


@transaction.atomic
def open_to_all_members(*, by: Any, synthesis: Synthesis, event: Any = None) -> Synthesis:
    """Every member may read and comment on the synthesis (the info moments); ``event`` is the info moment."""
    synthesis = _locked_synthesis(synthesis.pk)
    if synthesis.status in (SynthesisStatus.TO_BOARD, SynthesisStatus.DECIDED):
        raise FollowUpRefused(_("The board already has this synthesis."))
    synthesis.comments_open = True
    if event is not None:
        synthesis.info_event = event
    synthesis.save(update_fields=["comments_open", "info_event", "updated_at"])
    record_change(actor=by, obj=synthesis, action="update", changes={"comments_open": [False, True]})
    return synthesis


@transaction.atomic
def open_with_info_moment(*, by: Any, synthesis: Synthesis, event: Any) -> Synthesis:
    """In one step: the synthesis opens to every member for comments and its info moment becomes an event of
    the events engine (``event`` is an ``events.services.EventInput``). Raises ``events.services.EventInvalid``
    (by form field) or FollowUpRefused; either way nothing is written."""
    from coopsip.events import services as events

    locked = _locked_synthesis(synthesis.pk)
    if locked.status in (SynthesisStatus.TO_BOARD, SynthesisStatus.DECIDED):
        raise FollowUpRefused(_("The board already has this synthesis."))
    if locked.info_event_id is not None:
        raise FollowUpRefused(_("This synthesis already has its info moment."))
    created = events.create_event(by=by, data=event)
    return open_to_all_members(by=by, synthesis=locked, event=created)


def may_comment(user: Any, synthesis: Synthesis) -> bool:
    """A member of a group whose work went in (while it is with the groups), or any member once it is open."""
    from coopsip.core.access import is_member, is_staff_member

    if not user.is_authenticated or synthesis.status not in (SynthesisStatus.DRAFT, SynthesisStatus.WITH_GROUPS):
        return False
    if is_staff_member(user):
        return True
    if synthesis.comments_open and is_member(user):
        return True
    if synthesis.status != SynthesisStatus.WITH_GROUPS:
        return False
    return _group_of_commenter(user, synthesis) is not None


def _group_of_commenter(user: Any, synthesis: Synthesis) -> int | None:
    from coopsip.groups.models import Seat, SeatState

    ids = groups_concerned(recommendations=synthesis.sources.all())
    return (
        Seat.objects.filter(group_id__in=ids, registration__user=user, state=SeatState.ACCEPTED)
        .values_list("group_id", flat=True)
        .first()
    )


@transaction.atomic
def comment_on_synthesis(*, by: Any, synthesis: Synthesis, text: str, language: str) -> SynthesisComment:
    text = _check_text(text, limit=TEXT_MAX, name=_("The comment"))
    if not text:
        raise FollowUpRefused(_("Write a comment first."))
    synthesis = _locked_synthesis(synthesis.pk)
    if not may_comment(by, synthesis):
        raise FollowUpRefused(_("Comments on this synthesis are closed, or not open to you."))
    return SynthesisComment.objects.create(
        synthesis=synthesis,
        author=by,
        group_id=_group_of_commenter(by, synthesis),
        text=text,
        language=language if language in LANGUAGES else settings.LANGUAGE_CODE,
    )


@transaction.atomic
def send_to_board(*, by: Any, synthesis: Synthesis) -> Synthesis:
    """The synthesis goes into the board's bundle; its sources move to "synthesised, with the board"."""
    synthesis = _locked_synthesis(synthesis.pk)
    if synthesis.status not in (SynthesisStatus.DRAFT, SynthesisStatus.WITH_GROUPS):
        raise FollowUpRefused(_("The board already has this synthesis."))
    previous = synthesis.status
    synthesis.status = SynthesisStatus.TO_BOARD
    synthesis.save(update_fields=["status", "updated_at"])
    for recommendation in synthesis.sources.select_for_update():
        _move(recommendation, RecommendationStatus.SYNTHESISED, by=by)
    record_change(actor=by, obj=synthesis, action="update", changes={"status": [previous, "to_board"]})
    return synthesis


# ---------------------------------------------------------------------------
# The board


@transaction.atomic
def record_decision(
    *,
    by: Any,
    decision: str,
    answers: dict[str, str],
    meeting_date: date,
    synthesis: Synthesis | None = None,
    recommendation: Recommendation | None = None,
) -> BoardDecision:
    """Record (or change, until it is published) the board's decision on a synthesis or one recommendation.

    A synthesis must have been sent to the board; a recommendation must be submitted (or with the board
    through a synthesis); a withdrawn recommendation is refused.
    """
    if (synthesis is None) == (recommendation is None):
        raise ValueError("a decision is on a synthesis or on a recommendation")
    if decision not in DecisionKind.values:
        raise FollowUpRefused(_("Choose a decision."))
    values = _translated_values("answer", answers, limit=TEXT_MAX, name=_("The answer"))
    if synthesis is not None:
        synthesis = _locked_synthesis(synthesis.pk)
        if synthesis.status not in (SynthesisStatus.TO_BOARD, SynthesisStatus.DECIDED):
            raise FollowUpRefused(_("This synthesis has not been sent to the board yet."))
        existing = BoardDecision.objects.select_for_update().filter(synthesis=synthesis).first()
    else:
        assert recommendation is not None
        recommendation = Recommendation.objects.select_for_update().get(pk=recommendation.pk)
        if recommendation.status == RecommendationStatus.WITHDRAWN:
            raise FollowUpRefused(_("This recommendation was withdrawn by its group: the board cannot decide on it."))
        if SynthesisSource.objects.filter(recommendation=recommendation).exists():
            # One recommendation, one decision: the one on its synthesis.
            raise FollowUpRefused(_("This recommendation is part of a synthesis: the board decides on the synthesis."))
        if recommendation.status not in (
            RecommendationStatus.SUBMITTED,
            RecommendationStatus.SYNTHESISED,
            RecommendationStatus.DECIDED,
        ):
            raise FollowUpRefused(_("This recommendation has not been submitted to the board."))
        existing = BoardDecision.objects.select_for_update().filter(recommendation=recommendation).first()
    if existing is not None and existing.is_published:
        raise FollowUpRefused(_("This decision is published: it no longer changes."))
    row = existing or BoardDecision(synthesis=synthesis, recommendation=recommendation)
    row.decision = decision
    row.meeting_date = meeting_date
    row.decided_by = by
    row.decided_at = timezone.now()
    for field, value in values.items():
        setattr(row, field, value)
    row.save()
    record_change(actor=by, obj=row, action="update" if existing else "create", changes={"decision": decision})
    return row


@dataclass(frozen=True)
class Published:
    decisions: int
    people_told: int


def unpublished_decisions(edition: Edition) -> Any:
    return BoardDecision.objects.filter(published_at__isnull=True).filter(
        _on_edition(edition)
    )  # fmt: skip


def _on_edition(edition: Edition) -> Any:
    from django.db.models import Q

    return Q(synthesis__edition=edition) | Q(recommendation__edition=edition)


@transaction.atomic
def publish_decisions(*, by: Any, edition: Edition) -> Published:
    """Publish every recorded, unpublished decision of the edition together (decide first, publish later).

    Each source recommendation moves to "decided"; every member of the groups concerned is emailed once per
    decision, in their language. Publishing again publishes nothing more and tells nobody twice.
    """
    decisions = list(
        unpublished_decisions(edition).select_for_update(of=("self",)).select_related("synthesis", "recommendation")
    )  # fmt: skip
    now = timezone.now()
    told: set[int] = set()  # people, not emails: someone in two groups concerned is one person told
    for decision in decisions:
        decision.published_at = now
        decision.save(update_fields=["published_at"])
        sources = _sources_of_decision(decision)
        if decision.synthesis_id is not None:
            Synthesis.objects.filter(pk=decision.synthesis_id).update(status=SynthesisStatus.DECIDED)
        for recommendation in sources:
            if recommendation.status != RecommendationStatus.DECIDED:
                _move(recommendation, RecommendationStatus.DECIDED, by=by)
        record_change(actor=by, obj=decision, action="update", changes={"published": [False, True]})
        for person in members_of_groups(groups_concerned(recommendations=sources)):
            _email(
                person,
                "decision_published",
                key=f"recommendations:decision:{decision.pk}:published:{person.pk}",
                context={
                    "decision": decision,
                    "title": _decision_title(decision, person),
                    "link": _journey_link(sources[0]) if sources else "",
                },
            )
            told.add(person.pk)
    return Published(decisions=len(decisions), people_told=len(told))


def _journey_link(recommendation: Recommendation) -> Any:
    return lambda: _url("recommendations_public:detail", pk=recommendation.pk)


def _decision_title(decision: BoardDecision, person: Any) -> str:
    if decision.synthesis_id is not None:
        return decision.synthesis.title  # type: ignore[union-attr]
    return decision.recommendation.title  # type: ignore[union-attr]


# ---------------------------------------------------------------------------
# Follow-up projects


def _project_recipients(project: FollowUpProject) -> list[Any]:
    return members_of_groups(groups_concerned(recommendations=_sources_of_decision(project.decision)))


def _notify_project(project: FollowUpProject, *, key: str, what: Any) -> notifications.Notified:
    """Tell the members of the groups concerned (their notification preferences decide how) on commit."""
    if not project.public or project.decision.published_at is None:
        return notifications.Notified()
    sources = _sources_of_decision(project.decision)
    url = _url("recommendations_public:detail", pk=sources[0].pk) if sources else ""

    def render(person: Any) -> notifications.Message:
        return notifications.Message(subject=what(), text=str(project.title), url=url)

    return notifications.notify(topic=FOLLOWUP_TOPIC, key=key, recipients=_project_recipients(project), render=render)


@transaction.atomic
def create_project(
    *,
    by: Any,
    decision: BoardDecision,
    titles: dict[str, str],
    descriptions: dict[str, str] | None = None,
    responsible_team: str = "",
    started_on: date | None = None,
    public: bool = True,
    link: str = "",
) -> FollowUpProject:
    """An accepted decision becomes a project followed in public (shown once the decision is published)."""
    if decision.decision not in LEADS_TO_PROJECT:
        raise FollowUpRefused(_("Only an accepted decision (or one already under way) becomes a project."))
    values = _translated_values("title", titles, limit=TITLE_MAX, name=_("The title"))
    values |= _translated_values("description", descriptions or {}, limit=TEXT_MAX, name=_("The description"))
    if not any(values[f"title_{lang}"] for lang in LANGUAGES):
        raise FollowUpRefused(_("Give the project a title."))
    project = FollowUpProject(
        decision=decision,
        responsible_team=_check_text(responsible_team, limit=200, name=_("The responsible team")),
        started_on=started_on,
        public=public,
        link=link,
        status=ProjectStatus.UNDER_WAY if started_on else ProjectStatus.PLANNED,
    )
    for field, value in values.items():
        setattr(project, field, value)
    project.save()
    record_change(actor=by, obj=project, action="create")
    return project


@transaction.atomic
def change_project(
    *, by: Any, project: FollowUpProject, status: str, progress: int, ended_on: date | None = None
) -> FollowUpProject:
    """Change a project's status and progress; a new status tells the groups concerned."""
    project = FollowUpProject.objects.select_for_update(of=("self",)).select_related("decision").get(pk=project.pk)
    if status not in ProjectStatus.values:
        raise FollowUpRefused(_("Choose a status."))
    if not 0 <= progress <= 100:
        raise FollowUpRefused(_("The progress is a percentage, from 0 to 100."))
    if ended_on is not None and project.started_on is not None and ended_on < project.started_on:
        raise FollowUpRefused(_("The project cannot end before it started."))
    previous = project.status
    project.status = status
    project.progress = 100 if status == ProjectStatus.DONE else progress
    if status in (ProjectStatus.DONE, ProjectStatus.STOPPED):
        project.ended_on = ended_on or project.ended_on or timezone.localdate()
    if status == ProjectStatus.UNDER_WAY and project.started_on is None:
        project.started_on = timezone.localdate()
    project.save()
    record_change(actor=by, obj=project, action="update", changes={"status": [previous, status]})
    if previous != status:
        label = ProjectStatus(status).label
        _notify_project(
            project,
            key=f"recommendations:project:{project.pk}:status:{status}:{project.updated_at:%Y%m%d%H%M%S}",
            what=lambda: _("A project that came of your recommendations is now %(status)s") % {"status": str(label)},
        )
    return project


@transaction.atomic
def add_milestone(*, by: Any, project: FollowUpProject, titles: dict[str, str], due_on: date | None) -> Milestone:
    values = _translated_values("title", titles, limit=TITLE_MAX, name=_("The title"))
    if not any(values.values()):
        raise FollowUpRefused(_("Give the milestone a title."))
    milestone = Milestone(project=project, due_on=due_on, position=project.milestones.count())
    for field, value in values.items():
        setattr(milestone, field, value)
    milestone.save()
    record_change(actor=by, obj=project, action="update", changes={"milestone": milestone.title})
    return milestone


@transaction.atomic
def reach_milestone(*, by: Any, milestone: Milestone, on: date) -> Milestone:
    """Mark a milestone reached; the groups concerned are told (once)."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",)).select_related("project__decision").get(pk=milestone.pk)
    )
    if milestone.reached_on is not None:
        return milestone
    milestone.reached_on = on
    milestone.save(update_fields=["reached_on"])
    record_change(actor=by, obj=milestone.project, action="update", changes={"milestone_reached": milestone.title})
    _notify_project(
        milestone.project,
        key=f"recommendations:milestone:{milestone.pk}:reached",
        what=lambda: _("Milestone reached: %(title)s") % {"title": milestone.title},
    )
    return milestone


@transaction.atomic
def post_project_update(*, by: Any, project: FollowUpProject, text: str, language: str, on: date) -> ProjectUpdate:
    text = _check_text(text, limit=TEXT_MAX, name=_("The update"))
    if not text:
        raise FollowUpRefused(_("Write the update first."))
    return ProjectUpdate.objects.create(
        project=project, text=text, language=language if language in LANGUAGES else "nl", posted_on=on, author=by
    )


# ---------------------------------------------------------------------------
# Test projects


def test_project_period(edition: Edition) -> tuple[date, date] | None:
    """The edition's test-project phase (15 January – 15 April in 2021), the default period of a proposal."""
    phase = edition.phases.filter(kind=PhaseKind.TEST_PROJECTS).order_by("starts_on").first()
    return (phase.starts_on, phase.ends_on) if phase is not None else None


@dataclass(frozen=True)
class BudgetRequest:
    kind: str
    amount: Decimal
    description: str = ""


@transaction.atomic
def propose_test_project(
    *,
    by: Any,
    group: Any,
    title: str,
    goal: str,
    plan: str,
    language: str,
    starts_on: date,
    ends_on: date,
    lines: Sequence[BudgetRequest],
    recommendation: Recommendation | None = None,
) -> TestProject:
    """A group proposes to test a recommendation itself; the budget request comes in lines."""
    if recommendation is not None and recommendation.group_id != group.pk:
        raise FollowUpRefused(_("A group tests one of its own recommendations."))
    if ends_on < starts_on:
        raise FollowUpRefused(_("The test project cannot end before it starts."))
    title = _check_text(title, limit=TITLE_MAX, name=_("The title"))
    goal = _check_text(goal, limit=TEXT_MAX, name=_("The goal"))
    if not title or not goal:
        raise FollowUpRefused(_("Give the test project a title and a goal."))
    for line in lines:
        if line.kind not in BudgetKind.values:
            raise FollowUpRefused(_("Choose what each budget line is for."))
        if line.amount < 0 or line.amount != line.amount.quantize(Decimal("0.01")):
            raise FollowUpRefused(_("Amounts are in euros with at most two decimals, and not negative."))
    project = TestProject.objects.create(
        group=group,
        recommendation=recommendation,
        title=title,
        goal=goal,
        plan=_check_text(plan, limit=TEXT_MAX, name=_("The plan")),
        language=language if language in LANGUAGES else "nl",
        starts_on=starts_on,
        ends_on=ends_on,
        proposed_by=by,
    )
    BudgetLine.objects.bulk_create(
        BudgetLine(
            test_project=project,
            kind=line.kind,
            requested_amount=line.amount,
            description=_check_text(line.description, limit=300, name=_("The description")),
        )
        for line in lines
    )
    record_change(actor=by, obj=project, action="create")
    return project


def requested_total(project: TestProject) -> Decimal:
    total = project.budget_lines.aggregate(total=Sum("requested_amount"))["total"]
    # SQLite sums decimals as floats ("150.300000000000"): back to cents.
    return Decimal(total).quantize(Decimal("0.01")) if total is not None else Decimal("0.00")


def spent_total(project: TestProject) -> Decimal:
    total = project.expenses.aggregate(total=Sum("amount"))["total"]
    return Decimal(total).quantize(Decimal("0.01")) if total is not None else Decimal("0.00")


def euros(amount: Decimal) -> str:
    """An amount as money in the reader's language: two decimals, the language's decimal separator."""
    return number_format(Decimal(amount).quantize(Decimal("0.01")), 2, use_l10n=True)


def _locked_test_project(project: TestProject) -> TestProject:
    return TestProject.objects.select_for_update().get(pk=project.pk)


@transaction.atomic
def approve_test_project(*, by: Any, test_project: TestProject, amount: Decimal) -> TestProject:
    project = _locked_test_project(test_project)
    if project.status not in (TestProjectStatus.PROPOSED, TestProjectStatus.APPROVED, TestProjectStatus.RUNNING):
        raise FollowUpRefused(_("This test project is no longer waiting for a budget."))
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise FollowUpRefused(_("Amounts are in euros with at most two decimals, and not negative."))
    spent = spent_total(project)
    if amount < spent:
        raise FollowUpRefused(
            _("%(spent)s EUR are already spent: the approved budget cannot be lower.") % {"spent": euros(spent)}
        )
    previous = project.approved_amount
    project.approved_amount = amount
    if project.status == TestProjectStatus.PROPOSED:
        project.status = TestProjectStatus.APPROVED
    project.decided_by = by
    project.decided_at = timezone.now()
    project.save()
    record_change(
        actor=by, obj=project, action="update", changes={"approved_amount": [str(previous), str(amount)]}
    )  # fmt: skip
    return project


@transaction.atomic
def refuse_test_project(*, by: Any, test_project: TestProject, reason: str) -> TestProject:
    project = _locked_test_project(test_project)
    if project.status != TestProjectStatus.PROPOSED:
        raise FollowUpRefused(_("Only a proposed test project can be refused."))
    reason = _check_text(reason, limit=SHORT_TEXT_MAX, name=_("The reason"))
    if not reason:
        raise FollowUpRefused(_("Say why, for the group."))
    project.status = TestProjectStatus.REFUSED
    project.refusal_reason = reason
    project.decided_by = by
    project.decided_at = timezone.now()
    project.save()
    record_change(actor=by, obj=project, action="update", changes={"status": ["proposed", "refused"]})
    return project


@transaction.atomic
def record_expense(
    *,
    by: Any,
    test_project: TestProject,
    amount: Decimal,
    description: str,
    spent_on: date,
    allowed_above_budget_by: Any = None,
) -> Expense:
    """Record an expense against the approved budget, never above it unless a staff member allows it.

    The project row is locked while the spent total is read and the expense written, so two expenses
    recorded at once cannot together pass the budget.
    """
    project = _locked_test_project(test_project)
    if project.status not in (TestProjectStatus.APPROVED, TestProjectStatus.RUNNING):
        raise FollowUpRefused(_("Expenses are recorded once the team approved the budget, until the evaluation."))
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise FollowUpRefused(_("An expense is a positive amount in euros with at most two decimals."))
    description = _check_text(description, limit=300, name=_("The description"))
    if not description:
        raise FollowUpRefused(_("Say what the expense was for."))
    approved = project.approved_amount or Decimal("0.00")
    spent = spent_total(project)
    if spent + amount > approved:
        from coopsip.core.access import is_staff_member

        if allowed_above_budget_by is None or not is_staff_member(allowed_above_budget_by):
            raise FollowUpRefused(
                _(
                    "This expense would take the total to %(total)s EUR, above the approved budget of "
                    "%(approved)s EUR (%(left)s EUR left). Ask the team to allow it."
                )
                % {"total": euros(spent + amount), "approved": euros(approved), "left": euros(approved - spent)}
            )
    expense = Expense.objects.create(
        test_project=project,
        amount=amount,
        description=description,
        spent_on=spent_on,
        by=by,
        approved_above_budget_by=allowed_above_budget_by if spent + amount > approved else None,
    )
    if project.status == TestProjectStatus.APPROVED:
        project.status = TestProjectStatus.RUNNING
        project.save(update_fields=["status"])
    return expense


@transaction.atomic
def add_log_entry(*, by: Any, test_project: TestProject, kind: str, text: str, language: str) -> TestProjectLogEntry:
    if kind not in LogKind.values:
        raise FollowUpRefused(_("Choose the kind of entry."))
    text = _check_text(text, limit=TEXT_MAX, name=_("The text"))
    if not text:
        raise FollowUpRefused(_("Write the entry first."))
    project = _locked_test_project(test_project)
    if project.status in (TestProjectStatus.REFUSED, TestProjectStatus.EVALUATED):
        raise FollowUpRefused(_("This test project is closed."))
    return TestProjectLogEntry.objects.create(
        test_project=project, kind=kind, text=text, language=language if language in LANGUAGES else "nl", author=by
    )


@transaction.atomic
def answer_log_entry(*, by: Any, entry: TestProjectLogEntry, answer: str) -> TestProjectLogEntry:
    answer = _check_text(answer, limit=TEXT_MAX, name=_("The answer"))
    if not answer:
        raise FollowUpRefused(_("Write the answer first."))
    entry = TestProjectLogEntry.objects.select_for_update().get(pk=entry.pk)
    entry.answer = answer
    entry.answered_by = by
    entry.answered_at = timezone.now()
    entry.save(update_fields=["answer", "answered_by", "answered_at"])
    return entry


@transaction.atomic
def write_evaluation(
    *, by: Any, test_project: TestProject, what_worked: str, what_did_not: str, lessons: str, language: str
) -> Evaluation:
    """The group's evaluation ends the test project; it is shown with the recommendation it tested."""
    project = _locked_test_project(test_project)
    if project.status not in (TestProjectStatus.APPROVED, TestProjectStatus.RUNNING, TestProjectStatus.EVALUATED):
        raise FollowUpRefused(_("A test project is evaluated once the team approved it."))
    texts = {
        "what_worked": _check_text(what_worked, limit=TEXT_MAX, name=_("What worked")),
        "what_did_not": _check_text(what_did_not, limit=TEXT_MAX, name=_("What did not work")),
        "lessons": _check_text(lessons, limit=TEXT_MAX, name=_("The lessons")),
    }
    if not all(texts.values()):
        raise FollowUpRefused(_("Say what worked, what did not and the lessons: both kinds of lessons count."))
    evaluation, _created = Evaluation.objects.update_or_create(
        test_project=project,
        defaults=texts
        | {"language": language if language in LANGUAGES else "nl", "written_by": by}
        | {"written_at": timezone.now()},
    )
    project.status = TestProjectStatus.EVALUATED
    project.save(update_fields=["status"])
    record_change(actor=by, obj=project, action="update", changes={"status": "evaluated"})
    return evaluation
