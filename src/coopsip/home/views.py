from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from coopsip.core import personal_home
from coopsip.core.access import require
from coopsip.editions.selectors import current_edition, next_public_date, timeline_rows
from coopsip.places.models import Country


def _country_of(request: HttpRequest) -> str:
    """A person who lives in France sees France's edition; everyone else Belgium's."""
    municipality = getattr(request.user, "municipality", None)
    return municipality.country if municipality is not None else Country.BELGIUM


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    edition = current_edition(country=_country_of(request))
    context: dict[str, object] = {"edition": edition}
    if edition is not None:
        now = timezone.now()
        context |= {
            "timeline": timeline_rows(phases=list(edition.phases.all()), moment=now),
            "next_date": next_public_date(edition=edition, moment=now),
        }
    return render(request, "home/index.html", context)


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """ "My Smart in Progress": what each app says the person should see or do now, most urgent first."""
    require(request.user, "core.view_personal_home")
    return render(request, "home/me.html", {"items": personal_home.items_for(request.user)})
