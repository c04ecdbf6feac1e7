"""People without a group: "keep me on the waiting list" when declining, joining or leaving the list later,
and one email with the engine's reason when no free seat fits them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.groups import services
from coopsip.groups.models import Seat, SeatSource, SeatState, WorkingGroup
from coopsip.groups.tests.factories import make_edition, make_registrant, opened_groups, seat_of
from coopsip.registrations.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Any:
    return make_edition()


@pytest.fixture
def groups(edition: Any, staff: User) -> list[WorkingGroup]:
    return opened_groups(edition, staff, [4, 4])


def _seat(email: str) -> Seat:
    return Seat.objects.select_related("registration__user").get(registration__user__email=email)


def _status(registration_id: int) -> str:
    return Registration.objects.get(pk=registration_id).status


def test_declining_but_staying_on_the_waiting_list_offers_a_free_seat_in_another_group(
    edition: Any, groups: list[WorkingGroup], on_commit: Any
) -> None:
    group_a, group_b = groups
    freed = _seat("o3@example.org")
    with on_commit():
        services.decline_seat(seat_id=freed.pk, user=freed.registration.user, reason="no_time")
    leaving = _seat("m3@example.org")
    mail.outbox.clear()
    client = client_for(leaving.registration.user)
    with on_commit():
        response = client.post(
            reverse("groups:decline", kwargs={"pk": leaving.pk}), {"reason": "slot", "keep_waiting": "on"}
        )
    assert response.status_code == 303
    offered = seat_of(leaving.registration)
    # Not their own group again: the free seat of the other group, offered like any freed seat.
    assert (offered.group_id, offered.state, offered.source) == (group_b.pk, SeatState.OFFERED, SeatSource.BACKFILL)
    assert _status(leaving.registration_id) == RegistrationStatus.PROPOSED
    assert group_a.seats.filter(state__in=("offered", "accepted")).count() == 3
    (offer,) = [m for m in mail.outbox if m.to == ["m3@example.org"]]
    assert "A seat has become free" in offer.body


def test_declining_without_staying_leaves_the_list(edition: Any, groups: list[WorkingGroup], on_commit: Any) -> None:
    leaving = _seat("m3@example.org")
    with on_commit():
        client_for(leaving.registration.user).post(
            reverse("groups:decline", kwargs={"pk": leaving.pk}), {"reason": "no_time"}
        )
    assert _status(leaving.registration_id) == RegistrationStatus.DECLINED
    page = client_for(leaving.registration.user).get(reverse("groups:proposal", kwargs={"slug": edition.slug}))
    assert "Put me on the waiting list" in page.content.decode()


def test_nobody_fitting_means_one_email_with_the_reason_and_what_to_do(
    edition: Any, groups: list[WorkingGroup], on_commit: Any
) -> None:
    leaving = _seat("m3@example.org")
    mail.outbox.clear()
    with on_commit():
        services.decline_seat(seat_id=leaving.pk, user=leaving.registration.user, reason="slot", keep_waiting=True)
    assert _status(leaving.registration_id) == RegistrationStatus.WAITING
    (told,) = [m for m in mail.outbox if m.to == ["m3@example.org"]]
    assert "No free seat in a working group for you yet" in told.subject
    assert "The groups you could join" in told.body and "are full" in told.body  # the reason "groups full"
    assert "this person" not in told.body
    assert "stay on the waiting list" in told.body and "choose another theme" in told.body
    assert f"/en/groups/proposal/{edition.slug}/" in told.body
    # The task running again sends nothing more.
    services.offer_waiting_seat(registration_id=leaving.registration_id)
    assert len([m for m in mail.outbox if m.to == ["m3@example.org"]]) == 1


def test_the_reason_names_the_rule_that_keeps_the_person_out_of_a_free_seat(
    edition: Any, groups: list[WorkingGroup], on_commit: Any
) -> None:
    freed = _seat("o3@example.org")
    with on_commit():
        services.decline_seat(seat_id=freed.pk, user=freed.registration.user, reason="no_time")
    friday = make_registrant(edition, "Friday", slots=[(4, "evening")])
    Registration.objects.filter(pk=friday.pk).update(status=RegistrationStatus.EXPIRED)
    mail.outbox.clear()
    with on_commit():
        response = client_for(friday.user).post(
            reverse("groups:waiting_list", kwargs={"slug": edition.slug}), {"stay": "yes"}
        )
    assert response.status_code == 303
    assert _status(friday.pk) == RegistrationStatus.WAITING and seat_of(friday) is None
    (told,) = [m for m in mail.outbox if m.to == ["friday@example.org"]]
    # Said to the person (you), not in the team's words about "this person".
    assert "meets on Tuesday morning, and you are not available then" in told.body
    assert "Friday" not in told.body.split("Why, as group formation finds it:")[1]


def test_leaving_and_joining_the_waiting_list_from_the_page(
    edition: Any, groups: list[WorkingGroup], on_commit: Any
) -> None:
    leaving = _seat("m3@example.org")
    with on_commit():
        services.decline_seat(seat_id=leaving.pk, user=leaving.registration.user, reason="slot", keep_waiting=True)
    client = client_for(leaving.registration.user)
    url = reverse("groups:waiting_list", kwargs={"slug": edition.slug})
    page = client.get(reverse("groups:proposal", kwargs={"slug": edition.slug})).content.decode()
    assert "Take me off the waiting list" in page
    assert client.post(url, {"stay": "no"}).status_code == 303
    assert _status(leaving.registration_id) == RegistrationStatus.DECLINED
    again = client.post(url, {"stay": "no"})
    assert again.status_code == 400 and "You are not on the waiting list." in again.content.decode()
    with on_commit():
        assert client.post(url, {"stay": "yes"}).status_code == 303
    assert _status(leaving.registration_id) == RegistrationStatus.WAITING


def test_the_waiting_list_is_refused_with_why_to_who_has_a_group_or_no_registration(
    edition: Any, groups: list[WorkingGroup], member: User
) -> None:
    url = reverse("groups:waiting_list", kwargs={"slug": edition.slug})
    holding = _seat("m2@example.org")
    response = client_for(holding.registration.user).post(url, {"stay": "no"})
    assert response.status_code == 400 and "You have a group" in response.content.decode()
    assert _status(holding.registration_id) == RegistrationStatus.PROPOSED
    response = client_for(member).post(url, {"stay": "yes"})
    assert response.status_code == 400 and "You have no registration for this edition." in response.content.decode()
    response = client_for(None).post(url, {"stay": "yes"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client_for(member).get(url).status_code == 405


def test_people_of_a_closed_group_are_offered_a_free_seat_that_fits_them(
    edition: Any, groups: list[WorkingGroup], staff: User, on_commit: Any
) -> None:
    group_a, group_b = groups
    freed = _seat("o3@example.org")
    with on_commit():
        services.decline_seat(seat_id=freed.pk, user=freed.registration.user, reason="no_time")
    mail.outbox.clear()
    with on_commit():
        services.close_group(by=staff, group=group_a, reason="Too few people could meet on Tuesday.")
    # Group B had one free seat: one person of group A is offered it, the others wait on the list.
    offered = Seat.objects.filter(group=group_b, state=SeatState.OFFERED, registration__user__email__startswith="m")
    assert offered.count() == 1
    statuses = sorted(Registration.objects.filter(group_seats__group=group_a).values_list("status", flat=True))
    assert statuses == ["proposed", "waiting", "waiting", "waiting"]
    # Each was told of the closure once; nobody got a second "no free seat" email on top.
    assert len([m for m in mail.outbox if "is closed" in m.subject]) == 4
    assert not [m for m in mail.outbox if "No free seat" in m.subject]
