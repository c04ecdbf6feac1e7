"""Benchmark: the member register's search at the cooperative's size (issue 17: ≤ 20 ms at 35,000), on PostgreSQL.

Fills the database of DATABASE_URL (**a throw-away one**: the register table is emptied; without DATABASE_URL the
script makes ``bench_register`` beside the server's ``postgres`` database) with ``--entries`` register rows whose
names, emails and numbers look like the cooperative's: Flemish, Walloon and French surnames ("Van den Broeck",
"De Smet", "Lefèvre") drawn with a long tail as in a real population, first names with accents, emails at the
usual Belgian providers, six-digit member numbers. Then ``ANALYZE`` (as autovacuum would) and, with the default
planner settings, it runs ``QUERIES`` (about 50 searches staff make: whole and partial names in any order, the
start of a member number, part of an email, one or two letters as typed into the live search box, no match) and
the empty search (the register's first page):

- **page**: the register page through Django's test client (``GET /en/members/register/?q=…`` as a logged-in staff
  member, the htmx fragment as the search box asks for it): server time in this process, without the network;
- **queries**: the same page's database work alone (``members.selectors.register_page``, the count and the rows
  of the page's 50 entries, evaluated).

    .venv/bin/python bench/register_search.py [--entries 35000 --runs 11]
    .venv/bin/python bench/register_search.py --skip-build      # again, on the same data

Prints the command, the machine and its load, and per query and overall the median and p95 of wall and CPU
(this process) time, the rows found, the queries of the page and how PostgreSQL read the register for each of
the selector's two queries (``EXPLAIN``): ``index`` (the search's indexes), ``walk`` (the name index in order, up
to the page's end), ``seq`` (the table in storage order, up to the count's bound).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]


def _listed(text: str) -> list[str]:
    return text.split()


# The 60 most frequent surnames of Belgium (Statbel), in order, then a long tail built from the parts Flemish and
# Walloon surnames are made of: a real register has thousands of surnames, the first few shared by 1 % each.
SURNAMES = _listed(
    "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De_Smet Dubois Hermans Aerts Michiels "
    "Lambert Martens Vermeulen Van_den_Broeck Dumont Pauwels Verstraete Desmet Smets Vandenberghe Leroy Van_Damme "
    "Cools Wuyts Declercq Verhoeven Bogaerts Coppens Van_de_Velde Segers Lemmens Dupont De_Backer Verbruggen "
    "Stevens Van_Dyck Hendrickx Martin Jansen Thys Verhaegen De_Clercq Laurent Simon Lefebvre Gérard Lefèvre "
    "François Mathieu Renard Fontaine Lejeune Leclercq Denis Collard Noël"
)
_PREFIXES = [*[""] * 10, "Van ", "Vande", "De ", "Ver", "Le ", "Du ", "D'"]
_ROOTS = _listed(
    "Berg Broeck Velde Bossche Poel Hoek Meulen Straeten Haegen Kerckhove Acker Beke Eycken Steen Dries Linden "
    "Wijngaert Walle Mol Hout Bruyn Wilde Cock Keyser Vos Pauw Graeve Schepper Bril Hove Putte Loo Rijck Maele "
    "Mont Champ Fosse Pré Bois Roche Hêtre Marais Chêne Thier Heyden Moor Brande Kamp Vliet"
)
_SUFFIXES = ["", "", "e", "s", "mans", "ens", "aert", "eghem", "ière", "ot", "x"]
FIRST_NAMES = _listed(
    "Lotte Emma Louise Olivia Mila Noor Elena Marie Chloé Zoé Hélène Élodie Anaïs Léa Camille Julie Sarah Laura "
    "Eline Sofie An Inge Els Katrien Annelies Nathalie Isabelle Sophie Charlotte Lucie Manon Inès Fatima Amira "
    "Yasmine Ana Lucía Noah Liam Lucas Louis Arthur Jules Adam Victor Mathis Wout Pieter Jan Tom Bram Stijn Thomas "
    "Kevin Bart Koen Dirk Luc Marc Jean Pierre François Jérôme Benoît Cédric Grégory Raphaël Noé Hugo Théo Nathan "
    "Mohamed Youssef Ayoub Mehmet Ali Rik Geert Wim Johan Hans Eva Nina Lena Roos Fien Jonas Seppe Lars Xavier Yves"
)
DOMAINS = [("gmail.com", 36), ("hotmail.com", 10), ("outlook.com", 6), ("telenet.be", 12), ("skynet.be", 5),
           ("proximus.be", 4), ("yahoo.fr", 3), ("protonmail.com", 2), ("smart.coop", 2), ("icloud.com", 3),
           ("atelier-{r}.be", 9), ("{r}studio.be", 5), ("asbl-{r}.org", 3)]  # fmt: skip

# What staff type (issue 11, point 14: as they remember a person), and what the live search box sends while they do.
QUERIES = [
    # whole names, either order, with a comma, another case
    "Peeters", "Lotte Peeters", "peeters lotte", "Janssens, Sofie", "DUBOIS", "Van den Broeck", "van damme",
    "Lefèvre", "Jérôme", "Chloé Martin", "Vermeulen Wout", "De Smet An", "Noël", "Hendrickx", "Verhaegen Koen",
    # parts of names, as remembered or half typed
    "van", "vand", "verm", "broeck", "smet", "mans", "lef", "berg", "meule", "pee", "jans", "Ann", "eline",
    "kat", "van den", "de s",
    # one or two letters, as the live search sends them while typing
    "p", "v", "pe", "va", "d", "la",
    # member numbers: whole, the start of one
    "212345", "2123", "20", "2", "23",
    # parts of email addresses
    "@gmail.com", "telenet", "lotte.peeters", "smart.coop", "atelier", "@proton",
    # nothing matches
    "xyzzy", "Zwanenburgh", "999999",
]  # fmt: skip


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _zipf(count: int, exponent: float) -> list[float]:
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def people(count: int, *, seed: int = 17) -> list[tuple[str, str, str, str]]:
    """``count`` (member number, first name, last name, email) as a register holds them: deterministic for a seed."""
    rng = random.Random(seed)  # noqa: S311 - a benchmark's data
    tail = []  # a surname drawn twice is twice as frequent
    for _n in range(3000):
        prefix, root, suffix = rng.choice(_PREFIXES), rng.choice(_ROOTS), rng.choice(_SUFFIXES)
        # "Vande" + "Velde" is written "Vandevelde", "D'" + "Hoek" "D'Hoek".
        tail.append(prefix + (root if prefix in ("", "D'") or prefix.endswith(" ") else root.lower()) + suffix)
    surnames = [name.replace("_", " ") for name in SURNAMES] + tail
    # The most frequent surname is under 1 % of the register, the 60th about 0.1 %, then the tail (as in Belgium).
    surname_weights = _zipf(len(surnames), 0.5)
    first_weights = _zipf(len(FIRST_NAMES), 0.6)
    last_names = rng.choices(surnames, surname_weights, k=count)
    first_names = rng.choices(FIRST_NAMES, first_weights, k=count)
    domains = rng.choices([d for d, _w in DOMAINS], [w for _d, w in DOMAINS], k=count)
    rows = []
    for n in range(count):
        first, last = first_names[n], last_names[n]
        local = _ascii(first).lower(), _ascii(last).lower().replace(" ", "").replace("'", "")
        style = rng.random()
        if style < 0.55:
            user = f"{local[0]}.{local[1]}"
        elif style < 0.75:
            user = f"{local[0][0]}{local[1]}"
        elif style < 0.9:
            user = f"{local[0]}{local[1]}{rng.randint(1, 99)}"
        else:
            user = f"{local[0]}{rng.randint(1960, 2005)}"
        domain = domains[n].format(r=_ascii(rng.choice(_ROOTS)).lower())
        email = "" if rng.random() < 0.03 else f"{user}@{domain}"
        rows.append((str(200_001 + n), first, last, email))
    return rows


def build_register(count: int, *, seed: int = 17) -> None:
    """Empty the register and fill it with ``count`` entries (bulk), some linked to accounts; then ANALYZE."""
    from django.db import connection, transaction
    from django.utils import timezone

    from coopsip.accounts.models import User
    from coopsip.members.models import MembershipStatus, RegisterEntry

    rows = people(count, seed=seed)
    now = timezone.now()
    with transaction.atomic():
        RegisterEntry.objects.all().delete()
        User.objects.filter(email__endswith="@register.bench.example.org").delete()
        linked = count // 10  # a tenth of the register has an account on the site
        users = User.objects.bulk_create(
            User(email=f"r{number}@register.bench.example.org", first_name=first, last_name=last, password="!")
            for number, first, last, _email in rows[:linked]
        )
        RegisterEntry.objects.bulk_create(
            (
                RegisterEntry(
                    member_number=number,
                    first_name=first,
                    last_name=last,
                    email=email,
                    status=MembershipStatus.USER if n % 7 == 0 else MembershipStatus.MEMBER,
                    user=users[n] if n < linked else None,
                    verified_at=now if n < linked else None,
                )
                for n, (number, first, last, email) in enumerate(rows)
            ),
            batch_size=5000,
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE members_registerentry")
        cursor.execute("ANALYZE accounts_user")


def ensure_database() -> None:
    if os.environ.get("DATABASE_URL"):
        return
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = 'bench_register'").fetchone():
            connection.execute("CREATE DATABASE bench_register")
    os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/bench_register"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=35_000)
    parser.add_argument("--runs", type=int, default=11, help="measured runs of each query (after one warm-up)")
    parser.add_argument("--skip-build", action="store_true", help="reuse the register already in the database")
    args = parser.parse_args()
    ensure_database()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")  # Django's test client
    import django

    django.setup()
    from _common import loadavg, machine, percentile, print_preamble
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from coopsip.accounts.models import User
    from coopsip.core.access import STAFF_GROUP
    from coopsip.members.models import RegisterEntry
    from coopsip.members.selectors import register_page

    assert connection.vendor == "postgresql", "this benchmark measures PostgreSQL (set DATABASE_URL)"
    print_preamble()
    call_command("migrate", verbosity=0)
    if not args.skip_build:
        started = time.perf_counter()
        build_register(args.entries)
        print(f"built {args.entries:,} register entries in {time.perf_counter() - started:.1f} s (bulk), ANALYZE done")
    total = RegisterEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, setting FROM pg_settings WHERE name LIKE 'enable_%%' AND setting <> boot_val")
        forced = cursor.fetchall()
    print(f"register entries: {total:,}; planner settings changed from the defaults: {forced or 'none'}")

    staff, created = User.objects.get_or_create(
        email="bench-register-staff@example.org", defaults={"first_name": "Bench", "last_name": "Staff"}
    )
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    if created:
        TOTP.activate(staff, generate_totp_secret())  # staff pages need a second factor set up
    client = Client()
    client.force_login(staff)
    url = reverse("members:register")

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend_pid = cursor.fetchone()[0]

    def backend_cpu() -> float:
        """CPU seconds so far of the PostgreSQL backend serving this process (it stays open: no CONN_MAX_AGE)."""
        fields = Path(f"/proc/{backend_pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def page_once(query: str) -> int:
        """The register page's htmx fragment for ``query``, as the search box asks for it: its size in bytes."""
        response = client.get(url, {"q": query}, headers={"HX-Request": "true"})
        assert response.status_code == 200, response.status_code
        return len(response.content)

    def selector_once(query: str) -> tuple[int, int, bool]:
        """The page's database work alone: (entries shown, entries counted, more than counted)."""
        result = register_page(query=query, page=1)
        return len(list(result.page.object_list)), result.page.paginator.count, result.more_than is not None

    def plan(query: str) -> str:
        """How PostgreSQL reads the register for the page's two queries (EXPLAIN of the SQL as it ran):
        "index" (the search's indexes), "walk" (the name index, in order), "seq" (the table from its start)."""
        with CaptureQueriesContext(connection) as captured:
            list(register_page(query=query, page=1).page.object_list)
        kinds = []
        with connection.cursor() as cursor:
            for executed in captured.captured_queries:
                cursor.execute("EXPLAIN " + executed["sql"])
                text = "\n".join(row[0] for row in cursor.fetchall())
                kinds.append(
                    "seq" if "Seq Scan on members_registerentry" in text
                    else "walk" if "registerentry_name_order" in text
                    else "index"
                )  # fmt: skip
        return "+".join(kinds)

    print(f"{'query':<18} {'found':>6} {'shown':>5} {'q':>2} {'plan':>11}  {'page ms (med/p95)':>18} "
          f"{'cpu ms':>7} {'PG cpu':>6}  {'queries ms (med/p95)':>20} {'cpu ms':>7}")  # fmt: skip
    all_page: list[float] = []
    all_page_cpu: list[float] = []
    all_sel: list[float] = []
    all_sel_cpu: list[float] = []
    all_backend = 0.0
    started_load = loadavg()
    for query in ["", *QUERIES]:
        page_once(query)  # warm: templates compiled, the plan's pages in PostgreSQL's memory
        walls, cpus, swalls, scpus = [], [], [], []
        backend = 0.0
        for _run in range(args.runs):
            wall, cpu, pg = time.perf_counter(), time.process_time(), backend_cpu()
            with CaptureQueriesContext(connection) as captured:
                page_once(query)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            backend += backend_cpu() - pg
            wall, cpu = time.perf_counter(), time.process_time()
            shown, found, more = selector_once(query)
            swalls.append(time.perf_counter() - wall)
            scpus.append(time.process_time() - cpu)
        all_page += walls
        all_page_cpu += cpus
        all_sel += swalls
        all_sel_cpu += scpus
        all_backend += backend
        found_text = f">{found}" if more else str(found)
        print(
            f"{query!r:<18} {found_text:>6} {shown:>5} {len(captured):>2} {plan(query):>11}  "
            f"{statistics.median(walls) * 1000:8.1f} {percentile(walls, 0.95) * 1000:8.1f}  "
            f"{statistics.median(cpus) * 1000:7.1f} {backend / args.runs * 1000:6.1f}  "
            f"{statistics.median(swalls) * 1000:9.1f} {percentile(swalls, 0.95) * 1000:9.1f}  "
            f"{statistics.median(scpus) * 1000:7.1f}"
        )
    count = len(QUERIES) + 1
    print(f"\n{count} searches × {args.runs} runs; load average {started_load} at the start, {loadavg()} at the end")
    print(f"machine: {machine()}")
    for name, walls, cpus in (("page (test client)", all_page, all_page_cpu), ("queries alone", all_sel, all_sel_cpu)):
        print(
            f"{name:<20} wall median {statistics.median(walls) * 1000:.1f} ms, "
            f"p95 {percentile(walls, 0.95) * 1000:.1f} ms,"
            f" max {max(walls) * 1000:.1f} ms; CPU (this process) median {statistics.median(cpus) * 1000:.1f} ms,"
            f" p95 {percentile(cpus, 0.95) * 1000:.1f} ms"
        )
    print(f"PostgreSQL backend CPU per page (mean): {all_backend / len(all_page) * 1000:.1f} ms")
    met = percentile(all_page, 0.95) <= 0.020
    print(f"goal (issue 17) register search at {total:,} ≤ 20 ms, p95 of the page: {'MET' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
