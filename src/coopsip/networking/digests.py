"""Saved searches by email: each search's new results, weekly by default (daily or never as the person chose).

``send_saved_search_digests(now=...)`` is idempotent: the lines go through ``core.notifications`` with the
key ``networking:saved:<search>:<period>`` (the ISO week, or the Brussels day for a daily search), so a
second run in the same period tells nobody twice; ``last_sent_at`` moves on only after the lines are stored.

One pass, not one query per saved search: the offers and needs published since the oldest due search
last ran (a few hundred a week) are read once with their sectors, skills, stems and place, then every
due search is matched against them in Python by ``fits`` — the same rules as ``selectors.search_listings``
(kind, sector or skill with the vocabulary's narrower terms, terms, language, remote, distance with its
box, every word of the query found among the text's stems, as the search does on SQLite). The forms of
identical saved searches are validated once. A test compares ``fits`` with the search on many searches.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Value
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopsip.core import notifications
from coopsip.core.search import query_stems
from coopsip.editions.phases import BRUSSELS
from coopsip.networking.forms import KnownChoices, SearchForm, find_places
from coopsip.networking.models import Listing, SavedSearch, Sector, Skill
from coopsip.networking.selectors import (
    KM_PER_DEGREE_LATITUDE,
    KM_PER_DEGREE_LONGITUDE_AT_EQUATOR,
    MAX_SEARCH_KM,
    SearchFilters,
    shown_listings,
)
from coopsip.networking.services import TOPIC_MATCHES

PERIODS: dict[str, timedelta] = {
    SavedSearch.Frequency.WEEKLY: timedelta(days=7),
    SavedSearch.Frequency.DAILY: timedelta(days=1),
}
MAX_LISTED = 5
CHUNK = 500  # saved searches read, and told, per transaction
# ``selectors._with_children`` goes this many levels down the vocabulary; so does the digest.
CHILD_LEVELS = 3


def _period_key(saved: SavedSearch, now: datetime) -> str:
    local = now.astimezone(BRUSSELS).date()
    if saved.frequency == SavedSearch.Frequency.DAILY:
        return local.isoformat()
    year, week, _day = local.isocalendar()
    return f"{year}-W{week:02d}"


def _query(saved: SavedSearch) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in (saved.filters or {}).items():
        data[key] = str(value)
    data["q"] = saved.query
    return data


def _form(saved: SavedSearch, known: KnownChoices | None = None) -> SearchForm:
    return SearchForm(_query(saved), known=known)


@dataclass(frozen=True)
class NewListing:
    """What the digest needs of a shown offer or need published since the oldest due search ran."""

    pk: int
    title: str
    author_id: int
    kind: str
    pay: str
    language: str
    remote: bool
    created_at: datetime
    sectors: frozenset[int]
    skills: frozenset[int]
    stems: frozenset[str]
    latitude: float | None
    longitude: float | None


def new_listings(*, since: datetime, now: datetime) -> list[NewListing]:
    """Shown offers and needs published after ``since``, newest first (two queries: the columns the digest reads,
    as tuples; the sector and skill ids of all of them as plain pairs, both link tables in one UNION ALL)."""
    found = shown_listings(now).filter(created_at__gt=since)
    rows = list(
        found.order_by("-created_at", "-pk").values_list(
            "pk",
            "title",
            "author_id",
            "kind",
            "pay",
            "language",
            "remote",
            "created_at",
            "search_stems",
            "municipality__latitude",
            "municipality__longitude",
        )
    )
    sectors: dict[int, set[int]] = {row[0]: set() for row in rows}
    skills: dict[int, set[int]] = {row[0]: set() for row in rows}
    if rows:
        ids = found.values("pk")
        links = (
            Listing.sectors.through.objects.filter(listing_id__in=ids)
            .values_list("listing_id", "sector_id", Value(0))
            .union(
                Listing.skills.through.objects.filter(listing_id__in=ids).values_list(
                    "listing_id", "skill_id", Value(1)
                ),
                all=True,
            )
        )
        for listing_id, term_id, which in links:
            if listing_id in sectors:  # published in between: not in ``rows``
                (skills if which else sectors)[listing_id].add(term_id)
    return [
        NewListing(
            pk=pk,
            title=title,
            author_id=author_id,
            kind=kind,
            pay=pay,
            language=language,
            remote=remote,
            created_at=created_at,
            sectors=frozenset(sectors[pk]),
            skills=frozenset(skills[pk]),
            stems=frozenset(stems.split()),
            latitude=None if latitude is None else float(latitude),
            longitude=None if longitude is None else float(longitude),
        )
        for pk, title, author_id, kind, pay, language, remote, created_at, stems, latitude, longitude in rows
    ]


def _children_map(parents: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for child, parent in parents:
        children.setdefault(parent, []).append(child)
    return children


def with_children(term_id: int, children: dict[int, list[int]]) -> frozenset[int]:
    """The term and its narrower terms, ``CHILD_LEVELS`` levels down (as ``selectors._with_children``)."""
    ids = {term_id}
    frontier = [term_id]
    for _depth in range(CHILD_LEVELS):
        frontier = [child for node in frontier for child in children.get(node, [])]
        if not frontier:
            break
        ids.update(frontier)
    return frozenset(ids)


@dataclass(frozen=True)
class Criteria:
    """A saved search's filters, resolved once (terms widened, query stemmed, the place's box computed)."""

    kind: str
    pay: str
    language: str
    remote: bool
    sectors: frozenset[int] | None
    skills: frozenset[int] | None
    words: tuple[frozenset[str], ...]
    near: tuple[float, float] | None
    within_km: float | None


def criteria(
    filters: SearchFilters, sector_children: dict[int, list[int]], skill_children: dict[int, list[int]]
) -> Criteria:
    near = None
    if filters.near is not None:
        near = (float(filters.near.latitude), float(filters.near.longitude))
    within = None
    if near is not None and filters.within_km is not None:
        within = float(max(0, min(MAX_SEARCH_KM, filters.within_km)))
    return Criteria(
        kind=filters.kind,
        pay=filters.pay,
        language=filters.language,
        remote=filters.remote,
        sectors=None if filters.sector is None else with_children(filters.sector.pk, sector_children),
        skills=None if filters.skill is None else with_children(filters.skill.pk, skill_children),
        words=tuple(frozenset(forms) for forms in query_stems(filters.query)),
        near=near,
        within_km=within,
    )


def _in_reach(listing: NewListing, near: tuple[float, float], km: float) -> bool:
    """The search's condition: inside the box around ``near`` and within ``km`` (flat earth, as in SQL)."""
    if listing.latitude is None or listing.longitude is None:
        return False
    lat, lon = near
    dlat = km / KM_PER_DEGREE_LATITUDE
    dlon = km / (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * max(0.05, math.cos(math.radians(lat))))
    if not (lat - dlat <= listing.latitude <= lat + dlat and lon - dlon <= listing.longitude <= lon + dlon):
        return False
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(lat))
    dx = (listing.longitude - lon) * kx
    dy = (listing.latitude - lat) * KM_PER_DEGREE_LATITUDE
    return dx * dx + dy * dy <= km * km


