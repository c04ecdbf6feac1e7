"""The team's side of surveys: list, builder (settings and questions), results, exports, publishing.

Every view requires ``surveys.manage`` (the Cooperative Life team) except the
results and exports, which the board reads too (``surveys.view_all_results``).
Questions are looked up within their survey (404 otherwise).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.surveys import results, services
from coopsip.surveys.forms import QuestionForm, SurveyForm, numbered, question_label
from coopsip.surveys.models import TEXT_KINDS, Question, QuestionKind, Survey

SURVEYS_PER_PAGE = 25
TEXTS_PER_PAGE = 50


def _survey(request: AuthenticatedRequest, pk: int, perm: str = "surveys.manage") -> Survey:
    require(request.user, perm)
    return get_object_or_404(Survey.objects.select_related("pilot_office"), pk=pk)


def _question(survey: Survey, question_pk: int) -> Question:
    return get_object_or_404(Question.objects.select_related("condition_question"), pk=question_pk, survey=survey)


def _add_errors(form: Any, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


@login_required
@require_safe
def survey_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "surveys.view_all_results")
    page = Paginator(Survey.objects.order_by("-opens_at", "-pk"), SURVEYS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "surveys/staff_list.html", {"page": page, "now": timezone.now()})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "surveys.manage")
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.create_survey(actor=request.user, values=form.cleaned_data)
        except services.SurveyInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("The survey is created: add its questions."))
            return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}))
    return render(request, "surveys/staff_survey_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def survey_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_survey(actor=request.user, survey=survey, values=form.cleaned_data)
        except services.SurveyInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("The survey's settings are saved."))
            return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}))
    return render(
        request, "surveys/staff_survey_form.html", {"form": form, "survey": survey}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def builder(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The survey's questions in order, each with its condition, and the form to add one."""
    survey = _survey(request, pk)
    questions = numbered(services.questions_of(survey))
    form = QuestionForm(request.POST or None, earlier=questions)  # a new question comes last: all are earlier
    if request.method == "POST" and form.is_valid():
        try:
            services.add_question(actor=request.user, survey=survey, data=form.to_input())
        except services.SurveyInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("The question is added."))
            return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}) + "#add")
    numbers = {q.pk: n for n, q in questions}
    context = {
        "survey": survey,
        "questions": [(n, q, question_label(n, q), numbers.get(q.condition_question_id or 0)) for n, q in questions],
        "form": form,
        "problems": services.condition_errors(survey),
        "answers": results.responses(survey, results.ALL).count(),
    }
    return render(request, "surveys/staff_builder.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_edit(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    question = _question(survey, question_pk)
    questions = numbered(services.questions_of(survey))
    earlier = questions[: [q.pk for _n, q in questions].index(question.pk)]
    form = QuestionForm(request.POST or None, earlier=earlier, initial=QuestionForm.initial_for(question))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_question(actor=request.user, question=question, data=form.to_input())
        except services.SurveyInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("The question is saved."))
            return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}))
    return render(
        request,
        "surveys/staff_question_form.html",
        {"survey": survey, "question": question, "label": question_label(len(earlier) + 1, question), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def question_delete(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    question = _question(survey, question_pk)
    error = ""
    if request.method == "POST":
        try:
            services.delete_question(actor=request.user, question=question)
        except services.SurveyInvalid as invalid:
            error = next(iter(invalid.errors.values()))
        else:
            messages.success(request, _("The question and its answers are deleted."))
            return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}))
    return render(
        request,
        "surveys/staff_question_delete.html",
        {"survey": survey, "question": question, "answers": question.answers.count(), "error": error},
        status=400 if error else 200,
    )


@login_required
@require_POST
def question_move(request: AuthenticatedRequest, pk: int, question_pk: int) -> HttpResponse:
    survey = _survey(request, pk)
    question = _question(survey, question_pk)
    try:
        services.move_question(actor=request.user, question=question, up=request.POST.get("direction") == "up")
    except services.SurveyInvalid as invalid:
        for message in invalid.errors.values():
            messages.error(request, message)
    return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}) + f"#question-{question.pk}")


