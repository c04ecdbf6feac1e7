"""Public pages: "What became of our recommendations" (every recommendation since 2015) and each one's journey.

Visitors see recommendations whose board decision is published; staff and the board also see submitted ones
waiting for a decision, and the group its own (``recommendations.view_journey`` in ``core.access``).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from coopsip.core.access import is_board_member, is_staff_member, require
from coopsip.core.http import Request
from coopsip.editions.models import Edition, Theme
from coopsip.recommendations import selectors_followup as selectors
from coopsip.recommendations.models import DecisionKind, ProjectStatus, Recommendation
from coopsip.registrations.exports import escape_cell

PAGE_SIZE = 25


class OutcomeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Words"),
        required=False,
        max_length=200,
        help_text=_(
            "Search the texts in the language they were written in: most are in Dutch or French. "
            "“comité” also finds “comités”."
        ),
    )
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


def _filtered(request: Request) -> tuple[OutcomeFilterForm, QuerySet[Recommendation]]:
    """The filter form and the recommendations it keeps (the page and the CSV use the same ones)."""
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
            query=values.get("q") or "",
        )
    )
    return form, rows


@require_safe
def outcomes(request: Request) -> HttpResponse:
    form, rows = _filtered(request)
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


class _Echo:
    def write(self, value: str) -> str:
        return value


CSV_CHUNK = 500


def _csv_lines(rows: QuerySet[Recommendation], site_url: str) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    decisions = dict(DecisionKind.choices)
    projects = dict(ProjectStatus.choices)
    yield "\ufeff" + writer.writerow(
        [
            gettext_now("Recommendation"),
            gettext_now("Language"),
            gettext_now("Edition"),
            gettext_now("Theme"),
            gettext_now("Decision"),
            gettext_now("Project"),
            gettext_now("Web address"),
        ]
    )
    for rec in rows.iterator(chunk_size=CSV_CHUNK):
        row = [
            rec.title,
            rec.language,
            rec.edition.title,
            rec.theme.title,
            str(decisions.get(rec.decision_kind, "")),  # type: ignore[attr-defined]
            str(projects.get(rec.project_status, "")),  # type: ignore[attr-defined]
            site_url + reverse("recommendations_public:detail", kwargs={"pk": rec.pk}),
        ]
        yield writer.writerow([escape_cell(str(value)) for value in row])


@require_safe
def outcomes_csv(request: Request) -> StreamingHttpResponse:
    """The public list as CSV, with the page's filters and search, streamed (every row, not one page)."""
    _form, rows = _filtered(request)
    response = StreamingHttpResponse(_csv_lines(rows, settings.SITE_URL), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="what-became-of-our-recommendations.csv"'
    return response
