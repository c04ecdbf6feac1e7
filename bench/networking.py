"""Benchmark: networking search, matching for one need, and the saved searches' digest, on PostgreSQL.

Builds, in the database of DATABASE_URL (**a throw-away one**: the script creates
``bench_networking`` beside the server's ``postgres`` database when DATABASE_URL is not set, and
empties the networking tables and bench accounts it finds), ``--members`` accounts of which
``--profiles`` have a shown profile, ``--listings`` offers and needs in the three languages over
the starter vocabulary and the shipped municipalities of Belgium and France, and ``--saved``
saved searches. Then it measures, in this process (server time, without the network):

- search: ``--queries`` realistic queries (one or two words in nl/fr/en, half of them with a
  filter: near a municipality within 10-50 km, a language, a kind, a sector), as the search page
  runs them (the window's hits read once, counted and sorted in Python, then the rows of the first
  page of 20); also the whole search page through Django's test client for 50 queries;
- matching for one need: ``selectors.matches_for`` for 30 needs (database prefilter + engine);
- the weekly digest of every saved search (``digests.send_saved_search_digests``).

    .venv/bin/python bench/networking.py [--members 35000 --profiles 8000 --listings 20000 --saved 5000]
    .venv/bin/python bench/networking.py --skip-build --no-digest   # search and matching again, on the same data

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


TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _proc_cpu(pid: str) -> float:
    """utime + stime of a process, in seconds (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def postgres_cpu() -> tuple[float, float]:
    """CPU seconds so far of the PostgreSQL processes serving this database, and of all PostgreSQL processes
    of the machine (other helpers' test databases included). A backend that ended takes its seconds along, so
    compare the two before and after one operation only, on a connection that stays open."""
    from django.db import connection

    name = connection.settings_dict["NAME"]
    ours = every = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() != "postgres":
                continue
            title = (entry / "cmdline").read_text().replace("\0", " ")
        except OSError:
            continue
        seconds = _proc_cpu(entry.name)
        every += seconds
        if f" {name} " in title:
            ours += seconds
    return ours, every


class Cpu:
    """Wall and CPU seconds from here: this process, PostgreSQL's processes of this database, all of PostgreSQL."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        self.ours, self.every = postgres_cpu()

    def report(self, count: int = 1) -> str:
        wall, cpu = time.perf_counter() - self.wall, time.process_time() - self.cpu
        ours, every = postgres_cpu()
        each = f" (per operation: {(ours - self.ours) / count * 1000:.1f} ms)" if count > 1 else ""
        return (
            f"{wall:.1f} s wall; cpu {cpu:.1f} s this process, {ours - self.ours:.1f} s PostgreSQL for this "
            f"database{each}, {every - self.every:.1f} s all PostgreSQL processes; load {loadavg()}"
        )


def ensure_database() -> None:
    if os.environ.get("DATABASE_URL"):
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_networking'").fetchone()
        if not exists:
            connection.execute("CREATE DATABASE bench_networking")
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/bench_networking"


GOALS: list[str] = []


def goal(name: str, measured: float, limit: float) -> None:
    shown = f"{measured * 1000:.0f} ms" if limit < 1 else f"{measured:.1f} s"
    GOALS.append(f"{name}: {shown} -> {'met' if measured <= limit else 'NOT met'} (load {loadavg()})")


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
    parser.add_argument("--digest-only", action="store_true", help="Measure the digest only.")
    parser.add_argument("--no-digest", action="store_true", help="Measure the search and the matching only.")
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

    from coopsip.networking.models import Sector
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
    if connection.vendor == "postgresql":
        # The build rewrites every row several times (the search columns in bulk, then the tsvector per language):
        # without a vacuum the table holds three times its rows, dead, and every scan reads them. A database in
        # use is vacuumed by autovacuum; the bench does it now, so each run measures the same, clean, table.
        vacuum = Cpu()
        with connection.cursor() as cursor:
            for table in ("networking_listing", "networking_profile", "networking_savedsearch"):
                cursor.execute(f"VACUUM ANALYZE {table}")
        print(f"VACUUM ANALYZE of the networking tables: {vacuum.report()}")
    rng = random.Random(2026)  # noqa: S311
    places = list(Municipality.objects.order_by("pk"))
    sectors = list(Sector.objects.all())

    connection.ensure_connection()
    total_wall, total_cpu = time.perf_counter(), time.process_time()
    total = Cpu()
    if not args.digest_only:
        measure_search_and_matching(args, rng, places, sectors)
    if not args.no_digest:
        digest(args)
    print(
        f"measured in {time.perf_counter() - total_wall:.1f} s wall, {time.process_time() - total_cpu:.1f} s cpu "
        f"(this process; the database server's CPU is not in it); load after: {loadavg()}"
    )
    print(f"in all: {total.report()}")
    print("goals (wall time; under load they are not met whatever the code: rerun with a free core):")
    for line in GOALS:
        print("  " + line)


def measure_search_and_matching(
    args: argparse.Namespace, rng: random.Random, places: list[Any], sectors: list[Any]
) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from coopsip.accounts.models import User
    from coopsip.networking import selectors

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
    spent = Cpu()
    for _ in range(args.queries):
        filters = query()
        with CaptureQueriesContext(connection) as queries:
            wall, cpu = time.perf_counter(), time.process_time()
            if hasattr(selectors, "search_hits"):  # as the search page runs it: the window's hits, the page's rows
                hits = selectors.search_hits(filters)
                total = len(hits)  # at most SEARCH_WINDOW + 1: "more than 500" beyond
                page = selectors.listings_for(hits[:20])
            elif hasattr(selectors, "search_window"):  # the code before (a measurement of it on the same data)
                window = selectors.search_window(filters)
                total = len(window)
                page = list(selectors.search_results(filters, window)[:20])
            else:  # the code before that
                found = selectors.search_listings(filters)
                total = found.count()
                page = list(found[:20])
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
        counts.append(len(queries))
        del total, page
    print(
        f"search ({args.queries} queries, window + first page, as the page): "
        f"wall p50 {statistics.median(walls) * 1000:.1f} ms, "
        f"p95 {percentile(walls, 0.95) * 1000:.1f} ms, max {max(walls) * 1000:.1f} ms; "
        f"cpu p50 {statistics.median(cpus) * 1000:.1f} ms; queries {min(counts)}-{max(counts)}; load {loadavg()}"
    )
    print(f"  search in all: {spent.report(args.queries)}")
    goal("search p95 <= 50 ms", percentile(walls, 0.95), 0.050)

    member = User.objects.filter(email__endswith="@bench.example.org").order_by("pk").first()
    assert member is not None
    client = Client()
    client.force_login(member)
    try:
        search_page(rng, places, client)
    except Exception as error:  # another part of the site may be broken while it is edited
        print(f"search page skipped: {type(error).__name__}: {str(error)[:200]}")
    measure_matching()


def search_page(rng: random.Random, places: list[Any], client: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    walls, cpus, counts = [], [], []
    spent = Cpu()
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
    print(f"  search page in all (each request opens a new connection): {spent.report(50)}")


def measure_matching() -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from coopsip.networking import selectors

    needs = list(
        selectors.shown_listings()
        .filter(kind="need", municipality__isnull=False)
        .prefetch_related("sectors", "skills")
        .select_related("municipality")
        .order_by("pk")[:30]
    )
    walls, cpus, counts, found_counts = [], [], [], []
    spent = Cpu()
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
        f"queries {min(counts)}-{max(counts)}; matches shown p50 {statistics.median(found_counts):.0f}; "
        f"load {loadavg()}"
    )
    print(f"  matching in all: {spent.report(len(needs))}")
    goal("matching for one need p50 <= 200 ms", statistics.median(walls), 0.200)


def digest(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.utils import timezone

    from coopsip.networking import digests
    from coopsip.networking.models import Listing, SavedSearch
    from coopsip.notifications.models import PendingNotification

    Listing.objects.filter(pk__in=Listing.objects.order_by("-pk").values("pk")[:500]).update(created_at=timezone.now())
    # Every saved search due again (a run before this one moved them on), nobody told yet.
    SavedSearch.objects.update(last_sent_at=None)
    PendingNotification.objects.filter(key__startswith="networking:saved:").delete()
    later = timezone.now() + timedelta(days=8)
    executed = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        executed[0] += 1
        return execute(sql, params, many, context)

    # The digest's lines link to the search page: the first ``reverse`` imports the whole URLconf (every app's
    # views, some with heavy libraries). A worker pays that once per process, not once per digest: timed apart.
    from django.urls import reverse

    warm = Cpu()
    reverse("networking:search")
    print(f"loading the URLconf first (once per process, not part of the digest): {warm.report()}")
    print(f"load before the digest: {loadavg()}")
    connection.ensure_connection()
    with connection.execute_wrapper(count):
        spent = Cpu()
        told = digests.send_saved_search_digests(now=later)
        wall, cpu = time.perf_counter() - spent.wall, time.process_time() - spent.cpu
        spent_text = spent.report()
    print(
        f"weekly digest of every saved search: {wall:.1f} s wall, {cpu:.1f} s cpu, {told} people told, "
        f"{executed[0]} queries; load {loadavg()}"
    )
    print(f"  digest in all: {spent_text}")
    goal(f"digest of {args.saved} saved searches <= 60 s", wall, 60.0)


if __name__ == "__main__":
    main()
