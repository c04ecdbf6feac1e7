"""Matching offers, needs and profiles: plain Python, no Django.

Frozen dataclasses in and out, deterministic: the same input gives the same ranking, in
the same order, with the same reasons. The thin service in ``networking.selectors`` turns
database rows (already narrowed by the database: same or related sector or skill, in
reach, published, not expired) into ``Item`` values and the view puts the ``Reason``
codes into words in the reader's language.

Only complements match: a need with an offer, a need with a member's profile (who could
answer it), an offer with a need or a profile (who could use it). Two needs never match,
nor two offers, nor a person with themself, nor an item that is not ``visible`` (a
profile whose owner did not opt in, a hidden or expired listing).

``score_pair(a, b)`` is symmetric: ``score_pair(a, b) == score_pair(b, a)``, reasons
included. The weights are in ``WEIGHTS`` and explained in docs/networking.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

OFFER = "offer"
NEED = "need"
PROFILE = "profile"

# Categories where only the same category helps: a need for a space is met by a space, never
# by a photographer who happens to share the sector.
EXCLUSIVE_CATEGORIES = frozenset({"space", "equipment"})

WEIGHTS: Mapping[str, float] = {
    "skill": 4.0,  # the same skill (0.6 of it for a parent or child skill)
    "sector": 3.0,  # the same sector (0.6 of it for a parent or child sector)
    "category": 2.0,  # the same category (work, equipment, space, logistics, administration, partner)
    "text": 2.0,  # shared word stems of title, text, tags and vocabulary synonyms
    "distance": 2.0,  # 1 at the same place, falling linearly to 0 at the edge of the reach
    "language": 1.5,  # a language in common
    "dates": 1.0,  # periods that overlap (0.5 when one of them is ongoing)
    "pay": 0.5,  # the same terms: paid, exchange, volunteer
}
RELATED = 0.6  # share of a weight for a term related through the vocabulary's hierarchy
TEXT_SATURATION = 3.0  # a Jaccard similarity of 1/3 already counts fully: texts are short
DEFAULT_REACH_KM = 25.0
EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Item:
    """An offer, a need or a member's profile, as the scorer sees it."""

    id: int
    kind: str  # OFFER, NEED or PROFILE
    owner_id: int
    category: str = ""  # empty for a profile
    sectors: frozenset[int] = frozenset()
    skills: frozenset[int] = frozenset()
    stems: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    place: Point | None = None
    radius_km: float = DEFAULT_REACH_KM
    remote: bool = False
    in_person: bool = True
    starts_on: date | None = None
    ends_on: date | None = None  # None with starts_on None: ongoing
    pay: str = ""
    visible: bool = True


@dataclass(frozen=True)
class Vocabulary:
    """The parents of sectors and skills (child id → parent id), for related terms."""

    sector_parents: Mapping[int, int] = field(default_factory=dict)
    skill_parents: Mapping[int, int] = field(default_factory=dict)


@dataclass(frozen=True, order=True)
class Reason:
    """Why two items match. ``code`` is one of the codes below, ``value`` its detail:

    same_sector / related_sector / same_skill / related_skill: the term's id (the smallest one shared);
    same_category: the category; similar_words: how many stems they share; distance: whole km;
    remote: ""; language: the language code; dates: the first day both are available (ISO);
    ongoing: ""; same_pay: the terms.
    """

    code: str
    value: str = ""


@dataclass(frozen=True)
class Match:
    item_id: int
    kind: str
    owner_id: int
    score: float  # 0 to 100
    reasons: tuple[Reason, ...]


def haversine_km(a: Point, b: Point) -> float:
    """The great-circle distance between two points, in km."""
    lat1, lat2 = math.radians(a.latitude), math.radians(b.latitude)
    dlat = lat2 - lat1
    dlon = math.radians(b.longitude - a.longitude)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def complements(a: Item, b: Item) -> bool:
    """Whether ``a`` and ``b`` may match at all: a need with an offer or a profile, an offer with a need or a
    profile; never two items of one person or an item that is not visible."""
    if a.owner_id == b.owner_id or not (a.visible and b.visible):
        return False
    kinds = {a.kind, b.kind}
    return kinds in ({NEED, OFFER}, {NEED, PROFILE}, {OFFER, PROFILE})


def _ancestors(term: int, parents: Mapping[int, int]) -> set[int]:
    seen: set[int] = set()
    while term in parents and parents[term] not in seen and parents[term] != term:
        term = parents[term]
        seen.add(term)
    return seen


