"""Benchmark: networking search, matching for one need, and the saved searches' digest, on PostgreSQL.

Builds, in the database of DATABASE_URL (**a throw-away one**: the script creates
``bench_networking`` beside the server's ``postgres`` database when DATABASE_URL is not set, and
empties the networking tables and bench accounts it finds), ``--members`` accounts of which
``--profiles`` have a shown profile, ``--listings`` offers and needs in the three languages over
the starter vocabulary and the shipped municipalities of Belgium and France, and ``--saved``
saved searches. Then it measures, in this process (server time, without the network):

- search: ``--queries`` realistic queries (one or two words in nl/fr/en, half of them with a
  filter: near a municipality within 10-50 km, a language, a kind, a sector), as the search page
  runs them (the count for the pager and the first page of 20); also the whole search page
  through Django's test client for the first 50 queries;
- matching for one need: ``selectors.matches_for`` for 30 needs (database prefilter + engine);
- the weekly digest of every saved search (``digests.send_saved_search_digests``).

    .venv/bin/python bench/networking.py [--members 35000 --profiles 8000 --listings 20000 --saved 5000]

Prints the command, the machine (cores, load average), medians and p95 of wall and CPU seconds,
and the queries per operation. Goals (issue 14): search p95 ≤ 50 ms, matching ≤ 200 ms,
the digest of 5,000 saved searches ≤ 60 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

WORDS = {
    "nl": [
        "fotograaf",
        "fotografen",
        "geluidstechnicus",
        "videomontage",
        "affiche",
        "vertaler",
        "repetitieruimte",
        "theater",
        "lichtontwerp",
        "subsidiedossier",
        "website",
        "festival",
    ],
    "fr": [
        "photographe",
        "photographie",
        "ingénieur son",
        "montage vidéo",
        "affiche",
        "traduction",
        "local",
        "théâtre",
        "éclairage",
        "subsides",
        "site web",
        "festival",
    ],
    "en": [
        "photographer",
        "sound engineer",
        "video editing",
        "poster",
        "translator",
        "rehearsal space",
        "theatre",
        "lighting",
        "grant",
        "website",
        "festival",
    ],
}
TITLES = {
    "nl": ["{w} gezocht voor een project", "Ik bied {w} aan", "{w} in de regio", "Ervaren {w} beschikbaar"],
    "fr": ["Cherche {w} pour un projet", "Je propose {w}", "{w} dans la région", "{w} expérimenté disponible"],
    "en": ["{w} wanted for a project", "I offer {w}", "{w} in the region", "Experienced {w} available"],
}


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def ensure_database() -> None:
    if os.environ.get("DATABASE_URL"):
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_networking'").fetchone()
        if not exists:
            connection.execute("CREATE DATABASE bench_networking")
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/bench_networking"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def build(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from coopsip.accounts.models import User
    from coopsip.core.search import TEXT_CONFIGS, TextPart, stems_document
    from coopsip.members.models import MembershipStatus, RegisterEntry
    from coopsip.networking.models import Listing, Profile, SavedSearch, Sector, Skill
    from coopsip.networking.services import _vocabulary_text
    from coopsip.places.models import Municipality
    from coopsip.places.services import load_municipalities

    rng = random.Random(14)  # noqa: S311
    load_municipalities()
    with transaction.atomic():
        Listing.objects.all().delete()
        Profile.objects.all().delete()
        SavedSearch.objects.all().delete()
        RegisterEntry.objects.filter(member_number__startswith="B").delete()
        User.objects.filter(email__endswith="@bench.example.org").delete()
    places = list(Municipality.objects.order_by("pk").values_list("pk", flat=True))
    sectors = list(Sector.objects.all())
    skills = list(Skill.objects.select_related("sector"))
    password = make_password(None)
    started = time.perf_counter()
    users = User.objects.bulk_create(
        [
            User(
                email=f"m{n}@bench.example.org",
                first_name=f"M{n}",
                last_name="Bench",
                password=password,
                preferred_language=rng.choice(["nl", "nl", "fr", "fr", "en"]),
                municipality_id=rng.choice(places),
            )
            for n in range(args.members)
        ],
        batch_size=2000,
    )
    RegisterEntry.objects.bulk_create(
        [
            RegisterEntry(
                member_number=f"B{n:06d}",
                first_name=u.first_name,
                last_name="Bench",
                email=u.email,
                status=MembershipStatus.MEMBER,
                user=u,
                verified_at=timezone.now(),
            )
            for n, u in enumerate(users)
        ],
        batch_size=2000,
    )
    profiles = Profile.objects.bulk_create(
        [
            Profile(
                user=u,
                is_visible=True,
                activity="bench",
                languages=[u.preferred_language],
                municipality_id=u.municipality_id,
                radius_km=rng.choice([20, 30, 50]),
                remote=rng.random() < 0.2,
                search_stems="",
            )
            for u in users[: args.profiles]
        ],
        batch_size=2000,
    )
    profile_skill = Profile.skills.through
    profile_sector = Profile.sectors.through
    chosen: list[Any] = [rng.choice(skills) for _ in profiles]
    profile_skill.objects.bulk_create(
        [profile_skill(profile_id=p.pk, skill_id=s.pk) for p, s in zip(profiles, chosen, strict=True)], batch_size=5000
    )
    profile_sector.objects.bulk_create(
        [
            profile_sector(profile_id=p.pk, sector_id=s.sector_id)
            for p, s in zip(profiles, chosen, strict=True)
            if s.sector_id
        ],
        batch_size=5000,
    )
    now = timezone.now()
    rows = []
    listing_terms = []
    for _n in range(args.listings):
        author = users[rng.randrange(len(users))]
        language = rng.choice(["nl", "nl", "fr", "fr", "en"])
        word = rng.choice(WORDS[language])
        skill = rng.choice(skills)
        remote = rng.random() < 0.15
        rows.append(
            Listing(
                author=author,
                kind=rng.choice(["offer", "need"]),
                category="space" if "ruimte" in word else "work",
                title=rng.choice(TITLES[language]).format(w=word).capitalize(),
                body=f"{word} {rng.choice(WORDS[language])} {rng.choice(WORDS[language])}",
                language=language,
                municipality_id=None if remote and rng.random() < 0.5 else rng.choice(places),
                radius_km=rng.choice([10, 25, 40, 60]),
                remote=remote,
                pay=rng.choice(["paid", "exchange", "volunteer"]),
                expires_at=now + timedelta(days=rng.randrange(-20, 60)),
            )
        )
        listing_terms.append(skill)
    listings = Listing.objects.bulk_create(rows, batch_size=2000)
    listing_skill, listing_sector = Listing.skills.through, Listing.sectors.through
    listing_skill.objects.bulk_create(
        [listing_skill(listing_id=li.pk, skill_id=s.pk) for li, s in zip(listings, listing_terms, strict=True)],
        batch_size=5000,
    )
    listing_sector.objects.bulk_create(
        [
            listing_sector(listing_id=li.pk, sector_id=s.sector_id)
            for li, s in zip(listings, listing_terms, strict=True)
            if s.sector_id
        ],
        batch_size=5000,
    )
    # The search columns, as index_texts writes them, in bulk: the stems in Python, the tsvector in one UPDATE
    # per language (the vocabulary's names and synonyms, kept for this in ``tags``, in all three configurations).
    for li, skill in zip(listings, listing_terms, strict=True):
        li.tags = _vocabulary_text([skill.sector] if skill.sector else [], [skill])[:200]
        li.search_stems = stems_document(
            [TextPart(li.title, li.language, "A"), TextPart(li.body, li.language), TextPart(li.tags, None)]
        )
    Listing.objects.bulk_update(listings, ["tags", "search_stems"], batch_size=2000)
    for p, skill in zip(profiles, chosen, strict=True):
        p.search_stems = stems_document(
            [TextPart(_vocabulary_text([skill.sector] if skill.sector else [], [skill]), None)]
        )
    Profile.objects.bulk_update(profiles, ["search_stems"], batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for code, config in TEXT_CONFIGS.items():
                cursor.execute(
                    "UPDATE networking_listing SET search_vector = "
                    "setweight(to_tsvector(%s::regconfig, title), 'A')"
                    " || setweight(to_tsvector(%s::regconfig, body), 'B')"
                    " || setweight(to_tsvector('dutch', tags), 'B') || setweight(to_tsvector('french', tags), 'B')"
                    " || setweight(to_tsvector('english', tags), 'B') WHERE language = %s",
                    [config, config, code],
                )
    saved_rows = []
    for n in range(args.saved):
        language = rng.choice(["nl", "fr", "en"])
        filters: dict[str, str] = {}
        if rng.random() < 0.5:
            filters = {"near": Municipality.objects.get(pk=rng.choice(places)).postcode, "within_km": "30"}
        saved_rows.append(SavedSearch(user=users[n], name=f"s{n}", query=rng.choice(WORDS[language]), filters=filters))
    SavedSearch.objects.bulk_create(saved_rows, batch_size=2000)
    SavedSearch.objects.update(created_at=now - timedelta(days=10))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"built": time.perf_counter() - started, "users": users, "sectors": sectors, "places": places}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=35_000)
    parser.add_argument("--profiles", type=int, default=8_000)
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--saved", type=int, default=5_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-build", action="store_true", help="Reuse the data of the last run.")
    args = parser.parse_args()

    ensure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root / "src"), str(root)]
    import django

    django.setup()
    import logging

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from coopsip.accounts.models import User
    from coopsip.networking import digests, selectors
    from coopsip.networking.models import Listing, Sector
    from coopsip.places.models import Municipality

    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    version = getattr(connection, "pg_version", "")
    print(
        f"machine: {platform.node()}, {platform.machine()}, nproc {os.cpu_count()}, load {loadavg()}, "
        f"Python {platform.python_version()}, {connection.vendor} {version}"
    )
    if not args.skip_build:
        built = build(args)
        print(
            f"data: {args.members} members, {args.profiles} profiles, {args.listings} offers and needs, "
            f"{args.saved} saved searches, built in {built['built']:.1f} s"
        )
    rng = random.Random(2026)  # noqa: S311
    places = list(Municipality.objects.order_by("pk"))
    sectors = list(Sector.objects.all())

    def query() -> selectors.SearchFilters:
        language = rng.choice(["nl", "fr", "en"])
        words = " ".join(rng.sample(WORDS[language], rng.choice([1, 1, 2])))
        extra: dict[str, Any] = {}
        pick = rng.random()
        if pick < 0.25:
            extra = {"near": rng.choice(places), "within_km": rng.choice([10, 30, 50]), "order": "distance"}
        elif pick < 0.35:
            extra = {"language": language}
        elif pick < 0.45:
            extra = {"kind": rng.choice(["offer", "need"])}
        elif pick < 0.5:
            extra = {"sector": rng.choice(sectors)}
        return selectors.SearchFilters(query=words, **extra)

    walls, cpus, counts = [], [], []
    for _ in range(args.queries):
        filters = query()
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            found = selectors.search_listings(filters)
            total = found.count()
            page = list(found[:20])
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        counts.append(len(queries))
        del total, page
    print(
        f"search ({args.queries} queries, count + first page): wall p50 {statistics.median(walls) * 1000:.1f} ms, "
        f"p95 {percentile(walls, 0.95) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms; "
        f"cpu p50 {statistics.median(cpus) * 1000:.1f} ms; queries {min(counts)}-{max(counts)}"
    )

    member = User.objects.filter(email__endswith="@bench.example.org").order_by("pk").first()
    client = Client()
    client.force_login(member)
    walls, cpus, counts = [], [], []
    for n in range(50):
        language = ["nl", "fr", "en"][n % 3]
        params: dict[str, Any] = {"q": rng.choice(WORDS[language])}
        if n % 2:
            place = rng.choice(places)
            params.update({"near": place.postcode, "within_km": 30, "order": "distance"})
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            response = client.get("/en/network/", params)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        assert response.status_code == 200, response.status_code
        counts.append(len(queries))
    print(
        f"search page (50 requests, rendered): wall p50 {statistics.median(walls) * 1000:.1f} ms, "
        f"p95 {percentile(walls, 0.95) * 1000:.1f} ms; cpu p50 {statistics.median(cpus) * 1000:.1f} ms; "
        f"queries {min(counts)}-{max(counts)}"
    )

    needs = list(
        selectors.shown_listings()
        .filter(kind="need", municipality__isnull=False)
        .prefetch_related("sectors", "skills")
        .select_related("municipality")
        .order_by("pk")[:30]
    )
    walls, cpus, counts, found_counts = [], [], [], []
    for need in needs:
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            offers, people = selectors.matches_for(need)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        counts.append(len(queries))
        found_counts.append(len(offers) + len(people))
    print(
        f"matching for one need ({len(needs)} needs): wall p50 {statistics.median(walls) * 1000:.1f} ms, "
        f"p95 {percentile(walls, 0.95) * 1000:.1f} ms; cpu p50 {statistics.median(cpus) * 1000:.1f} ms; "
        f"queries {min(counts)}-{max(counts)}; matches shown p50 {statistics.median(found_counts):.0f}"
    )

    Listing.objects.filter(pk__in=Listing.objects.order_by("-pk").values("pk")[:500]).update(created_at=timezone.now())
    later = timezone.now() + timedelta(days=8)
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        told = digests.send_saved_search_digests(now=later)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(
        f"weekly digest of every saved search: {wall:.1f} s wall, {cpu:.1f} s cpu, {told} people told, "
        f"{len(queries)} queries"
    )
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
