"""The public pages of editions: what a visitor reads. Staff may preview drafts here too."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_safe

from coopsip.editions.ical import edition_calendar
from coopsip.editions.models import Edition
from coopsip.editions.selectors import (
    archive_editions,
    edition_for_public,
    next_public_date,
    theme_for_public,
    timeline_rows,
)

EDITIONS_PER_PAGE = 10

STAKEHOLDER_LABELS = {
    "client": _("clients"),
    "partner": _("partners"),
    "employee": _("employees"),
    "permanent_staff": pgettext_lazy("people admitted to an edition", "permanent staff"),
}


def _visible_edition(request: HttpRequest, slug: str) -> Edition:
    """The edition at ``slug`` if this reader may see it: every page of an edition goes through here.

    A draft is a 404 for everyone except staff who may preview it.
    """
    edition = edition_for_public(slug=slug, preview=request.user.has_perm("editions.preview"))
    if edition is None:
        raise Http404
    return edition


@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    # Bounded: one edition a year, but each with its themes and offices.
    page = Paginator(archive_editions(), EDITIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "editions/archive.html", {"editions": page.object_list, "page": page})


@require_GET
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _visible_edition(request, slug)
    now = timezone.now()
    context = {
        "edition": edition,
        "timeline": timeline_rows(phases=list(edition.phases.all()), moment=now),
        "next_date": next_public_date(edition=edition, moment=now),
        "admitted": [STAKEHOLDER_LABELS[name] for name in edition.admitted_stakeholder_types],
        "registration_state": _registration_state(edition, now),
    }
    return render(request, "editions/detail.html", context)


def _registration_state(edition: Edition, now: datetime) -> str:
    opens, closes = edition.registration_opens_at, edition.registration_closes_at
    if opens is None or closes is None:
        return ""
    return "upcoming" if now < opens else "open" if now < closes else "closed"


@require_GET
def theme(request: HttpRequest, slug: str, theme_slug: str) -> HttpResponse:
    edition = _visible_edition(request, slug)
    found = theme_for_public(edition=edition, slug=theme_slug)
    if found is None:
        raise Http404
    # The theme it continues gets a link only where the reader may follow it.
    extends = found.extends
    link_extended = extends is not None and (extends.edition.is_published or request.user.has_perm("editions.preview"))
    return render(request, "editions/theme.html", {"edition": edition, "theme": found, "link_extended": link_extended})


@require_GET
def faq(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _visible_edition(request, slug)
    context = {
        "edition": edition,
        "items": edition.faq.all(),
        "edition_contact": edition.contact_email or settings.COOPSIP_CONTACT_EMAIL,
    }
    return render(request, "editions/faq.html", context)


@require_safe  # calendar apps may ask with HEAD whether the feed changed
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    edition = _visible_edition(request, slug)
    page_url = request.build_absolute_uri(reverse("editions:detail", kwargs={"slug": edition.slug}))
    body = edition_calendar(edition=edition, page_url=page_url)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="coopsip-{edition.slug}.ics"'
    return response
