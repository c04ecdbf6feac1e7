"""Personal data in the recommendations: what a person wrote is exported; on deletion their consent
answers go, and what they wrote for their group or the cooperative stays without their name."""

from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.recommendations.models import ConsentAnswer, Idea, RecommendationVersion, SynthesisComment


def _export(user: Any) -> dict[str, Any]:
    return {
        "ideas": [
            {"title": i.title, "text": i.text, "added_at": i.created_at.isoformat()}
            for i in Idea.objects.filter(author=user)
        ],
        "versions_saved": [
            {"recommendation": v.title, "version": v.number, "saved_at": v.created_at.isoformat()}
            for v in RecommendationVersion.objects.filter(author=user)
        ],
        "consent_answers": [
            {
                "recommendation": str(a.round.recommendation),
                "answer": a.position,
                "reason": a.reason,
                "answered_at": a.answered_at.isoformat(),
            }
            for a in ConsentAnswer.objects.filter(user=user).select_related("round__recommendation")
        ],
        "synthesis_comments": [
            {"synthesis": str(c.synthesis), "text": c.text, "written_at": c.created_at.isoformat()}
            for c in SynthesisComment.objects.filter(author=user).select_related("synthesis")
        ],
    }


def _erase(user: Any) -> None:
    # A closed round keeps its counts; an open one simply loses the answer.
    ConsentAnswer.objects.filter(user=user).delete()


privacy.register(
    "recommendations",
    export=_export,
    erase=_erase,
    models=("recommendations.ConsentAnswer",),
    # Ideas, drafts, comments, decisions and projects are the group's or the cooperative's record:
    # they stay, pointing to the anonymous account.
    kept_models=(
        "recommendations.Idea",
        "recommendations.Recommendation",
        "recommendations.RecommendationVersion",
        "recommendations.ConsentRound",
        "recommendations.Synthesis",
        "recommendations.SynthesisComment",
        "recommendations.BoardDecision",
        "recommendations.ProjectUpdate",
        "recommendations.TestProject",
        "recommendations.Expense",
        "recommendations.TestProjectLogEntry",
        "recommendations.Evaluation",
        "recommendations.Publication",
    ),
)
