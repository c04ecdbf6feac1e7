"""Benchmark: the general assembly's vote, with its closing burst, against gunicorn on PostgreSQL.

35,000 members vote on a ranked-choice ballot of 12 themes. 30,000 of them
voted before (cast in this process through ``votes.services.cast_vote``, the
service the page calls, one transaction each); the last 5,000 vote over HTTP in
the final ``--window`` seconds before the close (600 s = the issue's "last 10
minutes"), arriving ever faster towards the close (arrival time ``window ×
√u``: the rate grows linearly, the last minute gets 19 % of the votes, twice
the average rate). Among the burst requests, ``--changers`` early voters change
their vote, and ``--twins`` burst voters send their vote from two tabs at the
same instant (two POSTs at once).

Each voter opens the ballot page (GET, for the form's CSRF token) and votes
(POST, answered 200 with a receipt code). Arrivals are open-loop: a voter
starts at their time whatever the server is doing, so a slow server shows as
latency, not as fewer requests.

After the close it checks in the database: exactly one participation and one
stored ballot per member (35,000), each burst voter's stored ranking is the one
they sent last (a twin: one of their two, and exactly one of their two receipts
matches), every receipt handed out in the burst is found by ``check_receipt``
with the choices sent (twins excepted, see above); then seals the ballot
(``seal_ballot``: shuffled, rewritten without voter keys, VACUUM (FULL)) and
checks that no voter key and no shared transaction id is left, and counts it
with ``count_ballot`` (read from the database and counted), printing each time.

    .venv/bin/python bench/votes_burst.py [--voters 35000] [--burst 5000] [--window 600]
        [--changers 250] [--twins 100] [--workers 2] [--threads 1] [--clients 200]
        [--database-url postgres://postgres@127.0.0.1:5432/coopsip_votes_bench] [--keep-db]

**It drops and recreates the database of --database-url** (its name must contain
"bench"). Prints the command, the machine, the load average before and after,
wall and CPU seconds (this process, the gunicorn workers, the whole machine),
throughput, latency p50/p95/p99 of the POSTs and the GETs, and the checks.
Exits non-zero on any 5xx, client error, or count that is not exact.
Goal of issue 18: p95 ≤ 500 ms and no error in the closing burst.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # the HTTP benchmarks' shared plumbing (server, sessions, machine, CPU)
    CSRF_FIELD,
    ROOT,
    cookie_from,
    create_people,
    drop_database,
    free_port,
    loadavg,
    machine_busy_seconds,
    percentile,
    postgres_cpu,
    process_tree_cpu,
    request,
    server_environment,
    start_gunicorn,
    stop,
    wait_healthy,
)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/coopsip_votes_bench"
REFUSAL = re.compile(r'<div class="form-errors" role="alert"><p>(.*?)</p>')
RECEIPT = re.compile(r"<code>([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})</code>")
THEMES = 12
SEATS = 3


# ---------------------------------------------------------------------------
# A migrated template database: migrating a new database takes minutes on a busy machine (180 s of the
# 544 s setup of a full run); each run copies the template instead (CREATE DATABASE … TEMPLATE, seconds).


def migrations_key() -> str:
    """A hash of every migration file (name and content): a new or changed migration makes a new template."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "coopsip").glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def migrated_template(url: str, env: dict[str, str]) -> str:
    """The name of a database migrated to the code's migrations, made (once per migration state) if missing."""
    import psycopg
    from psycopg import sql

    name = f"bench_votes_template_{migrations_key()}"
    maintenance = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"template database {name} (migrated before) copied")
            return name
        for (old,) in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE 'bench\\_votes\\_template\\_%%'"
        ).fetchall():
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(old)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    started = time.perf_counter()
    template_url = urlunsplit(urlsplit(url)._replace(path=f"/{name}"))
    try:
        subprocess.run(  # noqa: S603 (this interpreter, this project's manage.py)
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--verbosity", "0", "--no-input", "--skip-checks"],
            env={**env, "DATABASE_URL": template_url},
            check=True,
            cwd=ROOT,
        )
    except BaseException:
        drop_database(template_url)
        raise
    print(f"template database {name} migrated in {time.perf_counter() - started:.0f} s (kept for the next runs)")
    return name


