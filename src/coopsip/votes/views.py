"""Members' pages: theme proposals (propose, support) and ballots (vote, change, check a receipt, results)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core import charts
from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.votes import services
from coopsip.votes.models import (
    Ballot,
    BallotMethod,
    BallotOption,
    Channel,
    ProposalCountry,
    ProposalStatus,
    Support,
    ThemeProposal,
)

PROPOSALS_PER_PAGE = 25


def _members_only(request: AuthenticatedRequest) -> HttpResponse:
    """Refused (403) with the reason and the way in: these pages are for members (and the team and board)."""
    entry = getattr(request.user, "register_entry", None)
    return render(request, "votes/members_only.html", {"entry": entry}, status=403)


def _may(request: AuthenticatedRequest, perm: str) -> bool:
    return bool(request.user.has_perm(perm))


class ProposalForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title of the theme"), max_length=services.TITLE_MAX)
    challenge = forms.CharField(
        label=gettext_lazy("The challenge it answers"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=services.TEXT_MAX,
    )
    why_now = forms.CharField(
        label=gettext_lazy("Why now"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=services.TEXT_MAX,
    )
    country = forms.ChoiceField(
        label=gettext_lazy("Where"), choices=ProposalCountry.choices, initial=ProposalCountry.BOTH
    )
    on_behalf_of_board = forms.BooleanField(
        label=gettext_lazy("Propose on behalf of the board"),
        help_text=gettext_lazy("Shown as the board's proposal rather than as yours."),
        required=False,
    )

    def __init__(self, *args: Any, offer_board: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not offer_board:  # only board members who are members too choose; a forged field is not read
            del self.fields["on_behalf_of_board"]


@login_required
@require_safe
def proposals(request: AuthenticatedRequest) -> HttpResponse:
    if not _may(request, "votes.view_proposals"):
        return _members_only(request)
    listed = (
        ThemeProposal.objects.annotate(support_count=Count("supports"))
        .select_related("merged_into")
        .order_by("-support_count", "-created_at", "pk")
    )
    status = request.GET.get("status", "")
    if status in ProposalStatus.values:
        listed = listed.filter(status=status)
    page = Paginator(listed, PROPOSALS_PER_PAGE).get_page(request.GET.get("page"))
    supported = set(
        Support.objects.filter(user=request.user, proposal__in=[p.pk for p in page]).values_list(
            "proposal_id", flat=True
        )
    )
    return render(
        request,
        "votes/proposals.html",
        {"page": page, "supported": supported, "status": status, "statuses": ProposalStatus.choices},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def proposal_new(request: AuthenticatedRequest) -> HttpResponse:
    """Members propose as themselves; board members who are not members as the board; those who are both choose."""
    as_member, as_board = _may(request, "votes.propose"), _may(request, "votes.propose_as_board")
    if not (as_member or as_board):
        return _members_only(request)
    only_board = as_board and not as_member
    form = ProposalForm(request.POST or None, offer_board=as_board and as_member)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        by_board = only_board or bool(data.pop("on_behalf_of_board", False))
        try:
            proposal = services.propose_theme(
                author=request.user, language=get_language() or "nl", by_board=by_board, **data
            )
        except services.VoteRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, _("Thank you: your theme is proposed. Other members can support it now."))
            return see_other(reverse("votes:proposal", kwargs={"pk": proposal.pk}))
    return render(
        request, "votes/proposal_new.html", {"form": form, "by_board": only_board}, status=400 if form.errors else 200
    )


@login_required
@require_safe
def proposal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not _may(request, "votes.view_proposals"):
        return _members_only(request)
    found = get_object_or_404(
        ThemeProposal.objects.annotate(support_count=Count("supports")).select_related("merged_into", "theme__edition"),
        pk=pk,
    )
    return render(
        request,
        "votes/proposal.html",
        {
            "proposal": found,
            "supported": found.supports.filter(user=request.user).exists(),
            "can_support": request.user.has_perm("votes.support") and found.author_id != request.user.pk,
            "became": _became_theme(request, found),
        },
    )


def _became_theme(request: AuthenticatedRequest, proposal: ThemeProposal) -> dict[str, Any] | None:
    """The theme an elected proposal became: its title, linked where the reader may open the theme's page."""
    theme = proposal.theme
    if theme is None:
        return None
    edition = theme.edition
    title = f"“{theme.title}”"
    if edition.is_published or request.user.has_perm("editions.preview"):
        url = reverse("editions:theme", kwargs={"slug": edition.slug, "theme_slug": theme.slug})
        return {"theme": format_html('<a href="{}">{}</a>', url, title), "edition": edition.title}
    return {"theme": title, "edition": edition.title}


