"""The demo edition's formation run, published, so that a newcomer finds working groups at every stage.

The engine forms groups from the demo registrations (about 250) with a short
time limit, and the staff demo account publishes the run (``demo.groups`` then
asks for the answers). The emails of the publication go to made-up people and
are delivered by the local mail backend only. Loading twice adds nothing.

The 2017-2018 edition is formed in its own format (seed 004): groups of users, clients,
partners, employees and permanent staff, each with an animator (the moderator role) and a
board member, at least three stakeholder types and at most 40% of one type per group, kept as
rules. Its registrations are made here when the edition has none (most demo people, each
answering a stakeholder type, about one in five volunteering as animator or board member);
the run is left unpublished, for staff to review.
"""

from __future__ import annotations

import random

from django.test.utils import override_settings
from django.utils import translation

from coopsip.accounts.models import StakeholderType, User
from coopsip.demo.registrations import DEMO_EDITION, _demo_people, _draw, _gender, _languages, _slot_weights
from coopsip.editions.models import Edition
from coopsip.formation import services
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.formation.publishing import publish_run
from coopsip.registrations.models import CommitmentKind, MeetingMode, Registration
from coopsip.registrations.services import RegistrationInput, person_country, submit_registration

DEMO_SECONDS = 5
EDITION_2017 = "2017-2018"
SHARE_REGISTERING_2017 = 0.9
SHARE_ANIMATORS_2017 = 0.2
SHARE_BOARD_2017 = 0.18
# The stakeholder types of the 2017 seed text ("users, clients, partners, employees, permanent staff"):
# users are the cooperative's members (no type of their own on the form), the rest as they answer.
KINDS_2017 = {
    StakeholderType.CLIENT: 30,
    StakeholderType.PARTNER: 15,
    StakeholderType.EMPLOYEE: 35,
    StakeholderType.PERMANENT_STAFF: 20,
}


def load_formation() -> dict[str, int]:
    edition = Edition.objects.filter(slug=DEMO_EDITION).first()
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    if edition is not None and not FormationRun.objects.filter(edition=edition).exists():
        services.start_run(by=staff, edition=edition, time_limit_s=DEMO_SECONDS)
    run = FormationRun.objects.filter(edition=edition, status=RunStatus.DONE).order_by("number").first()
    if run is not None and not FormationRun.objects.filter(edition=edition, published_at__isnull=False).exists():
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            publish_run(by=staff, run=run)
    formed_2017 = load_formation_2017(staff)
    return {"formation_runs": FormationRun.objects.count(), **formed_2017}


def load_formation_2017(staff: User | None) -> dict[str, int]:
    """The 2017-2018 edition in its own format: registrations (when it has none) and one run."""
    edition = Edition.objects.filter(slug=EDITION_2017).first()
    if edition is None:
        return {"registrations_2017": 0}
    if not edition.requires_board_member:
        # The format of seed 004, unless the editions demo set one already.
        edition.requires_board_member = True
        edition.requires_secretary = False
        edition.min_stakeholder_types = 3
        edition.max_stakeholder_share = 40
        edition.balance_rules_soft = False
        edition.save(
            update_fields=[
                "requires_board_member",
                "requires_secretary",
                "min_stakeholder_types",
                "max_stakeholder_share",
                "balance_rules_soft",
            ]
        )
    if not Registration.objects.filter(edition=edition).exists():
        _register_2017(edition)
    if not FormationRun.objects.filter(edition=edition).exists():
        services.start_run(by=staff, edition=edition, time_limit_s=DEMO_SECONDS)
    return {"registrations_2017": Registration.objects.filter(edition=edition).count()}


def _register_2017(edition: Edition) -> None:
    themes = list(edition.themes.order_by("position"))
    for entry in _demo_people():
        user = entry.user
        if user is None:
            continue
        rng = random.Random(f"2017-registration-{entry.member_number}")  # noqa: S311 (demo data, not security)
        if rng.random() >= SHARE_REGISTERING_2017:
            continue
        country = person_country(municipality=user.municipality)
        running = {theme.pk: 1.0 for theme in themes if country in theme.countries}
        if not running:
            continue
        answered = entry.stakeholder_types[0] if entry.stakeholder_types else ""
        kind = answered if answered in StakeholderType.values else _draw(rng, KINDS_2017, 1)[0]
        data = RegistrationInput(
            theme_ids=_draw(rng, running, rng.randint(1, min(3, len(running)))),
            mode=rng.choice((MeetingMode.IN_PERSON, MeetingMode.EITHER, MeetingMode.EITHER, MeetingMode.VIDEO)),
            office=user.office,
            municipality=user.municipality,
            languages=_languages(rng, user),
            slots=_draw(rng, _slot_weights(daytime=False), rng.randint(4, 9)),
            volunteers_as_moderator=rng.random() < SHARE_ANIMATORS_2017,
            volunteers_as_board_member=rng.random() < SHARE_BOARD_2017,
            accepted=frozenset(CommitmentKind.values),
            stakeholder_type=str(kind),
            gender=_gender(rng, user.first_name),
        )
        with translation.override(user.preferred_language):
            submit_registration(user=user, edition=edition, data=data, check_window=False, notify=False)
