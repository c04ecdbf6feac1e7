"""The demo edition's formation run, published, so that a newcomer finds working groups at every stage.

The engine forms groups from the demo registrations (about 250) with a short
time limit, and the staff demo account publishes the run (``demo.groups`` then
asks for the answers). The emails of the publication go to made-up people and
are delivered by the local mail backend only. Loading twice adds nothing.
"""

from __future__ import annotations

from django.test.utils import override_settings

from coopsip.accounts.models import User
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.editions.models import Edition
from coopsip.formation import services
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.formation.publishing import publish_run

DEMO_SECONDS = 5


def load_formation() -> dict[str, int]:
    edition = Edition.objects.filter(slug=DEMO_EDITION).first()
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    if edition is not None and not FormationRun.objects.filter(edition=edition).exists():
        services.start_run(by=staff, edition=edition, time_limit_s=DEMO_SECONDS)
    run = FormationRun.objects.filter(edition=edition, status=RunStatus.DONE).order_by("number").first()
    if run is not None and not FormationRun.objects.filter(edition=edition, published_at__isnull=False).exists():
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            publish_run(by=staff, run=run)
    return {"formation_runs": FormationRun.objects.count()}
