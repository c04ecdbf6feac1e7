"""Once people answered the published proposal, it can no longer be replaced by another run."""

from __future__ import annotations

from typing import Any

import pytest

from coopsip.accounts.models import User
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus
from coopsip.formation.publishing import publish_run
from coopsip.formation.services import FormationRefused
from coopsip.groups import services
from coopsip.groups.tests.factories import make_edition, opened_group

pytestmark = pytest.mark.django_db


def another_run(edition: Any, first: FormationRun) -> FormationRun:
    """A finished run with the same people in one group, in another order of roles."""
    run = FormationRun.objects.create(edition=edition, number=2, status=RunStatus.DONE)
    group = ProposedGroup.objects.create(
        run=run, key="G0001", theme=edition.themes.get(slug="zorg"), mode="video", language="en", slot="tue_am"
    )
    for member in first.members.all():
        ProposedMember.objects.create(run=run, group=group, registration=member.registration, role=member.role)
    return run


def test_replacing_the_proposal_is_refused_once_someone_accepted(staff: User) -> None:
    edition = make_edition()
    group = opened_group(edition, staff, 4)
    first = group.proposed_group.run  # type: ignore[union-attr]
    second = another_run(edition, first)
    seat = group.seats.select_related("registration__user").first()
    assert seat is not None
    services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part.")
    with pytest.raises(FormationRefused, match="already answered the published proposal"):
        publish_run(by=staff, run=second)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.published_at is None and first.replaced_at is None


def test_before_anyone_answered_the_proposal_can_still_be_replaced(staff: User) -> None:
    edition = make_edition()
    group = opened_group(edition, staff, 4)
    second = another_run(edition, group.proposed_group.run)  # type: ignore[union-attr]
    publish_run(by=staff, run=second)
    second.refresh_from_db()
    assert second.published_at is not None


def test_the_replace_page_says_why_and_offers_no_button_once_someone_answered(client: Any, staff: User) -> None:
    edition = make_edition()
    group = opened_group(edition, staff, 4)
    second = another_run(edition, group.proposed_group.run)  # type: ignore[union-attr]
    seat = group.seats.select_related("registration__user").first()
    assert seat is not None
    services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part.")
    client.force_login(staff)
    page = client.get(f"/en/staff/formation/runs/{second.pk}/publish/").content.decode()
    assert "it can no longer be replaced" in page
    assert "Replace it with run" not in page
