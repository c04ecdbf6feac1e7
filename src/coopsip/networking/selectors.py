"""Reads of the networking app: the search, the candidates fed to the matching engine, a person's lists."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple, overload

from django.db.models import Count, F, FloatField, Lookup, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from coopsip.core.search import matching_texts
from coopsip.networking import matching
from coopsip.networking.models import Kind, Listing, ListingStatus, Profile, Sector, SectorNetwork, Skill
from coopsip.places.models import Municipality

KM_PER_DEGREE_LATITUDE = 110.57
KM_PER_DEGREE_LONGITUDE_AT_EQUATOR = 111.32
MAX_SEARCH_KM = 1000
CANDIDATES = 150  # rows read from the database per kind for one matching
SEARCH_WINDOW = 500  # a search ranks at most this many matches, the newest (see search_listings)
REACH_IDS = 1000  # the municipalities within reach of a search are read first when there are at most this many


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
    """``term`` and its narrower terms, three levels down (the vocabulary is shallow): one query."""
    children: dict[int, list[int]] = {}
    for child, parent in type(term).objects.filter(parent__isnull=False).values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(child)
    ids = [term.pk]
    frontier = [term.pk]
    for _depth in range(3):
        frontier = [child for node in frontier for child in children.get(node, [])]
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


def _distance_squared(near: Municipality, *, prefix: str = "municipality__") -> Any:
    """Squared distance in km² from ``near`` (flat-earth: exact enough to sort and filter within a country) of the
    municipality at ``prefix`` (``""``: the municipality's own row)."""
    lat, lon = float(near.latitude), float(near.longitude)
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(lat))
    dx = (Cast(f"{prefix}longitude", FloatField()) - Value(lon)) * Value(kx)
    dy = (Cast(f"{prefix}latitude", FloatField()) - Value(lat)) * Value(KM_PER_DEGREE_LATITUDE)
    return dx * dx + dy * dy


def _listing_distance(near: Municipality) -> Subquery:
    """A listing's squared distance from ``near`` (NULL without a place), looked up in its municipality's row.

    A scalar subquery rather than a join: PostgreSQL then reads the municipality of each row it returns by its
    key, where a join let it hash the whole table of 38,000 municipalities for a few hundred listings."""
    return Subquery(
        Municipality.objects.filter(pk=OuterRef("municipality_id"))
        .order_by()
        .annotate(d2=_distance_squared(near, prefix=""))
        .values("d2"),
        output_field=FloatField(),
    )


def municipalities_within(near: Municipality, within_km: int) -> QuerySet[Any, dict[str, Any]]:
    """The municipalities at most ``within_km`` (capped to ``MAX_SEARCH_KM``) from ``near``, as a subquery of ids."""
    km = max(0, min(MAX_SEARCH_KM, within_km))
    lat, lon = float(near.latitude), float(near.longitude)
    dlat = km / KM_PER_DEGREE_LATITUDE
    dlon = km / (KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * max(0.05, math.cos(math.radians(lat))))
    kx = KM_PER_DEGREE_LONGITUDE_AT_EQUATOR * math.cos(math.radians(lat))
    dx = (Cast("longitude", FloatField()) - Value(lon)) * Value(kx)
    dy = (Cast("latitude", FloatField()) - Value(lat)) * Value(KM_PER_DEGREE_LATITUDE)
    return (
        Municipality.objects.filter(latitude__range=(lat - dlat, lat + dlat), longitude__range=(lon - dlon, lon + dlon))
        .annotate(d2=dx * dx + dy * dy)
        .filter(d2__lte=km * km)
        .values("pk")
    )


