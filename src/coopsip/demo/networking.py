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

Everything goes through the networking services (search stems and vectors are written as in real
use); no email leaves (the people are made up: the outbox is emptied of these keys' emails).
Loading twice adds nothing: a person who has a profile is left as they are.
"""

from __future__ import annotations

import random
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.editions.phases import BRUSSELS
from coopsip.networking import services
from coopsip.networking.models import Listing, ListingStatus, Profile, Project, SavedSearch, Sector, Skill
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


@transaction.atomic
def load_networking() -> dict[str, Any]:
    """Load the demo networking once; returns counts."""
    if not Sector.objects.exists():
        return {}
    people = _people()
    if not people or Profile.objects.filter(user=people[0]).exists():
        return _counts()
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
    return _counts()


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
    ),
    (
        "Atelier partagé de sérigraphie",
        "Un atelier de sérigraphie partagé à Liège, ouvert aux graphistes et aux artistes.",
        "Des associés pour partager le loyer, une presse d'occasion.",
        "Des heures d'atelier et une formation à la sérigraphie.",
        "design",
    ),
    (
        "Festival de courts métrages en plein air",
        "Un petit festival de courts métrages dans un parc de Lille, en été.",
        "Des monteurs, un ingénieur du son, des bénévoles.",
        "Une scène pour les films des associés.",
        "audiovisual",
    ),
]


def _projects(people: list[User]) -> None:
    """Three projects with a team, a recommendation and a partner meeting; a monthly Partner Meeting Point at
    the KOP (a series of the events engine)."""
    from coopsip.events import services as events_services
    from coopsip.events.models import Attendance, Audience, EventFormat, EventKind, Place, Series

    kop = Place.objects.filter(name="KOP").first()
    staff = User.objects.filter(email="staff@demo.coopsip.org").first()
    today = timezone.localdate()
    for number, (title, description, needs, offers, sector) in enumerate(PROJECTS):
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
                titles={_language(owner): f"Partner meeting: {title}"},
                descriptions={_language(owner): description},
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


def _counts() -> dict[str, Any]:
    return {
        "network profiles": Profile.objects.count(),
        "offers and needs": Listing.objects.count(),
        "saved searches": SavedSearch.objects.count(),
        "projects": Project.objects.count(),
    }
