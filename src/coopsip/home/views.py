from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from coopsip.core import personal_home
from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest
from coopsip.editions.selectors import current_edition, next_public_date, timeline_rows
from coopsip.places.models import Country
from coopsip.registrations.eligibility import person_refusal
from coopsip.registrations.models import Registration, RegistrationStatus


def _country_of(request: HttpRequest) -> str:
    """A person who lives in France sees France's edition; everyone else Belgium's."""
    municipality = getattr(request.user, "municipality", None)
    return municipality.country if municipality is not None else Country.BELGIUM


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    edition = current_edition(country=_country_of(request))
    context: dict[str, object] = {"edition": edition}
    if edition is not None:
        now = timezone.now()
        context |= {
            "timeline": timeline_rows(phases=list(edition.phases.all()), moment=now),
            "next_date": next_public_date(edition=edition, moment=now),
            # Someone already registered is offered their registration, never "Register" again.
            "my_registration": (
                Registration.objects.filter(edition=edition, user=request.user)
                .exclude(status=RegistrationStatus.WITHDRAWN)
                .first()
                if request.user.is_authenticated
                else None
            ),
        }
    return render(request, "home/index.html", context)


@login_required
@require_safe
def me(request: HttpRequest) -> HttpResponse:
    """ "My Smart in Progress": what each app says the person should see or do now, most urgent first."""
    require(request.user, "core.view_personal_home")
    items = personal_home.items_for(request.user)
    context: dict[str, object] = {"items": items}
    if not items:
        # Nothing waiting: say what the person can do next rather than leave an empty page.
        edition = current_edition(country=_country_of(request))
        context |= {
            "edition": edition,
            # Offered only to whom may register (members, and the stakeholders the edition admits): never a refusal.
            "registration_open": edition is not None
            and edition.status == "registration_open"
            and person_refusal(edition, request.user) is None,
            "linked": getattr(request.user, "register_entry", None) is not None,
        }
    return render(request, "home/me.html", context)


@login_required
@require_safe
def my_registration(request: AuthenticatedRequest) -> HttpResponse:
    """The header's "My registration": the person's registration in an edition not over, else the edition."""
    require(request.user, "core.view_personal_home")
    slug = (
        Registration.objects.filter(user=request.user, edition__ends_on__gte=timezone.localdate())
        .exclude(status=RegistrationStatus.WITHDRAWN)
        .order_by("-edition__starts_on")
        .values_list("edition__slug", flat=True)
        .first()
    )
    if slug:
        return redirect("registrations:mine", slug=slug)
    edition = current_edition(country=_country_of(request))
    if edition is not None:
        return redirect(reverse("editions:detail", kwargs={"slug": edition.slug}))
    return redirect("home:me")
