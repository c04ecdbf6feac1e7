"""Publishing a formation run: one published proposal per edition, a replacement tells only the people whose
place changes, and the people without a group are told why and what they can do.

The edition is the small one of the formation tests (``make_formable_edition``): 26 people on Monday
evening in Ghent form three groups of housing; Tom (free only on Tuesday morning) and Zoë (who chose only
care) are left out.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.formation import publishing, services
from coopsip.formation.changes import ChangeKind, proposal_changes, published_run
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus, Unplaced
from coopsip.formation.tests.test_staff_access import finished_run, make_formable_edition
from coopsip.registrations.models import AvailabilitySlot, Registration, RegistrationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_engine(settings: Any) -> None:
    settings.COOPSIP_FORMATION_SECONDS = 2


@pytest.fixture
def edition(db: Any) -> Edition:
    edition = make_formable_edition()
    # The emails are asserted in English (the new texts are translated later); Zoë reads French.
    User.objects.update(preferred_language="en")
    return edition


TITLE = "Smart in Progress 2026-2027"


def person(first_name: str, last_name: str = "") -> Registration:
    found = Registration.objects.select_related("user").filter(user__first_name=first_name)
    return found.get(user__last_name=last_name) if last_name else found.get()


def set_slots(registration: Registration, *slots: tuple[int, str]) -> None:
    """The person changed their time slots (as the registration form would)."""
    registration.slots.all().delete()
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot(registration=registration, weekday=day, part=part) for day, part in slots
    )


def recipients() -> dict[str, Any]:
    return {message.to[0]: message for message in mail.outbox}


# --- Point 6: people without a group are told at publication ------------------------------


def test_the_first_publication_proposes_groups_and_tells_the_people_left_out_why_and_what_they_can_do(
    staff: User, edition: Edition, on_commit: Any
) -> None:
    run = finished_run(edition, staff, on_commit)
    zoe = person("Zoë")
    User.objects.filter(pk=zoe.user_id).update(preferred_language="fr")
    mail.outbox.clear()
    with on_commit():
        done = publishing.publish_run(by=staff, run=run)
    assert done.replaced is None
    assert done.count(ChangeKind.JOINED) == 26 and done.count(ChangeKind.STILL_WITHOUT) == 2
    sent = recipients()
    assert len(mail.outbox) == 28
    tom = sent["tom@example.org"]
    assert tom.subject == f"No group for you yet in {TITLE}"
    # The engine's reason in words, and what Tom can do while registration is open.
    assert "Too few people share one of the time slots for Housing in Dutch (Ghent)" in tom.body
    assert "Change your registration until" in tom.body
    assert "add the time slots when you could also meet" in tom.body
    assert "/en/registrations/2026-2027/" in tom.body
    # Zoë in her own language (the French catalogue may not have the new text yet: the theme's name shows it).
    assert "Soins" in sent["zoe@example.org"].body
    assert sent["p1@example.org"].subject == f"Your group for {TITLE}"
    assert Registration.objects.filter(status=RegistrationStatus.PROPOSED).count() == 26
    assert person("Tom").status == RegistrationStatus.SUBMITTED
    # Publishing again sends nothing.
    with on_commit():
        again = publishing.publish_run(by=staff, run=run)
    assert again.changes is None and len(mail.outbox) == 28
    assert published_run(edition) == run


def test_when_registration_is_closed_the_email_says_whom_to_write_to(
    staff: User, edition: Edition, on_commit: Any, settings: Any
) -> None:
    run = finished_run(edition, staff, on_commit)
    Edition.objects.filter(pk=edition.pk).update(registration_closes_at=timezone.now())
    mail.outbox.clear()
    with on_commit():
        publishing.publish_run(by=staff, run=run)
    body = recipients()["tom@example.org"].body
    assert "Registration is closed" in body and settings.COOPSIP_CONTACT_EMAIL in body
    assert "Change your registration until" not in body


# --- Point 1: one published proposal; replacing it tells only who changes -----------------


def test_replacing_the_published_proposal_emails_only_the_people_whose_place_changes(
    staff: User, edition: Edition, on_commit: Any
) -> None:
    first = finished_run(edition, staff, on_commit)
    with on_commit():
        publishing.publish_run(by=staff, run=first)
    # Since then Tom can also meet on Monday evening, and Part P20 only on Tuesday morning.
    tom, p20 = person("Tom"), person("Part", "P20")
    set_slots(tom, (0, "evening"), (1, "morning"))
    set_slots(p20, (1, "morning"))
    second = finished_run(edition, staff, on_commit, previous=first)
    # And staff moves a participant to another group by hand.
    groups = sorted(second.groups.all(), key=lambda group: group.members.count())
    mover = groups[-1].members.filter(role="participant").exclude(registration=tom).first()
    services.move_member(by=staff, run=second, registration=mover.registration, to_group=groups[0], role="participant")

    changes = publishing.changes_to_publish(second)
    assert changes.old == first
    kinds = {change.registration_id: change.kind for change in changes.people}
    assert kinds[tom.pk] == ChangeKind.JOINED
    assert kinds[p20.pk] == ChangeKind.LEFT
    assert kinds[mover.registration_id] == ChangeKind.MOVED
    assert changes.unchanged + len(changes.people) == 27  # 26 placed before, and Tom
    assert changes.unchanged > 20  # the others keep their group and get nothing

    mail.outbox.clear()
    with on_commit():
        done = publishing.publish_run(by=staff, run=second, confirmed=changes.fingerprint)
    assert done.replaced == first
    told = set(Registration.objects.filter(pk__in=kinds).values_list("user__email", flat=True))
    assert set(recipients()) == told and len(mail.outbox) == len(told)
    sent = recipients()
    assert sent["tom@example.org"].subject == f"Your group for {TITLE}"
    lost = sent["p20@example.org"]
    assert lost.subject == f"Your group for {TITLE}: no group for now"
    assert "The group you no longer have: Housing, in person at Ghent, in Dutch, Monday evening" in lost.body
    assert "Why, as group formation found it:\nToo few people share one of the time slots" in lost.body
    assert "add the time slots when you could also meet" in lost.body
    moved = sent[mover.registration.user.email]
    assert moved.subject == f"Your group for {TITLE} has changed"
    assert "Before: Housing, in person at Ghent, in Dutch, Monday evening" in moved.body
    assert "another group, with other people" in moved.body

    # One published proposal: the first run is replaced, by the second.
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.replaced_by == second and first.replaced_at is not None and not first.is_published
    assert second.is_published and published_run(edition) == second
    assert FormationRun.objects.filter(published_at__isnull=False, replaced_at__isnull=True).count() == 1
    # Statuses follow the published proposal.
    assert person("Tom").status == RegistrationStatus.PROPOSED
    assert person("Part", "P20").status == RegistrationStatus.SUBMITTED
    assert Registration.objects.filter(status=RegistrationStatus.PROPOSED).count() == 26
    # A replaced run cannot be published again.
    with pytest.raises(services.FormationRefused, match="replaced"):
        publishing.publish_run(by=staff, run=first)


def test_publishing_refuses_when_the_changes_are_no_longer_those_confirmed(
    staff: User, edition: Edition, on_commit: Any
) -> None:
    first = finished_run(edition, staff, on_commit)
    with on_commit():
        publishing.publish_run(by=staff, run=first)
    second = FormationRun.objects.create(edition=edition, number=2, status=RunStatus.DONE)
    copy_proposal(first, second)
    seen = publishing.changes_to_publish(second).fingerprint
    # Meanwhile a colleague moves someone in the second run.
    groups = sorted(second.groups.all(), key=lambda group: group.members.count())
    mover = groups[-1].members.filter(role="participant").first()
    ProposedMember.objects.filter(pk=mover.pk).update(group=groups[0])
    mail.outbox.clear()
    with on_commit(), pytest.raises(services.FormationRefused, match="changed since the page was opened"):
        publishing.publish_run(by=staff, run=second, confirmed=seen)
    second.refresh_from_db()
    assert second.published_at is None and published_run(edition) == first
    assert mail.outbox == []


def test_the_database_refuses_two_published_proposals_of_one_edition(staff: User, edition: Edition) -> None:
    now = timezone.now()
    FormationRun.objects.create(edition=edition, number=1, status=RunStatus.DONE, published_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        FormationRun.objects.create(edition=edition, number=2, status=RunStatus.DONE, published_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        FormationRun.objects.create(edition=edition, number=3, status=RunStatus.DONE, replaced_at=now)


# --- proposal_changes without the engine ---------------------------------------------------


def copy_proposal(source: FormationRun, target: FormationRun) -> dict[int, ProposedGroup]:
    """The same groups (under other codes, as a re-run numbers them afresh) and people, in ``target``."""
    copies: dict[int, ProposedGroup] = {}
    for number, group in enumerate(source.groups.order_by("pk"), start=1):
        copies[group.pk] = ProposedGroup.objects.create(
            run=target,
            key=f"N{number:03d}",
            theme_id=group.theme_id,
            mode=group.mode,
            office_id=group.office_id,
            language=group.language,
            slot=group.slot,
        )
    ProposedMember.objects.bulk_create(
        ProposedMember(run=target, group=copies[m.group_id], registration_id=m.registration_id, role=m.role)
        for m in source.members.all()
    )
    Unplaced.objects.bulk_create(
        Unplaced(run=target, registration_id=u.registration_id, code=u.code, params=u.params)
        for u in source.unplaced.all()
    )
    return copies


def test_proposal_changes_matches_groups_by_what_people_notice_not_by_their_codes(
    staff: User, edition: Edition, on_commit: Any
) -> None:
    old = finished_run(edition, staff, on_commit)
    new = FormationRun.objects.create(edition=edition, number=2, status=RunStatus.DONE)
    copies = copy_proposal(old, new)
    same = proposal_changes(old, new)
    assert same.people == [] and same.groups == [] and same.unchanged == 26

    (old_a, a), (old_b, b), (_old_c, c) = ((group, copies[group.pk]) for group in old.groups.order_by("pk"))
    # Two participants swap between two groups that look alike; a participant of c becomes its moderator
    # and its moderator a participant; c then moves to Tuesday morning (every member notices).
    x = new.members.filter(group=a, role="participant").first()
    y = new.members.filter(group=b, role="participant").first()
    ProposedMember.objects.filter(pk=x.pk).update(group=b)
    ProposedMember.objects.filter(pk=y.pk).update(group=a)
    changes = proposal_changes(old, new)
    assert {(ch.registration_id, ch.kind) for ch in changes.people} == {
        (x.registration_id, ChangeKind.MOVED),
        (y.registration_id, ChangeKind.MOVED),
    }
    assert {(d.old.key if d.old else None, d.new.key, d.joined, d.left) for d in changes.groups} == {
        (old_a.key, a.key, 1, 1),
        (old_b.key, b.key, 1, 1),
    }
    moderator = new.members.get(group=c, role="moderator")
    participant = new.members.filter(group=c, role="participant").first()
    ProposedMember.objects.filter(pk=moderator.pk).update(role="participant")
    ProposedMember.objects.filter(pk=participant.pk).update(role="moderator")
    kinds = {ch.registration_id: ch.kind for ch in proposal_changes(old, new).people}
    assert kinds[moderator.registration_id] == kinds[participant.registration_id] == ChangeKind.NEW_ROLE
    ProposedGroup.objects.filter(pk=c.pk).update(slot="tue_am")
    changes = proposal_changes(old, new)
    assert changes.counts[ChangeKind.MOVED] == 2 + c.members.count()
    assert sum(1 for d in changes.groups if d.old is None or d.new is None) == 2  # c: gone, and new


def test_proposal_changes_against_nothing_published_and_without_withdrawn_people(
    staff: User, edition: Edition, on_commit: Any
) -> None:
    from coopsip.registrations.services import withdraw_registration

    run = finished_run(edition, staff, on_commit)
    first = proposal_changes(None, run)
    assert first.counts[ChangeKind.JOINED] == 26 and first.counts[ChangeKind.STILL_WITHOUT] == 2
    assert {ch.reason.code for ch in first.of_kind(ChangeKind.STILL_WITHOUT) if ch.reason} <= {
        "no_common_slot",
        "too_few_people",
        "no_moderator",
        "theme_not_in_country",
    }
    withdraw_registration(registration=person("Tom"), notify=False)
    assert proposal_changes(None, run, only_active=True).counts[ChangeKind.STILL_WITHOUT] == 1