def copy_template(url: str, template: str) -> None:
    """Drop the database of ``url`` (its name must contain "bench") and create it as a copy of ``template``."""
    import psycopg
    from psycopg import sql

    name = urlsplit(url).path.lstrip("/")
    if name in {"test", "postgres", "template0", "template1"} or "bench" not in name or name == template:
        raise SystemExit(f"refusing to drop database {name!r}: give one whose name contains 'bench'")
    with psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template)))


# ---------------------------------------------------------------------------
# Data


def create_ballot(closes_in: float) -> tuple[int, list[int]]:
    """12 shortlisted proposals and a ranked-choice ballot for 3 themes, open since yesterday."""
    from datetime import timedelta

    from django.utils import timezone

    from coopsip.votes import services
    from coopsip.votes.models import ProposalStatus, ThemeProposal

    proposals = [
        ThemeProposal.objects.create(
            title=f"Thema {n + 1}", challenge="Bench", country="both", language="nl", status=ProposalStatus.SHORTLISTED
        )
        for n in range(THEMES)
    ]
    now = timezone.now()
    ballot = services.create_ballot(
        actor=None,
        title="Algemene vergadering (bench)",
        method="instant_runoff",
        seats=SEATS,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(seconds=closes_in),
        proposals=proposals,
    )
    return ballot.pk, list(ballot.options.order_by("position").values_list("pk", flat=True))


def ranking(rng: random.Random, option_ids: list[int]) -> list[int]:
    """1 to 12 themes in order, popular ones more often first (so later rounds exhaust ballots)."""
    weights = [1.0 / (1 + i) ** 0.7 for i in range(len(option_ids))]
    pool, pool_weights, ranked = list(option_ids), list(weights), []
    for _rank in range(rng.randint(1, len(option_ids))):
        pick = rng.choices(range(len(pool)), weights=pool_weights)[0]
        ranked.append(pool.pop(pick))
        pool_weights.pop(pick)
    return ranked


def early_votes(ballot_id: int, user_ids: list[int], choices: dict[int, list[int]], *, service: bool) -> float:
    """The votes cast before the burst; their wall seconds.

    With ``service``, one ``cast_vote`` each (one transaction each: about 20/s
    on a busy machine). Otherwise in bulk: the same two rows the service writes
    (the participation, and the ballot under the keyed voter hash with a receipt
    hash), made with the service's own ``voter_key`` and ``receipt_hash``.
    """
    from coopsip.accounts.models import User
    from coopsip.votes import services
    from coopsip.votes.models import Ballot, CastBallot, Participation

    ballot = Ballot.objects.get(pk=ballot_id)
    started = time.perf_counter()
    for chunk_start in range(0, len(user_ids), 2000):
        chunk = user_ids[chunk_start : chunk_start + 2000]
        users = list(User.objects.filter(pk__in=chunk).select_related("register_entry"))
        if service:
            for user in users:
                services.cast_vote(ballot=ballot, user=user, choices=choices[user.pk])
            continue
        Participation.objects.bulk_create(Participation(ballot=ballot, user=user) for user in users)
        CastBallot.objects.bulk_create(
            CastBallot(
                ballot=ballot,
                voter_key=services.voter_key(ballot, user),
                receipt_hash=services.receipt_hash(ballot, f"EARLY{user.pk}"),
                choices=choices[user.pk],
            )
            for user in users
        )
    return time.perf_counter() - started


# ---------------------------------------------------------------------------
# The clients


@dataclass
class Vote:
    user_id: int
    session_key: str
    at: float  # seconds after the start of the burst
    choices: list[int]
    twin_choices: list[int] | None = None  # a second tab's vote sent at the same instant
    kind: str = "new"  # new, change or twin
    lag: float = 0.0  # how late the client started it (should stay ~0: open loop)
    get_status: int = 0
    get_latency: float = 0.0
    post_statuses: list[int] = field(default_factory=list)
    post_latencies: list[float] = field(default_factory=list)
    receipts: list[str | None] = field(default_factory=list)
    refusals: list[str] = field(default_factory=list)  # the page's error of a 4xx
    error: str = ""


