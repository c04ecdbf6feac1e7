"""Every change to surveys: building them (staff), answering (people in the audience), publishing results.

Building: each service checks the survey's rules (``survey_rule_errors``: the
conditions between questions, the audience's details, the dates) before it
commits, and raises ``SurveyInvalid`` naming the question, so a script cannot
save what the builder page refuses.

Answering: ``save_answers`` asks ``selectors.answer_refusal`` (the one audience
check) then writes the person's single response under a row lock; a second
tab or a double click finds the same response (unique key, retry on
``IntegrityError``), never a second one.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coopsip.core.audit import record_change
from coopsip.surveys import conditions
from coopsip.surveys.models import (
    CHOICE_KINDS,
    TEXT_KINDS,
    Answer,
    AudienceKind,
    Choice,
    Question,
    QuestionKind,
    Response,
    Survey,
)
from coopsip.surveys.selectors import answer_refusal, person_facts

LANGUAGES = ("nl", "fr", "en")
SHORT_TEXT_MAX = 300
LONG_TEXT_MAX = 5000
SURVEY_FIELDS = [
    *[f"{name}_{code}" for name in ("title", "intro", "data_note") for code in LANGUAGES],
    "audience",
    "audience_country",
    "audience_office",
    "audience_edition",
    "audience_circle",
    "opens_at",
    "closes_at",
    "anonymous",
    "pilot_office",
]


class SurveyInvalid(Exception):
    """A rule was broken; ``errors`` maps a field name (or "q<id>" for a question) to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


class SurveyRefused(Exception):
    """The person may not answer now (audience, dates); the message says why."""


def respondent_key(survey: Survey, user: Any) -> str:
    """A keyed hash of the survey and the person: stable, unique per person, and naming nobody."""
    secret = getattr(settings, "COOPSIP_SURVEY_SECRET", "") or settings.SECRET_KEY
    message = f"survey:{survey.pk}:person:{user.pk}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


# --- Rules -----------------------------------------------------------------------------------


def nodes_of(questions: Sequence[Question]) -> list[conditions.Node]:
    return [
        conditions.Node(
            id=q.pk,
            number=number,
            kind=q.kind,
            condition_on=q.condition_question_id,
            condition_value=q.condition_value,
        )
        for number, q in enumerate(questions, start=1)
    ]


def condition_errors(survey: Survey) -> dict[str, str]:
    questions = list(survey.questions.order_by("position", "pk"))
    errors: dict[str, str] = {}
    by_number = dict(enumerate(questions, start=1))
    for problem in conditions.condition_problems(nodes_of(questions)):
        question = by_number[problem.number]
        values = {"number": problem.number, "other": problem.other, "text": question.text}
        if problem.reason in ("later", "self", "loop"):
            message = _(
                "Question %(number)s “%(text)s” depends on question %(other)s, which does not come before it: "
                "a condition may only look at an earlier question (otherwise it could form a loop)."
            )
        elif problem.reason == "kind":
            message = _(
                "Question %(number)s “%(text)s” depends on question %(other)s, whose answers cannot be tested: "
                "use a question with one or several choices, yes or no, or a scale."
            )
        elif problem.reason == "value":
            message = _("Question %(number)s “%(text)s”: say which answer to question %(other)s shows it.")
        else:
            message = _("Question %(number)s “%(text)s” depends on a question of another survey.")
        errors[f"q{question.pk}"] = message % values
    return errors


def settings_errors(survey: Survey) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not getattr(survey, "title_nl", ""):
        errors["title_nl"] = _("Write the title in Dutch too: Dutch is the default language the site falls back to.")
    if survey.opens_at and survey.closes_at and survey.closes_at <= survey.opens_at:
        errors["closes_at"] = _("The survey must close after it opens.")
    needed = {
        AudienceKind.COUNTRY: ("audience_country", _("Choose the country.")),
        AudienceKind.OFFICE: ("audience_office", _("Choose the office or region.")),
        AudienceKind.EDITION: ("audience_edition", _("Choose the edition.")),
        AudienceKind.GROUP: ("audience_circle", _("Choose the group.")),
        AudienceKind.SECTOR_NETWORK: ("audience_circle", _("Choose the sector network.")),
    }
    if survey.audience in needed:
        name, message = needed[AudienceKind(survey.audience)]
        if not getattr(survey, name if name == "audience_country" else f"{name}_id"):
            errors[name] = str(message)
    return errors


def _raise_if(errors: Mapping[str, str]) -> None:
    if errors:
        raise SurveyInvalid(dict(errors))


# --- Building ------------------------------------------------------------------------------


def _assign(survey: Survey, values: Mapping[str, Any]) -> None:
    for name in SURVEY_FIELDS:
        if name in values:
            setattr(survey, name, values[name] if values[name] is not None or name != "audience_country" else "")


