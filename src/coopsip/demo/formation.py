"""The demo edition's formation run, published, so that a newcomer finds working groups at every stage.

The engine forms groups from the demo registrations (about 250) with a short
time limit, and the staff demo account publishes the run (``demo.groups`` then
asks for the answers). The emails of the publication go to made-up people and
are delivered by the local mail backend only. Loading twice adds nothing.

The 2017-2018 edition is formed in its own format (seed 004): groups of users, clients,
partners, employees and permanent staff, each with an animator (the moderator role) and a
board member, at least three stakeholder types and at most 40% of one type per group, kept as
rules. Its registrations are made here when the edition has none: about half the demo people of
the Belgian offices (the themes ran in Belgium), each answering a stakeholder type drawn per
office (the cooperative's members the largest share, then clients, employees, partners and
permanent staff), about one in five volunteering as animator; and the board of the time, made-up
accounts in the ``board`` group (a few per office, Marc Lambert of the demo accounts among them),
who volunteer in their profile and on the form to sit in a group. The run is left unpublished,
for staff to review.
"""

from __future__ import annotations

import random

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.test.utils import override_settings
from django.utils import translation

from coopsip.accounts.models import StakeholderType, User
from coopsip.core.access import BOARD_GROUP
from coopsip.demo.registrations import DEMO_EDITION, _demo_people, _draw, _gender, _languages, _slot_weights
from coopsip.editions.models import Edition
from coopsip.formation import services
from coopsip.formation.models import FormationRun, RunStatus
from coopsip.formation.publishing import publish_run
from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.places.models import Office
from coopsip.registrations.models import CommitmentKind, MeetingMode, Registration
from coopsip.registrations.services import RegistrationInput, person_country, submit_registration

DEMO_SECONDS = 5
EDITION_2017 = "2017-2018"
SHARE_REGISTERING_2017 = 0.5
SHARE_ANIMATORS_2017 = 0.2
# The stakeholder types of the 2017 seed text ("users, clients, partners, employees, permanent staff"):
# users are the cooperative's members ("" on the form: a member of the cooperative), the largest share.
KINDS_2017 = {
    "": 34,
    StakeholderType.CLIENT: 22,
    StakeholderType.EMPLOYEE: 18,
    StakeholderType.PARTNER: 14,
    StakeholderType.PERMANENT_STAFF: 12,
}
# The board of 2017, made up: (office, first name, last name, language). Each sits in one group at most,
# so the board's size bounds the number of groups; Marc Lambert (bestuur@, Brussels) is one of them too.
BOARD_2017 = (
    ("brussel", "Hélène", "Dupont", "fr"),
    ("brussel", "Pieter", "Claes", "nl"),
    ("brussel", "Yasmina", "El Idrissi", "fr"),
    ("antwerpen", "Koen", "Wouters", "nl"),
    ("antwerpen", "Sofie", "Jacobs", "nl"),
    ("gent", "Els", "Van Damme", "nl"),
    ("gent", "Bram", "De Smet", "nl"),
    ("luik", "Nathalie", "Renard", "fr"),
    ("luik", "Olivier", "Lemaire", "fr"),
    ("namen", "Claire", "Gilson", "fr"),
    ("charleroi", "Didier", "Hubert", "fr"),
    ("louvain-la-neuve", "Anne", "Mertens", "fr"),
    ("bergen", "Luc", "Delvaux", "fr"),
)
BOARD_ACCOUNT = "bestuur@demo.coopsip.org"


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
    return {
        "registrations_2017": Registration.objects.filter(edition=edition).count(),
        # The board of 2017 adds register entries after the first count: count them again, as they are afterwards.
        "register_entries": RegisterEntry.objects.count(),
    }


def _board_2017() -> list[User]:
    """The board members of 2017 (made up): accounts in the ``board`` group who volunteer in their profile."""
    from coopsip.demo.services import DEMO_TOTP_SECRET, _ensure_account

    board = Group.objects.get(name=BOARD_GROUP)
    members = []
    marc = User.objects.filter(email=BOARD_ACCOUNT).first()
    if marc is not None:
        members.append(marc)
    for index, (slug, first_name, last_name, language) in enumerate(BOARD_2017, start=1):
        office = Office.objects.filter(slug=slug).first()
        # Where they live: where a demo person of their office lives (the demo's places are made up too).
        neighbour = User.objects.filter(office=office, municipality__isnull=False).order_by("pk").first()
        if office is None or neighbour is None:
            continue
        user = _ensure_account(
            email=f"bestuur-2017-{index:02d}@demo.coopsip.org",
            first_name=first_name,
            last_name=last_name,
            language=language,
            office=office,
            municipality=neighbour.municipality,
            languages_spoken=["fr", "nl"] if slug == "brussel" else [language],
        )
        RegisterEntry.objects.get_or_create(
            member_number=f"B2017{index:02d}",
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": user.email,
                "status": MembershipStatus.MEMBER,
                "user": user,
                "verified_at": user.date_joined,
            },
        )
        user.groups.add(board)
        # Board members use a second factor; the demo's known secret, as for the other demo accounts.
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        members.append(user)
    for user in members:
        if not user.volunteers_as_board_member:
            user.volunteers_as_board_member = True
            user.save(update_fields=["volunteers_as_board_member"])
    return members


def _register_2017(edition: Edition) -> None:
    themes = list(edition.themes.order_by("position"))
    people = [(entry.member_number, entry.user, False) for entry in _demo_people() if entry.user is not None]
    people += [(f"board-{user.email}", user, True) for user in _board_2017()]
    for key, user, on_the_board in people:
        rng = random.Random(f"2017-registration-{key}")  # noqa: S311 (demo data, not security)
        if not on_the_board and rng.random() >= SHARE_REGISTERING_2017:
            continue
        country = person_country(municipality=user.municipality)
        running = {theme.pk: 1.0 for theme in themes if country in theme.countries}
        if not running:
            continue
        # The board is free more often and meets either way: each sits in one group of a theme they chose.
        data = RegistrationInput(
            theme_ids=_draw(
                rng, running, min(3, len(running)) if on_the_board else rng.randint(1, min(3, len(running)))
            ),
            mode=MeetingMode.EITHER
            if on_the_board
            else rng.choice((MeetingMode.IN_PERSON, MeetingMode.EITHER, MeetingMode.EITHER, MeetingMode.VIDEO)),
            office=user.office,
            municipality=user.municipality,
            languages=_languages(rng, user),
            slots=_draw(rng, _slot_weights(daytime=False), rng.randint(8, 10) if on_the_board else rng.randint(4, 9)),
            volunteers_as_moderator=not on_the_board and rng.random() < SHARE_ANIMATORS_2017,
            volunteers_as_board_member=on_the_board,
            accepted=frozenset(CommitmentKind.values),
            stakeholder_type="" if on_the_board else str(_draw(rng, KINDS_2017, 1)[0]),
            gender=_gender(rng, user.first_name),
        )
        with translation.override(user.preferred_language):
            submit_registration(user=user, edition=edition, data=data, check_window=False, notify=False)
