"""The follow-up of networking events: the staff dashboard, its CSV, an event's level, and the public
"networking this year" page (aggregates only, no figure for fewer than five people)."""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopsip.core import charts
from coopsip.core.access import require
from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Event
from coopsip.networking import followup, services
from coopsip.networking.forms import FollowUpFilterForm, FollowUpForm, RecordEventForm
from coopsip.networking.models import EventFollowUp
from coopsip.stats import suppression

MAX_EVENTS_LISTED = 200


def _headers() -> tuple[str, ...]:
    return (
        _("Events"),
        _("Sign-ups"),
        _("Present"),
        _("First time"),
        _("Returning"),
        _("Offers and needs after"),
        _("Contacts after"),
    )


def _chart(dimension: str, title: str, groups: list[followup.Group]) -> charts.Chart:
    """A bar per group (people present) and, beside it, the table of every figure of the group."""
    chart = charts.bar_chart(
        title=title,
        description=_("People present per group; the table gives every figure."),
        bars=[(group.label, group.attendance) for group in groups],
        value_header=_("Present"),
        chart_id=f"followup-{dimension}",
    )
    rows = tuple(
        (
            group.label,
            *(
                str(n)
                for n in (
                    group.events,
                    group.signups,
                    group.attendance,
                    group.first_time,
                    group.returning,
                    group.listings_after,
                    group.contacts_after,
                )
            ),
        )
        for group in groups
    )
    return dataclasses.replace(chart, headers=(title, *_headers()), rows=rows)


TIME_TITLES = {
    "week": (lambda: _("By week"), lambda: _("Events held and people present per week."), lambda: _("Week")),
    "month": (lambda: _("By month"), lambda: _("Events held and people present per month."), lambda: _("Month")),
    "quarter": (
        lambda: _("By quarter"),
        lambda: _("Events held and people present per quarter."),
        lambda: _("Quarter"),
    ),
}


def time_dimension(filters: followup.Filters) -> str:
    """Weeks for a period of up to a quarter, months up to three years, quarters beyond."""
    days = (filters.end - filters.start).days + 1
    return "week" if days <= 92 else "month"


def _month_chart(groups: list[followup.Group], dimension: str = "month") -> charts.Chart:
    title, description, header = (text() for text in TIME_TITLES[dimension])
    chart = charts.line_chart(
        title=title,
        description=description,
        points=[group.label for group in groups],
        series=[
            (_("Events"), [float(group.events) for group in groups]),
            (_("Present"), [float(group.attendance) for group in groups]),
        ],
        point_header=header,
        chart_id=f"followup-{dimension}",
    )
    return dataclasses.replace(
        chart,
        headers=(header, *_headers()),
        rows=tuple(
            (
                g.label,
                *(
                    str(n)
                    for n in (
                        g.events,
                        g.signups,
                        g.attendance,
                        g.first_time,
                        g.returning,
                        g.listings_after,
                        g.contacts_after,
                    )
                ),
            )
            for g in groups
        ),
    )


TITLES = {
    "level": lambda: _("By level"),
    "sector": lambda: _("By sector"),
    "format": lambda: _("By format"),
    "office": lambda: _("By office or region"),
}


def _figures(group: followup.Group) -> tuple[int, ...]:
    return (
        group.events,
        group.signups,
        group.attendance,
        group.first_time,
        group.returning,
        group.listings_after,
        group.contacts_after,
    )


def _change(now: int, before: int) -> str:
    """The change from ``before`` to ``now``: a signed difference and, when there was something before, percent."""
    difference = now - before
    sign = "+" if difference > 0 else ("−" if difference < 0 else "±")
    if before == 0:
        return f"{sign}{abs(difference)}"
    return f"{sign}{abs(difference)} ({sign}{abs(round(100 * difference / before))} %)"


def _period_label(filters: followup.Filters) -> str:
    return "{} – {}".format(
        date_format(filters.start, "STAFF_DATE_FORMAT"), date_format(filters.end, "STAFF_DATE_FORMAT")
    )


