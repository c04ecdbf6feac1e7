"""Contributions to a theme, at /<language>/contributions/: the theme's list and form, one contribution with its
answers, marking useful, the file, and the team's moderation (highlight, hide with a reason, move to resources,
invite experts and partners)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.contributions import selectors, services
from coopsip.contributions.forms import AnswerForm, ContributionForm, HideForm, InviteForm
from coopsip.contributions.models import Contribution, InvitedContributor
from coopsip.contributions.services import ContributionInvalid
from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition, Theme

PER_PAGE = 20
ANSWERS_PER_PAGE = 30
# Content types from the extension the content was checked against (never from the browser).
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
}


def _theme_for(request: AuthenticatedRequest, theme_pk: int) -> Theme:
    theme: Theme = get_object_or_404(Theme.objects.select_related("edition"), pk=theme_pk)
    if not theme.edition.is_published:
        require(request.user, "contributions.moderate")  # staff prepare an edition before it is published
    return theme


def _contribution_for(request: AuthenticatedRequest, pk: int) -> Contribution:
    contribution = selectors.contribution_for(pk=pk, user=request.user)
    if contribution is None:
        raise Http404
    if not contribution.theme.edition.is_published:
        require(request.user, "contributions.moderate")
    return contribution


def _add_errors(form: Any, errors: dict[str, str]) -> None:
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message)


@login_required
@require_http_methods(["GET", "POST"])
def theme(request: AuthenticatedRequest, theme_pk: int) -> HttpResponse:
    found = _theme_for(request, theme_pk)
    require(request.user, "contributions.view", found)
    closed = services.closed_reason(found)
    may_share = not closed and request.user.has_perm("contributions.share", found)
    form = ContributionForm(request.POST or None, request.FILES or None, language=get_language() or "nl")
    if request.method == "POST":
        require(request.user, "contributions.share", found)
        if form.is_valid():
            data = form.cleaned_data
            try:
                contribution = services.share(
                    by=request.user,
                    theme=found,
                    kind=data["kind"],
                    title=data["title"],
                    body=data["body"],
                    url=data["url"],
                    upload=data["file"],
                    language=data["language"],
                )
            except ContributionInvalid as invalid:
                _add_errors(form, invalid.errors)
            else:
                messages.success(request, _("Thank you: your contribution is shared on the theme."))
                return see_other(reverse("contributions:detail", kwargs={"pk": contribution.pk}))
    queryset = selectors.contributions_of(theme=found, user=request.user)
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "theme": found,
        "edition": found.edition,
        "page": page,
        "form": form,
        "closed": closed,
        "may_share": may_share,
        "may_moderate": request.user.has_perm("contributions.moderate"),
    }
    return render(request, "contributions/theme.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contribution = _contribution_for(request, pk)
    require(request.user, "contributions.view", contribution)
    closed = services.closed_reason(contribution.theme)
    form = AnswerForm(request.POST or None, language=get_language() or "nl")
    if request.method == "POST":
        require(request.user, "contributions.answer", contribution)
        if form.is_valid():
            try:
                services.answer(
                    by=request.user,
                    contribution=contribution,
                    body=form.cleaned_data["body"],
                    language=form.cleaned_data["language"],
                )
            except ContributionInvalid as invalid:
                _add_errors(form, invalid.errors)
            else:
                messages.success(request, _("Your answer is added."))
                return see_other(reverse("contributions:detail", kwargs={"pk": pk}) + "#answers")
    answers = Paginator(selectors.answers_of(contribution), ANSWERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "contribution": contribution,
        "theme": contribution.theme,
        "edition": contribution.theme.edition,
        "answers": answers,
        "form": form,
        "closed": closed,
        "may_answer": not closed
        and not contribution.is_hidden
        and request.user.has_perm("contributions.answer", contribution),
        "may_moderate": request.user.has_perm("contributions.moderate"),
        "hide_form": HideForm(),
    }
    return render(request, "contributions/detail.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def useful(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    contribution = _contribution_for(request, pk)
    require(request.user, "contributions.mark_useful", contribution)
    try:
        if services.mark_useful(by=request.user, contribution=contribution):
            messages.success(request, _("Marked useful: thank you."))
        else:
            messages.info(request, _("You had already marked it useful."))
    except ContributionInvalid as invalid:
        messages.error(request, next(iter(invalid.errors.values())))
    return see_other(reverse("contributions:detail", kwargs={"pk": pk}))


@login_required
@require_safe
def file(request: AuthenticatedRequest, pk: int) -> FileResponse:
    contribution = _contribution_for(request, pk)
    require(request.user, "contributions.view", contribution)
    if not contribution.file:
        raise Http404
    extension = "." + contribution.file.name.rsplit(".", 1)[-1].lower() if "." in contribution.file.name else ""
    response = FileResponse(
        contribution.file.open("rb"),
        as_attachment=True,
        filename=contribution.file_name or "file",
        content_type=CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def highlight(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "contributions.moderate")
    contribution = _contribution_for(request, pk)
    on = request.POST.get("on") == "1"
    services.set_highlight(by=request.user, contribution=contribution, on=on)
    messages.success(request, _("The contribution is highlighted.") if on else _("The highlight is removed."))
    return see_other(reverse("contributions:detail", kwargs={"pk": pk}))


@login_required
@require_http_methods(["GET", "POST"])
def hide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "contributions.moderate")
    contribution = _contribution_for(request, pk)
    form = HideForm(request.POST or None)
    if request.method == "POST":
        if request.POST.get("show") == "1":
            services.show_again(by=request.user, contribution=contribution)
            messages.success(request, _("The contribution is shown again."))
            return see_other(reverse("contributions:detail", kwargs={"pk": pk}))
        if form.is_valid():
            try:
                services.hide(by=request.user, contribution=contribution, reason=form.cleaned_data["reason"])
            except ContributionInvalid as invalid:
                _add_errors(form, invalid.errors)
            else:
                messages.success(request, _("The contribution is hidden; its author is told why."))
                return see_other(reverse("contributions:theme", kwargs={"theme_pk": contribution.theme_id}))
    context = {"contribution": contribution, "theme": contribution.theme, "form": form}
    return render(request, "contributions/hide.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def move(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "contributions.moderate")
    contribution = _contribution_for(request, pk)
    try:
        services.move_to_resources(by=request.user, contribution=contribution)
    except ContributionInvalid as invalid:
        messages.error(request, next(iter(invalid.errors.values())))
    else:
        messages.success(request, _("The contribution is now among the theme's resources; its author is told."))
    return see_other(reverse("contributions:detail", kwargs={"pk": pk}))


@login_required
@require_http_methods(["GET", "POST"])
def invited(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require(request.user, "contributions.invite")
    edition = get_object_or_404(Edition, slug=slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST":
        remove = request.POST.get("remove")
        if remove:
            get_object_or_404(InvitedContributor, pk=remove, edition=edition).delete()
            messages.success(request, _("The invitation is withdrawn."))
            return see_other(reverse("contributions:invited", kwargs={"slug": slug}))
        if form.is_valid():
            person = get_user_model().objects.filter(email__iexact=form.cleaned_data["email"]).first()
            if person is None:
                form.add_error("email", _("Nobody has an account with this email address."))
            else:
                services.invite(by=request.user, edition=edition, user=person, role=form.cleaned_data["role"])
                messages.success(
                    request,
                    _("%(name)s may now contribute to the themes.") % {"name": person.get_full_name() or person.email},
                )
                return see_other(reverse("contributions:invited", kwargs={"slug": slug}))
    invitations = Paginator(
        InvitedContributor.objects.filter(edition=edition).select_related("user"), PER_PAGE
    ).get_page(request.GET.get("page"))
    context = {"edition": edition, "form": form, "page": invitations}
    return render(request, "contributions/invited.html", context, status=400 if form.errors else 200)
