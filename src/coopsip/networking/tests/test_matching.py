"""The matching engine on small cases with known best matches, and its properties (no Django needed)."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from coopsip.networking.matching import (
    NEED,
    OFFER,
    PROFILE,
    Item,
    Point,
    Reason,
    Vocabulary,
    haversine_km,
    rank,
    score_pair,
)

GENT = Point(51.0543, 3.7174)
LOKEREN = Point(51.1034, 3.9931)  # about 20 km from Gent
BRUSSELS = Point(50.8503, 4.3517)  # about 50 km from Gent
LIEGE = Point(50.6326, 5.5797)

AUDIOVISUAL, MUSIC = 1, 2
PHOTOGRAPHY_SECTOR = 3  # part of audiovisual
PHOTO, EVENT_PHOTO, SOUND, LIVE_SOUND = 10, 11, 20, 21
VOCAB = Vocabulary(
    sector_parents={PHOTOGRAPHY_SECTOR: AUDIOVISUAL}, skill_parents={EVENT_PHOTO: PHOTO, LIVE_SOUND: SOUND}
)


def need(**kw: object) -> Item:
    values: dict[str, object] = {"id": 1, "kind": NEED, "owner_id": 100, "category": "work", "place": GENT}
    return Item(**{**values, **kw})  # type: ignore[arg-type]


def offer(id: int, **kw: object) -> Item:
    values: dict[str, object] = {"id": id, "kind": OFFER, "owner_id": 1000 + id, "category": "work"}
    return Item(**{**values, **kw})  # type: ignore[arg-type]


def test_haversine_gives_known_distances() -> None:
    assert 48 < haversine_km(GENT, BRUSSELS) < 53
    assert haversine_km(GENT, GENT) == 0


def test_a_photographer_near_gent_who_speaks_dutch_comes_first_with_its_reasons() -> None:
    subject = need(sectors=frozenset({AUDIOVISUAL}), skills=frozenset({PHOTO}), languages=frozenset({"nl"}))
    near_dutch = offer(
        2, sectors=frozenset({AUDIOVISUAL}), skills=frozenset({PHOTO}), place=LOKEREN, languages=frozenset({"nl"})
    )
    far_french = offer(
        3,
        sectors=frozenset({AUDIOVISUAL}),
        skills=frozenset({PHOTO}),
        place=BRUSSELS,
        radius_km=60,
        languages=frozenset({"fr"}),
    )
    sound = offer(4, sectors=frozenset({MUSIC}), skills=frozenset({SOUND}), place=GENT, languages=frozenset({"nl"}))
    ranked = rank(subject, [far_french, sound, near_dutch], VOCAB)
    assert [m.item_id for m in ranked] == [2, 3]  # the sound engineer shares nothing relevant
    best = ranked[0]
    assert Reason("same_sector", str(AUDIOVISUAL)) in best.reasons
    assert Reason("same_skill", str(PHOTO)) in best.reasons
    assert Reason("distance", "20") in best.reasons
    assert Reason("language", "nl") in best.reasons


def test_the_vocabulary_hierarchy_relates_a_skill_to_its_parent() -> None:
    subject = need(skills=frozenset({SOUND}))
    match = score_pair(subject, offer(2, skills=frozenset({LIVE_SOUND}), place=GENT), VOCAB)
    assert match is not None
    assert Reason("related_skill", str(LIVE_SOUND)) in match.reasons
    exact = score_pair(subject, offer(3, skills=frozenset({SOUND}), place=GENT), VOCAB)
    assert exact is not None and exact.score > match.score


def test_a_need_for_a_space_is_met_by_a_space_only() -> None:
    subject = need(category="space", sectors=frozenset({MUSIC}))
    space = offer(2, category="space", place=GENT)
    musician = offer(3, category="work", sectors=frozenset({MUSIC}), place=GENT)
    assert [m.item_id for m in rank(subject, [musician, space])] == [2]
    assert Reason("same_category", "space") in rank(subject, [space])[0].reasons


def test_two_needs_never_match_nor_a_person_with_themself() -> None:
    subject = need(sectors=frozenset({MUSIC}))
    assert score_pair(subject, need(id=2, owner_id=5, sectors=frozenset({MUSIC}))) is None
    assert score_pair(subject, offer(2, owner_id=100, sectors=frozenset({MUSIC}), place=GENT)) is None


def test_out_of_reach_places_do_not_match_unless_both_work_remotely() -> None:
    subject = need(sectors=frozenset({MUSIC}), radius_km=20)
    far = offer(2, sectors=frozenset({MUSIC}), place=LIEGE, radius_km=20)
    assert score_pair(subject, far) is None
    both_remote = score_pair(
        need(sectors=frozenset({MUSIC}), remote=True), offer(3, sectors=frozenset({MUSIC}), place=LIEGE, remote=True)
    )
    assert both_remote is not None and Reason("remote") in both_remote.reasons


def test_dates_must_overlap_and_say_when() -> None:
    subject = need(sectors=frozenset({MUSIC}), starts_on=date(2027, 3, 1), ends_on=date(2027, 3, 31))
    march = offer(2, sectors=frozenset({MUSIC}), place=GENT, starts_on=date(2027, 2, 15), ends_on=date(2027, 4, 30))
    june = offer(3, sectors=frozenset({MUSIC}), place=GENT, starts_on=date(2027, 6, 1))
    match = score_pair(subject, march)
    assert match is not None and Reason("dates", "2027-03-01") in match.reasons
    assert score_pair(subject, june) is None


def test_a_hidden_profile_never_matches() -> None:
    person = Item(id=9, kind=PROFILE, owner_id=9, sectors=frozenset({MUSIC}), place=GENT, visible=False)
    assert score_pair(need(sectors=frozenset({MUSIC})), person) is None


def test_ranking_is_deterministic_ties_by_id() -> None:
    subject = need(sectors=frozenset({MUSIC}))
    same = [offer(i, sectors=frozenset({MUSIC}), place=GENT) for i in (7, 3, 5)]
    assert [m.item_id for m in rank(subject, same)] == [3, 5, 7]


# --- Properties ---------------------------------------------------------------------------------------

points = st.sampled_from([GENT, LOKEREN, BRUSSELS, LIEGE, None])
terms = st.frozensets(st.sampled_from([AUDIOVISUAL, MUSIC, PHOTOGRAPHY_SECTOR]), max_size=2)
skills = st.frozensets(st.sampled_from([PHOTO, EVENT_PHOTO, SOUND, LIVE_SOUND]), max_size=2)
days = st.one_of(st.none(), st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 12, 31)))


@st.composite
def items(draw: st.DrawFn, id: int) -> Item:
    start, end = draw(days), draw(days)
    if start and end and end < start:
        start, end = end, start
    return Item(
        id=id,
        kind=draw(st.sampled_from([NEED, OFFER, PROFILE])),
        owner_id=draw(st.integers(1, 4)),
        category=draw(st.sampled_from(["", "work", "space", "equipment"])),
        sectors=draw(terms),
        skills=draw(skills),
        stems=draw(st.frozensets(st.sampled_from(["fotograf", "gent", "geluid", "son"]), max_size=3)),
        languages=draw(st.frozensets(st.sampled_from(["nl", "fr", "en"]), max_size=2)),
        place=draw(points),
        radius_km=draw(st.sampled_from([0.0, 10.0, 30.0, 100.0, 10_000.0])),
        remote=draw(st.booleans()),
        in_person=draw(st.booleans()),
        starts_on=start,
        ends_on=end,
        pay=draw(st.sampled_from(["", "paid", "exchange"])),
        visible=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(items(1), items(2))
def test_scores_and_reasons_are_symmetric(a: Item, b: Item) -> None:
    ab, ba = score_pair(a, b, VOCAB), score_pair(b, a, VOCAB)
    assert (ab is None) == (ba is None)
    if ab is not None and ba is not None:
        assert ab.score == ba.score
        assert ab.reasons == ba.reasons
        assert 0 < ab.score <= 100


@settings(max_examples=300, deadline=None)
@given(items(1), st.lists(items(2), max_size=1), st.lists(items(3), max_size=1))
def test_nothing_matches_across_a_hidden_item_and_ranking_is_sorted(a: Item, b: list[Item], c: list[Item]) -> None:
    ranked = rank(a, [*b, *c], VOCAB)
    for match in ranked:
        other = next(i for i in [*b, *c] if i.id == match.item_id)
        assert a.visible and other.visible
        assert a.owner_id != other.owner_id
        assert {a.kind, other.kind} != {NEED} and {a.kind, other.kind} != {OFFER}
    assert [m.score for m in ranked] == sorted((m.score for m in ranked), reverse=True)


def test_the_engine_imports_without_django() -> None:
    import subprocess
    import sys

    code = "import sys, coopsip.networking.matching; print(any(m.startswith('django') for m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env={})
    assert result.stdout.strip() == "False"
