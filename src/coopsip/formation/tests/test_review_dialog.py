"""Sara reviews a run through the shared move dialog and htmx (issue 11, points 2, 4, 5, 7, 8).

The edition is the small one of the formation tests (``make_formable_edition``):
26 people on Monday evening in Ghent form three groups of housing (6 to 10 people);
Tom (free only on Tuesday morning) and Zoë (who chose only care) are left out.

- The move dialog lists only the groups a person can join without breaking a rule
  (exactly those ``check_move`` accepts), named by code, theme, place, language and
  slot; it is a fragment for htmx and a page of its own without JavaScript.
- With htmx a move answers the dialog's "done" and only the two groups it changed
  (and the navigation's counts); a lock answers only its row or its group; a refusal
  answers only the alert.
- "Groups full" names real groups of the proposal, or says plainly that none suits.
- The gap to the best possible is explained, with a link to the staff guide.
- A re-run that places fewer people, and what the locks cost, are said on the run page.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition, Theme
from coopsip.formation import services
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus, Unplaced
from coopsip.formation.reasons import group_label
from coopsip.formation.tests.test_staff_access import REFUSED, finished_run, make_formable_edition, state
from coopsip.places.models import Office
from coopsip.registrations.tests.test_staff_access import make_member, make_open_edition, register

HTMX = {"HX-Request": "true"}


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


def dialog_url(run: FormationRun, registration_id: int) -> str:
    return reverse("formation_staff:move_dialog", kwargs={"pk": run.pk, "registration": registration_id})


def by_size(run: FormationRun) -> list[ProposedGroup]:
    return sorted(run.groups.select_related("theme", "office"), key=lambda group: (group.members.count(), group.key))


def label(group: ProposedGroup) -> str:
    return f"{group.key}: Housing, Ghent, Dutch, Monday evening"


# --- The move dialog ------------------------------------------------------------------


def test_the_move_dialog_lists_exactly_the_groups_a_person_can_join_without_breaking_a_rule(
    staff: User, done_run: FormationRun
) -> None:
    client = client_for(staff)
    largest = by_size(done_run)[-1]
    member = largest.members.filter(role="participant").select_related("registration__user").first()
    assert member is not None
    response = client.get(dialog_url(done_run, member.registration_id))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "Back to the run" in html  # a page of its own without JavaScript
    allowed = {
        group.pk
        for group in done_run.groups.exclude(pk=largest.pk)
        if not services.check_move(run=done_run, registration=member.registration, to_group=group, role="participant")
    }
    assert allowed  # the smaller groups have room
    offered = {group.pk for group in done_run.groups.all() if f'value="{group.pk}"' in html}
    assert offered == allowed
    for group in done_run.groups.filter(pk__in=allowed).select_related("theme", "office"):
        assert label(group) in html
    assert f"Now in group {largest.key} as participant." in html

    # With htmx, the same as a fragment for the page's one dialog.
    fragment = client.get(dialog_url(done_run, member.registration_id), headers=HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode() and 'id="move-dialog-title"' in fragment.content.decode()
    # As moderator: every group has one already.
    as_moderator = client.get(dialog_url(done_run, member.registration_id), {"role": "moderator"}, headers=HTMX)
    text = as_moderator.content.decode()
    assert 'name="group"' not in text
    assert "No group can take Part" in text and "as moderator without breaking a rule." in text


def test_a_moderator_cannot_be_moved_and_the_dialog_names_the_group_they_would_leave(
    staff: User, done_run: FormationRun
) -> None:
    group = by_size(done_run)[0]
    moderator = group.members.get(role="moderator")
    html = client_for(staff).get(dialog_url(done_run, moderator.registration_id)).content.decode()
    assert "cannot be moved now" in html
    assert f"Group {label(group)} would have 0 moderators: it needs exactly one." in html
    assert 'name="group"' not in html


def test_nobody_can_take_tom_so_the_dialog_says_so(staff: User, done_run: FormationRun) -> None:
    tom = done_run.unplaced.get(registration__user__first_name="Tom")
    html = client_for(staff).get(dialog_url(done_run, tom.registration_id), headers=HTMX).content.decode()
    assert "Place Tom Tuesday in a group" in html
    assert "No group can take Tom Tuesday as participant without breaking a rule." in html


def test_the_move_dialog_refuses_other_methods_unknown_people_and_other_editions(
    staff: User, done_run: FormationRun
) -> None:
    client = client_for(staff)
    member = done_run.members.first()
    assert member is not None
    assert client.post(dialog_url(done_run, member.registration_id)).status_code == 405
    assert client.get(dialog_url(done_run, 999999)).status_code == 404
    other = make_member("other@example.org", number="399999", first_name="Olga", last_name="Other")
    elsewhere = register(other, make_open_edition(slug="2027-2028"), "wonen")
    assert client.get(dialog_url(done_run, elsewhere.pk)).status_code == 404
    missing = reverse("formation_staff:move_dialog", kwargs={"pk": 999999, "registration": member.registration_id})
    assert client.get(missing).status_code == 404
    # An unknown role shows the groups for a participant.
    assert (
        'value="participant" selected'
        in client.get(dialog_url(done_run, member.registration_id), {"role": "x"}).content.decode()
    )


@pytest.mark.parametrize("role", REFUSED)
def test_other_roles_are_refused_the_dialog_and_the_guide(
    personas: dict[str, Any], done_run: FormationRun, role: str
) -> None:
    client = client_for(personas[role])
    member = done_run.members.first()
    assert member is not None
    assert client.get(dialog_url(done_run, member.registration_id)).status_code == 403
    assert client.get(reverse("formation_staff:guide")).status_code == 403


def test_a_visitor_is_sent_to_log_in_from_the_dialog_and_the_guide(done_run: FormationRun) -> None:
    client = client_for(None)
    member = done_run.members.first()
    assert member is not None
    for url in (dialog_url(done_run, member.registration_id), reverse("formation_staff:guide")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Moves and locks by htmx: only what changed -------------------------------------------


def test_a_move_by_htmx_replaces_only_the_two_groups_it_changed(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    groups = by_size(done_run)
    smallest, largest = groups[0], groups[-1]
    untouched = groups[1]
    member = largest.members.filter(role="participant").select_related("registration__user").first()
    assert member is not None
    name = member.registration.user.get_full_name()
    response = client.post(
        reverse("formation_staff:move", kwargs={"pk": done_run.pk}),
        {"registration": member.registration_id, "group": smallest.pk, "role": "participant"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f"{name} is now in group {label(smallest)} as participant." in html
    assert f'<article id="group-{smallest.key}" class="formation-group" hx-swap-oob="outerHTML">' in html
    assert f'<article id="group-{largest.key}" class="formation-group" hx-swap-oob="outerHTML">' in html
    assert f'id="group-{untouched.key}"' not in html
    assert 'id="cells-nav"' in html and "3 groups, 26 people" in html  # the navigation's counts
    member.refresh_from_db()
    assert member.group == smallest and member.moved_by_staff
    # The moved person shows in the new group's fragment.
    new_group = html.split(f'<article id="group-{smallest.key}"')[1].split("</article>")[0]
    assert name in new_group and "(moved by staff)" in new_group


def test_a_refused_move_by_htmx_shows_the_reasons_in_the_dialog_and_changes_nothing(
    staff: User, done_run: FormationRun
) -> None:
    tom = done_run.unplaced.get(registration__user__first_name="Tom")
    group = by_size(done_run)[0]
    before = state()
    response = client_for(staff).post(
        reverse("formation_staff:move", kwargs={"pk": done_run.pk}),
        {"registration": tom.registration_id, "group": group.pk, "role": "participant"},
        headers=HTMX,
    )
    assert response.status_code == 200  # htmx swaps only successful answers: the dialog shows the refusal
    html = response.content.decode()
    assert "<html" not in html
    assert f"Moving Tom Tuesday to group {label(group)} would break these rules:" in html
    assert "Tom Tuesday is not available on Monday evening." in html and 'role="alert"' in html
    assert state() == before


def test_placing_someone_who_fits_takes_them_off_the_list_of_people_without_a_group(
    staff: User, done_run: FormationRun
) -> None:
    fay = make_member("fay@example.org", number="300501", first_name="Fay", last_name="Fits")
    registration = register(fay, done_run.edition, "wonen")
    Unplaced.objects.create(run=done_run, registration=registration, code="groups_full", params={})
    group = by_size(done_run)[0]
    response = client_for(staff).post(
        reverse("formation_staff:move", kwargs={"pk": done_run.pk}),
        {"registration": registration.pk, "group": group.pk, "role": "participant"},
        headers=HTMX,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<tr id="unplaced-{registration.pk}" hx-swap-oob="delete"></tr>' in html
    # The navigation's count of people without a group goes from 3 (Tom, Zoë, Fay) to 2.
    assert '<span class="meta">(2)</span>' in html.split('id="cells-nav"')[1]
    assert not done_run.unplaced.filter(registration=registration).exists()
    assert done_run.members.get(registration=registration).group == group


def test_locking_by_htmx_answers_only_the_row_or_the_group(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    group = by_size(done_run)[0]
    member = group.members.filter(role="participant").first()
    assert member is not None
    response = client.post(
        reverse("formation_staff:lock_member", kwargs={"pk": member.pk}), {"locked": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    row = response.content.decode().strip()
    assert row.startswith(f'<tr id="member-{member.pk}">') and row.endswith("</tr>")
    assert ">Unlock<" in row and "locked" in row
    member.refresh_from_db()
    assert member.locked

    response = client.post(
        reverse("formation_staff:lock_group", kwargs={"pk": group.pk}), {"locked": "1"}, headers=HTMX
    )
    assert response.status_code == 200
    article = response.content.decode().strip()
    assert article.startswith(f'<article id="group-{group.key}" class="formation-group">')
    assert "Unlock the group" in article and "<html" not in article
    group.refresh_from_db()
    assert group.locked


def test_a_refused_lock_by_htmx_answers_only_the_alert(staff: User, done_run: FormationRun) -> None:
    FormationRun.objects.filter(pk=done_run.pk).update(published_at=timezone.now(), published_by=staff)
    group = by_size(done_run)[0]
    client = client_for(staff)
    before = state()
    for data in ({"locked": "1"}, {}):
        response = client.post(reverse("formation_staff:lock_group", kwargs={"pk": group.pk}), data, headers=HTMX)
        assert response.status_code == 200
        assert response["HX-Retarget"] == "#review-alert"
        html = response.content.decode()
        assert 'role="alert"' in html and "Nothing was changed." in html and "<html" not in html
    assert state() == before


# --- Point 5: reasons that name real groups ---------------------------------------------------


def test_groups_full_names_the_real_groups_that_suit_the_person_or_says_none_does(
    staff: User, done_run: FormationRun
) -> None:
    client = client_for(staff)
    fay = make_member("fay@example.org", number="300501", first_name="Fay", last_name="Full")
    fay_registration = register(fay, done_run.edition, "wonen")
    care, liege = Theme.objects.get(edition=done_run.edition, slug="zorg"), Office.objects.get(slug="luik")
    # What the engine said: a theme × office of its own thinking, with no group in the proposal.
    invented = {"theme": str(care.pk), "office": str(liege.pk), "language": "fr"}
    Unplaced.objects.create(run=done_run, registration=fay_registration, code="groups_full", params=invented)
    Unplaced.objects.filter(run=done_run, registration__user__first_name="Zoë").update(
        code="groups_full", params=invented
    )
    # Every group as full as the edition allows.
    smallest = min(group.members.count() for group in done_run.groups.all())
    FormationRun.objects.filter(pk=done_run.pk).update(params=done_run.params | {"max_size": smallest})
    done_run.refresh_from_db()

    html = client.get(run_url(done_run), {"cell": "unplaced"}).content.decode()
    fay_row = html.split(f'<tr id="unplaced-{fay_registration.pk}">')[1].split("</tr>")[0]
    assert "Care" not in fay_row and "Liège" not in fay_row
    assert "The groups that suit this person are full:" in fay_row
    for group in by_size(done_run):
        assert label(group) in fay_row
    assert "No group can take this person without breaking a rule." in fay_row
    zoe = Unplaced.objects.get(run=done_run, registration__user__first_name="Zoë")
    zoe_row = html.split(f'<tr id="unplaced-{zoe.registration_id}">')[1].split("</tr>")[0]
    assert "No group of this proposal has a theme this person chose." in zoe_row

    # With room in the groups, the reason says which have room, and the place dialog offers exactly those.
    FormationRun.objects.filter(pk=done_run.pk).update(params=done_run.params | {"max_size": 12})
    done_run.refresh_from_db()
    html = client.get(run_url(done_run), {"cell": "unplaced"}).content.decode()
    fay_row = html.split(f'<tr id="unplaced-{fay_registration.pk}">')[1].split("</tr>")[0]
    assert "These groups suit this person and have room now:" in fay_row
    assert "Place in a group" in fay_row
    dialog = client.get(dialog_url(done_run, fay_registration.pk), headers=HTMX).content.decode()
    assert {group.pk for group in done_run.groups.all() if f'value="{group.pk}"' in dialog} == set(
        done_run.groups.values_list("pk", flat=True)
    )


# --- Point 7: groups named so that two look different -----------------------------------------


def test_two_groups_of_the_same_theme_and_slot_are_told_apart_by_place_and_language(
    staff: User, done_run: FormationRun
) -> None:
    ghent_group, other = by_size(done_run)[:2]
    ProposedGroup.objects.filter(pk=other.pk).update(office=Office.objects.get(slug="luik"), language="fr")
    other = ProposedGroup.objects.select_related("theme", "office").get(pk=other.pk)
    ghent_group = ProposedGroup.objects.select_related("theme", "office").get(pk=ghent_group.pk)
    assert group_label(ghent_group) == f"{ghent_group.key}: Housing, Ghent, Dutch, Monday evening"
    assert group_label(other) == f"{other.key}: Housing, Liège, French, Monday evening"
    video = ProposedGroup(key="G0099", theme=other.theme, mode="video", office=None, language="nl", slot="sat_am")
    assert group_label(video) == "G0099: Housing, by video, Dutch, Saturday morning"


# --- Point 8: the gap explained ------------------------------------------------------------------


def test_the_gap_to_the_best_possible_is_explained_with_a_link_to_the_guide(
    staff: User, done_run: FormationRun
) -> None:
    client = client_for(staff)
    html = client.get(run_url(done_run)).content.decode()
    assert "Gap to the best possible" in html and "(bound)" not in html
    assert "0 % means no better proposal exists" in html
    guide = reverse("formation_staff:guide")
    assert f'href="{guide}#gap"' in html
    page = client.get(guide)
    assert page.status_code == 200
    assert 'id="gap"' in page.content.decode() and "a score that no proposal can beat" in page.content.decode()
    assert client.post(guide).status_code == 405


# --- Point 2: a re-run that places fewer, and what the locks cost -------------------------------


def _rerun(done_run: FormationRun, staff: User, report: dict[str, Any]) -> FormationRun:
    return FormationRun.objects.create(
        edition=done_run.edition,
        number=2,
        previous=done_run,
        status=RunStatus.DONE,
        progress=100,
        params=done_run.params,
        report=done_run.report | report,
        started_by=staff,
    )


def test_a_re_run_that_places_fewer_people_says_so_before_publishing(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    assert done_run.report["assigned"] == 26
    worse = _rerun(done_run, staff, {"assigned": 22})
    html = client.get(run_url(worse)).content.decode()
    assert "This re-run places 4 people fewer than run 1: 22 instead of 26." in html
    publish = html.split(f'href="{reverse("formation_staff:publish", kwargs={"pk": worse.pk})}"')[1].split("</a>")[0]
    assert "4 people fewer than run 1" in publish and 'aria-describedby="shortfall"' in publish
    # The run it re-runs, and a re-run that places as many, say nothing of the kind.
    assert "fewer than run" not in client.get(run_url(done_run)).content.decode()
    FormationRun.objects.filter(pk=worse.pk).update(report=done_run.report)
    assert "fewer than run" not in client.get(run_url(worse)).content.decode()


def test_the_run_page_says_what_the_locks_cost(staff: User, done_run: FormationRun) -> None:
    client = client_for(staff)
    costly = _rerun(done_run, staff, {"locks": {"placed": 22, "placed_without_locks": 26, "cost": 4}})
    assert "The locks cost 4 places: the same run without them places 26 people, with them 22." in (
        client.get(run_url(costly)).content.decode()
    )
    FormationRun.objects.filter(pk=costly.pk).update(
        report=done_run.report | {"locks": {"placed": 26, "placed_without_locks": 26, "cost": 0}}
    )
    assert "The locks cost no place: the same run without them places 26 people too." in (
        client.get(run_url(costly)).content.decode()
    )
    # A run without locks says nothing about them.
    assert "The locks cost" not in client.get(run_url(done_run)).content.decode()


def test_moving_keeps_the_members_of_other_groups_as_they_were(staff: User, done_run: FormationRun) -> None:
    """The dialog's candidates are checked with their members as they are: a group holding someone who withdrew
    since the run is not offered (its check would fail)."""
    groups = by_size(done_run)
    smallest = groups[0]
    withdrawn = smallest.members.filter(role="participant").select_related("registration").first()
    assert withdrawn is not None
    registration = withdrawn.registration
    registration.status, registration.withdrawn_at = "withdrawn", timezone.now()
    registration.save(update_fields=["status", "withdrawn_at"])
    member = groups[-1].members.filter(role="participant").first()
    assert member is not None and isinstance(member, ProposedMember)
    html = client_for(staff).get(dialog_url(done_run, member.registration_id)).content.decode()
    assert f'value="{smallest.pk}"' not in html


def test_a_wrong_theme_office_or_page_in_the_address_shows_the_first_theme_and_office(
    staff: User, done_run: FormationRun
) -> None:
    client = client_for(staff)
    group = by_size(done_run)[0]
    for params in ({"cell": "nonsense"}, {"cell": "999-999"}, {"cell": "1-"}, {"page": "abc"}, {"page": "999"}):
        response = client.get(run_url(done_run), params)
        assert response.status_code == 200, params
        html = response.content.decode()
        assert f'id="group-{group.key}"' in html and 'aria-current="page">Ghent</a>' in html, params
