"""The team's synthesis per theme, the syntheses' pages (groups and members comment), and follow-up projects."""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition, Theme
from coopsip.recommendations import selectors_followup as selectors
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import (
    TEXT_MAX,
    TITLE_MAX,
    BoardDecision,
    FollowUpProject,
    ProjectStatus,
    Recommendation,
    RecommendationStatus,
    Synthesis,
)
from coopsip.recommendations.similarity import Document, Suggestions, suggest

PAGE_SIZE = 20
SUGGESTIONS_SHOWN = 15
LANGUAGE_CHOICES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


def similarity_text(recommendation: Recommendation) -> str:
    return " ".join((recommendation.title, recommendation.need, recommendation.proposal, recommendation.actions))


@login_required
@require_safe
def themes(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require(request.user, "recommendations.synthesise")
    edition = get_object_or_404(Edition, slug=slug)
    rows = edition.themes.order_by("position").annotate(
        submitted=Count("recommendations", filter=Q(recommendations__status=RecommendationStatus.SUBMITTED)),
        syntheses_count=Count("syntheses", distinct=True),
    )
    return render(request, "recommendations/staff/themes.html", {"edition": edition, "themes": rows})


class MergeForm(forms.Form):
    recommendations = forms.TypedMultipleChoiceField(
        label=gettext_lazy("Recommendations to merge"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=gettext_lazy("Title of the synthesis"), max_length=TITLE_MAX)
    text = forms.CharField(
        label=gettext_lazy("Text of the synthesis"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=TEXT_MAX,
        required=False,
        help_text=gettext_lazy("Markdown. Every source stays linked; you may write the text later."),
    )
    language = forms.ChoiceField(label=gettext_lazy("Language of the text"), choices=LANGUAGE_CHOICES)

    def __init__(self, *args: Any, choices: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recommendations"].choices = choices  # type: ignore[attr-defined]


SUGGESTIONS_KEPT_S = 24 * 3600


def theme_suggestions(submitted: list[Recommendation]) -> Suggestions:
    """The similarity suggestions of a theme's submitted recommendations, kept in the shared cache under a hash
    of their texts: the same texts give the same suggestions, and a new, edited, merged or withdrawn
    recommendation changes the hash, so staff never see stale ones."""
    documents = [Document(key=rec.pk, language=rec.language, text=similarity_text(rec)) for rec in submitted]
    digest = hashlib.sha256()
    for doc in documents:
        digest.update(f"{doc.key}\x1f{doc.language}\x1f{doc.text}\x1e".encode())
    key = f"recommendations:suggestions:{SUGGESTIONS_SHOWN}:{digest.hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = suggest(documents, limit=SUGGESTIONS_SHOWN)
        cache.set(key, found, SUGGESTIONS_KEPT_S)
    return found


def _theme_page(request: AuthenticatedRequest, theme: Theme, form: MergeForm | None = None) -> HttpResponse:
    submitted = list(
        Recommendation.objects.filter(theme=theme, status=RecommendationStatus.SUBMITTED)
        .only("pk", "title", "need", "proposal", "actions", "language")
        .order_by("pk")
    )
    # A recommendation the board decided as it is goes into no synthesis (services_followup._mergeable).
    decided = set(
        BoardDecision.objects.filter(recommendation__in=submitted).values_list("recommendation_id", flat=True)
    )
    suggestions = theme_suggestions(submitted)
    titles = {rec.pk: rec for rec in submitted}
    q = request.GET.get("q", "")[:200]
    page = Paginator(selectors.theme_recommendations(theme.pk, q), PAGE_SIZE).get_page(request.GET.get("page"))
    if form is None:
        # The text is most likely written in the language most of the theme's recommendations are in.
        languages = Counter(rec.language for rec in submitted if rec.language)
        language = languages.most_common(1)[0][0] if languages else (get_language() or "nl")
        form = MergeForm(
            choices=[(rec.pk, rec.title) for rec in submitted if rec.pk not in decided], initial={"language": language}
        )
    context = {
        "theme": theme,
        "edition": theme.edition,
        "page": page,
        "suggestions": [
            {"pair": pair, "first": titles[pair.first], "second": titles[pair.second]}  # type: ignore[index]
            for pair in suggestions.pairs
        ],
        "suggestion_count": suggestions.total,
        "form": form,
        "syntheses": theme.syntheses.order_by("pk").annotate(sources_count=Count("source_links")),
        "q": q,
        "query": urlencode({"q": q}) if q else "",
    }
    return render(request, "recommendations/staff/theme.html", context)


def _theme(request: AuthenticatedRequest, theme_id: int) -> Theme:
    require(request.user, "recommendations.synthesise")
    return get_object_or_404(Theme.objects.select_related("edition"), pk=theme_id)


@login_required
@require_safe
def theme(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    return _theme_page(request, _theme(request, theme_id))


@login_required
@require_POST
def merge(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    theme = _theme(request, theme_id)
    choices = list(
        Recommendation.objects.filter(theme=theme, status=RecommendationStatus.SUBMITTED, decision__isnull=True)
        .values_list("pk", "title")
    )  # fmt: skip
    form = MergeForm(request.POST, choices=choices)
    if form.is_valid():
        try:
            synthesis = services.merge_into_synthesis(
                by=request.user,
                theme=theme,
                recommendation_ids=form.cleaned_data["recommendations"],
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                language=form.cleaned_data["language"],
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The synthesis is made; each source stays linked to it."))
            return see_other(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))
    return _theme_page(request, theme, form)


@login_required
@require_POST
def keep(request: AuthenticatedRequest, theme_id: int, pk: int) -> HttpResponse:
    theme = _theme(request, theme_id)
    try:
        synthesis = services.keep_as_is(by=request.user, theme=theme, recommendation_id=pk)
    except services.FollowUpRefused as refused:
        messages.error(request, str(refused))
        return see_other(reverse("recommendations_staff:theme", kwargs={"theme_id": theme.pk}))
    messages.success(request, _("The recommendation goes to the board as it is."))
    return see_other(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))


# ---------------------------------------------------------------------------
# A synthesis


class CommentForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=TEXT_MAX,
        help_text=gettext_lazy("Markdown."),
    )


def _synthesis(request: AuthenticatedRequest, pk: int) -> Synthesis:
    synthesis: Synthesis = get_object_or_404(Synthesis.objects.select_related("edition", "theme", "info_event"), pk=pk)
    require(request.user, "recommendations.view_synthesis", synthesis)
    return synthesis


def _synthesis_page(request: AuthenticatedRequest, synthesis: Synthesis, form: CommentForm | None = None) -> Any:
    sources = synthesis.source_links.select_related("recommendation__group__office").order_by("position")
    comments = Paginator(synthesis.comments.select_related("author", "group").order_by("created_at"), 50).get_page(
        request.GET.get("page")
    )
    context = {
        "synthesis": synthesis,
        "sources": sources,
        "comments": comments,
        "form": form or CommentForm(),
        "can_comment": request.user.has_perm("recommendations.comment_synthesis", synthesis),
        "can_manage": request.user.has_perm("recommendations.synthesise"),
        "decision": BoardDecision.objects.filter(synthesis=synthesis).first(),
        "query": "",
    }
    return render(request, "recommendations/staff/synthesis.html", context)


@login_required
@require_safe
def synthesis_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _synthesis_page(request, _synthesis(request, pk))


@login_required
@require_POST
def comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    synthesis = _synthesis(request, pk)
    require(request.user, "recommendations.comment_synthesis", synthesis)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_on_synthesis(
                by=request.user, synthesis=synthesis, text=form.cleaned_data["text"], language=get_language() or "nl"
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Your comment is added."))
            return see_other(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))
    return _synthesis_page(request, synthesis, form)


ACTIONS: dict[str, Any] = {
    "send-to-groups": services.send_to_groups,
    "open-to-members": services.open_to_all_members,
    "send-to-board": services.send_to_board,
}


@login_required
@require_POST
def act(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    require(request.user, "recommendations.synthesise")
    synthesis = get_object_or_404(Synthesis, pk=pk)
    if action not in ACTIONS:
        raise Http404
    try:
        result = ACTIONS[action](by=request.user, synthesis=synthesis)
    except services.FollowUpRefused as refused:
        messages.error(request, str(refused))
    else:
        if action == "send-to-groups":
            messages.success(request, _("The groups concerned are told (%(count)s people).") % {"count": result})
        elif action == "open-to-members":
            messages.success(request, _("Every member may now read and comment on this synthesis."))
        else:
            messages.success(request, _("The synthesis is in the board's bundle."))
    return see_other(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))


def info_moment_initial(synthesis: Synthesis, *, now: Any = None) -> dict[str, Any]:
    """The event form prefilled for the synthesis' info moment: its title and a link to the synthesis in each
    language, the theme and edition, a presentation for members in two weeks at 19:00 (Brussels)."""
    from datetime import datetime, time, timedelta

    from coopsip.editions.phases import BRUSSELS
    from coopsip.events.models import Attendance, Audience, EventFormat, EventKind

    day = (now or timezone.now()).astimezone(BRUSSELS).date() + timedelta(days=14)
    initial: dict[str, Any] = {
        "kind": EventKind.INFO_SESSION,
        "format": EventFormat.PRESENTATION,
        "theme": synthesis.theme_id,
        "edition": synthesis.edition_id,
        "attendance": Attendance.ONLINE,
        "audience": Audience.MEMBERS,
        "starts_at": datetime.combine(day, time(19, 0), tzinfo=BRUSSELS),
        "ends_at": datetime.combine(day, time(20, 30), tzinfo=BRUSSELS),
    }
    for code, _name in LANGUAGE_CHOICES:
        with translation.override(code):
            title = getattr(synthesis, f"title_{code}", "") or synthesis.title
            url = settings.SITE_URL + reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk})
            initial[f"title_{code}"] = _("Info moment: %(title)s") % {"title": title}
            initial[f"description_{code}"] = _(
                "The team presents the synthesis of the recommendations on this theme. Every member may read "
                "it and comment on it before it goes to the board: %(url)s"
            ) % {"url": url}
    return initial


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def info_moment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Open the synthesis to every member and create its info moment (an event) in one step."""
    from coopsip.events.organise_forms import EventForm
    from coopsip.events.services import EventInvalid

    require(request.user, "recommendations.synthesise")
    require(request.user, "events.create")
    synthesis: Synthesis = get_object_or_404(Synthesis.objects.select_related("theme", "edition"), pk=pk)
    form = EventForm(request.POST if request.method == "POST" else None, initial=info_moment_initial(synthesis))
    if request.method == "POST" and form.is_valid():
        try:
            services.open_with_info_moment(by=request.user, synthesis=synthesis, event=form.to_input())
        except EventInvalid as invalid:
            for name, message in invalid.errors.items():
                form.add_error(name if name in form.fields else None, message)
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(
                request, _("Every member may now read and comment on this synthesis; the info moment is planned.")
            )
            return see_other(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))
    status = 400 if form.errors else 200
    return render(
        request, "recommendations/staff/info_moment.html", {"synthesis": synthesis, "form": form}, status=status
    )


def _translated_fields(prefix: str, label: str, *, max_length: int, textarea: bool) -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for code, name in LANGUAGE_CHOICES:
        widget = forms.Textarea(attrs={"rows": 6}) if textarea else forms.TextInput()
        fields[f"{prefix}_{code}"] = forms.CharField(
            label=f"{label} ({name})", max_length=max_length, required=False, widget=widget
        )
    return fields


def translated_form(
    specs: list[tuple[str, str, int, bool]], data: Any = None, initial: dict[str, Any] | None = None
) -> forms.Form:
    form_fields: dict[str, forms.Field] = {}
    for prefix, label, max_length, textarea in specs:
        form_fields |= _translated_fields(prefix, label, max_length=max_length, textarea=textarea)
    form_class = type("TranslatedForm", (forms.Form,), form_fields)
    return form_class(data, initial=initial)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.synthesise")
    synthesis = get_object_or_404(Synthesis, pk=pk)
    specs = [("title", _("Title"), TITLE_MAX, False), ("text", _("Text"), TEXT_MAX, True)]
    initial = {f"{f}_{c}": getattr(synthesis, f"{f}_{c}") or "" for f in ("title", "text") for c in ("nl", "fr", "en")}
    form = translated_form(specs, request.POST if request.method == "POST" else None, initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.edit_synthesis(
                by=request.user,
                synthesis=synthesis,
                titles={c: data[f"title_{c}"] for c in ("nl", "fr", "en")},
                texts={c: data[f"text_{c}"] for c in ("nl", "fr", "en")},
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The synthesis is saved."))
            return see_other(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))
    return render(request, "recommendations/staff/edit.html", {"synthesis": synthesis, "form": form})


# ---------------------------------------------------------------------------
# Follow-up projects


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def create_project(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.manage_projects")
    decision = get_object_or_404(BoardDecision, pk=pk)
    specs = [("title", _("Title"), TITLE_MAX, False), ("description", _("Description"), TEXT_MAX, True)]
    form = translated_form(specs, request.POST if request.method == "POST" else None)
    form.fields["responsible_team"] = forms.CharField(label=_("Responsible team"), max_length=200, required=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            project = services.create_project(
                by=request.user,
                decision=decision,
                titles={c: data[f"title_{c}"] for c in ("nl", "fr", "en")},
                descriptions={c: data[f"description_{c}"] for c in ("nl", "fr", "en")},
                responsible_team=data["responsible_team"],
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            return see_other(reverse("recommendations_staff:project", kwargs={"pk": project.pk}))
    return render(request, "recommendations/staff/create_project.html", {"decision": decision, "form": form})


class ProjectStatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ProjectStatus.choices)
    progress = forms.IntegerField(label=gettext_lazy("Progress (%)"), min_value=0, max_value=100)


class MilestoneForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=TITLE_MAX)
    due_on = forms.DateField(
        label=gettext_lazy("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class UpdateForm(forms.Form):
    text = forms.CharField(label=gettext_lazy("Update"), widget=forms.Textarea(attrs={"rows": 4}), max_length=TEXT_MAX)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def project_page(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.manage_projects")
    project: FollowUpProject = get_object_or_404(FollowUpProject.objects.select_related("decision"), pk=pk)
    status_form = ProjectStatusForm(initial={"status": project.status, "progress": project.progress})
    milestone_form = MilestoneForm()
    update_form = UpdateForm()
    if request.method == "POST":
        which = request.POST.get("form", "")
        try:
            if which == "status":
                status_form = ProjectStatusForm(request.POST)
                if status_form.is_valid():
                    services.change_project(by=request.user, project=project, **status_form.cleaned_data)
                    return _saved(request, project)
            elif which == "milestone":
                milestone_form = MilestoneForm(request.POST)
                if milestone_form.is_valid():
                    services.add_milestone(
                        by=request.user,
                        project=project,
                        titles={get_language() or "nl": milestone_form.cleaned_data["title"]},
                        due_on=milestone_form.cleaned_data["due_on"],
                    )
                    return _saved(request, project)
            elif which == "reached":
                milestone = get_object_or_404(project.milestones, pk=request.POST.get("milestone", "0"))
                services.reach_milestone(by=request.user, milestone=milestone, on=timezone.localdate())
                return _saved(request, project)
            elif which == "update":
                update_form = UpdateForm(request.POST)
                if update_form.is_valid():
                    services.post_project_update(
                        by=request.user,
                        project=project,
                        text=update_form.cleaned_data["text"],
                        language=get_language() or "nl",
                        on=timezone.localdate(),
                    )
                    return _saved(request, project)
        except services.FollowUpRefused as refused:
            messages.error(request, str(refused))
    context = {
        "project": project,
        "status_form": status_form,
        "milestone_form": milestone_form,
        "update_form": update_form,
        "milestones": project.milestones.all(),
        "updates": project.updates.all()[:20],
    }
    return render(request, "recommendations/staff/project.html", context)


def _saved(request: AuthenticatedRequest, project: FollowUpProject) -> HttpResponse:
    messages.success(request, _("Saved."))
    return see_other(reverse("recommendations_staff:project", kwargs={"pk": project.pk}))
