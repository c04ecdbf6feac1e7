"""Groups of the 2017-2018 format: a moderator and a board member coordinate each group, no secretary needed."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from coopsip.accounts.models import User
from coopsip.core.access import BOARD_GROUP
from coopsip.events.models import CircleRole
from coopsip.groups import services
from coopsip.groups.models import GroupStatus, Seat, WorkingGroup
from coopsip.groups.tests.factories import accept_all, make_edition, make_published_run, make_registrant, seat_of
from coopsip.registrations.models import Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Any:
    return make_edition(requires_secretary=False, requires_board_member=True)


def _group(edition: Any, staff: User) -> WorkingGroup:
    people = [make_registrant(edition, f"B{n}", moderator=n == 0, volunteers_as_board_member=n == 1) for n in range(4)]
    roles = ["moderator", "board", "participant", "participant"]
    run = make_published_run(edition, [list(zip(people, roles, strict=True))])
    services.open_answers(by=staff, run=run)
    return WorkingGroup.objects.get(proposed_group__run=run)


def _decline(seat: Seat, on_commit: Any) -> None:
    with on_commit():
        services.decline_seat(seat_id=seat.pk, user=seat.registration.user, reason="no_time")


def test_a_group_with_its_moderator_and_board_member_starts_without_a_secretary(edition: Any, staff: User) -> None:
    group = _group(edition, staff)
    accept_all(group)
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE
    assert group.circle is not None
    board = group.circle.memberships.get(user__email="b1@example.org")
    # The board member coordinates the group beside the moderator: she holds its meetings too.
    assert board.role == CircleRole.MODERATOR
    assert group.attention == ""


def test_the_proposal_names_the_board_member_and_no_secretary(edition: Any, staff: User) -> None:
    from conftest import client_for
    from coopsip.groups.services import proposal_url

    group = _group(edition, staff)
    participant = group.seats.filter(role="participant").select_related("registration__user").first()
    assert participant is not None
    html = client_for(participant.registration.user).get(proposal_url(edition)).content.decode()
    assert "Board member" in html and "B1" in html
    assert "Secretary" not in html


def test_a_board_member_who_declines_is_replaced_by_a_board_volunteer(
    edition: Any, staff: User, on_commit: Any
) -> None:
    group = _group(edition, staff)
    plain = make_registrant(edition, "Plain")
    # Someone not on the board whose registration says they volunteer for it anyway (an import) is no board member.
    pretender = make_registrant(edition, "Pretender", volunteers_as_board_member=True)
    volunteer = make_registrant(edition, "Director", volunteers_as_board_member=True)
    volunteer.user.groups.add(Group.objects.get(name=BOARD_GROUP))
    _decline(group.seats.get(role="board"), on_commit)
    assert seat_of(volunteer).role == "board"  # type: ignore[union-attr]
    assert seat_of(plain) is None
    assert seat_of(pretender) is None
    group.refresh_from_db()
    assert group.attention == ""


def test_without_a_board_volunteer_the_team_is_told_in_words(edition: Any, staff: User, on_commit: Any) -> None:
    group = _group(edition, staff)
    make_registrant(edition, "Plain")
    mail.outbox.clear()
    _decline(group.seats.get(role="board"), on_commit)
    group.refresh_from_db()
    assert group.attention.startswith("No board member")
    (team,) = [m for m in mail.outbox if m.to == ["sip@example.org"]]
    assert "No board member" in team.body


def test_a_decline_that_tips_a_group_over_a_balance_rule_nobody_can_repair_is_flagged_in_words(
    staff: User, on_commit: Any
) -> None:
    edition = make_edition(max_stakeholder_share=50)
    kinds = ["client", "partner", "client", "partner"]
    people = [make_registrant(edition, f"S{n}", moderator=n == 0, secretary=n == 1) for n in range(4)]
    for person, kind in zip(people, kinds, strict=True):
        Registration.objects.filter(pk=person.pk).update(stakeholder_type=kind)
    roles = ["moderator", "secretary", "participant", "participant"]
    run = make_published_run(edition, [list(zip(people, roles, strict=True))])
    services.open_answers(by=staff, run=run)
    group = WorkingGroup.objects.get(proposed_group__run=run)
    mail.outbox.clear()
    group.refresh_from_db()
    assert group.attention == ""  # two clients of four: the rule holds
    _decline(seat_of(people[3]), on_commit)  # a partner leaves: two clients of three
    group.refresh_from_db()
    assert "client" in group.attention and "50%" in group.attention
    (team,) = [m for m in mail.outbox if m.to == ["sip@example.org"]]
    assert group.key in team.subject
