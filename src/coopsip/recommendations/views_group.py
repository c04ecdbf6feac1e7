"""The group's side of recommendations, at /<language>/recommendations/group/<group>/.

Every view starts from ``_group_for`` or ``_recommendation_for``: the working group (or a
recommendation *of that group*) by its id, 404 when unknown, then the permission (403):
``recommendations.view_group_work`` (its members, its office's advisor, staff),
``add_idea`` (members), ``start_draft`` (moderator, secretary), ``view_draft`` (the group,
its advisor, staff; the board once submitted), ``edit_draft`` and ``answer_consent``
(members), ``lead_draft`` (moderator, secretary). Every change is a POST that calls one
service and answers 303, or shows the form again with its errors (400; 409 for a stale edit).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.groups.models import WorkingGroup
from coopsip.recommendations import services
from coopsip.recommendations.forms_group import (
    ConsentAnswerForm,
    ConsentOpenForm,
    ContributionsForm,
    DraftForm,
    DraftStartForm,
    IdeaForm,
    WithdrawForm,
)
from coopsip.recommendations.models import (
    STRUCTURED_FIELDS,
    VERSIONED_FIELDS,
    ConsentRound,
    Idea,
    Recommendation,
    RecommendationVersion,
)
from coopsip.recommendations.services import RecommendationInvalid, StaleDraft
from coopsip.recommendations.textdiff import diff_html

IDEAS_PER_PAGE = 25
RECOMMENDATIONS_PER_PAGE = 25
VERSIONS_PER_PAGE = 25
ANSWERS_PER_PAGE = 50


def _group_for(request: AuthenticatedRequest, group_pk: int, perm: str) -> WorkingGroup:
    group: WorkingGroup = get_object_or_404(
        WorkingGroup.objects.select_related("edition", "theme", "office", "circle"), pk=group_pk
    )
    require(request.user, perm, group)
    return group


def _recommendation_for(request: AuthenticatedRequest, group_pk: int, pk: int, perm: str) -> Recommendation:
    recommendation: Recommendation = get_object_or_404(
        Recommendation.objects.select_related("group__edition", "group__theme", "group__circle", "theme", "edition"),
        pk=pk,
        group_id=group_pk,
    )
    require(request.user, perm, recommendation)
    return recommendation


def _label(name: str) -> str:
    """The translated name of a text field of a recommendation ("the need it answers")."""
    field = Recommendation._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _add_errors(form: Any, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


def _language(request: AuthenticatedRequest) -> str:
    return str(getattr(request.user, "preferred_language", "") or request.LANGUAGE_CODE or "nl")[:2]


def _detail_url(recommendation: Recommendation) -> str:
    return reverse("recommendations:draft", kwargs={"group_pk": recommendation.group_id, "pk": recommendation.pk})


def _close_if_due(recommendation: Recommendation) -> None:
    """A round past its closing time is closed when someone looks (the command does it for the others)."""
    due = recommendation.consent_rounds.filter(closed_at__isnull=True, closes_at__lte=timezone.now()).first()
    if due is not None:
        services.close_consent_round(consent_round=due)
        recommendation.refresh_from_db()


# --- The group's page: ideas and recommendations -------------------------------------


@login_required
@require_safe
def group_home(request: AuthenticatedRequest, group_pk: int) -> HttpResponse:
    group = _group_for(request, group_pk, "recommendations.view_group_work")
    ideas = Idea.objects.filter(group=group).select_related("author", "thread", "recommendation")
    drafts = Recommendation.objects.filter(group=group).order_by("-updated_at", "-pk")
    return render(
        request,
        "recommendations/group/home.html",
        {
            "group": group,
            "ideas": Paginator(ideas, IDEAS_PER_PAGE).get_page(request.GET.get("page")),
            "recommendations": Paginator(drafts, RECOMMENDATIONS_PER_PAGE).get_page(request.GET.get("rpage")),
            "can_add_idea": request.user.has_perm("recommendations.add_idea", group),
            "can_start_draft": request.user.has_perm("recommendations.start_draft", group),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def idea_create(request: AuthenticatedRequest, group_pk: int) -> HttpResponse:
    group = _group_for(request, group_pk, "recommendations.add_idea")
    form = IdeaForm(request.POST or None, initial={"language": _language(request)})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_idea(by=request.user, group=group, **form.cleaned_data)
        except RecommendationInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("Your idea is added; the group can discuss it."))
            return see_other(reverse("recommendations:group", kwargs={"group_pk": group.pk}))
    status = 400 if form.errors else 200
    return render(request, "recommendations/group/idea_form.html", {"group": group, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request: AuthenticatedRequest, group_pk: int) -> HttpResponse:
    group = _group_for(request, group_pk, "recommendations.start_draft")
    free_ideas = Idea.objects.filter(group=group, recommendation__isnull=True).order_by("created_at", "pk")[:100]
    initial = {"language": _language(request), "ideas": request.GET.getlist("idea")}
    form = DraftStartForm(request.POST or None, initial=initial, ideas=Idea.objects.filter(pk__in=free_ideas))
    if request.method == "POST" and form.is_valid():
        try:
            recommendation = services.create_draft(
                by=request.user,
                group=group,
                title=form.cleaned_data["title"],
                language=form.cleaned_data["language"],
                ideas=form.cleaned_data["ideas"],
            )
        except RecommendationInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("The draft is made: version 1. The group can now write it together."))
            return see_other(_detail_url(recommendation))
    status = 400 if form.errors else 200
    return render(request, "recommendations/group/draft_start.html", {"group": group, "form": form}, status=status)


# --- A recommendation: its text, versions and consent --------------------------------


def _detail_context(request: AuthenticatedRequest, recommendation: Recommendation, **extra: Any) -> dict[str, Any]:
    user = request.user
    rounds = list(recommendation.consent_rounds.select_related("version")[:5])
    open_round = next((r for r in rounds if r.is_open), None)
    return {
        "recommendation": recommendation,
        "group": recommendation.group,
        "sections": [(_label(name), getattr(recommendation, name)) for name in STRUCTURED_FIELDS],
        "ideas": recommendation.ideas.select_related("thread")[:50],
        "versions": recommendation.versions.select_related("author")[:5],
        "rounds": rounds,
        "open_round": open_round,
        "can_edit": user.has_perm("recommendations.edit_draft", recommendation) and recommendation.is_editable,
        "can_lead": user.has_perm("recommendations.lead_draft", recommendation),
        "can_withdraw": services.can_withdraw(recommendation),
        "can_see_consent": user.has_perm("recommendations.view_consent", recommendation),
        "consent_form": extra.pop("consent_form", None) or ConsentOpenForm(),
        "contributions": recommendation.contributions.all()[:50],
        "contributions_form": _contributions_form(recommendation)
        if user.has_perm("recommendations.edit_draft", recommendation)
        else None,
        **extra,
    }


def _contributions_form(recommendation: Recommendation, data: Any = None) -> ContributionsForm | None:
    """The group space's documents to choose from (none when the group has no space or no document)."""
    from coopsip.groupspace.models import Document

    group = recommendation.group
    if group is None or group.circle_id is None:
        return None
    documents = Document.objects.filter(circle_id=group.circle_id).order_by("-added_at", "-pk")
    ids = list(documents.values_list("pk", flat=True)[:100])
    if not ids:
        return None
    initial = {"documents": list(recommendation.contributions.values_list("pk", flat=True))}
    return ContributionsForm(data, initial=initial, documents=Document.objects.filter(pk__in=ids))