@transaction.atomic
def create_survey(*, actor: Any, values: Mapping[str, Any]) -> Survey:
    """A survey with its settings; with a pilot office it starts as a pilot in that office."""
    survey = Survey(created_by=actor)
    _assign(survey, values)
    survey.in_pilot = survey.pilot_office_id is not None
    _raise_if(settings_errors(survey))
    survey.save()
    record_change(actor=actor, obj=survey, action="created")
    return survey


@transaction.atomic
def update_survey(*, actor: Any, survey: Survey, values: Mapping[str, Any]) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    _assign(survey, values)
    if survey.pilot_office_id is None:
        survey.in_pilot = False
    _raise_if(settings_errors(survey))
    survey.save()
    record_change(actor=actor, obj=survey, action="changed")
    return survey


@dataclass(frozen=True)
class QuestionInput:
    kind: str
    texts: Mapping[str, str]  # language → question
    help_texts: Mapping[str, str] = field(default_factory=dict)
    required: bool = False
    choices: Sequence[Mapping[str, str]] = ()  # each: language → label (matrix: its columns)
    rows: Sequence[Mapping[str, str]] = ()  # matrix rows
    condition_question: int | None = None
    condition_answer: str = ""  # a choice's label in any language, its number, yes/no, or a number on a scale


def _question_input_errors(data: QuestionInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.kind not in QuestionKind.values:
        errors["kind"] = _("Choose the kind of question.")
    if not (data.texts.get("nl") or "").strip():
        errors["text_nl"] = _("Write the question in Dutch too: Dutch is the default language the site falls back to.")
    if data.kind in CHOICE_KINDS and len(data.choices) < 2:
        errors["choices_nl"] = _("Give at least two choices, one per line.")
    if data.kind == QuestionKind.MATRIX and not data.rows:
        errors["rows_nl"] = _("Give the rows of the matrix, one per line.")
    if len(data.choices) > 50 or len(data.rows) > 50:
        errors["choices_nl"] = _("At most 50 choices and 50 rows.")
    return errors


def _condition_value(target: Question, answer: str) -> str | None:
    """The stored form of a condition's answer typed by staff, or None when it is not one of the answers."""
    wanted = answer.strip()
    if target.kind == QuestionKind.YES_NO:
        folded = wanted.lower()
        if folded in {"yes", "ja", "oui", str(_("yes")).lower()}:
            return "yes"
        if folded in {"no", "nee", "non", str(_("no")).lower()}:
            return "no"
        return None
    if target.kind in (QuestionKind.SCALE_5, QuestionKind.SCALE_10):
        low, high = (1, 5) if target.kind == QuestionKind.SCALE_5 else (0, 10)
        return wanted if wanted.isdigit() and low <= int(wanted) <= high else None
    options = list(target.choices.filter(is_row=False))
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return str(options[int(wanted) - 1].pk)
    for option in options:
        if wanted.casefold() in {(getattr(option, f"label_{c}") or "").casefold() for c in LANGUAGES} - {""}:
            return str(option.pk)
    return None


def _write_question(question: Question, data: QuestionInput) -> None:
    question.kind = data.kind
    question.required = data.required
    for code in LANGUAGES:
        setattr(question, f"text_{code}", (data.texts.get(code) or "").strip())
        setattr(question, f"help_text_{code}", (data.help_texts.get(code) or "").strip())
    question.condition_question_id = data.condition_question
    question.condition_value = ""
    question.save()
    if data.kind in CHOICE_KINDS:
        _write_choices(question, data.choices, is_row=False)
        _write_choices(question, data.rows if data.kind == QuestionKind.MATRIX else (), is_row=True)
    else:
        question.choices.all().delete()
    if data.condition_question is not None:
        target = Question.objects.filter(pk=data.condition_question, survey_id=question.survey_id).first()
        value = _condition_value(target, data.condition_answer) if target is not None else None
        if target is not None and value is None and target.kind in conditions.CONDITIONAL_KINDS:
            raise SurveyInvalid(
                {
                    "condition_answer": _("“%(answer)s” is not one of the answers of that question.")
                    % {"answer": data.condition_answer}
                }
            )
        question.condition_value = value or ""
        question.save(update_fields=["condition_value"])


def _write_choices(question: Question, labels: Sequence[Mapping[str, str]], *, is_row: bool) -> None:
    """Keep existing choices by position (answers keep pointing at them), add or remove the rest."""
    existing = list(question.choices.filter(is_row=is_row).order_by("position", "pk"))
    for position, label in enumerate(labels, start=1):
        choice = existing[position - 1] if position <= len(existing) else Choice(question=question, is_row=is_row)
        choice.position = position
        for code in LANGUAGES:
            setattr(choice, f"label_{code}", (label.get(code) or "").strip()[:300])
        choice.save()
    for extra in existing[len(labels) :]:
        extra.delete()


@transaction.atomic
def add_question(*, actor: Any, survey: Survey, data: QuestionInput) -> Question:
    """A question at the end of ``survey``."""
    _raise_if(_question_input_errors(data))
    last = survey.questions.order_by("-position").values_list("position", flat=True).first() or 0
    question = Question(survey=survey, position=last + 1)
    _write_question(question, data)
    _raise_if(condition_errors(survey))
    record_change(actor=actor, obj=survey, action="question_added", changes={"question": question.text})
    return question


@transaction.atomic
def update_question(*, actor: Any, question: Question, data: QuestionInput) -> Question:
    _raise_if(_question_input_errors(data))
    question = Question.objects.select_for_update().get(pk=question.pk)
    _write_question(question, data)
    _raise_if(condition_errors(question.survey))
    record_change(actor=actor, obj=question.survey, action="question_changed", changes={"question": question.text})
    return question


@transaction.atomic
def move_question(*, actor: Any, question: Question, up: bool) -> None:
    """Swap ``question`` with its neighbour; refused when a condition would then look at a later question."""
    questions = list(question.survey.questions.select_for_update().order_by("position", "pk"))
    index = [q.pk for q in questions].index(question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(questions):
        return
    questions[index], questions[other] = questions[other], questions[index]
    for position, q in enumerate(questions, start=1):
        if q.position != position:
            q.position = position
            q.save(update_fields=["position"])
    _raise_if(condition_errors(question.survey))


@transaction.atomic
def delete_question(*, actor: Any, question: Question) -> None:
    """Delete a question and its answers; questions that depended on it are refused until changed."""
    dependents = list(question.dependents.all())
    if dependents:
        raise SurveyInvalid(
            {
                "question": _("Questions that depend on it must be changed first: %(list)s.")
                % {"list": ", ".join(f"“{d.text}”" for d in dependents)}
            }
        )
    survey = question.survey
    text = question.text
    question.delete()
    record_change(actor=actor, obj=survey, action="question_deleted", changes={"question": text})


@transaction.atomic
def open_to_all(*, actor: Any, survey: Survey) -> Survey:
    """End the pilot: the whole audience may answer; the pilot's answers stay marked as such."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    survey.in_pilot = False
    survey.save(update_fields=["in_pilot"])
    record_change(actor=actor, obj=survey, action="opened_to_all")
    return survey


@transaction.atomic
def publish_results(*, actor: Any, survey: Survey, publish: bool = True) -> Survey:
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    survey.results_published_at = timezone.now() if publish else None
    survey.save(update_fields=["results_published_at"])
    record_change(actor=actor, obj=survey, action="results_published" if publish else "results_unpublished")
    return survey


# --- Answering -----------------------------------------------------------------------------


def _clean_value(question: Question, raw: Any, choice_ids: set[int], row_ids: set[int]) -> tuple[Any, str, str | None]:
    """(value, text, error) for one question's raw form input; (None, "", None) when unanswered."""
    kind = question.kind
    if kind in TEXT_KINDS:
        text = str(raw or "").strip()
        limit = SHORT_TEXT_MAX if kind == QuestionKind.SHORT_TEXT else LONG_TEXT_MAX
        if len(text) > limit:
            return None, "", _("At most %(limit)s characters.") % {"limit": limit}
        return None, text, None
    if raw in (None, "", [], {}):
        return None, "", None
    try:
        if kind == QuestionKind.SINGLE:
            choice = int(raw)
            if choice not in choice_ids:
                raise ValueError
            return choice, "", None
        if kind == QuestionKind.MULTIPLE:
            picked = sorted({int(item) for item in raw})
            if not set(picked) <= choice_ids:
                raise ValueError
            return picked, "", None
        if kind == QuestionKind.RANKING:
            ranks = {int(choice): int(rank) for choice, rank in dict(raw).items() if str(rank).strip()}
            if not set(ranks) <= choice_ids or len(set(ranks.values())) != len(ranks):
                return None, "", _("Give each rank once.")
            return [choice for choice, _rank in sorted(ranks.items(), key=lambda item: item[1])] or None, "", None
        if kind == QuestionKind.MATRIX:
            cells = {int(row): int(column) for row, column in dict(raw).items() if str(column).strip()}
            if not set(cells) <= row_ids or not set(cells.values()) <= choice_ids:
                raise ValueError
            return ({str(row): column for row, column in sorted(cells.items())} or None), "", None
        if kind in (QuestionKind.SCALE_5, QuestionKind.SCALE_10):
            number = int(raw)
            low, high = (1, 5) if kind == QuestionKind.SCALE_5 else (0, 10)
            if not low <= number <= high:
                return None, "", _("Choose a number from %(low)s to %(high)s.") % {"low": low, "high": high}
            return number, "", None
        if kind == QuestionKind.NUMBER:
            decimal = Decimal(str(raw).strip().replace(",", "."))
            if not decimal.is_finite() or abs(decimal) > Decimal("1e12"):
                raise InvalidOperation
            return (int(decimal) if decimal == decimal.to_integral_value() else float(decimal)), "", None
        if kind == QuestionKind.DATE:
            return date.fromisoformat(str(raw).strip()).isoformat(), "", None
        if kind == QuestionKind.YES_NO:
            if raw not in ("yes", "no"):
                raise ValueError
            return raw, "", None
    except (ValueError, TypeError, InvalidOperation):
        if kind == QuestionKind.NUMBER:
            return None, "", _("Write a number, such as 12 or 3.5.")
        if kind == QuestionKind.DATE:
            return None, "", _("Write a date as year-month-day, such as 2026-06-20.")
        return None, "", _("Choose one of the answers offered.")
    return None, "", None


@dataclass(frozen=True)
class SaveResult:
    response: Response
    newly_shown: tuple[int, ...] = ()  # questions that appeared because of these answers (submit refused)
    sent: bool = False


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position", "pk").prefetch_related("choices"))


def save_answers(
    *,
    survey: Survey,
    user: Any,
    raw: Mapping[int, Any],
    submit: bool,
    now: datetime | None = None,
    token: str = "",
    questions: Sequence[Question] | None = None,
) -> SaveResult:
    """Save ``user``'s answers (question id → raw input); ``submit`` also checks required questions and sends.

    Refused (``SurveyRefused``) outside the audience or the dates; invalid
    input (``SurveyInvalid``, keyed "q<id>") saves nothing. Answers to
    questions hidden by a condition are dropped. Sending again before the close
    replaces the answers: one response per person, always.
    """
    now = now or timezone.now()
    refusal = answer_refusal(survey, user, now=now, token=token)
    if refusal:
        raise SurveyRefused(refusal)
    questions = list(questions) if questions is not None else questions_of(survey)
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[Any, str]] = {}
    for question in questions:
        options = {c.pk for c in question.choices.all() if not c.is_row}
        rows = {c.pk for c in question.choices.all() if c.is_row}
        value, text, error = _clean_value(question, raw.get(question.pk), options, rows)
        if error:
            errors[f"q{question.pk}"] = error
        elif value is not None or text:
            cleaned[question.pk] = (value, text)
    nodes = nodes_of(questions)
    visible = conditions.shown(nodes, {pk: value for pk, (value, _text) in cleaned.items()})
    cleaned = {pk: answer for pk, answer in cleaned.items() if pk in visible}
    if submit:
        for question in questions:
            if question.required and question.pk in visible and question.pk not in cleaned:
                errors.setdefault(f"q{question.pk}", _("Please answer this question."))
    if errors:
        raise SurveyInvalid(errors)
    for attempt in range(2):
        try:
            return _write_response(survey=survey, user=user, cleaned=cleaned, submit=submit, now=now)
        except IntegrityError:
            # Another tab created the response between our look and our insert: write into that one.
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _write_response(
    *, survey: Survey, user: Any, cleaned: Mapping[int, tuple[Any, str]], submit: bool, now: datetime
) -> SaveResult:
    key = respondent_key(survey, user)
    response = Response.objects.select_for_update().filter(survey=survey, respondent_key=key).first()
    if response is None:
        facts = person_facts(user)
        with transaction.atomic():  # a savepoint: a lost race leaves this transaction usable
            response = Response.objects.create(
                survey=survey,
                respondent_key=key,
                respondent=None if survey.anonymous else user,
                in_pilot=survey.in_pilot,
                office_id=facts.office_id,
                country=facts.country,
                language=getattr(user, "preferred_language", "") or "",
            )
        response = Response.objects.select_for_update().get(pk=response.pk)
    response.answers.all().delete()
    Answer.objects.bulk_create(
        Answer(response=response, question_id=pk, value=value, text=text) for pk, (value, text) in cleaned.items()
    )
    if submit and response.submitted_at is None:
        response.submitted_at = now
    response.language = getattr(user, "preferred_language", "") or response.language
    response.save()
    return SaveResult(response=response, sent=response.submitted_at is not None)


def response_of(survey: Survey, user: Any) -> Response | None:
    if not user.is_authenticated:
        return None
    return Response.objects.filter(survey=survey, respondent_key=respondent_key(survey, user)).first()
