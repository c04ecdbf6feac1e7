"""The member's side of surveys: the list, answering (also by link), and published results.

Answering asks ``selectors.answer_refusal`` (the one audience check) on every
request; the page shows the reason instead of the form when the person may not
answer. Questions hidden by a condition appear once the answer that shows them
is saved ("Save and continue"), so the page works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.surveys import conditions, results, selectors, services
from coopsip.surveys.forms import read_answers
from coopsip.surveys.models import AudienceKind, Question, QuestionKind, Survey


@login_required
@require_safe
def index(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "surveys/index.html",
        {
            "open": selectors.open_for(request.user),
            "published": selectors.published_for(request.user),
            # Most surveys are for members: a person who is not one is told why the list may stay empty.
            "entry": getattr(request.user, "register_entry", None),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey: Survey = get_object_or_404(Survey.objects.exclude(audience=AudienceKind.LINK), pk=pk)
    return _answer(request, survey, token="")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def answer_by_link(request: AuthenticatedRequest, token: str) -> HttpResponse:
    survey: Survey = get_object_or_404(Survey, link_token=token)
    return _answer(request, survey, token=token)


def _stored(response: Any) -> dict[int, Any]:
    if response is None:
        return {}
    return {a.question_id: (a.text if a.value is None else a.value) for a in response.answers.all()}


def _from_post(questions: list[Question], raw: dict[int, Any]) -> dict[int, Any]:
    """What the person typed, shown again as it was when the page is refused (nothing is lost)."""
    shown: dict[int, Any] = {}
    for question in questions:
        value = raw.get(question.pk)
        if question.kind == QuestionKind.RANKING and isinstance(value, dict):
            ranked = sorted(((int(r), int(c)) for c, r in value.items() if str(r).strip().isdigit()))
            shown[question.pk] = [c for _r, c in ranked]
        elif question.kind == QuestionKind.MATRIX and isinstance(value, dict):
            shown[question.pk] = {k: int(v) for k, v in value.items() if str(v).strip().isdigit()}
        elif question.kind == QuestionKind.MULTIPLE:
            shown[question.pk] = [int(v) for v in value or [] if str(v).isdigit()]
        elif question.kind in (QuestionKind.SINGLE, QuestionKind.SCALE_5, QuestionKind.SCALE_10):
            shown[question.pk] = int(str(value)) if str(value).strip().isdigit() else value
        else:
            shown[question.pk] = value
    return shown


def _items(questions: list[Question], values: dict[int, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    nodes = services.nodes_of(questions)
    visible = conditions.shown(nodes, values)
    numbers = {q.pk: n for n, q in enumerate(questions, start=1)}
    items = []
    for question in questions:
        if question.pk not in visible:
            continue
        value = values.get(question.pk)
        options = [c for c in question.choices.all() if not c.is_row]
        item: dict[str, Any] = {
            "question": question,
            "number": numbers[question.pk],
            "name": f"q{question.pk}",
            "value": value,
            "options": options,
            "rows": [c for c in question.choices.all() if c.is_row],
            "error": errors.get(f"q{question.pk}", ""),
        }
        if question.kind == QuestionKind.SCALE_5:
            item["scale"] = list(range(1, 6))
        elif question.kind == QuestionKind.SCALE_10:
            item["scale"] = list(range(11))
        elif question.kind == QuestionKind.RANKING:
            ranks = {choice: rank for rank, choice in enumerate(value or [], start=1)}
            item["ranked"] = [(c, ranks.get(c.pk, "")) for c in options]
            item["positions"] = list(range(1, len(options) + 1))
        elif question.kind == QuestionKind.MATRIX:
            cells = value or {}
            item["matrix"] = [(row, cells.get(str(row.pk))) for row in item["rows"]]
        items.append(item)
    return items


def _answer(request: AuthenticatedRequest, survey: Survey, *, token: str) -> HttpResponse:
    refusal = selectors.answer_refusal(survey, request.user, token=token)
    response = services.response_of(survey, request.user)
    context: dict[str, Any] = {"survey": survey, "token": token, "response": response, "refusal": refusal}
    if refusal:
        status = 403 if not selectors.in_audience(survey, request.user, token=token) else 200
        if status == 403 and response is None:
            return render(request, "surveys/refused.html", context, status=403)
        context["items"] = _items(services.questions_of(survey), _stored(response), {}) if response else []
        return render(request, "surveys/answer.html", context, status=status)
    questions = services.questions_of(survey)
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = read_answers(questions, request.POST)
        submit = "send" in request.POST
        try:
            saved = services.save_answers(
                survey=survey, user=request.user, raw=raw, submit=submit, token=token, questions=questions
            )
        except services.SurveyRefused as refused:
            messages.error(request, str(refused))
            return see_other(request.get_full_path())
        except services.SurveyInvalid as invalid:
            errors = invalid.errors
            context.update(items=_items(questions, _from_post(questions, raw), errors), errors=errors)
            return render(request, "surveys/answer.html", context, status=400)
        if submit:
            messages.success(
                request, _("Thank you: your answers are sent. You can change them until the survey closes.")
            )
        else:
            messages.success(request, _("Your answers are saved. Come back to finish them before the survey closes."))
        here = (
            reverse("surveys:answer_by_link", kwargs={"token": token})
            if token
            else reverse("surveys:answer", kwargs={"pk": survey.pk})
        )
        return see_other(here + ("#sent" if saved.sent else "#questions"))
    context["items"] = _items(questions, _stored(response), errors)
    context["hidden_count"] = len(questions) - len(context["items"])
    return render(request, "surveys/answer.html", context)


@login_required
@require_safe
def published_results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey: Survey = get_object_or_404(Survey, pk=pk)
    require(request.user, "surveys.view_results", survey)
    cohort = request.GET.get("cohort") or results.default_cohort(survey)
    if cohort not in (results.PILOT, results.MAIN, results.ALL):
        cohort = results.default_cohort(survey)
    questions = services.questions_of(survey)
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "cohort": cohort,
            "results": results.question_results(survey, questions, cohort=cohort, published=True),
            "total": results.responses(survey, cohort).count(),
            "min_group": results.MIN_GROUP,
        },
    )
