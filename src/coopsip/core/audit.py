"""The history of who changed what, for content managed by staff.

Services write it (``snapshot`` before and after, ``diff``, ``record_change``
only when something really changed); pages show it in words with
``values_in_words``: the name of a related row instead of its id, the label
of a choice instead of its key, "yes"/"no" instead of True/False.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils.translation import gettext as _

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


def same_text(value: Any) -> Any:
    """A text as it is compared in the history: the line endings a browser sends (CRLF) and
    surrounding blank space do not count as a change."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return value


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """The fields whose value really changed, as {name: [before, after]}."""
    return {
        name: [before.get(name), value]
        for name, value in after.items()
        if same_text(before.get(name)) != same_text(value)
    }


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


# --- Shown in words -------------------------------------------------------------------


def _field(model: type[models.Model] | None, name: str) -> models.Field[Any, Any] | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except Exception:  # FieldDoesNotExist, or a name that is not a field (e.g. "copied_from")
        return None
    return field if isinstance(field, models.Field) else None


def _related_ids(records: Iterable[ChangeRecord]) -> dict[type[models.Model], set[int]]:
    ids: dict[type[models.Model], set[int]] = defaultdict(set)
    for record in records:
        model = record.content_type.model_class()
        for name, value in (record.changes or {}).items():
            field = _field(model, name)
            if field is None or not field.is_relation or field.related_model is None:
                continue
            for item in value if isinstance(value, list) else [value]:
                if str(item or "").isdigit():
                    ids[field.related_model].add(int(item))  # type: ignore[index]
    return ids


def related_names(records: Iterable[ChangeRecord]) -> dict[tuple[type[models.Model], int], str]:
    """The names of the rows that ``records`` refer to by id, one query per related model."""
    names: dict[tuple[type[models.Model], int], str] = {}
    for model, ids in _related_ids(records).items():
        for pk, obj in model._default_manager.in_bulk(list(ids)).items():
            names[(model, pk)] = str(obj)
    return names


def value_in_words(
    model: type[models.Model] | None, name: str, value: Any, names: dict[tuple[type[models.Model], int], str]
) -> str:
    """``value`` of field ``name`` as a person reads it; ``names`` comes from ``related_names``."""
    if value is None or value == "":
        return ""
    field = _field(model, name)
    text = str(value)
    if field is None:
        return text
    if field.is_relation and field.related_model is not None:
        if text.isdigit():
            found = names.get((field.related_model, int(text)))  # type: ignore[arg-type]
            return found if found is not None else _("deleted (#%(id)s)") % {"id": text}
        return text
    if isinstance(field, models.BooleanField):
        return _("yes") if text in ("True", "true", "1") else _("no") if text in ("False", "false", "0") else text
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        return str(labels.get(text, text))
    return text
