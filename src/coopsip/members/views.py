from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest
from coopsip.members.forms import RegisterImportForm, RegisterSearchForm, VerifyMembershipForm
from coopsip.members.models import RegisterImport
from coopsip.members.selectors import register_page
from coopsip.members.services import VerificationFailed, import_register, verify_membership


@login_required
def verify(request: AuthenticatedRequest) -> HttpResponse:
    entry = getattr(request.user, "register_entry", None)
    if entry is not None:
        return render(request, "members/verified.html", {"entry": entry})
    require(request.user, "members.verify_membership")
    form = VerifyMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = verify_membership(
                user=request.user,
                member_number=form.cleaned_data["member_number"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
        except VerificationFailed as failure:
            # Next to the field it is about; limits and an existing link concern the whole form.
            field = "member_number" if failure.code in {"no_match", "taken"} else None
            form.add_error(field, failure.message)
        else:
            if entry.is_member:
                messages.success(request, _("Your account is now linked to the register: you are a member (vennoot)."))
            else:
                messages.success(request, _("Your account is now linked to the register as a non-member user."))
            return redirect("members:verify")
    return render(request, "members/verify.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def register(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "members.view_register")
    form = RegisterSearchForm(request.GET)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    found = register_page(query=query, page=request.GET.get("page"))
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "members/register.html#results" if fragment else "members/register.html"
    context = {"form": form, "page": found.page, "more_than": found.more_than, "query": query}
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def import_file(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "members.import_register")
    form = RegisterImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = import_register(
            data=upload.read(),
            file_name=upload.name,
            imported_by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("members:import_detail", pk=result.pk)
    recent = RegisterImport.objects.select_related("imported_by")[:10]
    return render(request, "members/import.html", {"form": form, "recent": recent}, status=400 if form.errors else 200)


@login_required
def import_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "members.import_register")
    result = get_object_or_404(RegisterImport, pk=pk)
    return render(request, "members/import_detail.html", {"result": result})
