"""The demo's surveys, proposals and ballots: what a newcomer finds after `make run`."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.demo.surveys import CLOSED_BALLOT, NEEDS_TITLE_EN, OPEN_BALLOT, OPEN_TITLE_EN, load_surveys
from coopsip.editions.models import Theme
from coopsip.surveys.models import Response, Survey
from coopsip.surveys.selectors import open_for
from coopsip.votes.models import Ballot, ProposalStatus, ThemeProposal

pytestmark = pytest.mark.django_db


def test_the_networking_survey_was_piloted_in_liege_with_published_results(demo: dict[str, int]) -> None:
    survey = Survey.objects.get(title_en=NEEDS_TITLE_EN)
    answers = Response.objects.filter(survey=survey, submitted_at__isnull=False)
    assert answers.count() >= 30
    assert set(answers.values_list("in_pilot", flat=True)) == {True}
    assert set(answers.values_list("office__slug", flat=True)) == {"luik"}
    assert survey.results_published_at is not None and survey.has_closed()
    member = User.objects.get(email="vennoot@demo.coopsip.org")
    page = client_for(member).get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    assert page.count("<svg") >= 6 and "Written answers are not published." in page


def test_the_demo_member_has_an_open_survey_to_answer(demo: dict[str, int]) -> None:
    member = User.objects.get(email="vennoot@demo.coopsip.org")
    titles = [survey.title_en for survey, _response in open_for(member)]
    assert OPEN_TITLE_EN in titles


def test_proposals_in_every_state_with_supports(demo: dict[str, int]) -> None:
    states = set(ThemeProposal.objects.values_list("status", flat=True))
    assert states == set(ProposalStatus.values)
    assert ThemeProposal.objects.filter(by_board=True).exists()
    assert ThemeProposal.objects.filter(supports__isnull=False).distinct().count() >= 8


def test_a_closed_counted_ballot_made_the_next_editions_themes_and_another_is_open(demo: dict[str, int]) -> None:
    closed = Ballot.objects.get(title=CLOSED_BALLOT)
    assert closed.published_at and closed.themes_created_at and closed.result is not None
    assert len(closed.result["elected"]) == 2 and closed.result["paper"] == 6
    assert Theme.objects.filter(edition=closed.edition).count() >= 2
    open_ballot = Ballot.objects.get(title=OPEN_BALLOT)
    assert open_ballot.participations.count() >= 10 and open_ballot.counted_at is None


def test_loading_twice_adds_nothing(demo: dict[str, int]) -> None:
    before = load_surveys()
    assert load_surveys() == before


def test_each_ballot_is_held_at_its_general_assembly(demo: dict[str, int]) -> None:
    closed, coming = Ballot.objects.get(title=CLOSED_BALLOT), Ballot.objects.get(title=OPEN_BALLOT)
    assert closed.event is not None and closed.event.starts_at < closed.closes_at
    assert coming.event is not None and coming.event.starts_at < coming.closes_at
    member = User.objects.get(email="vennoot@demo.coopsip.org")
    event_page = client_for(member).get(reverse("events:detail", kwargs={"pk": coming.event.pk})).content.decode()
    assert "The vote of this general assembly" in event_page
    assert reverse("votes:ballot", kwargs={"pk": coming.pk}) in event_page
    ballot_page = client_for(member).get(reverse("votes:ballot", kwargs={"pk": coming.pk})).content.decode()
    assert "The general assembly" in ballot_page and "Sign up for the assembly" in ballot_page


@pytest.mark.parametrize(("language", "words"), [("nl", "Extra thema"), ("fr", "Thèmes supplémentaires")])
def test_the_ballots_read_in_the_readers_language_not_in_english(
    demo: dict[str, int], language: str, words: str
) -> None:
    member = User.objects.get(email="vennoot@demo.coopsip.org")
    with translation.override(language):
        url = reverse("votes:ballots")
    page = client_for(member).get(url).content.decode()
    assert words in page
    assert "Extra themes for France" not in page and "General assembly: themes" not in page