def post_vote(port: int, vote: Vote, headers: dict[str, str], token: str, path: str, choices: list[int]) -> None:
    form = urlencode(
        [("csrfmiddlewaretoken", token), *((f"rank_{option}", str(rank)) for rank, option in enumerate(choices, 1))]
    )
    start = time.perf_counter()
    try:
        response, body = request(port, "POST", path, headers, form)
    except Exception as error:
        vote.error = f"vote: {error!r}"
        return
    vote.post_latencies.append(time.perf_counter() - start)
    vote.post_statuses.append(response.status)
    page = body.decode(errors="replace")
    match = RECEIPT.search(page)
    vote.receipts.append(match.group(1) if match else None)
    if response.status >= 400:
        refusal = REFUSAL.search(page)
        vote.refusals.append(f"{response.status} {refusal.group(1) if refusal else page[:80]!r}")


def voter(port: int, path: str, vote: Vote, started: float) -> None:
    vote.lag = time.perf_counter() - started - vote.at
    origin = f"http://127.0.0.1:{port}"
    try:
        start = time.perf_counter()
        response, body = request(port, "GET", path, {"Cookie": f"sessionid={vote.session_key}"})
        vote.get_latency = time.perf_counter() - start
        vote.get_status = response.status
        match = CSRF_FIELD.search(body.decode(errors="replace"))
        csrf_cookie = cookie_from(response, "csrftoken")
        if response.status != 200 or not match or not csrf_cookie:
            vote.error = f"page: {response.status}, no CSRF form"
            return
    except Exception as error:
        vote.error = f"page: {error!r}"
        return
    headers = {
        "Cookie": f"sessionid={vote.session_key}; csrftoken={csrf_cookie}",
        "Content-Type": "application/x-www-form-urlencoded",
        "Origin": origin,
        "Referer": origin + path,
    }
    token = match.group(1)
    if vote.twin_choices is None:
        post_vote(port, vote, headers, token, path, vote.choices)
        return
    tabs = [
        threading.Thread(target=post_vote, args=(port, vote, headers, token, path, choices))
        for choices in (vote.choices, vote.twin_choices)
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join()


def run_burst(port: int, path: str, votes: list[Vote], clients: int) -> float:
    """Start each vote at its time (open loop) on a pool of ``clients`` threads; the burst's wall seconds."""
    threading.stack_size(512 * 1024)
    with ThreadPoolExecutor(max_workers=clients) as pool:
        started = time.perf_counter()
        for vote in votes:
            delay = started + vote.at - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(voter, port, path, vote, started)
    return time.perf_counter() - started


# ---------------------------------------------------------------------------
# Checks after the close


def check_sealed(ballot_id: int) -> list[str]:
    """After the seal: no voter key left, no cast ballot sharing a transaction id (xmin) with a participation."""
    from django.db import connection

    from coopsip.votes.models import CastBallot

    problems = []
    keyed = CastBallot.objects.filter(ballot_id=ballot_id, voter_key__isnull=False).count()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM votes_castballot c WHERE c.ballot_id = %s AND c.xmin::text IN "
            "(SELECT p.xmin::text FROM votes_participation p WHERE p.ballot_id = %s)",
            [ballot_id, ballot_id],
        )
        shared = cursor.fetchone()[0]
    print(f"sealed: {keyed} ballots with a voter key, {shared} sharing a transaction id with a participation")
    if keyed or shared:
        problems.append(f"the seal left {keyed} voter keys and {shared} shared transaction ids")
    return problems