def _terms(a: frozenset[int], b: frozenset[int], parents: Mapping[int, int], same: str, related: str) -> Reason | None:
    shared = a & b
    if shared:
        return Reason(same, str(min(shared)))
    # Related: one's term is an ancestor of the other's (a need for "sound" and an offer of "live sound").
    related_terms = {t for t in a if _ancestors(t, parents) & b} | {t for t in b if _ancestors(t, parents) & a}
    if related_terms:
        return Reason(related, str(min(related_terms)))
    return None


def _reach(a: Item, b: Item) -> float:
    # The larger radius of the two: whoever is ready to travel farther makes the meeting possible.
    return max(a.radius_km, b.radius_km, 0.0)


def score_pair(a: Item, b: Item, vocabulary: Vocabulary = Vocabulary()) -> Match | None:
    """The match of ``b`` for ``a`` (its score and reasons), or None when they do not fit together.

    Symmetric: the score and reasons of ``score_pair(b, a)`` are the same.
    """
    if not complements(a, b):
        return None
    points = 0.0
    reasons: list[Reason] = []
    # Categories: when both are known and one is exclusive (space, equipment), only the same one fits.
    if a.category and b.category:
        if a.category == b.category:
            points += WEIGHTS["category"]
            reasons.append(Reason("same_category", a.category))
        elif a.category in EXCLUSIVE_CATEGORIES or b.category in EXCLUSIVE_CATEGORIES:
            return None
    relevant = False
    for mine, theirs, parents, name in (
        (a.sectors, b.sectors, vocabulary.sector_parents, "sector"),
        (a.skills, b.skills, vocabulary.skill_parents, "skill"),
    ):
        reason = _terms(mine, theirs, parents, f"same_{name}", f"related_{name}")
        if reason is not None:
            relevant = True
            points += WEIGHTS[name] * (1.0 if reason.code.startswith("same_") else RELATED)
            reasons.append(reason)
    shared_stems = a.stems & b.stems
    if shared_stems:
        relevant = True
        jaccard = len(shared_stems) / len(a.stems | b.stems)
        points += WEIGHTS["text"] * min(1.0, jaccard * TEXT_SATURATION)
        reasons.append(Reason("similar_words", str(len(shared_stems))))
    if not relevant and not (a.category and a.category == b.category and a.category in EXCLUSIVE_CATEGORIES):
        return None
    # Place: remote work on both sides fits anywhere; otherwise both must be within reach.
    if a.remote and b.remote:
        points += WEIGHTS["distance"]
        reasons.append(Reason("remote"))
    elif a.place is not None and b.place is not None and a.in_person and b.in_person:
        km = haversine_km(a.place, b.place)
        reach = _reach(a, b)
        if km > reach:
            return None
        points += WEIGHTS["distance"] * (1.0 - km / reach if reach > 0 else 1.0)
        reasons.append(Reason("distance", str(round(km))))
    elif not (a.in_person and b.in_person) and not (a.remote and b.remote):
        return None  # one only meets in person, the other only remotely
    common = sorted(a.languages & b.languages)
    if common:
        points += WEIGHTS["language"]
        reasons.append(Reason("language", common[0]))
    overlap, dates = _dates(a, b)
    if not overlap:
        return None
    if dates is not None:
        points += WEIGHTS["dates"] * (0.5 if dates.code == "ongoing" else 1.0)
        reasons.append(dates)
    if a.pay and a.pay == b.pay:
        points += WEIGHTS["pay"]
        reasons.append(Reason("same_pay", a.pay))
    score = round(100 * points / sum(WEIGHTS.values()), 1)
    return Match(item_id=b.id, kind=b.kind, owner_id=b.owner_id, score=score, reasons=tuple(reasons))


def _dates(a: Item, b: Item) -> tuple[bool, Reason | None]:
    """Whether the periods overlap, and the reason (None when neither has dates)."""
    a_dated = a.starts_on is not None or a.ends_on is not None
    b_dated = b.starts_on is not None or b.ends_on is not None
    if not a_dated and not b_dated:
        return True, None
    if not (a_dated and b_dated):
        return True, Reason("ongoing")
    start = max(d for d in (a.starts_on, b.starts_on, date.min) if d is not None)
    ends = [d for d in (a.ends_on, b.ends_on) if d is not None]
    if ends and min(ends) < start:
        return False, None
    return True, Reason("dates", start.isoformat() if start != date.min else min(ends).isoformat())


def rank(
    subject: Item,
    candidates: Iterable[Item],
    vocabulary: Vocabulary = Vocabulary(),
    *,
    limit: int = 20,
) -> tuple[Match, ...]:
    """The candidates that fit ``subject``, best first (ties: offers and needs before profiles, then by id)."""
    matches = [m for m in (score_pair(subject, c, vocabulary) for c in candidates) if m is not None]
    matches.sort(key=lambda m: (-m.score, m.kind == PROFILE, m.item_id))
    return tuple(matches[:limit])
