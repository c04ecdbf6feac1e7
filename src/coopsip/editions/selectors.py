"""Reads of editions for the public pages: what a visitor may see, in a fixed number of queries.

A visitor sees published editions only (``published_at`` in the past); staff
who may preview pass ``preview=True`` and see drafts too. List pages prefetch
everything they show, so their number of queries does not grow with the
number of editions, themes or offices.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from coopsip.editions.models import CurrentEdition, Edition, Phase, Theme, ThemeOffice
from coopsip.editions.phases import PhaseState, timeline
from coopsip.events.models import Event
from coopsip.events.selectors import public_info_sessions
from coopsip.places.models import Country


def published_editions(*, moment: datetime | None = None) -> QuerySet[Edition]:
    """Editions a visitor may see at ``moment`` (now by default)."""
    return Edition.objects.filter(published_at__lte=moment or timezone.now())


def current_edition(*, country: str = Country.BELGIUM) -> Edition | None:
    """The edition the site presents in ``country``, with its phases and themes; None when there is none.

    An edition that is current but no longer (or not yet) published is not shown.
    """
    current = CurrentEdition.objects.filter(country=country).values("edition_id")
    return published_editions().filter(pk__in=current).prefetch_related("phases", "themes").first()


def edition_for_public(*, slug: str, preview: bool = False) -> Edition | None:
    """The edition at ``slug`` if a visitor may see it, or a draft when ``preview`` is allowed."""
    editions = Edition.objects.all() if preview else published_editions()
    return editions.filter(slug=slug).first()


def _offices_in_order() -> Prefetch[str, QuerySet[ThemeOffice], str]:
    return Prefetch("theme_offices", queryset=ThemeOffice.objects.select_related("office"))


def archive_editions() -> QuerySet[Edition]:
    """Every published edition, newest first, with its themes and the offices that ran them.

    Three queries whatever the number of editions, themes and offices.
    """
    themes = Theme.objects.select_related("extends__edition").prefetch_related(_offices_in_order())
    return published_editions().prefetch_related(Prefetch("themes", queryset=themes))


def theme_for_public(*, edition: Edition, slug: str) -> Theme | None:
    """A theme of ``edition`` (already checked as visible) with its resources and offices."""
    return (
        Theme.objects.filter(edition=edition, slug=slug)
        .select_related("edition", "extends__edition")
        .prefetch_related("resources", _offices_in_order())
        .first()
    )


@dataclass(frozen=True)
class PublicDate:
    """The next date a visitor can act on: an info session (an event, with its sign-up), or registration dates."""

    kind: Literal["session", "registration_opens", "registration_closes"]
    at: datetime
    session: Event | None = None


def next_public_date(*, edition: Edition, moment: datetime) -> PublicDate | None:
    """The soonest public date of ``edition`` after ``moment``: an info session or a registration date."""
    candidates: list[PublicDate] = []
    session = public_info_sessions(edition).filter(starts_at__gt=moment).select_related("place").first()
    if session is not None:
        candidates.append(PublicDate(kind="session", at=session.starts_at, session=session))
    if edition.registration_opens_at is not None and edition.registration_opens_at > moment:
        candidates.append(PublicDate(kind="registration_opens", at=edition.registration_opens_at))
    if edition.registration_closes_at is not None and edition.registration_closes_at > moment:
        candidates.append(PublicDate(kind="registration_closes", at=edition.registration_closes_at))
    return min(candidates, key=lambda date: date.at, default=None)


@dataclass(frozen=True)
class TimelineRow:
    """A line of the public timeline; ``phase`` is None for the "you are here" mark between phases."""

    phase: Phase | None
    state: PhaseState


def timeline_rows(*, phases: Sequence[Phase], moment: datetime) -> list[TimelineRow]:
    """The phases in date order, marked past, current or future.

    When no phase is current but some are still to come (before the first
    phase, or between two), a "you are here" mark is placed before the next
    one, so that a reader always sees where the process stands. A finished
    edition gets no mark: every phase is past.
    """
    steps = timeline(phases, moment)
    rows = [TimelineRow(phase=step.phase, state=step.state) for step in steps]
    if any(step.state == "current" for step in steps):
        return rows
    upcoming = next((index for index, step in enumerate(steps) if step.state == "future"), None)
    if upcoming is not None:
        rows.insert(upcoming, TimelineRow(phase=None, state="current"))
    return rows


# --- Theme choices in forms -------------------------------------------------------

RECENT_EDITION_DAYS = 366
"""How long after an edition ends its themes are still offered in theme selects (events, continuations)."""


def theme_label(theme: Theme) -> str:
    """A theme named with its edition, as in "Gender equality (2020-2021)": two editions often share a title."""
    return f"{theme.title} ({theme.edition.slug})"


def themes_to_choose(*, keep: Any = None, moment: datetime | None = None) -> QuerySet[Theme]:
    """The themes a form offers, newest edition first: those of editions running, upcoming or ended
    less than a year ago (``RECENT_EDITION_DAYS``), plus ``keep`` (the theme already chosen, by pk)."""
    today = timezone.localdate(moment or timezone.now())
    recent = Q(edition__ends_on__gte=today - timedelta(days=RECENT_EDITION_DAYS))
    if keep not in (None, ""):
        recent |= Q(pk=getattr(keep, "pk", keep))
    return Theme.objects.filter(recent).select_related("edition").order_by("-edition__starts_on", "position", "pk")
