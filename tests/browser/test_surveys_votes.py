"""Journeys of issue 18 with axe-core on each page: a member in Liège answers the pilot survey in French,
a question appearing after her answer; a member votes, changes the vote and checks the receipt after the close;
staff publish a survey's results and a member reads them with their charts; a member proposes a theme and
another member supports it; staff count and publish the vote and make the elected themes themes of the next
edition.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from conftest import PASSWORD, link_to_register, make_person
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Office
from coopsip.surveys import services as survey_services
from coopsip.surveys.models import Response, Survey
from coopsip.surveys.services import QuestionInput
from coopsip.votes import services as vote_services
from coopsip.votes.models import Ballot, CastBallot, ProposalStatus, Support, ThemeProposal

from .conftest import assert_accessible, label
from .test_editions import log_in_with_totp

pytestmark = pytest.mark.browser


def member(email: str, first_name: str, *, number: str, language: str, office: str = "") -> User:
    user = make_person(email, first_name=first_name, last_name="Leroy", preferred_language=language)
    if office:
        user.office, _created = Office.objects.get_or_create(
            slug=office, defaults={"name": "Liège", "country": "BE", "latitude": 50.6, "longitude": 5.6}
        )
        user.save(update_fields=["office"])
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def log_in(page: Page, email: str) -> None:
    # The first page a fresh live server renders can take long on a loaded machine (templates, catalogues).
    page.goto("/en/accounts/login/", timeout=60_000)
    page.get_by_label(label("Email")).fill(email)
    page.get_by_label(label("Password")).fill(PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    # After logging in the site speaks the person's language: the log-out form, whatever its words.
    expect(page.locator("form[action*='logout'] button")).to_be_attached()


def test_a_member_in_liege_answers_the_pilot_in_french_with_a_condition(page: Page, migration_rows: None) -> None:
    camille = member("camille@example.org", "Camille", number="810001", language="fr", office="luik")
    liege = Office.objects.get(slug="luik")
    now = timezone.now()
    survey = survey_services.create_survey(
        actor=None,
        values={
            "title_nl": "Netwerkbehoeften",
            "title_fr": "Besoins de réseau",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=9),
            "pilot_office": liege,
        },
    )
    looking = survey_services.add_question(
        actor=None,
        survey=survey,
        data=QuestionInput(
            kind="yes_no",
            texts={"nl": "Zoek je medewerkers?", "fr": "Cherchez-vous des collaborateurs ?"},
            required=True,
        ),
    )
    survey_services.add_question(
        actor=None,
        survey=survey,
        data=QuestionInput(
            kind="short_text",
            texts={"nl": "Welke?", "fr": "Lesquels ?"},
            required=True,
            condition_question=looking.pk,
            condition_answer="oui",
        ),
    )
    log_in(page, camille.email)
    page.goto(f"/fr/surveys/{survey.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Besoins de réseau")
    expect(page.get_by_text("Lesquels ?")).to_have_count(0)
    assert_accessible(page)
    page.locator(f"input[name=q{looking.pk}][value=yes]").check()
    page.locator("button[name=save]").click()
    expect(page.get_by_text("Lesquels ?")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("textbox").fill("Un ingénieur du son")
    page.locator("button[name=send]").click()
    expect(page.locator("#sent")).to_be_visible()
    response = Response.objects.get(survey=survey)
    assert response.in_pilot and response.submitted_at is not None
    assert response.answers.get(question__kind="short_text").text == "Un ingénieur du son"


def test_a_member_votes_changes_the_vote_and_checks_the_receipt(page: Page, migration_rows: None) -> None:
    lotte = member("lotte.vote@example.org", "Lotte", number="810002", language="en")
    author = member("author@example.org", "Ann", number="810003", language="nl")
    proposals = []
    for title in ("Care", "Housing", "Tools"):
        proposal = vote_services.propose_theme(
            author=author, title=title, challenge="A challenge", why_now="", country="BE", language="en"
        )
        proposals.append(
            vote_services.decide_proposal(actor=None, proposal=proposal, status=ProposalStatus.SHORTLISTED)
        )
    now = timezone.now()
    ballot = vote_services.create_ballot(
        actor=None,
        title="Themes 2027",
        method="approval",
        seats=1,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        proposals=proposals,
    )
    log_in(page, lotte.email)
    page.goto("/en/me/")
    page.get_by_role("link", name="Vote", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes 2027")
    assert_accessible(page)
    page.get_by_label("Care").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your receipt code:")).to_be_visible()
    page.get_by_label("Care").uncheck()
    page.get_by_label("Tools").check()
    page.get_by_role("button", name="Change my vote").click()
    code = page.locator("#receipt code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    assert_accessible(page)
    assert CastBallot.objects.filter(ballot=ballot).count() == 1
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    page.goto(f"/en/votes/ballots/{ballot.pk}/")
    page.get_by_label("Receipt code").fill(code)
    page.get_by_role("button", name="Check").click()
    expect(page.get_by_text("This receipt matches a ballot cast with these choices: Tools.")).to_be_visible()
    assert_accessible(page)


def test_staff_publish_the_results_and_a_member_reads_them_with_charts(
    page: Page, browser: Browser, live_server: Any, sara: User, totp_secret: str
) -> None:
    now = timezone.now()
    survey = survey_services.create_survey(
        actor=None,
        values={
            "title_nl": "Netwerkbehoeften",
            "title_en": "Networking needs",
            "opens_at": now - timedelta(days=10),
            "closes_at": now + timedelta(days=1),
        },
    )
    looking = survey_services.add_question(
        actor=None,
        survey=survey,
        data=QuestionInput(kind="yes_no", texts={"nl": "Zoek je medewerkers?", "en": "Do you look for collaborators?"}),
    )
    written = survey_services.add_question(
        actor=None, survey=survey, data=QuestionInput(kind="short_text", texts={"nl": "Wie?", "en": "Who?"})
    )
    reader = member("reader@example.org", "Rik", number="810010", language="en")
    people = [reader] + [member(f"p{n}@example.org", f"P{n}", number=f"81002{n}", language="nl") for n in range(5)]
    for n, person in enumerate(people):
        survey_services.save_answers(
            survey=survey,
            user=person,
            raw={looking.pk: "yes" if n < 4 else "no", written.pk: f"a secret text {n}"},
            submit=True,
        )
    Survey.objects.filter(pk=survey.pk).update(closes_at=now - timedelta(days=1))

    page.goto("/en/accounts/login/", timeout=60_000)  # a fresh live server's first page can be slow
    log_in_with_totp(page, live_server.url, totp_secret)
    page.goto(f"/en/staff/surveys/{survey.pk}/results/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Results")
    assert_accessible(page)
    page.get_by_role("link", name="Publish the results").click()
    expect(page.get_by_text("Written answers are never published")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the results").click()
    # Staff land on the page as the audience sees it.
    expect(page.get_by_role("status")).to_contain_text("The results are published for the survey's audience.")
    expect(page.get_by_text("Written answers are not published.")).to_be_visible()
    assert_accessible(page)

    # A member of the audience finds the results from the header's "Surveys".
    other = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/Brussels")
    try:
        visitor_page = other.new_page()
        log_in(visitor_page, reader.email)
        visitor_page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
        expect(visitor_page.get_by_role("heading", level=1)).to_have_text("Surveys")
        assert_accessible(visitor_page)
        visitor_page.get_by_role("link", name="Networking needs").click()
        expect(visitor_page.locator("main p", has_text="Only totals are shown")).to_contain_text("6 people answered.")
        chart = visitor_page.locator("figure.chart")
        expect(chart).to_have_count(1)
        # Six answers split 4 / 2: both counts could single people out, so neither is drawn or printed.
        expect(chart.locator("svg")).to_have_count(0)
        expect(chart.get_by_role("row", name="yes fewer than 5")).to_be_visible()
        expect(chart.get_by_role("row", name="no fewer than 5")).to_be_visible()
        expect(visitor_page.get_by_text("Written answers are not published.")).to_be_visible()
        expect(visitor_page.get_by_text("a secret text")).to_have_count(0)
        assert_accessible(visitor_page)
    finally:
        other.close()


def test_a_member_proposes_a_theme_and_another_member_supports_it(
    page: Page, browser: Browser, live_server: Any, migration_rows: None
) -> None:
    ines = member("ines@example.org", "Inès", number="810030", language="en")
    tom = member("tom@example.org", "Tom", number="810031", language="en")
    log_in(page, ines.email)
    page.goto("/en/me/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Themes and votes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes proposed for the next edition")
    assert_accessible(page)
    page.get_by_role("link", name="Propose a theme").click()
    page.get_by_label(label("Title of the theme")).fill("Working from shared studios")
    page.get_by_label(label("The challenge it answers")).fill("Freelancers work alone; studios cost too much.")
    page.get_by_label(label("Why now")).fill("Three offices have free rooms this year.")
    assert_accessible(page)
    page.get_by_role("button", name="Propose the theme").click()
    expect(page.get_by_text("Thank you: your theme is proposed.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Working from shared studios")
    expect(page.get_by_role("button", name="Support this theme")).to_have_count(0)  # not one's own
    assert_accessible(page)

    other = browser.new_context(base_url=live_server.url, locale="en-GB", timezone_id="Europe/Brussels")
    try:
        tom_page = other.new_page()
        log_in(tom_page, tom.email)
        tom_page.get_by_role("navigation", name="Main").get_by_role("link", name="Themes and votes").click()
        tom_page.get_by_role("link", name="Working from shared studios").click()
        expect(tom_page.get_by_text("0 supports")).to_be_visible()
        tom_page.get_by_role("button", name="Support this theme").click()
        expect(tom_page.get_by_text("You support this theme.").first).to_be_visible()
        expect(tom_page.get_by_text("1 support", exact=False).first).to_be_visible()
        assert_accessible(tom_page)
        # Supporting twice (a second click, another tab) still counts once.
        tom_page.goto(tom_page.url)
        expect(tom_page.get_by_role("button", name="Withdraw my support")).to_be_visible()
    finally:
        other.close()
    proposal = ThemeProposal.objects.get(title="Working from shared studios")
    assert proposal.author == ines and proposal.language == "en"
    assert list(Support.objects.filter(proposal=proposal).values_list("user__email", flat=True)) == [tom.email]


def test_staff_count_publish_the_vote_and_make_the_elected_themes_of_the_next_edition(
    page: Page, live_server: Any, sara: User, totp_secret: str
) -> None:
    author = member("author2@example.org", "Ann", number="810040", language="en")
    voters = [member(f"v{n}@example.org", f"V{n}", number=f"81005{n}", language="en") for n in range(3)]
    proposals = []
    for title in ("Care", "Housing", "Tools"):
        proposal = vote_services.propose_theme(
            author=author, title=title, challenge="A challenge", why_now="", country="BOTH", language="en"
        )
        proposals.append(
            vote_services.decide_proposal(actor=None, proposal=proposal, status=ProposalStatus.SHORTLISTED)
        )
    today = timezone.localdate()
    edition = Edition.objects.create(
        slug="next",
        title_nl="Volgende editie",
        title_en="Next edition",
        in_belgium=True,
        in_france=True,
        starts_on=today + timedelta(days=100),
        ends_on=today + timedelta(days=300),
    )
    now = timezone.now()
    ballot = vote_services.create_ballot(
        actor=None,
        title="Themes 2027",
        method="approval",
        seats=1,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=1),
        proposals=proposals,
        edition=edition,
    )
    ids = {o.proposal.title: o.pk for o in ballot.options.select_related("proposal")}
    for person, choice in zip(voters, ("Care", "Care", "Tools"), strict=True):
        vote_services.cast_vote(ballot=ballot, user=person, choices=[ids[choice]])
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    page.goto("/en/accounts/login/", timeout=60_000)  # a fresh live server's first page can be slow
    log_in_with_totp(page, live_server.url, totp_secret)
    page.goto(f"/en/staff/votes/ballots/{ballot.pk}/")
    expect(page.get_by_text("3 members voted online.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Count the ballot").click()
    expect(page.get_by_role("button", name="Publish the result")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Publish the result").click()
    expect(page.get_by_text(re.compile(r"Published on "))).to_be_visible()
    page.get_by_role("link", name="Make the elected proposals themes of the next edition").click()
    expect(page.get_by_text("Elected:")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Create the themes").click()
    expect(page.get_by_text(re.compile(r"1 themes? (was|were) added to"))).to_be_visible()
    assert list(edition.themes.values_list("title_en", flat=True)) == ["Care"]