def check(ballot_id: int, voters: int, votes: list[Vote], all_choices: dict[int, list[int]]) -> list[str]:
    from coopsip.accounts.models import User
    from coopsip.votes import services
    from coopsip.votes.models import Ballot, CastBallot, Participation

    ballot = Ballot.objects.get(pk=ballot_id)
    problems = []
    participations = Participation.objects.filter(ballot=ballot).count()
    cast = CastBallot.objects.filter(ballot=ballot).count()
    distinct = CastBallot.objects.filter(ballot=ballot).values("voter_key").distinct().count()
    print(f"database: {participations:,} participations, {cast:,} stored ballots, {distinct:,} distinct voter keys")
    expected = voters - sum(1 for vote in votes if vote.kind != "change" and 200 not in vote.post_statuses)
    if not participations == cast == distinct == expected:
        problems.append(f"expected {expected} of each: {participations}, {cast}, {distinct}")
    stored = dict(CastBallot.objects.filter(ballot=ballot).values_list("voter_key", "choices"))
    users = User.objects.in_bulk([v.user_id for v in votes])
    wrong = receipts_bad = 0
    unanswered = [vote for vote in votes if 200 not in vote.post_statuses]
    if unanswered:
        problems.append(f"{len(unanswered)} burst votes got no 200 (errors or refusals): not checked further")
    for vote in votes:
        if 200 not in vote.post_statuses:
            continue
        mine = stored.get(services.voter_key(ballot, users[vote.user_id]))
        if vote.twin_choices is None:
            if mine != vote.choices:
                wrong += 1
            found = services.check_receipt(ballot=ballot, code=vote.receipts[0] or "")
            if found is None or found.choices != vote.choices:
                receipts_bad += 1
        else:
            if mine not in (vote.choices, vote.twin_choices):
                wrong += 1
            matching = [
                code
                for code in vote.receipts
                if code and (found := services.check_receipt(ballot=ballot, code=code)) and found.choices == mine
            ]
            if len(matching) != 1:
                receipts_bad += 1
    # The early voters who did not change: their ballot is the one cast in setup.
    changed = {v.user_id for v in votes}
    early_wrong = sum(
        1
        for user_id, user in User.objects.in_bulk(list(set(all_choices) - changed)).items()
        if stored.get(services.voter_key(ballot, user)) != all_choices[user_id]
    )
    print(
        f"burst voters whose stored ranking is not the one they sent last: {wrong}; receipts not matching: "
        f"{receipts_bad}; early voters whose ballot changed: {early_wrong}"
    )
    if wrong or receipts_bad or early_wrong:
        problems.append(f"{wrong} wrong stored ballots, {receipts_bad} receipts, {early_wrong} early ballots")
    return problems


