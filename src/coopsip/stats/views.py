"""Statistics pages: public per edition since 2015 (small groups hidden), staff detail and funnel, CSV, open data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from coopsip.core.access import require
from coopsip.core.http import see_other
from coopsip.editions.models import Edition
from coopsip.editions.selectors import published_editions
from coopsip.stats import activity, opendata, presentation, selectors
from coopsip.stats.presentation import Table
from coopsip.stats.suppression import THRESHOLD, people


def _csv_response(table: Table, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(presentation.csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _published(slug: str) -> Edition:
    return get_object_or_404(published_editions(), slug=slug)


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.view_public")
    data = selectors.overview()
    table = presentation.overview_table(data)
    decisions = presentation.decisions_table(data)
    context = {
        "overview": data,
        "table": table,
        "distinct_people": people(data.distinct_people),
        "platform_people": people(data.platform_people),
        "recorded_people": people(data.recorded_people),
        "charts": [
            presentation.trend_chart(data),
            presentation.recommendations_chart(data),
            presentation.bars_chart(
                decisions,
                column=1,
                chart_id="decisions",
                description=_("Every recommendation since 2015 the board decided on, by its decision."),
            ),
        ],
        "threshold": THRESHOLD,
        "editions": list(reversed(data.editions)),
    }
    return render(request, "stats/index.html", context)


@require_safe
def overview_csv(request: HttpRequest) -> StreamingHttpResponse:
    require(request.user, "stats.view_public")
    return _csv_response(presentation.overview_table(selectors.overview()), "coopsip-editions.csv")


@require_safe
def decisions_csv(request: HttpRequest) -> StreamingHttpResponse:
    require(request.user, "stats.view_public")
    return _csv_response(presentation.decisions_table(selectors.overview()), "coopsip-decisions.csv")


def _edition_tables(edition: Edition, *, exact: bool) -> dict[str, Table]:
    # The same raw counts for everyone (cached); the small-group rule is applied per audience below.
    tables = {
        key: presentation.breakdown_table(breakdown, exact=exact)
        for key, breakdown in selectors.public_breakdowns(edition).items()
    }
    if exact:
        for breakdown in selectors.staff_breakdowns(edition):
            tables[breakdown.key] = presentation.breakdown_table(breakdown, exact=True)
    return tables


def _edition_context(edition: Edition, *, exact: bool) -> dict[str, object]:
    figures = selectors.edition_figures(edition)
    tables = _edition_tables(edition, exact=exact)
    decisions = presentation.decisions_table(selectors.overview(), edition=figures)
    return {
        "edition": edition,
        "figures": figures,
        "registrations": presentation.known_people(figures.registrations, exact=exact),
        "placed": presentation.known_people(figures.placed, exact=exact),
        "attendance": presentation.attendance(figures, exact=exact),
        "source": presentation.source_label(figures.source),
        "tables": list(tables.values()),
        "decisions": decisions,
        "office_chart": presentation.bars_chart(
            tables["office"],
            column=1,
            chart_id="offices",
            description=_("Registrations per office; an office with fewer than 5 registrations is not drawn."),
        ),
        "threshold": THRESHOLD,
    }


@require_safe
def edition(request: HttpRequest, slug: str) -> HttpResponse:
    require(request.user, "stats.view_public")
    return render(request, "stats/edition.html", _edition_context(_published(slug), exact=False))


@require_safe
def edition_csv(request: HttpRequest, slug: str, table: str) -> StreamingHttpResponse:
    require(request.user, "stats.view_public")
    edition = _published(slug)
    if table == "decisions":
        chosen = presentation.decisions_table(selectors.overview(), edition=selectors.edition_figures(edition))
    else:
        tables = _edition_tables(edition, exact=False)
        if table not in tables:
            raise Http404(table)
        chosen = tables[table]
    return _csv_response(chosen, f"coopsip-{edition.slug}-{table}.csv")


# ---------------------------------------------------------------------------
# Open data


@require_safe
def open_data(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.view_public")
    return render(request, "stats/open_data.html", {"files": opendata.FILES, "licence": opendata.LICENCE})


@require_safe
def open_data_zip(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.view_public")
    response = HttpResponse(opendata.cached_zip(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="coopsip-open-data.zip"'
    return response


# ---------------------------------------------------------------------------
# Staff


@login_required
@require_safe
def staff_current(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.view_detail")
    current = selectors.current_edition_for_stats()
    if current is None:
        raise Http404(_("There is no published edition yet."))
    return see_other(reverse("stats_staff:edition", kwargs={"slug": current.slug}))


@login_required
@require_safe
def staff_edition(request: HttpRequest, slug: str) -> HttpResponse:
    require(request.user, "stats.view_detail")
    edition = get_object_or_404(Edition, slug=slug)
    context = _edition_context(edition, exact=True)
    funnel = selectors.funnel(edition)
    context["funnel"] = funnel
    context["funnel_chart"] = presentation.bars_chart(
        presentation.funnel_table(funnel),
        column=1,
        chart_id="funnel",
        description=_(
            "From registration to taking part: registered, proposed a group, accepted it, "
            "present at three group meetings or more."
        ),
    )
    context["editions"] = Edition.objects.order_by("-starts_on")
    return render(request, "stats/staff.html", context)


@login_required
@require_safe
def staff_csv(request: HttpRequest, slug: str, table: str) -> StreamingHttpResponse:
    require(request.user, "stats.view_detail")
    edition = get_object_or_404(Edition, slug=slug)
    if table == "funnel":
        return _csv_response(presentation.funnel_table(selectors.funnel(edition)), f"coopsip-{slug}-funnel.csv")
    tables = _edition_tables(edition, exact=True)
    if table not in tables:
        raise Http404(table)
    return _csv_response(tables[table], f"coopsip-{slug}-{table}-staff.csv")


@require_POST
def staff_refresh(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.manage")
    selectors.forget_overview()
    messages.success(request, _("The statistics were computed again."))
    return see_other(reverse("stats_staff:current"))


@require_POST
def staff_rebuild_open_data(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.manage")
    opendata.rebuild()
    messages.success(request, _("The open-data ZIP was built again."))
    return see_other(reverse("stats:open_data"))


# ---------------------------------------------------------------------------
# Beyond the groups: recommendations' follow-up, networking, surveys (stats.activity)


def _activity_page(request: HttpRequest, *, exact: bool) -> HttpResponse:
    tables = activity.tables(activity.activity(), exact=exact)
    csv_name = "stats_staff:activity_csv" if exact else "stats:activity_csv"
    return render(
        request,
        "stats/activity.html",
        {
            "tables": [(table, reverse(csv_name, kwargs={"table": key})) for key, table in tables.items()],
            "exact": exact,
            "threshold": THRESHOLD,
        },
    )


def _activity_csv(table: str, *, exact: bool) -> StreamingHttpResponse:
    tables = activity.tables(activity.activity(), exact=exact)
    if table not in tables:
        raise Http404(table)
    return _csv_response(tables[table], f"coopsip-{table}{'-staff' if exact else ''}.csv")


@require_safe
def activity_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.view_public")
    return _activity_page(request, exact=False)


@require_safe
def activity_csv(request: HttpRequest, table: str) -> StreamingHttpResponse:
    require(request.user, "stats.view_public")
    return _activity_csv(table, exact=False)


@login_required
@require_safe
def staff_activity(request: HttpRequest) -> HttpResponse:
    require(request.user, "stats.view_detail")
    return _activity_page(request, exact=True)


@login_required
@require_safe
def staff_activity_csv(request: HttpRequest, table: str) -> StreamingHttpResponse:
    require(request.user, "stats.view_detail")
    return _activity_csv(table, exact=True)
