"""Personal data: what each app exports for a person, and how it erases it.

Each app that stores personal data registers one section here (in its
``privacy.py``, loaded when the app is ready). The download and the account
deletion in the accounts app walk every section, so a new app cannot be
forgotten: a test fails when a model that points to the user has no section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


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