class _AnyOf(Lookup):  # type: ignore[type-arg]
    """``column IN (ids)`` written ``column = ANY(%s)`` on PostgreSQL: the ids are one array parameter there, where
    ``__in`` gives each its own placeholder (a thousand ids took milliseconds of Python to bind)."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({', '.join(['%s'] * len(self.rhs))})", [*params, *self.rhs]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]


def _matching(filters: SearchFilters, now: datetime | None, *, reach: list[int] | None = None) -> QuerySet[Listing]:
    """Every shown offer and need that fits ``filters`` (no order, no window); ``reach``: the ids of the
    municipalities within reach when they were read already (else a subquery finds them)."""
    listings = shown_listings(now)
    if filters.kind:
        listings = listings.filter(kind=filters.kind)
    # The terms through their link tables: ``pk IN (listings of these terms)`` keeps each listing once, and lets
    # PostgreSQL read the few links of a term by their index instead of joining every shown listing to them.
    if filters.sector is not None:
        links = Listing.sectors.through.objects.filter(sector_id__in=_with_children(filters.sector))
        listings = listings.filter(pk__in=links.values("listing_id"))
    if filters.skill is not None:
        links = Listing.skills.through.objects.filter(skill_id__in=_with_children(filters.skill))
        listings = listings.filter(pk__in=links.values("listing_id"))
    if filters.pay:
        listings = listings.filter(pay=filters.pay)
    if filters.language:
        listings = listings.filter(language=filters.language)
    if filters.remote:
        listings = listings.filter(remote=True)
    listings = matching_texts(listings, filters.query)
    if filters.near is not None and filters.within_km is not None:
        if reach:
            in_reach = Q(_AnyOf(F("municipality_id"), reach))
        else:
            in_reach = Q(municipality_id__in=municipalities_within(filters.near, filters.within_km))
        listings = listings.filter(in_reach | Q(remote=True) if not filters.remote else in_reach)
    return listings


def _window(filters: SearchFilters, now: datetime | None) -> QuerySet[Listing, Any]:
    # The newest SEARCH_WINDOW + 1 matches: PostgreSQL walks the newest-first index and stops early when a word
    # is common, or finds the few rows of rare words through the GIN index of the tsvector and sorts them.
    return _matching(filters, now).order_by("-created_at", "-pk").values("pk")[: SEARCH_WINDOW + 1]


def search_results(filters: SearchFilters, window: Any) -> QuerySet[Listing]:
    """The listings of ``window`` (a subquery of ids), ordered as asked; annotated ``search_rank`` and
    ``distance2``."""
    listings = matching_texts(Listing.objects.filter(pk__in=window), filters.query)
    if filters.near is not None:
        listings = listings.annotate(distance2=_distance_squared(filters.near))
    else:
        listings = listings.annotate(distance2=Value(None, output_field=FloatField()))
    # The tsvector is only searched, never read: leave it in the database (it is the widest column).
    listings = (
        listings.select_related("municipality", "author").prefetch_related("sectors", "skills").defer("search_vector")
    )
    if filters.order == "distance" and filters.near is not None:
        return listings.order_by(F("distance2").asc(nulls_last=True), "-created_at", "-pk")
    if filters.order == "newest" or not filters.query:
        return listings.order_by("-created_at", "-pk")
    return listings.order_by("-search_rank", "-created_at", "-pk")


def search_listings(filters: SearchFilters, *, now: datetime | None = None) -> QuerySet[Listing]:
    """Shown offers and needs that fit ``filters``, ordered as asked; annotated ``search_rank`` and ``distance2``.

    The window: the newest SEARCH_WINDOW + 1 matches, ranked and sorted after. A search finding more says "more
    than SEARCH_WINDOW" and asks for a narrower one, so no search counts or ranks every matching row. Lazy (the
    window is a subquery of each query run on it). The search page gets the same answer from ``search_hits`` and
    ``listings_for``, in fewer and cheaper queries.
    """
    return search_results(filters, _window(filters, now))


class Hit(NamedTuple):
    """A match of a search, with what its place in the answer depends on (not the row itself)."""

    pk: int
    search_rank: float
    distance2: float | None


def search_hits(filters: SearchFilters, *, now: datetime | None = None) -> list[Hit]:
    """The newest ``SEARCH_WINDOW + 1`` offers and needs that fit ``filters``, ordered as asked: the order, rank and
    distance of ``search_listings``, the same listings. One query (two with a place: its municipalities within
    reach are read first, at most ``REACH_IDS`` of them, so that PostgreSQL knows how few listings they hold).

    The page counts them (one more than the window says there are more), cuts its page from them and reads only
    that page's rows (``listings_for``): nothing is counted, ranked or joined beyond the window."""
    reach = None
    if filters.near is not None and filters.within_km is not None:
        places = municipalities_within(filters.near, filters.within_km).order_by()
        ids = list(places.values_list("pk", flat=True)[: REACH_IDS + 1])
        reach = ids if len(ids) <= REACH_IDS else None  # a wide reach holds many listings: the subquery suits it
    listings = _matching(filters, now, reach=reach)
    distance: Any = Value(None, output_field=FloatField())
    if filters.near is not None:
        distance = _listing_distance(filters.near)
    rows = (
        listings.annotate(distance2=distance)
        .order_by("-created_at", "-pk")
        .values_list("pk", "search_rank", "distance2")[: SEARCH_WINDOW + 1]
    )
    hits = [Hit(pk, float(rank), distance2) for pk, rank, distance2 in rows]
    # Newest first already; the sorts are stable, so newest first (then the highest id) breaks every tie.
    if filters.order == "distance" and filters.near is not None:
        hits.sort(key=lambda hit: (hit.distance2 is None, hit.distance2 or 0.0))
    elif filters.order != "newest" and filters.query:
        hits.sort(key=lambda hit: -hit.search_rank)
    return hits