@login_required
@require_POST
def contributions(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.edit_draft")
    form = _contributions_form(recommendation, request.POST)
    if form is not None and form.is_valid():
        count = services.set_contributions(
            by=request.user,
            recommendation=recommendation,
            document_ids=[document.pk for document in form.cleaned_data["documents"]],
        )
        messages.success(request, _("Contributions attached: %(count)d.") % {"count": count})
    return see_other(_detail_url(recommendation))


@login_required
@require_safe
def draft(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.view_draft")
    _close_if_due(recommendation)
    return render(request, "recommendations/group/detail.html", _detail_context(request, recommendation))


def _field_values(recommendation: Recommendation) -> dict[str, str]:
    return {name: getattr(recommendation, name) for name in VERSIONED_FIELDS}


@login_required
@require_http_methods(["GET", "POST"])
def draft_edit(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.edit_draft")
    form = DraftForm(
        request.POST or None, initial={"based_on": recommendation.version, **_field_values(recommendation)}
    )
    conflict: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = services.save_draft(
                by=request.user,
                recommendation=recommendation,
                based_on=data["based_on"],
                fields={name: data[name] for name in VERSIONED_FIELDS},
                note=data["note"],
            )
        except StaleDraft as stale:
            # The person keeps their text; the form is now based on the latest version, and the
            # page shows what the other person saved against what they typed.
            post = request.POST.copy()
            post["based_on"] = str(stale.current.number)
            form = DraftForm(post)
            form.is_valid()
            _add_errors(form, stale.errors)
            conflict = [
                (
                    _label(name),
                    mark_safe(diff_html(getattr(stale.current, name), data[name])),  # noqa: S308  (diff_html escapes)
                )
                for name in VERSIONED_FIELDS
                if getattr(stale.current, name) != data[name]
            ]
            status = 409
        except RecommendationInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            if version is None:
                messages.info(request, _("Nothing changed: no new version."))
            else:
                messages.success(request, _("Saved as version %(number)d.") % {"number": version.number})
            return see_other(_detail_url(recommendation))
    if form.errors and status == 200:
        status = 400
    return render(
        request,
        "recommendations/group/edit.html",
        {"recommendation": recommendation, "group": recommendation.group, "form": form, "conflict": conflict},
        status=status,
    )


@login_required
@require_safe
def versions(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.view_draft")
    page = Paginator(recommendation.versions.select_related("author"), VERSIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "recommendations/group/versions.html",
        {"recommendation": recommendation, "group": recommendation.group, "page": page},
    )


@login_required
@require_safe
def version(request: AuthenticatedRequest, group_pk: int, pk: int, number: int) -> HttpResponse:
    """One version against the one before it (or ``?against=<number>``), field by field."""
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.view_draft")
    shown: RecommendationVersion = get_object_or_404(recommendation.versions.select_related("author"), number=number)
    against_number = request.GET.get("against", "")
    wanted = int(against_number) if against_number.isdigit() else number - 1
    against = recommendation.versions.select_related("author").filter(number=wanted).first()
    changes = []
    for name in VERSIONED_FIELDS:
        old = getattr(against, name) if against is not None else ""
        new = getattr(shown, name)
        if old != new:
            label = _label(name)
            changes.append((label, mark_safe(diff_html(old, new))))  # noqa: S308  (diff_html escapes every piece)
    return render(
        request,
        "recommendations/group/version.html",
        {
            "recommendation": recommendation,
            "group": recommendation.group,
            "shown": shown,
            "against": against,
            "changes": changes,
        },
    )


@login_required
@require_POST
def consent_open(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.lead_draft")
    form = ConsentOpenForm(request.POST)
    if form.is_valid():
        try:
            services.open_consent_round(by=request.user, recommendation=recommendation, closes_at=form.closes_at())
        except RecommendationInvalid as invalid:
            errors = dict(invalid.errors)
            if "closes_at" in errors:
                form.add_error("closes_on", errors.pop("closes_at"))
            _add_errors(form, errors)
        else:
            messages.success(request, _("The consent round is open: every member of the group can answer."))
            return see_other(_detail_url(recommendation))
    context = _detail_context(request, recommendation, consent_form=form)
    return render(request, "recommendations/group/detail.html", context, status=400)


def _round_for(recommendation: Recommendation, round_pk: int) -> ConsentRound:
    consent_round: ConsentRound = get_object_or_404(
        ConsentRound.objects.select_related("version"), pk=round_pk, recommendation=recommendation
    )
    return consent_round


@login_required
@require_http_methods(["GET", "POST"])
def consent(request: AuthenticatedRequest, group_pk: int, pk: int, round_pk: int) -> HttpResponse:
    """The round: the version asked about, everyone's answers and reasons, and the person's own answer."""
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.view_consent")
    consent_round = _round_for(recommendation, round_pk)
    if consent_round.is_open and consent_round.closes_at <= timezone.now():
        consent_round = services.close_consent_round(consent_round=consent_round)
    mine = consent_round.answers.filter(user=request.user).first()
    initial = {"position": mine.position, "reason": mine.reason} if mine else {}
    form = ConsentAnswerForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        require(request.user, "recommendations.answer_consent", recommendation)
        if form.is_valid():
            try:
                services.answer_consent(
                    by=request.user,
                    consent_round=consent_round,
                    position=form.cleaned_data["position"],
                    reason=form.cleaned_data["reason"],
                    language=_language(request),
                )
            except RecommendationInvalid as invalid:
                _add_errors(form, invalid.errors)
            else:
                messages.success(request, _("Your answer is recorded. You can change it until the round closes."))
                return see_other(request.path)
        status = 400
    answers = Paginator(
        consent_round.answers.select_related("user").order_by("answered_at", "pk"), ANSWERS_PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "recommendations/group/consent.html",
        {
            "recommendation": recommendation,
            "group": recommendation.group,
            "round": consent_round,
            "answers": answers,
            "mine": mine,
            "form": form,
            "can_answer": consent_round.is_open
            and request.user.has_perm("recommendations.answer_consent", recommendation),
            "can_lead": request.user.has_perm("recommendations.lead_draft", recommendation),
            "sections": [(_label(name), getattr(consent_round.version, name)) for name in STRUCTURED_FIELDS],
        },
        status=status,
    )


def _confirm(
    request: AuthenticatedRequest,
    recommendation: Recommendation,
    *,
    action: str,
    title: str,
    text: str,
    button: str,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    """The confirmation step of a change the group cannot simply undo."""
    return render(
        request,
        "recommendations/group/confirm.html",
        {
            "recommendation": recommendation,
            "group": recommendation.group,
            "action": action,
            "title": title,
            "text": text,
            "button": button,
            **extra,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_close(request: AuthenticatedRequest, group_pk: int, pk: int, round_pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.lead_draft")
    consent_round = _round_for(recommendation, round_pk)
    if request.method == "POST":
        closed = services.close_consent_round(consent_round=consent_round, by=request.user)
        messages.success(request, _("The round is closed: %(result)s.") % {"result": closed.get_result_display()})
        return see_other(_detail_url(recommendation))
    return _confirm(
        request,
        recommendation,
        action=request.path,
        title=_("Close the consent round now?"),
        text=_("Nobody can answer once it is closed; the result is counted from the answers given so far."),
        button=_("Close the round"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def submit(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.lead_draft")
    if request.method == "POST":
        try:
            services.submit_recommendation(by=request.user, recommendation=recommendation)
        except RecommendationInvalid as invalid:
            messages.error(request, invalid.errors["__all__"])
        else:
            messages.success(request, _("The recommendation is submitted to the team."))
        return see_other(_detail_url(recommendation))
    return _confirm(
        request,
        recommendation,
        action=request.path,
        title=_("Submit the recommendation to the team?"),
        text=_(
            "The team and the board read it from then on. "
            "The group can withdraw it until the team puts it in a synthesis or the board decides on it."
        ),
        button=_("Submit to the team"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.lead_draft")
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_recommendation(
                by=request.user, recommendation=recommendation, reason=form.cleaned_data["reason"]
            )
        except RecommendationInvalid as invalid:
            _add_errors(form, invalid.errors)
            status = 400
        else:
            messages.success(request, _("The recommendation is withdrawn; the team is no longer asked to take it."))
            return see_other(_detail_url(recommendation))
    return _confirm(
        request,
        recommendation,
        action=request.path,
        title=_("Withdraw the recommendation?"),
        text=_("The team will not put it in a synthesis. The group can take it up again as a draft later."),
        button=_("Withdraw it"),
        form=form,
        status=status,
    )


@login_required
@require_POST
def reopen(request: AuthenticatedRequest, group_pk: int, pk: int) -> HttpResponse:
    recommendation = _recommendation_for(request, group_pk, pk, "recommendations.lead_draft")
    try:
        services.reopen_draft(by=request.user, recommendation=recommendation)
    except RecommendationInvalid as invalid:
        messages.error(request, invalid.errors["__all__"])
    else:
        messages.success(request, _("It is a draft again: the group can change it, then ask for consent again."))
    return see_other(_detail_url(recommendation))
