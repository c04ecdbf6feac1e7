"""The staff flow of group formation without HTTP: run, check a move, lock and re-run, publish once."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from conftest import link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.formation import publishing, services
from coopsip.formation.changes import ChangeKind
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.members.models import MembershipStatus
from coopsip.registrations.models import MeetingMode, Registration, RegistrationStatus
from coopsip.registrations.tests.test_register import make_open_edition, make_places, register_with_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(settings: Any) -> Edition:
    settings.COOPSIP_FORMATION_SECONDS = 2
    make_places()
    edition = make_open_edition(group_size_min=4, group_size_max=8)
    for number in range(14):
        person = make_person(f"p{number}@example.org", first_name=f"P{number:02d}", last_name="Test")
        link_to_register(person, number=f"5{number:05d}", status=MembershipStatus.MEMBER)
        register_with_service(
            person,
            edition,
            mode=MeetingMode.EITHER,
            volunteers_as_moderator=number in (0, 1),
            volunteers_as_secretary=number in (2, 3),
        )
    # Available only on Friday evening: nobody else is.
    loner = make_person("loner@example.org", first_name="Lone", last_name="Wolf")
    link_to_register(loner, number="599999", status=MembershipStatus.MEMBER)
    register_with_service(loner, edition, mode=MeetingMode.EITHER, slots=[(4, "evening")])
    return edition


def run_for(edition: Edition, staff: User, on_commit: Any, previous: FormationRun | None = None) -> FormationRun:
    with on_commit():  # the task is enqueued on commit and runs at once (immediate backend)
        run = services.start_run(by=staff, edition=edition, previous=previous)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


def test_a_run_forms_groups_and_says_why_someone_is_left_out(edition: Edition, staff: User, on_commit: Any) -> None:
    run = run_for(edition, staff, on_commit)
    assert run.groups.count() == 2
    assert run.members.count() == 14
    assert run.report["violations"] == 0
    (loner,) = run.unplaced.all()
    assert loner.registration.user.email == "loner@example.org"
    assert loner.code in {"too_few_people", "no_common_slot", "no_moderator"}


def test_a_move_that_breaks_a_rule_is_refused_with_the_reason_in_words(
    edition: Edition, staff: User, on_commit: Any
) -> None:
    run = run_for(edition, staff, on_commit)
    loner = Registration.objects.get(user__email="loner@example.org")
    group = run.groups.first()
    with pytest.raises(services.MoveBreaksRules) as refused:
        services.move_member(by=staff, run=run, registration=loner, to_group=group, role="participant")
    assert any("is not available on" in reason for reason in refused.value.reasons)
    assert not run.members.filter(registration=loner).exists()
    # Taking the only moderator out of a group breaks that group.
    moderator = group.members.get(role="moderator")
    other = run.groups.exclude(pk=group.pk).get()
    with pytest.raises(services.MoveBreaksRules) as refused:
        services.move_member(by=staff, run=run, registration=moderator.registration, to_group=other, role="participant")
    assert any("0 moderators" in reason or "2 moderators" in reason for reason in refused.value.reasons)


def test_a_re_run_keeps_locked_groups_and_people(edition: Edition, staff: User, on_commit: Any) -> None:
    run = run_for(edition, staff, on_commit)
    first, second = run.groups.all()
    services.set_group_lock(by=staff, group=first, locked=True)
    member = second.members.filter(role="participant").first()
    services.set_member_lock(by=staff, member=member, locked=True)
    rerun = run_for(edition, staff, on_commit, previous=run)
    kept = rerun.groups.get(key=first.key)
    assert kept.locked
    assert set(kept.members.values_list("registration_id", "role")) == set(
        first.members.values_list("registration_id", "role")
    )
    assert rerun.members.get(registration=member.registration).group.key == second.key
    assert rerun.members.get(registration=member.registration).locked


def test_publishing_twice_proposes_once_and_mails_once(edition: Edition, staff: User, on_commit: Any) -> None:
    run = run_for(edition, staff, on_commit)
    mail.outbox.clear()
    with on_commit():
        assert publishing.publish_run(by=staff, run=run).count(ChangeKind.JOINED) == 14
        assert publishing.publish_run(by=staff, run=run).changes is None
    assert len(mail.outbox) == 15  # 14 proposed a group, and the loner told why there is none
    assert Registration.objects.filter(status=RegistrationStatus.PROPOSED).count() == 14
    assert Registration.objects.get(user__email="loner@example.org").status == RegistrationStatus.SUBMITTED
    with pytest.raises(services.FormationRefused):
        services.set_group_lock(by=staff, group=run.groups.first(), locked=True)


def test_a_withdrawn_person_is_neither_kept_by_a_lock_nor_told(edition: Edition, staff: User, on_commit: Any) -> None:
    from coopsip.registrations.services import withdraw_registration

    run = run_for(edition, staff, on_commit)
    group = run.groups.first()
    services.set_group_lock(by=staff, group=group, locked=True)
    leaving = group.members.filter(role="participant").first().registration
    withdraw_registration(registration=leaving, notify=False)
    rerun = run_for(edition, staff, on_commit, previous=run)
    assert not rerun.members.filter(registration=leaving).exists()
    assert rerun.report["violations"] == 0
    mail.outbox.clear()
    with on_commit():
        publishing.publish_run(by=staff, run=rerun)
    assert leaving.user.email not in {message.to[0] for message in mail.outbox}


def test_one_run_at_a_time_and_a_stuck_run_is_failed(edition: Edition, staff: User) -> None:
    from datetime import timedelta

    from django.utils import timezone

    first = services.start_run(by=staff, edition=edition)  # not committed: stays queued
    with pytest.raises(services.FormationRefused):
        services.start_run(by=staff, edition=edition)
    assert services.fail_stuck_runs(edition=edition, now=timezone.now() + timedelta(hours=2)) == 1
    first.refresh_from_db()
    assert first.status == RunStatus.FAILED
    assert services.start_run(by=staff, edition=edition).number == 2
