"""Journeys after the group, with axe-core on each page: staff merge two recommendations; a board member
records a decision and publishes it; a visitor finds what became of the 2017-2018 recommendations."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import Page, expect

from conftest import PASSWORD, make_person
from coopsip.accounts.models import User
from coopsip.core.access import BOARD_GROUP
from coopsip.editions.models import Edition, Theme
from coopsip.groups.tests.factories import accept_all, make_edition, opened_groups
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.tests.followup import decided, submitted, to_board

from .conftest import assert_accessible, label
from .test_editions import totp_code

pytestmark = pytest.mark.browser


def _groups(staff: User) -> list[Any]:
    edition = make_edition()
    made = opened_groups(edition, staff, [4, 4])
    for group in made:
        accept_all(group)
    return made


def test_staff_merge_two_recommendations(page: Page, live_server: Any, sara: User, totp_secret: str) -> None:
    groups = _groups(sara)
    first = submitted(
        group=groups[0], title="An ethics committee", proposal="Create an ethics committee that advises the board."
    )
    second = submitted(
        group=groups[1], title="Ethics advice", proposal="The board should create an ethics committee to advise it."
    )
    submitted(group=groups[1], title="Shared vans", proposal="Share delivery vans between members in Ghent.")
    _log_in(page, "sara@example.org", totp_secret)
    page.goto(f"/en/staff/recommendations/{first.edition.slug}/")
    assert_accessible(page)
    page.get_by_role("link", name="Care").click()
    expect(page.get_by_role("heading", name="Recommendations that say much the same")).to_be_visible()
    expect(page.get_by_text(re.compile(r"An ethics committee ↔ Ethics advice"))).to_be_visible()
    assert_accessible(page)
    merge = page.get_by_role("region", name="Merge into one synthesis")
    merge.get_by_label("An ethics committee").check()
    merge.get_by_label("Ethics advice").check()
    merge.get_by_label(label("Title of the synthesis")).fill("One ethics committee for Smart")
    merge.get_by_role("button", name="Merge").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("One ethics committee for Smart")
    sources = page.locator("ul.sources")
    expect(sources).to_contain_text("An ethics committee")
    expect(sources).to_contain_text("Ethics advice")
    assert_accessible(page)
    page.get_by_role("button", name="Tell the groups and ask their comments").click()
    expect(page.get_by_text("The groups concerned are told (8 people).")).to_be_visible()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == "in_synthesis"


# The login button's words changed once ("Sign In" from allauth, "Log in" in our templates).
SIGN_IN = re.compile(r"^(Sign In|Log in)$")


def _log_in(page: Page, email: str, secret: str) -> None:
    page.goto("/en/accounts/login/")
    page.get_by_label(label("Email")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name=SIGN_IN).click()
    expect(page).to_have_url(re.compile(r"/en/accounts/2fa/authenticate/"))
    page.get_by_role("textbox", name="Code").fill(totp_code(secret))
    page.get_by_role("main").get_by_role("button", name=SIGN_IN).click()
    expect(page.get_by_role("navigation", name="Account").get_by_role("button", name="Log out")).to_be_visible()


def test_a_board_member_records_a_decision_and_publishes_it(
    page: Page, live_server: Any, sara: User, totp_secret: str
) -> None:
    marc = make_person("marc@example.org", first_name="Marc", last_name="Lambert", preferred_language="en")
    marc.groups.add(Group.objects.get_or_create(name=BOARD_GROUP)[0])
    TOTP.activate(marc, totp_secret)
    groups = _groups(sara)
    recommendation = submitted(group=groups[0], title="Make financial information readable")
    synthesis = to_board(sara, recommendation)
    _log_in(page, "marc@example.org", totp_secret)
    page.goto(f"/en/board/recommendations/{recommendation.edition.slug}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("The board's bundle")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Record the decision")).click()
    assert_accessible(page)
    page.get_by_label(label("Decision")).select_option(label="accepted with changes")
    page.get_by_label(label("Board meeting")).fill("2026-01-20")
    page.get_by_label(label("Answer in English")).fill("Yes, with one page per office.")
    page.get_by_label(label("Answer in Dutch")).fill("Ja, met één pagina per kantoor.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The decision is recorded.")).to_be_visible()
    expect(page.get_by_text("1 decision is recorded and not published yet.")).to_be_visible()
    page.get_by_role("link", name="Publish the decisions").click()
    expect(page.get_by_text("This publishes 1 decision at once.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish them now").click()
    expect(page.get_by_text("1 decision is published. 4 members of the groups concerned are told.")).to_be_visible()
    synthesis.refresh_from_db()
    assert synthesis.decision.published_at is not None


def test_a_visitor_finds_what_became_of_the_2017_2018_recommendations(
    page: Page, live_server: Any, sara: User, migration_rows: None
) -> None:
    sip2 = Edition.objects.create(
        slug="2017-2018", sip_number=2, title_nl="Smart in Progress 2017-2018", title_en="Smart in Progress 2017-2018",
        starts_on=date(2017, 6, 20), ends_on=date(2018, 6, 30), published_at=timezone.now() - timedelta(days=1),
    )  # fmt: skip
    ethics = Theme.objects.create(edition=sip2, slug="ethics-committee", title_en="An ethics committee", position=0)
    it = Theme.objects.create(edition=sip2, slug="it-tools", title_en="IT tools", position=1)
    recommendation = submitted(theme=ethics, title="A framework for an ethics committee")
    decision = decided(sara, recommendation)
    project = services.create_project(
        by=sara, decision=decision, titles={"en": "The ethics committee"}, started_on=date(2018, 2, 1)
    )
    milestone = services.add_milestone(
        by=sara, project=project, titles={"en": "Ethics committee created"}, due_on=date(2019, 12, 31)
    )
    services.reach_milestone(by=sara, milestone=milestone, on=date(2019, 12, 31))
    services.change_project(by=sara, project=project, status="done", progress=100)
    decided(sara, submitted(theme=it, title="A space for advice on the IT tools"))
    make_edition()  # a later edition, with nothing decided

    page.goto("/en/editions/")
    assert_accessible(page)
    page.get_by_role("link", name="What became of our recommendations").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What became of our recommendations")
    assert_accessible(page)
    page.get_by_label(label("Edition")).select_option(label="Smart in Progress 2017-2018")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("2 recommendations")).to_be_visible()
    page.get_by_label(label("Project")).select_option(label="done")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 recommendation", exact=True)).to_be_visible()
    page.get_by_role("link", name="A framework for an ethics committee").click()
    journey = page.get_by_role("region", name="Its journey")
    expect(journey).to_contain_text("The board agrees.")
    expect(journey).to_contain_text("The ethics committee — done, 100%")
    expect(journey).to_contain_text("Ethics committee created")
    assert_accessible(page)


def test_a_visitor_searches_and_staff_open_a_synthesis_with_its_info_moment(
    page: Page, live_server: Any, sara: User, totp_secret: str
) -> None:
    from coopsip.recommendations.models import Recommendation
    from coopsip.recommendations.search import index_recommendations

    groups = _groups(sara)
    ethics = submitted(group=groups[0], title="An ethics committee", proposal="Advice on ethical questions.")
    vans = submitted(group=groups[1], title="Shared vans", proposal="Members share delivery vans.")
    index_recommendations(Recommendation.objects.filter(pk__in=[ethics.pk, vans.pk]))
    decided(sara, ethics)
    decided(sara, vans)
    page.goto("/en/outcomes/")
    page.get_by_role("search").get_by_label(label("Words")).fill("committees")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 recommendation", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="An ethics committee")).to_be_visible()
    expect(page.get_by_role("link", name="Shared vans")).to_have_count(0)
    assert_accessible(page)

    first = submitted(group=groups[0], title="A tool library", proposal="Lend tools.")
    synthesis = services.keep_as_is(by=sara, theme=first.theme, recommendation_id=first.pk)
    _log_in(page, "sara@example.org", totp_secret)
    page.goto(f"/en/staff/recommendations/synthesis/{synthesis.pk}/")
    page.get_by_role("link", name="Open to every member, with an info moment…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Open to every member, with an info moment")
    assert_accessible(page)
    page.get_by_label(label("Video link")).fill("https://meet.example.org/sip")
    page.get_by_role("button", name="Open it and create the info moment").click()
    expect(page.get_by_text("the info moment is planned")).to_be_visible()
    expect(page.get_by_role("link", name="Info moment: A tool library")).to_be_visible()
    assert_accessible(page)
    synthesis.refresh_from_db()
    assert synthesis.comments_open and synthesis.info_event is not None
