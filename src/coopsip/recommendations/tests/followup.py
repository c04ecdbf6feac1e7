"""Builders for the follow-up tests: submitted recommendations without going through a whole consent round.

The group's side (drafts, consent, submission) is tested in test_services.py; these tests start where the
team takes over, so a recommendation is written as the group's services leave it once submitted.
"""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from django.utils import timezone

from coopsip.editions.models import Edition, Theme
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import (
    BoardDecision,
    DecisionKind,
    Recommendation,
    RecommendationStatus,
    RecommendationVersion,
    Synthesis,
)

_numbers = itertools.count(1)


def submitted(
    *,
    group: Any = None,
    theme: Theme | None = None,
    title: str = "",
    proposal: str = "",
    language: str = "en",
) -> Recommendation:
    theme = theme or group.theme
    number = next(_numbers)
    recommendation = Recommendation.objects.create(
        edition_id=theme.edition_id,
        theme=theme,
        group=group,
        title=title or f"Recommendation {number}",
        language=language,
        need="A need of the members.",
        proposal=proposal or f"Proposal number {number}.",
        status=RecommendationStatus.SUBMITTED,
        submitted_at=timezone.now(),
        version=1,
    )
    RecommendationVersion.objects.create(
        recommendation=recommendation, number=1, title=recommendation.title, proposal=recommendation.proposal
    )
    return recommendation


def to_board(staff: Any, *recommendations: Recommendation, title: str = "A synthesis") -> Synthesis:
    theme = recommendations[0].theme
    if len(recommendations) == 1:
        synthesis = services.keep_as_is(by=staff, theme=theme, recommendation_id=recommendations[0].pk)
    else:
        synthesis = services.merge_into_synthesis(
            by=staff,
            theme=theme,
            recommendation_ids=[r.pk for r in recommendations],
            title=title,
            text="One text for all.",
            language="en",
        )
    return services.send_to_board(by=staff, synthesis=synthesis)


def decided(
    staff: Any,
    *recommendations: Recommendation,
    kind: str = DecisionKind.ACCEPTED,
    publish: bool = True,
    edition: Edition | None = None,
) -> BoardDecision:
    synthesis = to_board(staff, *recommendations)
    decision = services.record_decision(
        by=staff,
        synthesis=synthesis,
        decision=kind,
        answers={"en": "The board agrees.", "nl": "Het bestuur is akkoord."},
        meeting_date=date(2018, 1, 15),
    )
    if publish:
        services.publish_decisions(by=staff, edition=edition or recommendations[0].edition)
        decision.refresh_from_db()
    return decision
