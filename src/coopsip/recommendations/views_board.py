"""The board's side: the edition's bundle (page and PDF), a decision per synthesis or recommendation, publishing.

Decide first, publish later: decisions are recorded one by one and published together when the board chooses.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.recommendations import publication
from coopsip.recommendations import selectors_followup as selectors
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import (
    TEXT_MAX,
    BoardDecision,
    DecisionKind,
    Recommendation,
    RecommendationStatus,
    Synthesis,
)

LANGUAGES = [("nl", "Nederlands"), ("fr", "Français"), ("en", "English")]


class DecisionForm(forms.Form):
    # No decision is chosen in advance: the board chooses one on purpose.
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=[("", gettext_lazy("Choose a decision")), *DecisionKind.choices]
    )
    meeting_date = forms.DateField(
        label=gettext_lazy("Board meeting"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    answer_nl = forms.CharField(
        label=gettext_lazy("Answer in Dutch"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=TEXT_MAX,
    )  # fmt: skip
    answer_fr = forms.CharField(
        label=gettext_lazy("Answer in French"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=TEXT_MAX,
    )  # fmt: skip
    answer_en = forms.CharField(
        label=gettext_lazy("Answer in English"), widget=forms.Textarea(attrs={"rows": 4}), required=False,
        max_length=TEXT_MAX,
        help_text=gettext_lazy("Markdown. A language left empty shows another one, with a note saying so."),
    )  # fmt: skip


def _edition(request: AuthenticatedRequest, slug: str) -> Edition:
    require(request.user, "recommendations.view_bundle")
    return get_object_or_404(Edition, slug=slug)


@login_required
@require_safe
def bundle(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    context = {
        "edition": edition,
        "themes": selectors.bundle(edition),
        "unpublished": selectors_unpublished(edition),
        "can_decide": request.user.has_perm("recommendations.decide"),
        "pdf_available": publication.pdf_available(),
    }
    return render(request, "recommendations/board/bundle.html", context)


def selectors_unpublished(edition: Edition) -> int:
    return int(services.unpublished_decisions(edition).count())


@login_required
@require_safe
def bundle_pdf(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition(request, slug)
    html = publication.render_html(
        request, "recommendations/board/bundle_pdf.html", {"edition": edition, "themes": selectors.bundle(edition)}
    )
    return publication.pdf_response(request, html, filename=f"bundle-{edition.slug}.pdf")


def _decide(request: AuthenticatedRequest, *, target: Any, existing: BoardDecision | None, **on: Any) -> HttpResponse:
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {
            "decision": existing.decision,
            "meeting_date": existing.meeting_date,
            **{f"answer_{code}": getattr(existing, f"answer_{code}") or "" for code, _name in LANGUAGES},
        }
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    edition = target.edition
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_decision(
                by=request.user,
                decision=data["decision"],
                meeting_date=data["meeting_date"],
                answers={code: data[f"answer_{code}"] for code, _name in LANGUAGES},
                **on,
            )
        except services.FollowUpRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The decision is recorded. It is published with the others when you choose."))
            return see_other(reverse("recommendations_board:bundle", kwargs={"slug": edition.slug}))
    return render(
        request,
        "recommendations/board/decide.html",
        {"form": form, "target": target, "existing": existing, "edition": edition},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide_synthesis(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.decide")
    synthesis: Synthesis = get_object_or_404(Synthesis.objects.select_related("edition"), pk=pk)
    existing = BoardDecision.objects.filter(synthesis=synthesis).first()
    return _decide(request, target=synthesis, existing=existing, synthesis=synthesis)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide_recommendation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "recommendations.decide")
    recommendation = get_object_or_404(Recommendation.objects.select_related("edition"), pk=pk)
    # The board never reads a group's drafts; a withdrawn one is refused by the service, with the reason.
    if recommendation.status in (
        RecommendationStatus.DRAFT,
        RecommendationStatus.CONSENT,
        RecommendationStatus.ADOPTED,
    ):
        raise PermissionDenied("recommendations.view_draft")
    existing = BoardDecision.objects.filter(recommendation=recommendation).first()
    refused = ""
    if recommendation.status == RecommendationStatus.WITHDRAWN:
        refused = _("This recommendation was withdrawn by its group: the board cannot decide on it.")
    elif recommendation.synthesis_links.exists():
        refused = _("This recommendation is part of a synthesis: the board decides on the synthesis.")
    if refused:
        # Nothing to decide: the page says why instead of offering a form that would be refused.
        return render(
            request,
            "recommendations/board/decide.html",
            {"target": recommendation, "existing": existing, "edition": recommendation.edition, "refused": refused},
        )
    return _decide(request, target=recommendation, existing=existing, recommendation=recommendation)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """A confirmation page, then every recorded decision of the edition is published together."""
    require(request.user, "recommendations.decide")
    edition = get_object_or_404(Edition, slug=slug)
    waiting = list(services.unpublished_decisions(edition).select_related("synthesis", "recommendation"))
    if request.method == "POST":
        result = services.publish_decisions(by=request.user, edition=edition)
        published = ngettext(
            "%(count)s decision is published.", "%(count)s decisions are published.", result.decisions
        ) % {"count": result.decisions}
        told = ngettext(
            "%(people)s member of the groups concerned is told.",
            "%(people)s members of the groups concerned are told.",
            result.people_told,
        ) % {"people": result.people_told}
        messages.success(request, f"{published} {told}")
        return see_other(reverse("recommendations_board:bundle", kwargs={"slug": edition.slug}))
    return render(request, "recommendations/board/publish.html", {"edition": edition, "waiting": waiting})
