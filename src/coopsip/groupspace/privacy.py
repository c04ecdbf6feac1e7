from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.groupspace.models import DateAnswer, Document, Post


def _export(user: Any) -> dict[str, Any]:
    return {
        "date_answers": [
            {"poll": str(a.option.poll), "date": a.option.starts_at.isoformat(), "answer": a.answer}
            for a in DateAnswer.objects.filter(user=user).select_related("option__poll")
        ],
        "messages": [
            {"thread": str(p.thread), "written_at": p.created_at.isoformat(), "text": p.body}
            for p in Post.objects.filter(author=user).select_related("thread")
        ],
        "documents_added": [
            {"title": d.title, "added_at": d.added_at.isoformat()} for d in Document.objects.filter(added_by=user)
        ],
    }


def _erase(user: Any) -> None:
    DateAnswer.objects.filter(user=user).delete()


privacy.register(
    "groupspace",
    export=_export,
    erase=_erase,
    models=("groupspace.DateAnswer",),
    # What a person wrote, proposed or shared with their group stays for the group, without their name.
    kept_models=("groupspace.DatePoll", "groupspace.Document", "groupspace.Thread", "groupspace.Post"),
)
