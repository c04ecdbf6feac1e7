"""Files a staff member uploaded as resources of an edition or a theme.

Resources have no uploader field: who uploaded which file is in the history (core.audit). When
the account is deleted, a file still in use stays on the edition's page (it is the cooperative's
document) under a neutral name, ``resource-<n>.<ext>``; every name the person gave a file goes
from the history, including files replaced or removed since.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.contenttypes.models import ContentType

from coopsip.core import privacy
from coopsip.core.models import ChangeRecord
from coopsip.editions.models import Resource


def _uploaded(user: Any) -> dict[int, set[str]]:
    """Per resource (id), the stored names of the files ``user`` put there, from the history."""
    files: dict[int, set[str]] = defaultdict(set)
    records = ChangeRecord.objects.filter(actor=user, content_type=ContentType.objects.get_for_model(Resource))
    for record in records:
        change = record.changes.get("file")
        if isinstance(change, list) and len(change) == 2 and change[1]:
            files[record.object_id].add(str(change[1]))
    return files


def _export(user: Any) -> list[dict[str, Any]]:
    current = {r.pk: r for r in Resource.objects.filter(pk__in=_uploaded(user))}
    return [
        {"file": name, "resource": str(current[pk]) if pk in current else None}
        for pk, names in _uploaded(user).items()
        for name in sorted(names)
    ]


def _erase(user: Any) -> None:
    resource_type = ContentType.objects.get_for_model(Resource)
    for pk, names in _uploaded(user).items():
        resource = Resource.objects.select_for_update().filter(pk=pk).first()
        replacements: dict[str, str] = {}
        for name in sorted(names):
            if resource is not None and resource.file and resource.file.name == name:
                replacements[name] = privacy.move_to_neutral_name(resource.file, kind="resource", number=pk)
                resource.save(update_fields=["file"])
            else:  # replaced or removed since: only its name in the history is left
                replacements[name] = privacy.neutral_name("removed-resource", pk, name)
        privacy.scrub_history(ChangeRecord.objects.filter(content_type=resource_type, object_id=pk), replacements)


privacy.register(
    "resources_uploaded",
    export=_export,
    erase=_erase,
    models=(),
)
