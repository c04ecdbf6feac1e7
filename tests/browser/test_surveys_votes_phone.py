"""Issue 18 on a phone (390 × 844, Chromium, axe on every page): a member answers a survey with a scale, votes on
a ranked-choice ballot held at the general assembly (the event's page leads to it), and after the close reads the
published results of both; no page is wider than the screen.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from coopsip.events.models import Audience
from coopsip.events.services import EventInput, create_event
from coopsip.surveys import services as survey_services
from coopsip.surveys.models import Survey
from coopsip.surveys.services import QuestionInput
from coopsip.votes import services as vote_services
from coopsip.votes.models import Ballot, CastBallot, ProposalStatus

from .conftest import assert_accessible
from .test_surveys_votes import log_in, member

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide on a {PHONE['width']} px screen"


def test_a_member_answers_votes_and_reads_the_results_on_a_phone(page: Page, migration_rows: None) -> None:
    page.set_viewport_size(PHONE)
    now = timezone.now()
    noor = member("noor@example.org", "Noor", number="820001", language="en")
    others = [member(f"o{n}@example.org", f"O{n}", number=f"82001{n}", language="nl") for n in range(5)]

    survey = survey_services.create_survey(
        actor=None,
        values={
            "title_nl": "Tevredenheid",
            "title_en": "How was this year?",
            "opens_at": now - timedelta(days=1),
            "closes_at": now + timedelta(days=9),
        },
    )
    scale = survey_services.add_question(
        actor=None,
        survey=survey,
        data=QuestionInput(kind="scale5", texts={"nl": "Hoe tevreden?", "en": "How satisfied are you?"}, required=True),
    )
    again = survey_services.add_question(
        actor=None,
        survey=survey,
        data=QuestionInput(kind="yes_no", texts={"nl": "Opnieuw?", "en": "Would you take part again?"}),
    )
    for n, person in enumerate(others):
        survey_services.save_answers(
            survey=survey, user=person, raw={scale.pk: str(3 + n % 3), again.pk: "yes"}, submit=True
        )

    author = others[0]
    proposals = []
    for title in ("Care", "Housing", "Tools", "Food"):
        proposal = vote_services.propose_theme(
            author=author, title=title, challenge="A challenge", why_now="", country="BE", language="en"
        )
        proposals.append(
            vote_services.decide_proposal(actor=None, proposal=proposal, status=ProposalStatus.SHORTLISTED)
        )
    starts = now.replace(microsecond=0) + timedelta(days=5)
    assembly = create_event(
        by=None,
        data=EventInput(
            titles={"nl": "Algemene vergadering", "en": "General assembly"},
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            address="Rue Emile Féron 70, 1060 Bruxelles",
            capacity=200,
            audience=Audience.MEMBERS,
        ),
    )
    ballot = vote_services.create_ballot(
        actor=None,
        title="Themes 2027",
        method="instant_runoff",
        seats=1,
        opens_at=now - timedelta(hours=1),
        closes_at=now + timedelta(days=6),
        proposals=proposals,
        event=assembly,
    )

    log_in(page, noor.email)
    # The survey, from the header's list.
    page.goto("/en/surveys/")
    fits_the_screen(page)
    assert_accessible(page)
    page.get_by_role("link", name="How was this year?").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How was this year?")
    fits_the_screen(page)
    assert_accessible(page)
    page.locator(f"input[name=q{scale.pk}][value='4']").check()
    page.locator(f"input[name=q{again.pk}][value=yes]").check()
    page.locator("button[name=send]").click()
    expect(page.locator("#sent")).to_be_visible()
    fits_the_screen(page)

    # The vote, from the general assembly's page.
    page.goto(f"/en/events/{assembly.pk}/")
    fits_the_screen(page)
    page.get_by_role("link", name="Vote now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Themes 2027")
    expect(page.get_by_role("heading", name="The general assembly")).to_be_visible()
    fits_the_screen(page)
    assert_accessible(page)
    page.get_by_label("Rank of Tools").select_option("1")
    page.get_by_label("Rank of Care").select_option("2")
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your receipt code:")).to_be_visible()
    expect(page.get_by_label("Rank of Tools")).to_have_value("1")
    fits_the_screen(page)
    assert_accessible(page)
    assert CastBallot.objects.filter(ballot=ballot).count() == 1

    # After the close: both results published, read on the phone.
    # A ballot's choices are its options (not the proposals' ids, which differ once other tests made proposals).
    second = ballot.options.get(proposal=proposals[1]).pk
    for person in others:
        vote_services.cast_vote(ballot=ballot, user=person, choices=[second])
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    survey_services.publish_results(actor=None, survey=survey)
    Ballot.objects.filter(pk=ballot.pk).update(closes_at=timezone.now() - timedelta(seconds=1))
    counted = vote_services.count_ballot(actor=None, ballot=Ballot.objects.get(pk=ballot.pk))
    vote_services.publish_result(actor=None, ballot=counted)

    page.goto(f"/en/surveys/{survey.pk}/results/")
    expect(page.get_by_role("heading", name="1. How satisfied are you?")).to_be_visible()
    fits_the_screen(page)
    assert_accessible(page)
    page.goto(f"/en/votes/ballots/{ballot.pk}/")
    expect(page.get_by_role("heading", name="Check your receipt")).to_be_visible()
    expect(page.get_by_text("Housing").first).to_be_visible()
    fits_the_screen(page)
    assert_accessible(page)
