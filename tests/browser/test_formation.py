"""Journey: a staff member forms the groups of an edition, moves and locks someone in place (htmx), and publishes.

The edition is the small one of the formation tests (``make_formable_edition``):
26 people on Monday evening in Ghent form three groups of housing; Tom (free
only on Tuesday morning) and Zoë (who chose only care) are left out, each with
a reason. The live server runs tasks with the immediate backend, and this test
is transactional, so the run is formed inside the POST that starts it (the
engine may search for two seconds).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.formation.changes import proposal_changes, published_run
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.formation.tests.test_staff_access import make_formable_edition
from coopsip.registrations.models import AvailabilitySlot, Registration, RegistrationStatus

from .conftest import assert_accessible
from .test_editions import log_in_with_totp

pytestmark = pytest.mark.browser

# The POST that starts a run waits for the engine (two seconds, plus storing the proposal).
RUN_TIMEOUT_MS = 20_000


@pytest.fixture
def edition(migration_rows: None, settings: Any) -> Edition:
    settings.COOPSIP_FORMATION_SECONDS = 2
    return make_formable_edition()


def test_a_staff_member_forms_groups_moves_and_locks_someone_in_place_and_publishes(
    page: Page, live_server: Any, sara: User, totp_secret: str, edition: Edition
) -> None:
    base = live_server.url
    log_in_with_totp(page, base, totp_secret)

    # The edition's group formation: no run yet.
    page.goto(f"/en/staff/formation/{edition.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Group formation")
    runs = page.get_by_role("table", name=re.compile("^Formation runs of the edition"))
    expect(runs).to_contain_text("No run yet.")
    assert_accessible(page)

    # "Form groups": the run is formed inside the POST; its page shows the result.
    page.get_by_role("button", name="Form groups", exact=True).click()
    expect(page).to_have_url(re.compile(r"/en/staff/formation/runs/\d+/$"), timeout=RUN_TIMEOUT_MS)
    run = FormationRun.objects.get(edition=edition)
    assert run.status == RunStatus.DONE, run.error
    expect(page).to_have_url(f"{base}/en/staff/formation/runs/{run.pk}/")
    expect(page.get_by_role("status")).to_have_text("Run 1 is started.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formation run 1")
    expect(page.locator("progress")).to_have_count(0)
    main = page.get_by_role("main")
    groups = list(run.groups.select_related("theme", "office"))
    assert len(groups) == 3
    # The navigation by theme and office, with counts; the page shows the groups of one theme × office.
    expect(main.get_by_role("navigation", name="Groups by theme and office")).to_contain_text("3 groups, 26 people")
    proposed = main.get_by_role("region", name=re.compile("^Proposed groups"))
    expect(proposed.get_by_role("heading", level=3)).to_have_text([f"Group {group.key}" for group in groups])
    first = groups[0]
    first_group = proposed.locator(f"#group-{first.key}")
    expect(first_group).to_contain_text("in person at Ghent")
    expect(first_group).to_contain_text(re.compile("monday evening", re.IGNORECASE))
    expect(first_group.get_by_role("table", name=f"Members of group {first.key}").get_by_role("row")).to_have_count(
        1 + first.members.count()
    )
    expect(proposed).to_contain_text("Mod M1")
    expect(proposed).to_contain_text("Part P01")
    expect(main.get_by_role("region", name="Summary")).to_contain_text("92.9 %")
    assert_accessible(page)

    # A move by keyboard only: "Move" opens the page's one dialog, which lists only the groups that break no rule.
    by_size = sorted(groups, key=lambda group: (group.members.count(), group.key))
    smallest, largest = by_size[0], by_size[-1]
    member = largest.members.filter(role="participant").select_related("registration__user").first()
    assert member is not None
    name = member.registration.user.get_full_name()
    proposed.locator(f"#group-{largest.key}").get_by_role("link", name=f"Move {name}").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("heading", level=2)).to_have_text(f"Move {name}")
    expect(dialog.get_by_role("radio", name=re.compile(f"^{largest.key}:"))).to_have_count(0)  # not their own
    choice = dialog.get_by_role("radio", name=f"{smallest.key}: Housing, Ghent, Dutch, Monday evening")
    choice.focus()
    page.keyboard.press("Space")
    expect(choice).to_be_checked()
    dialog.get_by_role("button", name="Move", exact=True).focus()
    page.keyboard.press("Enter")
    expect(dialog.get_by_role("status")).to_have_text(
        f"{name} is now in group {smallest.key}: Housing, Ghent, Dutch, Monday evening as participant."
    )
    assert_accessible(page)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    # Only the two groups changed, in place: no reload.
    expect(page).to_have_url(f"{base}/en/staff/formation/runs/{run.pk}/")
    expect(proposed.locator(f"#group-{smallest.key}")).to_contain_text(f"{name} (moved by staff)")
    expect(proposed.locator(f"#group-{largest.key}")).not_to_contain_text(name)
    assert run.members.get(registration=member.registration).group == smallest

    # Locking that person answers only their row.
    proposed.locator(f"#group-{smallest.key}").get_by_role("button", name=f"Lock {name}").click()
    row = proposed.locator(f"#member-{member.pk}")
    expect(row.get_by_role("button", name=f"Unlock {name}")).to_be_visible()
    expect(row).to_contain_text("locked")
    member.refresh_from_db()
    assert member.locked

    # The two people left out, each with the reason in words; no group can take them.
    main.get_by_role("link", name="People without a group").click()
    left_out = main.get_by_role("region", name="People without a group")
    tom_row = left_out.get_by_role("row").filter(has_text="Tom Tuesday")
    zoe_row = left_out.get_by_role("row").filter(has_text="Zoë Zorg")
    expect(left_out.get_by_role("table").locator("tbody tr")).to_have_count(2)
    expect(tom_row).to_contain_text("Too few people share one of the time slots for Housing in Dutch (Ghent)")
    expect(zoe_row).to_contain_text("No group in Dutch on these time slots for Care (Ghent): 1 people.")
    expect(tom_row).to_contain_text("No group can take this person without breaking a rule.")
    expect(left_out.get_by_role("link", name=re.compile("^Place in a group"))).to_have_count(0)
    tom = Registration.objects.get(edition=edition, user__email="tom@example.org")
    assert run.unplaced.filter(registration=tom).exists()
    assert_accessible(page)

    # Publishing: a confirmation page first.
    page.get_by_role("main").get_by_role("link", name="Publish", exact=True).click()
    expect(page).to_have_url(f"{base}/en/staff/formation/runs/{run.pk}/publish/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish run 1?")
    confirm = page.get_by_role("main")
    expect(confirm).to_contain_text("26 people are proposed a group")
    expect(confirm).to_contain_text("2 people have no group.")
    assert_accessible(page)
    confirm.get_by_role("button", name="Publish", exact=True).click()

    # The published run: no more changes offered.
    expect(page).to_have_url(f"{base}/en/staff/formation/runs/{run.pk}/")
    expect(page.get_by_role("status")).to_have_text(
        "The proposal is published: 26 people were proposed a group. 2 people without a group were told why."
    )
    main = page.get_by_role("main")
    expect(main).to_contain_text("published on")
    expect(main).to_contain_text("by Sara Janssens")
    expect(main.get_by_role("link", name=re.compile("^Move"))).to_have_count(0)
    expect(main.get_by_role("button", name=re.compile("^Lock"))).to_have_count(0)
    expect(main.get_by_role("link", name="Publish", exact=True)).to_have_count(0)
    main.get_by_role("link", name="People without a group").click()
    expect(main.get_by_role("region", name="People without a group")).to_contain_text("Tom Tuesday")
    expect(main.get_by_role("link", name=re.compile("^Place in a group"))).to_have_count(0)
    assert_accessible(page)

    # In the database: every placed person's registration is "proposed", the two left out are not.
    run.refresh_from_db()
    assert run.published_at is not None and run.published_by == sara
    placed = set(run.members.values_list("registration_id", flat=True))
    assert len(placed) == 26
    proposed_now = Registration.objects.filter(edition=edition, status=RegistrationStatus.PROPOSED)
    assert set(proposed_now.values_list("pk", flat=True)) == placed
    left = Registration.objects.filter(edition=edition).exclude(pk__in=placed)
    assert sorted(left.values_list("user__first_name", "status")) == [
        ("Tom", RegistrationStatus.SUBMITTED),
        ("Zoë", RegistrationStatus.SUBMITTED),
    ]


def test_a_staff_member_publishes_run_2_and_replaces_it_with_run_3_telling_only_the_people_whose_group_changes(
    page: Page, live_server: Any, sara: User, totp_secret: str, edition: Edition
) -> None:
    base = live_server.url
    log_in_with_totp(page, base, totp_secret)
    User.objects.update(preferred_language="en")

    # Run 1, then its re-run: run 2.
    page.goto(f"/en/staff/formation/{edition.slug}/")
    page.get_by_role("button", name="Form groups", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formation run 1", timeout=RUN_TIMEOUT_MS)
    page.get_by_role("button", name="Re-run keeping the locks").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formation run 2", timeout=RUN_TIMEOUT_MS)
    second = FormationRun.objects.get(edition=edition, number=2)
    assert second.status == RunStatus.DONE, second.error

    # Publish run 2: everyone is told, the two people left out why.
    mail.outbox.clear()
    page.get_by_role("main").get_by_role("link", name=re.compile("^Publish")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publish run 2?")
    page.get_by_role("main").get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("The proposal is published: 26 people were proposed a group.")
    assert len(mail.outbox) == 28
    main = page.get_by_role("main")
    expect(main).to_contain_text("This is the published proposal.")
    expect(main.get_by_role("link", name=re.compile("^Publish"))).to_have_count(0)
    assert_accessible(page)

    # Since then, Tom can also meet on Monday evening, and Part P20 only on Tuesday morning.
    tom = Registration.objects.get(edition=edition, user__email="tom@example.org")
    p20 = Registration.objects.get(edition=edition, user__email="p20@example.org")
    AvailabilitySlot.objects.create(registration=tom, weekday=0, part="evening")
    p20.slots.all().delete()
    AvailabilitySlot.objects.create(registration=p20, weekday=1, part="morning")

    # The published run is re-run: run 3.
    main.get_by_role("button", name="Re-run keeping the locks").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Formation run 3", timeout=RUN_TIMEOUT_MS)
    third = FormationRun.objects.get(edition=edition, number=3)
    assert third.status == RunStatus.DONE, third.error
    changes = proposal_changes(second, third, only_active=True)
    changed = {change.name for change in changes.people}
    assert {"Tom Tuesday", "Part P20"} <= changed and changes.unchanged > 0

    # Publishing it replaces run 2: the page lists exactly who changes, and how.
    page.get_by_role("main").get_by_role("link", name=re.compile("^Publish")).click()
    expect(page).to_have_url(f"{base}/en/staff/formation/runs/{third.pk}/publish/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Replace the published proposal?"))
    confirm = page.get_by_role("main")
    expect(confirm).to_contain_text("Run 2 is the published proposal")
    table = confirm.get_by_role("table", name="Who changes, and how")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(changes.people))
    expect(rows.filter(has_text="Tom Tuesday")).to_contain_text("Gets a group")
    expect(rows.filter(has_text="Part P20")).to_contain_text("Loses their group")
    expect(rows.filter(has_text="Part P20")).to_contain_text("no group: Too few people share one of the time slots")
    expect(confirm).to_contain_text(f"{changes.unchanged} people keep their group and role: they receive nothing.")
    assert_accessible(page)
    mail.outbox.clear()
    confirm.get_by_role("button", name="Replace it with run 3").click()

    # Only the people whose place changed are emailed; run 3 is the one published proposal.
    expect(page).to_have_url(f"{base}/en/staff/formation/runs/{third.pk}/")
    expect(page.get_by_role("status")).to_have_text(
        f"Run 3 replaces run 2 as the published proposal: {len(changes.people)} people were told what changed."
    )
    assert_accessible(page)
    emailed = {message.to[0] for message in mail.outbox}
    expected = set(
        Registration.objects.filter(pk__in=[c.registration_id for c in changes.people]).values_list(
            "user__email", flat=True
        )
    )
    assert emailed == expected and len(mail.outbox) == len(expected)
    assert len(emailed) < 26  # nobody else: most keep their group and hear nothing
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address["p20@example.org"].subject.endswith(": no group for now")
    assert "Why, as group formation found it:" in by_address["p20@example.org"].body
    assert published_run(edition) == third
    second.refresh_from_db()
    assert second.replaced_by == third and not second.is_published
    assert Registration.objects.get(pk=tom.pk).status == RegistrationStatus.PROPOSED
    assert Registration.objects.get(pk=p20.pk).status == RegistrationStatus.SUBMITTED

    # Run 2's page says it was replaced.
    page.goto(f"/en/staff/formation/runs/{second.pk}/")
    expect(page.get_by_role("main")).to_contain_text("by run 3: no longer published")
    assert_accessible(page)

    # Compared, runs 2 and 3 show the same people placed differently.
    page.get_by_role("main").get_by_role("link", name="Compare two runs").click()
    page.get_by_label("First run").select_option(label="Run 2")
    page.get_by_label("Second run").select_option(label="Run 3")
    page.get_by_role("main").get_by_role("button", name="Compare", exact=True).click()
    people = page.get_by_role("region", name="Who is placed differently")
    expect(people.get_by_role("table").locator("tbody tr")).to_have_count(len(changes.people))
    expect(people.get_by_role("row").filter(has_text="Tom Tuesday")).to_contain_text("A group only in the second run")
    expect(page.get_by_role("region", name="Groups that differ")).to_be_visible()
    assert_accessible(page)