def listings_for(hits: Iterable[Hit]) -> list[Listing]:
    """The rows of ``hits`` (a page of them), in their order, with their place and author, their sectors and skills
    in ``sector_list`` and ``skill_list``, and annotated ``search_rank`` and ``distance2`` as ``search_listings``
    does (three queries; none without hits)."""
    hits = list(hits)
    if not hits:
        return []
    # Sectors and skills as plain lists (``sector_list``, ``skill_list``): prefetched into the related managers, they
    # cost a manager and a queryset per listing, a third of the search's Python time.
    rows = {
        listing.pk: listing
        for listing in Listing.objects.filter(pk__in=[hit.pk for hit in hits])
        .select_related("municipality", "author")
        .prefetch_related(
            Prefetch("sectors", queryset=Sector.objects.all(), to_attr="sector_list"),
            Prefetch("skills", queryset=Skill.objects.all(), to_attr="skill_list"),
        )
        .defer("search_vector")
    }
    found: list[Listing] = []
    for hit in hits:
        listing = rows.get(hit.pk)
        if listing is not None:  # deleted since the window was read
            listing.search_rank = hit.search_rank  # type: ignore[attr-defined]
            listing.distance2 = hit.distance2  # type: ignore[attr-defined]
            found.append(listing)
    return found


class SearchResults(Sequence[Listing]):
    """The listings of ``hits``, in their order, read when sliced: a ``Paginator`` over them reads only its page's
    rows (``listings_for``) and counts the hits without a query."""

    def __init__(self, hits: list[Hit]) -> None:
        self.hits = hits

    def __len__(self) -> int:
        return len(self.hits)

    @overload
    def __getitem__(self, index: int) -> Listing: ...

    @overload
    def __getitem__(self, index: slice) -> list[Listing]: ...

    def __getitem__(self, index: int | slice) -> Listing | list[Listing]:
        if isinstance(index, slice):
            return listings_for(self.hits[index])
        return listings_for([self.hits[index]])[0]


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


