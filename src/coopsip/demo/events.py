"""Demo events: the editions' info sessions, networking moments, a weekly series, a group with its meetings.

- Each public session of the demo editions (the online info session of
  16 December 2020, 10:00–11:30, and the made-up one of 2026-2027) becomes
  a public online event, with its texts; the past one has sign-ups and
  recorded attendance.
- Networking moments in the weeks to come, in the formats of the seeds
  (afterwork, work breakfast, meet & connect, forest walk, picnic, street-art
  walk, tour of shared workspaces), at offices, at the KOP and the workshops
  BAF and LaVallée, at an address, online; one is full, with a waiting list.
- "Every Monday morning at the KOP": a weekly work breakfast series.
- A sector network (a group) with past monthly meetings whose attendance and
  minutes are recorded (someone missed two in a row) and coming ones; the
  demo member is its secretary, so she sees the organiser's pages.

Addresses are MADE UP. Everything goes through the events services, without
emails (the people are made up). Loading twice adds nothing.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone, translation

from coopsip.accounts.models import User
from coopsip.demo.editions import EDITIONS, SessionData, T, t
from coopsip.editions.models import CurrentEdition, Edition
from coopsip.editions.phases import BRUSSELS
from coopsip.events import services
from coopsip.events.models import (
    Attendance,
    Audience,
    Circle,
    CircleRole,
    Event,
    EventFormat,
    EventKind,
    Place,
    PlaceKind,
    Sector,
    Series,
)
from coopsip.places.models import Office

SEED = 2027

# The address in each language, as the post and the street signs write it: both languages in Brussels,
# Dutch in Flanders, French in Wallonia (the town's name in the reader's language, the street as signposted).
PLACES = [
    # name, kind, office slug, {language: address}
    (
        "KOP",
        PlaceKind.SHARED_SPACE,
        None,
        {"nl": "Coenraetsstraat 72, 1060 Sint-Gillis", "fr": "Rue Coenraets 72, 1060 Saint-Gilles"},
    ),
    (
        "BAF",
        PlaceKind.SHARED_SPACE,
        None,
        {"nl": "Werkhuizenkaai 12, 1000 Brussel", "fr": "Quai des Usines 12, 1000 Bruxelles"},
    ),
    (
        "LaVallée",
        PlaceKind.SHARED_SPACE,
        None,
        {
            "nl": "Adolphe Lavalléestraat 39, 1080 Sint-Jans-Molenbeek",
            "fr": "Rue Adolphe Lavallée 39, 1080 Molenbeek-Saint-Jean",
        },
    ),
    (
        "Smart Gent",
        PlaceKind.OFFICE,
        "gent",
        {"nl": "Kortrijksesteenweg 100, 9000 Gent", "fr": "Kortrijksesteenweg 100, 9000 Gand"},
    ),
    (
        "Smart Antwerpen",
        PlaceKind.OFFICE,
        "antwerpen",
        {"nl": "Lange Lozanastraat 20, 2018 Antwerpen", "fr": "Lange Lozanastraat 20, 2018 Anvers"},
    ),
    ("Smart Liège", PlaceKind.OFFICE, "luik", {"nl": "Rue Natalis 2, 4020 Luik", "fr": "Rue Natalis 2, 4020 Liège"}),
    (
        "Atelier partenaire Namur",
        PlaceKind.PARTNER,
        None,
        {"nl": "Rue de Fer 5, 5000 Namen", "fr": "Rue de Fer 5, 5000 Namur"},
    ),
]
# Where the map on an event's page is centred (the offices have their own position, in places.Office).
POSITIONS = {
    "KOP": (50.82963, 4.33977),
    "BAF": (50.85636, 4.34445),
    "LaVallée": (50.85716, 4.33958),
    "Atelier partenaire Namur": (50.46519, 4.86518),
}
DEMO_NOTES = {
    "nl": "Verzonnen adres voor de demo.",
    "fr": "Adresse inventée pour la démo.",
    "en": "Made-up address for the demo.",
}


BREAKFAST_TITLE_EN = "Work breakfast at the KOP, every Monday morning"


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def _texts(text: T) -> dict[str, str]:
    return {"nl": text.nl, "fr": text.fr, "en": text.en}


def _people() -> list[User]:
    """Made-up members with an account, in a fixed order."""
    return list(
        User.objects.filter(email__endswith="@demo.coopsip.org", register_entry__status="member")
        .exclude(email__in=["vennoot@demo.coopsip.org", "bestuur@demo.coopsip.org"])
        .order_by("email")[:120]
    )


def _sign_up_before(event: Event, people: list[User], *, days: int = 3) -> None:
    for offset, person in enumerate(people):
        services.sign_up(
            event_id=event.pk, user=person, now=event.starts_at - timedelta(days=days, minutes=-offset), notify=False
        )


def load_events() -> dict[str, int]:
    """Load the demo events once; returns counts."""
    _load()
    return {
        "places": Place.objects.count(),
        "events": Event.objects.count(),
        "series": Series.objects.count(),
        "circles": Circle.objects.count(),
    }


def _load() -> None:
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    offices = {office.slug: office for office in Office.objects.all()}
    places = {}
    for name, kind, office_slug, addresses in PLACES:
        office = offices.get(office_slug) if office_slug else None
        if kind == PlaceKind.OFFICE and office is None:
            continue
        # English pages write Brussels and Wallonia as French does, Flanders as Dutch does.
        english = (
            addresses["nl"] if kind == PlaceKind.OFFICE and office_slug in ("gent", "antwerpen") else addresses["fr"]
        )
        texts = {"nl": addresses["nl"], "fr": addresses["fr"], "en": english}
        # update_or_create: a demo loaded before the addresses had languages gets them too (still idempotent).
        places[name], _created = Place.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "office": office,
                **{f"address_{code}": text for code, text in texts.items()},
                **{f"access_notes_{code}": note for code, note in DEMO_NOTES.items()},
                **dict(zip(("latitude", "longitude"), POSITIONS.get(name, (None, None)), strict=True)),
            },
        )
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    lotte = User.objects.filter(email="vennoot@demo.coopsip.org").first()
    people = _people()
    today = timezone.localdate()
    # Each part is loaded once: a second run finds its first event and moves on.
    if not Event.objects.filter(kind=EventKind.INFO_SESSION).exists():
        _info_sessions(staff, people)
    if not Event.objects.filter(kind=EventKind.NETWORKING, series__isnull=True).exists():
        _networking(staff, people, places, today, rng)
    # Other demo modules add series of their own (demo.networking): look for this one.
    if not Series.objects.filter(title_en=BREAKFAST_TITLE_EN).exists():
        _weekly_breakfast(staff, people, places, today)
    if not Circle.objects.exists():
        _sector_network(staff, lotte, people, places, today, rng)
    if not Event.objects.filter(format=EventFormat.PRACTICAL_VISIT).exists():
        _practical_visit(staff, people, places, today)


INFO_AGENDA = {
    "nl": "1. Voorstelling van de editie\n2. Vragen en antwoorden",
    "fr": "1. Présentation de l'édition\n2. Questions et réponses",
    "en": "1. Presentation of the edition\n2. Questions and answers",
}


NETWORK_AGENDA = {
    "nl": "1. Nieuwtjes van iedereen\n2. Gedeelde tarieven voor drukwerk\n3. Volgende bijeenkomst",
    "fr": "1. Les nouvelles de chacun\n2. Des tarifs partagés pour l'impression\n3. Prochaine réunion",
    "en": "1. News from everyone\n2. Shared printing rates\n3. Next meeting",
}
NETWORK_MINUTES = {
    "nl": (
        "## Bijeenkomst {number}\n\n- {present} mensen waren er.\n"
        "- We vergeleken wat ieder van ons vraagt voor drukwerk.\n- Volgende keer: een gedeelde prijslijst."
    ),
    "fr": (
        "## Réunion {number}\n\n- {present} personnes étaient présentes.\n"
        "- Nous avons comparé ce que chacun demande pour l'impression.\n"
        "- La prochaine fois : une liste de prix commune."
    ),
    "en": (
        "## Meeting {number}\n\n- {present} people came.\n"
        "- We compared what each of us charges for printing.\n- Next time: a shared price list."
    ),
}


def _in_each_language(event: Event, **texts: dict[str, str]) -> None:
    """Set an agenda or minutes in the languages given (the meeting's only, for a meeting in one language)."""
    for field, by_language in texts.items():
        for code, text in by_language.items():
            if not event.language or code == event.language:
                setattr(event, f"{field}_{code}", text)
    event.save(update_fields=[f"{field}_{code}" for field in texts for code in ("nl", "fr", "en")])


def _spoken(session: SessionData) -> str:
    """The language a session is given in: that of its only title, or "" (mixed) when it has several."""
    titled = [code for code, text in _texts(session.title).items() if text]
    return titled[0] if len(titled) == 1 else ""


def _info_sessions(staff: User | None, people: list[User]) -> None:
    """The editions' info sessions (demo.editions' data), as public events with their sign-up."""
    now = timezone.now()
    editions = {edition.slug: edition for edition in Edition.objects.filter(slug__startswith="20")}
    sessions = [
        (editions[data.slug], session) for data in EDITIONS if data.slug in editions for session in data.sessions
    ]
    for edition, session in sessions:
        event = services.create_event(
            by=staff,
            data=services.EventInput(
                titles=_texts(session.title),
                descriptions=_texts(session.description),
                kind=EventKind.INFO_SESSION,
                format=EventFormat.PRESENTATION,
                edition=edition,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                attendance=Attendance.ONLINE,
                video_url="https://meet.example.org/smart-in-progress-info",
                audience=Audience.PUBLIC,
                capacity=100,
                # A session titled in one language is given in it; one for everyone has its agenda in each language.
                language=_spoken(session),
            ),
        )
        _in_each_language(event, agenda=INFO_AGENDA)
        if session.starts_at < now:
            _sign_up_before(event, people[:40])
            came = list(event.signups.values_list("pk", flat=True))[:31]
            services.record_attendance(by=staff, event=event, present=came, now=session.ends_at)


NETWORKING = [
    # days from today, hour, minutes long, format, place or None, titles, sector, capacity, attendance
    (
        9,
        18,
        150,
        EventFormat.AFTERWORK,
        "KOP",
        t("Afterwork in de KOP", "Afterwork au KOP", "Afterwork at the KOP"),
        "",
        40,
    ),
    (
        12,
        8,
        90,
        EventFormat.WORK_BREAKFAST,
        "Smart Gent",
        t("Werkontbijt grafisch ontwerp", "Petit-déjeuner graphisme", "Graphic design work breakfast"),
        Sector.GRAPHIC_DESIGN,
        3,
    ),
    (
        16,
        14,
        120,
        EventFormat.MEET_AND_CONNECT,
        None,
        t(
            "Meet & connect: muziek en podiumkunsten",
            "Meet & connect : musique et arts de la scène",
            "Meet & connect: music and performing arts",
        ),
        Sector.MUSIC,
        None,
    ),
    (
        20,
        10,
        180,
        EventFormat.FOREST_WALK,
        "",
        t("Boswandeling in het Zoniënwoud", "Balade en forêt de Soignes", "Walk in the Sonian Forest"),
        "",
        25,
    ),
    (
        27,
        14,
        120,
        EventFormat.STREET_ART_WALK,
        "Smart Liège",
        t("Street-artwandeling in Luik", "Balade street art à Liège", "Street-art walk in Liège"),
        Sector.VISUAL_ARTS,
        20,
    ),
    (
        33,
        10,
        150,
        EventFormat.WORKSPACE_TOUR,
        "BAF",
        t("Rondleiding langs gedeelde werkplaatsen", "Visite des ateliers partagés", "Tour of shared workspaces"),
        "",
        15,
    ),
    (
        40,
        12,
        120,
        EventFormat.PICNIC,
        "Atelier partenaire Namur",
        t("Picknick van de vennoten in Namen", "Pique-nique des associés à Namur", "Members' picnic in Namur"),
        "",
        None,
    ),
]


VISIT_TITLE = t(
    "Bezoek aan een praktijkvoorbeeld: de gedeelde ateliers van LaVallée",
    "Visite d'un cas pratique : les ateliers partagés de LaVallée",
    "Visit to a practical case: the shared workshops of LaVallée",
)
VISIT_DESCRIPTION = t(
    """
    De werkgroepen van deze editie bezoeken een praktijkvoorbeeld: hoe delen kunstenaars en ambachtslui er
    ruimte, materiaal en kosten? Een rondleiding door de bewoners, daarna vragen en een drankje.
    """,
    """
    Les groupes de travail de cette édition visitent un cas pratique : comment des artistes et des artisans
    y partagent-ils espace, matériel et frais ? Une visite guidée par les occupants, puis questions et un verre.
    """,
    """
    This edition's working groups visit a practical case: how do artists and craftspeople share space,
    equipment and costs there? A tour led by the people who work there, then questions and a drink.
    """,
)
VISIT_AGENDA = {
    "nl": "1. Onthaal en voorstelling van de plek\n2. Rondleiding door de ateliers\n3. Vragen en een drankje",
    "fr": "1. Accueil et présentation du lieu\n2. Visite des ateliers\n3. Questions et un verre",
    "en": "1. Welcome and presentation of the place\n2. Tour of the workshops\n3. Questions and a drink",
}


def _practical_visit(staff: User | None, people: list[User], places: dict[str, Place], today: date) -> None:
    """A visit to a practical case (issue 20: "a visit to practical cases is encouraged"), for the current edition."""
    current = CurrentEdition.objects.filter(country="BE").select_related("edition").first()
    start = _at(_next_weekday(today + timedelta(days=21), 2), 14)  # a Wednesday afternoon, three weeks on
    event = services.create_event(
        by=staff,
        data=services.EventInput(
            titles=_texts(VISIT_TITLE),
            descriptions=_texts(VISIT_DESCRIPTION),
            kind=EventKind.OTHER,
            format=EventFormat.PRACTICAL_VISIT,
            edition=current.edition if current is not None else None,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            attendance=Attendance.IN_PERSON,
            place=places.get("LaVallée"),
            address="" if "LaVallée" in places else "Rue Adolphe Lavallée 39, 1080 Molenbeek-Saint-Jean",
            audience=Audience.MEMBERS,
            capacity=15,
        ),
    )
    _in_each_language(event, agenda=VISIT_AGENDA)
    for person in people[10:19]:
        services.sign_up(event_id=event.pk, user=person, now=start - timedelta(days=10), notify=False)


def _networking(
    staff: User | None, people: list[User], places: dict[str, Place], today: date, rng: random.Random
) -> None:
    for days, hour, minutes, event_format, place_name, titles, sector, capacity in NETWORKING:
        start = _at(today + timedelta(days=days), hour)
        online = place_name is None
        event = services.create_event(
            by=staff,
            data=services.EventInput(
                titles=_texts(titles),
                kind=EventKind.NETWORKING,
                format=event_format,
                sector=sector,
                starts_at=start,
                ends_at=start + timedelta(minutes=minutes),
                attendance=Attendance.ONLINE if online else Attendance.IN_PERSON,
                place=places.get(place_name or ""),
                address="Bosvoorde station, 1170 Watermaal-Bosvoorde" if place_name == "" else "",
                video_url="https://meet.example.org/meet-and-connect" if online else "",
                capacity=capacity,
                audience=Audience.MEMBERS,
            ),
        )
        # A few sign-ups each; the breakfast with three seats is full, two wait.
        count = 5 if capacity == 3 else rng.randint(2, 12)
        chosen = rng.sample(people, min(count, len(people)))
        for person in chosen:
            services.sign_up(event_id=event.pk, user=person, notify=False)


def _weekly_breakfast(staff: User | None, people: list[User], places: dict[str, Place], today: date) -> None:
    monday = _next_weekday(today, 0)
    start = _at(monday, 8, 30)
    series = services.create_series(
        by=staff,
        data=services.EventInput(
            titles=_texts(
                t(
                    "Werkontbijt in de KOP, elke maandagochtend",
                    "Petit-déjeuner de travail au KOP, chaque lundi matin",
                    BREAKFAST_TITLE_EN,
                )
            ),
            descriptions=_texts(
                t(
                    "Kom ontbijten met andere vennoten, vertel waaraan je werkt en wat je zoekt.",
                    "Venez déjeuner avec d'autres associés, racontez ce que vous faites et ce que vous cherchez.",
                    "Have breakfast with other members: tell what you work on and what you look for.",
                )
            ),
            kind=EventKind.NETWORKING,
            format=EventFormat.WORK_BREAKFAST,
            starts_at=start,
            ends_at=start + timedelta(minutes=90),
            attendance=Attendance.IN_PERSON,
            place=places["KOP"],
            capacity=12,
            audience=Audience.MEMBERS,
        ),
        rule="FREQ=WEEKLY;COUNT=12",
    )
    for number, event in enumerate(series.events.order_by("starts_at")[:3]):
        for person in people[number * 4 : number * 4 + 6]:
            services.sign_up(event_id=event.pk, user=person, notify=False)


def _sector_network(
    staff: User | None,
    lotte: User | None,
    people: list[User],
    places: dict[str, Place],
    today: date,
    rng: random.Random,
) -> None:
    members = people[60:68]
    circle = services.create_circle(
        name="Sectornetwerk grafisch ontwerp · Réseau graphisme",
        members=[(person, CircleRole.MEMBER) for person in members],
    )
    if lotte is not None:
        services.add_to_circle(circle=circle, user=lotte, role=CircleRole.SECRETARY)
    first = _next_weekday(today - timedelta(days=7 * 17), 3)  # a Thursday about four months ago
    for month in range(6):
        start = _at(first + timedelta(weeks=4 * month), 19)
        event = services.create_event(
            by=staff,
            data=services.EventInput(
                titles=_texts(
                    t(
                        f"Bijeenkomst sectornetwerk grafisch ontwerp ({month + 1})",
                        f"Réunion du réseau graphisme ({month + 1})",
                        f"Graphic design network meeting ({month + 1})",
                    )
                ),
                kind=EventKind.GROUP_MEETING,
                format=EventFormat.MEETING,
                sector=Sector.GRAPHIC_DESIGN,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                attendance=Attendance.HYBRID,
                place=places.get("KOP"),
                video_url="https://meet.example.org/graphic-design-network",
                audience=Audience.CIRCLE,
                circle=circle,
                # The network meets in both languages: its agenda and minutes are written in each (and English).
                language="",
            ),
        )
        _in_each_language(event, agenda=NETWORK_AGENDA)
        if start < timezone.now():
            seated = list(event.signups.order_by("user__email"))
            # The second member missed the last two meetings: staff should see it.
            present = [s.pk for index, s in enumerate(seated) if not (index == 1 and month >= 2) and rng.random() > 0.1]
            services.record_attendance(by=lotte or staff, event=event, present=present, now=event.ends_at)
            with translation.override("nl"):
                services.save_minutes(
                    by=lotte or staff,
                    event=event,
                    agenda=NETWORK_AGENDA["nl"],
                    minutes=NETWORK_MINUTES["nl"].format(number=month + 1, present=len(present)),
                )
            _in_each_language(
                event,
                minutes={
                    code: text.format(number=month + 1, present=len(present)) for code, text in NETWORK_MINUTES.items()
                },
            )
