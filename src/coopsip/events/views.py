"""The public and member pages of events: the list, an event, signing up and cancelling, calendars.

Every page reaches an event through ``_visible_event`` (or ``_event`` and the
``events.view_event`` rule), so nobody can forget the access check. A
person reaches their own sign-up by the logged-in user or by the secret
token of their personal link, never by an id from the request.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from coopsip.core import ratelimit
from coopsip.core.access import is_staff_member, require
from coopsip.core.http import AuthenticatedRequest, Request, see_other
from coopsip.editions.phases import BRUSSELS
from coopsip.events import ical, selectors, services
from coopsip.events.forms import EventFilterForm, VisitorSignUpForm
from coopsip.events.models import (
    SEATED,
    Audience,
    CalendarFeed,
    Circle,
    CircleMember,
    CircleRole,
    Event,
    MinutesAttachment,
    Series,
    SignUp,
    SignUpStatus,
)
from coopsip.events.text import single_line

PAGE_SIZE = 20
# Visitors without an account may sign up this often per hour from one network address (people with an
# account: no limit). Counted in the shared cache (Redis in production), so every web process counts together.
VISITOR_SIGNUPS_PER_HOUR = 10
# A personal calendar keeps past events this long, so that calendar apps do not lose last week's meeting.
FEED_KEEPS_PAST = timedelta(days=90)
BUSY_RETRY_AFTER = "2"


# ---------------------------------------------------------------------------
# Access


def _event(pk: int) -> Event:
    """The event at ``pk`` with its seat counts; 404 when there is none. Check access before showing it."""
    event = (
        selectors.with_counts(Event.objects.filter(pk=pk)).select_related("place__office", "series", "theme").first()
    )
    if event is None:
        raise Http404
    return event


def _visible_event(request: Request, pk: int) -> Event:
    event = _event(pk)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    return event


def _not_for_you(request: Request, event: Event) -> HttpResponse:
    """An event the reader may not see. A members' event says who may come and how; a group's meeting is a 404."""
    if event.audience != Audience.MEMBERS:
        raise Http404
    return render(request, "events/members_only.html", {"login_url": _login_url(event)}, status=403)


def _login_url(event: Event) -> str:
    """The login page, coming back to the event's page."""
    query = urlencode({"next": reverse("events:detail", kwargs={"pk": event.pk})}, safe="/")
    return f"{reverse('account_login')}?{query}"


# ---------------------------------------------------------------------------
# The list and the pages of events and series


@dataclass
class Card:
    """One card of the list: an event, or the first coming occurrence of a series with its next dates."""

    event: Event
    next_dates: list[Event] = field(default_factory=list)


@dataclass
class Week:
    monday: date
    cards: list[Card]


def _by_week(events: Iterable[Event]) -> list[Week]:
    """The page's events grouped by their Brussels week; a series shows once, with its next dates on the page."""
    weeks: list[Week] = []
    series_cards: dict[int, Card] = {}
    for event in events:
        if event.series_id is not None and event.series_id in series_cards:
            series_cards[event.series_id].next_dates.append(event)
            continue
        day = event.starts_at.astimezone(BRUSSELS).date()
        monday = day - timedelta(days=day.weekday())
        if not weeks or weeks[-1].monday != monday:
            weeks.append(Week(monday=monday, cards=[]))
        card = Card(event=event)
        weeks[-1].cards.append(card)
        if event.series_id is not None:
            series_cards[event.series_id] = card
    return weeks


MONTH_VIEW_LIMIT = 300  # events in one month's grid, at most


