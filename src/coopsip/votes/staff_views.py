"""The team's pages: deciding on proposals, opening a ballot, the room's counts, counting, publishing, themes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.events.models import Event
from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.members.selectors import search_register
from coopsip.votes import services
from coopsip.votes.models import Ballot, BallotMethod, Channel, Participation, ProposalStatus, ThemeProposal
from coopsip.votes.views import result_view

PROPOSALS_PER_PAGE = 50
MEMBERS_FOUND = 10  # the paper-ballot desk's search: a name is typed until the member is among these
DATETIME = {"type": "datetime-local"}


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("Decision"), choices=ProposalStatus.choices)
    merged_into = forms.ModelChoiceField(
        label=gettext_lazy("Merged with"), queryset=ThemeProposal.objects.none(), required=False
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to members)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args: Any, proposal: ThemeProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["merged_into"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = ThemeProposal.objects.exclude(pk=proposal.pk).exclude(status=ProposalStatus.MERGED)


class EventChoiceField(forms.ModelChoiceField["Event"]):
    """Events by title and date (staff's short date), so two assemblies of the same name are told apart."""

    def label_from_instance(self, obj: Event) -> str:
        return f"{obj.title} ({formats.date_format(timezone.localtime(obj.starts_at), 'STAFF_DATE_FORMAT')})"


class BallotForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    method = forms.ChoiceField(label=gettext_lazy("Voting method"), choices=BallotMethod.choices)
    seats = forms.IntegerField(label=gettext_lazy("Themes to elect"), min_value=1, max_value=20, initial=2)
    opens_at = forms.DateTimeField(label=gettext_lazy("Voting opens"), widget=forms.DateTimeInput(attrs=DATETIME))
    closes_at = forms.DateTimeField(label=gettext_lazy("Voting closes"), widget=forms.DateTimeInput(attrs=DATETIME))
    proposals = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Shortlisted proposals on the ballot"),
        queryset=ThemeProposal.objects.filter(status=ProposalStatus.SHORTLISTED),
        widget=forms.CheckboxSelectMultiple,
    )
    edition: forms.ModelChoiceField[Edition] = forms.ModelChoiceField(
        label=gettext_lazy("Next edition"), queryset=Edition.objects.all(), required=False
    )
    event = EventChoiceField(
        label=gettext_lazy("General assembly (event)"),
        queryset=Event.objects.none(),
        required=False,
        help_text=gettext_lazy("The event where the vote is held: its page shows the vote while it is open."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        assert isinstance(field, EventChoiceField)
        field.queryset = assembly_events()


def assembly_events() -> Any:
    """Events a vote can be held at: not cancelled, from a month ago on (the assembly may have started)."""
    since = timezone.now() - timedelta(days=30)
    return Event.objects.filter(cancelled_at__isnull=True, starts_at__gte=since).order_by("starts_at", "pk")


class EventLinkForm(forms.Form):
    event = EventChoiceField(
        label=gettext_lazy("General assembly (event)"), queryset=Event.objects.none(), required=False
    )

    def __init__(self, *args: Any, ballot: Ballot, **kwargs: Any) -> None:
        kwargs["initial"] = {"event": ballot.event_id}
        super().__init__(*args, **kwargs)
        field = self.fields["event"]
        assert isinstance(field, EventChoiceField)
        field.queryset = assembly_events() | Event.objects.filter(pk=ballot.event_id or 0)


def _ballot(request: AuthenticatedRequest, pk: int) -> Ballot:
    require(request.user, "votes.manage")
    found: Ballot = get_object_or_404(Ballot, pk=pk)
    return found


@login_required
@require_safe
def proposals(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "votes.manage")
    listed = ThemeProposal.objects.annotate(support_count=Count("supports")).order_by("status", "-support_count", "pk")
    page = Paginator(listed, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "votes/staff_proposals.html", {"page": page, "ballots": Ballot.objects.order_by("-closes_at")[:20]}
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, "votes.manage")
    proposal: ThemeProposal = get_object_or_404(ThemeProposal, pk=pk)
    form = DecisionForm(
        request.POST or None, proposal=proposal, initial={"status": proposal.status, "reason": proposal.reason}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_proposal(actor=request.user, proposal=proposal, **form.cleaned_data)
        except services.VoteRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The decision is saved."))
            return see_other(reverse("votes_staff:proposals"))
    return render(
        request, "votes/staff_decide.html", {"proposal": proposal, "form": form}, status=400 if form.errors else 200
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ballot_new(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "votes.manage")
    form = BallotForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.create_ballot(
                actor=request.user,
                title=data["title"],
                method=data["method"],
                seats=data["seats"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                proposals=list(data["proposals"]),
                edition=data["edition"],
                event=data["event"],
            )
        except services.VoteRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("The ballot is ready; it opens at the time you chose."))
            return see_other(reverse("votes_staff:ballot", kwargs={"pk": created.pk}))
    return render(request, "votes/staff_ballot_new.html", {"form": form}, status=400 if form.errors else 200)


@login_required
@require_safe
def ballot(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _ballot(request, pk)
    handed, entered = services.paper_counts(found)
    return render(
        request,
        "votes/staff_ballot.html",
        {
            "ballot": found,
            "now": timezone.now(),
            "options": list(found.options.select_related("proposal")),
            "participants": Participation.objects.filter(ballot=found, channel=Channel.ONLINE).count(),
            "handed": handed,
            "paper": entered,
            "rooms": list(found.room_counts.all()),
            "result": result_view(found),
            "editions": Edition.objects.order_by("-starts_on")[:10],
            "event_form": EventLinkForm(ballot=found),
        },
    )


@login_required
@require_POST
def link_event(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Hold the vote at an event (the general assembly), or at none."""
    found = _ballot(request, pk)
    form = EventLinkForm(request.POST, ballot=found)
    if form.is_valid():
        services.link_event(actor=request.user, ballot=found, event=form.cleaned_data["event"])
        messages.success(request, _("The ballot's event is saved."))
    else:
        messages.error(request, _("Choose an event from the list."))
    return _back(found)


def _back(found: Ballot) -> HttpResponse:
    return see_other(reverse("votes_staff:ballot", kwargs={"pk": found.pk}))


@login_required
@require_POST
def paper(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One paper ballot counted in the room: approvals ticked, or ranks given."""
    found = _ballot(request, pk)
    options = list(found.options.all())
    try:
        if found.method == BallotMethod.APPROVAL:
            choices = request.POST.getlist("approve")
        else:
            choices = services.choices_from_ranks({o.pk: request.POST.get(f"rank_{o.pk}", "") for o in options})
        services.record_paper_ballot(actor=request.user, ballot=found, choices=choices)
        messages.success(
            request,
            _("The paper ballot is recorded.") if choices else _("A blank paper ballot is recorded (no theme chosen)."),
        )
    except services.VoteRefused as refused:
        messages.error(request, str(refused))
    return _back(found)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def hand_out(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The paper-ballot desk at the assembly: find a member of the register, hand them a paper ballot."""
    found = _ballot(request, pk)
    query = (request.POST.get("q") if request.method == "POST" else request.GET.get("q")) or ""
    query = query.strip()[:100]
    if request.method == "POST":
        entry_id = request.POST.get("entry", "")
        entry = RegisterEntry.objects.filter(pk=int(entry_id)).first() if entry_id.isdigit() else None
        if entry is None:
            messages.error(request, _("Choose a member from the list."))
        else:
            try:
                services.hand_out_paper_ballot(actor=request.user, ballot=found, entry=entry)
                messages.success(request, _("%(name)s gets a paper ballot.") % {"name": services.entry_name(entry)})
            except services.VoteRefused as refused:
                messages.error(request, str(refused))
        url = reverse("votes_staff:hand_out", kwargs={"pk": found.pk})
        return see_other(f"{url}?{urlencode({'q': query})}" if query else url)
    matches: list[RegisterEntry] = []
    more = False
    if query:
        matches = list(search_register(query=query).filter(status=MembershipStatus.MEMBER)[: MEMBERS_FOUND + 1])
        more, matches = len(matches) > MEMBERS_FOUND, matches[:MEMBERS_FOUND]
    handed, entered = services.paper_counts(found)
    return render(
        request,
        "votes/staff_hand_out.html",
        {
            "ballot": found,
            "query": query,
            "matches": _with_channel(found, matches),
            "more": more,
            "handed": handed,
            "entered": entered,
        },
    )


def _with_channel(found: Ballot, entries: list[RegisterEntry]) -> list[tuple[RegisterEntry, str | None]]:
    """Each entry with how that member voted (online, paper) or None; one query."""
    if not entries:
        return []
    by_entry: dict[int, str] = {}
    by_user: dict[int, str] = {}
    user_ids = [e.user_id for e in entries if e.user_id]
    for entry_id, user_id, channel in (
        Participation.objects.filter(ballot=found)
        .filter(Q(entry__in=entries) | Q(user_id__in=user_ids))
        .values_list("entry_id", "user_id", "channel")
    ):
        if entry_id:
            by_entry[entry_id] = channel
        if user_id:
            by_user[user_id] = channel
    return [(e, by_entry.get(e.pk) or (by_user.get(e.user_id) if e.user_id else None)) for e in entries]


@login_required
@require_POST
def hands(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _ballot(request, pk)
    try:
        voters = int(request.POST.get("voters", ""))
        counts = {o.pk: int(request.POST.get(f"hands_{o.pk}", "0") or 0) for o in found.options.all()}
        services.record_show_of_hands(
            actor=request.user, ballot=found, counts=counts, voters=voters, note=request.POST.get("note", "")[:300]
        )
        messages.success(request, _("The show of hands is recorded."))
    except ValueError:
        messages.error(request, _("Write whole numbers."))
    except services.VoteRefused as refused:
        messages.error(request, str(refused))
    return _back(found)


@login_required
@require_POST
def count(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _ballot(request, pk)
    try:
        services.count_ballot(actor=request.user, ballot=found)
        messages.success(request, _("The ballot is counted."))
    except services.VoteRefused as refused:
        messages.error(request, str(refused))
    return _back(found)


@login_required
@require_POST
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _ballot(request, pk)
    try:
        services.publish_result(actor=request.user, ballot=found)
        messages.success(request, _("The result is published."))
    except services.VoteRefused as refused:
        messages.error(request, str(refused))
    return _back(found)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def themes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The elected proposals become themes of the chosen edition, after a confirmation page."""
    found = _ballot(request, pk)
    edition_id = request.POST.get("edition") or request.GET.get("edition") or found.edition_id
    edition = Edition.objects.filter(pk=int(str(edition_id))).first() if str(edition_id or "").isdigit() else None
    if request.method == "POST" and edition is not None:
        try:
            created = services.create_elected_themes(actor=request.user, ballot=found, edition=edition)
        except services.VoteRefused as refused:
            messages.error(request, str(refused))
            return _back(found)
        messages.success(
            request,
            ngettext(
                "%(count)s theme was added to %(edition)s.",
                "%(count)s themes were added to %(edition)s.",
                len(created.created),
            )
            % {"count": len(created.created), "edition": edition},
        )
        for skipped in created.skipped:
            messages.warning(request, skipped)
        return see_other(reverse("editions_staff:dashboard", kwargs={"pk": edition.pk}))
    return render(
        request,
        "votes/staff_themes.html",
        {
            "ballot": found,
            "edition": edition,
            "result": result_view(found),
            "editions": Edition.objects.order_by("-starts_on")[:10],
        },
    )