def fits(listing: NewListing, wanted: Criteria) -> bool:
    """Whether ``selectors.search_listings`` would return ``listing`` for these criteria."""
    if wanted.kind and listing.kind != wanted.kind:
        return False
    if wanted.sectors is not None and not (listing.sectors & wanted.sectors):
        return False
    if wanted.skills is not None and not (listing.skills & wanted.skills):
        return False
    if wanted.pay and listing.pay != wanted.pay:
        return False
    if wanted.language and listing.language != wanted.language:
        return False
    if wanted.remote and not listing.remote:
        return False
    if any(not (forms & listing.stems) for forms in wanted.words):
        return False
    if wanted.near is not None and wanted.within_km is not None:
        reached = _in_reach(listing, wanted.near, wanted.within_km)
        if not (reached or (listing.remote and not wanted.remote)):
            return False
    return True


def _due(saved: SavedSearch, now: datetime) -> bool:
    period = PERIODS[saved.frequency]
    return saved.last_sent_at is None or saved.last_sent_at <= now - period + timedelta(hours=1)


def _since(saved: SavedSearch) -> datetime:
    return saved.last_sent_at or saved.created_at


def send_saved_search_digests(*, now: datetime | None = None) -> int:
    """Tell each person about results new since the last digest of each saved search that is due."""
    now = now or timezone.now()
    due_searches = SavedSearch.objects.exclude(frequency=SavedSearch.Frequency.NONE)
    oldest: datetime | None = None
    typed_places: set[str] = set()
    for last_sent_at, created_at, frequency, filters in due_searches.values_list(
        "last_sent_at", "created_at", "frequency", "filters"
    ):
        if last_sent_at is not None and last_sent_at > now - PERIODS[frequency] + timedelta(hours=1):
            continue
        since = last_sent_at or created_at
        oldest = since if oldest is None or since < oldest else oldest
        if isinstance(filters, dict) and filters.get("near"):
            typed_places.add(str(filters["near"]))
    if oldest is None:
        return 0
    listings = new_listings(since=oldest, now=now)
    sectors, skills = list(Sector.objects.all()), list(Skill.objects.all())
    sector_children = _children_map((s.pk, s.parent_id) for s in sectors if s.parent_id is not None)
    skill_children = _children_map((s.pk, s.parent_id) for s in skills if s.parent_id is not None)
    # Every place typed in a due search looked up at once (one query), the vocabulary from the rows just read:
    # validating the searches' forms then asks the database nothing.
    known = KnownChoices(
        places=find_places(typed_places),
        sectors={str(s.pk): s for s in sectors},
        skills={str(s.pk): s for s in skills},
    )
    resolved: dict[str, Criteria | None] = {}
    sent = 0
    done: list[int] = []
    told: list[tuple[SavedSearch, list[NewListing]]] = []

    def store() -> int:
        # One transaction per chunk: the lines and ``last_sent_at`` are stored together, the lines in one go.
        with transaction.atomic():
            result = notifications.notify_each(
                topic=TOPIC_MATCHES, notices=[_notice(saved, found, now) for saved, found in told]
            )
            SavedSearch.objects.filter(pk__in=done).update(last_sent_at=now)
        done.clear()
        told.clear()
        return result.sent + result.queued_for_digest

    for saved in due_searches.select_related("user").order_by("pk").iterator(chunk_size=CHUNK):
        if not _due(saved, now):
            continue
        key = json.dumps([saved.query, saved.filters or {}], sort_keys=True, default=str)
        if key not in resolved:
            form = _form(saved, known)
            resolved[key] = criteria(form.filters(), sector_children, skill_children) if form.is_valid() else None
        wanted = resolved[key]
        if wanted is None:
            continue
        since = _since(saved)
        found: list[NewListing] = []
        for listing in listings:  # newest first, as the search orders them
            if listing.created_at <= since:
                break
            if listing.author_id != saved.user_id and fits(listing, wanted):
                found.append(listing)
                if len(found) > MAX_LISTED:
                    break
        if found:
            told.append((saved, found))
        done.append(saved.pk)
        if len(done) >= CHUNK:
            sent += store()
    if done:
        sent += store()
    return sent


def _notice(saved: SavedSearch, found: list[Any], now: datetime) -> notifications.Notice:
    count = len(found)

    def render(person: Any) -> notifications.Message:
        lines = [f"- {listing.title}" for listing in found[:MAX_LISTED]]
        if count > MAX_LISTED:
            lines.append(_("- and more"))
        return notifications.Message(
            subject=ngettext(
                "New for your search “%(name)s”: %(count)s offer or need",
                "New for your search “%(name)s”: %(count)s offers or needs",
                count,
            )
            % {"name": saved.name, "count": min(count, MAX_LISTED)},
            text="\n".join(lines),
            url=settings.SITE_URL + reverse("networking:search") + "?" + _query(saved).urlencode(),
        )

    return notifications.Notice(
        key=f"networking:saved:{saved.pk}:{_period_key(saved, now)}", recipient=saved.user, render=render
    )
