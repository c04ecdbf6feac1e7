"""Benchmark: a survey's results page with 30 questions and 10,000 answers.

Builds the survey straight in the database (bulk inserts: 30 questions of the
choice, scale, matrix, number and text kinds, 10,000 sent responses, one answer
per question each), on a fresh SQLite database in a temporary folder (or the
PostgreSQL of DATABASE_URL, which it fills and does not clean up: use a
throw-away one), then asks for the staff results page and the published one as
a logged-in staff member through Django's test client, in this process: the
server time of the request (middleware, views, templates, queries), without the
network.

    .venv/bin/python bench/surveys.py [--answers 10000] [--questions 30] [--runs 5] [--ballots 35000]

Then the general assembly's result: ``--ballots`` ranked ballots over 12 themes, counted and published, and the
members' and the team's ballot pages with the result (``--ballots 0`` skips it).

The team's CSV and Excel downloads of the answers are timed once each, without a goal.

Prints the command, the machine (cores, load average), and per page the median
wall and CPU seconds, the bytes and the queries, twice: "counted" with the cache
emptied before each request (the first view after an answer changed: the counts
are grouped in the database), and "cached" (every later view until an answer
changes: the counts come from the cache, Django's default per-process cache
here, Redis in production). Goal of issue 18: ≤ 0.5 s.
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
from datetime import timedelta
from pathlib import Path
from typing import Any


def loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


KINDS = ["single", "multiple", "scale5", "scale10", "yes_no", "ranking", "matrix", "number", "short_text", "single"]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--questions", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--ballots", type=int, default=35_000, help="ballots of the vote whose result page is timed")
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
    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from coopsip.accounts.models import User
    from coopsip.core.access import STAFF_GROUP
    from coopsip.surveys import services
    from coopsip.surveys.models import Answer, Choice, Question, Response

    call_command("migrate", verbosity=0)
    staff, created = User.objects.get_or_create(
        email="bench-staff@example.org", defaults={"first_name": "Bench", "last_name": "Staff"}
    )
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    if created:
        TOTP.activate(staff, generate_totp_secret())
    client = Client()
    client.force_login(staff)

    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(
        f"machine: {platform.node()}, nproc {os.cpu_count()}, load {loadavg()}, "
        f"Python {platform.python_version()}, {connection.vendor}"
    )
    rng = random.Random(18)  # noqa: S311 (benchmark data)
    started = time.perf_counter()
    now = timezone.now()
    survey = services.create_survey(
        actor=None,
        values={"title_nl": "Bench", "opens_at": now - timedelta(days=30), "closes_at": now - timedelta(days=1)},
    )
    questions = Question.objects.bulk_create(
        Question(survey=survey, position=n + 1, kind=KINDS[n % len(KINDS)], text_nl=f"Vraag {n + 1}")
        for n in range(args.questions)
    )
    options: dict[int, list[int]] = {}
    rows: dict[int, list[int]] = {}
    for question in questions:
        if question.kind in ("single", "multiple", "ranking", "matrix"):
            made = Choice.objects.bulk_create(
                Choice(question=question, position=i + 1, label_nl=f"Keuze {i + 1}") for i in range(5)
            )
            options[question.pk] = [c.pk for c in made]
        if question.kind == "matrix":
            made = Choice.objects.bulk_create(
                Choice(question=question, position=i + 1, is_row=True, label_nl=f"Rij {i + 1}") for i in range(4)
            )
            rows[question.pk] = [c.pk for c in made]
    responses = Response.objects.bulk_create(
        (
            Response(survey=survey, respondent_key=f"{n:064d}", submitted_at=now - timedelta(days=2), country="BE")
            for n in range(args.answers)
        ),
        batch_size=2000,
    )

    def value(question: Question) -> tuple[object, str]:
        kind = question.kind
        if kind == "single":
            return rng.choice(options[question.pk]), ""
        if kind == "multiple":
            return sorted(rng.sample(options[question.pk], rng.randint(1, 3))), ""
        if kind == "ranking":
            return rng.sample(options[question.pk], 3), ""
        if kind == "matrix":
            return {str(r): rng.choice(options[question.pk]) for r in rows[question.pk]}, ""
        if kind == "scale5":
            return rng.randint(1, 5), ""
        if kind == "scale10":
            return rng.randint(0, 10), ""
        if kind == "yes_no":
            return rng.choice(["yes", "no"]), ""
        if kind == "number":
            return rng.randint(0, 40), ""
        return None, rng.choice(["clients", "space", "tools", "time"]) + f" {rng.randint(1, 999)}"

    batch: list[Answer] = []
    for response in responses:
        for question in questions:
            answer_value, text = value(question)
            batch.append(Answer(response=response, question=question, value=answer_value, text=text))
        if len(batch) >= 20_000:
            Answer.objects.bulk_create(batch)
            batch = []
    Answer.objects.bulk_create(batch)
    services.publish_results(actor=None, survey=survey)
    print(
        f"built: {args.questions} questions, {args.answers:,} responses, "
        f"{Answer.objects.count():,} answers in {time.perf_counter() - started:.1f} s"
    )
    cross = next(q for q in questions if q.kind == "single")
    pages = [
        ("staff results", reverse("surveys_staff:results", kwargs={"pk": survey.pk}), {}),
        (
            "staff, cross-tab by office",
            reverse("surveys_staff:results", kwargs={"pk": survey.pk}),
            {"cross": cross.pk, "by": "office"},
        ),
        ("published results", reverse("surveys:results", kwargs={"pk": survey.pk}), {}),
    ]
    goals: list[tuple[str, float]] = []
    print(f"{'page':<38} {'wall s':>7} {'cpu s':>7} {'bytes':>9} {'queries':>7}")
    for name, url, params in pages:
        client.get(url, params)  # warm the templates and the connection
        for mode in ("counted", "cached"):
            walls, cpus = [], []
            for _run in range(args.runs):
                if mode == "counted":
                    cache.clear()
                wall, cpu = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, params)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                assert response.status_code == 200, response.status_code
            print(
                f"{name + ', ' + mode:<38} {statistics.median(walls):>7.3f} {statistics.median(cpus):>7.3f} "
                f"{len(response.content):>9,} {len(queries):>7}   (load {loadavg()})"
            )
            goals.append((f"{name}, {mode}", statistics.median(walls)))
    for fmt in ("csv", "xlsx"):
        # The team's downloads (anonymous survey: keyed order, describing columns grouped); no goal, for the record.
        url = reverse("surveys_staff:export", kwargs={"pk": survey.pk, "fmt": fmt})
        wall, cpu = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        print(
            f"{'download, ' + fmt:<38} {time.perf_counter() - wall:>7.3f} {time.process_time() - cpu:>7.3f} "
            f"{len(response.content):>9,} {len(queries):>7}   (load {loadavg()})"
        )
    if args.ballots:
        goals += vote_result_pages(client, args.ballots, args.runs, rng)
    print(f"load average at the end: {loadavg()}")
    for name, wall in goals:
        verdict = "met" if wall <= 0.5 else "NOT met"
        print(f"goal results page ≤ 0.5 s, {name}: {verdict} ({wall:.3f} s median wall, load {loadavg()})")
    return 0


def vote_result_pages(client: Any, ballots: int, runs: int, rng: random.Random) -> list[tuple[str, float]]:
    """A general assembly's ballot of ``ballots`` ranked ballots over 12 themes, counted and published: the members'
    ballot page with the result and the team's, first view (cache emptied) and later views.

    The result is counted once (``count_ballot``, timed here too) and stored with the ballot, so the page
    reads it, never the cast ballots: its time should not grow with the number of ballots.
    """
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from coopsip.votes import services as votes
    from coopsip.votes.models import Ballot, CastBallot, ProposalStatus, ThemeProposal

    now = timezone.now()
    proposals = [
        ThemeProposal.objects.create(
            title=f"Thema {n + 1}", challenge="Bench", country="BOTH", language="nl", status=ProposalStatus.SHORTLISTED
        )
        for n in range(12)
    ]
    ballot = votes.create_ballot(
        actor=None,
        title="Algemene vergadering (bench)",
        method="instant_runoff",
        seats=3,
        opens_at=now - timedelta(days=2),
        closes_at=now - timedelta(days=1),
        proposals=proposals,
    )
    ids = list(ballot.options.order_by("position").values_list("pk", flat=True))
    weights = [1.0 / (1 + i) ** 0.7 for i in range(len(ids))]
    CastBallot.objects.bulk_create(
        (
            CastBallot(
                ballot=ballot,
                voter_key=f"{n:064x}",
                choices=list(dict.fromkeys(rng.choices(ids, weights=weights, k=rng.randint(1, 12)))),
            )
            for n in range(ballots)
        ),
        batch_size=5000,
    )
    wall, cpu = time.perf_counter(), time.process_time()
    counted = votes.count_ballot(actor=None, ballot=Ballot.objects.get(pk=ballot.pk))
    print(
        f"ballot: {ballots:,} ranked ballots, 12 themes, 3 seats, counted in {time.perf_counter() - wall:.2f} s wall, "
        f"{time.process_time() - cpu:.2f} s CPU ({len(counted.result['rounds']) if counted.result else 0} rounds)"
    )
    votes.publish_result(actor=None, ballot=counted)
    pages = [
        ("vote result, members' page", reverse("votes:ballot", kwargs={"pk": ballot.pk})),
        ("vote result, team's page", reverse("votes_staff:ballot", kwargs={"pk": ballot.pk})),
    ]
    measured = []
    for name, url in pages:
        client.get(url)
        for mode in ("first view", "later views"):
            walls, cpus = [], []
            for _run in range(runs):
                if mode == "first view":
                    cache.clear()
                wall, cpu = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                assert response.status_code == 200, response.status_code
            print(
                f"{name + ', ' + mode:<38} {statistics.median(walls):>7.3f} {statistics.median(cpus):>7.3f} "
                f"{len(response.content):>9,} {len(queries):>7}   (load {loadavg()})"
            )
            measured.append((f"{name}, {mode}", statistics.median(walls)))
    return measured


if __name__ == "__main__":
    raise SystemExit(main())
