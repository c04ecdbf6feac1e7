"""Working groups at the size of a real edition, written straight to the database (bulk, no emails): for the
benchmarks ``groups_backfill.py`` and ``groups_pages.py``. Call after ``django.setup()``."""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def build_working_groups(size: int, *, slug: str, active: bool = False, meetings: int = 0) -> tuple[Any, list[Any]]:
    """A finished formation run of ``size`` registrants (``formation/tests/review_data.py``: groups of 11,
    96 % placed, the rest without a group) turned into working groups whose people all accepted.

    ``active``: each group gets its circle with its members (roles carried over), and ``meetings`` past
    meetings a week apart where everyone is seated, one person absent at each. Returns (run, groups)."""
    from django.utils import timezone

    from coopsip.events.models import Circle, CircleMember, Event, SignUp, SignUpStatus
    from coopsip.formation.models import ProposedMember
    from coopsip.formation.tests.review_data import build_review_run
    from coopsip.groups import services
    from coopsip.groups.models import GroupStatus, Seat, SeatSource, SeatState, WorkingGroup
    from coopsip.registrations.models import Registration, RegistrationStatus

    run = build_review_run(size, slug=slug)
    edition = run.edition
    now = timezone.now()
    deadline, remind = services.answer_deadline(now, 7)
    proposed = list(run.groups.select_related("theme", "office").order_by("key"))
    # One query for every member (a prefetch of thousands of ids is too deep an expression for SQLite).
    members_of: dict[int, list[Any]] = {}
    for member in ProposedMember.objects.filter(run=run).select_related("registration__user").order_by("pk"):
        members_of.setdefault(member.group_id, []).append(member)
    circles = (
        Circle.objects.bulk_create(Circle(name=f"{group.key} {group.theme.title}") for group in proposed)
        if active
        else [None] * len(proposed)
    )
    groups = WorkingGroup.objects.bulk_create(
        WorkingGroup(
            edition=edition,
            proposed_group=group,
            key=group.key,
            theme=group.theme,
            mode=group.mode,
            office=group.office,
            language=group.language,
            slot=group.slot,
            min_size=edition.group_size_min,
            max_size=edition.group_size_max,
            proposed_size=len(members_of.get(group.pk, [])),
            status=GroupStatus.ACTIVE if active else GroupStatus.WAITING,
            circle=circle,
            activated_at=now - timedelta(days=60) if active else None,
        )
        for group, circle in zip(proposed, circles, strict=True)
    )
    Seat.objects.bulk_create(
        Seat(
            group=working,
            registration_id=member.registration_id,
            role=member.role,
            state=SeatState.ACCEPTED,
            source=SeatSource.PROPOSAL,
            offered_at=now,
            deadline=deadline,
            remind_at=remind,
            answered_at=now,
            commitment_text="I take part.",
        )
        for working, group in zip(groups, proposed, strict=True)
        for member in members_of.get(group.pk, [])
    )
    Registration.objects.filter(pk__in=run.members.values("registration_id")).update(status=RegistrationStatus.ACCEPTED)
    if active:
        roles = {"moderator": "moderator", "secretary": "secretary"}
        CircleMember.objects.bulk_create(
            CircleMember(circle=circle, user=member.registration.user, role=roles.get(member.role, "member"))
            for circle, group in zip(circles, proposed, strict=True)
            for member in members_of.get(group.pk, [])
        )
        events = Event.objects.bulk_create(
            Event(
                title=f"Meeting {week + 1}",
                starts_at=now - timedelta(days=7 * (meetings - week)),
                ends_at=now - timedelta(days=7 * (meetings - week), hours=-3),
                attendance="online",
                video_url="https://video.example.org/bench",
                audience="circle",
                circle=circle,
                kind="group_meeting",
            )
            for circle in circles
            for week in range(meetings)
        )
        by_circle: dict[int, list[Any]] = {}
        for event in events:
            by_circle.setdefault(event.circle_id, []).append(event)
        SignUp.objects.bulk_create(
            SignUp(
                event=event,
                user=member.registration.user,
                name=member.registration.user.get_full_name(),
                email=member.registration.user.email,
                status=SignUpStatus.ABSENT if number == week % 11 else SignUpStatus.ATTENDED,
                queued_at=event.starts_at,
            )
            for circle, group in zip(circles, proposed, strict=True)
            for week, event in enumerate(by_circle.get(circle.pk, []))
            for number, member in enumerate(members_of.get(group.pk, []))
        )
    return run, groups


def build_decided_editions(editions: int, registrants: int) -> None:
    """``editions`` published editions of working groups (``registrants`` people and one more per edition),
    40 decided recommendations each with a published board decision, a public project for one in three;
    prints what the database then holds. Used by bench/stats.py and bench/api.py."""
    import time

    from django.utils import timezone

    from coopsip.editions.models import Edition
    from coopsip.recommendations.models import (
        BoardDecision,
        DecisionKind,
        FollowUpProject,
        Recommendation,
        RecommendationStatus,
    )

    started = time.perf_counter()
    now = timezone.now()
    for number in range(editions):
        _run, groups = build_working_groups(registrants + number, slug=f"bench-{number:02d}", active=True, meetings=3)
        edition = groups[0].edition
        Edition.objects.filter(pk=edition.pk).update(published_at=now)
        recommendations = Recommendation.objects.bulk_create(
            Recommendation(
                edition=edition,
                theme=group.theme,
                group=group,
                title=f"Recommendation {group.key}",
                language="nl",
                proposal="A proposal.",
                status=RecommendationStatus.DECIDED,
                submitted_at=now,
            )
            for group in groups[:40]
        )
        decisions = BoardDecision.objects.bulk_create(
            BoardDecision(
                recommendation=recommendation,
                decision=DecisionKind.values[index % len(DecisionKind.values)],
                answer="The board's answer.",
                meeting_date=now.date(),
                decided_at=now,
                published_at=now,
            )
            for index, recommendation in enumerate(recommendations)
        )
        FollowUpProject.objects.bulk_create(
            FollowUpProject(decision=decision, title="A project", public=True) for decision in decisions[::3]
        )
    print_decided_editions(time.perf_counter() - started)


def print_decided_editions(seconds: float | None = None) -> None:
    """What ``build_decided_editions`` left in the database (and how long building took, when it just did)."""
    from coopsip.editions.models import Edition
    from coopsip.recommendations.models import Recommendation
    from coopsip.registrations.models import Registration

    built = f" (built in {seconds:.0f} s)" if seconds is not None else " (already there)"
    print(
        f"data: {Edition.objects.filter(slug__startswith='bench-').count()} editions, "
        f"{Registration.objects.count()} registrations, "
        f"{Registration.objects.values('user_id').distinct().count()} people, "
        f"{Recommendation.objects.count()} recommendations{built}"
    )
