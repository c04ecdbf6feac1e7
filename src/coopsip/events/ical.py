"""Events as iCalendar (RFC 5545): one event, a series, a person's sign-ups, a group's meetings.

Times are written in Europe/Brussels with the VTIMEZONE that describes it,
so calendar apps show 10:00 in winter and in summer alike. An event keeps
its UID; its SEQUENCE grows with every change the organiser makes, and a
cancelled event stays in the feed with STATUS:CANCELLED so that calendars
remove it. The video link is written only into calendars of people who may
see it (their own feed, their confirmation email).

Texts are written out safe whatever is stored: single-line ones (title,
place, the calendar's name) on one line, descriptions without control
characters. An event that still cannot be written is left out of the feed
(and logged) rather than taking the whole feed down.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable
from datetime import date, timedelta

from icalendar import Calendar, vDuration
from icalendar import Event as CalendarEvent
from icalendar.enums import STATUS

from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Event
from coopsip.events.text import multi_line, single_line

logger = logging.getLogger(__name__)

UID_DOMAIN = "coopsip"
PRODID = "-//coopsip//events//EN"


def _component(event: Event, *, with_link: bool, page_url: str, tentative: bool = False) -> CalendarEvent:
    description = multi_line(event.description or "")
    if with_link and event.video_url:
        description = f"{description}\n\n{single_line(event.video_url)}".strip()
    component = CalendarEvent.new(
        uid=f"event-{event.pk}@{UID_DOMAIN}",
        summary=single_line(event.title or ""),
        stamp=event.updated_at.replace(microsecond=0),
        last_modified=event.updated_at.replace(microsecond=0),
        sequence=event.sequence,
        description=description or None,
        url=page_url or None,
        start=event.starts_at.astimezone(BRUSSELS),
        end=event.ends_at.astimezone(BRUSSELS),
    )
    where = single_line(event.where or (event.video_url if with_link else ""))
    if where:
        component.add("location", where)
    if event.is_cancelled:
        component.status = STATUS.CANCELLED
    elif tentative:
        component.status = STATUS.TENTATIVE
    return component


def events_calendar(
    *,
    name: str,
    events: Iterable[Event],
    links_for: Collection[int] = (),
    page_urls: dict[int, str] | None = None,
    tentative: Collection[int] = (),
) -> bytes:
    """A calendar of ``events``: the video link in those in ``links_for``, ``tentative`` ones marked so."""
    events = list(events)
    page_urls = page_urls or {}
    calendar = Calendar.new(prodid=PRODID, name=single_line(name), refresh_interval=timedelta(hours=6))
    calendar.add("x-published-ttl", vDuration(timedelta(hours=6)))
    written = []
    for event in events:
        try:
            component = _component(
                event,
                with_link=event.pk in links_for,
                page_url=page_urls.get(event.pk, ""),
                tentative=event.pk in tentative,
            )
            component.to_ical()  # fails here, for this event only, rather than for the whole calendar below
        except Exception:  # one event that cannot be written must not take the feed down
            logger.exception("Event %s left out of the calendar %r: it cannot be written as iCalendar.", event.pk, name)
            continue
        calendar.add_component(component)
        written.append(event)
    events = written
    if events:
        years = [event.starts_at.astimezone(BRUSSELS).year for event in events]
        calendar.add_missing_timezones(first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1))
    return calendar.to_ical()


def invitation(event: Event, *, with_link: bool, page_url: str = "") -> str:
    """The one-event calendar attached to a confirmation email."""
    return events_calendar(
        name=event.title, events=[event], links_for={event.pk} if with_link else (), page_urls={event.pk: page_url}
    ).decode()
