"""Pages of the sector networks: the list and a page per network (public), asking to join and leaving
(members), the coordinators' page (the network's moderators and secretary, and staff)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coopsip.core.access import require
from coopsip.events.models import CircleMember
from coopsip.networking import selectors, services
from coopsip.networking.forms import JoinForm
from coopsip.networking.models import JoinRequest, SectorNetwork

PER_PAGE = 20
SHOWN_ON_PAGE = 12


def _network(request: HttpRequest, pk: int) -> SectorNetwork:
    require(request.user, "networking.view_sector_networks")
    return get_object_or_404(SectorNetwork.objects.select_related("sector", "circle"), pk=pk, is_active=True)


def sector_networks(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.view_sector_networks")
    page = Paginator(selectors.sector_networks(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "networking/sector_networks.html", {"page": page})


def sector_network(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    user: Any = request.user
    is_in = user.is_authenticated and services.in_network(network, user)
    for_members = user.has_perm("networking.use")
    context: dict[str, Any] = {
        "network": network,
        "is_in": is_in,
        "for_members": for_members,
        "may_join": user.has_perm("networking.join_sector_network", network),
        "may_manage": user.has_perm("networking.manage_sector_network", network),
        "meetings": selectors.network_meetings(network),
        "coordinators": selectors.network_coordinators(network),
        "member_count": CircleMember.objects.filter(circle_id=network.circle_id).count(),
        "waiting": user.is_authenticated
        and JoinRequest.objects.filter(network=network, user=user, status=JoinRequest.Status.WAITING).exists(),
    }
    if for_members:
        # Profiles and offers are for logged-in members only (GDPR): visitors see the network, not its people.
        profiles = selectors.network_profiles(network)
        context["profiles"] = list(profiles[:SHOWN_ON_PAGE])
        context["listings"] = list(selectors.network_listings(network)[:SHOWN_ON_PAGE])
    if is_in or context["may_manage"]:
        from coopsip.groupspace.models import Document

        context["documents"] = list(Document.objects.filter(circle_id=network.circle_id).order_by("-added_at")[:10])
    return render(request, "networking/sector_network.html", context)


@login_required
def sector_network_join(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(request.user, "networking.join_sector_network", network)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.ask_to_join(network=network, user=request.user, message=form.cleaned_data["message"])
        except services.NetworkingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your request is sent: the coordinators answer it, and you get an email."))
            return redirect("networking:sector_network", pk=network.pk)
    return render(request, "networking/sector_network_join.html", {"network": network, "form": form})


@login_required
def sector_network_leave(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(request.user, "networking.leave_sector_network", network)
    if request.method == "POST":
        services.leave_network(network=network, user=request.user)
        messages.success(request, _("You left the network; your seats at its coming meetings are given up."))
        return redirect("networking:sector_network", pk=network.pk)
    return render(request, "networking/sector_network_leave.html", {"network": network, "person": None})


@login_required
def sector_network_manage(request: HttpRequest, pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(request.user, "networking.manage_sector_network", network)
    waiting = JoinRequest.objects.filter(network=network, status=JoinRequest.Status.WAITING).select_related("user")
    members = (
        CircleMember.objects.filter(circle_id=network.circle_id)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )
    page = Paginator(members, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "networking/sector_network_manage.html",
        {"network": network, "waiting": list(waiting[:100]), "page": page},
    )


@login_required
@require_POST
def sector_network_decide(request: HttpRequest, pk: int, request_pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(request.user, "networking.manage_sector_network", network)
    join_request = get_object_or_404(JoinRequest, pk=request_pk, network=network)
    accept = request.POST.get("answer") == "accept"
    try:
        services.decide_join_request(request=join_request, by=request.user, accept=accept)
    except services.NetworkingError as error:
        messages.error(request, str(error))
    else:
        name = join_request.user.get_full_name()
        if accept:
            messages.success(request, _("%(name)s is now in the network.") % {"name": name})
        else:
            messages.success(request, _("The request of %(name)s is declined.") % {"name": name})
    return redirect("networking:sector_network_manage", pk=network.pk)


@login_required
def sector_network_remove(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    network = _network(request, pk)
    require(request.user, "networking.manage_sector_network", network)
    membership = get_object_or_404(
        CircleMember.objects.select_related("user"), circle_id=network.circle_id, user_id=user_pk
    )
    if request.method == "POST":
        services.leave_network(network=network, user=membership.user, by=request.user)
        messages.success(
            request, _("%(name)s is no longer in the network.") % {"name": membership.user.get_full_name()}
        )
        return redirect("networking:sector_network_manage", pk=network.pk)
    return render(request, "networking/sector_network_leave.html", {"network": network, "person": membership.user})
