"""Test projects: a group proposes one with a budget request, staff approve an amount, the group keeps a log,
records expenses (never above the approved budget without staff) and writes the evaluation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.groups.models import WorkingGroup
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import (
    TEXT_MAX,
    TITLE_MAX,
    BudgetKind,
    LogKind,
    Recommendation,
    TestProject,
    TestProjectLogEntry,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label: Any, *, required: bool = False) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, min_value=Decimal("0"), max_digits=9, decimal_places=2, required=required
    )  # fmt: skip


class ProposeForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=TITLE_MAX)
    recommendation = forms.ModelChoiceField(
        label=gettext_lazy("Recommendation it tests"), queryset=Recommendation.objects.none(), required=False
    )
    goal = forms.CharField(label=gettext_lazy("Goal"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX)
    plan = forms.CharField(
        label=gettext_lazy("Plan"), widget=forms.Textarea(attrs={"rows": 5}), max_length=TEXT_MAX, required=False
    )
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=DATE)
    ends_on = forms.DateField(label=gettext_lazy("Until"), widget=DATE)
    animation = _money(gettext_lazy("Budget for animation (EUR)"))
    organisation = _money(gettext_lazy("Budget for organisation (EUR)"))
    inviting = _money(gettext_lazy("Budget for inviting people (EUR)"))
    other = _money(gettext_lazy("Other budget (EUR)"))
    other_description = forms.CharField(label=gettext_lazy("Other: what for"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("The test project cannot end before it starts."))
        return data


def _group(request: AuthenticatedRequest, group_id: int) -> WorkingGroup:
    group = get_object_or_404(WorkingGroup.objects.select_related("edition", "theme"), pk=group_id)
    require(request.user, "groups.view_group", group)
    return group


@login_required
@require_safe
def group_list(request: AuthenticatedRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    projects = TestProject.objects.filter(group=group).order_by("-created_at")
    return render(
        request,
        "recommendations/testprojects/group.html",
        {
            "group": group,
            "projects": projects,
            "can_propose": request.user.has_perm("recommendations.propose_test_project", group),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def propose(request: AuthenticatedRequest, group_id: int) -> HttpResponse:
    group = _group(request, group_id)
    require(request.user, "recommendations.propose_test_project", group)
    period = services.test_project_period(group.edition)
    initial = {"starts_on": period[0], "ends_on": period[1]} if period else {}
    form = ProposeForm(request.POST if request.method == "POST" else None, initial=initial)
    form.fields["recommendation"].queryset = Recommendation.objects.filter(group=group)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        lines = [
            services.BudgetRequest(
                kind=kind, amount=data[kind], description=data["other_description"] if kind == "other" else ""
            )
            for kind in BudgetKind.values
            if data.get(kind)
        ]
        try:
            project = services.propose_test_project(
                by=request.user,
                group=group,
                recommendation=data["recommendation"],
                title=data["title"],
                goal=data["goal"],
                plan=data["plan"],
                language=get_language() or "nl",
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                lines=lines,
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The test project is proposed; the team will answer."))
            return see_other(reverse("recommendations_testprojects:detail", kwargs={"pk": project.pk}))
    return render(request, "recommendations/testprojects/propose.html", {"group": group, "form": form})


class ExpenseForm(forms.Form):
    amount = _money(gettext_lazy("Amount (EUR)"), required=True)
    description = forms.CharField(label=gettext_lazy("What for"), max_length=300)
    spent_on = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    above_budget = forms.BooleanField(
        label=gettext_lazy("Allow it above the approved budget (the team only)"), required=False
    )


class LogForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=LogKind.choices)
    text = forms.CharField(label=gettext_lazy("Text"), widget=forms.Textarea(attrs={"rows": 3}), max_length=TEXT_MAX)


class ApproveForm(forms.Form):
    # Filled in with the requested total: shown as the reader writes money ("150,30" in Dutch and French).
    amount = forms.DecimalField(
        label=gettext_lazy("Approved budget (EUR)"),
        min_value=Decimal("0"),
        max_digits=9,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Why, for the group"), max_length=2000)


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("The team's answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=TEXT_MAX
    )


class EvaluationForm(forms.Form):
    what_worked = forms.CharField(
        label=gettext_lazy("What worked"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX
    )
    what_did_not = forms.CharField(
        label=gettext_lazy("What did not work"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX
    )
    lessons = forms.CharField(
        label=gettext_lazy("Lessons"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX
    )


def _project(request: AuthenticatedRequest, pk: int) -> TestProject:
    project = get_object_or_404(TestProject.objects.select_related("group__edition", "recommendation"), pk=pk)
    require(request.user, "recommendations.view_test_project", project)
    return project


def _detail(request: AuthenticatedRequest, project: TestProject, **forms_: forms.Form) -> HttpResponse:
    approved = project.approved_amount
    spent = services.spent_total(project)
    log = Paginator(project.log_entries.select_related("author", "answered_by"), 25).get_page(request.GET.get("page"))
    context = {
        "project": project,
        "lines": project.budget_lines.all(),
        "requested": services.requested_total(project),
        "approved": approved,
        "spent": spent,
        "left": (approved - spent) if approved is not None else None,
        "expenses": project.expenses.order_by("spent_on", "pk")[:200],
        "log": log,
        "page": log,
        "query": "",
        "can_run": request.user.has_perm("recommendations.run_test_project", project),
        "can_manage": request.user.has_perm("recommendations.manage_test_projects"),
        "expense_form": forms_.get("expense_form") or ExpenseForm(initial={"spent_on": timezone.localdate()}),
        "log_form": forms_.get("log_form") or LogForm(),
        "approve_form": forms_.get("approve_form")
        or ApproveForm(initial={"amount": services.requested_total(project)}),
        "refuse_form": forms_.get("refuse_form") or RefuseForm(),
        "answer_form": AnswerForm(),
    }
    return render(request, "recommendations/testprojects/detail.html", context)


@login_required
@require_safe
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _project(request, pk))


def _back(project: TestProject) -> HttpResponse:
    return see_other(reverse("recommendations_testprojects:detail", kwargs={"pk": project.pk}))


@login_required
@require_POST
def expense(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    is_staff = request.user.has_perm("recommendations.manage_test_projects")
    if not is_staff:
        require(request.user, "recommendations.run_test_project", project)
    form = ExpenseForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.record_expense(
                by=request.user,
                test_project=project,
                amount=data["amount"],
                description=data["description"],
                spent_on=data["spent_on"],
                allowed_above_budget_by=request.user if is_staff and data["above_budget"] else None,
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The expense is recorded."))
            return _back(project)
    return _detail(request, project, expense_form=form)


@login_required
@require_POST
def log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    require(request.user, "recommendations.run_test_project", project)
    form = LogForm(request.POST)
    if form.is_valid():
        try:
            services.add_log_entry(
                by=request.user, test_project=project, language=get_language() or "nl", **form.cleaned_data
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            return _back(project)
    return _detail(request, project, log_form=form)


@login_required
@require_POST
def approve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.manage_test_projects")
    project = get_object_or_404(TestProject, pk=pk)
    form = ApproveForm(request.POST)
    if form.is_valid():
        try:
            services.approve_test_project(by=request.user, test_project=project, amount=form.cleaned_data["amount"])
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The budget is approved."))
            return _back(project)
    return _detail(request, project, approve_form=form)


@login_required
@require_POST
def refuse(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.manage_test_projects")
    project = get_object_or_404(TestProject, pk=pk)
    form = RefuseForm(request.POST)
    if form.is_valid():
        try:
            services.refuse_test_project(by=request.user, test_project=project, reason=form.cleaned_data["reason"])
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            return _back(project)
    return _detail(request, project, refuse_form=form)


@login_required
@require_POST
def answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.manage_test_projects")
    entry = get_object_or_404(TestProjectLogEntry.objects.select_related("test_project"), pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.answer_log_entry(by=request.user, entry=entry, answer=form.cleaned_data["answer"])
    return _back(entry.test_project)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def evaluation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    require(request.user, "recommendations.run_test_project", project)
    existing = getattr(project, "evaluation", None) if hasattr(project, "evaluation") else None
    initial = (
        {"what_worked": existing.what_worked, "what_did_not": existing.what_did_not, "lessons": existing.lessons}
        if existing is not None
        else {}
    )
    form = EvaluationForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.write_evaluation(
                by=request.user, test_project=project, language=get_language() or "nl", **form.cleaned_data
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The evaluation is saved and attached to the recommendation."))
            return _back(project)
    return render(request, "recommendations/testprojects/evaluation.html", {"project": project, "form": form})


@login_required
@require_safe
def overview(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require(request.user, "recommendations.manage_test_projects")
    edition = get_object_or_404(Edition, slug=slug)
    projects = (
        TestProject.objects.filter(group__edition=edition).select_related("group__theme").order_by("status", "pk")
    )
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    return render(
        request, "recommendations/testprojects/overview.html", {"edition": edition, "page": page, "query": ""}
    )
