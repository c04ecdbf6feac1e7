"""The member side of registration ("Ik neem deel"): register or change, see one's registration, withdraw.

A person only ever reaches their own registration: it is looked up by the
edition and the logged-in user, never by an id from the request.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coopsip.accounts.models import SPOKEN_LANGUAGES
from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest
from coopsip.editions.models import Edition
from coopsip.editions.selectors import edition_for_public
from coopsip.registrations.eligibility import Refusal, refusal
from coopsip.registrations.forms import THEME_FIELDS, RegistrationForm, WithdrawForm
from coopsip.registrations.models import CommitmentKind, DayPart, Registration
from coopsip.registrations.services import (
    RegistrationInvalid,
    RegistrationRefused,
    submit_registration,
    withdraw_registration,
)

# Refusals about the calendar, not about the person: the page is an answer, not an error.
WINDOW_REFUSALS = {"not_open", "closed", "no_registration"}


@login_required
@require_http_methods(["GET", "POST"])
def register(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The registration form; for a person already registered, the same form to change it."""
    edition = _visible_edition(request, slug)
    user = request.user
    registration = Registration.objects.filter(edition=edition, user=user).first()
    if registration is not None:
        require(user, "registrations.change_registration", registration)
    refused = refusal(edition, user, timezone.now())
    if refused is not None:
        return _refused(request, edition, refused, registration)
    if request.method == "POST":
        form = RegistrationForm(request.POST, edition=edition, user=user)
        if form.is_valid():
            try:
                submit_registration(user=user, edition=edition, data=form.registration_input())
            except RegistrationRefused as exc:
                return _refused(request, edition, exc.refusal, registration)
            except RegistrationInvalid as exc:
                form.add_service_errors(exc.errors)
            else:
                messages.success(request, _registered_message(registration))
                return redirect("registrations:mine", slug=edition.slug)
    else:
        initial = RegistrationForm.initial_for(user=user, edition=edition, registration=registration)
        if request.htmx:
            # The country changed: the themes of that country, keeping what was chosen.
            initial |= {name: request.GET[name] for name in ("country", *THEME_FIELDS) if name in request.GET}
        form = RegistrationForm(initial=initial, edition=edition, user=user)
    partial = request.htmx and request.method == "GET"
    template = "registrations/register.html#themes" if partial else "registrations/register.html"
    context = {"edition": edition, "form": form, "registration": registration}
    return render(request, template, context, status=400 if form.errors else 200)


@login_required
@require_GET
def mine(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    registration = _own_registration(request, slug)
    return render(request, "registrations/mine.html", _mine_context(request, registration, WithdrawForm()))


@login_required
@require_POST
def withdraw(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Withdraw at any time, with an optional reason; the Cooperative Life team is told."""
    registration = _own_registration(request, slug)
    require(request.user, "registrations.change_registration", registration)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return render(request, "registrations/mine.html", _mine_context(request, registration, form), status=400)
    if registration.is_active:
        withdraw_registration(registration=registration, reason=form.cleaned_data["reason"])
        messages.success(request, _("Your registration is withdrawn. The Cooperative Life team is told."))
    return redirect("registrations:mine", slug=slug)


def _visible_edition(request: AuthenticatedRequest, slug: str) -> Edition:
    edition = edition_for_public(slug=slug, preview=request.user.has_perm("editions.preview"))
    if edition is None:
        raise Http404
    return edition


def _own_registration(request: AuthenticatedRequest, slug: str) -> Registration:
    registration = (
        Registration.objects.filter(user=request.user, edition__slug=slug)
        .select_related("edition", "office", "municipality")
        .prefetch_related("preferences__theme", "slots", "commitments")
        .first()
    )
    if registration is None:
        raise Http404
    require(request.user, "registrations.view_registration", registration)
    return registration


def _mine_context(request: AuthenticatedRequest, registration: Registration, form: WithdrawForm) -> dict[str, object]:
    edition = registration.edition
    return {
        "edition": edition,
        "registration": registration,
        "can_change": refusal(edition, request.user, timezone.now()) is None,
        "language_names": [name for code, name in SPOKEN_LANGUAGES if code in registration.languages],
        "slots": sorted(registration.slots.all(), key=lambda s: (s.weekday, DayPart.values.index(s.part))),
        "commitments": sorted(registration.commitments.all(), key=lambda c: CommitmentKind.values.index(c.kind)),
        "withdraw_form": form,
    }


def _refused(
    request: AuthenticatedRequest, edition: Edition, refused: Refusal, registration: Registration | None
) -> HttpResponse:
    """Why the person cannot register and what they can do; a refused POST is a 403 and saves nothing."""
    status = 200 if request.method == "GET" and refused.code in WINDOW_REFUSALS else 403
    context = {"edition": edition, "refusal": refused, "registration": registration}
    return render(request, "registrations/refused.html", context, status=status)


def _registered_message(before: Registration | None) -> str:
    if before is None:
        return _("You are registered. We sent you an email with a summary of your answers.")
    if not before.is_active:
        return _("You are registered again. We sent you an email with a summary of your answers.")
    return _("Your registration is changed. We sent you an email with a summary of your answers.")
