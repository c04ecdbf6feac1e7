"""Organiser pages, at /<language>/events/organise/: create and change events and series, the attendee
list and attendance, the CSV and the sign-in sheet, minutes and attachments, guests, and attendance over
time for a series or a group.

Every view checks access first: ``_event_for`` gets the event by its id (404
when unknown) and then requires ``events.organise`` on it (403): staff, the
event's organiser, the moderator or secretary of its group. Creating needs
``events.create_meeting``: staff create any event, a group's moderator or secretary
the meetings of their own groups (``events.create_for_circle``); the attendance tables need ``events.view_attendance``
on the group (staff, the group's officers). Every change is a POST that calls
one service and answers 303, or shows the form again with its errors (400).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core.access import is_staff_member, require
from coopsip.core.http import AuthenticatedRequest, see_other
from coopsip.editions.phases import BRUSSELS
from coopsip.events import selectors, services
from coopsip.events.models import (
    SEATED,
    Audience,
    Circle,
    CircleRole,
    Event,
    EventFormat,
    EventKind,
    MinutesAttachment,
    Series,
    SignUp,
    SignUpStatus,
)
from coopsip.events.organise_forms import (
    AttachmentForm,
    AttendanceForm,
    CancelSignUpForm,
    EventForm,
    GuestForm,
    MinutesForm,
    RenewLinkForm,
    SeriesForm,
)
from coopsip.events.services import EventBusy, EventInvalid, SignUpRefused
from coopsip.registrations.exports import encoded_chunks, escape_cell

OFFICERS = (CircleRole.MODERATOR, CircleRole.SECRETARY)
FormT = TypeVar("FormT", bound=EventForm)
BLANK_SHEET_ROWS = 5
CSV_COLUMNS = ("name", "email", "status", "guest_role", "signed_up_at")
CSV_FIELDS = ("name", "email", "status", "guest_role", "created_at", "event_id")


ORGANISE_PER_PAGE = 25  # events per page of "Events I organise" (coming and past each)


def _event_for(request: AuthenticatedRequest, pk: int) -> Event:
    event: Event = get_object_or_404(Event.objects.select_related("place", "circle", "series"), pk=pk)
    require(request.user, "events.organise", event)
    return event


def _edit_url(event: Event) -> str:
    return reverse("events_organise:edit", kwargs={"pk": event.pk})


# What a group's name in the reader's language reads (``circle_name``), selected with a list of groups.
CIRCLE_NAME_RELATED = ("sector_network", "working_group__theme", "working_group__office")


def _circles_for(user: Any) -> Any:
    """The groups ``user`` may hold meetings for: all for staff (None), else those they moderate or keep minutes of."""
    if is_staff_member(user):
        return None
    return Circle.objects.filter(memberships__user=user, memberships__role__in=("moderator", "secretary"))


def _add_errors(form: Any, errors: dict[str, str], *, rename: dict[str, str] | None = None) -> None:
    """The service's messages next to their fields (or above the form when no field matches)."""
    for name, message in errors.items():
        name = (rename or {}).get(name, name)
        form.add_error(name if name in form.fields else None, message)


def _busy(form: Any) -> None:
    form.add_error(
        None, _("Many people are signing up for this event right now. Nothing changed: try again in a moment.")
    )


# --- Lists ------------------------------------------------------------------------


def _organised_by(user: Any) -> Q:
    return Q(organiser=user) | Q(circle__memberships__user=user, circle__memberships__role__in=OFFICERS)


@login_required
@require_safe
def event_list(request: AuthenticatedRequest) -> HttpResponse:
    staff = is_staff_member(request.user)
    officer_of = (
        []
        if staff
        else list(
            Circle.objects.filter(memberships__user=request.user, memberships__role__in=OFFICERS).select_related(
                *CIRCLE_NAME_RELATED
            )
        )
    )
    mine = Event.objects.all() if staff else Event.objects.filter(_organised_by(request.user))
    if not staff and not officer_of and not mine.exists():
        raise PermissionDenied
    now = timezone.now()
    events = selectors.with_counts(Event.objects.filter(pk__in=mine.values("pk"))).select_related("place", "series")
    # Bounded: the team organises every event, and a year of weekly meetings adds up.
    coming = Paginator(events.filter(ends_at__gt=now).order_by("starts_at", "pk"), ORGANISE_PER_PAGE)
    past = Paginator(events.filter(ends_at__lte=now).order_by("-starts_at", "-pk"), ORGANISE_PER_PAGE)
    context = {
        "coming": coming.get_page(request.GET.get("coming")),
        "past": past.get_page(request.GET.get("past")),
        "circles": officer_of,
        "may_create": staff,
    }
    return render(request, "events/organise/list.html", context)


