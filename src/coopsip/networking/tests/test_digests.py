"""The saved searches' digest matches new offers and needs in one pass: same answers as the search page."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coopsip.networking import digests, services
from coopsip.networking.forms import SearchForm
from coopsip.networking.models import SavedSearch, Sector, Skill
from coopsip.networking.selectors import search_listings
from coopsip.networking.tests.conftest import offer_input, person


def _listings(places: dict[str, Any], vocab: dict[str, Any], authors: list[Any]) -> None:
    photo_sector = Sector.objects.get(slug="photography-sector")
    portrait = Skill.objects.get(slug="portrait-photography")
    rows = [
        {
            "title": "Fotograaf in Gent",
            "sectors": (photo_sector,),
            "skills": (portrait,),
            "municipality_id": places["gent"].pk,
        },
        {
            "title": "Photographe à Liège",
            "language": "fr",
            "skills": (vocab["photo"],),
            "municipality_id": places["liege"].pk,
        },
        {"kind": "need", "title": "Wij zoeken fotografen", "sectors": (vocab["audiovisual"],), "remote": True},
        {
            "title": "Sound engineer",
            "language": "en",
            "sectors": (vocab["music"],),
            "municipality_id": places["brussel"].pk,
        },
        {"kind": "need", "title": "Geluid voor concert", "pay": "volunteer", "municipality_id": places["lokeren"].pk},
        {
            "title": "Photographie de portrait",
            "language": "fr",
            "remote": True,
            "municipality_id": places["brussel"].pk,
        },
    ]
    for number, row in enumerate(rows):
        services.publish_listing(author=authors[number % len(authors)], data=offer_input(**row))


def test_the_one_pass_finds_what_the_search_finds(places: Any, vocab: Any, pieter: Any, camille: Any) -> None:
    _listings(places, vocab, [pieter, camille])
    now = timezone.now()
    listings = digests.new_listings(since=now - timedelta(days=1), now=now)
    sector_children = digests._children_map(Sector.objects.exclude(parent=None).values_list("pk", "parent_id"))
    skill_children = digests._children_map(Skill.objects.exclude(parent=None).values_list("pk", "parent_id"))
    queries = ["", "fotograaf", "photographie", "geluid concert", 'photographe 🙂 "portrait"', "x" * 300]
    extra: list[dict[str, str]] = [
        {},
        {"kind": "offer"},
        {"kind": "need", "pay": "volunteer"},
        {"sector": str(vocab["audiovisual"].pk)},
        {"skill": str(vocab["photo"].pk)},
        {"language": "fr"},
        {"remote": "on"},
        {"near": "9000", "within_km": "30"},
        {"near": "9000", "within_km": "0"},
        {"near": "4000", "within_km": "10000", "remote": "on"},
        {"near": "Bruxelles", "within_km": "5"},
    ]
    compared = 0
    for query, filters in itertools.product(queries, extra):
        form = SearchForm({"q": query, **filters})
        assert form.is_valid(), form.errors
        expected = set(search_listings(form.filters(), now=now).values_list("pk", flat=True))
        wanted = digests.criteria(form.filters(), sector_children, skill_children)
        assert {li.pk for li in listings if digests.fits(li, wanted)} == expected, (query, filters)
        compared += 1
    assert compared == len(queries) * len(extra)


def test_the_digest_reads_the_new_listings_once_whatever_the_number_of_searches(
    places: Any, vocab: Any, pieter: Any, camille: Any
) -> None:
    from django.db import connection

    people = [person(f"saver{n}@example.org", f"Saver{n}", number=f"31{n:04d}") for n in range(12)]
    week_ago = timezone.now() - timedelta(days=1)

    def run(count: int) -> int:
        SavedSearch.objects.all().delete()
        for n in range(count):
            SavedSearch.objects.create(
                user=people[n], name=f"s{n}", query="fotograaf", filters={"near": "9000", "within_km": "30"}
            )
        SavedSearch.objects.update(created_at=week_ago)
        with CaptureQueriesContext(connection) as captured:
            assert digests.send_saved_search_digests(now=timezone.now() + timedelta(days=7, hours=2)) == count
        return len(captured)

    _listings(places, vocab, [pieter, camille])
    # The due searches, the new listings and their terms (2), the vocabulary (2), the places typed (1), the
    # searches, then per chunk of 500 one transaction: the people's choices, the lines already there, one insert,
    # ``last_sent_at``.
    assert run(3) == 15
    assert run(12) == 15


def test_a_search_with_a_place_it_no_longer_knows_is_skipped_and_tried_again(
    member: Any, pieter: Any, places: Any
) -> None:
    saved = SavedSearch.objects.create(user=member, name="Nowhere", query="", filters={"near": "Atlantis"})
    services.publish_listing(author=pieter, data=offer_input(title="Fotograaf", municipality_id=places["gent"].pk))
    assert digests.send_saved_search_digests(now=timezone.now() + timedelta(days=8)) == 0
    saved.refresh_from_db()
    assert saved.last_sent_at is None


def test_each_person_is_told_as_they_chose(places: Any, pieter: Any, member: Any, nonmember: Any) -> None:
    from coopsip.core import notifications
    from coopsip.core.models import OutgoingEmail
    from coopsip.networking.services import TOPIC_MATCHES
    from coopsip.notifications.models import PendingNotification

    carla = person("carla@example.org", "Carla", number="319999")
    for who in (member, carla):
        SavedSearch.objects.create(user=who, name="Foto", query="fotograaf")
    SavedSearch.objects.update(created_at=timezone.now() - timedelta(days=1))
    notifications.set_delivery(user=member, topic=TOPIC_MATCHES, delivery=notifications.EACH)
    notifications.set_delivery(user=carla, topic=TOPIC_MATCHES, delivery=notifications.NONE)
    services.publish_listing(author=pieter, data=offer_input(title="Fotograaf", municipality_id=places["gent"].pk))
    assert digests.send_saved_search_digests(now=timezone.now() + timedelta(days=8)) == 1
    assert OutgoingEmail.objects.filter(to_email=member.email, subject__contains="Foto").exists()
    assert not PendingNotification.objects.exists()


def test_the_places_of_all_searches_are_looked_up_in_one_query(places: Any, vocab: Any, pieter: Any) -> None:
    """Each search near another place, with another sector: still the same number of queries for 2 or 8."""
    from django.db import connection

    from coopsip.networking.tests.conftest import place

    towns = [place(f"{1100 + n}", f"Town {n}", 50.80 + n / 100, 4.30 + n / 100) for n in range(8)]
    sectors = list(Sector.objects.order_by("pk")[:8])
    people = [person(f"near{n}@example.org", f"Near{n}", number=f"32{n:04d}") for n in range(8)]
    services.publish_listing(
        author=pieter, data=offer_input(title="Fotograaf", sectors=tuple(sectors), municipality_id=towns[0].pk)
    )

    def run(count: int) -> tuple[int, int]:
        SavedSearch.objects.all().delete()
        for n in range(count):
            near = towns[n].postcode if n % 2 else f"{towns[n].postcode} {towns[n].name.upper()}"
            SavedSearch.objects.create(
                user=people[n],
                name=f"s{n}",
                query="fotograaf",
                filters={"near": near, "within_km": "50", "sector": str(sectors[n].pk)},
            )
        SavedSearch.objects.update(created_at=timezone.now() - timedelta(days=2))
        with CaptureQueriesContext(connection) as captured:
            told = digests.send_saved_search_digests(now=timezone.now() + timedelta(days=7, hours=2))
        return told, len(captured)

    small, large = run(2), run(8)
    assert small[0] == 2 and large[0] == 8  # every one of them is near enough and in its sector
    assert small[1] == large[1]


def test_the_places_found_at_once_are_the_ones_the_form_finds(places: Any) -> None:
    from coopsip.networking.forms import MunicipalityField, find_places
    from coopsip.networking.tests.conftest import place

    place("9000", "Gent-Zuid", 51.04, 3.72)  # a second place with the same postcode
    texts = ["9000", "9000 Gent", "9000 gent-zuid", "9000 Nowhere", " 4000 ", "Liège", "liège", "BRUXELLES", "9999"]
    found = find_places([*texts, "Atlantis", ""])
    for text in texts:
        try:
            expected = MunicipalityField(required=False).clean(text)
        except Exception:
            expected = None
        assert found.get(text.strip()) == expected, text
    assert "Atlantis" not in found