def summary(name: str, values: list[float]) -> str:
    if not values:
        return f"{name}: none"
    return (
        f"{name}: n {len(values):,}, p50 {percentile(values, 0.5) * 1000:.0f} ms, "
        f"p95 {percentile(values, 0.95) * 1000:.0f} ms, p99 {percentile(values, 0.99) * 1000:.0f} ms, "
        f"max {max(values) * 1000:.0f} ms, mean {statistics.fmean(values) * 1000:.0f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=35_000)
    parser.add_argument("--burst", type=int, default=5_000, help="members voting in the last --window seconds")
    parser.add_argument("--window", type=float, default=600.0, help="seconds of the closing burst (600 = 10 min)")
    parser.add_argument("--changers", type=int, default=250, help="early voters who change their vote in the burst")
    parser.add_argument("--twins", type=int, default=100, help="burst voters sending from two tabs at once")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--clients", type=int, default=200, help="client threads (open-loop arrivals)")
    parser.add_argument("--grace", type=float, default=5.0, help="seconds between the last arrival and the close")
    parser.add_argument("--early-through-service", action="store_true", help="early votes one by one (slow)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--database-url", default=DEFAULT_URL, help="dropped and recreated; name must contain 'bench'")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if not 0 < args.burst <= args.voters or args.twins > args.burst or args.changers > args.voters - args.burst:
        parser.error("need 0 < burst ≤ voters, twins ≤ burst, changers ≤ voters − burst")

    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(f"load average at start: {loadavg()}")
    rng = random.Random(args.seed)  # noqa: S311 (benchmark data)
    data_dir = tempfile.mkdtemp(prefix="votes-burst-")
    env = server_environment(args.database_url, data_dir)
    server: subprocess.Popen[bytes] | None = None
    created = False
    failures: list[str] = []
    try:
        template = migrated_template(args.database_url, env)
        copy_template(args.database_url, template)
        created = True
        os.environ.update(env)
        sys.path.insert(0, str(ROOT / "src"))
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connection, connections
        from django.urls import reverse
        from django.utils import timezone, translation

        from coopsip.votes import services
        from coopsip.votes.models import Ballot

        setup_started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        call_command("collectstatic", verbosity=0, interactive=False)
        sessions = create_people(args.voters)
        user_ids = list(
            get_user_model()
            .objects.filter(email__endswith="@bench.example.org")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        ballot_id, option_ids = create_ballot(closes_in=24 * 3600)
        with translation.override("nl"):
            path = reverse("votes:ballot", kwargs={"pk": ballot_id})
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            pg_version = cursor.fetchone()[0]
        people = list(zip(user_ids, sessions, strict=True))
        rng.shuffle(people)
        early, late = people[: args.voters - args.burst], people[args.voters - args.burst :]
        early_choices = {user_id: ranking(rng, option_ids) for user_id, _key in early}
        early_wall = early_votes(
            ballot_id, [user_id for user_id, _key in early], early_choices, service=args.early_through_service
        )
        print(
            f"setup: {args.voters:,} members with sessions, {len(early):,} early votes "
            f"{'through the service' if args.early_through_service else 'in bulk'} in {early_wall:.1f} s, "
            f"total setup {time.perf_counter() - setup_started:.1f} s"
        )
        votes = [Vote(user_id, key, 0.0, ranking(rng, option_ids)) for user_id, key in late]
        for vote in votes[: args.twins]:
            vote.twin_choices, vote.kind = ranking(rng, option_ids), "twin"
        for user_id, key in rng.sample(early, args.changers):
            votes.append(Vote(user_id, key, 0.0, ranking(rng, option_ids), kind="change"))
        rng.shuffle(votes)
        arrivals = sorted(args.window * rng.random() ** 0.5 for _vote in votes)
        for vote, at in zip(votes, arrivals, strict=True):
            vote.at = at
        connections.close_all()

        port = free_port()
        server = start_gunicorn(env, port, args.workers, args.threads, Path(data_dir) / "gunicorn.log")
        wait_healthy(port, server, timeout=300)  # a loaded machine starts Django slowly
        # The close: the end of the window plus --grace for the last requests in flight.
        burst_close = timezone.now() + timedelta(seconds=args.window + args.grace)
        Ballot.objects.filter(pk=ballot_id).update(closes_at=burst_close)
        connections.close_all()
        print(
            f"machine: {platform.node()}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, PostgreSQL {pg_version} on loopback"
        )
        print(
            f"burst: {len(votes):,} voters in the last {args.window:.0f} s ({args.burst:,} new, "
            f"{args.changers} changing, {args.twins} from two tabs at once), arrival rate rising linearly to "
            f"{2 * len(votes) / args.window:.1f}/s at the close; gunicorn {args.workers} workers × {args.threads} "
            f"thread(s), {args.clients} client threads; load average {loadavg()}"
        )
        server_cpu0, pg_cpu0 = process_tree_cpu(server.pid), postgres_cpu()
        busy0, total0 = machine_busy_seconds()
        own0 = time.process_time()
        wall = run_burst(port, path, votes, args.clients)
        own_cpu = time.process_time() - own0
        busy1, total1 = machine_busy_seconds()
        server_cpu, pg_cpu = process_tree_cpu(server.pid) - server_cpu0, postgres_cpu() - pg_cpu0
        posts = [latency for vote in votes for latency in vote.post_latencies]
        gets = [vote.get_latency for vote in votes if vote.get_status]
        statuses = Counter(status for vote in votes for status in vote.post_statuses)
        get_statuses = Counter(vote.get_status for vote in votes if vote.get_status)
        errors = Counter(vote.error for vote in votes if vote.error)
        last_minute = [latency for vote in votes if vote.at >= args.window - 60 for latency in vote.post_latencies]
        print(
            f"burst wall {wall:.1f} s; CPU: gunicorn workers {server_cpu:.1f} s, PostgreSQL {pg_cpu:.1f} s, "
            f"load generator {own_cpu:.1f} s, whole machine busy {busy1 - busy0:.1f} of {total1 - total0:.1f} "
            f"CPU-seconds (other helpers' work included); load average after {loadavg()}"
        )
        print(f"throughput: {len(posts) / wall:.1f} votes/s over the window, {len(posts):,} POSTs")
        answered = len(posts) + len(gets)
        if answered:
            print(
                f"CPU per request: gunicorn {server_cpu / answered * 1000:.1f} ms, PostgreSQL "
                f"{pg_cpu / answered * 1000:.1f} ms ({answered:,} requests: ballot pages and votes)"
            )
        print(summary("POST vote latency", posts))
        print(summary("POST vote latency, last minute", last_minute))
        print(summary("GET ballot page latency", gets))
        lag = max(vote.lag for vote in votes)
        print(f"client start lag: max {lag * 1000:.0f} ms (open loop: near 0 means no queueing in the client)")
        print(f"POST statuses {dict(sorted(statuses.items()))}, GET statuses {dict(sorted(get_statuses.items()))}")
        for refusal, n in Counter(r for vote in votes for r in vote.refusals).most_common(5):
            print(f"  refused ({n}×): {refusal}")
        for error, n in errors.most_common(5):
            print(f"  client error ({n}×): {error}")
        server_errors = sum(n for status, n in (statuses + get_statuses).items() if status >= 500)
        if server_errors or errors or statuses.get(200, 0) != len(posts):
            failures.append(
                f"{server_errors} 5xx, {sum(errors.values())} client errors, POST statuses {dict(statuses)}"
            )
        if not posts:
            failures.append("no vote was answered")
        elif percentile(posts, 0.95) > 0.5:
            failures.append(f"POST p95 {percentile(posts, 0.95) * 1000:.0f} ms over the goal of 500 ms")

        # After the close: the exact checks, then the count.
        wait = (burst_close - timezone.now()).total_seconds()
        if wait > 0:
            time.sleep(wait + 0.5)
        all_choices = dict(early_choices)
        failures += check(ballot_id, args.voters, votes, all_choices)
        # The seal (counting seals first, the scheduler at the close): timed apart, then its effect checked.
        wall0, cpu0 = time.perf_counter(), time.process_time()
        services.seal_ballot(ballot=Ballot.objects.get(pk=ballot_id))
        print(
            f"seal_ballot ({args.voters:,} ballots shuffled and rewritten without voter keys, then VACUUM (FULL)): "
            f"{time.perf_counter() - wall0:.2f} s wall, {time.process_time() - cpu0:.2f} s CPU in this process; "
            f"load {loadavg()}"
        )
        failures += check_sealed(ballot_id)
        wall0, cpu0 = time.perf_counter(), time.process_time()
        ballot = services.count_ballot(actor=None, ballot=Ballot.objects.get(pk=ballot_id))
        assert ballot.result is not None
        print(
            f"count_ballot (read {ballot.result['ballots']:,} ballots from PostgreSQL, ranked choice, {THEMES} themes, "
            f"{SEATS} seats, {len(ballot.result['rounds'])} rounds): {time.perf_counter() - wall0:.2f} s wall, "
            f"{time.process_time() - cpu0:.2f} s CPU in this process; load {loadavg()}"
        )
        if ballot.result["ballots"] != args.voters or ballot.result["participants"] != args.voters:
            failures.append(f"counted {ballot.result['ballots']} ballots of {ballot.result['participants']}")
        count_wall = time.perf_counter() - wall0
        p95 = percentile(posts, 0.95) if posts else float("inf")
        exact = not [f for f in failures if "expected" in f or "wrong" in f or "counted" in f]
        for met, text in (
            (p95 <= 0.5, f"closing burst p95 ≤ 500 ms (POST p95 {p95 * 1000:.0f} ms)"),
            (not server_errors and not errors, f"no error ({server_errors} 5xx, {sum(errors.values())} client errors)"),
            (exact, "exactly one counted ballot per member, as cast, every receipt checked"),
            (count_wall <= 5, f"counting ≤ 5 s ({count_wall:.2f} s wall)"),
        ):
            print(f"goal {'met' if met else 'NOT met'}: {text}; load average {loadavg()}")
    finally:
        stop(server)
        if created and not args.keep_db:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: S110 - Django may not be set up yet
                pass
            drop_database(args.database_url)
        elif created:
            print(f"kept database {args.database_url.rsplit('/', 1)[-1]!r}")
        log = Path(data_dir) / "gunicorn.log"
        if log.exists() and log.stat().st_size:
            print("gunicorn log (tail):", *log.read_text(errors="replace").splitlines()[-10:], sep="\n  ")
        shutil.rmtree(data_dir, ignore_errors=True)
    if failures:
        print("FAILED:", *failures, sep="\n  ")
        return 1
    print("OK: every member's ballot stored and counted exactly once, as cast; no 5xx; p95 within 500 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
