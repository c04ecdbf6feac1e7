"""Sara (staff) forms groups for a small edition, reviews them, moves and locks people, re-runs, compares,
and publishes.

The edition (see ``make_formable_edition``): 26 people on Monday evening in
Ghent form three groups of housing; Tom (free only on Tuesday morning) and Zoë
(who chose only care) are left out, each with a reason.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus, Unplaced
from coopsip.formation.tests.test_staff_access import finished_run, make_formable_edition, state


@pytest.fixture(autouse=True)
def _fast_engine(settings: Any) -> None:
    settings.COOPSIP_FORMATION_SECONDS = 2


@pytest.fixture
def edition(db: Any) -> Edition:
    return make_formable_edition()


@pytest.fixture
def done_run(staff: User, edition: Edition, on_commit: Any) -> FormationRun:
    return finished_run(edition, staff, on_commit)


def run_url(run: FormationRun) -> str:
    return reverse("formation_staff:run", kwargs={"pk": run.pk})


def move_url(run: FormationRun) -> str:
    return reverse("formation_staff:move", kwargs={"pk": run.pk})


def unplaced(run: FormationRun, first_name: str) -> Unplaced:
    return run.unplaced.select_related("registration").get(registration__user__first_name=first_name)


def participant_and_two_groups(run: FormationRun) -> tuple[ProposedMember, ProposedGroup]:
    """A participant of the largest group, and the smallest group: moving one from the first to the second is
    within every rule."""
    groups = sorted(run.groups.all(), key=lambda group: group.members.count())
    smallest, largest = groups[0], groups[-1]
    member = largest.members.filter(role="participant").select_related("registration__user").first()
    assert member is not None
    return member, smallest


# --- Forming --------------------------------------------------------------------


def test_staff_forms_groups_and_sees_them_with_the_people_left_out_and_why(
    staff: User, edition: Edition, on_commit: Any
) -> None:
    client = client_for(staff)
    with on_commit():
        response = client.post(reverse("formation_staff:runs", kwargs={"slug": edition.slug}))
    assert response.status_code == 303
    run = FormationRun.objects.get(edition=edition)
    assert response["Location"] == run_url(run)
    assert run.status == RunStatus.DONE, run.error
    assert run.started_by == staff
    assert run.groups.count() == 3

    html = client.get(run_url(run)).content.decode()
    for group in run.groups.all():
        assert f'id="group-{group.key}"' in html
    assert "in person at Ghent" in html
    assert "monday evening" in html.lower()
    assert "Mod M1" in html and "Part P01" in html
    # The navigation by theme and office, with counts.
    assert 'href="?cell=unplaced#review"' in html and "3 groups, 26 people" in html
    # The people left out, each with the reason in words; no group can take them, so no form to place them.
    html = client.get(run_url(run), {"cell": "unplaced"}).content.decode()
    assert "Tom Tuesday" in html and "Zoë Zorg" in html
    assert "Too few people share one of the time slots for Housing in Dutch (Ghent)" in html
    assert "No group in Dutch on these time slots for Care (Ghent): 1 people." in html
    assert html.count("No group can take this person without breaking a rule.") == 2
    assert "Place in a group" not in html.split("</thead>")[-1]
    # The summary.
    assert "Share with a group" in html and "92.9 %" in html
    assert "Gap to the best possible" in html

    listing = client.get(reverse("formation_staff:runs", kwargs={"slug": edition.slug})).content.decode()
    assert "Run 1" in listing and "Sara Janssens" in listing and "Done" in listing


def test_the_progress_bar_polls_until_the_run_has_finished(staff: User, edition: Edition, on_commit: Any) -> None:
    client = client_for(staff)
    # Without playing the commit the task never starts: the run waits for the worker.
    client.post(reverse("formation_staff:runs", kwargs={"slug": edition.slug}))
    run = FormationRun.objects.get(edition=edition)
    assert run.status == RunStatus.QUEUED

    html = client.get(run_url(run)).content.decode()
    assert "<progress" in html and 'hx-trigger="every 2s"' in html
    assert ">Refresh</a>" in html  # without JavaScript

    fragment = client.get(run_url(run), headers={"HX-Request": "true", "HX-Target": "progress"})
    assert fragment.status_code == 200
    assert "<progress" in fragment.content.decode() and "<html" not in fragment.content.decode()

    FormationRun.objects.filter(pk=run.pk).update(status=RunStatus.DONE, progress=100)
    done = client.get(run_url(run), headers={"HX-Request": "true", "HX-Target": "progress"})
    assert done["HX-Refresh"] == "true"


def test_a_failed_run_shows_its_error(staff: User, edition: Edition) -> None:
    run = FormationRun.objects.create(
        edition=edition, number=1, status=RunStatus.FAILED, error="ValueError: no offices", started_by=staff
    )
    html = client_for(staff).get(run_url(run)).content.decode()
    assert "The run failed." in html and "ValueError: no offices" in html
    assert "<progress" not in html


# --- Moving -----------------------------------------------------------------------


def test_placing_someone_who_is_not_available_at_the_groups_slot_is_refused_with_the_reason(
    staff: User, done_run: FormationRun
) -> None:
    tom = unplaced(done_run, "Tom")
    group = done_run.groups.first()
    assert group is not None
    before = state()
    response = client_for(staff).post(
        move_url(done_run), {"registration": tom.registration_id, "group": group.pk, "role": "participant"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    label = f"{group.key}: Housing, Ghent, Dutch, Monday evening"
    assert f"Moving Tom Tuesday to group {label} would break these rules:" in html
    assert "Tom Tuesday is not available on Monday evening." in html
    assert 'role="alert"' in html
    assert state() == before


def test_moving_someone_into_a_theme_they_did_not_choose_is_refused_with_the_reason(
    staff: User, done_run: FormationRun
) -> None:
    zoe = unplaced(done_run, "Zoë")
    group = done_run.groups.first()
    assert group is not None
    before = state()
    response = client_for(staff).post(
        move_url(done_run), {"registration": zoe.registration_id, "group": group.pk, "role": "participant"}
    )
    assert response.status_code == 400
    assert "Zoë Zorg did not choose the theme Housing." in response.content.decode()
    assert state() == before


def test_taking_a_groups_only_moderator_away_is_refused(staff: User, done_run: FormationRun) -> None:
    source, target = list(done_run.groups.all())[:2]
    moderator = source.members.get(role="moderator")
    before = state()
    response = client_for(staff).post(
        move_url(done_run), {"registration": moderator.registration_id, "group": target.pk, "role": "participant"}
    )
    assert response.status_code == 400
    # The rule names which group: the one the moderator would leave.
    assert (
        f"Group {source.key}: Housing, Ghent, Dutch, Monday evening would have 0 moderators: it needs exactly one."
        in (response.content.decode())
    )
    assert state() == before


def test_a_move_that_keeps_every_rule_is_saved(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    member, target = participant_and_two_groups(done_run)
    response = client.post(
        move_url(done_run), {"registration": member.registration_id, "group": target.pk, "role": "participant"}
    )
    assert response.status_code == 303
    cell = f"{target.theme_id}-{target.office_id}"
    assert response["Location"] == f"{run_url(done_run)}?cell={cell}#group-{target.key}"
    member.refresh_from_db()
    assert member.group == target
    assert member.moved_by_staff
    page = client.get(response["Location"]).content.decode()
    assert f"is now in group {target.key}: Housing, Ghent, Dutch, Monday evening as participant." in page
    assert "(moved by staff)" in page


def test_bad_move_input_is_refused_and_changes_nothing(staff: User, done_run: FormationRun, on_commit: Any) -> None:
    other = finished_run(done_run.edition, staff, on_commit)
    member, target = participant_and_two_groups(done_run)
    foreign_group = other.groups.first()
    assert foreign_group is not None
    before = state()
    client = client_for(staff)
    for data in (
        {},
        {"registration": member.registration_id, "group": foreign_group.pk, "role": "participant"},
        {"registration": member.registration_id, "group": target.pk, "role": "chair"},
        {"registration": 999999, "group": target.pk, "role": "participant"},
    ):
        response = client.post(move_url(done_run), data)
        assert response.status_code == 400, data
        assert "The move could not be made." in response.content.decode()
    assert state() == before


def test_the_move_form_says_before_sending_which_rules_a_move_would_break(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    tom = unplaced(done_run, "Tom")
    group = done_run.groups.first()
    assert group is not None
    url = reverse("formation_staff:check", kwargs={"pk": done_run.pk})
    params: dict[str, Any] = {"registration": tom.registration_id, "group": group.pk, "role": "participant"}
    fragment = client.get(url, params, headers={"HX-Request": "true"}).content.decode()
    assert "Tom Tuesday is not available on Monday evening." in fragment
    assert "<html" not in fragment
    member, target = participant_and_two_groups(done_run)
    params = {"registration": member.registration_id, "group": target.pk, "role": "participant"}
    assert "This move breaks no rule." in client.get(url, params, headers={"HX-Request": "true"}).content.decode()


# --- Locks and re-runs --------------------------------------------------------------


def test_locked_groups_and_people_are_kept_by_a_re_run(staff: User, done_run: FormationRun, on_commit: Any) -> None:
    client = client_for(staff)
    locked_group, other_group = list(done_run.groups.all())[:2]
    locked_member = other_group.members.filter(role="participant").first()
    assert locked_member is not None

    response = client.post(reverse("formation_staff:lock_group", kwargs={"pk": locked_group.pk}), {"locked": "1"})
    assert response.status_code == 303
    response = client.post(reverse("formation_staff:lock_member", kwargs={"pk": locked_member.pk}), {"locked": "1"})
    assert response.status_code == 303
    assert "is locked in group" in client.get(response["Location"]).content.decode()
    # Pressing again does not undo: the button says what it wants.
    client.post(reverse("formation_staff:lock_group", kwargs={"pk": locked_group.pk}), {"locked": "1"})
    locked_group.refresh_from_db()
    assert locked_group.locked

    with on_commit():
        response = client.post(reverse("formation_staff:rerun", kwargs={"pk": done_run.pk}))
    assert response.status_code == 303
    new = FormationRun.objects.exclude(pk=done_run.pk).get()
    assert response["Location"] == run_url(new)
    assert new.status == RunStatus.DONE, new.error
    assert new.previous == done_run

    kept = new.groups.get(key=locked_group.key)
    assert kept.locked
    assert set(kept.members.values_list("registration_id", "role")) == set(
        locked_group.members.values_list("registration_id", "role")
    )
    moved = new.members.select_related("group").get(registration_id=locked_member.registration_id)
    assert moved.group.key == other_group.key
    assert moved.locked


def test_unlocking_a_group_and_a_person(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    group = done_run.groups.first()
    member = done_run.members.first()
    assert group is not None and member is not None
    ProposedGroup.objects.filter(pk=group.pk).update(locked=True)
    ProposedMember.objects.filter(pk=member.pk).update(locked=True)
    assert (
        client.post(reverse("formation_staff:lock_group", kwargs={"pk": group.pk}), {"locked": "0"}).status_code == 303
    )
    assert (
        client.post(reverse("formation_staff:lock_member", kwargs={"pk": member.pk}), {"locked": "0"}).status_code
        == 303
    )
    group.refresh_from_db()
    member.refresh_from_db()
    assert not group.locked and not member.locked
    # Without saying which, nothing happens.
    response = client.post(reverse("formation_staff:lock_group", kwargs={"pk": group.pk}))
    assert response.status_code == 400
    group.refresh_from_db()
    assert not group.locked


# Publishing and comparing: test_publish_views.py.


# --- Queries ------------------------------------------------------------------------------


def test_the_run_page_needs_the_same_queries_whatever_the_number_of_groups(
    staff: User, done_run: FormationRun, django_assert_num_queries: Any
) -> None:
    client = client_for(staff)
    # Five for the session, the user, their groups and their second factor; then the run, the cells (their counts,
    # themes and offices), the people left out counted, and a page of groups (counted, then with their members).
    with django_assert_num_queries(13):
        client.get(run_url(done_run))
    # The people left out, a page at a time: counted, read, their registrations (with preferences and slots, and
    # who of them is on the board), themes and offices, and every group with its size.
    with django_assert_num_queries(21):
        client.get(run_url(done_run), {"cell": "unplaced"})
