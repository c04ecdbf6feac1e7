"""The yearly publication (per theme: goals, recommendations, decisions, actions, test projects) and PDFs.

The web page and the PDF are the same template; the PDF is an A4 booklet made by WeasyPrint (a cover,
the contents with page numbers, page numbers in the footer). WeasyPrint needs Debian's Pango: when it
cannot be imported or fails, the PDF address answers with a page that says so (503) and links the web
version, which always works.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coopsip.core.access import require
from coopsip.core.audit import record_change
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.recommendations import selectors_followup as selectors
from coopsip.recommendations.models import (
    BoardDecision,
    FollowUpProject,
    Publication,
    Recommendation,
    SynthesisSource,
    TestProject,
    TestProjectStatus,
)

logger = logging.getLogger(__name__)
LANGUAGES = ("nl", "fr", "en")


# ---------------------------------------------------------------------------
# PDF


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Python package is there but Pango is not
        return False
    return True


# ``lang`` attributes inside the body: the web page keeps them (screen readers, hyphenation); WeasyPrint's PDF is
# not tagged, so they change nothing a reader sees there, but each change of language costs Pango a new layout
# context (a fifth of the booklet's CPU time, bench/README.md). The document's own language stays.
_INNER_LANG = re.compile(r'(<(?!html\b)[a-zA-Z][^<>]*?)\slang="[a-zA-Z-]{2,8}"')
PDF_CACHE_SECONDS = 24 * 3600


def _for_pdf(html: str) -> str:
    return _INNER_LANG.sub(r"\1", html)


def render_pdf(html: str, *, base_url: str) -> bytes | None:
    """The PDF of ``html``, or None when WeasyPrint cannot make it (logged).

    A PDF is kept in the cache under the hash of its HTML: the same content is laid out once (the booklet of 200
    recommendations takes seconds of CPU), and any change of the text, a decision or a project makes new HTML,
    so a stale PDF is never served.
    """
    key = "recommendations:pdf:" + hashlib.sha256(f"{base_url}\n{html}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return bytes(cached)
    try:
        import weasyprint
    except (ImportError, OSError):
        logger.warning("WeasyPrint cannot be imported (is Debian's Pango installed?)")
        return None
    # WeasyPrint logs every layout step at INFO: a line per page in the server's log is noise.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
    try:
        pdf: bytes = weasyprint.HTML(string=_for_pdf(html), base_url=base_url).write_pdf()
    except Exception:  # a broken font or image must not take the page down with it
        logger.exception("WeasyPrint could not make the PDF")
        return None
    cache.set(key, pdf, PDF_CACHE_SECONDS)
    return pdf


def render_html(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    return render_to_string(template, context, request=request)


def pdf_response(request: HttpRequest, html: str, *, filename: str, web_url: str = "") -> HttpResponse:
    pdf = render_pdf(html, base_url=request.build_absolute_uri("/"))
    if pdf is None:
        response = render(request, "recommendations/publication/pdf_unavailable.html", {"web_url": web_url})
        response.status_code = 503
        return response
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


# ---------------------------------------------------------------------------
# What the publication says


def summary(edition: Edition) -> list[dict[str, Any]]:
    """Per theme of the edition: its goals, what the board decided on with its published decision, the projects
    that came of them (the actions) and the test projects with their evaluation. A fixed number of queries.

    Each row of ``recommendations`` is what the board decided on: a recommendation kept as it is
    (``{"recommendation", "decision"}``), or a synthesis that merged several, shown once with the recommendations
    of the groups it came from (``{"synthesis", "sources", "decision"}``)."""
    recommendations = list(
        selectors.with_outcome(
            Recommendation.objects.filter(edition=edition).filter(selectors.has_published_decision())
        ).order_by("theme__position", "pk")
    )
    decision_ids = {rec.decision_pk for rec in recommendations if rec.decision_pk}  # type: ignore[attr-defined]
    decisions = {
        d.pk: d
        for d in BoardDecision.objects.filter(pk__in=decision_ids)
        .select_related("synthesis")
        .prefetch_related(
            Prefetch("projects", queryset=FollowUpProject.objects.filter(public=True).prefetch_related("milestones")),
            Prefetch(
                "synthesis__source_links",
                queryset=SynthesisSource.objects.select_related("recommendation__group__office"),
            ),
        )
    }
    tests = list(
        TestProject.objects.filter(group__edition=edition, status=TestProjectStatus.EVALUATED)
        .select_related("evaluation", "group__theme", "recommendation")
        .order_by("pk")
    )
    themes: dict[int, dict[str, Any]] = {
        theme.pk: {"theme": theme, "recommendations": [], "projects": [], "tests": []}
        for theme in edition.themes.order_by("position", "pk")
    }
    seen_decisions: set[int] = set()
    seen_projects: set[int] = set()
    for rec in recommendations:
        decision = decisions.get(rec.decision_pk)  # type: ignore[attr-defined]
        entry = themes.setdefault(
            rec.theme_id, {"theme": rec.theme, "recommendations": [], "projects": [], "tests": []}
        )
        if decision is not None and decision.pk in seen_decisions:
            continue  # another source of a synthesis already shown
        links = list(decision.synthesis.source_links.all()) if decision and decision.synthesis else []
        if decision is not None and len(links) > 1:
            seen_decisions.add(decision.pk)
            entry["recommendations"].append(
                {
                    "synthesis": decision.synthesis,
                    "sources": [link.recommendation for link in links],
                    "decision": decision,
                }
            )
        else:
            entry["recommendations"].append({"recommendation": rec, "decision": decision})
        if decision is not None:
            for project in decision.projects.all():
                if project.pk not in seen_projects:
                    seen_projects.add(project.pk)
                    entry["projects"].append(project)
    for test in tests:
        themes[test.group.theme_id]["tests"].append(test)
    return [entry for entry in themes.values() if entry["recommendations"] or entry["tests"]]


def _publication(edition: Edition) -> Publication | None:
    return Publication.objects.filter(edition=edition).first()


def _readable_edition(request: HttpRequest, slug: str) -> Edition:
    edition = get_object_or_404(Edition, slug=slug, published_at__isnull=False)
    if not request.user.has_perm("recommendations.view_publication", edition):
        if request.user.is_authenticated:
            require(request.user, "recommendations.view_publication", edition)
        raise Http404
    return edition


def _context(edition: Edition) -> dict[str, Any]:
    return {"edition": edition, "themes": summary(edition), "publication": _publication(edition)}


@require_safe
def page(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _readable_edition(request, slug)
    context = _context(edition) | {"pdf_available": pdf_available(), "pdf_languages": LANGUAGES}
    return render(request, "recommendations/publication/page.html", context)


@require_safe
def pdf(request: HttpRequest, slug: str, language: str) -> HttpResponse:
    edition = _readable_edition(request, slug)
    if language not in LANGUAGES:
        raise Http404
    with translation.override(language):
        html = render_html(request, "recommendations/publication/booklet.html", _context(edition))
        web_url = reverse("recommendations_public:publication", kwargs={"slug": edition.slug})
    return pdf_response(request, html, filename=f"smart-in-progress-{edition.slug}-{language}.pdf", web_url=web_url)


# ---------------------------------------------------------------------------
# Staff publish it


@transaction.atomic
def set_published(*, by: Any, edition: Edition, published: bool) -> Publication:
    """Show (or take back) the edition's yearly publication in its archive page.

    Publishing what is already published changes nothing (it keeps its first date and who published it)."""
    publication, _created = Publication.objects.select_for_update().get_or_create(edition=edition)
    if published and publication.published_at is not None:
        return publication
    publication.published_at = timezone.now() if published else None
    publication.published_by = by if published else None
    publication.save()
    record_change(actor=by, obj=publication, action="update", changes={"published": published})
    return publication


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def manage(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require(request.user, "recommendations.publish")
    edition = get_object_or_404(Edition, slug=slug)
    if request.method == "POST":
        published = request.POST.get("published") == "1"
        set_published(by=request.user, edition=edition, published=published)
        messages.success(
            request,
            _("The publication is in the edition's archive.") if published else _("The publication is taken back."),
        )
        return see_other(reverse("recommendations_staff:publication", kwargs={"slug": edition.slug}))
    context = _context(edition) | {"pdf_languages": LANGUAGES, "site_url": settings.SITE_URL}
    return render(request, "recommendations/publication/manage.html", context)
