"""The edition's format (issue 20) read by group formation: board members, mixed stakeholder types,
balance rules kept as rules, what each rule costs, and moves that break a rule said in words."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from conftest import client_for, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.core.access import BOARD_GROUP
from coopsip.editions.models import Edition
from coopsip.formation import inputs, services, staff_views
from coopsip.formation.models import FormationRun, MemberRole, RunStatus
from coopsip.formation.reasons import Names, unplaced_text
from coopsip.members.models import MembershipStatus
from coopsip.registrations.models import MeetingMode, Registration, Source
from coopsip.registrations.tests.test_register import make_open_edition, make_places, register_with_service

pytestmark = pytest.mark.django_db

# Twelve people on one theme, slot and place: 8 clients, 2 partners, 2 employees.
KINDS = ["client"] * 8 + ["partner", "partner", "employee", "employee"]


@pytest.fixture
def edition(settings: Any) -> Edition:
    settings.COOPSIP_FORMATION_SECONDS = 2
    make_places()
    edition = make_open_edition(
        group_size_min=4,
        group_size_max=6,
        requires_board_member=True,
        min_stakeholder_types=2,
        max_stakeholder_share=50,
    )
    for number, kind in enumerate(KINDS):
        person = make_person(f"k{number}@example.org", first_name=f"K{number:02d}", last_name="Test")
        link_to_register(person, number=f"6{number:05d}", status=MembershipStatus.MEMBER)
        registration = register_with_service(
            person,
            edition,
            mode=MeetingMode.EITHER,
            volunteers_as_moderator=number in (0, 1, 2),
            volunteers_as_secretary=number in (3, 4, 5),
        )
        Registration.objects.filter(pk=registration.pk).update(
            stakeholder_type=kind, volunteers_as_board_member=number in (6, 7, 8)
        )
        if number in (6, 7, 8, 9):
            person.groups.add(Group.objects.get(name=BOARD_GROUP))
    return edition


def run_for(edition: Edition, staff: User, on_commit: Any) -> FormationRun:
    with on_commit():
        run = services.start_run(by=staff, edition=edition)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return run


def test_the_format_of_the_edition_becomes_the_engines_rules(edition: Edition) -> None:
    params = inputs.engine_params(inputs.default_params(edition))
    assert params.require_board and params.require_moderator and params.require_secretary
    assert params.min_stakeholder_types == 2
    assert params.max_stakeholder_share == 0.5
    assert params.max_gender_share is None
    assert params.balance_soft is False
    loaded = inputs.load_problem(edition)
    boards = [p for p in loaded.problem.registrants if "board" in p.roles]
    assert len(boards) == 3
    edition.balance_rules_soft = True
    assert inputs.engine_params(inputs.default_params(edition)).balance_soft is True


def test_members_without_a_type_are_one_stakeholder_type_as_the_format_counts_them(edition: Edition) -> None:
    # The edition's check counts members as a type ("members and the types ticked above"); so does the engine.
    Registration.objects.filter(edition=edition, stakeholder_type="client").update(stakeholder_type="")
    kinds = sorted(p.stakeholder or "" for p in inputs.load_problem(edition).problem.registrants)
    assert kinds == ["employee", "employee"] + ["member"] * 8 + ["partner", "partner"]


def test_every_group_has_a_board_member_and_mixes_types_and_the_cost_is_shown(
    edition: Edition, staff: User, on_commit: Any
) -> None:
    run = run_for(edition, staff, on_commit)
    staff_client = client_for(staff)
    assert run.report["violations"] == 0
    groups = list(run.groups.prefetch_related("members__registration"))
    assert groups
    for group in groups:
        members = list(group.members.all())
        assert sum(1 for m in members if m.role == MemberRole.BOARD) == 1
        kinds = [m.registration.stakeholder_type for m in members]
        assert len(set(kinds)) >= 2
        assert max(kinds.count(kind) for kind in set(kinds)) * 2 <= len(kinds)
    # 8 clients, 4 others: at most 8 placed with at most half clients; the rest get a reason in words.
    placed = run.members.count()
    assert placed <= 8
    codes = set(run.unplaced.values_list("code", flat=True))
    assert codes & {"balance_share", "balance_types", "groups_full", "no_board"}
    costs = {row["rule"]: row for row in run.report["balance_costs"]}
    assert set(costs) == {"min_stakeholder_types", "max_stakeholder_share", "all"}
    assert costs["max_stakeholder_share"]["placed_without"] >= placed
    # Without any balance rule, the engine places at least as many as without either rule alone.
    assert costs["all"]["placed_without"] >= max(row["placed_without"] for row in costs.values())
    page = staff_client.get(reverse("formation_staff:run", kwargs={"pk": run.pk}))
    text = page.content.decode()
    assert 'id="balance-costs"' in text
    assert "At most 50% of a group of one stakeholder type" in text
    # The combined cost, and why it can differ from the rules' costs one by one.
    assert "All the balance rules together (the run without any balance rule)" in text
    assert f'<td class="number">{costs["all"]["placed_without"]}</td>' in text.split('id="balance-costs-all"')[1]
    assert "The rules overlap" in text
    # The table links to the staff guide's words on the format, which say what the cost means.
    assert reverse("formation_staff:guide") + "#balance" in text
    guide = staff_client.get(reverse("formation_staff:guide")).content.decode()
    assert "The edition's format: board members and balance rules" in guide
    assert "the difference is the places the rule costs" in guide
    # Hard rules: the groups the engine forms keep them, so no group is flagged.
    assert run.report["balance_flags"] == []
    assert 'id="balance-flags"' not in text


def test_people_the_rules_leave_out_read_why_in_words_on_the_run_page(
    edition: Edition, staff: User, on_commit: Any
) -> None:
    run = run_for(edition, staff, on_commit)
    page = client_for(staff).get(reverse("formation_staff:run", kwargs={"pk": run.pk}), {"cell": "unplaced"})
    text = page.content.decode()
    left_out = list(run.unplaced.all())
    assert left_out
    # The clients the share rule leaves out: which group, how many already, which share.
    share = [u for u in left_out if u.code == "balance_share"]
    assert share
    assert "can take one more person of type client (3 already): at most 50% of a group." in text
    # Anyone left out because the groups are full reads that one more group would break the format.
    for item in left_out:
        if item.code == "groups_full":
            assert item.params["format"] is True
    full = unplaced_text("groups_full", {"theme": None, "language": "nl", "office": None, "format": True}, Names())
    assert "one more group there would break the edition's format" in full
    plain = unplaced_text("groups_full", {"theme": None, "language": "nl", "office": None}, Names())
    assert "moderators and secretaries were needed by larger groups" in plain


def test_with_soft_rules_the_run_page_names_each_group_that_breaks_a_rule(
    edition: Edition, staff: User, on_commit: Any
) -> None:
    edition.balance_rules_soft = True
    edition.save(update_fields=["balance_rules_soft"])
    run = run_for(edition, staff, on_commit)
    # Every volunteer for a role is a client: with three roles per group, no group keeps clients to half.
    flags = run.report["balance_flags"]
    assert flags and {flag["severity"] for flag in flags} == {"soft"}
    assert "balance_costs" in run.report and run.report["balance_costs"] == []
    page = client_for(staff).get(reverse("formation_staff:run", kwargs={"pk": run.pk}))
    text = page.content.decode()
    assert 'id="balance-flags"' in text
    assert f"Groups that break a balance rule: {len(flags)}" in text
    assert "balance rules are wishes: these groups are formed anyway" in text
    group = run.groups.get(key=flags[0]["group"])
    count, size = flags[0]["params"]["count"], flags[0]["params"]["size"]
    assert f"{count} of {size} members are of type client: at most 50% of a group." in text
    # Each flagged group links to where it is shown.
    assert f"#group-{group.key}" in text
    assert 'id="balance-costs"' not in text


def test_a_long_list_of_flagged_groups_says_how_many_are_not_shown(
    edition: Edition, staff: User, on_commit: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    edition.balance_rules_soft = True
    edition.save(update_fields=["balance_rules_soft"])
    run = run_for(edition, staff, on_commit)
    flags = run.report["balance_flags"]
    assert flags
    run.report["balance_flags"] = flags * 3
    run.save(update_fields=["report"])
    monkeypatch.setattr(staff_views, "FLAGS_SHOWN", 2)
    text = client_for(staff).get(reverse("formation_staff:run", kwargs={"pk": run.pk})).content.decode()
    assert f"Groups that break a balance rule: {3 * len(flags)}" in text
    assert f"The first 2 of {3 * len(flags)} groups are listed here." in text
    listed = text.split('id="balance-flags"')[1].split("</ul>")[0]
    assert listed.count("<li>") == 2


def test_a_move_that_breaks_a_balance_rule_is_refused_on_the_page_in_words(
    edition: Edition, staff: User, on_commit: Any
) -> None:
    run = run_for(edition, staff, on_commit)
    group = run.groups.first()
    assert group is not None
    client = next(u.registration for u in run.unplaced.select_related("registration") if u.code == "balance_share")
    page = client_for(staff).post(
        reverse("formation_staff:move", kwargs={"pk": run.pk}),
        {"registration": client.pk, "group": group.pk, "role": MemberRole.PARTICIPANT},
    )
    assert page.status_code == 400
    text = page.content.decode()
    assert "would break these rules" in text
    assert "members of type client: at most 50% of a group." in text
    assert run.members.filter(registration=client).count() == 0


def test_a_move_that_breaks_a_balance_rule_says_so_in_words(edition: Edition, staff: User, on_commit: Any) -> None:
    run = run_for(edition, staff, on_commit)
    group = min(run.groups.all(), key=lambda g: (g.members.count(), g.pk))
    # The run's rules are what a move is checked against: at most 40% here (2 or 3 clients of 6 now).
    run.params["max_stakeholder_share"] = 0.4
    run.save(update_fields=["params"])
    clients = [
        unplaced.registration
        for unplaced in run.unplaced.select_related("registration")
        if unplaced.registration.stakeholder_type == "client"
    ]
    assert clients
    problems = services.check_move(run=run, registration=clients[0], to_group=group, role=MemberRole.PARTICIPANT)
    # (Its size may break too: each broken rule is listed.)
    assert any("of type client" in text and "at most 40% of a group" in text for text in problems), problems


def test_the_engine_reads_the_board_members_profile_and_their_answer_for_the_edition(edition: Edition) -> None:
    # K09, a board member, volunteers in their profile. Registered online and unticked for this edition: no board role.
    registration = Registration.objects.select_related("user").get(edition=edition, user__first_name="K09")
    registration.user.volunteers_as_board_member = True
    registration.user.save(update_fields=["volunteers_as_board_member"])

    def roles() -> frozenset[str]:
        loaded = inputs.load_problem(edition)
        return next(p.roles for p in loaded.problem.registrants if p.id == str(registration.pk))

    assert "board" not in roles()
    # Imported by staff (the form never asked): the profile answers, and the engine gets the role board.
    Registration.objects.filter(pk=registration.pk).update(source=Source.IMPORT)
    assert "board" in roles()
    # Registered online with the box ticked (the form starts from the profile): board.
    Registration.objects.filter(pk=registration.pk).update(source=Source.ONLINE, volunteers_as_board_member=True)
    assert "board" in roles()


def test_a_board_volunteer_who_is_not_on_the_board_is_not_given_the_board_role(
    edition: Edition, staff: User, on_commit: Any, django_assert_max_num_queries: Any
) -> None:
    # K00 is not on the board; an import (or an old answer) flagged them as volunteering for it anyway.
    registration = Registration.objects.get(edition=edition, user__first_name="K00")
    Registration.objects.filter(pk=registration.pk).update(source=Source.IMPORT, volunteers_as_board_member=True)
    registration.user.volunteers_as_board_member = True
    registration.user.save(update_fields=["volunteers_as_board_member"])
    # One query tells the board members of all registrations apart (no query per person).
    with django_assert_max_num_queries(8):
        loaded = inputs.load_problem(edition)
    boards = sorted(p.id for p in loaded.problem.registrants if "board" in p.roles)
    assert str(registration.pk) not in boards and len(boards) == 3
    # The proposal staff review has them in no group as its board member.
    run = run_for(edition, staff, on_commit)
    assert not run.members.filter(registration=registration, role=MemberRole.BOARD).exists()


def test_the_move_dialog_names_the_rule_each_near_group_would_break(
    edition: Edition, staff: User, on_commit: Any
) -> None:
    run = run_for(edition, staff, on_commit)
    client = next(u.registration for u in run.unplaced.select_related("registration") if u.code == "balance_share")
    url = reverse("formation_staff:move_dialog", kwargs={"pk": run.pk, "registration": client.pk})
    text = client_for(staff).get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "as participant without breaking a rule." in text
    refused = text.split('id="move-refused"')[1]
    assert "that cannot take them as participant, and why" in refused
    # Each group refused, by its code, with the service's words.
    for group in run.groups.all():
        assert group.key in refused
    assert "members of type client: at most 50% of a group." in refused


def test_people_no_group_can_take_are_not_offered_a_place(edition: Edition, staff: User, on_commit: Any) -> None:
    run = run_for(edition, staff, on_commit)
    page = client_for(staff).get(reverse("formation_staff:run", kwargs={"pk": run.pk}), {"cell": "unplaced"})
    text = page.content.decode()
    left_out = list(run.unplaced.filter(code="balance_share"))
    assert left_out
    for unplaced in left_out:
        row = text.split(f'id="unplaced-{unplaced.registration_id}"')[1].split("</tr>")[0]
        assert "Place in a group" not in row
        assert "No group can take this person without breaking a rule." in row


def test_the_move_dialog_offers_only_the_roles_of_the_format(edition: Edition, staff: User, on_commit: Any) -> None:
    run = run_for(edition, staff, on_commit)
    run.params["require_secretary"] = False
    run.save(update_fields=["params"])
    person = run.unplaced.select_related("registration").first()
    assert person is not None
    url = reverse("formation_staff:move_dialog", kwargs={"pk": run.pk, "registration": person.registration_id})
    staff_client = client_for(staff)
    text = staff_client.get(url, {"role": "secretary"}, HTTP_HX_REQUEST="true").content.decode()
    options = text.split('id="move-role"')[1].split("</select>")[0]
    assert 'value="moderator"' in options and 'value="board"' in options and 'value="participant"' in options
    assert 'value="secretary"' not in options
    # Asked for a secretary anyway, the dialog shows the groups for a participant.
    assert 'value="participant" selected' in options
    # A move as secretary sent by hand is refused in words.
    group = run.groups.first()
    assert group is not None
    refused = staff_client.post(
        reverse("formation_staff:move", kwargs={"pk": run.pk}),
        {"registration": person.registration_id, "group": group.pk, "role": MemberRole.SECRETARY},
    )
    assert refused.status_code == 400
    assert "The groups of this edition&#x27;s format have no secretary." in refused.content.decode()
    assert not run.members.filter(registration_id=person.registration_id).exists()
