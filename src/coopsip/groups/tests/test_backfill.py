"""A freed seat goes to the best-fitting person without a group, one person per seat; nobody else changes group."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from coopsip.accounts.models import User
from coopsip.groups import services
from coopsip.groups.models import GroupStatus, Seat, SeatSource, SeatState
from coopsip.groups.tests.factories import (
    accept_all,
    make_edition,
    make_registrant,
    opened_group,
    opened_groups,
    seat_of,
)
from coopsip.registrations.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Any:
    return make_edition()


def _decline(seat: Seat, on_commit: Any, reason: str = "no_time") -> None:
    with on_commit():  # the backfill task runs on commit (immediate backend)
        services.decline_seat(seat_id=seat.pk, user=seat.registration.user, reason=reason)


def test_a_declined_seat_is_offered_to_the_one_person_without_a_group_who_fits(
    edition: Any, staff: User, on_commit: Any
) -> None:
    group, other = opened_groups(edition, staff, [4, 4])
    before = set(other.seats.values_list("registration_id", "state", "role"))
    fits = make_registrant(edition, "Fits")
    wrong_slot = make_registrant(edition, "Friday", slots=[(4, "evening")])
    dutch_only = make_registrant(edition, "Dutch", languages=["nl"])
    leaving = group.seats.filter(role="participant").select_related("registration__user").first()
    assert leaving is not None
    mail.outbox.clear()
    _decline(leaving, on_commit)
    offered = seat_of(fits)
    assert offered is not None and offered.group_id == group.pk
    assert (offered.state, offered.source, offered.role) == (SeatState.OFFERED, SeatSource.BACKFILL, "participant")
    assert Registration.objects.get(pk=fits.pk).status == RegistrationStatus.PROPOSED
    assert seat_of(wrong_slot) is None and seat_of(dutch_only) is None
    assert group.seats.filter(state__in=("offered", "accepted")).count() == 4
    # Nobody else changed group.
    assert set(other.seats.values_list("registration_id", "state", "role")) == before
    (offer,) = [m for m in mail.outbox if m.to == ["fits@example.org"]]
    assert "A seat has become free" in offer.body


def test_nobody_fitting_means_no_offer_and_a_participant_seat_stays_free(
    edition: Any, staff: User, on_commit: Any
) -> None:
    group = opened_group(edition, staff, 4)
    make_registrant(edition, "Friday", slots=[(4, "evening")])
    leaving = group.seats.filter(role="participant").select_related("registration__user").first()
    assert leaving is not None
    _decline(leaving, on_commit)
    assert group.seats.filter(state="offered").count() == 3
    group.refresh_from_db()
    assert group.attention == ""


def test_a_member_who_volunteered_takes_over_the_moderator_role(edition: Any, staff: User, on_commit: Any) -> None:
    people = [make_registrant(edition, f"V{n}", moderator=n in (0, 2), secretary=n == 1) for n in range(4)]
    from coopsip.groups.tests.factories import make_published_run, roles

    run = make_published_run(edition, [list(zip(people, roles(4), strict=True))])
    services.open_answers(by=staff, run=run)
    newcomer = make_registrant(edition, "Newcomer")
    moderator = seat_of(people[0])
    mail.outbox.clear()
    _decline(moderator, on_commit)
    assert seat_of(people[2]).role == "moderator"  # type: ignore[union-attr]
    assert seat_of(newcomer).role == "participant"  # type: ignore[union-attr]
    (told,) = [m for m in mail.outbox if m.to == ["v2@example.org"]]
    assert "moderator" in told.body


def test_a_volunteer_without_a_group_is_offered_the_secretarys_seat(edition: Any, staff: User, on_commit: Any) -> None:
    group = opened_group(edition, staff, 4)
    plain = make_registrant(edition, "Plain")
    volunteer = make_registrant(edition, "Writer", secretary=True)
    secretary = group.seats.get(role="secretary")
    _decline(secretary, on_commit)
    assert seat_of(volunteer).role == "secretary"  # type: ignore[union-attr]
    assert seat_of(plain) is None


def test_without_a_replacement_for_the_moderator_the_team_is_told_and_the_group_flagged(
    edition: Any, staff: User, on_commit: Any
) -> None:
    group = opened_group(edition, staff, 4)
    make_registrant(edition, "Plain")  # fits, but did not volunteer as moderator
    mail.outbox.clear()
    _decline(group.seats.get(role="moderator"), on_commit)
    group.refresh_from_db()
    assert group.attention.startswith("No moderator")
    (team,) = [m for m in mail.outbox if m.to == ["sip@example.org"]]
    assert group.key in team.subject
    # Running the backfill again tells the team nothing new.
    mail.outbox.clear()
    with on_commit():
        services.backfill(group_id=group.pk)
    assert mail.outbox == []


def test_backfill_twice_offers_the_seat_once(edition: Any, staff: User, on_commit: Any) -> None:
    group = opened_group(edition, staff, 4)
    make_registrant(edition, "Fits")
    make_registrant(edition, "Also")
    leaving = group.seats.filter(role="participant").first()
    assert leaving is not None
    _decline(leaving, on_commit)
    result = services.backfill(group_id=group.pk)
    assert result.offered == []
    assert group.seats.filter(state__in=("offered", "accepted")).count() == 4


def test_someone_accepting_a_freed_seat_in_an_active_group_joins_its_circle(
    edition: Any, staff: User, on_commit: Any
) -> None:
    group = opened_group(edition, staff, 5)
    fits = make_registrant(edition, "Fits")
    leaving = group.seats.filter(role="participant").first()
    assert leaving is not None
    _decline(leaving, on_commit)
    accept_all(group)
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE
    assert group.circle is not None
    assert group.circle.memberships.filter(user__email="fits@example.org").exists()
    assert Registration.objects.get(pk=fits.pk).status == RegistrationStatus.ACCEPTED
