from __future__ import annotations

from typing import Any

from coopsip.core import privacy
from coopsip.formation.models import ProposedMember, Unplaced


def _export(user: Any) -> list[dict[str, Any]]:
    """The groups proposed to the person and the reasons they were left out, per run."""
    placed = [
        {"run": str(m.run), "group": m.group.key, "theme": str(m.group.theme), "role": m.role, "slot": m.group.slot}
        for m in ProposedMember.objects.filter(registration__user=user).select_related("run", "group__theme")
    ]
    left_out = [
        {"run": str(u.run), "reason": u.code, "details": u.params}
        for u in Unplaced.objects.filter(registration__user=user).select_related("run")
    ]
    return [*placed, *left_out]


# A person's place in a proposal goes with their registration (deleted with the account, by cascade).
privacy.register(
    "formation",
    export=_export,
    erase=lambda user: None,
    models=(),
)
# The runs a staff member started or published stay, without their name.
privacy.register(
    "formation_runs",
    export=lambda user: [str(run) for run in user.formationrun_set.all()],
    erase=lambda user: None,
    models=(),
    kept_models=("formation.FormationRun",),
)