def _cohort(request: AuthenticatedRequest, survey: Survey) -> str:
    cohort = request.GET.get("cohort", "")
    return cohort if cohort in (results.PILOT, results.MAIN, results.ALL) else results.default_cohort(survey)


@login_required
@require_safe
def survey_results(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every question's chart and numbers, a cross-tab on request, free texts with a filter."""
    survey = _survey(request, pk, "surveys.view_all_results")
    cohort = _cohort(request, survey)
    questions = services.questions_of(survey)
    by_id = {q.pk: q for q in questions}
    context: dict[str, Any] = {
        "survey": survey,
        "cohort": cohort,
        "results": results.question_results(survey, questions, cohort=cohort, published=False),
        "total": results.responses(survey, cohort).count(),
        "choice_questions": [q for q in questions if q.kind not in TEXT_KINDS and q.kind != QuestionKind.MATRIX],
        "text_questions": [q for q in questions if q.kind in TEXT_KINDS],
        "min_group": results.MIN_GROUP,
    }
    cross = _int(request.GET.get("cross"))
    if cross in by_id:
        by_value = request.GET.get("by", "office")
        by: Question | str = by_id.get(_int(by_value) or 0) or (
            by_value if by_value in ("office", "country") else "office"
        )
        context.update(
            cross_question=by_id[cross],
            cross_by=by,
            cross=results.cross_tab(survey, by_id[cross], by=by, cohort=cohort),
        )
    text_question = by_id.get(_int(request.GET.get("texts")) or 0)
    if text_question is not None and text_question.kind in TEXT_KINDS:
        contains = request.GET.get("contains", "")[:100]
        texts = results.free_texts(survey, text_question, cohort=cohort, contains=contains)
        context.update(
            text_question=text_question,
            contains=contains,
            texts=Paginator(texts, TEXTS_PER_PAGE).get_page(request.GET.get("page")),
        )
    return render(request, "surveys/staff_results.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_safe
def export(request: AuthenticatedRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _survey(request, pk, "surveys.view_all_results")
    cohort = _cohort(request, survey)
    questions = services.questions_of(survey)
    name = f"{slugify(survey.title) or 'survey'}-{cohort}"
    if fmt == "csv":
        response = HttpResponse(
            results.export_csv(survey, questions, cohort=cohort), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            results.export_xlsx(survey, questions, cohort=cohort),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Publish (or withdraw) the results page: totals only, nothing under the minimum group size."""
    survey = _survey(request, pk)
    if request.method == "POST":
        publishing = request.POST.get("publish") == "1"
        services.publish_results(actor=request.user, survey=survey, publish=publishing)
        if publishing:
            messages.success(request, _("The results are published for the survey's audience."))
            return see_other(reverse("surveys:results", kwargs={"pk": survey.pk}))
        messages.success(request, _("The results are no longer published."))
        return see_other(reverse("surveys_staff:results", kwargs={"pk": survey.pk}))
    return render(request, "surveys/staff_publish.html", {"survey": survey, "min_group": results.MIN_GROUP})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def open_to_all(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """End the pilot (after a confirmation page): the whole audience may answer; pilot answers stay apart."""
    survey = _survey(request, pk)
    if not survey.in_pilot:
        return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}))
    if request.method == "POST":
        services.open_to_all(actor=request.user, survey=survey)
        messages.success(request, _("The pilot is over: the survey is open to its whole audience."))
        return see_other(reverse("surveys_staff:builder", kwargs={"pk": survey.pk}))
    pilot_answers = results.responses(survey, results.PILOT).count()
    return render(request, "surveys/staff_open_to_all.html", {"survey": survey, "pilot_answers": pilot_answers})
