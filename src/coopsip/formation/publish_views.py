"""Staff pages that publish a run and compare two runs, at /<language>/staff/formation/.

Publishing asks for confirmation first. When another run of the edition is
published, the page says so and lists exactly who changes group, who gets a
group and who loses one (a page at a time): only they are emailed. The form
sends back the fingerprint of the changes shown; an empty POST, a GET, or a
POST whose changes are no longer those shown publishes nothing.

Every view checks ``formation.manage`` first, then finds its object (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from coopsip.core.access import require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.models import Edition
from coopsip.formation import publishing
from coopsip.formation.changes import (
    ChangeKind,
    GroupDifference,
    PersonChange,
    Placement,
    ProposalChanges,
    proposal_changes,
)
from coopsip.formation.models import FormationRun, MemberRole, RunStatus
from coopsip.formation.reasons import Names, unplaced_text
from coopsip.formation.services import FormationRefused
from coopsip.formation.staff_forms import CompareForm
from coopsip.formation.staff_views import FIGURES, _figure

PAGE_SIZE = 50

# What a change means on the publish page (the published proposal → this run).
PUBLISH_LABELS: dict[ChangeKind, Promise] = {
    ChangeKind.MOVED: gettext_lazy("Changes group"),
    ChangeKind.NEW_ROLE: gettext_lazy("Same group, another role"),
    ChangeKind.JOINED: gettext_lazy("Gets a group"),
    ChangeKind.LEFT: gettext_lazy("Loses their group"),
    ChangeKind.STILL_WITHOUT: gettext_lazy("No group, not told yet"),
}
# And on the comparison (run A → run B).
COMPARE_LABELS: dict[ChangeKind, Promise] = {
    ChangeKind.MOVED: gettext_lazy("Another group"),
    ChangeKind.NEW_ROLE: gettext_lazy("Same group, another role"),
    ChangeKind.JOINED: gettext_lazy("A group only in the second run"),
    ChangeKind.LEFT: gettext_lazy("A group only in the first run"),
    ChangeKind.STILL_WITHOUT: gettext_lazy("Not in the first run, no group in the second"),
}


def _run_for(request: AuthenticatedRequest, pk: int) -> FormationRun:
    require(request.user, "formation.manage")
    runs = FormationRun.objects.select_related("edition", "published_by", "replaced_by")
    return get_object_or_404(runs, pk=pk)


def _run_url(run: FormationRun) -> str:
    return reverse("formation_staff:run", kwargs={"pk": run.pk})


def _rows(changes: list[PersonChange], labels: dict[ChangeKind, Promise]) -> list[dict[str, Any]]:
    """The changes of one page, with the group descriptions and reasons in words."""
    names = Names()
    return [
        {
            "change": change,
            "label": labels[change.kind],
            "before": change.before,
            "after": change.after,
            "before_text": publishing.describe(change.before.group) if change.before else "",
            "before_role": _role(change.before),
            "after_role": _role(change.after),
            "after_text": publishing.describe(change.after.group) if change.after else "",
            "reason": unplaced_text(change.reason.code, change.reason.params, names) if change.reason else "",
        }
        for change in changes
    ]


def _role(place: Placement | None) -> str:
    # Only the roles that make a difference are named.
    return str(MemberRole(place.role).label) if place and place.role != MemberRole.PARTICIPANT else ""


def _page(request: AuthenticatedRequest, items: list[Any], name: str = "page") -> Page[Any]:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get(name))


def _counts(changes: ProposalChanges, labels: dict[ChangeKind, Promise]) -> list[tuple[Promise, int]]:
    return [(labels[kind], count) for kind, count in changes.counts.items() if count]


# --- Publishing ---------------------------------------------------------------------


def _publish_page(
    request: AuthenticatedRequest, run: FormationRun, *, alert: str = "", status: int = 200
) -> HttpResponse:
    context: dict[str, Any] = {"run": run, "edition": run.edition, "alert": alert}
    if run.status == RunStatus.DONE and run.published_at is None:
        changes = publishing.changes_to_publish(run)
        page = _page(request, changes.people)
        context |= {
            "changes": changes,
            "published": changes.old,
            "refused": publishing.replacing_refused(run=run, changes=changes),
            "counts": _counts(changes, PUBLISH_LABELS),
            "proposed": changes.counts[ChangeKind.JOINED],
            "without": changes.counts[ChangeKind.STILL_WITHOUT],
            "page": page,
            "rows": _rows(list(page.object_list), PUBLISH_LABELS),
        }
    return render(request, "formation/staff/publish.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Confirm, then publish the run (replacing the published proposal, if any)."""
    formation_run = _run_for(request, pk)
    if request.method == "GET":
        return _publish_page(request, formation_run)
    if formation_run.replaced_at is not None:
        alert = _("This proposal was replaced by another run: it can no longer be published. Nothing was sent.")
        return _publish_page(request, formation_run, alert=alert, status=400)
    if formation_run.published_at is not None:
        messages.info(request, _("This proposal was already published: nothing was sent again."))
        return see_other(_run_url(formation_run))
    confirmed = request.POST.get("confirmed", "")
    if not confirmed:
        alert = _("Nothing was published: confirm with the button on this page.")
        return _publish_page(request, formation_run, alert=alert, status=400)
    try:
        done = publishing.publish_run(by=request.user, run=formation_run, confirmed=confirmed)
    except FormationRefused as refused:
        return _publish_page(request, formation_run, alert=refused.message, status=400)
    messages.success(request, _published_message(done))
    return see_other(_run_url(formation_run))


