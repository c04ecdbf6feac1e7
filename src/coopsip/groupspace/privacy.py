from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType

from coopsip.core import privacy
from coopsip.core.models import ChangeRecord
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
    _anonymise_documents(user)


def _anonymise_documents(user: Any) -> None:
    """The files a person shared stay with the group, stored and named ``document-<n>.<ext>``,
    without who added them; a title that was only the file's name goes too, also from the history
    (and for documents removed since, from the group's history)."""
    document_type = ContentType.objects.get_for_model(Document)
    for document in Document.objects.select_for_update().filter(added_by=user):
        replacements: dict[str, str] = {}
        if document.file_name:
            neutral = privacy.neutral_name("document", document.pk, document.file_name)
            replacements[document.file_name] = neutral
            if document.title == document.file_name:
                document.title = neutral
            document.file_name = neutral
        if document.file:
            privacy.move_to_neutral_name(document.file, kind="document", number=document.pk)
        document.added_by = None
        document.save(update_fields=["title", "file_name", "file", "added_by"])
        records = ChangeRecord.objects.filter(content_type=document_type, object_id=document.pk)
        privacy.scrub_history(records, replacements)
    existing = Document.objects.values_list("pk", flat=True)
    created = ChangeRecord.objects.filter(actor=user, content_type=document_type, action="created")
    for record in created.exclude(object_id__in=existing):
        title = str(record.changes.get("title", ""))
        if title:
            neutral_title = {title: privacy.neutral_name("removed-document", record.object_id, title)}
            privacy.scrub_history([record], neutral_title)
            deleted = ChangeRecord.objects.filter(action="document_deleted", changes__title=title)
            privacy.scrub_history(deleted, neutral_title)


privacy.register(
    "groupspace",
    export=_export,
    erase=_erase,
    models=("groupspace.DateAnswer",),
    # What a person wrote, proposed or shared with their group stays for the group, without their name.
    kept_models=("groupspace.DatePoll", "groupspace.Document", "groupspace.Thread", "groupspace.Post"),
)
