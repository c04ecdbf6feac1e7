"""Personal data of contributions: what a person shared, answered, marked useful, and their invitations.

A deleted account takes all of it: the person's contributions (with the answers under them and their files),
their answers to others, their useful marks and invitations. A contribution the team moved to the theme's
resources stays there as a resource, which names nobody.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from coopsip.contributions.models import Answer, Contribution, InvitedContributor, UsefulMark
from coopsip.core import privacy


def _export(user: Any) -> dict[str, Any]:
    return {
        "contributions": [
            {
                "theme": str(c.theme),
                "kind": c.kind,
                "title": c.title,
                "text": c.body,
                "link": c.url,
                "file": c.file_name,
                "language": c.language,
                "shared_at": c.created_at.isoformat(),
                "hidden_because": c.hidden_reason,
            }
            for c in Contribution.objects.filter(author=user).select_related("theme")
        ],
        "answers": [
            {"to": str(a.contribution), "text": a.body, "answered_at": a.created_at.isoformat()}
            for a in Answer.objects.filter(author=user).select_related("contribution")
        ],
        "marked_useful": [
            str(m.contribution) for m in UsefulMark.objects.filter(user=user).select_related("contribution")
        ],
        "invited_to_contribute": [
            {"edition": str(i.edition), "as": i.role}
            for i in InvitedContributor.objects.filter(user=user).select_related("edition")
        ],
    }


def _delete_on_commit(name: str, storage: Any) -> None:
    transaction.on_commit(lambda: storage.delete(name))


def _erase(user: Any) -> None:
    for contribution in Contribution.objects.filter(author=user).exclude(file=""):
        _delete_on_commit(contribution.file.name, contribution.file.storage)
    Answer.objects.filter(author=user).delete()
    UsefulMark.objects.filter(user=user).delete()
    Contribution.objects.filter(author=user).delete()
    InvitedContributor.objects.filter(user=user).delete()


privacy.register(
    "contributions",
    export=_export,
    erase=_erase,
    models=(
        "contributions.Contribution",
        "contributions.Answer",
        "contributions.UsefulMark",
        "contributions.InvitedContributor",
    ),
)
