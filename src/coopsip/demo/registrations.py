"""Demo registrations for the current demo edition (2026-2027), MADE UP but shaped like real demand.

Most synthetic members with an account register (not the demo accounts: the
demo member registers by hand). Each person's answers are drawn from a
generator seeded with their member number, so a rerun draws the same answers;
a person who already has a registration is left alone, so a second load
writes nothing.

The shape, so that the staff's demand table and group formation have
something real-looking to work on:

- themes: one to three, among those that run in the person's country,
  skewed (about 40/30/20/10 % of the draws);
- how to meet: about 55 % either, 30 % in person, 15 % by video only;
- languages follow the region: Dutch in Flanders, French in Wallonia and in
  France, both in Brussels (many bilinguals); some add English;
- three to eight weekly slots, weekday evenings and Saturday mornings most
  often; a third of the people are free in the daytime rather;
- about one volunteer moderator in ten, a few more secretaries, most of them
  with a line about their experience; a few withdraw, with a reason.

Registrations go through ``submit_registration`` and ``withdraw_registration``,
so the rules are the real ones; with ``notify=False``, so that no email goes
to the made-up people or to the cooperative's real contact address.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.utils import translation
from faker.providers.person.fr_BE import Provider as FrenchBelgianNames
from faker.providers.person.fr_FR import Provider as FrenchNames
from faker.providers.person.nl_BE import Provider as DutchBelgianNames

from coopsip.accounts.models import Gender, User
from coopsip.demo.editions import T, t
from coopsip.editions.models import Edition, Theme
from coopsip.members.models import RegisterEntry
from coopsip.registrations.eligibility import person_refusal
from coopsip.registrations.models import (
    CommitmentKind,
    DayPart,
    MeetingMode,
    Registration,
    RegistrationStatus,
)
from coopsip.registrations.services import (
    RegistrationInput,
    person_country,
    submit_registration,
    withdraw_registration,
)

DEMO_EDITION = "2026-2027"
SEED = 2026

# Of the synthetic members who may take part, the share who register (the others have not, yet).
SHARE_REGISTERING = 0.9
# Draw weights of the themes: a theme that does not run in the person's country is left out.
THEME_WEIGHTS = {"fair-rates": 40, "working-together": 30, "gender-equality": 20, "workspaces-nearby": 10}
# How many themes a person ranks: one, two or three.
THEME_COUNT_WEIGHTS = (20, 35, 45)
MODE_WEIGHTS = {MeetingMode.EITHER: 55, MeetingMode.IN_PERSON: 30, MeetingMode.VIDEO: 15}
SHARE_MODERATORS = 0.10
SHARE_SECRETARIES = 0.14
SHARE_WITH_EXPERIENCE = 0.75  # of the volunteers
SHARE_WITH_NOTES = 0.06
SHARE_WITHDRAWN = 0.04
SHARE_GIVING_GENDER = 0.85
SHARE_GIVING_STAKEHOLDER_TYPE = 0.5
SHARE_FREE_IN_DAYTIME = 0.35

FLANDERS = {"antwerpen", "gent"}
WALLONIA = {"luik", "bergen", "namen", "charleroi", "louvain-la-neuve"}
BRUSSELS = {"brussel"}
# (office group, language): chance to add it to the person's first language.
EXTRA_LANGUAGES: dict[str, dict[str, float]] = {
    "flanders": {"fr": 0.2, "en": 0.35},
    "wallonia": {"nl": 0.08, "en": 0.25},
    "brussels": {"nl": 0.55, "fr": 0.55, "en": 0.4},  # the other national language, for most
    "france": {"en": 0.2},
}

EXPERIENCE = (
    t(
        "Ik heb in 2020-2021 al een werkgroep van Smart in Progress gemodereerd.",
        "J'ai déjà animé un groupe de travail de Smart in Progress en 2020-2021.",
        "I moderated a Smart in Progress working group in 2020-2021.",
    ),
    t(
        "Ik geef workshops als trainer en begeleid graag groepen.",
        "J'anime des ateliers dans mon activité de formation et j'aime accompagner des groupes.",
        "I run workshops as a trainer and enjoy facilitating groups.",
    ),
    t(
        "Ik was secretaris van een vzw en schrijf graag verslagen.",
        "J'ai été secrétaire d'une ASBL et j'aime rédiger des comptes rendus.",
        "I was the secretary of a non-profit and like writing minutes.",
    ),
    t(
        "Ik zit in de raad van bestuur van een buurtcoöperatie.",
        "Je siège au conseil d'administration d'une coopérative de quartier.",
        "I sit on the board of a neighbourhood cooperative.",
    ),
    t(
        "Ik modereer online vergaderingen voor een netwerk van freelancers.",
        "J'anime des réunions en ligne pour un réseau d'indépendant·es.",
        "I moderate online meetings for a network of freelancers.",
    ),
    t(
        "Geen ervaring, maar ik wil het graag leren.",
        "Pas d'expérience, mais j'ai envie d'apprendre.",
        "No experience, but I would like to learn.",
    ),
)

NOTES = (
    t(
        "Ik verplaats me met een rolstoel: graag een toegankelijke vergaderzaal.",
        "Je me déplace en fauteuil roulant : merci de prévoir une salle accessible.",
        "I use a wheelchair: please choose an accessible meeting room.",
    ),
    t(
        "Ik ben slechthorend; een rustige zaal helpt.",
        "J'entends mal ; une salle calme m'aide.",
        "I am hard of hearing; a quiet room helps.",
    ),
    t(
        "In januari ben ik twee weken op tournee.",
        "En janvier, je suis en tournée pendant deux semaines.",
        "In January I am on tour for two weeks.",
    ),
    t(
        "Ik heb geen auto: een vergaderplek vlak bij het station is handig.",
        "Je n'ai pas de voiture : un lieu de réunion près de la gare m'arrange.",
        "I have no car: a meeting place near the station would help.",
    ),
)

WITHDRAWAL_REASONS = (
    t(
        "Ik heb een nieuwe opdracht en geen tijd meer.",
        "J'ai un nouveau contrat et plus le temps.",
        "I have a new contract and no time left.",
    ),
    t(
        "De vergaderdata passen niet in mijn planning.",
        "Les dates de réunion ne conviennent pas à mon agenda.",
        "The meeting dates do not fit my schedule.",
    ),
    t("Om gezondheidsredenen.", "Pour des raisons de santé.", "For health reasons."),
    t("Ik verhuis naar het buitenland.", "Je déménage à l'étranger.", "I am moving abroad."),
)

# What ``load_registrations`` counts, for the demo edition (the volunteers of active registrations only).
COUNTS = ("registrations", "registrations_withdrawn", "volunteer_moderators", "volunteer_secretaries")

K = TypeVar("K")
Slot = tuple[int, str]

MORNING, AFTERNOON, EVENING = DayPart.MORNING.value, DayPart.AFTERNOON.value, DayPart.EVENING.value
SATURDAY, SUNDAY = 5, 6


def _slot_weights(*, daytime: bool) -> dict[Slot, float]:
    """How likely each of the 21 weekly slots is ticked: evenings and Saturday mornings, or the daytime."""
    weights: dict[Slot, float] = {}
    for day in range(5):
        if daytime:
            weights.update({(day, MORNING): 3, (day, AFTERNOON): 3, (day, EVENING): 1.5 if day < 4 else 1})
        else:
            weights.update({(day, MORNING): 0.5, (day, AFTERNOON): 0.7, (day, EVENING): 6 if day < 4 else 2})
    weights.update({(SATURDAY, MORNING): 3 if daytime else 5, (SATURDAY, AFTERNOON): 1.5, (SATURDAY, EVENING): 0.4})
    weights.update({(SUNDAY, MORNING): 0.8, (SUNDAY, AFTERNOON): 0.6, (SUNDAY, EVENING): 0.4})
    return weights


def _draw(rng: random.Random, weights: Mapping[K, float], count: int) -> list[K]:
    """``count`` different keys, drawn one after the other in proportion to their weights."""
    pool = dict(weights)
    chosen: list[K] = []
    for _ in range(min(count, len(pool))):
        (key,) = rng.choices(list(pool), weights=list(pool.values()))
        chosen.append(key)
        del pool[key]
    return chosen


def _text(rng: random.Random, texts: Sequence[T], language: str) -> str:
    return str(getattr(rng.choice(texts), language if language in T._fields else "en"))


@functools.cache
def _first_names() -> tuple[frozenset[str], frozenset[str]]:
    """(women's, men's) first names of the Faker locales the demo people are drawn from."""
    providers = (DutchBelgianNames, FrenchBelgianNames, FrenchNames)
    women = frozenset(name for provider in providers for name in provider.first_names_female)
    men = frozenset(name for provider in providers for name in provider.first_names_male)
    return women, men


def _gender(rng: random.Random, first_name: str) -> str:
    if rng.random() >= SHARE_GIVING_GENDER:
        return ""  # optional, and not everyone answers
    roll = rng.random()
    if roll < 0.03:
        return Gender.NON_BINARY
    if roll < 0.04:
        return Gender.OTHER
    women, men = _first_names()
    if first_name in women and first_name not in men:
        return Gender.WOMAN
    if first_name in men and first_name not in women:
        return Gender.MAN
    return rng.choice([Gender.WOMAN, Gender.MAN])


def _region(user: User) -> str:
    office = user.office
    if office is None:
        return ""
    if office.country == "FR":
        return "france"
    if office.slug in FLANDERS:
        return "flanders"
    if office.slug in BRUSSELS:
        return "brussels"
    return "wallonia" if office.slug in WALLONIA else ""


def _languages(rng: random.Random, user: User) -> list[str]:
    first = user.preferred_language
    languages = {first}
    for code, chance in EXTRA_LANGUAGES.get(_region(user), {}).items():
        if code != first and rng.random() < chance:
            languages.add(code)
    return sorted(languages)


def _answers(rng: random.Random, user: User, entry: RegisterEntry, themes: Sequence[Theme]) -> RegistrationInput:
    """What ``user`` answers on the form, drawn from ``rng``; ``themes``: the demo themes of the edition."""
    language = user.preferred_language
    country = person_country(municipality=user.municipality)
    running = {theme.pk: THEME_WEIGHTS[theme.slug] for theme in themes if country in theme.countries}
    (count,) = rng.choices((1, 2, 3), weights=THEME_COUNT_WEIGHTS)
    theme_ids = _draw(rng, running, count)
    (mode,) = rng.choices(list(MODE_WEIGHTS), weights=list(MODE_WEIGHTS.values()))
    languages = _languages(rng, user)
    daytime = rng.random() < SHARE_FREE_IN_DAYTIME
    slots = _draw(rng, _slot_weights(daytime=daytime), rng.randint(3, 8))
    moderator = rng.random() < SHARE_MODERATORS
    secretary = rng.random() < SHARE_SECRETARIES
    has_experience = rng.random() < SHARE_WITH_EXPERIENCE
    experience = _text(rng, EXPERIENCE, language) if (moderator or secretary) and has_experience else ""
    gender = _gender(rng, user.first_name)
    types = entry.stakeholder_types
    stakeholder_type = types[0] if types and rng.random() < SHARE_GIVING_STAKEHOLDER_TYPE else ""
    notes = _text(rng, NOTES, language) if rng.random() < SHARE_WITH_NOTES else ""
    return RegistrationInput(
        theme_ids=theme_ids,
        mode=mode,
        office=user.office,
        municipality=user.municipality,
        languages=languages,
        slots=slots,
        volunteers_as_moderator=moderator,
        volunteers_as_secretary=secretary,
        volunteer_experience=experience,
        accepted=frozenset(CommitmentKind.values),
        stakeholder_type=stakeholder_type,
        gender=gender,
        notes=notes,
    )


def _demo_people() -> list[RegisterEntry]:
    """The synthetic people with an account (member numbers D00001…), not the demo accounts (DEMO1…)."""
    entries = (
        RegisterEntry.objects.filter(member_number__startswith="D", user__isnull=False)
        .exclude(member_number__startswith="DEMO")
        .select_related("user__office", "user__municipality")
        .order_by("member_number")
    )
    return list(entries)


@dataclass(frozen=True)
class PlannedRegistration:
    """What a demo person answers, and the reason they give if they withdraw afterwards (None: they stay)."""

    data: RegistrationInput
    withdrawal_reason: str | None


def planned_registration(entry: RegisterEntry, themes: Sequence[Theme]) -> PlannedRegistration | None:
    """The registration the person of ``entry`` makes (None: they do not register), the same on every run.

    ``themes``: the edition's demo themes. The generator is the person's own,
    seeded with their member number, so one person's answers do not depend
    on who else is loaded.
    """
    user = entry.user
    if user is None:
        return None
    rng = random.Random(f"{SEED}-registration-{entry.member_number}")  # noqa: S311 (demo data, not security)
    if rng.random() >= SHARE_REGISTERING:
        return None
    data = _answers(rng, user, entry, themes)
    withdraws = rng.random() < SHARE_WITHDRAWN
    reason = _text(rng, WITHDRAWAL_REASONS, user.preferred_language)
    return PlannedRegistration(data, reason if withdraws else None)


def demo_themes(edition: Edition) -> list[Theme]:
    return [
        theme for theme in Theme.objects.filter(edition=edition).order_by("position") if theme.slug in THEME_WEIGHTS
    ]


def load_registrations(edition_slug: str = DEMO_EDITION) -> dict[str, int]:
    """Register most synthetic members for the demo edition; returns counts for that edition.

    A person who has a registration already (submitted or withdrawn) is not
    touched, so loading again changes nothing.
    """
    edition = Edition.objects.filter(slug=edition_slug).first()
    if edition is None:
        return dict.fromkeys(COUNTS, 0)
    themes = demo_themes(edition)
    registered = set(Registration.objects.filter(edition=edition).values_list("user_id", flat=True))
    for entry in _demo_people():
        user = entry.user
        if user is None or user.pk in registered or person_refusal(edition, user) is not None:
            continue
        plan = planned_registration(entry, themes)
        if plan is None:
            continue
        # The person fills in the form in their language: the commitments are stored in it.
        with translation.override(user.preferred_language):
            # Outside the window too, so that the demo works whatever the date.
            # Demo people get no confirmation email: the demo is not about their inboxes.
            registration = submit_registration(
                user=user, edition=edition, data=plan.data, check_window=False, notify=False
            )
        if plan.withdrawal_reason is not None:
            withdraw_registration(registration=registration, reason=plan.withdrawal_reason, notify=False)
    registrations = Registration.objects.filter(edition=edition)
    active = registrations.exclude(status=RegistrationStatus.WITHDRAWN)
    return {
        "registrations": registrations.count(),
        "registrations_withdrawn": registrations.filter(status=RegistrationStatus.WITHDRAWN).count(),
        "volunteer_moderators": active.filter(volunteers_as_moderator=True).count(),
        "volunteer_secretaries": active.filter(volunteers_as_secretary=True).count(),
    }
