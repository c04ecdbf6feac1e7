"""The demo's recommendations on the groups' side: what a newcomer finds after `make run`."""

from __future__ import annotations

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.core import personal_home
from coopsip.demo.recommendations_groups import load_recommendations_groups
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.groups.models import GroupStatus, WorkingGroup
from coopsip.recommendations.models import ConsentRound, Idea, Recommendation, RecommendationStatus

pytestmark = pytest.mark.django_db


def test_every_active_group_has_ideas_with_their_discussion(demo: dict[str, int]) -> None:
    active = WorkingGroup.objects.filter(edition__slug=DEMO_EDITION, status=GroupStatus.ACTIVE)
    assert active.exists()
    for group in active:
        ideas = Idea.objects.filter(group=group)
        assert ideas.count() == 3, group.key
        assert all(idea.thread is not None and idea.thread.circle_id == group.circle_id for idea in ideas)


def test_a_draft_with_three_versions_by_several_people(demo: dict[str, int]) -> None:
    drafts = Recommendation.objects.filter(status=RecommendationStatus.DRAFT, version=3, consent_rounds__isnull=True)
    draft = drafts.first()
    assert draft is not None
    assert draft.versions.values("author").distinct().count() >= 2
    html = client_for(User.objects.get(email="staff@demo.coopsip.org")).get(
        reverse("recommendations:version", kwargs={"group_pk": draft.group_id, "pk": draft.pk, "number": 3})
    )
    assert html.status_code == 200 and "<ins>" in html.content.decode()


def test_consent_rounds_closed_with_a_result_and_one_open(demo: dict[str, int]) -> None:
    assert ConsentRound.objects.filter(closed_at__isnull=True).count() >= 1
    assert ConsentRound.objects.filter(result="adopted").exists()
    blocked = ConsentRound.objects.get(result="blocked")
    assert blocked.answers.get(position="block").reason
    assert blocked.recommendation.status == RecommendationStatus.DRAFT


def test_two_submitted_recommendations_per_theme_of_the_active_groups(demo: dict[str, int]) -> None:
    themes = set(
        WorkingGroup.objects.filter(edition__slug=DEMO_EDITION, status=GroupStatus.ACTIVE).values_list(
            "theme_id", flat=True
        )
    )
    for theme in themes:
        assert Recommendation.objects.filter(theme_id=theme, submitted_at__isnull=False).count() >= 2, theme


def test_the_demo_member_is_asked_for_her_consent_on_her_personal_home(demo: dict[str, int]) -> None:
    lotte = User.objects.get(email="vennoot@demo.coopsip.org")
    assert any("A consent round closes" in item.title for item in personal_home.items_for(lotte))


def test_loading_twice_adds_nothing(demo: dict[str, int]) -> None:
    before = load_recommendations_groups()
    assert load_recommendations_groups() == before
    assert before["ideas"] == Idea.objects.count() > 0


def test_each_recommendation_says_what_its_title_promises(demo: dict[str, int]) -> None:
    topics = {"peter": "peter", "parrainage": "parrain", "ontbijt": "ontbijt", "petit-déjeuner": "petit-déjeuner"}
    topics |= {"materiaalbank": "materiaalbank", "matériauthèque": "matériauthèque"}
    proposals = set()
    checked = 0
    for recommendation in Recommendation.objects.filter(edition__slug=DEMO_EDITION, version__gte=2):
        text = recommendation.versions.get(number=recommendation.version)
        proposals.add(text.proposal)
        for in_title, in_text in topics.items():
            if in_title in recommendation.title.lower():
                assert in_text in text.proposal.lower(), (recommendation.title, text.proposal)
                checked += 1
    assert checked >= 3
    assert len(proposals) >= 3  # not one body for every title
