"""The demo of what became of recommendations: what a newcomer finds after `make run`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.core.models import OutgoingEmail
from coopsip.demo.recommendations_followup import load_recommendations_followup
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.recommendations.models import (
    BoardDecision,
    FollowUpProject,
    Publication,
    Recommendation,
    Synthesis,
    TestProject,
    TestProjectStatus,
)

pytestmark = pytest.mark.django_db


def test_a_visitor_finds_the_ethics_committee_of_2017_2018(demo: dict[str, int]) -> None:
    page = client_for(None).get(reverse("recommendations_public:outcomes"), {"edition": "2017-2018"})
    html = page.content.decode()
    assert "Een ethisch comité voor Smart oprichten" in html
    assert html.count("Accepted") >= 4
    ethics = Recommendation.objects.get(title="Een ethisch comité voor Smart oprichten")
    journey = client_for(None).get(reverse("recommendations_public:detail", kwargs={"pk": ethics.pk})).content.decode()
    assert "The ethics committee" in journey and "Ethics committee created" in journey
    assert "January 2018" in journey


def test_the_networking_recommendations_are_one_synthesis_with_actions_in_the_pipeline(demo: dict[str, int]) -> None:
    synthesis = Synthesis.objects.get(title_nl="Samen (net)werken")
    assert synthesis.sources.count() == 2
    project = FollowUpProject.objects.get(decision__synthesis=synthesis)
    assert project.status == "under_way"
    assert project.milestones.filter(reached_on__isnull=True).count() == 2


def test_the_demo_edition_has_a_merged_synthesis_a_published_and_a_waiting_decision(demo: dict[str, int]) -> None:
    syntheses = Synthesis.objects.filter(edition__slug=DEMO_EDITION)
    assert syntheses.filter(comments_open=True, comments__isnull=False).exists()
    decisions = BoardDecision.objects.filter(synthesis__edition__slug=DEMO_EDITION)
    assert decisions.filter(published_at__isnull=False).count() == 1
    assert decisions.filter(published_at__isnull=True).count() == 1
    assert FollowUpProject.objects.filter(decision__synthesis__edition__slug=DEMO_EDITION).exists()


def test_a_test_project_with_budget_expenses_and_evaluation(demo: dict[str, int]) -> None:
    project = TestProject.objects.get(group__edition__slug=DEMO_EDITION)
    assert project.status == TestProjectStatus.EVALUATED
    assert project.expenses.count() == 2
    assert sum(e.amount for e in project.expenses.all()) <= project.approved_amount
    assert project.log_entries.exclude(answer="").exists()


def test_the_publications_are_in_the_archive_and_nobody_was_emailed(demo: dict[str, int]) -> None:
    assert Publication.objects.filter(edition__slug="2017-2018", published_at__isnull=False).exists()
    page = client_for(None).get(reverse("recommendations_public:publication", kwargs={"slug": "2017-2018"}))
    assert page.status_code == 200 and "Een ethisch comité voor Smart oprichten" in page.content.decode()
    assert not OutgoingEmail.objects.filter(key__startswith="recommendations:").exists()


def test_loading_twice_adds_nothing(demo: dict[str, int]) -> None:
    before = load_recommendations_followup()
    assert load_recommendations_followup() == before
