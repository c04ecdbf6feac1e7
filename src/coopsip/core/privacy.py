"""Personal data: what each app exports for a person, and how it erases it.

Each app that stores personal data registers one section here (in its
``privacy.py``, loaded when the app is ready). The download and the account
deletion in the accounts app walk every section, so a new app cannot be
forgotten: a test fails when a model that points to the user has no section.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.db import transaction
from django.db.models.fields.files import FieldFile


@dataclass(frozen=True)
class Section:
    name: str
    export: Callable[[Any], Any]
    erase: Callable[[Any], None]
    models: tuple[str, ...]  # "app_label.ModelName" whose rows of the person are erased
    kept_models: tuple[str, ...] = ()  # rows kept, pointing to the anonymous account


_sections: dict[str, Section] = {}


def register(
    name: str,
    *,
    export: Callable[[Any], Any],
    erase: Callable[[Any], None],
    models: tuple[str, ...],
    kept_models: tuple[str, ...] = (),
) -> None:
    _sections[name] = Section(name=name, export=export, erase=erase, models=models, kept_models=kept_models)


def sections() -> list[Section]:
    return list(_sections.values())


def erased_models() -> set[str]:
    return {label for section in _sections.values() for label in section.models}


def kept_models() -> set[str]:
    return {label for section in _sections.values() for label in section.kept_models}


# --- Files a person uploaded ---------------------------------------------------------------------
# When an account is deleted, a file that is the group's or the cooperative's record stays, under
# a generated name that says nothing of its uploader, and the original name goes from the history.


def neutral_name(kind: str, number: int, original: str) -> str:
    """A file name that tells nothing about the person who uploaded it: ``attachment-12.pdf``."""
    suffix = PurePosixPath(original).suffix.lower()
    return f"{kind}-{number}{suffix if suffix[1:].isalnum() and len(suffix) <= 8 else ''}"


def move_to_neutral_name(file: FieldFile, *, kind: str, number: int) -> str:
    """Store ``file`` again under a neutral name in the same folder; the old file is deleted on commit.

    Returns the new stored name (the caller saves the row). A file already missing from the
    storage only changes its name in the database.
    """
    old = file.name or ""
    folder = PurePosixPath(old).parent
    wanted = str(folder / neutral_name(kind, number, old))
    storage = file.storage
    try:
        with storage.open(old) as content:
            new = storage.save(wanted, content)
    except FileNotFoundError:
        new = wanted
    else:
        transaction.on_commit(lambda: storage.delete(old))
    file.name = new
    return new


def scrub_history(records: Iterable[Any], names: Mapping[str, str]) -> int:
    """Replace, in the history ``records`` (core.ChangeRecord), every value equal to an old name by
    its new name: in the changes (at any depth) and in the object's name. Returns how many changed."""
    if not names:
        return 0

    def replaced(value: Any) -> Any:
        if isinstance(value, str):
            return names.get(value, value)
        if isinstance(value, list):
            return [replaced(item) for item in value]
        if isinstance(value, dict):
            return {key: replaced(item) for key, item in value.items()}
        return value

    count = 0
    for record in records:
        changes, name = replaced(record.changes), names.get(record.object_repr, record.object_repr)
        if changes != record.changes or name != record.object_repr:
            record.changes, record.object_repr = changes, name[:300]
            record.save(update_fields=["changes", "object_repr"])
            count += 1
    return count


def _export_outgoing_emails(user: Any) -> list[dict[str, Any]]:
    return [
        {"to": e.to_email, "subject": e.subject, "status": e.status, "created_at": e.created_at.isoformat()}
        for e in user.outgoing_emails.all()
    ]


def _erase_outgoing_emails(user: Any) -> None:
    from coopsip.core.models import OutgoingEmail

    user.outgoing_emails.all().delete()
    # Emails sent before the account existed (or to an address it had) are not linked by user.
    OutgoingEmail.objects.filter(to_email__iexact=user.email).delete()


register(
    "emails",
    export=_export_outgoing_emails,
    erase=_erase_outgoing_emails,
    models=("core.OutgoingEmail",),
)


def _export_changes_made(user: Any) -> list[dict[str, Any]]:
    # What was changed is named by its kind and number, not by its title: the title of a
    # registration or an invitation is someone else's name, which is not the person's data.
    return [
        {"at": c.at.isoformat(), "action": c.action, "kind": kind_of(c.content_type), "number": c.object_id}
        for c in user.change_records.select_related("content_type")
    ]


def kind_of(content_type: Any) -> str:
    """A kind of record in words ("registration"), for a download that must not name other people."""
    model = content_type.model_class()
    return str(model._meta.verbose_name) if model is not None else content_type.model


# The history of changes made by a staff member is kept, pointing to the
# anonymous account: it is about the content they changed, not about them.
register(
    "changes_made",
    export=_export_changes_made,
    erase=lambda user: None,
    models=(),
    kept_models=("core.ChangeRecord",),
)
