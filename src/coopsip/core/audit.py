"""The history of who changed what, for content managed by staff."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from coopsip.core.models import ChangeRecord


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The values of ``fields`` as JSON-friendly text, to compare before and after a change."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = f"{value} (#{value.pk})"  # readable in the history, and unambiguous
        values[name] = None if value is None else str(value)
    return values


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}


def record_change(*, actor: Any, obj: models.Model, action: str, changes: dict[str, Any] | None = None) -> ChangeRecord:
    """Write one line of history; call it inside the service's transaction."""
    return ChangeRecord.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        object_repr=str(obj)[:300],
        action=action,
        changes=changes or {},
    )


def history_of(obj: models.Model) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")
