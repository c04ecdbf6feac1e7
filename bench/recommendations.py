"""Benchmark: what became of recommendations, at the size of years of Smart in Progress.

Builds, straight in the database (bulk inserts, no services), one edition with 10 themes and one
working group per theme, 3,000 recommendations (300 in the first theme, all submitted; 2,700 in the others
decided by the board in published decisions, a third with a project), 10,000 versions and 50,000 consent
answers, on a fresh SQLite database in a temporary folder (or the PostgreSQL of DATABASE_URL, which it
fills and does not clean up: use a throw-away one). Then, through Django's test client in this process
(the server time: middleware, views, templates, queries; no network):

- the public list "What became of our recommendations", filtered by decision, first and last page;
- the staff synthesis page of the theme of 300 submitted recommendations (side by side, paginated, with
  the similarity suggestions computed over the 300);
- the public list searched (core.search: stems on SQLite, PostgreSQL full-text search on PostgreSQL), and the
  whole filtered list as CSV (streamed);
- the similarity suggestions alone for those 300 (plain Python);
- the PDF of the yearly publication of an edition with 200 decided recommendations.

    .venv/bin/python bench/recommendations.py [--runs 5]

Prints the command, the machine (cores, load average), and per measure the median wall and CPU seconds
and the queries. Goals: list pages at most 150 ms, similarity at most 1 s, the PDF at most 15 s.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

WORDS = [
    "ethisch",
    "comité",
    "advies",
    "coöperatie",
    "vennoten",
    "werk",
    "netwerk",
    "sector",
    "kantoor",
    "budget",
    "opleiding",
    "begeleiding",
    "gedeelde",
    "ruimte",
    "tools",
    "informatie",
    "financieel",
    "woordvoerder",
    "gendergelijkheid",
    "activiteit",
    "consolideren",
    "aankoopcentrale",
    "ecologisch",
    "impact",
    "partner",
    "bijeenkomst",
    "enquête",
    "beroepsbeurs",
    "animatie",
    "vademecum",
]


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def measure(runs: int, action: Callable[[], Any]) -> tuple[float, float, Any]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def text(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(rng: random.Random) -> dict[str, Any]:
    from datetime import date, timedelta

    from django.utils import timezone

    from coopsip.accounts.models import User
    from coopsip.editions.models import Edition, Theme
    from coopsip.formation.models import FormationRun, ProposedGroup, RunStatus
    from coopsip.groups.models import WorkingGroup
    from coopsip.recommendations.models import (
        BoardDecision,
        ConsentAnswer,
        ConsentRound,
        FollowUpProject,
        Recommendation,
        RecommendationVersion,
        Synthesis,
        SynthesisSource,
    )

    now = timezone.now()
    edition = Edition.objects.create(
        slug="bench", title_en="Bench edition", title_nl="Bench", starts_on=date(2020, 11, 1),
        ends_on=date(2021, 6, 30), published_at=now - timedelta(days=1),
    )  # fmt: skip
    themes = [
        Theme.objects.create(
            edition=edition, slug=f"theme-{n}", title_en=f"Theme {n}", title_nl=f"Thema {n}", position=n
        )
        for n in range(10)
    ]
    run = FormationRun.objects.create(edition=edition, number=1, status=RunStatus.DONE)
    groups = []
    for n, theme in enumerate(themes):
        proposed = ProposedGroup.objects.create(
            run=run, key=f"G{n:04d}", theme=theme, mode="video", office=None, language="nl", slot="tue_am"
        )
        groups.append(
            WorkingGroup.objects.create(
                edition=edition,
                proposed_group=proposed,
                key=proposed.key,
                theme=theme,
                mode="video",
                language="nl",
                slot="tue_am",
                min_size=6,
                max_size=12,
                proposed_size=10,
            )
        )
    people = User.objects.bulk_create(
        User(email=f"bench{n}@example.org", first_name=f"P{n}", password="!") for n in range(50)
    )
    recommendations = []
    for n in range(3000):
        theme_index = 0 if n < 300 else 1 + n % 9
        recommendations.append(
            Recommendation(
                edition=edition,
                theme=themes[theme_index],
                group=groups[theme_index],
                title=f"Recommendation {n} " + text(rng, 4),
                language="nl",
                need=text(rng, 60),
                proposal=text(rng, 120),
                actions=text(rng, 40),
                status="submitted" if n < 300 else "decided",
                submitted_at=now,
                version=3 if n % 3 else 4,
            )
        )
    recommendations = Recommendation.objects.bulk_create(recommendations, batch_size=500)
    versions = []
    for rec in recommendations:
        versions.extend(
            RecommendationVersion(recommendation=rec, number=k, title=rec.title, proposal=rec.proposal)
            for k in range(1, rec.version + 1)
        )
    RecommendationVersion.objects.bulk_create(versions[:10_000], batch_size=1000)
    first_versions = {
        v.recommendation_id: v.pk for v in RecommendationVersion.objects.filter(number=1).only("pk", "recommendation")
    }
    rounds = ConsentRound.objects.bulk_create(
        (
            ConsentRound(
                recommendation=rec,
                version_id=first_versions[rec.pk],
                opened_at=now - timedelta(days=10),
                closes_at=now - timedelta(days=3),
                closed_at=now - timedelta(days=3),
                result="adopted",
                agree_count=17,
            )
            for rec in recommendations
            if rec.pk in first_versions
        ),
        batch_size=1000,
    )
    answers = []
    for index in range(50_000):
        answers.append(
            ConsentAnswer(
                round=rounds[index // 17 % len(rounds)],
                user=people[index % 17 + (index // (17 * len(rounds))) * 17],
                position="agree",
                language="nl",
                answered_at=now,
            )
        )
    ConsentAnswer.objects.bulk_create(answers, batch_size=2000)
    decided = [rec for rec in recommendations if rec.status == "decided"]
    syntheses = Synthesis.objects.bulk_create(
        Synthesis(edition=edition, theme=rec.theme, title_nl=rec.title, status="decided") for rec in decided
    )
    SynthesisSource.objects.bulk_create(
        SynthesisSource(synthesis=s, recommendation=rec, version_number=1)
        for s, rec in zip(syntheses, decided, strict=True)
    )
    kinds = ["accepted", "accepted_with_changes", "postponed", "rejected", "already_under_way"]
    decisions = BoardDecision.objects.bulk_create(
        BoardDecision(
            synthesis=s,
            decision=kinds[n % 5],
            answer_nl=text(rng, 30),
            meeting_date=date(2021, 6, 1),
            decided_at=now,
            published_at=now,
        )
        for n, s in enumerate(syntheses)
    )
    FollowUpProject.objects.bulk_create(
        FollowUpProject(decision=d, title_nl=f"Project {n}", public=True, status="under_way", progress=40)
        for n, d in enumerate(decisions)
        if d.decision in ("accepted", "already_under_way")
    )
    # A second edition for the PDF: 200 decided recommendations over 5 themes.
    pdf_edition = Edition.objects.create(
        slug="bench-pdf", title_en="Bench PDF", starts_on=date(2019, 11, 1), ends_on=date(2020, 6, 30),
        published_at=now - timedelta(days=1),
    )  # fmt: skip
    pdf_themes = [
        Theme.objects.create(
            edition=pdf_edition, slug=f"t{n}", title_en=f"PDF theme {n}", position=n, challenges=text(rng, 80)
        )
        for n in range(5)
    ]
    pdf_recs = Recommendation.objects.bulk_create(
        Recommendation(
            edition=pdf_edition,
            theme=pdf_themes[n % 5],
            title=f"PDF recommendation {n}",
            language="nl",
            proposal=text(rng, 120),
            status="decided",
            submitted_at=now,
            version=1,
        )
        for n in range(200)
    )
    pdf_syntheses = Synthesis.objects.bulk_create(
        Synthesis(edition=pdf_edition, theme=rec.theme, title_nl=rec.title, status="decided") for rec in pdf_recs
    )
    SynthesisSource.objects.bulk_create(
        SynthesisSource(synthesis=s, recommendation=r) for s, r in zip(pdf_syntheses, pdf_recs, strict=True)
    )
    BoardDecision.objects.bulk_create(
        BoardDecision(
            synthesis=s,
            decision="accepted",
            answer_nl=text(rng, 40),
            meeting_date=date(2020, 6, 1),
            decided_at=now,
            published_at=now,
        )
        for s in pdf_syntheses
    )
    return {"edition": edition, "first_theme": themes[0], "pdf_edition": pdf_edition}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root / "src"), str(root)]
    import django

    django.setup()
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from coopsip.accounts.models import User
    from coopsip.core.access import STAFF_GROUP
    from coopsip.recommendations.models import Recommendation
    from coopsip.recommendations.similarity import Document, suggest
    from coopsip.recommendations.views_staff import similarity_text

    call_command("migrate", verbosity=0)
    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(
        f"machine: {platform.node()}, {platform.machine()}, nproc {os.cpu_count()}, load {loadavg()}, "
        f"Python {platform.python_version()}, {connection.vendor}"
    )
    started = time.perf_counter()
    data = build(random.Random(7))  # noqa: S311 (synthetic data, not secrets)
    counts = {
        "recommendations": Recommendation.objects.count(),
        "versions": Recommendation.versions.rel.related_model.objects.count(),  # type: ignore[attr-defined]
    }
    from coopsip.recommendations.models import ConsentAnswer

    counts["consent answers"] = ConsentAnswer.objects.count()
    print(f"built in {time.perf_counter() - started:.1f} s: {counts}")
    from coopsip.recommendations.search import index_recommendations

    if connection.vendor == "postgresql":
        # Freshly bulk-loaded tables have no statistics until autovacuum passes: without them PostgreSQL plans
        # the list's subqueries as scans (8 s for the first page instead of 0.08 s). Production is analysed.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    wall, cpu = time.perf_counter(), time.process_time()
    indexed = index_recommendations(Recommendation.objects.all())
    print(
        f"search index of {indexed} recommendations: {time.perf_counter() - wall:.1f} s wall, "
        f"{time.process_time() - cpu:.1f} s CPU"
    )

    staff, _created = User.objects.get_or_create(email="bench-staff@example.org", defaults={"first_name": "Bench"})
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    TOTP.activate(staff, generate_totp_secret())
    staff_client, visitor = Client(), Client()
    staff_client.force_login(staff)

    def page(client: Client, url: str) -> Callable[[], tuple[int, int]]:
        def get() -> tuple[int, int]:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            return len(queries), len(response.content)

        return get

    outcomes = reverse("recommendations_public:outcomes")
    measures = [
        ("public list, first page", page(visitor, f"{outcomes}?decision=accepted")),
        ("public list, page 20", page(visitor, f"{outcomes}?decision=accepted&page=20")),
        ("public list, edition and project filters", page(visitor, f"{outcomes}?edition=bench&project=under_way")),
        ("public list, search two words", page(visitor, f"{outcomes}?q=ethisch+comit%C3%A9s")),
        ("public list, search and decision filter", page(visitor, f"{outcomes}?q=vennoten&decision=accepted")),
        (
            "staff synthesis page (theme of 300)",
            page(staff_client, reverse("recommendations_staff:theme", kwargs={"theme_id": data["first_theme"].pk})),
        ),
    ]
    print(f"{'measure':<45} {'wall s':>8} {'cpu s':>8} {'queries':>8} {'bytes':>9}")
    for name, action in measures:
        action()  # warm the caches (templates, translations)
        wall, cpu, (queries, size) = measure(args.runs, action)
        print(f"{name:<45} {wall:>8.3f} {cpu:>8.3f} {queries:>8} {size:>9}")

    csv_url = reverse("recommendations_public:outcomes_csv")

    def csv_export() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = visitor.get(f"{csv_url}?edition=bench")
            size = sum(len(chunk) for chunk in response.streaming_content)
        return len(queries), size

    wall, cpu, (queries, size) = measure(args.runs, csv_export)
    print(f"{'public list as CSV, 2,700 rows (streamed)':<45} {wall:>8.3f} {cpu:>8.3f} {queries:>8} {size:>9}")

    theme_recs = list(Recommendation.objects.filter(theme=data["first_theme"]))
    docs = [Document(key=r.pk, language=r.language, text=similarity_text(r)) for r in theme_recs]
    wall, cpu, found = measure(args.runs, lambda: suggest(docs, limit=15))
    print(f"{'similarity suggestions, 300 texts':<45} {wall:>8.3f} {cpu:>8.3f} {'-':>8} {found.total:>9} pairs")

    from coopsip.recommendations import publication

    publication.set_published(by=staff, edition=data["pdf_edition"], published=True)
    pdf_url = reverse("recommendations_public:publication_pdf", kwargs={"slug": "bench-pdf", "language": "en"})

    from django.core.cache import cache

    def pdf(*, cached: bool) -> Callable[[], tuple[int, int]]:
        def get() -> tuple[int, int]:
            if not cached:
                cache.clear()  # lay it out again: the PDF is cached under the hash of its HTML
            response = visitor.get(pdf_url)
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
            return 0, len(response.content)

        return get

    wall, cpu, (_queries, size) = measure(max(1, args.runs // 2), pdf(cached=False))
    print(f"{'PDF of the publication, 200 recommendations':<45} {wall:>8.3f} {cpu:>8.3f} {'-':>8} {size:>9}")
    wall, cpu, (_queries, size) = measure(args.runs, pdf(cached=True))
    print(f"{'the same PDF again (cached by its HTML)':<45} {wall:>8.3f} {cpu:>8.3f} {'-':>8} {size:>9}")
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