def _published_message(done: publishing.Publication) -> str:
    if done.replaced is None:
        text = ngettext(
            "The proposal is published: %(count)s person was proposed a group.",
            "The proposal is published: %(count)s people were proposed a group.",
            done.count(ChangeKind.JOINED),
        ) % {"count": done.count(ChangeKind.JOINED)}
        without = done.count(ChangeKind.STILL_WITHOUT)
        if without:
            text += " " + ngettext(
                "%(count)s person without a group was told why.",
                "%(count)s people without a group were told why.",
                without,
            ) % {"count": without}
        return text
    return ngettext(
        "Run %(number)s replaces run %(old)s as the published proposal: %(count)s person was told what changed.",
        "Run %(number)s replaces run %(old)s as the published proposal: %(count)s people were told what changed.",
        done.told,
    ) % {"number": done.changes.new.number if done.changes else "", "old": done.replaced.number, "count": done.told}


# --- Two runs side by side ----------------------------------------------------------


@login_required
@require_safe
def compare(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """Two runs' figures side by side, who is placed differently (a page at a time), and which groups differ."""
    require(request.user, "formation.manage")
    edition = get_object_or_404(Edition, slug=slug)
    if "a" in request.GET or "b" in request.GET:
        form = CompareForm(request.GET, edition=edition)
        chosen = [form.cleaned_data["a"], form.cleaned_data["b"]] if form.is_valid() else []
    else:
        # The two latest finished runs, the older first.
        chosen = list(FormationRun.objects.filter(edition=edition, status=RunStatus.DONE)[:2])[::-1]
        form = CompareForm(initial={"a": chosen[0].pk, "b": chosen[-1].pk} if chosen else {}, edition=edition)
    rows = [(label, [_figure(r.report, key, kind) for r in chosen]) for key, label, kind in FIGURES]
    context: dict[str, Any] = {"edition": edition, "form": form, "chosen": chosen, "rows": rows}
    if len(chosen) == 2 and chosen[0] != chosen[1]:
        changes = proposal_changes(chosen[0], chosen[1])
        people = _page(request, changes.people)
        groups: Page[GroupDifference] = _page(request, changes.groups, "groups_page")
        context |= {
            "changes": changes,
            "counts": _counts(changes, COMPARE_LABELS),
            "page": people,
            "people": _rows(list(people.object_list), COMPARE_LABELS),
            "groups_page": groups,
            "groups": [
                {
                    "difference": difference,
                    "old_text": publishing.describe(difference.old) if difference.old else "",
                    "new_text": publishing.describe(difference.new) if difference.new else "",
                }
                for difference in groups.object_list
            ],
        }
    return render(request, "formation/staff/compare.html", context, status=400 if form.errors else 200)
