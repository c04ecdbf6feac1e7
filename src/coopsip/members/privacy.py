from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.members.models import RegisterEntry, RegisterImport


def _export(user: Any) -> dict[str, Any] | None:
    entry = RegisterEntry.objects.filter(user=user).first()
    if entry is None:
        return None
    return {
        "member_number": entry.member_number,
        "first_name": entry.first_name,
        "last_name": entry.last_name,
        "email": entry.email,
        "date_of_birth": entry.date_of_birth.isoformat() if entry.date_of_birth else None,
        "status": entry.status,
        "stakeholder_types": entry.stakeholder_types,
        "member_since": entry.member_since.isoformat() if entry.member_since else None,
        "linked_at": entry.verified_at.isoformat() if entry.verified_at else None,
    }


def _erase(user: Any) -> None:
    # The register belongs to the cooperative's membership system and comes
    # back with the next import; deleting the account only unlinks it.
    RegisterEntry.objects.filter(user=user).update(user=None, verified_at=None)
    # The imports the person ran stay with their reports; the name they gave the file goes.
    for register_import in RegisterImport.objects.filter(imported_by=user):
        register_import.file_name = privacy.neutral_name(
            "register-import", register_import.pk, register_import.file_name
        )
        register_import.save(update_fields=["file_name"])


privacy.register("member_register", export=_export, erase=_erase, models=("members.RegisterEntry",))
# Imports record which staff member ran them. Their reports hold register data
# (member numbers, values of rejected cells), which belongs to the
# cooperative's membership system, not to the account of the staff member.
privacy.register(
    "register_imports",
    export=lambda user: [{"file": i.file_name, "at": i.imported_at.isoformat()} for i in user.registerimport_set.all()],
    erase=lambda user: None,
    models=(),
    kept_models=("members.RegisterImport",),
)