def listing_item(listing: Listing, terms: tuple[frozenset[int], frozenset[int]] | None = None) -> matching.Item:
    """``listing`` as the engine sees it: its sector and skill ids given in ``terms`` or prefetched."""
    sectors, skills = terms or (
        frozenset(s.pk for s in listing.sectors.all()),
        frozenset(s.pk for s in listing.skills.all()),
    )
    return matching.Item(
        id=listing.pk,
        kind=listing.kind,
        owner_id=listing.author_id,
        category=listing.category,
        sectors=sectors,
        skills=skills,
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


def profile_item(profile: Profile, terms: tuple[frozenset[int], frozenset[int]] | None = None) -> matching.Item:
    municipality = profile.municipality
    sectors, skills = terms or (
        frozenset(s.pk for s in profile.sectors.all()),
        frozenset(s.pk for s in profile.skills.all()),
    )
    return matching.Item(
        id=profile.pk,
        kind=matching.PROFILE,
        owner_id=profile.user_id,
        sectors=sectors,
        skills=skills,
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


# What the engine reads of a candidate: these columns only, as tuples (no model instance, no author row).
LISTING_COLUMNS = (
    "pk",
    "kind",
    "author_id",
    "category",
    "search_stems",
    "language",
    "municipality_id",
    "municipality__latitude",
    "municipality__longitude",
    "radius_km",
    "remote",
    "starts_on",
    "ends_on",
    "pay",
    "status",
    "expires_at",
)
PROFILE_COLUMNS = (
    "pk",
    "user_id",
    "search_stems",
    "languages",
    "municipality__latitude",
    "municipality__longitude",
    "radius_km",
    "remote",
    "in_person",
    "is_visible",
)


def _place(latitude: Any, longitude: Any) -> matching.Point | None:
    if latitude is None or longitude is None:
        return None
    return matching.Point(float(latitude), float(longitude))


def _candidate_listing(
    row: tuple[Any, ...], terms: tuple[frozenset[int], frozenset[int]], now: datetime
) -> matching.Item:
    """A row of ``LISTING_COLUMNS`` as the engine sees it: the same ``Item`` as ``listing_item`` of the full row."""
    (pk, kind, author_id, category, stems, language, municipality_id, lat, lon, radius, remote, starts, ends, pay,
     status, expires_at) = row  # fmt: skip
    return matching.Item(
        id=pk,
        kind=kind,
        owner_id=author_id,
        category=category,
        sectors=terms[0],
        skills=terms[1],
        stems=frozenset(stems.split()),
        languages=frozenset({language}),
        place=_place(lat, lon) if municipality_id is not None else None,
        radius_km=float(radius),
        remote=remote,
        in_person=municipality_id is not None,
        starts_on=starts,
        ends_on=ends,
        pay=pay,
        visible=status == ListingStatus.PUBLISHED and expires_at > now,
    )


def _candidate_profile(row: tuple[Any, ...], terms: tuple[frozenset[int], frozenset[int]]) -> matching.Item:
    """A row of ``PROFILE_COLUMNS`` as the engine sees it: the same ``Item`` as ``profile_item`` of the full row."""
    pk, user_id, stems, languages, lat, lon, radius, remote, in_person, is_visible = row
    return matching.Item(
        id=pk,
        kind=matching.PROFILE,
        owner_id=user_id,
        sectors=terms[0],
        skills=terms[1],
        stems=frozenset(stems.split()),
        languages=frozenset(languages or []),
        place=_place(lat, lon),
        radius_km=float(radius),
        remote=remote,
        in_person=in_person,
        visible=is_visible,
    )


def candidates(
    listing: Listing, vocab: matching.Vocabulary, *, now: datetime | None = None
) -> tuple[QuerySet[Listing], QuerySet[Profile]]:
    """The database's prefilter of ``matches_for``, newest first: offers or needs of the other kind, shown,
    sharing a related sector or skill (or the same exclusive category), within reach or remote; and visible
    profiles sharing a related sector or skill, within reach or remote. Nobody's own."""
    subject = listing_item(listing)
    sectors = _related(set(subject.sectors), dict(vocab.sector_parents))
    skills = _related(set(subject.skills), dict(vocab.skill_parents))
    # Start from the terms' link tables (their indexes find the few rows that share a term), never from a scan of
    # every listing or profile.
    listing_sectors, listing_skills = Listing.sectors.through.objects, Listing.skills.through.objects
    relevant = Q(pk__in=listing_sectors.filter(sector_id__in=sectors).values("listing_id")) | Q(
        pk__in=listing_skills.filter(skill_id__in=skills).values("listing_id")
    )
    if listing.category in matching.EXCLUSIVE_CATEGORIES:
        relevant = Q(category=listing.category)
    other = Kind.NEED if listing.kind == Kind.OFFER else Kind.OFFER
    listings = shown_listings(now).filter(relevant, kind=other).exclude(author_id=listing.author_id)
    profile_sectors, profile_skills = Profile.sectors.through.objects, Profile.skills.through.objects
    profiles = (
        visible_profiles()
        .filter(
            Q(pk__in=profile_sectors.filter(sector_id__in=sectors).values("profile_id"))
            | Q(pk__in=profile_skills.filter(skill_id__in=skills).values("profile_id"))
        )
        .exclude(user_id=listing.author_id)
    )
    if listing.municipality is not None and not listing.remote:
        reach = _box(listing.municipality, matching_reach(listing))
        listings = listings.filter(reach | Q(remote=True))
        profiles = profiles.filter(reach | Q(remote=True))
    return listings.order_by("-created_at", "-pk"), profiles.order_by("-updated_at", "-pk")


def matches_for(listing: Listing, *, limit: int = 10, now: datetime | None = None) -> tuple[list[Found], list[Found]]:
    """The offers (for a need) or needs (for an offer) that fit ``listing``, and the members whose profile fits.

    The database narrows the candidates (the other kind, shown, sharing a related sector or skill or the
    same exclusive category, within reach or remote; at most ``CANDIDATES`` of each, newest first) and hands
    over only the columns the engine reads; the candidates' sectors and skills come in one query for all of
    them; the engine scores and ranks; then the full rows of the ``limit`` best of each kind are read for the
    page. At most seven queries whatever the number of rows (fewer when nothing is found or fits).
    """
    vocab = vocabulary()
    subject = listing_item(listing)
    listings, profiles = candidates(listing, vocab, now=now)
    listing_rows = list(listings.values_list(*LISTING_COLUMNS)[:CANDIDATES])
    profile_rows = list(profiles.values_list(*PROFILE_COLUMNS)[:CANDIDATES])
    listing_terms, profile_terms = _term_ids([row[0] for row in listing_rows], [row[0] for row in profile_rows])
    checked_at = timezone.now()  # ``Listing.is_shown``'s moment, as ``listing_item`` reads it
    offers = matching.rank(
        subject,
        [_candidate_listing(row, listing_terms[row[0]], checked_at) for row in listing_rows],
        vocab,
        limit=limit,
    )
    people = matching.rank(
        subject, [_candidate_profile(row, profile_terms[row[0]]) for row in profile_rows], vocab, limit=limit
    )
    # The rows shown on the page: only the few ranked ones, whole (a query each; none when nothing fits).
    shown_offers = Listing.objects.select_related("municipality", "author").defer("search_vector")
    shown_people = Profile.objects.select_related("municipality", "user")
    offer_rows = shown_offers.in_bulk([m.item_id for m in offers]) if offers else {}
    people_rows = shown_people.in_bulk([m.item_id for m in people]) if people else {}
    return (
        [Found(m, offer_rows[m.item_id]) for m in offers if m.item_id in offer_rows],
        [Found(m, people_rows[m.item_id]) for m in people if m.item_id in people_rows],
    )


Terms = dict[int, tuple[frozenset[int], frozenset[int]]]


def _term_ids(listing_ids: list[int], profile_ids: list[int]) -> tuple[Terms, Terms]:
    """Per listing id and per profile id: its sector ids and skill ids, from the four link tables in one query
    (UNION ALL; none when there is no candidate)."""
    links: dict[tuple[int, int], tuple[set[int], set[int]]] = {}
    for table, ids in ((0, listing_ids), (1, profile_ids)):
        for pk in ids:
            links[(table, pk)] = (set(), set())
    parts = []
    if listing_ids:
        parts += [
            Listing.sectors.through.objects.filter(listing_id__in=listing_ids).values_list(
                Value(0), "listing_id", Value(0), "sector_id"
            ),
            Listing.skills.through.objects.filter(listing_id__in=listing_ids).values_list(
                Value(0), "listing_id", Value(1), "skill_id"
            ),
        ]
    if profile_ids:
        parts += [
            Profile.sectors.through.objects.filter(profile_id__in=profile_ids).values_list(
                Value(1), "profile_id", Value(0), "sector_id"
            ),
            Profile.skills.through.objects.filter(profile_id__in=profile_ids).values_list(
                Value(1), "profile_id", Value(1), "skill_id"
            ),
        ]
    if parts:
        for table, owner, which, term in parts[0].union(*parts[1:], all=True):
            links[(table, owner)][which].add(term)
    listing_terms: Terms = {}
    profile_terms: Terms = {}
    for (table, pk), (sector_ids, skill_ids) in links.items():
        (profile_terms if table else listing_terms)[pk] = (frozenset(sector_ids), frozenset(skill_ids))
    return listing_terms, profile_terms


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


# --- Sector networks ----------------------------------------------------------------------------------


def sector_networks() -> QuerySet[SectorNetwork]:
    """Open sector networks with their sector and the number of their members (one query)."""
    return (
        SectorNetwork.objects.filter(is_active=True)
        .select_related("sector", "circle")
        .annotate(member_count=Count("circle__memberships", distinct=True))
        .order_by("name", "pk")
    )


def network_meetings(network: SectorNetwork, *, now: datetime | None = None, limit: int = 5) -> list[Any]:
    """The network's coming meetings (its circle's events, not cancelled), soonest first."""
    from coopsip.events.models import Event

    now = now or timezone.now()
    return list(
        Event.objects.filter(circle_id=network.circle_id, cancelled_at__isnull=True, ends_at__gt=now)
        .select_related("place")
        .order_by("starts_at", "pk")[:limit]
    )


def network_coordinators(network: SectorNetwork) -> list[Any]:
    from coopsip.events.models import CircleMember

    return list(
        CircleMember.objects.filter(circle_id=network.circle_id, role__in=("moderator", "secretary"))
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def network_profiles(network: SectorNetwork) -> QuerySet[Profile]:
    """Shown profiles of the network's members (members read them; visitors never do)."""
    return (
        visible_profiles()
        .filter(user__circle_memberships__circle_id=network.circle_id)
        .select_related("user", "office", "municipality")
        .order_by("user__first_name", "user__last_name", "pk")
    )


def network_listings(network: SectorNetwork, *, now: datetime | None = None) -> QuerySet[Listing]:
    """Shown offers and needs of the network's members in its sector (or a narrower one), newest first."""
    ids = (
        shown_listings(now)
        .filter(
            author__circle_memberships__circle_id=network.circle_id,
            sectors__in=_with_children(network.sector),
        )
        .values("pk")
    )
    return Listing.objects.filter(pk__in=ids).select_related("municipality").order_by("-created_at", "-pk")
