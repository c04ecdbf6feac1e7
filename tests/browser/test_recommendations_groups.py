"""Journey of the group's side of recommendations: the secretary drafts a recommendation from an idea,
saves a second version, opens a consent round; members answer (one from their personal home); the secretary
closes the round and submits the adopted recommendation. axe-core checks each page visited.

The group is made with the groups' test factories (no engine run); everything else goes through the pages.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD
from coopsip.accounts.models import User
from coopsip.groups.tests.factories import accept_all, make_edition, opened_group
from coopsip.recommendations import services
from coopsip.recommendations.models import ConsentAnswer, Recommendation, RecommendationStatus

from .conftest import assert_accessible, label
from .test_groups import log_out

pytestmark = pytest.mark.browser


def log_in(page: Page, email: str) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label(label("Email")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=re.compile(r"^(Sign In|Log in)$")).click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()


def test_a_secretary_drafts_and_the_group_consents(page: Page, migration_rows: None, sara: User) -> None:
    edition = make_edition()
    group = opened_group(edition, sara, 4)
    accept_all(group)
    group.refresh_from_db()
    services.add_idea(
        by=User.objects.get(email="m2@example.org"),
        group=group,
        title="A tool library",
        text="Lend tools to each other.",
        language="en",
        notify=False,
    )

    # The secretary finds the group's ideas from the group page and turns the idea into a draft.
    log_in(page, "m1@example.org")
    page.goto(f"/en/groups/{group.pk}/")
    page.get_by_role("link", name="Ideas and recommendations of the group").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ideas and recommendations")
    assert_accessible(page)
    page.get_by_role("link", name="Turn “A tool library” into a draft").click()
    assert_accessible(page)
    page.get_by_label(label("Title of the recommendation")).fill("A tool library in every office")
    page.get_by_role("button", name="Make the draft").click()
    expect(page.get_by_text("The draft is made: version 1.")).to_be_visible()
    assert_accessible(page)

    # A second version, then the difference between the two.
    page.get_by_role("link", name="Edit the text").click()
    page.get_by_label(label("The need it answers")).fill("Members buy tools they rarely use.")
    page.get_by_label(label("What did you change?")).fill("Wrote the need")
    assert_accessible(page)
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible()
    page.get_by_role("link", name="Version 2", exact=True).click()
    expect(page.locator(".diff ins")).to_contain_text("Members buy tools")
    assert_accessible(page)
    page.go_back()

    # The consent round, open until next week.
    closes = (timezone.localdate() + timedelta(days=7)).isoformat()
    page.get_by_label(label("Answers until (date)")).fill(closes)
    page.get_by_role("button", name="Open a consent round").click()
    expect(page.get_by_text("The consent round is open")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Give or change your answer").click()
    page.get_by_label("agree", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is recorded.")).to_be_visible()
    assert_accessible(page)
    log_out(page)

    # A member is asked on their personal home, and disagrees at first, then agrees.
    log_in(page, "m2@example.org")
    page.goto("/en/me/")
    page.get_by_role("link", name="Give your answer").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consent round")
    page.get_by_label("disagree", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why you disagree or block")
    assert_accessible(page)
    page.get_by_label("agree", exact=True).check()
    page.get_by_role("button", name="Send my answer").click()
    expect(page.get_by_text("Your answer is recorded.")).to_be_visible()
    log_out(page)
    recommendation = Recommendation.objects.get()
    assert ConsentAnswer.objects.filter(round__recommendation=recommendation, position="agree").count() == 2

    # The secretary closes the round early (after confirming) and submits the adopted recommendation.
    log_in(page, "m1@example.org")
    page.goto(f"/en/recommendations/group/{group.pk}/{recommendation.pk}/")
    page.get_by_role("link", name="Give or change your answer").click()
    page.get_by_role("link", name="Close the round now").click()
    assert_accessible(page)
    page.get_by_role("button", name="Close the round").click()
    expect(page.get_by_text("The round is closed: adopted.")).to_be_visible()
    page.get_by_role("link", name="Submit to the team").click()
    assert_accessible(page)
    page.get_by_role("button", name="Submit to the team").click()
    expect(page.get_by_text("The recommendation is submitted to the team.")).to_be_visible()
    assert_accessible(page)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.SUBMITTED