def _month_grid(request: Request, events: QuerySet[Event], month: str, now: datetime) -> dict[str, Any]:
    """A calendar of one month (Monday first) with the coming events of each day, bounded."""
    today = now.astimezone(BRUSSELS).date()
    first = today.replace(day=1)
    year, _dash, number = month.partition("-")
    if year.isdigit() and number.isdigit() and 2000 <= int(year) <= 2100 and 1 <= int(number) <= 12:
        first = date(int(year), int(number), 1)
    following = (first + timedelta(days=32)).replace(day=1)
    start = datetime.combine(first, time.min, tzinfo=BRUSSELS)
    end = datetime.combine(following, time.min, tzinfo=BRUSSELS)
    in_month = list(events.filter(starts_at__gte=start, starts_at__lt=end)[:MONTH_VIEW_LIMIT])
    by_day: dict[date, list[Event]] = {}
    for event in in_month:
        by_day.setdefault(event.starts_at.astimezone(BRUSSELS).date(), []).append(event)
    weeks = [
        [(day, day.month == first.month, by_day.get(day, [])) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    return {
        "month_first": first,
        "month_weeks": weeks,
        "month_count": len(in_month),
        "weekdays": [first - timedelta(days=first.weekday()) + timedelta(days=offset) for offset in range(7)],
        "previous_month": previous.strftime("%Y-%m") if previous >= today.replace(day=1) else "",
        "next_month": following.strftime("%Y-%m"),
    }


@require_safe
def event_list(request: Request) -> HttpResponse:
    """Coming events the reader may see, with filters (a GET form; htmx swaps only the results).

    Shown as cards grouped by week (a series once, with its next dates), or as a month's calendar.
    """
    now = timezone.now()
    coming = selectors.visible_events(user=request.user).filter(services.upcoming_q(now))
    form = EventFilterForm(request.GET, events=coming)
    events = selectors.upcoming_events(user=request.user, now=now, filters=form.filters())
    month_view = request.GET.get("view") == "month"
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "weeks": _by_week(page.object_list),
        "my_status": _my_statuses(request, page.object_list),
        "month_view": month_view,
        # Visitors are told that members' events exist, without seeing them.
        "members_only_count": (
            0
            if request.user.is_authenticated
            else Event.objects.filter(services.upcoming_q(now), audience=Audience.MEMBERS).count()
        ),
    }
    if month_view:
        context |= _month_grid(request, events, request.GET.get("month", ""), now)
    fragment = request.htmx and not request.htmx.history_restore_request
    response = render(request, "events/list.html#results" if fragment else "events/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _my_statuses(request: Request, events: Iterable[Event]) -> dict[int, str]:
    """The reader's sign-up status for each listed event (one query), so the list says where they have a seat."""
    if not request.user.is_authenticated:
        return {}
    signups = SignUp.objects.filter(user=request.user, event__in=[event.pk for event in events])
    return dict(signups.exclude(status=SignUpStatus.CANCELLED).values_list("event_id", "status"))


@require_safe
def detail(request: Request, pk: int) -> HttpResponse:
    event = _event(pk)
    if not request.user.has_perm("events.view_event", event):
        return _not_for_you(request, event)
    return _render_detail(request, event)


def _render_detail(
    request: Request,
    event: Event,
    *,
    form: VisitorSignUpForm | None = None,
    error: str = "",
    status: int = 200,
) -> HttpResponse:
    """The event page; after a refused POST, the same page with the reason and what the visitor typed."""
    user = request.user
    now = timezone.now()
    signup = selectors.signup_of(event=event, user=user)
    active = signup is not None and signup.status != SignUpStatus.CANCELLED
    can_see_minutes = user.has_perm("events.view_minutes", event)
    context = {
        "event": event,
        "signup": signup,
        "active": active,
        "position": selectors.waiting_position(signup) if signup is not None else None,
        "can_cancel": active and now < event.starts_at,
        "refusal": None if active else services.signup_refusal(event=event, user=user, now=now),
        "login_url": _login_url(event),
        "form": form or VisitorSignUpForm(),
        "error": error,
        "video_url": event.video_url if user.has_perm("events.view_video_link", event) else "",
        # How to get in (door codes): for those with a seat and organisers only, like the video link.
        "insider": user.has_perm("events.view_video_link", event),
        "can_see_minutes": can_see_minutes,
        "attachments": list(event.attachments.all()) if can_see_minutes else [],
        "can_organise": user.has_perm("events.organise", event),
    }
    return render(request, "events/detail.html", context, status=status)


@require_safe
def series(request: Request, pk: int) -> HttpResponse:
    """A series and its coming occurrences the reader may see; 404 when they may see none of them."""
    found = Series.objects.filter(pk=pk).first()
    if found is None or not selectors.visible_events(user=request.user).filter(series=found).exists():
        raise Http404
    occurrences = selectors.upcoming_events(user=request.user, now=timezone.now()).filter(series=found)
    context = {"series": found, "occurrences": occurrences, "my_status": _my_statuses(request, occurrences)}
    return render(request, "events/series.html", context)


# ---------------------------------------------------------------------------
# Signing up and cancelling


@require_POST
def sign_up(request: Request, pk: int) -> HttpResponse:
    """Sign the logged-in person up, or a visitor with a name and an email address (public events only)."""
    event = _event(pk)
    user = request.user
    if not user.has_perm("events.view_event", event):
        return _not_for_you(request, event)
    form: VisitorSignUpForm | None = None
    if user.is_authenticated:
        who: dict[str, Any] = {"user": user}
    else:
        form = VisitorSignUpForm(request.POST)
        ip = get_adapter(request).get_client_ip(request)
        if not ratelimit.consume(key=f"events-sign-up:{ip}", limit=VISITOR_SIGNUPS_PER_HOUR, period=3600):
            error = _("Too many sign-ups came from your connection in the last hour. Please try again later.")
            return _render_detail(request, event, form=form, error=error, status=429)
        if not form.is_valid():
            return _render_detail(request, event, form=form, status=400)
        who = {**form.cleaned_data, "language": get_language()}
    try:
        signup = services.sign_up(event_id=event.pk, **who)
    except services.SignUpRefused as refused:
        return _render_detail(request, event, form=form, error=refused.message, status=400)
    except services.EventBusy:
        return _busy(request, event, form=form)
    if user.is_authenticated:
        messages.success(request, _signed_up_message(signup))
        return see_other(reverse("events:detail", kwargs={"pk": event.pk}))
    if not signup.newly_queued:
        # This address was already signed up: its personal link goes to its mailbox only, never to this browser.
        messages.info(request, _("This email address is already signed up. Your personal link is in our email."))
        return see_other(reverse("events:detail", kwargs={"pk": event.pk}))
    # The personal link goes to the mailbox only: opening it confirms the address, and only then the seat
    # is theirs and the video link shown.
    if signup.hold_until is not None:
        text = _(
            "Almost done: we sent an email to %(email)s. Open the link in it within %(minutes)d minutes "
            "to confirm your seat."
        )
    else:
        text = _(
            "Almost done: we sent an email to %(email)s. The event is full: open the link in it "
            "to join the waiting list."
        )
    messages.success(request, text % {"email": signup.email, "minutes": _hold_minutes()})
    return see_other(reverse("events:detail", kwargs={"pk": event.pk}))


def _hold_minutes() -> int:
    return int(services.VISITOR_HOLD.total_seconds() // 60)


@login_required
@require_POST
def cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Cancel the logged-in person's own sign-up (or place on the waiting list) for the event."""
    signup = SignUp.objects.filter(event_id=pk, user=request.user).exclude(status=SignUpStatus.CANCELLED).first()
    if signup is None:
        raise Http404
    event = _visible_event(request, pk)
    try:
        services.cancel_sign_up(signup_id=signup.pk)
    except services.SignUpRefused as refused:
        return _render_detail(request, event, error=refused.message, status=400)
    except services.EventBusy:
        return _busy(request, event)
    messages.success(request, _("Your sign-up is cancelled. Thank you for freeing your seat."))
    return see_other(reverse("events:detail", kwargs={"pk": pk}))


@require_http_methods(["GET", "HEAD", "POST"])
def personal_signup(request: Request, token: str) -> HttpResponse:
    """The page of one sign-up, reached by its secret link (no account needed); a POST cancels it."""
    signup = SignUp.objects.select_related("event", "event__place", "event__series").filter(token=token).first()
    if signup is None:
        raise Http404
    error = ""
    if request.method == "POST" and request.POST.get("action") == "confirm":
        try:
            confirmed = services.confirm_visitor_sign_up(token=token)
        except services.SignUpRefused as refused:
            error = refused.message
        except services.EventBusy:
            response = _render_personal(request, signup, error=_busy_text(), status=503)
            response["Retry-After"] = BUSY_RETRY_AFTER
            return response
        else:
            messages.success(request, _signed_up_message(confirmed))
            return see_other(reverse("events:signup", kwargs={"token": token}))
    elif request.method == "POST":
        try:
            services.cancel_sign_up(signup_id=signup.pk)
        except services.SignUpRefused as refused:
            error = refused.message
        except services.EventBusy:
            response = _render_personal(request, signup, error=_busy_text(), status=503)
            response["Retry-After"] = BUSY_RETRY_AFTER
            return response
        else:
            messages.success(request, _("Your sign-up is cancelled. Thank you for letting us know."))
            return see_other(reverse("events:signup", kwargs={"token": token}))
    return _render_personal(request, signup, error=error, status=400 if error else 200)


def _render_personal(request: Request, signup: SignUp, *, error: str, status: int) -> HttpResponse:
    event = signup.event
    active = signup.status != SignUpStatus.CANCELLED
    context = {
        "signup": signup,
        "event": event,
        "active": active,
        "position": selectors.waiting_position(signup),
        "can_cancel": active and timezone.now() < event.starts_at,
        "can_confirm": signup.status == SignUpStatus.PENDING and timezone.now() < event.starts_at,
        "seat_kept": signup.status == SignUpStatus.PENDING
        and signup.hold_until is not None
        and signup.hold_until > timezone.now(),
        "video_url": event.video_url if signup.holds_seat and not event.is_cancelled else "",
        "insider": signup.holds_seat and not event.is_cancelled,
        "error": error,
    }
    return render(request, "events/signup.html", context, status=status)


@login_required
@require_safe
def mine(request: AuthenticatedRequest) -> HttpResponse:
    """My coming sign-ups and my personal calendar link."""
    signups = list(selectors.my_signups(user=request.user, now=timezone.now()))
    # A person waits for few events at once: one small count each.
    positions = {signup.pk: selectors.waiting_position(signup) for signup in signups if not signup.holds_seat}
    feed = services.calendar_feed_of(user=request.user)
    context = {
        "signups": signups,
        "positions": positions,
        "feed_url": request.build_absolute_uri(reverse("events:feed", kwargs={"token": feed.token})),
        # Organisers and the officers of a group reach their organiser pages from here.
        "organises": is_staff_member(request.user)
        or Event.objects.filter(organiser=request.user).exists()
        or CircleMember.objects.filter(
            user=request.user, role__in=(CircleRole.MODERATOR, CircleRole.SECRETARY)
        ).exists(),
    }
    return render(request, "events/mine.html", context)


@login_required
@require_POST
def renew_calendar(request: AuthenticatedRequest) -> HttpResponse:
    services.renew_calendar_feed(user=request.user)
    messages.success(request, _("Your calendar link is renewed: the old link no longer works. Subscribe again."))
    return see_other(reverse("events:mine"))


def _signed_up_message(signup: SignUp) -> str:
    title = signup.event.title
    if signup.status == SignUpStatus.WAITING:
        position = selectors.waiting_position(signup)
        return _(
            'The event "%(title)s" is full: you are on the waiting list, number %(position)d. '
            "We will email you as soon as a seat frees up."
        ) % {"title": title, "position": position}
    return _('You have a seat at "%(title)s". We sent you a confirmation by email.') % {"title": title}


def _busy_text() -> str:
    return _("Many people are signing up right now: nothing was changed, please try again in a moment.")


def _busy(request: Request, event: Event, *, form: VisitorSignUpForm | None = None) -> HttpResponse:
    response = _render_detail(request, event, form=form, error=_busy_text(), status=503)
    response["Retry-After"] = BUSY_RETRY_AFTER
    return response


# ---------------------------------------------------------------------------
# Calendars (iCalendar). Calendar apps may ask with HEAD whether a feed changed.


def _calendar_response(
    request: Request,
    *,
    name: str,
    filename: str,
    events: list[Event],
    links_for: set[int],
    tentative: Collection[int] = (),
) -> HttpResponse:
    page_urls = {
        event.pk: request.build_absolute_uri(reverse("events:detail", kwargs={"pk": event.pk})) for event in events
    }
    body = ical.events_calendar(name=name, events=events, links_for=links_for, page_urls=page_urls, tentative=tentative)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@require_safe
def event_calendar(request: Request, pk: int) -> HttpResponse:
    """One event, without its video link (this file may be passed on)."""
    event = _visible_event(request, pk)
    return _calendar_response(request, name=event.title, filename=f"event-{event.pk}", events=[event], links_for=set())


@require_safe
def series_calendar(request: Request, pk: int) -> HttpResponse:
    """Every occurrence of a series that the reader may see, without video links."""
    found = Series.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    events = list(selectors.visible_events(user=request.user).filter(series=found).select_related("place"))
    if not events:
        raise Http404
    return _calendar_response(request, name=found.title, filename=f"series-{found.pk}", events=events, links_for=set())


@require_safe
def personal_feed(request: Request, token: str) -> HttpResponse:
    """A person's events (seated or waiting), with the video link where they hold a seat."""
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None:
        raise Http404
    signups = SignUp.objects.filter(
        user=feed.user,
        status__in=(*SEATED, SignUpStatus.WAITING),
        event__ends_at__gt=timezone.now() - FEED_KEEPS_PAST,
    ).select_related("event", "event__place")
    signups = signups.order_by("event__starts_at", "event_id")
    events = [signup.event for signup in signups]
    # A group's meetings carry their video link only while the person is in the group (or organises the meeting).
    my_circles = set(CircleMember.objects.filter(user=feed.user).values_list("circle_id", flat=True))
    seated = {
        signup.event_id
        for signup in signups
        if signup.holds_seat
        and (
            signup.event.circle_id is None
            or signup.event.circle_id in my_circles
            or signup.event.organiser_id == feed.user_id
        )
    }
    # Events the person waits for are in the calendar as tentative, not as taken seats.
    waiting = {signup.event_id for signup in signups if signup.status == SignUpStatus.WAITING}
    return _calendar_response(
        request, name=_("My events"), filename="my-events", events=events, links_for=seated, tentative=waiting
    )


@require_safe
def circle_calendar(request: Request, token: str) -> HttpResponse:
    """A group's meetings, without their video links: a shared link cannot stop for one person who leaves.

    Members find the meetings with their links in their personal feed; the
    group's officers renew this link when it reached the wrong people.
    """
    circle = Circle.objects.filter(calendar_token=token).first()
    if circle is None:
        raise Http404
    events = list(circle.events.select_related("place").order_by("starts_at", "pk"))
    return _calendar_response(request, name=circle.name, filename=f"group-{circle.pk}", events=events, links_for=set())


# ---------------------------------------------------------------------------
# Minutes


@require_safe
def attachment(request: Request, pk: int) -> FileResponse:
    """A file attached to the minutes, for those who may read the minutes."""
    found = MinutesAttachment.objects.select_related("event").filter(pk=pk).first()
    if found is None or not request.user.has_perm("events.view_event", found.event):
        raise Http404
    require(request.user, "events.view_minutes", found.event)
    # The name goes into a header: a name stored with a line break must not break the download.
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=single_line(found.name) or "file")
