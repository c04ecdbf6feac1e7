"""Pages of the networking app: search, offers and needs with their matches, profiles, contacts, reports.

Each view checks access through ``core.access.require``, validates a form, calls one service and
renders. Objects are looked up by id and then checked, so another person's thread is a 403 or 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopsip.core.access import require
from coopsip.networking import selectors, services
from coopsip.networking.forms import (
    ContactForm,
    HideForm,
    ListingForm,
    PartnerMeetingForm,
    ProfileForm,
    ProjectForm,
    RecommendForm,
    ReportForm,
    SaveSearchForm,
    SearchForm,
)
from coopsip.networking.models import (
    ContactThread,
    Listing,
    ListingStatus,
    Profile,
    Project,
    Report,
    SavedSearch,
    Sector,
    Skill,
)
from coopsip.networking.reasons import describe_all

PER_PAGE = 20


def _terms() -> tuple[dict[int, Sector], dict[int, Skill]]:
    return {s.pk: s for s in Sector.objects.all()}, {s.pk: s for s in Skill.objects.all()}


@login_required
def search(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.use")
    form = SearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else selectors.SearchFilters()
    # The window's matches, ranked and sorted (at most SEARCH_WINDOW + 1, one query): one more than the window says
    # there are more. The page is cut from them, and only its rows are read.
    hits = selectors.search_hits(filters)
    more_than = selectors.SEARCH_WINDOW if len(hits) > selectors.SEARCH_WINDOW else None
    results = selectors.SearchResults(hits[: selectors.SEARCH_WINDOW])
    page = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
    for listing in page.object_list:
        listing.km = selectors.distance_km(listing.distance2)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "networking/search.html",
        {
            "form": form,
            "page": page,
            "more_than": more_than,
            "query_string": query.urlencode(),
            "save_form": SaveSearchForm(),
        },
    )


@login_required
def publish(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.use")
    initial = {"kind": request.GET.get("kind", "need"), "language": request.LANGUAGE_CODE, "pay": "paid"}
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            listing = services.publish_listing(author=request.user, data=form.to_input())
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Published. Here are the members and offers that match."))
            return redirect("networking:detail", pk=listing.pk)
    return render(request, "networking/listing_form.html", {"form": form, "listing": None})


def _listing(request: HttpRequest, pk: int) -> Listing:
    require(request.user, "networking.use")
    return get_object_or_404(
        Listing.objects.select_related("author", "municipality").prefetch_related("sectors", "skills"), pk=pk
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    user: Any = request.user
    own = listing.author_id == user.pk
    staff = user.has_perm("networking.moderate")
    context: dict[str, Any] = {"listing": listing, "own": own, "staff": staff, "now": timezone.now()}
    if listing.status == ListingStatus.HIDDEN and not (own or staff):
        return render(request, "networking/ended.html", context, status=410)
    if not listing.is_shown() and not (own or staff):
        return render(request, "networking/ended.html", context, status=410)
    if listing.is_shown():
        offers, people = selectors.matches_for(listing)
        sectors, skills = _terms()
        context["matches"] = [(f, describe_all(f.match.reasons, sectors=sectors, skills=skills)) for f in offers]
        context["people"] = [(f, describe_all(f.match.reasons, sectors=sectors, skills=skills)) for f in people]
    context["thread"] = ContactThread.objects.filter(listing=listing, sender=user).first()
    context["contact_form"] = ContactForm()
    if own:
        context["threads"] = listing.threads.select_related("sender").order_by("-created_at")[:50]
    return render(request, "networking/detail.html", context)


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    require(request.user, "networking.change_listing", listing)
    form = ListingForm(request.POST or None, initial=ListingForm.initial_for_listing(listing))
    if request.method == "POST" and form.is_valid():
        try:
            services.change_listing(listing=listing, data=form.to_input())
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("networking:detail", pk=listing.pk)
    return render(request, "networking/listing_form.html", {"form": form, "listing": listing})


@login_required
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    require(request.user, "networking.change_listing", listing)
    if request.method == "POST":
        services.withdraw_listing(listing=listing)
        messages.success(request, _("Withdrawn: it is no longer shown. You can renew it from your list."))
        return redirect("networking:mine")
    return render(request, "networking/withdraw.html", {"listing": listing})


@login_required
@require_POST
def renew(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    require(request.user, "networking.change_listing", listing)
    try:
        listing = services.renew_listing(listing=listing)
    except services.NetworkingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Renewed: shown until %(date)s.") % {"date": listing.expires_at.date()})
    return redirect("networking:mine")


def renew_link(request: HttpRequest, token: str) -> HttpResponse:
    """The link of the reminder email: one button renews, without logging in (the key is for this listing)."""
    listing = services.listing_for_renew_token(token)
    if listing is None:
        return render(request, "networking/renew_link.html", {"listing": None}, status=404)
    renewed = False
    error = ""
    if request.method == "POST":
        try:
            listing = services.renew_listing(listing=listing)
            renewed = True
        except services.NetworkingError as refusal:
            error = str(refusal)
    return render(request, "networking/renew_link.html", {"listing": listing, "renewed": renewed, "error": error})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.use")
    user: Any = request.user
    page = Paginator(selectors.my_listings(request.user), PER_PAGE).get_page(request.GET.get("page"))
    threads = ContactThread.objects.filter(sender=user).select_related("listing").order_by("-created_at")[:20]
    saved = SavedSearch.objects.filter(user=user)[:20]
    return render(
        request,
        "networking/mine.html",
        {"page": page, "threads": threads, "saved": saved, "now": timezone.now()},
    )


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.use")
    user: Any = request.user
    profile = Profile.objects.filter(user=user).first()
    form = ProfileForm(request.POST or None, initial=ProfileForm.initial_for(profile, request.user))
    if request.method == "POST" and form.is_valid():
        profile = services.save_profile(user=request.user, data=form.to_input())
        if profile.is_visible:
            messages.success(request, _("Saved. Other members now see your profile."))
        else:
            messages.success(request, _("Saved. Your profile stays hidden until you choose to show it."))
        return redirect("networking:profile_edit")
    return render(request, "networking/profile_form.html", {"form": form, "profile": profile})


@login_required
def profile(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(
        Profile.objects.select_related("user", "municipality", "office").prefetch_related("sectors", "skills"), pk=pk
    )
    require(request.user, "networking.view_profile", found)
    listings = selectors.shown_listings().filter(author_id=found.user_id).order_by("-created_at")[:10]
    return render(request, "networking/profile.html", {"profile": found, "listings": listings})


@login_required
@require_POST
def contact(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    form = ContactForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a message."))
        return redirect("networking:detail", pk=pk)
    try:
        thread = services.write_to_author(listing=listing, sender=request.user, body=form.cleaned_data["body"])
    except services.RateLimited as error:
        return render(
            request,
            "networking/detail.html",
            {"listing": listing, "contact_form": form, "contact_error": str(error), "now": timezone.now()},
            status=429,
        )
    except services.NetworkingError as error:
        messages.error(request, str(error))
        return redirect("networking:detail", pk=pk)
    messages.success(request, _("Sent. The author gets your message by email; you will see their answer here."))
    return redirect("networking:thread", pk=thread.pk)


@login_required
def thread(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(ContactThread.objects.select_related("listing__author", "sender"), pk=pk)
    require(request.user, "networking.view_thread", found)
    form = ContactForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.write_message(thread=found, author=request.user, body=form.cleaned_data["body"])
        except services.NetworkingError as error:
            form.add_error(None, str(error))
            status = 429 if isinstance(error, services.RateLimited) else 400
        else:
            messages.success(request, _("Sent."))
            return redirect("networking:thread", pk=found.pk)
    found.refresh_from_db(fields=["answered_at"])
    page = Paginator(found.messages.select_related("author"), 50).get_page(request.GET.get("page"))
    return render(request, "networking/thread.html", {"thread": found, "page": page, "form": form}, status=status)


@login_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    listing = _listing(request, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report(listing=listing, reporter=request.user, reason=form.cleaned_data["reason"])
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Thank you. The team will look at it."))
            return redirect("networking:detail", pk=pk)
    return render(request, "networking/report.html", {"listing": listing, "form": form})


@login_required
@require_POST
def save_search(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.use")
    form = SaveSearchForm(request.POST)
    search_form = SearchForm(QueryDict(request.POST.get("query_string", "")))
    if not (form.is_valid() and search_form.is_valid()):
        messages.error(request, _("This search could not be saved: check the filters."))
        return redirect("networking:search")
    data = {
        key: value
        for key, value in search_form.data.items()
        if key in search_form.fields and key not in ("q", "page") and value
    }
    try:
        services.save_search(
            user=request.user,
            name=form.cleaned_data["name"],
            query=search_form.cleaned_data.get("q") or "",
            filters=data,
            frequency=form.cleaned_data["frequency"],
        )
    except services.NetworkingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Saved. New results come by email, as you chose."))
    return redirect("networking:mine")


@login_required
def delete_search(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "networking.use")
    user: Any = request.user
    saved = get_object_or_404(SavedSearch, pk=pk, user=user)
    if request.method == "POST":
        services.delete_saved_search(saved=saved)
        messages.success(request, _("The saved search is deleted."))
        return redirect("networking:mine")
    return render(request, "networking/delete_search.html", {"saved": saved})


# --- The team -----------------------------------------------------------------------------------------


@login_required
def staff_reports(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.moderate")
    reports = Report.objects.filter(handled_at=None).select_related("listing", "reporter").order_by("-created_at")
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "networking/staff_reports.html", {"page": page})


@login_required
def staff_hide(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "networking.moderate")
    listing = get_object_or_404(Listing.objects.select_related("author"), pk=pk)
    form = HideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.hide_listing(listing=listing, by=request.user, reason=form.cleaned_data["reason"])
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Hidden. The author was told why."))
            return redirect(reverse("networking_staff:reports"))
    return render(request, "networking/staff_hide.html", {"listing": listing, "form": form})


# --- Projects and partner meetings --------------------------------------------------------------------


@login_required
def projects(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.use")
    found = Project.objects.select_related("owner").annotate(team_size=Count("team", distinct=True))
    page = Paginator(found.order_by("-created_at", "-pk"), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "networking/projects.html", {"page": page})


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.use")
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.create_project(owner=request.user, data=form.to_input())
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            return redirect("networking:project", pk=project.pk)
    return render(request, "networking/project_form.html", {"form": form})


def _project(request: HttpRequest, pk: int) -> Project:
    require(request.user, "networking.use")
    return get_object_or_404(Project.objects.select_related("owner").prefetch_related("sectors"), pk=pk)


@login_required
def project(request: HttpRequest, pk: int) -> HttpResponse:
    found = _project(request, pk)
    user: Any = request.user
    own = found.owner_id == user.pk
    context = {
        "project": found,
        "own": own,
        "team": found.team.select_related("user")[:100],
        "in_team": found.team.filter(user=user).exists(),
        "meetings": found.meetings.select_related("event").order_by("event__starts_at")[:20],
        "recommendations": found.recommendations.select_related("by")[:50] if own else [],
        "recommend_form": RecommendForm(),
        "now": timezone.now(),
    }
    return render(request, "networking/project.html", context)


@login_required
@require_POST
def project_join(request: HttpRequest, pk: int) -> HttpResponse:
    found = _project(request, pk)
    if request.POST.get("leave"):
        services.leave_project(project=found, user=request.user)
        messages.success(request, _("You left the team."))
        return redirect("networking:project", pk=pk)
    try:
        services.join_project(project=found, user=request.user)
    except services.NetworkingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("You joined the team. The owner was told."))
    return redirect("networking:project", pk=pk)


@login_required
@require_POST
def project_recommend(request: HttpRequest, pk: int) -> HttpResponse:
    found = _project(request, pk)
    form = RecommendForm(request.POST)
    if form.is_valid():
        try:
            services.recommend_to_project(project=found, by=request.user, text=form.cleaned_data["text"])
        except services.NetworkingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you: the owner will read it."))
    else:
        messages.error(request, _("Say who could help and why."))
    return redirect("networking:project", pk=pk)


@login_required
def project_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    found = _project(request, pk)
    require(request.user, "networking.change_project", found)
    form = PartnerMeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from coopsip.events.services import EventInvalid

        try:
            meeting = services.organise_partner_meeting(
                project=found, by=request.user, data=form.to_input(found, request.LANGUAGE_CODE)
            )
        except EventInvalid as invalid:
            for name, message in invalid.errors.items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, _("The partner meeting is published: members can sign up."))
            return redirect("events:detail", pk=meeting.event.pk)
    return render(request, "networking/project_meeting.html", {"project": found, "form": form})
