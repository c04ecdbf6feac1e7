"""Public pages: "What became of our recommendations" (every recommendation since 2015) and each one's journey.

Visitors see recommendations whose board decision is published; staff and the board also see submitted ones
waiting for a decision, and the group its own (``recommendations.view_journey`` in ``core.access``).
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from coopsip.core.access import is_board_member, is_staff_member, require
from coopsip.core.http import Request
from coopsip.editions.models import Edition, Theme
from coopsip.recommendations import selectors_followup as selectors
from coopsip.recommendations.models import DecisionKind, ProjectStatus, Recommendation

PAGE_SIZE = 25


class OutcomeFilterForm(forms.Form):
    edition = forms.ChoiceField(label=_("Edition"), required=False)
    theme = forms.TypedChoiceField(label=_("Theme"), required=False, coerce=int, empty_value=None)
    decision = forms.ChoiceField(
        label=_("Decision"), required=False, choices=[("", _("Any decision")), *DecisionKind.choices]
    )
    project = forms.ChoiceField(
        label=_("Project"),
        required=False,
        choices=[("", _("Any")), *ProjectStatus.choices, (selectors.NO_PROJECT, _("No project"))],
    )

    def __init__(self, *args: object, editions: list[Edition], themes: list[Theme], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["edition"].choices = [("", _("Every edition")), *((e.slug, e.title) for e in editions)]  # type: ignore[attr-defined]
        self.fields["theme"].choices = [("", _("Every theme")), *((t.pk, t.title) for t in themes)]  # type: ignore[attr-defined]


@require_safe
def outcomes(request: Request) -> HttpResponse:
    editions = list(Edition.objects.filter(published_at__isnull=False).order_by("-starts_on"))
    edition_slug = request.GET.get("edition", "")
    themes = list(Theme.objects.filter(edition__slug=edition_slug).order_by("position")) if edition_slug else []
    form = OutcomeFilterForm(request.GET or None, editions=editions, themes=themes)
    values = form.cleaned_data if form.is_valid() else {}
    rows = selectors.outcomes(
        selectors.OutcomeFilter(
            edition=values.get("edition") or "",
            theme=values.get("theme"),
            decision=values.get("decision") or "",
            project=values.get("project") or "",
        )
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "recommendations/public/outcomes.html",
        {"form": form, "page": page, "query": query.urlencode(), "decisions": dict(DecisionKind.choices)},
    )


@require_safe
def detail(request: Request, pk: int) -> HttpResponse:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related("edition", "theme", "group__office"), pk=pk
    )
    if not request.user.has_perm("recommendations.view_journey", recommendation):
        if request.user.is_authenticated:
            require(request.user, "recommendations.view_journey", recommendation)
        raise Http404  # a visitor learns nothing of a recommendation that is not public
    staff_or_board = is_staff_member(request.user) or is_board_member(request.user)
    from coopsip.core.access import in_recommendations_group

    context = selectors.journey(
        recommendation,
        show_unpublished=staff_or_board,
        show_group_work=staff_or_board or in_recommendations_group(request.user, recommendation),
    )
    return render(
        request,
        "recommendations/public/detail.html",
        {"recommendation": recommendation, "decisions": dict(DecisionKind.choices), **context},
    )