def _comparison_chart(
    current: followup.Group, previous: followup.Group, filters: followup.Filters, before: followup.Filters
) -> charts.Chart:
    """This period beside the previous one of the same length: people present as bars, every figure in the table."""
    this_label = _("This period (%(dates)s)") % {"dates": _period_label(filters)}
    previous_label = _("Previous period (%(dates)s)") % {"dates": _period_label(before)}
    chart = charts.bar_chart(
        title=_("Compared with the previous period"),
        description=_("People present in this period and in the period of the same length before it."),
        bars=[(this_label, current.attendance), (previous_label, previous.attendance)],
        value_header=_("Present"),
        chart_id="followup-comparison",
    )
    now, then = _figures(current), _figures(previous)
    return dataclasses.replace(
        chart,
        headers=(_("Period"), *_headers()),
        rows=(
            (this_label, *(str(n) for n in now)),
            (previous_label, *(str(n) for n in then)),
            (_("Difference"), *(_change(a, b) for a, b in zip(now, then, strict=True))),
        ),
    )


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    require(request.user, "networking.follow_up_events")
    today = timezone.now().astimezone(BRUSSELS).date()
    form = FollowUpFilterForm(request.GET or None)
    filters = form.filters(today)
    before = followup.previous_period(filters, form.chosen_period())
    rows = followup.event_rows(filters)
    total, previous_total = followup.totals(rows), followup.totals(followup.event_rows(before))
    chart_list = [_comparison_chart(total, previous_total, filters, before)]
    chart_list += [_chart(d, TITLES[d](), followup.group_by(rows, d)) for d in ("level", "sector", "format", "office")]
    over_time = time_dimension(filters)
    chart_list.append(_month_chart(followup.group_by(rows, over_time), over_time))
    return render(
        request,
        "networking/followup_dashboard.html",
        {
            "form": form,
            "filters": filters,
            "before": before,
            "total": total,
            "previous_total": previous_total,
            "charts": chart_list,
            "events": sorted(rows, key=lambda r: r.starts_at, reverse=True)[:MAX_EVENTS_LISTED],
            "more_events": max(0, len(rows) - MAX_EVENTS_LISTED),
            "query_string": request.GET.urlencode(),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
def dashboard_csv(request: HttpRequest) -> StreamingHttpResponse:
    require(request.user, "networking.follow_up_events")
    today = timezone.now().astimezone(BRUSSELS).date()
    filters = FollowUpFilterForm(request.GET or None).filters(today)
    rows = followup.event_rows(filters)
    level, sector, fmt, office = (followup.labels(d) for d in ("level", "sector", "format", "office"))
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(
            [
                _("Date"),
                _("Event"),
                _("Level"),
                _("Sector"),
                _("Format"),
                _("Office or region"),
                _("Organised by"),
                *_headers()[1:],
            ]
        )
        for r in rows:
            yield writer.writerow(
                [
                    r.starts_at.astimezone(BRUSSELS).date().isoformat(),
                    _safe_cell(r.title),
                    level(r.level),
                    "; ".join(sector(key) for key in r.sectors) or sector(""),
                    fmt(r.format),
                    office(str(r.office_id or "")),
                    _safe_cell(r.organised_by),
                    r.signups,
                    r.attendance,
                    r.first_time,
                    r.returning,
                    r.listings_after,
                    r.contacts_after,
                ]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    name = f"networking-events-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _safe_cell(text: str) -> str:
    """A spreadsheet must not run a title typed by someone as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@login_required
def event_follow_up(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "networking.follow_up_events")
    event = get_object_or_404(Event, pk=pk)
    current = EventFollowUp.objects.filter(event=event).first()
    initial: dict[str, Any] = {"level": "local"}
    if current is not None:
        initial = {
            "level": current.level,
            "office": current.office_id,
            "sectors": current.sectors,
            "organised_by": current.organised_by,
            "headcount": current.headcount,
        }
    form = FollowUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.record_event_follow_up(event=event, data=form.to_input())
        messages.success(request, _("Saved: the dashboard counts the event at this level."))
        return redirect("networking_staff:followup")
    return render(request, "networking/followup_event.html", {"event": event, "form": form})


@login_required
def record_event(request: HttpRequest) -> HttpResponse:
    """Staff record, in one form, an event a partner or a federal or European network held."""
    require(request.user, "networking.follow_up_events")
    today = timezone.now().astimezone(BRUSSELS).date()
    form = RecordEventForm(request.POST or None, today=today)
    if request.method == "POST" and form.is_valid():
        follow_up = services.record_event_held_by_others(data=form.to_input())
        messages.success(
            request,
            _("Recorded: “%(title)s” now counts in the follow-up of networking events.")
            % {"title": follow_up.event.title},
        )
        return redirect("networking_staff:followup")
    return render(request, "networking/followup_record.html", {"form": form})


def this_year(request: HttpRequest) -> HttpResponse:
    """Public: the year's networking in figures (groups of fewer than five people show none) and what comes."""
    require(request.user, "networking.view_sector_networks")
    today = timezone.now().astimezone(BRUSSELS).date()
    rows = followup.event_rows(followup.year_filters(today.year))
    sections = []
    for dimension in ("level", "sector", "format"):
        groups = [(g, suppression.people(g.attendance)) for g in followup.group_by(rows, dimension)]
        chart = charts.bar_chart(
            title=TITLES[dimension](),
            description=_("People present per group; groups of fewer than five people are not shown."),
            bars=[(g.label, present.value) for g, present in groups if present.value is not None],
            value_header=_("Present"),
            chart_id=f"year-{dimension}",
        )
        chart = dataclasses.replace(
            chart,
            headers=(TITLES[dimension](), _("Events"), _("Present")),
            rows=tuple((g.label, "—" if present.suppressed else str(g.events), str(present)) for g, present in groups),
        )
        sections.append(chart)
    total = followup.totals(rows)
    return render(
        request,
        "networking/this_year.html",
        {
            "year": today.year,
            "total": total,
            # Nobody yet, or a small group: no figure at all (the rule is stats.suppression's).
            "too_few": total.attendance == 0 or suppression.people(total.attendance).suppressed,
            "charts": sections,
            "upcoming": followup.upcoming(),
        },
    )
