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
)
from coopsip.recommendations.models import TestProject as GroupTestProject
from coopsip.recommendations.models import TestProjectStatus as GroupTestProjectStatus

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
    project = GroupTestProject.objects.get(group__edition__slug=DEMO_EDITION)
    assert project.status == GroupTestProjectStatus.EVALUATED
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


def test_a_synthesis_open_to_every_member_with_its_info_moment(demo: dict[str, int]) -> None:
    from coopsip.accounts.models import User

    synthesis = Synthesis.objects.get(edition__slug=DEMO_EDITION, info_event__isnull=False)
    assert synthesis.comments_open and synthesis.status == "with_groups" and synthesis.comments.exists()
    assert synthesis.info_event is not None and synthesis.info_event.kind == "info_session"
    member = User.objects.get(email="vennoot@demo.coopsip.org")
    home = client_for(member).get("/en/me/").content.decode()
    assert "A synthesis of recommendations is open for your comments" in home
    page = client_for(member).get(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))
    assert page.status_code == 200 and "Add my comment" in page.content.decode()


def test_the_archive_is_found_by_a_search(demo: dict[str, int]) -> None:
    page = client_for(None).get("/en/outcomes/", {"q": "ethische comités"}).content.decode()
    assert "Een ethisch comité voor Smart oprichten" in page


def test_the_journeys_read_in_time_order_and_the_evaluated_test_project_is_over(demo: dict[str, int]) -> None:
    from django.utils import timezone

    from coopsip.recommendations.models import ConsentRound, Recommendation

    for recommendation in Recommendation.objects.filter(submitted_at__isnull=False):
        for version in recommendation.versions.all():
            assert version.created_at <= recommendation.submitted_at, (recommendation.title, version.number)
    for consent_round in ConsentRound.objects.select_related("recommendation"):
        for version in consent_round.recommendation.versions.all():
            assert version.created_at < consent_round.opened_at, (consent_round.recommendation.title, version.number)
    evaluated = GroupTestProject.objects.filter(evaluation__isnull=False)
    assert evaluated.exists()
    assert all(project.ends_on < timezone.localdate() for project in evaluated)


def test_the_team_is_offered_two_alike_recommendations_to_merge(demo: dict[str, int]) -> None:
    from coopsip.accounts.models import User
    from coopsip.demo.recommendations_groups import ALIKE_TITLES
    from coopsip.recommendations.models import Recommendation, RecommendationStatus

    titles = [title for pair in ALIKE_TITLES.values() for title in pair]
    alike = list(Recommendation.objects.filter(edition__slug=DEMO_EDITION, title__in=titles))
    assert len(alike) == 2 and all(r.status == RecommendationStatus.SUBMITTED for r in alike)
    staff = User.objects.get(email="staff@demo.coopsip.org")
    page = (
        client_for(staff)
        .get(reverse("recommendations_staff:theme", kwargs={"theme_id": alike[0].theme_id}))
        .content.decode()
    )
    assert "No two submitted recommendations look alike." not in page
    assert alike[0].title in page and alike[1].title in page
