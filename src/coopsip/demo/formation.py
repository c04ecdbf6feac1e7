"""A first formation run for the demo edition, so that a newcomer finds proposed groups to review.

The engine forms groups from the demo registrations (about 250) with a short
time limit; the run is left unpublished, for the staff demo account to
review, move people, lock, re-run and publish. Loading twice adds nothing.
"""

from __future__ import annotations

from coopsip.accounts.models import User
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.editions.models import Edition
from coopsip.formation import services
from coopsip.formation.models import FormationRun

DEMO_SECONDS = 5


def load_formation() -> dict[str, int]:
    edition = Edition.objects.filter(slug=DEMO_EDITION).first()
    if edition is not None and not FormationRun.objects.filter(edition=edition).exists():
        staff = User.objects.filter(email="staff@demo.coopsip.org").first()
        services.start_run(by=staff, edition=edition, time_limit_s=DEMO_SECONDS)
    return {"formation_runs": FormationRun.objects.count()}
