"""Demo data: offices, about 500 synthetic people, four demo accounts, the editions of Smart in Progress
and the registrations for the current demo edition.

The people are made up (Faker, fixed seed); the offices are real, and so are
the past editions (see ``demo.editions``); the registrations are made up too
(see ``demo.registrations``). Running it twice changes nothing the second time.
"""

from __future__ import annotations

import functools
import math
import random
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from faker import Faker

from coopsip.accounts.models import SPOKEN_LANGUAGES, User
from coopsip.core.access import BOARD_GROUP, STAFF_GROUP
from coopsip.demo.contributions import load_contributions
from coopsip.demo.editions import load_editions
from coopsip.demo.events import load_events
from coopsip.demo.formation import load_formation
from coopsip.demo.groups import load_groups
from coopsip.demo.groupspace import load_groupspace
from coopsip.demo.networking import load_networking
from coopsip.demo.recommendations_followup import load_recommendations_followup
from coopsip.demo.recommendations_groups import load_recommendations_groups
from coopsip.demo.registrations import load_registrations
from coopsip.demo.stats import load_stats
from coopsip.demo.surveys import load_surveys
from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.places.models import Municipality, Office
from coopsip.places.services import load_municipalities

DEMO_PASSWORD = "coopsip-demo-2026"
# Public on purpose, like the password: for the demo accounts only (base32).
DEMO_TOTP_SECRET = "COOPSIPDEMOCOOPSIPDEMOCOOPSIP234"
SEED = 2026
# Enough people for a few hundred registrations: about 85 % are members and
# two in three have an account; most of those register for the demo edition.
DEFAULT_PEOPLE = 500
# How the synthetic people spread over the offices (relative weights; an office
# not listed gets 2): Brussels is the largest, the French demo offices are small.
OFFICE_WEIGHTS = {
    "brussel": 24,
    "antwerpen": 12,
    "gent": 11,
    "luik": 9,
    "charleroi": 6,
    "namen": 6,
    "bergen": 5,
    "louvain-la-neuve": 5,
    "paris": 8,
    "lille": 6,
    "lyon": 5,
    "nantes": 3,
}
# In Brussels, the share of people who speak French first (the others Dutch).
BRUSSELS_FRENCH_SHARE = 0.6

