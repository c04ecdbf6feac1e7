from __future__ import annotations

import json

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from coopsip.accounts.adapter import set_language_cookie
from coopsip.accounts.forms import DeleteAccountForm, ProfileForm
from coopsip.accounts.services import delete_account, export_personal_data, set_preferred_language, update_profile
from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest
from coopsip.places.selectors import places_for_postcode


@login_required
def profile(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "accounts.edit_profile")
    user = request.user
    if request.method == "POST":
        form = ProfileForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            update_profile(
                user=user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                preferred_language=data["preferred_language"],
                office=data["office"],
                municipality=form.municipality,
                languages_spoken=data["languages_spoken"],
                gender=data["gender"],
                stakeholder_type=data["stakeholder_type"],
                volunteers_as_board_member=data.get("volunteers_as_board_member"),
            )
            language = data["preferred_language"]
            # Said on the next page, which is in the newly chosen language.
            with translation.override(language):
                messages.success(request, _("Your profile is saved."))
            response = redirect(translate_url(request.path, language))
            set_language_cookie(response, language)
            return response
    else:
        form = ProfileForm(initial=ProfileForm.initial_for(user), user=user)
    return render(request, "accounts/profile.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def places(request: HttpRequest) -> HttpResponse:
    """The places of a postcode, as <option>s for the profile form's list (htmx)."""
    country = request.GET.get("country", "BE")
    postcode = request.GET.get("postcode", "")[:10]
    found = places_for_postcode(country=country, postcode=postcode)[:50] if postcode else []
    return render(request, "accounts/profile.html#place-options", {"places": found})


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language of the pages; for a logged-in person, of their emails too."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = reverse("home:index")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseRedirect(next_url)
    if request.user.is_authenticated:
        set_preferred_language(user=request.user, language=language)
    # translate_url resolves the path in the active language: use the page's own.
    with translation.override(translation.get_language_from_path(next_url) or language):
        response = HttpResponseRedirect(translate_url(next_url, language))
    set_language_cookie(response, language)
    return response


@login_required
def privacy(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "accounts.export_data")
    return render(request, "accounts/privacy.html", {"delete_form": DeleteAccountForm(user=request.user)})


@login_required
@require_POST
def export_data(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "accounts.export_data")
    data = export_personal_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False, default=str), content_type="application/json; charset=utf-8"
    )
    filename = f"coopsip-my-data-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_POST
@reauthentication_required
def delete(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "accounts.delete_account")
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return render(request, "accounts/privacy.html", {"delete_form": form}, status=400)
    delete_account(user=request.user)
    logout(request)
    messages.success(request, _("Your account and your personal data are deleted."))
    return redirect("home:index")
