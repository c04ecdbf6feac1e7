"""A finished formation run of any size, written straight to the database (bulk_create, no engine): for the tests
and the benchmark of the staff review page at the size of a real edition.

``build_review_run(5000)`` makes 12 themes, 5,000 registrations (each with a
theme, a slot, an office and a home at that office), about 96 % of them in
groups of 11 (a moderator, a secretary, nine participants) and the rest left
out with "groups full". A third of the groups share one theme × office, so
that its page of groups is full; the others are spread over every theme,
office and video, in Dutch or French, on three time slots.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.hashers import make_password

from coopsip.accounts.models import User
from coopsip.editions.models import Edition, Theme
from coopsip.formation import inputs
from coopsip.formation.models import FormationRun, ProposedGroup, ProposedMember, RunStatus, Unplaced
from coopsip.places.models import Municipality, Office
from coopsip.registrations.models import AvailabilitySlot, Registration, ThemePreference
from coopsip.registrations.tests.test_staff_access import make_open_edition

GROUP_SIZE = 11
SLOTS = [(0, "evening"), (1, "evening"), (5, "morning")]
PLACED_SHARE = 0.96


def _themes(edition: Edition) -> list[Theme]:
    for number in range(5, 13):
        Theme.objects.create(
            edition=edition,
            slug=f"theme-{number}",
            position=number,
            title=f"Theme {number}",
            title_nl=f"Thema {number}",
            title_fr=f"Thème {number}",
            title_en=f"Theme {number}",
            in_belgium=True,
        )
    return list(edition.themes.filter(in_belgium=True).order_by("position", "pk"))


def _homes(offices: list[Office]) -> dict[int, Municipality]:
    """A municipality at each office: everyone lives at the office of their group."""
    homes = {}
    for number, office in enumerate(offices):
        homes[office.pk], _created = Municipality.objects.get_or_create(
            country="BE",
            postcode=f"8{number:03d}",
            name=f"Near {office.name}",
            defaults={"latitude": Decimal(office.latitude), "longitude": Decimal(office.longitude)},
        )
    return homes


def build_review_run(size: int, *, by: User | None = None, slug: str | None = None) -> FormationRun:
    edition = make_open_edition(slug=slug or f"review-{size}")
    edition.group_size_min, edition.group_size_max = 6, 12
    edition.save(update_fields=["group_size_min", "group_size_max"])
    themes = _themes(edition)
    offices = list(Office.objects.order_by("pk"))
    homes = _homes(offices)
    venues: list[Office | None] = [*offices, None]
    groups_count = int(size * PLACED_SHARE) // GROUP_SIZE
    crowded = groups_count // 3
    # Each group's theme, venue, language and slot: a third in the first theme × office, the rest spread out.
    cells: list[tuple[Theme, Office | None, str, tuple[int, str]]] = []
    for number in range(groups_count):
        if number < crowded:
            cells.append((themes[0], offices[0], "nl", SLOTS[number % len(SLOTS)]))
        else:
            spread = number - crowded
            cells.append(
                (
                    themes[spread % len(themes)],
                    venues[(spread // len(themes)) % len(venues)],
                    ("nl", "fr")[spread % 2],
                    SLOTS[(spread // 2) % len(SLOTS)],
                )
            )
    password = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"person{number:05d}@review-{size}.example.org",
            first_name="Person",
            last_name=f"R{number:05d}",
            password=password,
        )
        for number in range(size)
    )
    people: list[tuple[Theme, Office | None, str, tuple[int, str]]] = []
    for number in range(size):
        group = number // GROUP_SIZE
        people.append(cells[group] if group < groups_count else (themes[0], offices[0], "nl", SLOTS[0]))
    registrations = Registration.objects.bulk_create(
        Registration(
            edition=edition,
            user=user,
            mode="either" if venue is not None else "video",
            office=venue or offices[0],
            municipality=homes[(venue or offices[0]).pk],
            languages=[language],
            volunteers_as_moderator=number % GROUP_SIZE == 0,
            volunteers_as_secretary=number % GROUP_SIZE == 1,
        )
        for number, (user, (_theme, venue, language, _slot)) in enumerate(zip(users, people, strict=True))
    )
    ThemePreference.objects.bulk_create(
        ThemePreference(registration=registration, theme=theme, rank=1)
        for registration, (theme, *_rest) in zip(registrations, people, strict=True)
    )
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot(registration=registration, weekday=slot[0], part=slot[1])
        for registration, (*_rest, slot) in zip(registrations, people, strict=True)
    )
    placed = groups_count * GROUP_SIZE
    report: dict[str, Any] = {
        "registrants": size,
        "groups": groups_count,
        "assigned": placed,
        "unassigned": size - placed,
        "share_assigned": round(placed / size, 5),
        "share_first_choice": round(placed / size, 5),
        "share_top_two": round(placed / size, 5),
        "travel_km_mean": 0.0,
        "violations": 0,
        "gap": 0.0042,
        "seconds": 9.5,
    }
    run = FormationRun.objects.create(
        edition=edition,
        number=1,
        status=RunStatus.DONE,
        progress=100,
        params=inputs.default_params(edition),
        report=report,
        started_by=by,
    )
    stored = ProposedGroup.objects.bulk_create(
        ProposedGroup(
            run=run,
            key=f"G{number + 1:04d}",
            theme=theme,
            mode="in_person" if venue is not None else "video",
            office=venue,
            language=language,
            slot=inputs.slot_code(*slot),
        )
        for number, (theme, venue, language, slot) in enumerate(cells)
    )
    roles = {0: "moderator", 1: "secretary"}
    ProposedMember.objects.bulk_create(
        ProposedMember(
            run=run,
            group=stored[number // GROUP_SIZE],
            registration=registration,
            role=roles.get(number % GROUP_SIZE, "participant"),
        )
        for number, registration in enumerate(registrations[:placed])
    )
    Unplaced.objects.bulk_create(
        Unplaced(
            run=run,
            registration=registration,
            code="groups_full",
            params={"theme": str(themes[0].pk), "office": str(offices[0].pk), "language": "nl"},
        )
        for registration in registrations[placed:]
    )
    return run
