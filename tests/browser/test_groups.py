"""Journeys of the working groups: a member accepts, another declines and the person offered the freed seat
accepts, and the group starts; staff filter the overview and find a stalled group. axe-core checks each page.

The published proposal is built with the groups' test factories (no engine run), the answers through the pages.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coopsip.accounts.models import User
from coopsip.events.models import Circle
from coopsip.groups import services
from coopsip.groups.models import GroupStatus, Seat, SeatState, WorkingGroup
from coopsip.groups.tests.factories import make_edition, make_registrant, opened_group

from .conftest import assert_accessible
from .test_groupspace import log_in

pytestmark = pytest.mark.browser


def log_out(page: Page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out").click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("link", name="Log in")).to_be_visible()


def test_a_member_accepts_another_declines_and_the_backfilled_person_accepts(
    page: Page, migration_rows: None, sara: User
) -> None:
    edition = make_edition(group_size_min=4)
    group = opened_group(edition, sara, 4)
    newcomer = make_registrant(edition, "Newcomer")
    for seat in group.seats.filter(role__in=("moderator", "secretary")).select_related("registration__user"):
        services.accept_seat(seat_id=seat.pk, user=seat.registration.user, commitment_text="I take part.")

    # M2 accepts from their personal home.
    log_in(page, "m2@example.org")
    page.get_by_role("navigation", name="Account").get_by_role("link", name="My Smart in Progress").click()
    assert_accessible(page)
    page.get_by_role("link", name="Accept or decline").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("My working group")
    expect(page.get_by_text("Please answer by")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Accept this group").click()
    expect(page.get_by_role("alert")).to_contain_text("Tick the commitment")
    page.get_by_label("I take part for the whole period", exact=False).check()
    page.get_by_role("button", name="Accept this group").click()
    expect(page.get_by_text("You accepted.")).to_be_visible()
    log_out(page)

    # M3 declines: the slot no longer suits them; they stay on the waiting list for another group, then leave it.
    log_in(page, "m3@example.org")
    page.goto(f"/en/groups/proposal/{edition.slug}/")
    page.get_by_label("The time slot no longer suits me").check()
    page.get_by_label("Keep me on the waiting list", exact=False).check()
    page.get_by_role("button", name="Decline this group").click()
    expect(page.get_by_text("You declined the group.")).to_be_visible()
    expect(page.get_by_text("You are on the waiting list: we email you")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Take me off the waiting list").click()
    expect(page.get_by_text("You left the waiting list.")).to_be_visible()
    expect(page.get_by_role("button", name="Put me on the waiting list")).to_be_visible()
    log_out(page)

    # The freed seat went to Newcomer, who accepts: with its officers and four members, the group starts.
    offered = Seat.objects.get(registration=newcomer)
    assert offered.state == SeatState.OFFERED and offered.group_id == group.pk
    log_in(page, "newcomer@example.org")
    page.goto(f"/en/groups/proposal/{edition.slug}/")
    expect(page.get_by_text("A seat has become free")).to_be_visible()
    page.get_by_label("I take part for the whole period", exact=False).check()
    page.get_by_label("Show my email address to the members of my group").check()
    page.get_by_role("button", name="Accept this group").click()
    expect(page.get_by_text("welcome to your working group")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Care")
    expect(
        page.get_by_role("navigation", name="Group space").get_by_role("link", name="Finding a date")
    ).to_be_visible()
    expect(page.get_by_role("link", name="newcomer@example.org")).to_be_visible()
    assert_accessible(page)
    group.refresh_from_db()
    assert group.status == GroupStatus.ACTIVE


def test_staff_filter_the_overview_and_see_a_stalled_group(
    page: Page, live_server: Any, sara: User, totp_secret: str
) -> None:
    from .test_editions import log_in_with_totp

    edition = make_edition()
    theme = edition.themes.get(slug="zorg")
    for key, started in (("STALL", 45), ("FRESH", 5)):
        WorkingGroup.objects.create(
            edition=edition,
            key=key,
            theme=theme,
            mode="video",
            language="en",
            slot="tue_am",
            min_size=3,
            max_size=5,
            proposed_size=4,
            status=GroupStatus.ACTIVE,
            circle=Circle.objects.create(name=key),
            activated_at=timezone.now() - timedelta(days=started),
        )
    log_in_with_totp(page, live_server.url, totp_secret)
    page.goto(f"/en/staff/groups/{edition.slug}/")
    expect(page.get_by_role("table")).to_contain_text("STALL")
    expect(page.get_by_role("table")).to_contain_text("FRESH")
    assert_accessible(page)
    page.get_by_label("Status").select_option("stalled")
    page.get_by_role("button", name="Filter").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("STALL")
    expect(table).to_contain_text("stalled: no meeting for 30 days")
    expect(table).not_to_contain_text("FRESH")
    assert_accessible(page)
