"""A person's proposals and supports. Their votes are secret: the download says only on which ballots they voted."""

from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.votes.models import Participation, Support, ThemeProposal


def _export(user: Any) -> dict[str, Any]:
    return {
        "theme_proposals": [
            {"title": p.title, "challenge": p.challenge, "why_now": p.why_now, "proposed_on": p.created_at.isoformat()}
            for p in ThemeProposal.objects.filter(author=user)
        ],
        "supported_themes": [str(s.proposal) for s in Support.objects.filter(user=user).select_related("proposal")],
        "voted_on": [str(p.ballot) for p in Participation.objects.filter(user=user).select_related("ballot")],
    }


def _erase(user: Any) -> None:
    Support.objects.filter(user=user).delete()
    # Proposals stay as the cooperative's record of the debate, without their author; participations
    # stay (pointing to the anonymous account, and to the register entry the cooperative keeps anyway) so
    # that turnout still matches the ballots counted and a new account of the same member cannot vote again.
    ThemeProposal.objects.filter(author=user).update(author=None)


privacy.register(
    "votes",
    export=_export,
    erase=_erase,
    models=("votes.Support", "votes.ThemeProposal"),
    kept_models=("votes.Participation", "votes.Ballot", "votes.RoomCount"),
)
