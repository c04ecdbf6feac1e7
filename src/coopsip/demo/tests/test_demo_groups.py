"""The demo edition's working groups in every state: active with meetings, stalled, waiting, declined, backfilled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.demo.groups import active_circles
from coopsip.events.models import Event
from coopsip.groups.models import GroupStatus, Seat, SeatSource, SeatState, WorkingGroup
from coopsip.groups.selectors import overview
from coopsip.registrations.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


def test_most_people_accepted_a_few_declined_and_their_seats_were_offered_again(demo: dict[str, int]) -> None:
    seats = Seat.objects.filter(group__edition__slug="2026-2027")
    assert seats.filter(state=SeatState.ACCEPTED).count() > seats.count() / 2
    declined = seats.filter(state=SeatState.DECLINED)
    assert 1 <= declined.count() <= 3
    assert all(seat.decline_reason for seat in declined)
    assert seats.filter(source=SeatSource.BACKFILL).exists()
    assert WorkingGroup.objects.filter(edition__slug="2026-2027", status=GroupStatus.WAITING).exists()


def test_someone_who_declined_stayed_on_the_waiting_list_and_an_invitation_waits(demo: dict[str, int]) -> None:
    from coopsip.core.models import ChangeRecord

    kept = [
        record.changes["registration"]
        for record in ChangeRecord.objects.filter(action="seat_declined")
        if record.changes.get("keep_waiting")
    ]
    assert len(kept) == 1
    registration = Registration.objects.get(pk=kept[0])
    # Either a seat in another group was offered to her, or she waits, told why there is none.
    assert registration.status in (RegistrationStatus.WAITING, RegistrationStatus.PROPOSED)
    invited = Seat.objects.filter(source=SeatSource.INVITATION, state=SeatState.OFFERED)
    assert invited.filter(group__status=GroupStatus.ACTIVE).exists()


def test_three_active_groups_met_twice_with_minutes_and_one_is_stalled(demo: dict[str, int]) -> None:
    circles = active_circles()
    assert len(circles) == 4
    now = timezone.now()
    met = [c for c in circles if Event.objects.filter(circle=c, starts_at__lt=now).exclude(minutes="").count() == 2]
    assert len(met) == 3
    edition = WorkingGroup.objects.filter(edition__slug="2026-2027").first().edition  # type: ignore[union-attr]
    stalled = overview(edition=edition, now=now + timedelta(days=0), status="stalled")
    assert stalled.count() == 1
    assert stalled.get().circle not in met


def test_the_demo_member_is_in_an_active_group_and_sees_it(demo: dict[str, int]) -> None:
    lotte = User.objects.get(email="vennoot@demo.coopsip.org")
    seat = Seat.objects.get(registration__user=lotte, state=SeatState.ACCEPTED)
    assert seat.group.status == GroupStatus.ACTIVE
    assert seat.source == SeatSource.INVITATION
    response = client_for(lotte).get(reverse("groups:detail", kwargs={"pk": seat.group_id}))
    assert response.status_code == 200
    assert "Lotte Peeters" in response.content.decode()
    home = client_for(lotte).get(reverse("home:me")).content.decode()
    assert "My working group" in home and "Next meeting of my group" in home


def test_every_offered_seat_of_the_demo_can_still_be_answered(demo: dict[str, int]) -> None:
    offered = Seat.objects.filter(group__edition__slug="2026-2027", state=SeatState.OFFERED)
    assert offered.exists()
    now = timezone.now()
    assert [seat.pk for seat in offered if seat.deadline <= now] == []
    # A secretary of a waiting group sees the answer form on their proposal page.
    seat = offered.filter(role="secretary", group__status=GroupStatus.WAITING).select_related("registration__user")
    person = seat.first().registration.user  # type: ignore[union-attr]
    html = client_for(person).get(reverse("groups:proposal", kwargs={"slug": "2026-2027"})).content.decode()
    assert "Please answer by" in html and "Accept this group" in html
