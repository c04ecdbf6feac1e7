"""Demo networking: 40 professional profiles, 80 offers and needs across sectors, in Belgium and France.

- 40 demo people with an account (spread over the offices, so both countries) get a profile
  (36 shown to members, 4 kept hidden: the opt-in is off by default) and one offer in their
  skill; every person also publishes a need, in their language.
- The demo member (vennoot@demo.coopsip.org) needs a photographer for a show in Gent: Dutch-speaking
  photographers near Gent offer just that, so her need's page shows good matches with their reasons.
  She also has a saved search and wrote to one photographer, who answered (addresses revealed).
- Three projects with a team, a recommendation and a partner meeting (events of kind "partner
  meeting", one at the KOP), and a monthly "Partner Meeting Point" series at the KOP.
- Every state: published, expiring within a week (the reminder), expired, withdrawn, hidden by the
  team with a reason, reported and waiting for the team.
- Two sector networks: graphic design (the group of the events demo, named here in nl/fr/en) and
  audiovisual (a new group, a moderator, a past and a coming meeting), each with a vademecum of links
  and a request to join waiting and one declined.
- Networking events of all four levels (local, regional, federal, European) over two years, with
  attendance (and the head count of the partners' events), and two coming ones, for the follow-up.

Everything goes through the networking services (search stems and vectors are written as in real
use); no email leaves (the people are made up: the outbox is emptied of these keys' emails).
Loading twice adds nothing: a person who has a profile is left as they are.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.editions.phases import BRUSSELS
from coopsip.networking import services
from coopsip.networking.models import (
    EventFollowUp,
    Listing,
    ListingStatus,
    Profile,
    Project,
    SavedSearch,
    Sector,
    SectorNetwork,
    Skill,
)
from coopsip.places.models import Municipality

SEED = 2029
PEOPLE = 40
DEMO_MEMBER = "vennoot@demo.coopsip.org"

# skill slug → (category, sector slug, {language: (offer title, offer text)})
OFFERS: dict[str, dict[str, tuple[str, str]]] = {
    "photography": {
        "nl": (
            "Fotograaf voor voorstellingen en evenementen",
            "Ik fotografeer voorstellingen, repetities en festivals.",
        ),
        "fr": ("Photographe de spectacles et d'événements", "Je photographie spectacles, répétitions et festivals."),
        "en": ("Photographer for shows and events", "I photograph shows, rehearsals and festivals."),
    },
    "sound-engineering": {
        "nl": ("Geluidstechnicus met eigen materiaal", "Live mixen en opnames, ook in kleine zalen."),
        "fr": ("Ingénieur du son avec matériel", "Mixage live et enregistrements, aussi en petite salle."),
        "en": ("Sound engineer with own gear", "Live mixing and recording, small venues too."),
    },
    "video-editing": {
        "nl": ("Videomontage van korte films en clips", "Montage, kleurcorrectie en ondertitels."),
        "fr": ("Montage vidéo de courts métrages et clips", "Montage, étalonnage et sous-titres."),
        "en": ("Video editing for short films and clips", "Editing, colour grading and subtitles."),
    },
    "graphic-design": {
        "nl": ("Grafisch ontwerper: affiches en huisstijl", "Affiches, flyers, logo's en huisstijlen."),
        "fr": ("Graphiste : affiches et identité visuelle", "Affiches, flyers, logos et identités visuelles."),
        "en": ("Graphic designer: posters and identity", "Posters, flyers, logos and visual identities."),
    },
    "lighting": {
        "nl": ("Lichtontwerp voor theater en dans", "Lichtplan, opbouw en bediening tijdens de voorstelling."),
        "fr": ("Création lumière pour théâtre et danse", "Plan de feux, montage et régie pendant le spectacle."),
        "en": ("Lighting design for theatre and dance", "Lighting plan, rigging and operating during the show."),
    },
    "translation": {
        "nl": ("Vertaling Nederlands–Frans–Engels", "Teksten voor programmaboekjes, websites en dossiers."),
        "fr": ("Traduction néerlandais–français–anglais", "Textes de programmes, sites web et dossiers."),
        "en": ("Translation Dutch–French–English", "Texts for programmes, websites and applications."),
    },
    "web-development": {
        "nl": ("Websites voor kunstenaars", "Eenvoudige sites die je zelf kunt bijhouden."),
        "fr": ("Sites web pour artistes", "Des sites simples que vous mettez à jour vous-même."),
        "en": ("Websites for artists", "Simple sites you can keep up to date yourself."),
    },
    "subsidy-applications": {
        "nl": ("Hulp bij subsidiedossiers", "Ik schreef al tientallen aanvragen voor projectoproepen."),
        "fr": ("Aide aux dossiers de subsides", "J'ai écrit des dizaines de dossiers d'appels à projets."),
        "en": ("Help with grant applications", "I wrote dozens of applications for calls."),
    },
}
NEEDS: list[tuple[str, str, dict[str, tuple[str, str]]]] = [
    (
        "sound-engineering",
        "work",
        {
            "nl": ("Geluidstechnicus gezocht voor een concert", "Eén avond, kleine zaal, 150 mensen."),
            "fr": ("Cherche ingénieur du son pour un concert", "Une soirée, petite salle, 150 personnes."),
            "en": ("Sound engineer wanted for a concert", "One evening, small venue, 150 people."),
        },
    ),
    (
        "graphic-design",
        "work",
        {
            "nl": ("Affiche nodig voor een festival", "Een affiche en een flyer in twee talen."),
            "fr": ("Besoin d'une affiche pour un festival", "Une affiche et un flyer en deux langues."),
            "en": ("Poster needed for a festival", "A poster and a flyer in two languages."),
        },
    ),
    (
        "subsidy-applications",
        "partner",
        {
            "nl": ("Partner gezocht voor een Europese projectoproep", "Een mede-aanvrager uit de culturele sector."),
            "fr": ("Cherche partenaire pour un appel à projets européen", "Un co-porteur du secteur culturel."),
            "en": ("Partner wanted for a European call", "A co-applicant from the cultural sector."),
        },
    ),
    (
        "translation",
        "work",
        {
            "nl": ("Vertaler gezocht voor een programmaboekje", "Twintig pagina's van het Frans naar het Nederlands."),
            "fr": ("Cherche traducteur pour un programme", "Vingt pages du néerlandais vers le français."),
            "en": ("Translator wanted for a programme", "Twenty pages, French into Dutch."),
        },
    ),
    (
        "",
        "space",
        {
            "nl": ("Repetitieruimte gezocht", "Twee avonden per week, voor een groep van vijf."),
            "fr": ("Cherche un local de répétition", "Deux soirs par semaine, pour un groupe de cinq."),
            "en": ("Rehearsal space wanted", "Two evenings a week, for a group of five."),
        },
    ),
]


AUDIOVISUAL = ("audiovisual", "photography-sector")
VADEMECUM = [
    ("Vademecum: tarieven en contracten", "https://example.org/vademecum/tarieven"),
    ("Vademecum: rechten en licenties", "https://example.org/vademecum/rechten"),
]


def _people() -> list[User]:
    """40 demo members with a place, spread over the offices (both countries), always the same ones."""
    candidates = list(
        User.objects.filter(
            email__endswith="@demo.coopsip.org",
            email__startswith="d",
            municipality__isnull=False,
            office__isnull=False,
            register_entry__status="member",
        )
        .select_related("office", "municipality")
        .order_by("office__slug", "email")
    )
    by_office: dict[str, list[User]] = {}
    for person in candidates:
        by_office.setdefault(person.office.slug if person.office else "", []).append(person)
    chosen: list[User] = []
    while len(chosen) < PEOPLE and any(by_office.values()):
        for people in by_office.values():
            if people and len(chosen) < PEOPLE:
                chosen.append(people.pop(0))
    return chosen


def _language(person: User) -> str:
    return person.preferred_language if person.preferred_language in ("nl", "fr", "en") else "nl"


def _skill_for(index: int, person: User, skills: list[str]) -> str:
    # People of the Gent office are photographers first: the demo member's need finds them.
    if person.office and person.office.slug == "gent" and index % 3 != 2:
        return "photography"
    return skills[index % len(skills)]


def load_networking() -> dict[str, Any]:
    """Load the demo networking once; returns counts."""
    if not Sector.objects.exists():
        return {}
    people = _people()
    if not people:
        return _counts()
    _profiles_listings_projects(people)
    # Sign-ups take their own (durable) transactions, like every sign-up does: outside the one above.
    _sector_networks(people)
    _networking_events(people)
    return _counts()


@transaction.atomic
def _profiles_listings_projects(people: list[User]) -> None:
    if Profile.objects.filter(user=people[0]).exists():
        return
    rng = random.Random(SEED)  # noqa: S311 (demo data)
    skills = {s.slug: s for s in Skill.objects.select_related("sector")}
    skill_slugs = list(OFFERS)
    now = timezone.now()
    for index, person in enumerate(people):
        language = _language(person)
        skill = skills[_skill_for(index, person, skill_slugs)]
        sectors = (skill.sector,) if skill.sector else ()
        services.save_profile(
            user=person,
            data=services.ProfileInput(
                is_visible=index % 10 != 9,
                activity=OFFERS[skill.slug][language][0],
                sectors=sectors,
                skills=(skill,),
                languages=tuple(sorted({language, *(["en"] if index % 4 == 0 else [])})),
                office_id=person.office_id,
                municipality_id=person.municipality_id,
                radius_km=rng.choice([20, 30, 50]),
                remote=skill.slug in ("translation", "web-development", "subsidy-applications"),
                about="",
                links=f"https://example.org/portfolio/{person.pk}",
                looking_for="",
                shown=("activity", "sectors", "languages", "place", "links"),
            ),
        )
        title, body = OFFERS[skill.slug][language]
        offer = services.publish_listing(
            author=person,
            data=services.ListingInput(
                kind="offer",
                category="work",
                title=title,
                body=body,
                language=language,
                sectors=sectors,
                skills=(skill,),
                municipality_id=person.municipality_id,
                radius_km=rng.choice([25, 40, 60]),
                remote=skill.slug in ("translation", "web-development", "subsidy-applications"),
                pay=rng.choice(["paid", "paid", "exchange", "volunteer"]),
            ),
        )
        need_skill, category, texts = NEEDS[index % len(NEEDS)]
        need_title, need_body = texts[language]
        need_term = skills.get(need_skill)
        starts = timezone.localdate() + timedelta(days=rng.randrange(10, 90)) if index % 3 == 0 else None
        need = services.publish_listing(
            author=person,
            data=services.ListingInput(
                kind="need",
                category=category,
                title=need_title,
                body=need_body,
                language=language,
                sectors=(need_term.sector,) if need_term and need_term.sector else (),
                skills=(need_term,) if need_term else (),
                municipality_id=person.municipality_id,
                radius_km=40,
                starts_on=starts,
                ends_on=starts + timedelta(days=30) if starts else None,
                pay="paid" if category == "work" else "exchange",
            ),
        )
        # Every state of an offer or need.
        if index == 5:
            Listing.objects.filter(pk=offer.pk).update(expires_at=now + timedelta(days=4))  # reminder due
        elif index == 6:
            Listing.objects.filter(pk=need.pk).update(expires_at=now - timedelta(days=3))  # expired
        elif index == 7:
            services.withdraw_listing(listing=need)
        elif index == 8:
            services.report(listing=offer, reporter=people[0], reason="Looks like an advertisement for a shop.")
        elif index == 9:
            services.report(listing=offer, reporter=people[1], reason="Not a member's offer.")
            services.hide_listing(listing=offer, by=None, reason="An advertisement, not an offer of a member.")
    _demo_member(skills)
    _projects(people)
    # The people are made up: none of these emails leaves (removed before the commit that would send them).
    OutgoingEmail.objects.filter(key__startswith="networking:").delete()


def _demo_member(skills: dict[str, Skill]) -> None:
    member = User.objects.filter(email=DEMO_MEMBER).first()
    gent = Municipality.objects.filter(country="BE", postcode="9000").order_by("name").first()
    if member is None or gent is None:
        return
    photo = skills["photography"]
    services.save_profile(
        user=member,
        data=services.ProfileInput(
            is_visible=True,
            activity="Regisseur en theatermaker",
            sectors=tuple(Sector.objects.filter(slug="performing-arts")),
            skills=tuple(Skill.objects.filter(slug__in=["stage-management", "acting"])),
            languages=("nl", "fr"),
            office_id=member.office_id,
            municipality_id=member.municipality_id,
            radius_km=60,
            looking_for="Fotografen en technici voor onze voorstellingen.",
            shown=("activity", "sectors", "languages", "place", "looking_for"),
        ),
    )
    need = services.publish_listing(
        author=member,
        data=services.ListingInput(
            kind="need",
            category="work",
            title="Fotograaf gezocht voor een voorstelling in Gent",
            body="Voor de **première** van onze nieuwe voorstelling zoeken we een fotograaf "
            "(repetitie en avond zelf). Betaald, via Smart.",
            language="nl",
            sectors=(photo.sector,) if photo.sector else (),
            skills=(photo,),
            tags="theater, première",
            municipality_id=gent.pk,
            radius_km=40,
            pay="paid",
        ),
    )
    services.save_search(
        user=member,
        name="Fotografen rond Gent",
        query="fotograaf",
        filters={"near": "9000", "within_km": "40"},
        frequency="weekly",
    )
    offer = (
        Listing.objects.filter(kind="offer", status=ListingStatus.PUBLISHED, skills=photo, language="nl")
        .exclude(author=member)
        .order_by("pk")
        .first()
    )
    if offer is not None:
        thread = services.write_to_author(
            listing=offer, sender=member, body="Dag! Ben je vrij in maart voor een première?"
        )
        services.write_message(thread=thread, author=offer.author, body="Ja, graag. Bel me gerust.")
    del need


PROJECTS = [
    (
        "Theater op tournee in de dorpen",
        "Een voorstelling die naar de dorpen van Oost-Vlaanderen reist, in zalen en schuren.",
        "Een busje, een lichttechnicus, speelplekken.",
        "Een gratis voorstelling voor de dorpen die ons ontvangen.",
        "performing-arts",
        "nl",
    ),
    (
        "Atelier partagé de sérigraphie",
        "Un atelier de sérigraphie partagé à Liège, ouvert aux graphistes et aux artistes.",
        "Des associés pour partager le loyer, une presse d'occasion.",
        "Des heures d'atelier et une formation à la sérigraphie.",
        "design",
        "fr",
    ),
    (
        "Festival de courts métrages en plein air",
        "Un petit festival de courts métrages dans un parc de Lille, en été.",
        "Des monteurs, un ingénieur du son, des bénévoles.",
        "Une scène pour les films des associés.",
        "audiovisual",
        "fr",
    ),
]


def _partner_meeting(title: str, language: str) -> str:
    with translation.override(language):
        return _("Partner meeting: %(title)s") % {"title": title}


def _projects(people: list[User]) -> None:
    """Three projects with a team, a recommendation and a partner meeting; a monthly Partner Meeting Point at
    the KOP (a series of the events engine)."""
    from coopsip.events import services as events_services
    from coopsip.events.models import Attendance, Audience, EventFormat, EventKind, Place, Series

    kop = Place.objects.filter(name="KOP").first()
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    today = timezone.localdate()
    for number, (title, description, needs, offers, sector, language) in enumerate(PROJECTS):
        owner = people[number * 7]
        project = services.create_project(
            owner=owner,
            data=services.ProjectInput(
                title=title,
                description=description,
                needs=needs,
                offers=offers,
                sectors=tuple(Sector.objects.filter(slug=sector)),
            ),
        )
        for member in people[number * 7 + 1 : number * 7 + 4]:
            services.join_project(project=project, user=member)
        services.recommend_to_project(
            project=project, by=people[number * 7 + 5], text="Vraag het aan het sectornetwerk: daar zitten er veel."
        )
        day = today + timedelta(days=14 + 7 * number)
        start = timezone.make_aware(datetime.combine(day, time(18, 30)), BRUSSELS)
        services.organise_partner_meeting(
            project=project,
            by=owner,
            data=events_services.EventInput(
                # Named as the project page names it, in the language its project is written in: the other
                # pages mark it as that language's.
                titles={language: _partner_meeting(title, language)},
                descriptions={language: description},
                language=language,
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                format=EventFormat.MEET_AND_CONNECT,
                place=kop if number == 0 else None,
                address="" if number == 0 and kop else "Adresse à préciser (démo)",
                capacity=30,
            ),
        )
    if kop is not None and not Series.objects.filter(title_en="Partner Meeting Point").exists():
        month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        first_tuesday = month + timedelta(days=(1 - month.weekday()) % 7)
        first = timezone.make_aware(datetime.combine(first_tuesday, time(17, 0)), BRUSSELS)
        events_services.create_series(
            by=staff,
            data=events_services.EventInput(
                titles={"nl": "Partner Meeting Point", "fr": "Partner Meeting Point", "en": "Partner Meeting Point"},
                descriptions={
                    "nl": "Elke eerste dinsdag in de KOP: stel je project voor en vind partners.",
                    "fr": "Chaque premier mardi au KOP : présentez votre projet et trouvez des partenaires.",
                    "en": "Every first Tuesday at the KOP: present your project and find partners.",
                },
                kind=EventKind.PARTNER_MEETING,
                format=EventFormat.MEET_AND_CONNECT,
                starts_at=first,
                ends_at=first + timedelta(hours=2),
                attendance=Attendance.IN_PERSON,
                place=kop,
                capacity=40,
                audience=Audience.MEMBERS,
            ),
            rule="FREQ=MONTHLY;BYDAY=1TU;COUNT=6",
        )


def _sector_networks(people: list[User]) -> None:
    """Two sector networks: graphic design (the group of the events demo, named here in nl/fr/en) and
    audiovisual (a new group with a moderator, a coming meeting and a past one). Each has a vademecum (links
    in its group space) and requests to join: one waiting, one declined."""
    from coopsip.events import services as events_services
    from coopsip.events.models import Attendance, Audience, Circle, CircleRole, EventFormat, EventKind
    from coopsip.groupspace import services as groupspace_services

    if SectorNetwork.objects.exists():
        return
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    design = Circle.objects.filter(name__startswith="Sectornetwerk grafisch ontwerp").first()
    networks = []
    if design is not None:
        networks.append(
            services.create_sector_network(
                circle=design,
                sector=Sector.objects.get(slug="design"),
                names={
                    "nl": "Sectornetwerk grafisch ontwerp",
                    "fr": "Réseau du graphisme",
                    "en": "Graphic design network",
                },
                descriptions={
                    "nl": "Grafisch ontwerpers van de coöperatie komen elke vier weken samen in de KOP.",
                    "fr": "Les graphistes de la coopérative se retrouvent toutes les quatre semaines au KOP.",
                    "en": "The cooperative's graphic designers meet every four weeks at the KOP.",
                },
                how_to_join={
                    "nl": "Vraag het hieronder; de secretaris antwoordt binnen de week.",
                    "fr": "Demandez-le ci-dessous ; la secrétaire répond dans la semaine.",
                    "en": "Ask below; the secretary answers within a week.",
                },
            )
        )
    audiovisual = [p for p in people if Profile.objects.filter(user=p, sectors__slug__in=AUDIOVISUAL).exists()]
    circle = events_services.create_circle(
        name="Sectornetwerk audiovisueel",
        members=[(p, CircleRole.MODERATOR if n == 0 else CircleRole.MEMBER) for n, p in enumerate(audiovisual[:9])],
    )
    networks.append(
        services.create_sector_network(
            circle=circle,
            sector=Sector.objects.get(slug="audiovisual"),
            names={"nl": "Sectornetwerk audiovisueel", "fr": "Réseau audiovisuel", "en": "Audiovisual network"},
            descriptions={
                "nl": "Fotografen, cameramensen en monteurs delen hun tarieven, materiaal en opdrachten.",
                "fr": "Photographes, cadreurs et monteurs partagent leurs tarifs, leur matériel et leurs missions.",
                "en": "Photographers, camera operators and editors share their rates, gear and jobs.",
            },
            how_to_join={"nl": "Elk lid dat in beeld of geluid werkt, is welkom.", "fr": "", "en": ""},
        )
    )
    today = timezone.localdate()
    for days in (-30, 21):
        start = timezone.make_aware(datetime.combine(today + timedelta(days=days), time(19, 0)), BRUSSELS)
        event = events_services.create_event(
            by=staff,
            data=events_services.EventInput(
                titles={
                    "nl": "Bijeenkomst sectornetwerk audiovisueel",
                    "fr": "Réunion du réseau audiovisuel",
                    "en": "Audiovisual network meeting",
                },
                kind=EventKind.GROUP_MEETING,
                format=EventFormat.MEETING,
                sector="audiovisual",
                starts_at=start,
                ends_at=start + timedelta(hours=2),
                attendance=Attendance.IN_PERSON,
                address="Rue Coenraets 72, 1060 Bruxelles",
                audience=Audience.CIRCLE,
                circle=circle,
            ),
        )
        if days < 0:
            present = list(event.signups.order_by("pk").values_list("pk", flat=True))[:6]
            events_services.record_attendance(by=staff, event=event, present=present, now=event.ends_at)
    outside = [p for p in people if p not in audiovisual]
    for network in networks:
        for title, url in VADEMECUM:
            groupspace_services.add_document(by=staff, circle=network.circle, title=title, url=url)
        members = set(network.circle.memberships.values_list("user_id", flat=True))
        asking = [p for p in outside if p.pk not in members][:2]
        if asking:
            services.ask_to_join(
                network=network, user=asking[0], message="Ik werk sinds kort in deze sector.", notify=False
            )
        if len(asking) > 1:
            declined = services.ask_to_join(network=network, user=asking[1], notify=False)
            services.decide_join_request(request=declined, by=staff, accept=False, notify=False)


# Networking events of the follow-up: (months ago, level, format, sector, nl/fr/en title, organiser, head count).
FOLLOWED: list[tuple[int, str, str, str, tuple[str, str, str], str, int | None]] = [
    (23, "local", "afterwork", "music", ("Afterwork muziek", "Afterwork musique", "Music afterwork"), "", None),
    (21, "regional", "meet_and_connect", "", ("Netwerkdag Vlaanderen", "Journée réseau Flandre",
                                               "Flanders networking day"), "", None),
    (20, "federal", "presentation", "", ("Federale ontmoetingsdag", "Rencontre fédérale", "Federal meeting day"),
     "Smart federaal", 140),
    (18, "european", "meet_and_connect", "digital", ("Europees forum coöperaties", "Forum européen des coopératives",
                                                    "European cooperatives forum"), "CoopEurope", 220),
    (16, "local", "work_breakfast", "graphic_design", ("Werkontbijt Gent", "Petit-déjeuner Gand",
                                                       "Work breakfast Ghent"), "", None),
    (14, "regional", "workspace_tour", "crafts", ("Tour van de werkplaatsen", "Tour des ateliers",
                                                  "Workshop tour"), "", None),
    (12, "local", "picnic", "", ("Picknick Brussel", "Pique-nique Bruxelles", "Brussels picnic"), "", None),
    (10, "european", "presentation", "performing_arts", ("Europese podiumdag", "Journée européenne de la scène",
                                                         "European performing arts day"), "IETM", 80),
    (9, "federal", "meet_and_connect", "audiovisual", ("Federale beeldendag", "Journée fédérale de l'image",
                                                       "Federal image day"), "", None),
    (7, "local", "afterwork", "photography", ("Afterwork fotografie", "Afterwork photo", "Photography afterwork"),
     "", None),
    (5, "regional", "forest_walk", "", ("Boswandeling Zoniën", "Balade en forêt de Soignes", "Sonian forest walk"),
     "", None),
    (4, "european", "meet_and_connect", "digital", ("Europese digitale dag", "Journée numérique européenne",
                                                   "European digital day"), "Digital coops network", 45),
    (3, "federal", "presentation", "education", ("Federale opleidingsdag", "Journée fédérale de la formation",
                                                 "Federal training day"), "Smart federaal", 95),
    (2, "local", "street_art_walk", "visual_arts", ("Street-artwandeling Luik", "Balade street-art Liège",
                                                    "Liège street-art walk"), "", None),
    (1, "regional", "afterwork", "communication", ("Afterwork Wallonië", "Afterwork Wallonie", "Wallonia afterwork"),
     "", None),
    (0, "local", "work_breakfast", "writing", ("Werkontbijt schrijvers", "Petit-déjeuner des auteurs",
                                               "Writers' breakfast"), "", None),
]  # fmt: skip
COMING: list[tuple[int, str, tuple[str, str, str]]] = [
    (20, "regional", ("Netwerkdag Brussel", "Journée réseau Bruxelles", "Brussels networking day")),
    (45, "european", ("Europees forum coöperaties", "Forum européen des coopératives", "European cooperatives forum")),
]


def _networking_events(people: list[User]) -> None:
    """Networking events of all four levels over two years, with attendance, so the follow-up has figures."""
    from coopsip.events import services as events_services
    from coopsip.events.models import Attendance, Audience, EventKind
    from coopsip.places.models import Office

    if EventFollowUp.objects.exists():
        return
    rng = random.Random(SEED + 1)  # noqa: S311 (demo data)
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    offices = list(Office.objects.order_by("pk"))
    today = timezone.localdate()
    plans = [(months * 30 + 6, level, fmt, sector, titles, by, count) for months, level, fmt, sector, titles, by, count
             in FOLLOWED]  # fmt: skip
    plans += [(-days, level, "meet_and_connect", "", titles, "", None) for days, level, titles in COMING]
    for number, (days_ago, level, fmt, sector, titles, organiser, headcount) in enumerate(plans):
        start = timezone.make_aware(datetime.combine(today - timedelta(days=days_ago), time(18, 0)), BRUSSELS)
        event = events_services.create_event(
            by=staff,
            data=events_services.EventInput(
                titles=dict(zip(("nl", "fr", "en"), titles, strict=True)),
                kind=EventKind.NETWORKING,
                format=fmt,
                sector=sector,
                starts_at=start,
                ends_at=start + timedelta(hours=3),
                attendance=Attendance.IN_PERSON if level != "european" else Attendance.ONLINE,
                address="" if level == "european" else "Rue Coenraets 72, 1060 Bruxelles",
                video_url="https://meet.example.org/european-forum" if level == "european" else "",
                audience=Audience.PUBLIC if level in ("federal", "european") else Audience.MEMBERS,
            ),
        )
        services.record_event_follow_up(
            event=event,
            data=services.FollowUpInput(
                level=level,
                office_id=offices[number % len(offices)].pk if offices and level in ("local", "regional") else None,
                organised_by=organiser,
                headcount=headcount,
            ),
        )
        if days_ago <= 0:
            continue
        chosen = rng.sample(people, min(len(people), rng.randint(4, 14)))
        seats = []
        for person in chosen:
            try:
                seat = events_services.sign_up(
                    event_id=event.pk, user=person, now=start - timedelta(days=3), notify=False
                )
            except events_services.SignUpRefused:
                continue
            seats.append(seat.pk)
        came = [pk for pk in seats if rng.random() > 0.2]
        events_services.record_attendance(by=staff, event=event, present=came, now=event.ends_at)
    _events_held_by_others(today)


# Events partners and federal or European networks held, recorded by staff in one form, each for several sectors:
# days ago (this quarter and the ones before, so the dashboard compares a quarter with the one before), level,
# format, sectors, title, place, organiser, people present, sign-ups.
HELD_BY_OTHERS: list[tuple[int, str, str, tuple[str, ...], str, str, str, int, int | None]] = [
    (8, "european", "presentation", ("audiovisual", "performing_arts", "music"), "Creative Europe info day",
     "Mundo-B, Brussels", "Creative Europe Desk", 85, 120),
    (33, "federal", "meet_and_connect", ("digital", "communication"), "Federal digital freelancers meet-up",
     "BeCentral, Brussels", "Federation of freelancers", 60, None),
    (75, "regional", "afterwork", ("visual_arts", "crafts", "graphic_design"), "Makers' afterwork Liège",
     "La Cité Miroir, Liège", "Creative Wallonia", 42, 55),
    (110, "european", "meet_and_connect", ("performing_arts", "music"), "European performing arts network meeting",
     "Online", "IETM", 130, 150),
]  # fmt: skip


def _events_held_by_others(today: Any) -> None:
    for days_ago, level, fmt, sectors, title, place, organiser, present, signups in HELD_BY_OTHERS:
        services.record_event_held_by_others(
            data=services.RecordedEventInput(
                title=title,
                held_on=today - timedelta(days=days_ago),
                place=place,
                format=fmt,
                sectors=sectors,
                follow_up=services.FollowUpInput(
                    level=level, organised_by=organiser, headcount=present, signups=signups
                ),
            )
        )


def _counts() -> dict[str, Any]:
    return {
        "network profiles": Profile.objects.count(),
        "offers and needs": Listing.objects.count(),
        "saved searches": SavedSearch.objects.count(),
        "projects": Project.objects.count(),
        "sector networks": SectorNetwork.objects.count(),
        "followed networking events": EventFollowUp.objects.count(),
    }
