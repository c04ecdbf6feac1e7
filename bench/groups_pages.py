"""Benchmark: the staff overview of an edition's working groups, and one group's pages, at two sizes.

Builds working groups straight in the database (``bench/groups_data.py``: a finished formation run of
``--sizes`` registrants in groups of 11, all accepted, each group active with two past meetings whose
attendance is recorded), on a fresh SQLite database in a temporary folder (or the PostgreSQL of
DATABASE_URL: a throw-away one). One group of each size is then made "small" (its 11 members, 2 meetings,
a thread of 10 messages) or "large" (12 members, 10 meetings, a thread of 200 messages). Each page is asked
for through Django's test client in this process, as a logged-in staff member (the overview) or the group's
moderator (the group's pages): the server time of a request, without the network.

    .venv/bin/python bench/groups_pages.py [--sizes 500,5000] [--runs 7]

Prints the command, the machine (cores, load average), and per page the median wall and CPU seconds, bytes
and queries. Goal: the overview at most 300 ms of server time at 400 groups; queries that do not grow.
"""

from __future__ import annotations

import argparse
import os
import platform
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
        return "unknown"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="500,5000")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]

    os.environ.setdefault("DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coopsip.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    root = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(root / "src"), str(root)]
    import django

    django.setup()
    import logging

    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from bench.groups_data import build_working_groups
    from coopsip.accounts.models import User
    from coopsip.core.access import STAFF_GROUP
    from coopsip.events.models import CircleMember, Event, SignUp, SignUpStatus
    from coopsip.groups.models import Seat, SeatSource, SeatState
    from coopsip.groupspace.models import Post, Thread
    from coopsip.registrations.models import Registration, RegistrationStatus

    logging.getLogger("django_tasks").setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    staff, created = User.objects.get_or_create(
        email="bench-staff@example.org", defaults={"first_name": "Bench", "last_name": "Staff"}
    )
    staff.groups.add(Group.objects.get(name=STAFF_GROUP))
    if created:
        TOTP.activate(staff, generate_totp_secret())  # staff pages need a second factor set up

    def grow(group: Any, *, members: int, meetings: int, posts: int) -> Any:
        """Bring ``group`` to this many members (people without a group join), meetings and messages."""
        now = timezone.now()
        seats = list(group.seats.filter(state=SeatState.ACCEPTED).select_related("registration__user"))
        newcomers = Registration.objects.filter(edition=group.edition, status=RegistrationStatus.SUBMITTED)
        for registration in newcomers.select_related("user")[: max(0, members - len(seats))]:
            seats.append(
                Seat.objects.create(
                    group=group,
                    registration=registration,
                    state=SeatState.ACCEPTED,
                    source=SeatSource.BACKFILL,
                    offered_at=now,
                    deadline=now,
                    remind_at=now,
                    answered_at=now,
                )
            )
            registration.status = RegistrationStatus.ACCEPTED
            registration.save(update_fields=["status"])
            CircleMember.objects.create(circle=group.circle, user=registration.user)
        held = Event.objects.filter(circle=group.circle).count()
        for week in range(held, meetings):
            start = now - timedelta(days=7 * (week + 1)) if week % 2 else now + timedelta(days=7 * (week + 1))
            event = Event.objects.create(
                title=f"Meeting {week + 1}",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                attendance="online",
                video_url="https://video.example.org/bench",
                audience="circle",
                circle=group.circle,
                kind="group_meeting",
            )
            SignUp.objects.bulk_create(
                SignUp(
                    event=event,
                    user=seat.registration.user,
                    name=seat.registration.user.get_full_name(),
                    email=seat.registration.user.email,
                    status=SignUpStatus.ATTENDED if start < now else SignUpStatus.CONFIRMED,
                    queued_at=start,
                )
                for seat in seats
            )
        author = seats[0].registration.user
        thread = Thread.objects.create(
            circle=group.circle, title="Our first ideas", started_by=author, last_post_at=now, post_count=posts
        )
        Post.objects.bulk_create(
            Post(
                thread=thread,
                author=seats[number % len(seats)].registration.user,
                body=f"Message {number + 1}: **an idea** about the theme, with [a link](https://example.org/{number}).",
            )
            for number in range(posts)
        )
        return thread

    print("command:", " ".join([Path(sys.executable).name, *sys.argv]))
    print(
        f"machine: {platform.node()}, {platform.machine()}, nproc {os.cpu_count()}, load {loadavg()}, "
        f"Python {platform.python_version()}, {connection.vendor}"
    )
    print(f"{'people':>6} {'groups':>6} {'page':<34} {'wall s':>7} {'cpu s':>7} {'bytes':>9} {'queries':>7}")
    for size in sizes:
        started = time.perf_counter()
        run, groups = build_working_groups(size, slug=f"bench-pages-{size}-{int(time.time())}", active=True, meetings=2)
        large = size >= max(sizes)
        group = groups[0]
        group.refresh_from_db()
        thread = grow(group, members=12 if large else 11, meetings=10 if large else 2, posts=200 if large else 10)
        built = time.perf_counter() - started
        moderator = group.seats.get(role="moderator").registration.user
        staff_client, member_client = Client(), Client()
        staff_client.force_login(staff)
        member_client.force_login(moderator)
        shape = "12 members, 10 meetings, 200 posts" if large else "11 members, 2 meetings, 10 posts"
        thread_url = reverse("groupspace:thread", kwargs={"circle_pk": group.circle_id, "pk": thread.pk})
        pages: list[tuple[str, Client, str, dict[str, Any]]] = [
            (
                f"overview ({len(groups)} groups, page 1)",
                staff_client,
                reverse("groups_staff:overview", kwargs={"slug": run.edition.slug}),
                {},
            ),
            (
                "overview, stalled filter",
                staff_client,
                reverse("groups_staff:overview", kwargs={"slug": run.edition.slug}),
                {"status": "stalled"},
            ),
            ("group page", member_client, reverse("groups:detail", kwargs={"pk": group.pk}), {}),
            (
                "discussion threads",
                member_client,
                reverse("groupspace:threads", kwargs={"circle_pk": group.circle_id}),
                {},
            ),
            ("thread, first page", member_client, thread_url, {}),
            ("thread, last page", member_client, thread_url, {"page": "4" if large else "1"}),
        ]
        for name, client, url, params in pages:
            client.get(url, params)  # warm: templates compiled, caches filled
            walls, cpus = [], []
            for _run in range(args.runs):
                wall, cpu = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url, params)
                walls.append(time.perf_counter() - wall)
                cpus.append(time.process_time() - cpu)
                assert response.status_code == 200, (name, response.status_code)
            print(
                f"{size:>6} {len(groups):>6} {name:<34} {statistics.median(walls):7.3f} "
                f"{statistics.median(cpus):7.3f} {len(response.content):>9,} {len(queries):>7}"
            )
        print(f"{size:>6} (data built in {built:.1f} s; the group: {shape})")
    print(f"load after: {loadavg()}")


if __name__ == "__main__":
    main()
