"""The team's overview of an edition's groups, its CSV, and the team's actions (open answers, close, merge, move)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events.models import Circle, Event, SignUp, SignUpStatus
from coopsip.groups import services
from coopsip.groups.models import GroupStatus, OfficeAdvisor, Seat, SeatState, WorkingGroup
from coopsip.groups.tests.factories import (
    accept_all,
    make_edition,
    make_published_run,
    make_registrant,
    opened_groups,
    roles,
)
from coopsip.places.models import Office

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Any:
    return make_edition()


def overview_url(edition: Any, **query: str) -> str:
    url = reverse("groups_staff:overview", kwargs={"slug": edition.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def bare_groups(edition: Any, count: int, *, meetings: int = 2) -> list[WorkingGroup]:
    """Active groups without people, each with its circle and past meetings (for counting queries)."""
    theme = edition.themes.get(slug="zorg")
    now = timezone.now()
    made = []
    for number in range(count):
        circle = Circle.objects.create(name=f"Bare {number}")
        made.append(
            WorkingGroup.objects.create(
                edition=edition,
                key=f"B{number:04d}",
                theme=theme,
                mode="video",
                language="en",
                slot="tue_am",
                min_size=3,
                max_size=5,
                proposed_size=4,
                status=GroupStatus.ACTIVE,
                circle=circle,
                activated_at=now - timedelta(days=60),
            )
        )
        for week in range(meetings):
            start = now - timedelta(days=7 * (week + 1))
            Event.objects.create(
                title=f"Meeting {week}",
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                attendance="online",
                video_url="https://video.example.org/x",
                audience="circle",
                circle=circle,
                kind="group_meeting",
            )
    return made


def test_the_overview_is_for_staff_and_read_only_for_the_board(edition: Any, personas: dict[str, Any]) -> None:
    bare_groups(edition, 2)
    url = overview_url(edition)
    for role in ("outsider", "nonmember", "member"):
        assert client_for(personas[role]).get(url).status_code == 403, role
    assert client_for(None).get(url).status_code == 302
    staff_page = client_for(personas["staff"]).get(url).content.decode()
    board_page = client_for(personas["board"]).get(url).content.decode()
    assert "B0000" in staff_page and "B0000" in board_page
    assert "Tuesday morning" in staff_page and "tue_am" not in staff_page  # the slot's label, not its code
    assert ">Close<" in staff_page
    assert ">Close<" not in board_page and "You can read this overview" in board_page
    assert client_for(personas["staff"]).get(overview_url(edition).replace(edition.slug, "nope")).status_code == 404


def test_an_advisor_sees_the_groups_of_their_office_only(edition: Any, member: User) -> None:
    first, second = bare_groups(edition, 2)
    gent = Office.objects.get(slug="gent")
    WorkingGroup.objects.filter(pk=first.pk).update(office=gent, mode="in_person")
    OfficeAdvisor.objects.create(office=gent, user=member)
    page = client_for(member).get(overview_url(edition)).content.decode()
    assert first.key in page and second.key not in page
    assert ">Close<" not in page


OVERVIEW_QUERIES = 14


@pytest.mark.parametrize("count", [5, 60])
def test_the_overview_runs_a_fixed_number_of_queries(edition: Any, staff: User, count: int) -> None:
    bare_groups(edition, count)
    client = client_for(staff)
    client.get(overview_url(edition))  # warm the session and the permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(overview_url(edition))
    assert response.status_code == 200
    # Session, user, roles, edition, themes, offices, the count and the page, the last meetings and absences,
    # the attendance trend, the published run: the same at 5 and at 60 groups.
    assert len(queries) <= OVERVIEW_QUERIES, [q["sql"][:120] for q in queries]
    assert response.content.decode().count(">2 / 0<") == min(count, 50)  # meetings held / planned, one page
    assert ("Page 1 of 2" in response.content.decode()) == (count > 50)


def test_the_overview_shows_a_stalled_group_and_filters_by_status(edition: Any, staff: User) -> None:
    stalled, lively = bare_groups(edition, 2, meetings=0)
    start = timezone.now() - timedelta(days=3)
    Event.objects.create(
        title="Recent",
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        attendance="online",
        video_url="https://video.example.org/x",
        audience="circle",
        circle=lively.circle,
    )
    page = client_for(staff).get(overview_url(edition, status="stalled")).content.decode()
    assert stalled.key in page and lively.key not in page
    assert "stalled: no meeting for 30 days" in page
    page = client_for(staff).get(overview_url(edition, status="closed")).content.decode()
    assert "No group matches." in page
    page = client_for(staff).get(overview_url(edition, office="video", status="active")).content.decode()
    assert stalled.key in page and lively.key in page


def test_the_overview_counts_answers_and_names_who_missed_two_meetings_in_a_row(edition: Any, staff: User) -> None:
    group, _other = opened_groups(edition, staff, [4, 4])
    accept_all(group)
    group.refresh_from_db()
    assert group.circle is not None
    now = timezone.now()
    for week in (2, 1):
        start = now - timedelta(days=7 * week)
        event = Event.objects.create(
            title=f"Week {week}",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            attendance="online",
            video_url="https://video.example.org/x",
            audience="circle",
            circle=group.circle,
        )
        for member in group.circle.memberships.select_related("user"):
            absent = member.user.email == "m3@example.org"
            SignUp.objects.create(
                event=event,
                user=member.user,
                name=member.user.get_full_name(),
                email=member.user.email,
                status=SignUpStatus.ABSENT if absent else SignUpStatus.ATTENDED,
                queued_at=start,
            )
    page = client_for(staff).get(overview_url(edition)).content.decode()
    assert "M3 Test" in page
    assert "M2 Test" not in page
    assert ">2 / 0<" in page  # meetings held / planned


def test_the_overview_shows_the_attendance_trend_of_the_last_recorded_meetings(edition: Any, staff: User) -> None:
    group, _other = opened_groups(edition, staff, [4, 4])
    accept_all(group)
    group.refresh_from_db()
    assert group.circle is not None
    members = list(group.circle.memberships.select_related("user").order_by("user__email"))
    now = timezone.now()
    # Six recorded meetings (only the last five count), then one whose attendance nobody recorded yet.
    absent_per_week = {7: 0, 6: 2, 5: 2, 4: 1, 3: 1, 2: 0, 1: None}
    for week, absent in absent_per_week.items():
        start = now - timedelta(days=7 * week)
        event = Event.objects.create(
            title=f"Week {week}",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            attendance="online",
            video_url="https://video.example.org/x",
            audience="circle",
            circle=group.circle,
        )
        for number, member in enumerate(members):
            status = (
                SignUpStatus.CONFIRMED
                if absent is None
                else SignUpStatus.ABSENT
                if number < absent
                else SignUpStatus.ATTENDED
            )
            SignUp.objects.create(
                event=event,
                user=member.user,
                name=member.user.get_full_name(),
                email=member.user.email,
                status=status,
                queued_at=start,
            )
    page = client_for(staff).get(overview_url(edition)).content.decode()
    assert "Attendance, last meetings" in page
    assert '50% · 50% · 75% · 75% · 100% <span class="trend trend-rising">(rising)</span>' in page
    export = client_for(staff).get(reverse("groups_staff:export", kwargs={"slug": edition.slug}))
    body = b"".join(export.streaming_content).decode()  # type: ignore[attr-defined]
    header, first = body.lstrip("\ufeff").splitlines()[:2]
    assert "attendance_last_meetings" in header.split(";")
    assert "50% 50% 75% 75% 100%" in first.split(";")


def test_the_csv_export_streams_the_filtered_groups(edition: Any, staff: User, board: User, member: User) -> None:
    bare_groups(edition, 3)
    url = reverse("groups_staff:export", kwargs={"slug": edition.slug})
    response = client_for(staff).get(url)
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    lines = body.strip().splitlines()
    assert lines[0].lstrip("\ufeff").startswith("code;theme;office")
    assert len(lines) == 4 and "B0002;Care" in body
    assert client_for(board).get(url).status_code == 200
    assert client_for(member).get(url).status_code == 403
    filtered = b"".join(client_for(staff).get(url + "?status=closed").streaming_content).decode()  # type: ignore[attr-defined]
    assert len(filtered.strip().splitlines()) == 1


def test_staff_ask_for_answers_once_the_proposal_is_published(
    edition: Any, staff: User, board: User, on_commit: Any
) -> None:
    people = [make_registrant(edition, f"P{n}", moderator=n == 0, secretary=n == 1) for n in range(4)]
    make_published_run(edition, [list(zip(people, roles(4), strict=True))])
    url = reverse("groups_staff:open_answers", kwargs={"slug": edition.slug})
    assert "Ask for answers" in client_for(staff).get(overview_url(edition)).content.decode()
    assert client_for(board).post(url).status_code == 403
    assert client_for(staff).get(url).status_code == 405
    mail.outbox.clear()
    with on_commit():
        response = client_for(staff).post(url)
    assert response.status_code == 303
    assert WorkingGroup.objects.filter(edition=edition).count() == 1
    assert len([m for m in mail.outbox if "please answer by" in m.subject]) == 4
    assert "Ask for answers" not in client_for(staff).get(overview_url(edition)).content.decode()


def test_closing_a_group_asks_for_a_reason_and_tells_its_members(
    edition: Any, staff: User, board: User, on_commit: Any
) -> None:
    group, _other = opened_groups(edition, staff, [4, 4])
    url = reverse("groups_staff:close", kwargs={"pk": group.pk})
    assert client_for(board).get(url).status_code == 403
    assert client_for(board).post(url, {"reason": "x"}).status_code == 403
    page = client_for(staff).get(url).content.decode()
    assert "M0 Test" in page and "4 people hold a seat" in page
    assert client_for(staff).post(url, {"reason": ""}).status_code == 400
    group.refresh_from_db()
    assert group.status == GroupStatus.WAITING
    mail.outbox.clear()
    with on_commit():
        response = client_for(staff).post(url, {"reason": "Too few people could meet on Tuesday."})
    assert response.status_code == 303
    group.refresh_from_db()
    assert group.status == GroupStatus.CLOSED
    told = [m for m in mail.outbox if "is closed" in m.subject]
    assert len(told) == 4 and "Too few people could meet on Tuesday." in told[0].body
    assert "join a group that meets by video" in told[0].body
    assert set(group.seats.values_list("state", flat=True)) == {SeatState.LEFT}


def test_merging_two_small_groups_of_a_theme_moves_everyone_and_tells_them(
    edition: Any, staff: User, on_commit: Any
) -> None:
    edition.group_size_max = 8
    edition.save()
    small, other = opened_groups(edition, staff, [3, 3])
    accept_all(other)
    url = reverse("groups_staff:merge", kwargs={"pk": small.pk})
    assert "M0 Test" in client_for(staff).get(url).content.decode()
    mail.outbox.clear()
    with on_commit():
        response = client_for(staff).post(url, {"target": other.pk})
    assert response.status_code == 303
    small.refresh_from_db()
    assert small.status == GroupStatus.CLOSED
    held = Seat.objects.filter(group=other, state__in=("offered", "accepted"))
    assert held.count() == 6
    # The other group keeps its moderator and secretary; those who came become participants.
    assert sorted(held.exclude(role="participant").values_list("registration__user__email", flat=True)) == [
        "o0@example.org",
        "o1@example.org",
    ]
    assert len([m for m in mail.outbox if "come together" in m.subject]) == 6


def test_merging_above_the_maximum_is_refused_with_the_count(edition: Any, staff: User) -> None:
    first, second = opened_groups(edition, staff, [4, 4])
    response = client_for(staff).post(reverse("groups_staff:merge", kwargs={"pk": first.pk}), {"target": second.pk})
    assert response.status_code == 400
    assert "Together they would have 8 people; a group has at most 5." in response.content.decode()


def test_staff_move_a_person_between_active_groups(edition: Any, staff: User, board: User, on_commit: Any) -> None:
    first, second = opened_groups(edition, staff, [5, 4])
    accept_all(first)
    accept_all(second)
    seat = Seat.objects.get(registration__user__email="m4@example.org")
    url = reverse("groups_staff:move", kwargs={"pk": seat.pk})
    assert client_for(board).post(url, {"to_group": second.pk}).status_code == 403
    assert "M4 Test" in client_for(staff).get(url).content.decode()
    mail.outbox.clear()
    with on_commit():
        response = client_for(staff).post(url, {"to_group": second.pk})
    assert response.status_code == 303
    held = Seat.objects.filter(registration_id=seat.registration_id, state__in=("offered", "accepted"))
    assert list(held.values_list("group_id", flat=True)) == [second.pk]
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.circle.memberships.filter(user__email="m4@example.org").exists()  # type: ignore[union-attr]
    assert not first.circle.memberships.filter(user__email="m4@example.org").exists()  # type: ignore[union-attr]
    assert [m.to for m in mail.outbox if "new working group" in m.subject] == [["m4@example.org"]]


def test_a_closed_groups_page_shows_who_was_in_it(edition: Any, staff: User) -> None:
    group, _other = opened_groups(edition, staff, [4, 4])
    for seat in group.seats.exclude(registration__user__email="m3@example.org").select_related("registration__user"):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part.")
    services.close_group(by=staff, group=group, reason="Too few people could meet on Tuesday.")
    page = client_for(staff).get(reverse("groups:detail", kwargs={"pk": group.pk})).content.decode()
    assert "Nobody has accepted yet." not in page
    assert "This group was closed. 3 people were in it:" in page
    assert "M0 Test" in page and "M2 Test" in page and "M3 Test" not in page  # M3 never answered
