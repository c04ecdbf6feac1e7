"""An edition's calendar as iCalendar (RFC 5545): phases, info sessions and the registration deadline.

Phases are all-day events (their dates are Brussels calendar days; DTEND is
the day after the last one, as the RFC wants). Info sessions (public events
of the events engine) and the
deadline are timed in Europe/Brussels, with the VTIMEZONE that describes it.

Calendar apps that subscribe to the feed recognise an event by its UID and
replace it when its SEQUENCE or LAST-MODIFIED grows. Both come from the
change history that the staff services write: SEQUENCE counts the changes
to the event's object and to its edition, LAST-MODIFIED is the latest of
them. Rendering twice without a change gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from urllib.parse import urljoin

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, vDuration
from icalendar.enums import TRANSP

from coopsip.core.models import ChangeRecord
from coopsip.editions.models import Edition, Phase
from coopsip.editions.phases import BRUSSELS
from coopsip.events.models import Event as EngineEvent
from coopsip.events.selectors import public_info_sessions

UID_DOMAIN = "coopsip"


@dataclass(frozen=True)
class _Version:
    sequence: int
    modified: datetime


class _Versions:
    """SEQUENCE and LAST-MODIFIED of every event of an edition, from one query on the change history."""

    def __init__(self, edition: Edition, objects: list[models.Model]) -> None:
        wanted = Q(content_type=ContentType.objects.get_for_model(Edition), object_id=edition.pk)
        for obj in objects:
            wanted |= Q(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        rows = (
            ChangeRecord.objects.filter(wanted)
            .order_by()
            .values("content_type", "object_id")
            .annotate(count=Count("pk"), last=Max("at"))
        )
        self._rows = {(row["content_type"], row["object_id"]): (row["count"], row["last"]) for row in rows}
        self._edition = edition

    def _of(self, obj: models.Model) -> tuple[int, datetime | None]:
        key = (ContentType.objects.get_for_model(obj).pk, obj.pk)
        return self._rows.get(key, (0, None))

    def of(self, obj: models.Model) -> _Version:
        """The version of an event built from ``obj``: its own changes and those of its edition."""
        edition_count, edition_last = self._of(self._edition)
        count, last = (0, None) if obj is self._edition else self._of(obj)
        moments = [moment for moment in (self._edition.updated_at, edition_last, last) if moment is not None]
        return _Version(sequence=edition_count + count, modified=max(moments).replace(microsecond=0))


def _event(*, uid: str, summary: str, version: _Version, description: str = "", url: str = "") -> Event:
    return Event.new(
        uid=f"{uid}@{UID_DOMAIN}",
        summary=summary,
        # Without METHOD, DTSTAMP is the time the event was last revised (RFC 5545, 3.8.7.2).
        stamp=version.modified,
        last_modified=version.modified,
        sequence=version.sequence,
        description=description or None,
        url=url or None,
    )


def _phase_event(phase: Phase, edition: Edition, version: _Version, page_url: str) -> Event:
    event = _event(
        uid=f"phase-{phase.pk}",
        summary=f"{phase.display_title} ({edition.title})",
        description=phase.description,
        url=page_url,
        version=version,
    )
    event.start = phase.starts_on
    event.end = phase.ends_on + timedelta(days=1)  # DTEND of an all-day event is exclusive
    event.transparency = TRANSP.TRANSPARENT  # a phase does not fill the reader's days
    return event


def _session_event(session: EngineEvent, version: _Version, page_url: str) -> Event:
    # The video link is for people who signed up: the feed links to the event's page, where they sign up.
    url = reverse("events:detail", kwargs={"pk": session.pk})
    if page_url.startswith("http"):
        url = urljoin(page_url, url)
    event = _event(
        uid=f"info-session-{session.pk}",
        summary=session.title,
        description="\n\n".join(text for text in (session.description, url) if text),
        url=url,
        version=version,
    )
    event.start = session.starts_at.astimezone(BRUSSELS)
    event.end = session.ends_at.astimezone(BRUSSELS)
    event.add("location", session.where or _("Online"))
    return event


def _deadline_event(edition: Edition, closes_at: datetime, version: _Version, page_url: str) -> Event:
    event = _event(
        uid=f"registration-closes-{edition.pk}",
        summary=_("Registration closes (%(edition)s)") % {"edition": edition.title},
        url=page_url,
        version=version,
    )
    # A moment, not a period: a DTSTART without DTEND ends when it starts.
    event.start = closes_at.astimezone(BRUSSELS)
    event.transparency = TRANSP.TRANSPARENT
    return event


def edition_calendar(*, edition: Edition, page_url: str = "") -> bytes:
    """The iCalendar feed of ``edition``, with texts in the active language; three queries.

    ``page_url`` (the edition's public page) is set as the URL of each event.
    """
    phases = list(edition.phases.all())
    sessions = list(public_info_sessions(edition).select_related("place"))
    versions = _Versions(edition, [*phases, *sessions])
    calendar = Calendar.new(
        prodid="-//coopsip//Smart in Progress//EN",
        uid=f"edition-{edition.pk}@{UID_DOMAIN}",
        name=edition.title,
        url=page_url or None,
        refresh_interval=timedelta(hours=12),
    )
    calendar.add("x-published-ttl", vDuration(timedelta(hours=12)))  # REFRESH-INTERVAL for older clients
    for phase in phases:
        calendar.add_component(_phase_event(phase, edition, versions.of(phase), page_url))
    for session in sessions:
        calendar.add_component(_session_event(session, versions.of(session), page_url))
    timed = [session.starts_at for session in sessions]
    if edition.registration_closes_at is not None:
        timed.append(edition.registration_closes_at)
        calendar.add_component(_deadline_event(edition, edition.registration_closes_at, versions.of(edition), page_url))
    if timed:
        # The VTIMEZONE only needs to cover the years of the timed events.
        years = [moment.astimezone(BRUSSELS).year for moment in timed]
        calendar.add_missing_timezones(first_date=date(min(years), 1, 1), last_date=date(max(years) + 1, 1, 1))
    return calendar.to_ical()