# --- Creating and changing ----------------------------------------------------------


def _form_page(request: AuthenticatedRequest, form: Any, *, status: int | None = None, **context: Any) -> HttpResponse:
    status = status or (400 if form.errors else 200)
    return render(request, "events/organise/form.html", {"form": form, **context}, status=status)


def _creation_form(request: AuthenticatedRequest, form_class: type[FormT]) -> FormT:
    """Staff create any event; a group's moderator or secretary only meetings of their own groups.

    ``?circle=<id>`` (the link on the group's pages) chooses the group at once when it is one of theirs.
    """
    require(request.user, "events.create_meeting")
    circles = _circles_for(request.user)
    initial: dict[str, Any] = {}
    chosen = request.GET.get("circle", "")
    if chosen.isdigit() and (circles is None or circles.filter(pk=int(chosen)).exists()):
        initial["circle"] = int(chosen)
        initial["audience"] = Audience.CIRCLE
        initial["kind"] = EventKind.GROUP_MEETING
    edition = request.GET.get("edition", "")
    if circles is None and request.GET.get("kind") == EventKind.INFO_SESSION and edition.isdigit():
        # The edition's staff page: a public info session of that edition, presented, with its sign-up.
        initial.update(
            kind=EventKind.INFO_SESSION, format=EventFormat.PRESENTATION, edition=int(edition), audience=Audience.PUBLIC
        )
    return form_class(request.POST or None, initial=initial, circles=circles, meetings_only=circles is not None)


def _check_circle(request: AuthenticatedRequest, form: EventForm) -> None:
    # The form only offers the person's own groups; the rule is checked once more where it lives.
    if form.cleaned_data.get("circle") is not None or not is_staff_member(request.user):
        require(request.user, "events.create_for_circle", form.cleaned_data.get("circle"))


@login_required
@require_http_methods(["GET", "POST"])
def create(request: AuthenticatedRequest) -> HttpResponse:
    form = _creation_form(request, EventForm)
    if request.method == "POST" and form.is_valid():
        _check_circle(request, form)
        try:
            event = services.create_event(by=request.user, data=form.to_input())
        except EventInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(request, _("The event is created. People can sign up now."))
            return see_other(_edit_url(event))
    return _form_page(request, form, title=_("New event"), submit=_("Create the event"))


