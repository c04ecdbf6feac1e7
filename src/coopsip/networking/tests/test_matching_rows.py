"""``selectors.matches_for`` reads only the columns the engine needs: the same matches as from the whole rows."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopsip.networking import matching, selectors, services
from coopsip.networking.models import Listing, ListingStatus, Sector, Skill
from coopsip.networking.tests.conftest import offer_input, person

WORDS = ["fotograaf", "photographe", "geluid", "son", "affiche", "theater", "montage", "festival"]


def _reference(listing: Listing, *, limit: int = 10) -> tuple[list[matching.Match], list[matching.Match]]:
    """The matches as ``matches_for`` found them before it read tuples: whole rows (with their author, place and
    prefetched terms) of the same prefilter, turned into items by ``listing_item`` and ``profile_item``."""
    vocab = selectors.vocabulary()
    listings, profiles = selectors.candidates(listing, vocab)
    rows = listings.select_related("municipality", "author").prefetch_related("sectors", "skills")
    people = profiles.select_related("municipality", "user").prefetch_related("sectors", "skills")
    subject = selectors.listing_item(listing)
    offers = matching.rank(
        subject, [selectors.listing_item(r) for r in rows[: selectors.CANDIDATES]], vocab, limit=limit
    )
    found = matching.rank(
        subject, [selectors.profile_item(r) for r in people[: selectors.CANDIDATES]], vocab, limit=limit
    )
    return list(offers), list(found)


def _data_set(places: dict[str, Any]) -> list[Listing]:
    rng = random.Random(14)
    sectors = list(Sector.objects.order_by("pk"))
    skills = list(Skill.objects.order_by("pk"))
    towns = [None, *places.values()]
    people = [person(f"p{n}@example.org", f"P{n}", number=f"33{n:04d}", language="nl") for n in range(12)]
    for who in people[:9]:
        services.save_profile(
            user=who,
            data=services.ProfileInput(
                is_visible=who is not people[0],
                activity=" ".join(rng.sample(WORDS, 2)),
                sectors=tuple(rng.sample(sectors, rng.choice([0, 1, 2]))),
                skills=tuple(rng.sample(skills, rng.choice([0, 1, 2]))),
                services=" ".join(rng.sample(WORDS, 3)),
                languages=tuple(rng.sample(["nl", "fr", "en"], rng.choice([1, 2]))),
                municipality_id=rng.choice([t.pk for t in places.values()]),
                radius_km=rng.choice([10, 30, 80]),
                in_person=rng.random() < 0.8,
                remote=rng.random() < 0.3,
            ),
        )
    listings = []
    for n in range(60):
        town = rng.choice(towns)
        start = date(2027, 1, 1) + timedelta(days=rng.randrange(0, 200)) if rng.random() < 0.4 else None
        listing = services.publish_listing(
            author=rng.choice(people),
            data=offer_input(
                kind=rng.choice(["offer", "need"]),
                category=rng.choice(["work", "work", "space", "equipment", "partner"]),
                title=f"{rng.choice(WORDS)} {rng.choice(WORDS)} {n}",
                body=" ".join(rng.sample(WORDS, 3)),
                language=rng.choice(["nl", "fr", "en"]),
                sectors=tuple(rng.sample(sectors, rng.choice([0, 1, 1, 2]))),
                skills=tuple(rng.sample(skills, rng.choice([0, 1, 1, 2]))),
                municipality_id=None if town is None else town.pk,
                remote=town is None or rng.random() < 0.2,
                radius_km=rng.choice([10, 25, 60]),
                starts_on=start,
                ends_on=start + timedelta(days=rng.randrange(0, 90)) if start and rng.random() < 0.5 else None,
                pay=rng.choice(["paid", "exchange", "volunteer"]),
            ),
        )
        listings.append(listing)
    # Some that must never come: hidden, expired.
    Listing.objects.filter(pk__in=[li.pk for li in listings[::11]]).update(status=ListingStatus.HIDDEN)
    Listing.objects.filter(pk__in=[li.pk for li in listings[5::13]]).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    return listings


def test_the_matches_from_the_needed_columns_are_those_of_the_whole_rows(places: Any) -> None:
    listings = _data_set(places)
    compared = found = 0
    rows = Listing.objects.filter(pk__in=[li.pk for li in listings])
    for listing in rows.select_related("municipality").prefetch_related("sectors", "skills"):
        offers, people = selectors.matches_for(listing)
        expected_offers, expected_people = _reference(listing)
        # Same items in the same order, with the same scores and reasons; the rows are the ranked ones, whole.
        assert [f.match for f in offers] == expected_offers, listing.title
        assert [f.match for f in people] == expected_people, listing.title
        assert all(f.row.pk == f.match.item_id and f.row.title for f in offers)
        assert all(f.row.pk == f.match.item_id and f.row.user.get_full_name() for f in people)
        compared += 1
        found += len(offers) + len(people)
    assert compared == 60
    assert found > 60  # the data set gives the engine something to rank


def test_matching_reads_the_candidates_terms_in_one_query(places: Any) -> None:
    _data_set(places)
    shown = selectors.shown_listings().filter(kind="need").prefetch_related("sectors", "skills")
    needs = list(shown.select_related("municipality"))
    need = max(needs, key=lambda li: min(len(found) for found in selectors.matches_for(li)))
    offers, people = selectors.matches_for(need)
    assert offers and people
    with CaptureQueriesContext(connection) as captured:
        selectors.matches_for(need)
    # The vocabulary (2), the candidates (2), their sectors and skills (1), the ranked rows shown (2).
    assert len(captured) == 7
    assert sum("UNION ALL" in q["sql"] for q in captured) == 1