# French offices for the demo only: the seeds say the cooperative is in
# France too, not where its French offices are.
FRENCH_DEMO_OFFICES = [
    ("paris", "Parijs", "Paris", "Paris", "48.85660", "2.35220"),
    ("lille", "Rijsel", "Lille", "Lille", "50.62920", "3.05730"),
    ("lyon", "Lyon", "Lyon", "Lyon", "45.76400", "4.83570"),
    ("nantes", "Nantes", "Nantes", "Nantes", "47.21840", "-1.55360"),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    role: str
    first_name: str
    last_name: str
    language: str


DEMO_ACCOUNTS = [
    DemoAccount("vennoot@demo.coopsip.org", "member", "Lotte", "Peeters", "nl"),
    DemoAccount("gebruiker@demo.coopsip.org", "user", "Julien", "Dubois", "fr"),
    DemoAccount("staff@demo.coopsip.org", "staff", "Sara", "Janssens", "nl"),
    DemoAccount("bestuur@demo.coopsip.org", "board", "Marc", "Lambert", "fr"),
]


def _distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular approximation: good to a few percent over 50 km.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    y = math.radians(lat2 - lat1)
    return 6371 * math.hypot(x, y)


def _nearby_municipalities(office: Office, *, radius_km: float = 30) -> list[Municipality]:
    lat, lon = float(office.latitude), float(office.longitude)
    box = Decimal(radius_km / 70)  # degrees, generous
    candidates = Municipality.objects.filter(
        country=office.country,
        latitude__range=(office.latitude - box, office.latitude + box),
        longitude__range=(office.longitude - box, office.longitude + box),
    )
    return [m for m in candidates if _distance_km(lat, lon, float(m.latitude), float(m.longitude)) <= radius_km]


def _ensure_demo_offices() -> None:
    for slug, nl, fr, en, lat, lon in FRENCH_DEMO_OFFICES:
        Office.objects.update_or_create(
            slug=slug,
            defaults={
                "name_nl": nl,
                "name_fr": fr,
                "name_en": en,
                "country": "FR",
                "latitude": Decimal(lat),
                "longitude": Decimal(lon),
                "is_demo": True,
            },
        )


def _locales_for(office: Office) -> tuple[str, ...]:
    """The Faker locales of the people of ``office``: one, or two in bilingual Brussels (Dutch first)."""
    if office.country == "FR":
        return ("fr_FR",)
    if office.slug == "brussel":
        return ("nl_BE", "fr_BE")
    # Flanders speaks Dutch, Wallonia French.
    return ("nl_BE",) if office.slug in {"antwerpen", "gent"} else ("fr_BE",)


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is slow on purpose (argon2): do it once for all demo accounts.
    return make_password(DEMO_PASSWORD)


def _ensure_account(
    *,
    email: str,
    first_name: str,
    last_name: str,
    language: str,
    office: Office | None,
    municipality: Municipality | None,
    languages_spoken: list[str] | None = None,
) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create(
            email=email,
            password=_demo_password_hash(),
            first_name=first_name,
            last_name=last_name,
            preferred_language=language,
            office=office,
            municipality=municipality,
            languages_spoken=languages_spoken or [],
        )
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
        return user
    if languages_spoken is not None and user.languages_spoken != languages_spoken:
        user.languages_spoken = languages_spoken
        user.save(update_fields=["languages_spoken"])
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def load_demo(*, people: int = DEFAULT_PEOPLE) -> dict[str, int]:
    """Load the demo data; returns counts of what exists afterwards."""
    counts = _load_people_editions_registrations(people=people)
    # Sign-ups take their own (durable) transactions, like every sign-up does.
    counts = {**counts, **load_events(), **load_formation(), **load_groups()}
    # Profiles, offers and needs of the demo people (networking).
    counts = {**counts, **load_networking()}
    # The group spaces fill the circles the steps above made.
    counts = {**counts, **load_groupspace()}
    # The groups' ideas, drafts, consent rounds and submissions, in the active groups and their spaces.
    counts = {**counts, **load_recommendations_groups()}
    # Surveys (the networking-needs pilot in Liège with published results, an open one), theme proposals, ballots.
    counts = {**counts, **load_surveys()}
    # Then what became of them: syntheses, the board's decisions, projects, a test project; the archive's outcomes.
    counts = {**counts, **load_recommendations_followup()}
    # The figures the team recorded for the editions before the platform (statistics; made up).
    counts = {**counts, **load_stats()}
    # Contributions on the current themes: answered, useful, highlighted, moved to resources, hidden, by an expert.
    counts = {**counts, **load_contributions()}
    # The steps after a count add to it (the surveys' draft next edition, the networking meetings, the ideas'
    # discussions, the archive's recommendations): count again at the end, so the counts are what exists
    # afterwards, the same on every load.
    return {**counts, **_final_counts()}


def _final_counts() -> dict[str, int]:
    from coopsip.editions.models import Edition, FaqItem, Phase, Theme, ThemeOffice
    from coopsip.events.models import Circle, Event, Place, Series
    from coopsip.groupspace.models import DatePoll, Document, Post, Thread
    from coopsip.recommendations.models import ConsentAnswer, ConsentRound, Idea, Recommendation, RecommendationVersion

    models = {
        # Contributions add an invited expert's account after the first count.
        "accounts": User,
        "editions": Edition,
        "themes": Theme,
        "theme_offices": ThemeOffice,
        "phases": Phase,
        "faq_items": FaqItem,
        "places": Place,
        "events": Event,
        "series": Series,
        "circles": Circle,
        "date_polls": DatePoll,
        "group_documents": Document,
        "discussion_threads": Thread,
        "discussion_posts": Post,
        # The follow-up adds the archive's recommendations (demo.recommendations_followup).
        "ideas": Idea,
        "recommendations": Recommendation,
        "recommendation_versions": RecommendationVersion,
        "consent_rounds": ConsentRound,
        "consent_answers": ConsentAnswer,
    }
    return {key: model._default_manager.count() for key, model in models.items()}


@transaction.atomic
def _load_people_editions_registrations(*, people: int) -> dict[str, int]:
    load_municipalities()
    _ensure_demo_offices()
    offices = list(Office.objects.order_by("slug"))
    nearby = {office.pk: _nearby_municipalities(office) for office in offices}
    Faker.seed(SEED)
    fakers: dict[tuple[int, str], Faker] = {}
    for office in offices:
        for index, locale in enumerate(_locales_for(office)):
            fakers[office.pk, locale] = Faker(locale)
            fakers[office.pk, locale].seed_instance(SEED + office.pk + 1000 * index)
    # One query for the people loaded before, rather than one per person.
    entries = {entry.member_number: entry for entry in RegisterEntry.objects.filter(member_number__startswith="D")}
    office_weights = [OFFICE_WEIGHTS.get(office.slug, 2) for office in offices]
    for number in range(1, people + 1):
        # Where the person works, and in Brussels their first language, from a generator of its own.
        where = random.Random(f"{SEED}-office-{number}")  # noqa: S311 (demo data, not security)
        (office,) = where.choices(offices, weights=office_weights)
        locales = _locales_for(office)
        locale = locales[-1] if len(locales) > 1 and where.random() < BRUSSELS_FRENCH_SHARE else locales[0]
        fake = fakers[office.pk, locale]
        # One generator per person: a rerun draws the same values for everyone.
        rng = random.Random(SEED * 100_000 + number)  # noqa: S311 (demo data, not security)
        first_name, last_name = fake.first_name(), fake.last_name()
        member_number = f"D{number:05d}"
        email = f"{member_number.lower()}@demo.coopsip.org"
        is_member = rng.random() < 0.85
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
        since = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 365 * 17))
        values = {
            "first_name": first_name,
            "last_name": last_name,
            "email": email,
            "date_of_birth": birth,
            "status": MembershipStatus.MEMBER if is_member else MembershipStatus.USER,
            "is_client": not is_member or rng.random() < 0.1,
            "is_employee": rng.random() < 0.7,
            "member_since": since if is_member else None,
        }
        # Two people in three have an account, linked to their entry.
        has_account = rng.random() < 2 / 3
        entry = entries.get(member_number)
        if entry is not None and (not has_account or entry.user_id is not None):
            continue  # loaded before
        user = None
        if has_account:
            places = nearby[office.pk]
            language = "nl" if fake.locales[0] == "nl_BE" else "fr"
            municipality = rng.choice(places) if places else None
            user = _ensure_account(
                email=email,
                first_name=first_name,
                last_name=last_name,
                language=language,
                office=office,
                municipality=municipality,
                languages_spoken=sorted({language, rng.choice([code for code, _name in SPOKEN_LANGUAGES[:3]])}),
            )
        verified_at = user.date_joined if user is not None else None
        if entry is None:
            RegisterEntry.objects.create(member_number=member_number, **values, user=user, verified_at=verified_at)
        else:  # on the register before, and has an account now
            entry.user = user
            entry.verified_at = verified_at
            entry.save(update_fields=["user", "verified_at"])
    _load_demo_accounts(offices)
    edition_counts = load_editions()
    registration_counts = load_registrations()
    return {
        "offices": Office.objects.count(),
        "municipalities": Municipality.objects.count(),
        "register_entries": RegisterEntry.objects.count(),
        "accounts": User.objects.count(),
        **edition_counts,
        **registration_counts,
    }