@login_required
@require_http_methods(["GET", "POST"])
def create_series(request: AuthenticatedRequest) -> HttpResponse:
    form = _creation_form(request, SeriesForm)
    if request.method == "POST" and form.is_valid():
        _check_circle(request, form)
        try:
            series = services.create_series(by=request.user, data=form.to_input(), rule=form.rule())
        except EventInvalid as invalid:
            _add_errors(form, invalid.errors, rename={"rule": form.rule_field()})
        else:
            count = series.events.count()
            messages.success(
                request,
                ngettext(
                    "The series is created with %(count)d meeting.",
                    "The series is created with %(count)d meetings.",
                    count,
                )
                % {"count": count},
            )
            return see_other(reverse("events_organise:list"))
    return _form_page(request, form, title=_("New series of meetings"), submit=_("Create the series"))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    circles = _circles_for(request.user)
    # A group's officer changes a group's meeting within what a group's meeting may be; an event that staff
    # made and gave a member to organise keeps the kinds, audiences and editions staff chose for it.
    form = EventForm(
        request.POST or None,
        initial=EventForm.initial_for(event),
        circles=circles,
        meetings_only=circles is not None and event.circle_id is not None,
    )
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            services.update_event(by=request.user, event=event, data=form.to_input())
        except EventInvalid as invalid:
            _add_errors(form, invalid.errors)
        except EventBusy:
            _busy(form)
            status = 503
        else:
            messages.success(request, _("The changes are saved. People with a seat are told of a new time or place."))
            return see_other(_edit_url(event))
    series_attendance = event.series is not None and request.user.has_perm(
        "events.view_attendance", event.series.circle
    )
    return _form_page(
        request,
        form,
        status=status,
        event=event,
        series_attendance=series_attendance,
        title=_("Change the event"),
        submit=_("Save the changes"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel_event(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    if request.method == "POST":
        services.cancel_event(by=request.user, event=event)
        messages.success(request, _("The event is cancelled. Everyone who signed up or was waiting is told."))
        return see_other(_edit_url(event))
    people = event.signups.filter(status__in=(*SEATED, SignUpStatus.WAITING)).count()
    return render(request, "events/organise/cancel.html", {"event": event, "people": people})


# --- Attendees and attendance -------------------------------------------------------


ATTENDEES_PER_PAGE = 50  # people per page of the attendee list (seats, then the waiting list, then the others)


class _CountedPaginator(Paginator):
    """A paginator told its number of rows (counted with the list's other figures in one query)."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


def _shown(request: AuthenticatedRequest) -> list[int] | None:
    """The sign-ups the attendance form was shown for (the page's people), or None when it does not say."""
    if "shown" not in request.POST:
        return None
    return [int(value) for value in request.POST.getlist("shown") if value.isdigit()][:ATTENDEES_PER_PAGE]


@login_required
@require_http_methods(["GET", "POST"])
def attendees(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The list by pages; once the meeting has started, a mark for each person (came, absent, excused).

    Saving the marks records the people of the page only; a seat holder left unmarked there is absent.
    """
    event = _event_for(request, pk)
    counts = selectors.attendee_counts(event)
    paginator = _CountedPaginator(selectors.attendees_in_list_order(event), ATTENDEES_PER_PAGE, count=counts.total)
    page = paginator.get_page(request.GET.get("page"))
    signups = list(page.object_list)
    started = timezone.now() >= event.starts_at
    markable = [signup.pk for signup in signups if services.markable(signup)] if started else []
    if request.method == "POST" and started:
        # The people the organiser saw (the list may have moved since), else those of this page now.
        markable = _shown(request) or markable
    form = AttendanceForm(request.POST if request.method == "POST" else None, signup_ids=markable)
    if request.method == "POST" and form.is_valid():
        try:
            count = services.record_attendance(by=request.user, event=event, marks=form.marks(), among=markable)
        except EventInvalid as invalid:
            _add_errors(form, invalid.errors)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance is saved: %(count)d person came.", "Attendance is saved: %(count)d people came.", count
                )
                % {"count": count},
            )
            return see_other(_attendees_url(event, page=page.number))
    if form.is_bound:
        chosen = {pk: request.POST.get(AttendanceForm.field_name(pk), "") for pk in markable}
    else:
        chosen = {signup.pk: services.mark_of(signup) for signup in signups}
    # The waiting list follows the seats: its numbers come from the row's place in the whole list.
    first = page.start_index() - 1 if signups else 0
    rows = []
    for offset, signup in enumerate(signups):
        position = first + offset - counts.seats_part + 1 if signup.status == SignUpStatus.WAITING else None
        rows.append((signup, position, chosen.get(signup.pk, "")))
    context = {
        "event": event,
        "form": form,
        "page": page,
        "rows": rows,
        "marks": AttendanceForm.MARK_LABELS,
        "markable": set(markable),
        "started": started,
        "seated": counts.seated,
        "waiting": counts.waiting,
        "waiting_page": counts.seats_part // ATTENDEES_PER_PAGE + 1,
    }
    return render(request, "events/organise/attendees.html", context, status=400 if form.errors else 200)


def _attendees_url(event: Event, *, page: int = 1) -> str:
    url = reverse("events_organise:attendees", kwargs={"pk": event.pk})
    return url if page == 1 else f"{url}?page={page}"


@login_required
@require_http_methods(["GET", "POST"])
def cancel_signup(request: AuthenticatedRequest, pk: int, signup_pk: int) -> HttpResponse:
    """Cancel someone's sign-up before the start, after a confirmation page; it can be undone on the list."""
    event = _event_for(request, pk)
    signup = get_object_or_404(SignUp, pk=signup_pk, event=event)
    form = CancelSignUpForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.cancel_sign_up(signup_id=signup.pk, by=request.user)
        except SignUpRefused as refused:
            error = refused.message
        except EventBusy:
            error = _("Many people are signing up for this event right now. Nothing changed: try again in a moment.")
        else:
            messages.success(
                request,
                _("The sign-up of %(name)s is cancelled. Until the meeting starts you can undo it on this list.")
                % {"name": signup.name},
            )
            return see_other(_attendees_url(event))
    next_waiting = None
    if signup.holds_seat:
        next_waiting = event.signups.filter(status=SignUpStatus.WAITING).order_by("queued_at", "pk").first()
    context = {
        "event": event,
        "signup": signup,
        "form": form,
        "error": error,
        "started": timezone.now() >= event.starts_at,
        "next_waiting": next_waiting,
    }
    invalid = request.method == "POST"  # a POST that gets here changed nothing
    return render(request, "events/organise/cancel_signup.html", context, status=400 if invalid else 200)


@login_required
@require_POST
def undo_cancel_signup(request: AuthenticatedRequest, pk: int, signup_pk: int) -> HttpResponse:
    """Give back what an organiser's cancellation took, the seat if it is still free, else the place in line."""
    event = _event_for(request, pk)
    signup = get_object_or_404(SignUp, pk=signup_pk, event=event)
    try:
        restored = services.undo_cancel_sign_up(by=request.user, signup_id=signup.pk)
    except SignUpRefused as refused:
        messages.error(request, refused.message)
    except EventBusy:
        messages.error(request, _("Many people are signing up for this event right now. Try again in a moment."))
    else:
        name = restored.signup.name
        if restored.seat_taken:
            messages.warning(
                request,
                _(
                    "The cancellation is undone, but the seat of %(name)s was taken in the meantime and the event "
                    "is full: %(name)s is back on the waiting list, number %(position)d."
                )
                % {"name": name, "position": restored.position},
            )
        elif restored.signup.status == SignUpStatus.WAITING:
            messages.success(
                request,
                _("The cancellation is undone: %(name)s is back on the waiting list, number %(position)d.")
                % {"name": name, "position": restored.position},
            )
        else:
            messages.success(request, _("The cancellation is undone: %(name)s has a seat again.") % {"name": name})
    return see_other(_attendees_url(event))


def _brussels(moment: Any) -> str:
    return moment.astimezone(BRUSSELS).strftime("%Y-%m-%d %H:%M") if moment else ""


class _Echo:
    def write(self, value: str) -> str:
        return value


def attendees_csv_lines(signups: Iterable[SignUp]) -> Iterator[str]:
    """The attendee list for Excel, line by line: UTF-8 with a byte order mark, semicolons, CRLF, formulas escaped."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff" + writer.writerow(CSV_COLUMNS)
    for signup in signups:
        row = (signup.name, signup.email, signup.status, signup.guest_role, _brussels(signup.created_at))
        yield writer.writerow([escape_cell(value) for value in row])


EXPORT_CHUNK = 500  # sign-ups read from the database at a time


@login_required
@require_safe
def export(request: AuthenticatedRequest, pk: int) -> StreamingHttpResponse:
    """The whole list as on the page (seats, the waiting list in order, the others), streamed."""
    event = _event_for(request, pk)
    day: date = event.starts_at.astimezone(BRUSSELS).date()
    signups = selectors.attendees_in_list_order(event).only(*CSV_FIELDS).iterator(chunk_size=EXPORT_CHUNK)
    response = StreamingHttpResponse(
        encoded_chunks(attendees_csv_lines(signups)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="attendees-{day:%Y-%m-%d}-{event.pk}.csv"'
    response["Cache-Control"] = "no-store"  # personal data: no copy in any cache
    return response


@login_required
@require_safe
def sheet(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    seated = sorted(selectors.attendees(event).filter(status__in=SEATED), key=lambda signup: signup.name.lower())
    context = {"event": event, "seated": seated, "blank_rows": range(BLANK_SHEET_ROWS)}
    return render(request, "events/organise/sheet.html", context)


# --- Minutes and guests ---------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def minutes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    which = request.POST.get("form")
    minutes_form = MinutesForm(request.POST if which == "minutes" else None, initial=services.meeting_texts(event))
    attachment_form = AttachmentForm(
        request.POST if which == "attachment" else None, request.FILES if which == "attachment" else None
    )
    here = reverse("events_organise:minutes", kwargs={"pk": event.pk})
    if which == "minutes" and minutes_form.is_valid():
        services.save_minutes(by=request.user, event=event, **minutes_form.cleaned_data)
        messages.success(request, _("The agenda and the minutes are saved."))
        return see_other(here)
    if which == "attachment" and attachment_form.is_valid():
        try:
            attachment = services.add_attachment(
                by=request.user, event=event, upload=attachment_form.cleaned_data["file"]
            )
        except EventInvalid as invalid:
            _add_errors(attachment_form, invalid.errors)
        else:
            messages.success(request, _("“%(name)s” is attached to the minutes.") % {"name": attachment.name})
            return see_other(here)
    invalid_form = minutes_form.errors or attachment_form.errors
    context = {
        "event": event,
        "minutes_form": minutes_form,
        "attachment_form": attachment_form,
        "attachments": event.attachments.all(),
    }
    return render(request, "events/organise/minutes.html", context, status=400 if invalid_form else 200)


@login_required
@require_POST
def delete_attachment(request: AuthenticatedRequest, pk: int, attachment_pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    attachment = get_object_or_404(MinutesAttachment, pk=attachment_pk, event=event)
    services.delete_attachment(by=request.user, attachment=attachment)
    messages.success(request, _("“%(name)s” is deleted.") % {"name": attachment.name})
    return see_other(reverse("events_organise:minutes", kwargs={"pk": event.pk}))


@login_required
@require_http_methods(["GET", "POST"])
def guests(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    event = _event_for(request, pk)
    form = GuestForm(request.POST or None)
    status = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            guest = services.invite_guest(
                by=request.user,
                event=event,
                name=data["name"],
                email=data["email"],
                language=data["language"],
                role=data["role"],
            )
        except EventInvalid as invalid:
            _add_errors(form, invalid.errors)
        except EventBusy:
            _busy(form)
            status = 503
        else:
            messages.success(
                request, _("%(name)s is invited and receives a personal link by email.") % {"name": guest.name}
            )
            return see_other(reverse("events_organise:guests", kwargs={"pk": event.pk}))
    invited = selectors.attendees(event).filter(invited_by__isnull=False, user__isnull=True)
    context = {"event": event, "form": form, "guests": invited}
    return render(request, "events/organise/guests.html", context, status=status or (400 if form.errors else 200))


# --- Attendance over time ------------------------------------------------------------


def _attendance_page(request: AuthenticatedRequest, table: selectors.AttendanceTable, **context: Any) -> HttpResponse:
    flagged = [row for row in table.rows if row.missed_two_in_a_row]
    return render(request, "events/organise/attendance.html", {"table": table, "flagged": flagged, **context})


@login_required
@require_safe
def series_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    series: Series = get_object_or_404(Series.objects.select_related("circle"), pk=pk)
    require(request.user, "events.view_attendance", series.circle)
    table = selectors.series_attendance(series=series, now=timezone.now())
    return _attendance_page(request, table, title=series.title, series=series)


@login_required
@require_safe
def circle_attendance(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    circle = get_object_or_404(Circle, pk=pk)
    require(request.user, "events.view_attendance", circle)
    table = selectors.circle_attendance(circle=circle, now=timezone.now())
    return _attendance_page(request, table, title=circle.name, circle=circle)


@login_required
@require_safe
def circles(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, "events.view_attendance")  # without a group: staff only
    rows = Circle.objects.annotate(member_count=Count("memberships")).select_related(*CIRCLE_NAME_RELATED)
    return render(request, "events/organise/circles.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def circle_calendar_link(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A group's calendar link, and renewing it after a confirmation: the old link is then not found."""
    circle = get_object_or_404(Circle, pk=pk)
    require(request.user, "events.view_attendance", circle)  # staff and the group's moderator or secretary
    form = RenewLinkForm(request.POST if request.method == "POST" else None)
    here = reverse("events_organise:circle_calendar_link", kwargs={"pk": circle.pk})
    if request.method == "POST" and form.is_valid():
        services.renew_circle_calendar(by=request.user, circle=circle)
        messages.success(request, _("The calendar link is renewed: the old link no longer works."))
        return see_other(here)
    context = {
        "circle": circle,
        "form": form,
        "calendar_url": request.build_absolute_uri(
            reverse("events:circle_calendar", kwargs={"token": circle.calendar_token})
        ),
    }
    return render(request, "events/organise/circle_calendar.html", context, status=400 if form.errors else 200)
