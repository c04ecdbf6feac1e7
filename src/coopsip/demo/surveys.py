"""Demo surveys, theme proposals and ballots, through the services of ``surveys`` and ``votes``.

* The networking-needs survey of seed ``002_…``, piloted in Liège ("first at
  small scale in one region"): closed, answered by the Liège members, results
  published with their charts.
* A survey open now to all members, which the demo member can answer.
* Theme proposals for the next edition in Dutch and French, with supports, in
  every state (proposed, shortlisted, merged, not retained, the board's).
* The general assembly's ballot of last June, closed, sealed, counted and
  published (48 online votes, 6 paper ballots handed out and entered), whose
  elected themes are themes of a draft next edition (a copy of the current
  one); and an open ballot on other shortlisted proposals.
* Each ballot held at its general assembly, an event of the events engine: last
  month's (past) and the coming one (sign-up open), whose page shows the open vote.

The people are the synthetic members of ``demo.services``; answers and votes
are drawn from a seeded random generator. Found by their titles: loading twice
adds nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.editions import services as editions_services
from coopsip.editions.models import CurrentEdition, Edition
from coopsip.events.models import Audience, Event, EventFormat, EventKind
from coopsip.events.services import EventInput, create_event
from coopsip.surveys import services as surveys_services
from coopsip.surveys.models import Question, QuestionKind, Response, Survey
from coopsip.surveys.services import QuestionInput
from coopsip.votes import services as votes_services
from coopsip.votes.models import Ballot, BallotMethod, ProposalStatus, ThemeProposal

SEED = 2029
PILOT_OFFICE = "luik"
NEEDS_TITLE_EN = "Networking needs of the members"
OPEN_TITLE_EN = "How was this year's Smart in Progress?"
# A ballot keeps one title: the team writes it in both languages of the cooperative, as on its assembly's papers.
CLOSED_BALLOT = (
    "Algemene vergadering: thema's van de volgende editie · Assemblée générale : thèmes de la prochaine édition"
)
OPEN_BALLOT = "Extra thema's voor Frankrijk · Thèmes supplémentaires pour la France"
NEXT_EDITION_SLUG = "demo-next"
PAST_ASSEMBLY_EN = "General assembly of the cooperative"
COMING_ASSEMBLY_EN = "Extraordinary general assembly: themes for France"


def _members(*, office: str | None = None, limit: int = 60) -> list[User]:
    people = User.objects.filter(
        register_entry__status="member", register_entry__member_number__startswith="D"
    ).order_by("pk")
    if office:
        people = people.filter(office__slug=office)
    return list(people[:limit])


def _t(nl: str, fr: str, en: str) -> dict[str, str]:
    return {"nl": nl, "fr": fr, "en": en}


def _q(survey: Survey, kind: str, text: dict[str, str], **extra: Any) -> Question:
    return surveys_services.add_question(actor=None, survey=survey, data=QuestionInput(kind=kind, texts=text, **extra))


def _needs_survey(rng: random.Random) -> Survey:
    now = timezone.now()
    from coopsip.places.models import Office

    survey = surveys_services.create_survey(
        actor=None,
        values={
            "title_nl": "Netwerkbehoeften van de vennoten",
            "title_fr": "Besoins de mise en réseau des membres",
            "title_en": NEEDS_TITLE_EN,
            "intro_nl": (
                "Eerst in Luik, met de steun van het lokale team: "
                "wat heb je nodig om met andere vennoten samen te werken?"
            ),
            "intro_fr": (
                "D'abord à Liège, avec le soutien de l'équipe locale : "
                "de quoi avez-vous besoin pour travailler avec d'autres membres ?"
            ),
            "intro_en": "First in Liège, with the local team's support: what do you need to work with other members?",
            "audience": "members",
            "opens_at": now - timedelta(days=60),
            "closes_at": now - timedelta(days=20),
            "anonymous": True,
            "pilot_office": Office.objects.get(slug=PILOT_OFFICE),
        },
    )
    activity = _q(
        survey,
        QuestionKind.SINGLE,
        _t("Wat is je hoofdactiviteit?", "Quelle est votre activité principale ?", "What is your main activity?"),
        required=True,
        choices=[
            _t("Muziek en geluid", "Musique et son", "Music and sound"),
            _t("Beeldende kunst", "Arts plastiques", "Visual arts"),
            _t("Film en video", "Cinéma et vidéo", "Film and video"),
            _t("Vormgeving", "Design", "Design"),
            _t("Iets anders", "Autre chose", "Something else"),
        ],
    )
    looking = _q(
        survey,
        QuestionKind.YES_NO,
        _t(
            "Zoek je mensen om mee samen te werken?",
            "Cherchez-vous des personnes avec qui travailler ?",
            "Are you looking for people to work with?",
        ),
        required=True,
    )
    profiles = _q(
        survey,
        QuestionKind.MULTIPLE,
        _t("Welke profielen?", "Quels profils ?", "Which profiles?"),
        choices=[
            _t("Technici", "Techniciens", "Technicians"),
            _t("Kunstenaars", "Artistes", "Artists"),
            _t("Administratieve hulp", "Aide administrative", "Administrative help"),
            _t("Klanten", "Clients", "Clients"),
        ],
        condition_question=looking.pk,
        condition_answer="yes",
    )
    formats = _q(
        survey,
        QuestionKind.RANKING,
        _t(
            "Welke netwerkformules verkies je?",
            "Quelles formules de réseautage préférez-vous ?",
            "Which networking formats do you prefer?",
        ),
        choices=[
            _t("Afterwork", "Afterwork", "Afterwork"),
            _t("Werkontbijt", "Petit-déjeuner de travail", "Work breakfast"),
            _t("Boswandeling", "Balade en forêt", "Forest walk"),
            _t("Beroepsbeurs", "Salon des métiers", "Professions fair"),
        ],
    )
    connected = _q(
        survey,
        QuestionKind.SCALE_5,
        _t(
            "Hoe verbonden voel je je met andere vennoten?",
            "À quel point vous sentez-vous lié aux autres membres ?",
            "How connected do you feel to other members?",
        ),
    )
    matrix = _q(
        survey,
        QuestionKind.MATRIX,
        _t("Hoe vaak…", "À quelle fréquence…", "How often do you…"),
        choices=[_t("nooit", "jamais", "never"), _t("soms", "parfois", "sometimes"), _t("vaak", "souvent", "often")],
        rows=[
            _t(
                "zoek je werk via andere vennoten?",
                "cherchez-vous du travail via d'autres membres ?",
                "look for work through other members?",
            ),
            _t(
                "bied je werk aan andere vennoten?",
                "proposez-vous du travail à d'autres membres ?",
                "offer work to other members?",
            ),
            _t("deel je materiaal?", "partagez-vous du matériel ?", "share equipment?"),
        ],
    )
    likely = _q(
        survey,
        QuestionKind.SCALE_10,
        _t(
            "Hoe waarschijnlijk kom je naar een netwerkmoment?",
            "Quelle est la probabilité que vous veniez à un moment de réseautage ?",
            "How likely are you to come to a networking moment?",
        ),
    )
    wish = _q(
        survey,
        QuestionKind.LONG_TEXT,
        _t("Wat zou je het meest helpen?", "Qu'est-ce qui vous aiderait le plus ?", "What would help you most?"),
    )
    wishes = [
        "Un annuaire des techniciens du son à Liège.",
        "Des rencontres le matin, pas le soir.",
        "Een gedeelde opslagruimte voor materiaal.",
        "Savoir qui cherche quoi, simplement.",
        "Un afterwork par mois au bureau de Liège.",
    ]
    options = {q.pk: list(q.choices.filter(is_row=False)) for q in (activity, profiles, formats, matrix)}
    rows = list(matrix.choices.filter(is_row=True))
    for n, person in enumerate(_members(office=PILOT_OFFICE, limit=36)):
        says_yes = rng.random() < 0.65
        raw: dict[int, Any] = {
            activity.pk: str(rng.choice(options[activity.pk]).pk),
            looking.pk: "yes" if says_yes else "no",
            formats.pk: {str(c.pk): str(rank) for rank, c in enumerate(rng.sample(options[formats.pk], 3), start=1)},
            connected.pk: str(rng.choice([1, 2, 2, 3, 3, 3, 4, 4, 5])),
            matrix.pk: {str(row.pk): str(rng.choice(options[matrix.pk]).pk) for row in rows},
            likely.pk: str(rng.randint(3, 10)),
        }
        if says_yes:
            raw[profiles.pk] = [str(c.pk) for c in rng.sample(options[profiles.pk], rng.randint(1, 3))]
        if n % 3 == 0:
            raw[wish.pk] = wishes[n % len(wishes)]
        surveys_services.save_answers(
            survey=survey, user=person, raw=raw, submit=True, now=survey.opens_at + timedelta(hours=3 + n * 7)
        )
    return surveys_services.publish_results(actor=None, survey=survey)


def _open_survey(rng: random.Random) -> Survey:
    now = timezone.now()
    survey = surveys_services.create_survey(
        actor=None,
        values={
            "title_nl": "Hoe was Smart in Progress dit jaar?",
            "title_fr": "Comment s'est passé Smart in Progress cette année ?",
            "title_en": OPEN_TITLE_EN,
            "audience": "members",
            "opens_at": now - timedelta(days=5),
            "closes_at": now + timedelta(days=25),
            "anonymous": False,
            "data_note_nl": "Het team leest je antwoorden om de volgende editie voor te bereiden.",
            "data_note_fr": "L'équipe lit vos réponses pour préparer la prochaine édition.",
            "data_note_en": "The team reads your answers to prepare the next edition.",
        },
    )
    took_part = _q(
        survey,
        QuestionKind.YES_NO,
        _t(
            "Nam je deel aan een werkgroep?",
            "Avez-vous participé à un groupe de travail ?",
            "Did you take part in a working group?",
        ),
        required=True,
    )
    _q(
        survey,
        QuestionKind.SCALE_5,
        _t(
            "Hoe tevreden ben je over je groep?",
            "Êtes-vous satisfait de votre groupe ?",
            "How satisfied are you with your group?",
        ),
        condition_question=took_part.pk,
        condition_answer="yes",
    )
    _q(
        survey,
        QuestionKind.NUMBER,
        _t(
            "Hoeveel vergaderingen heb je bijgewoond?",
            "À combien de réunions avez-vous assisté ?",
            "How many meetings did you attend?",
        ),
        condition_question=took_part.pk,
        condition_answer="yes",
    )
    _q(
        survey,
        QuestionKind.DATE,
        _t(
            "Wanneer kan je volgend jaar beginnen?",
            "Quand pourriez-vous commencer l'an prochain ?",
            "When could you start next year?",
        ),
    )
    _q(
        survey,
        QuestionKind.SHORT_TEXT,
        _t("Eén woord over dit jaar", "Un mot sur cette année", "One word about this year"),
    )
    for n, person in enumerate(_members(limit=80)[40:52]):
        surveys_services.save_answers(
            survey=survey, user=person, raw={took_part.pk: rng.choice(["yes", "no"])}, submit=n % 4 != 0
        )
    return survey


PROPOSALS = [
    # title, challenge, why now, country, language, status
    (
        "Zorg voor wie zorgt",
        "Veel vennoten werken in de zorg of zorgen thuis voor iemand: hoe houden we dat leefbaar?",
        "De crisis heeft het zichtbaar gemaakt.",
        "BOTH",
        "nl",
        "closed",
    ),
    (
        "Des lieux partagés pour créer",
        "Trouver un atelier abordable devient impossible dans les grandes villes.",
        "Les loyers augmentent.",
        "BE",
        "fr",
        "closed",
    ),
    (
        "Tarieven die kloppen",
        "Hoe bepaal je een eerlijke prijs voor je werk, samen met andere vennoten?",
        "",
        "BOTH",
        "nl",
        "closed",
    ),
    (
        "L'intelligence artificielle et nos métiers",
        "Ce que l'IA change pour les créatifs et comment nous défendre ensemble.",
        "Les outils arrivent partout.",
        "BOTH",
        "fr",
        "closed",
    ),
    (
        "Coopératives en France : nos droits",
        "Mieux connaître les droits des entrepreneurs-salariés en France.",
        "Nouvelles règles en France.",
        "FR",
        "fr",
        "open",
    ),
    ("Partager le matériel", "Un inventaire commun du matériel de son, lumière et vidéo.", "", "FR", "fr", "open"),
    ("Mobiliteit voor freelancers", "Van de ene opdracht naar de andere zonder auto.", "", "BE", "nl", "open"),
    ("Gedeelde werkplekken", "Dezelfde vraag als 'Des lieux partagés pour créer'.", "", "BE", "nl", "merged"),
    ("Een eigen munt", "Een munt tussen vennoten.", "", "BE", "nl", "not_retained"),
    (
        "Rencontres du lundi",
        "Un rendez-vous fixe chaque lundi au KOP.",
        "On en parle depuis longtemps.",
        "BE",
        "fr",
        "proposed",
    ),
]


def _proposals(rng: random.Random, people: list[User]) -> dict[str, list[ThemeProposal]]:
    board = User.objects.filter(groups__name="board").first()
    made: dict[str, list[ThemeProposal]] = {"closed": [], "open": []}
    by_title: dict[str, ThemeProposal] = {}
    for index, (title, challenge, why, country, language, _state) in enumerate(PROPOSALS):
        author = people[index % len(people)]
        proposal = votes_services.propose_theme(
            author=author, title=title, challenge=challenge, why_now=why, country=country, language=language
        )
        by_title[title] = proposal
        for supporter in rng.sample(people, rng.randint(3, 18)):
            if supporter.pk != author.pk:
                votes_services.support_proposal(user=supporter, proposal=proposal)
    if board is not None:
        board_proposal = votes_services.propose_theme(
            author=board,
            title="Ethiek van de coöperatie",
            challenge="Het ethisch comité evalueren, vijf jaar na zijn oprichting.",
            why_now="Het comité bestaat sinds 2019.",
            country="BOTH",
            language="nl",
            by_board=True,
        )
        by_title[board_proposal.title] = board_proposal
        made["closed"].append(
            votes_services.decide_proposal(actor=None, proposal=board_proposal, status=ProposalStatus.SHORTLISTED)
        )
    for title, _c, _w, _country, _l, state in PROPOSALS:
        proposal = by_title[title]
        if state in ("closed", "open"):
            made[state].append(
                votes_services.decide_proposal(actor=None, proposal=proposal, status=ProposalStatus.SHORTLISTED)
            )
        elif state == "merged":
            votes_services.decide_proposal(
                actor=None,
                proposal=proposal,
                status=ProposalStatus.MERGED,
                merged_into=by_title["Des lieux partagés pour créer"],
                reason="Même besoin : des lieux de travail partagés.",
            )
        elif state == "not_retained":
            votes_services.decide_proposal(
                actor=None,
                proposal=proposal,
                status=ProposalStatus.NOT_RETAINED,
                reason="Buiten het bereik van een werkgroep: de raad van bestuur bekijkt het apart.",
            )
    return made


def _next_edition() -> Edition | None:
    existing = Edition.objects.filter(slug=NEXT_EDITION_SLUG).first()
    if existing is not None:
        return existing
    current = CurrentEdition.objects.select_related("edition").first()
    if current is None:
        return None
    source = current.edition
    return editions_services.copy_edition(
        actor=None,
        source=source,
        slug=NEXT_EDITION_SLUG,
        titles={"nl": "Volgende editie (ontwerp)", "fr": "Prochaine édition (projet)", "en": "Next edition (draft)"},
        starts_on=source.starts_on.replace(year=source.starts_on.year + 1),
        ends_on=source.ends_on.replace(year=source.ends_on.year + 1),
    )


def _assembly(title_en: str, title_nl: str, title_fr: str, starts_at: Any) -> Event:
    """A general assembly as an event of the events engine (members only, in Brussels), found by its title."""
    found = Event.objects.filter(title=title_nl).first()
    if found is not None:
        return found
    return create_event(
        by=None,
        data=EventInput(
            titles={"nl": title_nl, "fr": title_fr, "en": title_en},
            descriptions=_t(
                "De jaarlijkse algemene vergadering van de coöperatie: de vennoten kiezen de thema's.",
                "L'assemblée générale annuelle de la coopérative : les associé·es choisissent les thèmes.",
                "The cooperative's yearly general assembly: the members choose the themes.",
            ),
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            kind=EventKind.OTHER,
            format=EventFormat.PRESENTATION,
            address="Rue Emile Féron 70, 1060 Bruxelles",
            capacity=250,
            audience=Audience.MEMBERS,
        ),
    )


def _ballots(rng: random.Random, people: list[User], proposals: dict[str, list[ThemeProposal]]) -> None:
    now = timezone.now()
    at_18 = now.replace(hour=17, minute=0, second=0, microsecond=0)  # 18:00 or 19:00 in Brussels
    past_assembly = _assembly(
        PAST_ASSEMBLY_EN,
        "Algemene vergadering van de coöperatie",
        "Assemblée générale de la coopérative",
        at_18 - timedelta(days=31),
    )
    coming_assembly = _assembly(
        COMING_ASSEMBLY_EN,
        "Buitengewone algemene vergadering: thema's voor Frankrijk",
        "Assemblée générale extraordinaire : thèmes pour la France",
        at_18 + timedelta(days=13),
    )
    closed = votes_services.create_ballot(
        actor=None,
        title=CLOSED_BALLOT,
        method=BallotMethod.INSTANT_RUNOFF,
        seats=2,
        opens_at=now - timedelta(days=40),
        closes_at=now - timedelta(days=30),
        proposals=proposals["closed"],
        event=past_assembly,
    )
    options = list(closed.options.order_by("position"))
    weights = [5, 4, 3, 2, 2][: len(options)]
    for n, person in enumerate(people[:48]):
        ranking = []
        pool = list(options)
        pool_weights = list(weights)
        for _rank in range(rng.randint(1, 3)):
            pick = rng.choices(range(len(pool)), weights=pool_weights)[0]
            ranking.append(pool.pop(pick).pk)
            pool_weights.pop(pick)
        votes_services.cast_vote(
            ballot=closed, user=person, choices=ranking, now=closed.opens_at + timedelta(hours=n + 1)
        )
    # Six members present at the assembly who had not voted online got a paper ballot, counted in the room.
    for person in people[48:54]:
        votes_services.hand_out_paper_ballot(actor=None, ballot=closed, entry=person.register_entry)
    for _n in range(6):
        votes_services.record_paper_ballot(actor=None, ballot=closed, choices=[options[1].pk, options[0].pk])
    # Counting seals the ballot box first: the ballots shuffled, without anything that leads to a member.
    closed = votes_services.count_ballot(actor=None, ballot=closed, now=now)
    votes_services.publish_result(actor=None, ballot=closed)
    edition = _next_edition()
    if edition is not None:
        votes_services.create_elected_themes(actor=None, ballot=closed, edition=edition)
    votes_services.create_ballot(
        actor=None,
        title=OPEN_BALLOT,
        method=BallotMethod.APPROVAL,
        seats=1,
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=14),
        proposals=proposals["open"],
        event=coming_assembly,
    )
    open_ballot = Ballot.objects.get(title=OPEN_BALLOT)
    open_options = list(open_ballot.options.all())
    for person in people[60:75]:
        votes_services.cast_vote(
            ballot=open_ballot, user=person, choices=[o.pk for o in rng.sample(open_options, rng.randint(1, 2))]
        )


def load_surveys() -> dict[str, int]:
    """Load the demo surveys, proposals and ballots once; returns counts."""
    rng = random.Random(SEED)  # noqa: S311 (demo data, not security)
    if not Survey.objects.filter(title_en=NEEDS_TITLE_EN).exists():
        _needs_survey(rng)
    if not Survey.objects.filter(title_en=OPEN_TITLE_EN).exists():
        _open_survey(rng)
    people = _members(limit=120)
    if not Ballot.objects.filter(title=CLOSED_BALLOT).exists() and len(people) >= 80:
        proposals = _proposals(rng, people)
        _ballots(rng, people, proposals)
    return {
        "surveys": Survey.objects.count(),
        "survey_responses": Response.objects.filter(submitted_at__isnull=False).count(),
        "theme_proposals": ThemeProposal.objects.count(),
        "ballots": Ballot.objects.count(),
    }