def _load_demo_accounts(offices: list[Office]) -> None:
    brussels = next((o for o in offices if o.slug == "brussel"), offices[0])
    groups = {
        "staff": Group.objects.get(name=STAFF_GROUP),
        "board": Group.objects.get(name=BOARD_GROUP),
    }
    for index, account in enumerate(DEMO_ACCOUNTS, start=1):
        user = _ensure_account(
            email=account.email,
            first_name=account.first_name,
            last_name=account.last_name,
            language=account.language,
            office=brussels,
            municipality=Municipality.objects.filter(country="BE", postcode="1000").first(),
        )
        if account.role in groups:
            user.groups.add(groups[account.role])
            # Staff and board must use a second factor; the demo gives them a
            # known secret so that `manage.py demo_totp_code` can show the code.
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        if account.role in {"member", "user", "board"}:
            RegisterEntry.objects.get_or_create(
                member_number=f"DEMO{index}",
                defaults={
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "email": account.email,
                    "status": MembershipStatus.USER if account.role == "user" else MembershipStatus.MEMBER,
                    "is_client": account.role == "user",
                    "user": user,
                    "verified_at": user.date_joined,
                },
            )


def demo_totp_code(*, at: float | None = None) -> str:
    """The current code of the demo accounts' authenticator, as a phone app would show it."""
    moment = time.time() if at is None else at
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(moment) // 30))
