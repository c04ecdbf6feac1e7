"""Benchmark: the staff CSV export of an edition's registrations (issue 17: 5,000 rows ≤ 1 s to the first byte,
≤ 3 s in all), on PostgreSQL.

Fills the database of DATABASE_URL (**a throw-away one**; without DATABASE_URL the script makes
``bench_registrations_export`` beside the server's ``postgres`` database) with one open edition of twelve themes
and ``--registrations`` registrations written in bulk as the import and the sign-up form leave them: each person
has an account and a register entry (a member number), a home municipality, an office, three theme preferences,
two or three time slots, one to three languages; a tenth volunteer as moderator or secretary; some write notes
(a few starting with "=" or "+", which the export escapes). ``ANALYZE`` after filling.

Then it downloads ``/en/staff/registrations/<edition>/export.csv`` as a logged-in staff member through Django's
test client (server time in this process, no network), reading ``streaming_content`` chunk by chunk: the time to
the first chunk (first byte) and to the last (in all), the CPU seconds of this process and of the database's
PostgreSQL backends, the queries, the rows and bytes; ``--runs`` times after one warm-up.

    .venv/bin/python bench/registrations_export.py [--registrations 5000 --runs 5]
    .venv/bin/python bench/registrations_export.py --skip-build     # again, on the same data
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench"), str(ROOT)]
SLUG = "bench-export"


def build(count: int, *, seed: int = 17) -> None:
    """One open edition with ``count`` registrations (bulk), replacing an earlier one."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from register_search import people

    from coopsip.accounts.models import User
    from coopsip.editions.models import Edition, Theme
    from coopsip.members.models import MembershipStatus, RegisterEntry
    from coopsip.places.models import Municipality, Office
    from coopsip.registrations.models import AvailabilitySlot, Registration, ThemePreference
    from coopsip.registrations.tests.test_staff_access import make_open_edition

    rng = random.Random(seed)  # noqa: S311 - a benchmark's data
    with transaction.atomic():
        for edition in Edition.objects.filter(slug=SLUG):
            Registration.objects.filter(edition=edition).delete()
            edition.themes.all().delete()
            edition.delete()
        User.objects.filter(email__endswith="@export.bench.example.org").delete()
        RegisterEntry.objects.filter(member_number__startswith="X").delete()
        edition = make_open_edition(slug=SLUG)
        for number in range(5, 13):
            Theme.objects.create(
                edition=edition,
                slug=f"theme-{number}",
                position=number,
                title_nl=f"Thema {number}",
                title_fr=f"Thème {number}",
                title_en=f"Theme {number}",
                in_belgium=True,
            )
        themes = list(edition.themes.order_by("position"))
        offices = list(Office.objects.order_by("pk"))
        places = [
            Municipality.objects.get_or_create(
                country="BE",
                postcode=f"{1000 + 37 * n}",
                name=f"Gemeente {n}",
                defaults={"latitude": 50.5 + n / 200, "longitude": 3.5 + n / 100},
            )[0]
            for n in range(120)
        ]
        password = make_password(None)
        rows = people(count, seed=seed)
        users = User.objects.bulk_create(
            User(email=f"e{n}@export.bench.example.org", first_name=first, last_name=last, password=password)
            for n, (_number, first, last, _email) in enumerate(rows)
        )
        now = timezone.now()
        RegisterEntry.objects.bulk_create(
            (
                RegisterEntry(
                    member_number=f"X{n:06d}",
                    first_name=user.first_name,
                    last_name=user.last_name,
                    email=user.email,
                    status=MembershipStatus.MEMBER,
                    user=user,
                    verified_at=now,
                )
                for n, user in enumerate(users)
            ),
            batch_size=2000,
        )
        notes = ["", "", "", "", "Ik kom met de trein.", "=Je viens à vélo", "+32 470 12 34 56", "Rolstoel; lift nodig"]
        registrations = Registration.objects.bulk_create(
            (
                Registration(
                    edition=edition,
                    user=user,
                    mode=rng.choice(["in_person", "video", "either"]),
                    office=rng.choice(offices),
                    municipality=rng.choice(places),
                    languages=rng.sample(["nl", "fr", "en"], rng.randint(1, 3)),
                    volunteers_as_moderator=n % 10 == 0,
                    volunteers_as_secretary=n % 10 == 1,
                    volunteer_experience="Twee edities gemodereerd" if n % 10 == 0 else "",
                    notes=rng.choice(notes),
                )
                for n, user in enumerate(users)
            ),
            batch_size=2000,
        )
        # Registered over the three weeks before now, in the order of their ids.
        start = now - timedelta(days=21)
        for registration in registrations:
            registration.created_at = start + timedelta(seconds=registration.pk % 1_800_000)
        Registration.objects.bulk_update(registrations, ["created_at"], batch_size=2000)
        ThemePreference.objects.bulk_create(
            (
                ThemePreference(registration=registration, theme=theme, rank=rank)
                for registration in registrations
                for rank, theme in enumerate(rng.sample(themes, 3), start=1)
            ),
            batch_size=5000,
        )
        AvailabilitySlot.objects.bulk_create(
            (
                AvailabilitySlot(registration=registration, weekday=weekday, part=part)
                for registration in registrations
                for weekday, part in rng.sample(
                    [(0, "evening"), (1, "evening"), (2, "afternoon"), (3, "evening"), (5, "morning")],
                    rng.randint(2, 3),
                )
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        for table in ["registrations_registration", "registrations_themepreference", "registrations_availabilityslot",
                      "accounts_user", "members_registerentry"]:  # fmt: skip
            cursor.execute(f"ANALYZE {table}")


def ensure_database() -> None:
    if os.environ.get("DATABASE_URL"):
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_registrations_export'").fetchone():
            connection.execute("CREATE DATABASE bench_registrations_export")
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/bench_registrations_export"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--registrations", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5, help="measured downloads (after one warm-up)")
    parser.add_argument("--skip-build", action="store_true", help="reuse the edition already in the database")
    args = parser.parse_args()
    ensure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # Django's test client
    import django

    django.setup()
    from _common import DatabaseCpu, loadavg, machine, percentile, print_preamble
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from coopsip.accounts.models import User
    from coopsip.core.access import STAFF_GROUP
    from coopsip.registrations.models import Registration

    print_preamble()
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        started = time.perf_counter()
        build(args.registrations)
        print(
            f"built {args.registrations:,} registrations in {time.perf_counter() - started:.1f} s (bulk), ANALYZE done"
        )
    count = Registration.objects.filter(edition__slug=SLUG).count()
    staff, created = User.objects.get_or_create(
        email="bench-export-staff@example.org", defaults={"first_name": "Bench", "last_name": "Staff"}
    )
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    if created:
        TOTP.activate(staff, generate_totp_secret())  # staff pages need a second factor set up
    client = Client()
    client.force_login(staff)
    url = reverse("registrations_staff:export", kwargs={"slug": SLUG})
    database_url = os.environ["DATABASE_URL"]

    def download() -> tuple[float, float, float, int, int, int, float]:
        """(first byte s, in all s, CPU s of this process, queries, rows, bytes, backend CPU s)."""
        with DatabaseCpu(database_url) as backend, CaptureQueriesContext(connection) as queries:
            started, cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            assert response.status_code == 200 and response.streaming, response.status_code
            chunks = iter(response.streaming_content)
            first = next(chunks)
            first_byte = time.perf_counter() - started
            size, lines = len(first), first.count(b"\r\n")
            for chunk in chunks:
                size += len(chunk)
                lines += chunk.count(b"\r\n")
            total = time.perf_counter() - started
            cpu = time.process_time() - cpu
            response.close()
        return first_byte, total, cpu, len(queries), lines - 1, size, backend.seconds

    download()  # warm: templates, caches, the tables in PostgreSQL's memory
    print(f"registrations in the edition: {count:,}; {args.runs} downloads; load average at the start {loadavg()}")
    print(
        f"{'run':>3} {'first byte s':>12} {'in all s':>9} {'CPU s':>6} {'PG CPU s':>8} {'queries':>7} {'rows':>6} "
        f"{'bytes':>9}"
    )
    results = []
    for run in range(1, args.runs + 1):
        first_byte, total, cpu, queries, rows, size, backend = download()
        results.append((first_byte, total, cpu, backend))
        print(f"{run:>3} {first_byte:12.3f} {total:9.3f} {cpu:6.2f} {backend:8.2f} {queries:>7} {rows:>6,} {size:>9,}")
    firsts, totals = [r[0] for r in results], [r[1] for r in results]
    print(
        f"\nmedian: first byte {statistics.median(firsts):.3f} s (p95 {percentile(firsts, 0.95):.3f}), in all "
        f"{statistics.median(totals):.3f} s (p95 {percentile(totals, 0.95):.3f}); CPU this process "
        f"{statistics.median([r[2] for r in results]):.2f} s, PostgreSQL backends "
        f"{statistics.median([r[3] for r in results]):.2f} s; load average at the end {loadavg()}"
    )
    print(f"machine: {machine()}")
    met = statistics.median(firsts) <= 1.0 and statistics.median(totals) <= 3.0
    print(
        f"goal (issue 17) {count:,} rows ≤ 1 s to the first byte and ≤ 3 s in all (medians): "
        f"{'MET' if met else 'NOT met'}"
    )


if __name__ == "__main__":
    main()
