"""Reads of the networking app: the search, the candidates fed to the matching engine, a person's lists."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from coopsip.core.search import matching_texts
from coopsip.networking import matching
from coopsip.networking.models import Kind, Listing, ListingStatus, Profile, Sector, Skill
from coopsip.places.models import Municipality

KM_PER_DEGREE_LATITUDE = 110.57
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.32
MAX_SEARCH_KM = 1000
CANDIDATES = 200  # rows read from the database per kind for one matching


def shown_listings(now: datetime | None = None) -> QuerySet[Listing]:
    """Offers and needs that are published and not expired."""
    return Listing.objects.filter(status=ListingStatus.PUBLISHED, expires_at__gt=now or timezone.now())


def visible_profiles() -> QuerySet[Profile]:
    """Profiles of members who opted in (and still have an active account)."""
    return Profile.objects.filter(is_visible=True, user__is_active=True, user__register_entry__status="member")


@dataclass(frozen=True)
class SearchFilters:
    query: str = ""
    kind: str = ""
    sector: Sector | None = None
    skill: Skill | None = None
    pay: str = ""
    language: str = ""
    remote: bool = False
    near: Municipality | None = None
    within_km: int | None = None
    order: str = "relevance"  # relevance, distance, newest


def _with_children(term: Sector | Skill) -> list[int]:
    model = type(term)
    ids = [term.pk]
    frontier = [term.pk]
    for _depth in range(3):  # the vocabulary is shallow; three levels are plenty
        frontier = list(model.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
        if not frontier:
            break
        ids += frontier
    return ids


def _box(near: Municipality, km: float) -> Q:
    lat, lon = float(near.latitude), float(near.longitude)
    dlat = km / KM_PER_DEGREE_LATITUDE
    dlon = km / (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * max(0.05, math.cos(math.radians(lat))))
    return Q(
        municipality__latitude__range=(lat - dlat, lat + dlat),
        municipality__longitude__range=(lon - dlon, lon + dlon),
    )


def _distance_squared(near: Municipality) -> Any:
    """Squared distance in km² from ``near`` (flat-earth: exact enough to sort and filter within a country)."""
    lat, lon = float(near.latitude), float(near.longitude)
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(lat))
    dx = (Cast("municipality__longitude", FloatField()) - Value(lon)) * Value(kx)
    dy = (Cast("municipality__latitude", FloatField()) - Value(lat)) * Value(KM_PER_DEGREE_LATITUDE)
    return dx * dx + dy * dy


def search_listings(filters: SearchFilters, *, now: datetime | None = None) -> QuerySet[Listing]:
    """Shown offers and needs that fit ``filters``, ordered as asked; annotated ``search_rank`` and ``distance2``."""
    listings = shown_listings(now)
    if filters.kind:
        listings = listings.filter(kind=filters.kind)
    if filters.sector is not None:
        listings = listings.filter(sectors__in=_with_children(filters.sector))
    if filters.skill is not None:
        listings = listings.filter(skills__in=_with_children(filters.skill))
    if filters.pay:
        listings = listings.filter(pay=filters.pay)
    if filters.language:
        listings = listings.filter(language=filters.language)
    if filters.remote:
        listings = listings.filter(remote=True)
    if (filters.sector is not None) or (filters.skill is not None):
        # A listing with two of the sector's children would come twice; keep the ids once.
        listings = Listing.objects.filter(pk__in=listings.values("pk"))
    listings = matching_texts(listings, filters.query)
    if filters.near is not None:
        listings = listings.annotate(distance2=_distance_squared(filters.near))
        if filters.within_km is not None:
            km = max(0, min(MAX_SEARCH_KM, filters.within_km))
            in_reach = _box(filters.near, km) & Q(distance2__lte=km * km)
            listings = listings.filter(in_reach | Q(remote=True) if not filters.remote else in_reach)
    else:
        listings = listings.annotate(distance2=Value(None, output_field=FloatField()))
    listings = listings.select_related("municipality", "author").prefetch_related("sectors", "skills")
    if filters.order == "distance" and filters.near is not None:
        return listings.order_by(F("distance2").asc(nulls_last=True), "-created_at", "-pk")
    if filters.order == "newest" or not filters.query:
        return listings.order_by("-created_at", "-pk")
    return listings.order_by("-search_rank", "-created_at", "-pk")


def distance_km(distance2: float | None) -> int | None:
    return None if distance2 is None else round(math.sqrt(max(0.0, distance2)))


# --- Matching -----------------------------------------------------------------------------------------


def vocabulary() -> matching.Vocabulary:
    """The hierarchy of sectors and skills (two small queries)."""
    return matching.Vocabulary(
        sector_parents=dict(Sector.objects.filter(parent__isnull=False).values_list("pk", "parent_id")),
        skill_parents=dict(Skill.objects.filter(parent__isnull=False).values_list("pk", "parent_id")),
    )


def _related(ids: set[int], parents: dict[int, int]) -> set[int]:
    """``ids`` with their ancestors and descendants (the terms the engine calls related)."""
    related = set(ids)
    for term in ids:
        node = term
        while node in parents and parents[node] not in related:
            node = parents[node]
            related.add(node)
    children: dict[int, list[int]] = {}
    for child, parent in parents.items():
        children.setdefault(parent, []).append(child)
    frontier = list(ids)
    while frontier:
        node = frontier.pop()
        for child in children.get(node, []):
            if child not in related:
                related.add(child)
                frontier.append(child)
    return related


def _point(municipality: Municipality | None) -> matching.Point | None:
    if municipality is None:
        return None
    return matching.Point(float(municipality.latitude), float(municipality.longitude))


def listing_item(listing: Listing) -> matching.Item:
    """``listing`` as the engine sees it (its sectors and skills prefetched)."""
    return matching.Item(
        id=listing.pk,
        kind=listing.kind,
        owner_id=listing.author_id,
        category=listing.category,
        sectors=frozenset(s.pk for s in listing.sectors.all()),
        skills=frozenset(s.pk for s in listing.skills.all()),
        stems=frozenset(listing.search_stems.split()),
        languages=frozenset({listing.language}),
        place=_point(listing.municipality),
        radius_km=float(listing.radius_km),
        remote=listing.remote,
        in_person=listing.municipality_id is not None,
        starts_on=listing.starts_on,
        ends_on=listing.ends_on,
        pay=listing.pay,
        visible=listing.is_shown(),
    )


def profile_item(profile: Profile) -> matching.Item:
    municipality = profile.municipality
    return matching.Item(
        id=profile.pk,
        kind=matching.PROFILE,
        owner_id=profile.user_id,
        sectors=frozenset(s.pk for s in profile.sectors.all()),
        skills=frozenset(s.pk for s in profile.skills.all()),
        stems=frozenset(profile.search_stems.split()),
        languages=frozenset(profile.languages or []),
        place=_point(municipality),
        radius_km=float(profile.radius_km),
        remote=profile.remote,
        in_person=profile.in_person,
        visible=profile.is_visible,
    )


@dataclass(frozen=True)
class Found:
    """A ranked match with the row it stands for (a Listing or a Profile)."""

    match: matching.Match
    row: Any


def matches_for(listing: Listing, *, limit: int = 10, now: datetime | None = None) -> tuple[list[Found], list[Found]]:
    """The offers (for a need) or needs (for an offer) that fit ``listing``, and the members whose profile fits.

    The database narrows the candidates (the other kind, shown, sharing a related sector or skill or the
    same exclusive category, within reach or remote; at most ``CANDIDATES`` of each, newest first); the
    engine scores and ranks them. A fixed number of queries whatever the number of rows.
    """
    vocab = vocabulary()
    subject = listing_item(listing)
    sectors = _related(set(subject.sectors), dict(vocab.sector_parents))
    skills = _related(set(subject.skills), dict(vocab.skill_parents))
    relevant = Q(sectors__in=sectors) | Q(skills__in=skills)
    if listing.category in matching.EXCLUSIVE_CATEGORIES:
        relevant = Q(category=listing.category)
    other = Kind.NEED if listing.kind == Kind.OFFER else Kind.OFFER
    listing_ids = shown_listings(now).filter(relevant, kind=other).exclude(author_id=listing.author_id).values("pk")
    listings = Listing.objects.filter(pk__in=listing_ids)
    profile_ids = (
        visible_profiles()
        .filter(Q(sectors__in=sectors) | Q(skills__in=skills))
        .exclude(user_id=listing.author_id)
        .values("pk")
    )
    profiles = Profile.objects.filter(pk__in=profile_ids)
    if listing.municipality is not None and not listing.remote:
        reach = _box(listing.municipality, matching_reach(listing))
        listings = listings.filter(reach | Q(remote=True))
        profiles = profiles.filter(reach | Q(remote=True))
    listing_rows = {
        row.pk: row
        for row in listings.select_related("municipality", "author")
        .prefetch_related("sectors", "skills")
        .order_by("-created_at", "-pk")[:CANDIDATES]
    }
    profile_rows = {
        row.pk: row
        for row in profiles.select_related("municipality", "user")
        .prefetch_related("sectors", "skills")
        .order_by("-updated_at", "-pk")[:CANDIDATES]
    }
    offers = matching.rank(subject, [listing_item(r) for r in listing_rows.values()], vocab, limit=limit)
    people = matching.rank(subject, [profile_item(r) for r in profile_rows.values()], vocab, limit=limit)
    return (
        [Found(m, listing_rows[m.item_id]) for m in offers],
        [Found(m, profile_rows[m.item_id]) for m in people],
    )


def matching_reach(listing: Listing) -> float:
    # The engine allows the larger of both radii; the database box must not cut anyone the engine would keep.
    return float(max(listing.radius_km, 100))


def my_listings(user: Any) -> QuerySet[Listing]:
    return (
        Listing.objects.filter(author=user)
        .select_related("municipality")
        .annotate(contacts=Count("threads", distinct=True))
        .order_by("-created_at", "-pk")
    )


def new_matches_for_needs(user: Any, *, since_days: int = 14, now: datetime | None = None) -> list[tuple[Listing, int]]:
    """The person's shown needs (at most three) with how many offers published in the last ``since_days`` share a
    sector or skill with them: one query for the needs, one for their terms, one per need (at most three)."""
    now = now or timezone.now()
    needs = list(
        shown_listings(now)
        .filter(author=user, kind=Kind.NEED)
        .prefetch_related("sectors", "skills")
        .order_by("-created_at")[:3]
    )
    found: list[tuple[Listing, int]] = []
    for need in needs:
        sectors = [s.pk for s in need.sectors.all()]
        skills = [s.pk for s in need.skills.all()]
        if not sectors and not skills:
            continue
        count = (
            shown_listings(now)
            .filter(Q(sectors__in=sectors) | Q(skills__in=skills), kind=Kind.OFFER)
            .filter(created_at__gte=now - timedelta(days=since_days))
            .exclude(author=user)
            .aggregate(n=Coalesce(Count("pk", distinct=True), 0))["n"]
        )
        if count:
            found.append((need, count))
    return found


def new_needs_for_profile(
    user: Any, *, since_days: int = 14, now: datetime | None = None
) -> tuple[int, Profile | None]:
    """How many needs published in the last ``since_days`` share a sector or skill with the person's shown
    profile (the platform suggests them to who could answer); three queries."""
    now = now or timezone.now()
    profile = Profile.objects.filter(user=user, is_visible=True).prefetch_related("sectors", "skills").first()
    if profile is None:
        return 0, None
    sectors = [s.pk for s in profile.sectors.all()]
    skills = [s.pk for s in profile.skills.all()]
    if not sectors and not skills:
        return 0, profile
    count = (
        shown_listings(now)
        .filter(
            Q(sectors__in=sectors) | Q(skills__in=skills),
            kind=Kind.NEED,
            created_at__gte=now - timedelta(days=since_days),
        )
        .exclude(author=user)
        .aggregate(n=Coalesce(Count("pk", distinct=True), 0))["n"]
    )
    return count, profile
