from __future__ import annotations

from coopsip.core import privacy

# A person's place in a proposal goes with their registration (deleted with the account, by cascade).
# The runs a staff member started or published stay, without their name.
privacy.register(
    "formation_runs",
    export=lambda user: [str(run) for run in user.formationrun_set.all()],
    erase=lambda user: None,
    models=(),
    kept_models=("formation.FormationRun",),
)