@login_required
@require_POST
def support(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not _may(request, "votes.support"):
        return _members_only(request)
    found = get_object_or_404(ThemeProposal, pk=pk)
    try:
        if request.POST.get("withdraw"):
            services.withdraw_support(user=request.user, proposal=found)
            messages.success(request, _("Your support is withdrawn."))
        else:
            services.support_proposal(user=request.user, proposal=found)
            messages.success(request, _("You support this theme."))
    except services.VoteRefused as refused:
        messages.error(request, str(refused))
    return see_other(reverse("votes:proposal", kwargs={"pk": found.pk}))


@login_required
@require_safe
def ballots(request: AuthenticatedRequest) -> HttpResponse:
    if not _may(request, "votes.view_ballots"):
        return _members_only(request)
    return render(
        request, "votes/ballots.html", {"ballots": Ballot.objects.order_by("-closes_at")[:30], "now": timezone.now()}
    )


def result_view(ballot: Ballot) -> dict[str, Any]:
    """The stored result in words: names for option ids, a chart of the totals, the rounds and the ties."""
    if not ballot.result:
        return {}
    names = {str(o.pk): str(o.proposal) for o in ballot.options.select_related("proposal")}
    result = ballot.result
    approval = ballot.method == BallotMethod.APPROVAL
    totals = [(names[option], n) for option, n in result["totals"]]
    chart = charts.bar_chart(
        title=_("Approvals per theme") if approval else _("First preferences per theme"),
        description=_("%(ballots)s ballots counted, %(hands)s people voted by show of hands.")
        % {"ballots": result["ballots"], "hands": result.get("hands", 0)},
        bars=totals,
        label_header=_("theme"),
        value_header=_("approvals") if approval else _("first preferences"),
        chart_id=f"ballot-{ballot.pk}",
    )
    rounds = [
        {
            **r,
            "counts": [(names[o], n) for o, n in r["counts"]],
            "elected_name": names.get(r["elected"] or ""),
            "eliminated_name": names.get(r["eliminated"] or ""),
        }
        for r in result["rounds"]
    ]
    ties = [{**t, "text": _tie_in_words(t, names, approval)} for t in result["ties"]]
    return {
        "elected": [names[o] for o in result["elected"]],
        "chart": chart,
        "rounds": rounds,
        "ties": ties,
        "drawn": [names[o] for o in ballot.tie_order],
        "raw": result,
    }


def _names_in_words(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def _tie_in_words(tie: dict[str, Any], names: dict[str, str], approval: bool) -> str:
    """One tie as the result page says it: the seat, the round, who was tied and what the rule decided."""
    values = {
        "seat": tie["seat"],
        "round": tie["round"],
        "tied": _names_in_words([names[o] for o in tie["tied"]]),
        "chosen": names[tie["chosen"]],
    }
    if approval:
        return (
            _("Seat %(seat)s: tie between %(tied)s, with as many approvals; the order drawn by lot chose %(chosen)s.")
            % values
        )
    if tie["rule"] == "earlier_rounds":
        return (
            _(
                "Seat %(seat)s, round %(round)s: tie for the fewest votes between %(tied)s; %(chosen)s had fewer "
                "in an earlier round and was eliminated."
            )
            % values
        )
    return (
        _(
            "Seat %(seat)s, round %(round)s: tie for the fewest votes between %(tied)s, also in every earlier "
            "round; the order drawn by lot eliminated %(chosen)s."
        )
        % values
    )


def _marked(options: list[BallotOption], mine: list[int]) -> list[BallotOption]:
    """Each option with the member's own rank (as text, "" if not ranked) and whether they approve it.

    Done here rather than by a loop over ``mine`` in every position of every select: a ballot of 12 themes
    rendered 1,700 template nodes that way, the main cost of the page in the closing burst.
    """
    ranks = {option_id: rank for rank, option_id in enumerate(mine, start=1)}
    positions = range(1, len(options) + 1)
    for option in options:
        rank = ranks.get(option.pk)
        option.approved = rank is not None  # type: ignore[attr-defined]
        # The <option>s of the rank's <select>: digits only, built once here rather than node by node.
        option.rank_options = mark_safe(  # type: ignore[attr-defined]  # noqa: S308 (digits only)
            "".join(
                f'<option value="{n}" selected>{n}</option>' if n == rank else f'<option value="{n}">{n}</option>'
                for n in positions
            )
        )
    return options


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ballot(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Vote (or change the vote) while open; after the close, check a receipt; once published, the result.

    In the closing burst this page is the hot path: GET reads the ballot, its options and whether (and how) the
    member voted (and their choices); POST writes two upserts (``services.cast_vote``) and reads one row more
    (that the member got no paper ballot at the assembly).
    """
    if not _may(request, "votes.view_ballots"):
        return _members_only(request)
    found: Ballot = get_object_or_404(Ballot.objects.select_related("event__place"), pk=pk)
    now = timezone.now()
    options = list(found.options.select_related("proposal"))
    context: dict[str, Any] = {
        "ballot": found,
        "now": now,
        "options": options,
        "is_open": services.window_refusal(found, now) is None,
        "closed": now >= found.closes_at,
        "can_vote": request.user.has_perm("votes.vote"),
    }
    mine: list[int] | None = None
    # A receipt is checked by POST, never in the address: a code in a URL would reach the server's access log
    # and the browser's history, and the page shows the choices it was cast with.
    code = request.POST.get("receipt", "").strip() if request.method == "POST" else ""
    if request.method == "POST" and "receipt" not in request.POST:
        require(request.user, "votes.vote")
        if found.method == BallotMethod.APPROVAL:
            choices: list[str] = request.POST.getlist("approve")
        else:
            try:
                choices = services.choices_from_ranks({o.pk: request.POST.get(f"rank_{o.pk}", "") for o in options})
            except services.VoteRefused as refused:
                context["error"] = str(refused)
                return _ballot_page(request, context, status=400)
        try:
            code = services.cast_vote(
                ballot=found, user=request.user, choices=choices, now=now, option_ids=[o.pk for o in options]
            )
        except services.VoteRefused as refused:
            context["error"] = str(refused)
            return _ballot_page(request, context, status=400)
        mine = [int(c) for c in choices]
        context.update(receipt=code, voted=True)
        messages.success(request, _("Your vote is recorded. You can change it until voting closes."))
    else:
        _note_participation(context, found, request)
    if context["is_open"] and context["voted"] and not context.get("on_paper"):
        context["mine"] = mine if mine is not None else services.current_choices(found, request.user)
    if code and context["closed"]:
        cast = services.check_receipt(ballot=found, code=code, now=now)
        names = {o.pk: str(o.proposal) for o in options}
        context["receipt_checked"] = {
            "found": cast is not None,
            "choices": [names.get(c, "?") for c in (cast.choices if cast else [])],
            "counted": found.counted_at is not None,
        }
    # The counted totals (never anyone's choice): the team and the board at once, members once published.
    if found.result and request.user.has_perm("votes.view_result", found):
        context["result"] = result_view(found)
    return _ballot_page(request, context)


def _note_participation(context: dict[str, Any], found: Ballot, request: AuthenticatedRequest) -> None:
    channel = services.participation_channel(found, request.user)
    context["voted"] = channel is not None
    context["on_paper"] = channel == Channel.PAPER


def _ballot_page(request: AuthenticatedRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    if "voted" not in context:
        _note_participation(context, context["ballot"], request)
    _marked(context["options"], context.get("mine") or [])
    return render(request, "votes/ballot.html", context, status=status)
