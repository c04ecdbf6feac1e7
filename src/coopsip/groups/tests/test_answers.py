"""Answering a proposed group: accept (with the commitment), decline (with a reason), deadlines and reminders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail

from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.editions.phases import BRUSSELS
from coopsip.groups import services
from coopsip.groups.models import GroupSettings, GroupStatus, SeatState, WorkingGroup
from coopsip.groups.tests.factories import accept_all, make_edition, opened_group
from coopsip.registrations.models import Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition() -> Any:
    return make_edition()


def test_opening_answers_makes_groups_and_asks_each_person_once(edition: Any, staff: User, on_commit: Any) -> None:
    from datetime import date

    from coopsip.editions.models import Phase, PhaseKind

    Phase.objects.create(edition=edition, kind=PhaseKind.STUDY, starts_on=date(2027, 1, 4), ends_on=date(2027, 2, 14))
    with on_commit():
        group = opened_group(edition, staff, 4)
    assert group.status == GroupStatus.WAITING
    assert group.seats.filter(state=SeatState.OFFERED).count() == 4
    asked = [m for m in mail.outbox if "please answer by" in m.subject]
    assert sorted(m.to[0] for m in asked) == [f"m{n}@example.org" for n in range(4)]
    assert "/en/groups/proposal/" in asked[0].body
    assert "Size: 4 people proposed" in asked[0].body
    assert "Moderator: M0" in asked[0].body and "Secretary: M1" in asked[0].body
    assert "Please accept or decline by" in asked[0].body
    assert "Studying the theme: 4 January 2027 – 14 February 2027" in asked[0].body
    mail.outbox.clear()
    # Opening the same run again asks nobody again.
    run = group.proposed_group.run  # type: ignore[union-attr]
    with on_commit():
        assert services.open_answers(by=staff, run=run) == 0
    assert mail.outbox == []
    assert WorkingGroup.objects.count() == 1


def test_an_unpublished_run_cannot_be_opened(edition: Any, staff: User) -> None:
    from coopsip.formation.models import FormationRun

    run = FormationRun.objects.create(edition=edition, number=1, status="done")
    with pytest.raises(services.GroupRefused, match="Only the published proposal"):
        services.open_answers(by=staff, run=run)


def test_accepting_records_the_commitment_and_the_group_starts_when_its_officers_and_minimum_accepted(
    edition: Any, staff: User, on_commit: Any
) -> None:
    group = opened_group(edition, staff, 4)
    seats = sorted(group.seats.select_related("registration__user"), key=lambda s: s.registration.user.email)
    assert [s.role for s in seats] == ["moderator", "secretary", "participant", "participant"]
    # Moderator and two participants: no secretary yet, so not active.
    for seat in (seats[0], seats[2], seats[3]):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part fully.")
    group.refresh_from_db()
    assert group.status == GroupStatus.WAITING and group.circle is None
    assert Registration.objects.get(pk=seats[0].registration_id).status == RegistrationStatus.ACCEPTED
    mail.outbox.clear()
    with on_commit():
        services.accept_seat(seat_id=seats[1].pk, user=seats[1].registration.user, commitment_text="I take part.")
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE
    assert group.circle is not None
    members = dict(group.circle.memberships.values_list("user__email", "role"))
    assert members == {
        "m0@example.org": "moderator",
        "m1@example.org": "secretary",
        "m2@example.org": "member",
        "m3@example.org": "member",
    }
    assert {m.to[0] for m in mail.outbox} == set(members)
    assert all("starts" in m.subject for m in mail.outbox)
    seats[0].refresh_from_db()
    assert seats[0].commitment_text == "I take part fully." and seats[0].commitment_language == "en"


def test_accepting_twice_late_or_for_someone_else_is_refused_and_changes_nothing(
    edition: Any, staff: User, member: User
) -> None:
    group = opened_group(edition, staff, 4)
    seat = group.seats.select_related("registration__user").first()
    assert seat is not None
    with pytest.raises(services.GroupRefused, match="not yours"):
        services.accept_seat(seat_id=seat.pk, user=member, commitment_text="x")
    with pytest.raises(services.GroupRefused, match="Confirm the commitment"):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text=" ")
    with pytest.raises(services.GroupRefused, match="The deadline to answer was"):
        services.accept_seat(
            seat_id=seat.pk, user=seat.registration.user, commitment_text="x", now=seat.deadline + timedelta(minutes=1)
        )
    seat.refresh_from_db()
    assert seat.state == SeatState.OFFERED
    services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="x")
    with pytest.raises(services.GroupRefused, match="already accepted"):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="x")
    with pytest.raises(services.GroupRefused, match="already accepted"):
        services.decline_seat(seat_id=seat.pk, user=seat.registration.user, reason="no_time")


def test_a_closed_group_cannot_be_answered(edition: Any, staff: User) -> None:
    group = opened_group(edition, staff, 4)
    seat = group.seats.select_related("registration__user").first()
    assert seat is not None
    services.close_group(by=staff, group=group, reason="Too few answers.")
    with pytest.raises(services.GroupRefused, match="closed"):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="x")


def test_declining_needs_a_reason_from_the_list_and_words_for_another_reason(edition: Any, staff: User) -> None:
    group = opened_group(edition, staff, 4)
    seat = group.seats.select_related("registration__user").first()
    assert seat is not None
    user = seat.registration.user
    with pytest.raises(services.GroupRefused, match="Choose a reason"):
        services.decline_seat(seat_id=seat.pk, user=user, reason="bored")
    with pytest.raises(services.GroupRefused, match="in a few words"):
        services.decline_seat(seat_id=seat.pk, user=user, reason="other", text="  ")
    services.decline_seat(seat_id=seat.pk, user=user, reason="too_far", text="I moved to Arlon.")
    seat.refresh_from_db()
    assert (seat.state, seat.decline_reason, seat.decline_text) == (SeatState.DECLINED, "too_far", "I moved to Arlon.")
    assert Registration.objects.get(pk=seat.registration_id).status == RegistrationStatus.DECLINED


def test_the_deadline_is_the_editions_number_of_days_at_the_end_of_the_brussels_day(edition: Any, staff: User) -> None:
    GroupSettings.objects.create(edition=edition, answer_days=10)
    opened = datetime(2026, 10, 15, 15, 0, tzinfo=UTC)
    group = opened_group(edition, staff, 4, now=opened)
    seat = group.seats.first()
    assert seat is not None
    # Summer time ends on 25 October 2026. The deadline is 25 October, 23:59 in Brussels (winter time, UTC+1);
    # the reminder 23 October at 9:00 (still summer time, UTC+2).
    assert seat.deadline == datetime(2026, 10, 25, 23, 59, tzinfo=BRUSSELS)
    assert seat.deadline.astimezone(UTC).hour == 22
    assert seat.remind_at == datetime(2026, 10, 23, 9, 0, tzinfo=BRUSSELS)
    assert seat.remind_at.astimezone(UTC).hour == 7


def test_the_reminder_goes_once_in_the_persons_language_two_days_before(
    edition: Any, staff: User, on_commit: Any
) -> None:
    opened = datetime(2026, 10, 20, 15, 0, tzinfo=UTC)
    group = opened_group(edition, staff, 4, now=opened)
    User.objects.filter(email="m2@example.org").update(preferred_language="fr")
    seat = group.seats.first()
    assert seat is not None
    mail.outbox.clear()
    with on_commit():
        assert services.remind_due(now=seat.remind_at - timedelta(minutes=1)) == 0
        assert services.remind_due(now=seat.remind_at) == 4
        assert services.remind_due(now=seat.remind_at + timedelta(hours=1)) == 0  # the task ran twice
    assert len(mail.outbox) == 4
    assert OutgoingEmail.objects.filter(key__startswith="groups:reminder:").count() == 4
    french = next(m for m in mail.outbox if m.to == ["m2@example.org"])
    english = next(m for m in mail.outbox if m.to == ["m3@example.org"])
    assert french.subject != english.subject
    assert "Reminder" in english.subject and "27 October" in english.subject


def test_answers_past_the_deadline_expire_once_and_the_person_is_told(
    edition: Any, staff: User, on_commit: Any
) -> None:
    group = opened_group(edition, staff, 4)
    seats = list(group.seats.order_by("pk").select_related("registration__user"))
    services.accept_seat(seat_id=seats[0].pk, user=seats[0].registration.user, commitment_text="x")
    mail.outbox.clear()
    after = seats[1].deadline + timedelta(minutes=1)
    with on_commit():
        assert services.expire_overdue(now=after) == 3
        assert services.expire_overdue(now=after) == 0
    told = [m for m in mail.outbox if "went to someone else" in m.subject]
    assert len(told) == 3
    # Nobody without a group could take the secretary's seat: the team is told, the group flagged.
    (team,) = [m for m in mail.outbox if m.to == ["sip@example.org"]]
    assert "No secretary" in team.body
    group.refresh_from_db()
    assert group.attention.startswith("No secretary")
    assert Registration.objects.filter(status=RegistrationStatus.EXPIRED).count() == 3
    seats[0].refresh_from_db()
    assert seats[0].state == SeatState.ACCEPTED


def test_the_cron_command_reminds_and_expires(edition: Any, staff: User, on_commit: Any) -> None:
    from io import StringIO

    from django.core.management import call_command

    opened_group(edition, staff, 4, now=datetime(2020, 1, 1, tzinfo=UTC))
    out = StringIO()
    with on_commit():
        call_command("process_group_answers", stdout=out)
    assert "0 reminder(s) sent, 4 answer(s) expired, 0 seat(s) freed." in out.getvalue()


def test_everyone_accepting_makes_the_group_active(edition: Any, staff: User) -> None:
    group = opened_group(edition, staff, 5)
    accept_all(group)
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE
    assert group.circle is not None and group.circle.memberships.count() == 5


def test_a_person_who_withdraws_frees_their_seat_and_leaves_the_group(
    edition: Any, staff: User, on_commit: Any
) -> None:
    from coopsip.registrations.services import withdraw_registration

    group = opened_group(edition, staff, 5)
    accept_all(group)
    group.refresh_from_db()
    seat = group.seats.select_related("registration__user").get(registration__user__email="m4@example.org")
    withdraw_registration(registration=seat.registration, reason="Moving abroad.", notify=False)
    with on_commit():
        assert services.release_withdrawn(now=datetime.now(tz=UTC)) == 1
        assert services.release_withdrawn(now=datetime.now(tz=UTC)) == 0
    seat.refresh_from_db()
    assert seat.state == SeatState.LEFT
    assert group.circle is not None
    assert not group.circle.memberships.filter(user__email="m4@example.org").exists()


def test_editing_ones_registration_keeps_the_accepted_seat_and_the_offer(edition: Any, staff: User) -> None:
    from coopsip.registrations.tests.test_register import register_with_service

    group = opened_group(edition, staff, 4)
    accepting, waiting = list(group.seats.select_related("registration__user").order_by("pk"))[:2]
    services.accept_seat(seat_id=accepting.pk, user=accepting.registration.user, commitment_text="I take part.")
    for seat in (accepting, waiting):
        # The member changes their notes and languages on the registration form.
        register_with_service(
            seat.registration.user, edition, languages=["en", "nl"], notes="I moved house.", slots=[(1, "morning")]
        )
    assert Registration.objects.get(pk=accepting.registration_id).status == RegistrationStatus.ACCEPTED
    assert Registration.objects.get(pk=waiting.registration_id).status == RegistrationStatus.PROPOSED
    states = dict(group.seats.values_list("registration_id", "state"))
    assert (states[accepting.registration_id], states[waiting.registration_id]) == ("accepted", "offered")
    # And accepting the offer still works afterwards.
    services.accept_seat(seat_id=waiting.pk, user=waiting.registration.user, commitment_text="I take part.")
    assert Registration.objects.get(pk=waiting.registration_id).status == RegistrationStatus.ACCEPTED


def test_a_theme_with_an_apostrophe_reads_as_typed_in_the_subject(edition: Any, staff: User, on_commit: Any) -> None:
    edition.themes.filter(slug="zorg").update(title_en="Care & the ethics committee's frame")
    with on_commit():
        opened_group(edition, staff, 4)
    asked = [m for m in mail.outbox if "please answer by" in m.subject]
    assert asked
    assert 'Your working group "Care & the ethics committee\'s frame"' in asked[0].subject
    assert "&#x27;" not in asked[0].subject and "&amp;" not in asked[0].subject
