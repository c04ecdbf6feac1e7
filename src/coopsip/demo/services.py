"""Demo data: offices, about 300 synthetic people, four demo accounts and the editions of Smart in Progress.

The people are made up (Faker, fixed seed); the offices are real, and so are
the past editions (see ``demo.editions``). Running it twice changes nothing
the second time.
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
from coopsip.demo.editions import load_editions
from coopsip.members.models import MembershipStatus, RegisterEntry
from coopsip.places.models import Municipality, Office
from coopsip.places.services import load_municipalities

DEMO_PASSWORD = "coopsip-demo-2026"
# Public on purpose, like the password: for the demo accounts only (base32).
DEMO_TOTP_SECRET = "COOPSIPDEMOCOOPSIPDEMOCOOPSIP234"
SEED = 2026

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


def _faker_for(office: Office) -> Faker:
    if office.country == "FR":
        return Faker("fr_FR")
    # Flanders and Brussels lean Dutch, Wallonia French.
    return Faker("nl_BE") if office.slug in {"antwerpen", "gent", "brussel"} else Faker("fr_BE")


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
        )
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


@transaction.atomic
def load_demo(*, people: int = 300) -> dict[str, int]:
    """Load the demo data; returns counts of what exists afterwards."""
    load_municipalities()
    _ensure_demo_offices()
    offices = list(Office.objects.order_by("slug"))
    nearby = {office.pk: _nearby_municipalities(office) for office in offices}
    Faker.seed(SEED)
    fakers = {office.pk: _faker_for(office) for office in offices}
    for office in offices:
        fakers[office.pk].seed_instance(SEED + office.pk)
    for number in range(1, people + 1):
        office = offices[(number - 1) % len(offices)]
        fake = fakers[office.pk]
        # One generator per person: a rerun draws the same values for everyone.
        rng = random.Random(SEED * 100_000 + number)  # noqa: S311 (demo data, not security)
        first_name, last_name = fake.first_name(), fake.last_name()
        member_number = f"D{number:05d}"
        email = f"{member_number.lower()}@demo.coopsip.org"
        is_member = rng.random() < 0.85
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(0, 365 * 50))
        since = date(2008, 1, 1) + timedelta(days=rng.randrange(0, 365 * 17))
        entry, _created = RegisterEntry.objects.get_or_create(
            member_number=member_number,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": email,
                "date_of_birth": birth,
                "status": MembershipStatus.MEMBER if is_member else MembershipStatus.USER,
                "is_client": not is_member or rng.random() < 0.1,
                "is_employee": rng.random() < 0.7,
                "member_since": since if is_member else None,
            },
        )
        # Two people in three have an account, linked to their entry.
        has_account = rng.random() < 2 / 3
        if has_account and entry.user_id is None:
            places = nearby[office.pk]
            language = "nl" if fake.locales[0] == "nl_BE" else "fr"
            user = _ensure_account(
                email=email,
                first_name=first_name,
                last_name=last_name,
                language=language,
                office=office,
                municipality=rng.choice(places) if places else None,
            )
            user.languages_spoken = sorted({language, rng.choice([code for code, _name in SPOKEN_LANGUAGES[:3]])})
            user.save(update_fields=["languages_spoken"])
            entry.user = user
            entry.verified_at = user.date_joined
            entry.save(update_fields=["user", "verified_at"])
    _load_demo_accounts(offices)
    edition_counts = load_editions()
    return {
        "offices": Office.objects.count(),
        "municipalities": Municipality.objects.count(),
        "register_entries": RegisterEntry.objects.count(),
        "accounts": User.objects.count(),
        **edition_counts,
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
