"""Staff pages of registrations, at /<language>/staff/registrations/: the list with filters, the demand
table, the CSV export and import, the pool of moderators and secretaries and the invitations to a role.

Every view reaches the edition through ``_edition_for`` (permission first,
then the object), and a registration through its edition.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from coopsip.accounts.models import StakeholderType
from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest
from coopsip.editions.models import Edition
from coopsip.registrations import selectors
from coopsip.registrations.commitments import commitment_texts
from coopsip.registrations.exports import EXPORT_CHUNK, encoded_chunks, export_lines, export_rows
from coopsip.registrations.imports import REQUIRED_COLUMNS, import_registrations
from coopsip.registrations.invitations import InvitationRefused, invite_to_role
from coopsip.registrations.models import MeetingMode, Registration
from coopsip.registrations.staff_forms import InvitationForm, RegistrationFilterForm, RegistrationImportForm

PAGE_SIZE = 50


def _edition_for(request: AuthenticatedRequest, slug: str) -> Edition:
    require(request.user, "registrations.manage")
    return get_object_or_404(Edition, slug=slug)


@login_required
@require_safe
def edition_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "registrations.manage")
    return render(request, "registrations/staff/editions.html", {"editions": selectors.editions_with_counts()})


@login_required
@require_safe
def registration_list(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition_for(request, slug)
    form = RegistrationFilterForm(request.GET, edition=edition)
    registrations = selectors.filter_registrations(edition=edition, **form.filters())
    page = Paginator(registrations, PAGE_SIZE).get_page(request.GET.get("page"))
    fragment = request.htmx and not request.htmx.history_restore_request
    template = "registrations/staff/list.html#results" if fragment else "registrations/staff/list.html"
    response = render(request, template, {"edition": edition, "form": form, "page": page})
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
@require_safe
def registration_detail(request: AuthenticatedRequest, slug: str, pk: int) -> HttpResponse:
    edition = _edition_for(request, slug)
    registrations = selectors.with_details(Registration.objects.filter(edition=edition)).prefetch_related("commitments")
    registration = get_object_or_404(registrations, pk=pk)
    return render(request, "registrations/staff/detail.html", {"edition": edition, "registration": registration})


@login_required
@require_safe
def demand(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition_for(request, slug)
    first_choice_only = request.GET.get("choices") != "all"
    table = selectors.demand_table(edition=edition, first_choice_only=first_choice_only)
    context = {"edition": edition, "table": table, "modes": [MeetingMode(mode) for mode in selectors.MODES]}
    if edition.mixes_stakeholder_types or edition.requires_board_member:
        mix = selectors.stakeholder_mix(edition=edition, first_choice_only=first_choice_only)
        labels = dict(StakeholderType.choices)
        context["mix"] = mix
        context["mix_columns"] = [labels.get(kind, _("members or not said")) for kind in mix.columns]
    return render(request, "registrations/staff/demand.html", context)


@login_required
@require_safe
def export(request: AuthenticatedRequest, slug: str) -> StreamingHttpResponse:
    edition = _edition_for(request, slug)
    registrations = Registration.objects.filter(edition=edition).order_by("created_at", "pk")
    # Streamed: the first rows leave at once, and thousands of registrations are read 500 at a time.
    lines = export_lines(export_rows(registrations, chunk=EXPORT_CHUNK))
    response = StreamingHttpResponse(encoded_chunks(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registrations-{edition.slug}.csv"'
    response["Cache-Control"] = "no-store"  # personal data: no copy in any cache
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_file(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition_for(request, slug)
    form = RegistrationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_registrations(
            edition=edition,
            data=upload.read(),
            file_name=upload.name,
            imported_by=request.user,
            dry_run=form.cleaned_data["dry_run"],
        )
    context = {
        "edition": edition,
        "form": form,
        "report": report,
        "required": REQUIRED_COLUMNS,
        "commitments": commitment_texts(edition).values(),
    }
    return render(request, "registrations/staff/import.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def pool(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition_for(request, slug)
    return render(
        request,
        "registrations/staff/pool.html",
        {"edition": edition, "pool": selectors.volunteer_pool(edition=edition)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    edition = _edition_for(request, slug)
    # Links from the pool and the demand table prefill the theme, the office and the role.
    initial = {name: request.GET[name] for name in ("email", "role", "theme", "office") if name in request.GET}
    form = InvitationForm(request.POST or None, edition=edition, initial=initial)
    if request.method == "POST" and form.is_valid():
        invitee = form.cleaned_data["email"]
        try:
            invite_to_role(
                edition=edition,
                user=invitee,
                role=form.cleaned_data["role"],
                theme=form.cleaned_data["theme"],
                office=form.cleaned_data["office"],
                message=form.cleaned_data["message"],
                invited_by=request.user,
            )
        except InvitationRefused as refused:
            for name, message in refused.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("The invitation is sent to %(person)s.") % {"person": invitee})
            return redirect("registrations_staff:pool", slug=edition.slug)
    return render(
        request,
        "registrations/staff/invite.html",
        {"edition": edition, "form": form},
        status=400 if form.errors else 200,
    )
