"""Demo recommendations on the groups' side: ideas, drafts with versions, consent rounds, submissions.

In every active working group of the demo edition, members have added ideas (each with
its discussion in the group space). Then:

- the demo member's group (the first one she is in, else the first active group) has a
  draft with three versions written by three people, and a second recommendation whose
  consent round is open until next week — Lotte (vennoot@demo.coopsip.org) has not
  answered, so her personal home asks her to;
- one group's consent round was blocked (closed, with the reason kept): its
  recommendation went back to a draft;
- every theme of the active groups has two recommendations adopted by a closed consent
  round and submitted to the team (by two groups when the theme has two, else by one).

Everything goes through ``recommendations.services`` without notifying anyone (the
people are made up). The staff synthesis, the board's decisions, projects and the test
project come after, from ``demo.recommendations_followup``. Loading twice adds nothing:
the step is skipped once a group of the demo edition has an idea.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F
from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.groups.models import GroupStatus, Seat, SeatState, WorkingGroup
from coopsip.recommendations import services
from coopsip.recommendations.models import (
    ConsentAnswer,
    ConsentRound,
    Idea,
    Recommendation,
    RecommendationStatus,
    RecommendationVersion,
)

DEMO_MEMBER = "vennoot@demo.coopsip.org"

# (title, challenge, text) in Dutch and French; the group's language picks one.
IDEAS = {
    "nl": [
        (
            "Een gedeelde materiaalbank per kantoor",
            "middelen delen",
            "Veel leden kopen dure toestellen die ze zelden gebruiken. Een **materiaalbank** per kantoor "
            "zou geld besparen en leden met elkaar in contact brengen.",
        ),
        (
            "Peter- en meterschap voor nieuwe leden",
            "begeleiding",
            "Een ervaren lid begeleidt een nieuw lid de eerste zes maanden: administratie, tarieven, netwerk.",
        ),
        (
            "Een maandelijks netwerkontbijt",
            "samenwerken",
            "Elke eerste maandag een ontbijt in de gedeelde ruimte, open voor alle leden.",
        ),
    ],
    "fr": [
        (
            "Une matériauthèque partagée par bureau",
            "partager les moyens",
            "Beaucoup de membres achètent du matériel coûteux qu'ils utilisent rarement. Une **matériauthèque** "
            "par bureau ferait des économies et créerait des liens.",
        ),
        (
            "Un parrainage pour les nouveaux membres",
            "accompagnement",
            "Un membre expérimenté accompagne un nouveau membre pendant six mois : administration, tarifs, réseau.",
        ),
        (
            "Un petit-déjeuner réseau mensuel",
            "coopérer",
            "Chaque premier lundi, un petit-déjeuner dans l'espace partagé, ouvert à tous les membres.",
        ),
    ],
}

# The structured text of a recommendation, per topic and language: three successive versions of "need" and
# "actions". Each recommendation's text fits its title; the two material-bank ones (a draft and a blocked round in
# two groups) say the same thing, so the similarity suggestion has something real to find.
BANK = {
    "nl": {
        "need": [
            "Leden hebben toestellen nodig die ze zelden gebruiken.",
            "Leden hebben dure toestellen nodig die ze maar enkele dagen per jaar gebruiken.",
            "Leden hebben dure toestellen nodig die ze maar enkele dagen per jaar gebruiken; "
            "kopen kost te veel, huren is vaak ver weg.",
        ],
        "proposal": "Een materiaalbank in elk kantoor, beheerd door vrijwilligers en het team.",
        "actions": [
            "1. Inventaris maken.",
            "1. Een inventaris maken van wat leden willen delen.\n2. Een proefperiode in Gent.",
            "1. Een inventaris maken van wat leden willen delen.\n2. Een proefperiode van drie maanden in Gent.\n"
            "3. Evaluatie met de werkgroep.",
        ],
        "carriers": "Het team Coöperatief leven, met twee vrijwilligers per kantoor.",
        "cost_and_means": "Een kast en een verzekering: ongeveer 2.000 euro per kantoor per jaar.",
        "risks": "Schade en verlies; te weinig vrijwilligers.",
        "feasibility": "Besproken met het kantoor van Gent, dat plaats heeft.",
    },
    "fr": {
        "need": [
            "Les membres ont besoin de matériel qu'ils utilisent rarement.",
            "Les membres ont besoin de matériel coûteux qu'ils n'utilisent que quelques jours par an.",
            "Les membres ont besoin de matériel coûteux qu'ils n'utilisent que quelques jours par an ; "
            "l'acheter coûte trop cher, le louer est souvent loin.",
        ],
        "proposal": "Une matériauthèque dans chaque bureau, gérée par des bénévoles et l'équipe.",
        "actions": [
            "1. Faire un inventaire.",
            "1. Faire l'inventaire de ce que les membres veulent partager.\n2. Un essai à Liège.",
            "1. Faire l'inventaire de ce que les membres veulent partager.\n2. Un essai de trois mois à Liège.\n"
            "3. Une évaluation avec le groupe.",
        ],
        "carriers": "L'équipe Vie coopérative, avec deux bénévoles par bureau.",
        "cost_and_means": "Une armoire et une assurance : environ 2 000 euros par bureau et par an.",
        "risks": "Casse et perte ; trop peu de bénévoles.",
        "feasibility": "Discuté avec le bureau de Liège, qui a de la place.",
    },
}

MENTORSHIP = {
    "nl": {
        "need": [
            "Nieuwe leden weten niet waar te beginnen.",
            "Nieuwe leden verdwalen in de administratie en de tarieven van hun eerste maanden.",
            "Nieuwe leden verdwalen in de administratie en de tarieven van hun eerste maanden; "
            "wie niemand kent, haakt vaak af.",
        ],
        "proposal": "Elk nieuw lid krijgt een peter of meter: een ervaren lid dat zes maanden meeloopt.",
        "actions": [
            "1. Peters en meters zoeken.",
            "1. Twintig ervaren leden vragen om peter of meter te worden.\n2. Een startgesprek per nieuw lid.",
            "1. Twintig ervaren leden vragen om peter of meter te worden.\n2. Een startgesprek per nieuw lid.\n"
            "3. Na zes maanden een korte bevraging.",
        ],
        "carriers": "Het onthaalteam, met de vrijwillige peters en meters.",
        "cost_and_means": "Een opleiding van een halve dag voor de peters en meters; geen andere kosten.",
        "risks": "Te weinig ervaren leden die tijd hebben.",
        "feasibility": "Het onthaalteam deed al een proef met vijf koppels.",
    },
    "fr": {
        "need": [
            "Les nouveaux membres ne savent pas par où commencer.",
            "Les nouveaux membres se perdent dans l'administration et les tarifs de leurs premiers mois.",
            "Les nouveaux membres se perdent dans l'administration et les tarifs de leurs premiers mois ; "
            "celles et ceux qui ne connaissent personne abandonnent souvent.",
        ],
        "proposal": "Chaque nouveau membre a un parrain ou une marraine : un membre expérimenté, pendant six mois.",
        "actions": [
            "1. Trouver des parrains et marraines.",
            "1. Demander à vingt membres expérimentés d'être parrain ou marraine.\n"
            "2. Un entretien de départ par nouveau membre.",
            "1. Demander à vingt membres expérimentés d'être parrain ou marraine.\n"
            "2. Un entretien de départ par nouveau membre.\n3. Un court questionnaire après six mois.",
        ],
        "carriers": "L'équipe d'accueil, avec les parrains et marraines bénévoles.",
        "cost_and_means": "Une demi-journée de formation pour les parrains et marraines ; pas d'autre coût.",
        "risks": "Trop peu de membres expérimentés qui ont du temps.",
        "feasibility": "L'équipe d'accueil a déjà fait un essai avec cinq binômes.",
    },
}

BREAKFAST = {
    "nl": {
        "need": [
            "Leden werken vaak alleen.",
            "Leden werken vaak alleen en kennen de andere leden van hun kantoor niet.",
            "Leden werken vaak alleen en kennen de andere leden van hun kantoor niet; "
            "opdrachten die ze samen zouden kunnen doen, gaan verloren.",
        ],
        "proposal": "Elke eerste maandag van de maand een netwerkontbijt in elk kantoor, open voor alle leden.",
        "actions": [
            "1. Een datum kiezen.",
            "1. Een vaste datum kiezen: de eerste maandag.\n2. Een eerste ontbijt in Brussel.",
            "1. Een vaste datum kiezen: de eerste maandag.\n2. Een eerste ontbijt in Brussel.\n"
            "3. Daarna in elk kantoor, met een korte voorstelronde.",
        ],
        "carriers": "De kantoren, met een lid dat elke maand het ontbijt klaarzet.",
        "cost_and_means": "Koffie, brood en fruit: ongeveer 150 euro per ontbijt.",
        "risks": "Weinig volk in de kleine kantoren.",
        "feasibility": "De gedeelde ruimte in Brussel is op maandagochtend vrij.",
    },
    "fr": {
        "need": [
            "Les membres travaillent souvent seuls.",
            "Les membres travaillent souvent seuls et ne connaissent pas les autres membres de leur bureau.",
            "Les membres travaillent souvent seuls et ne connaissent pas les autres membres de leur bureau ; "
            "des missions qu'ils pourraient faire ensemble se perdent.",
        ],
        "proposal": (
            "Chaque premier lundi du mois, un petit-déjeuner réseau dans chaque bureau, ouvert à tous les membres."
        ),
        "actions": [
            "1. Choisir une date.",
            "1. Choisir une date fixe : le premier lundi.\n2. Un premier petit-déjeuner à Bruxelles.",
            "1. Choisir une date fixe : le premier lundi.\n2. Un premier petit-déjeuner à Bruxelles.\n"
            "3. Ensuite dans chaque bureau, avec un court tour de table.",
        ],
        "carriers": "Les bureaux, avec un membre qui prépare le petit-déjeuner chaque mois.",
        "cost_and_means": "Café, pain et fruits : environ 150 euros par petit-déjeuner.",
        "risks": "Peu de monde dans les petits bureaux.",
        "feasibility": "L'espace partagé de Bruxelles est libre le lundi matin.",
    },
}


def _text(language: str, title: str) -> dict[str, Any]:
    """The text that fits a demo recommendation's title (titles may carry the group's key in brackets)."""
    if title.startswith((SUBMITTED_TITLES[language][0], IDEAS[language][1][0])):
        return MENTORSHIP[language]
    if title.startswith((SUBMITTED_TITLES[language][1], IDEAS[language][2][0])):
        return BREAKFAST[language]
    return BANK[language]


SUBMITTED_TITLES = {
    "nl": ["Een peter- en meterschap voor elk nieuw lid", "Een netwerkontbijt in elk kantoor"],
    "fr": ["Un parrainage pour chaque nouveau membre", "Un petit-déjeuner réseau dans chaque bureau"],
}


def _lang(group: WorkingGroup) -> str:
    return group.language if group.language in IDEAS else "nl"


def _members(group: WorkingGroup) -> list[User]:
    seats = (
        Seat.objects.filter(group=group, state=SeatState.ACCEPTED)
        .select_related("registration__user")
        .order_by("role", "pk")
    )
    return [seat.registration.user for seat in seats]


def _officer(group: WorkingGroup) -> User | None:
    seat = (
        Seat.objects.filter(group=group, state=SeatState.ACCEPTED, role__in=["secretary", "moderator"])
        .select_related("registration__user")
        .order_by("-role")  # the secretary first
        .first()
    )
    return seat.registration.user if seat is not None else None


def _groups() -> list[WorkingGroup]:
    groups = list(
        WorkingGroup.objects.filter(edition__slug=DEMO_EDITION, status=GroupStatus.ACTIVE, circle__isnull=False)
        .select_related("theme", "circle")
        .order_by("pk")
    )
    # The demo member's group first, so that she finds the draft and the open round.
    lotte = Seat.objects.filter(
        group__in=groups, registration__user__email=DEMO_MEMBER, state=SeatState.ACCEPTED
    ).values_list("group_id", flat=True)
    first = next(iter(lotte), None)
    return sorted(groups, key=lambda group: (group.pk != first, group.pk))


def _fields(language: str, step: int, title: str) -> dict[str, str]:
    text = _text(language, title)

    def one(name: str) -> str:
        value = text[name]
        return value if isinstance(value, str) else value[step]

    return {
        "title": title,
        "need": one("need"),
        "proposal": one("proposal"),
        "actions": one("actions"),
        "carriers": one("carriers") if step else "",
        "cost_and_means": one("cost_and_means") if step else "",
        "risks": one("risks") if step == 2 else "",
        "feasibility": one("feasibility") if step == 2 else "",
    }


def _write(recommendation: Recommendation, people: list[User], steps: range) -> None:
    """Versions 2, 3… written by different members of the group."""
    for step in steps:
        services.save_draft(
            by=people[step % len(people)],
            recommendation=recommendation,
            based_on=recommendation.version,
            fields=_fields(recommendation.language, step, recommendation.title),
            note="",
        )


def _backdate(recommendation: Recommendation, before: datetime) -> None:
    """The versions written one a day in the days before ``before`` (its consent round opened then), not on the
    day the demo was loaded: the journey reads in time order."""
    versions = list(recommendation.versions.order_by("number").values_list("pk", flat=True))
    for index, pk in enumerate(versions):
        RecommendationVersion.objects.filter(pk=pk).update(created_at=before - timedelta(days=len(versions) - index))


def _consent(
    recommendation: Recommendation,
    people: list[User],
    officer: User,
    *,
    opened: datetime,
    closes: datetime,
    block: bool = False,
    leave_out: Collection[str] = (),
    close: bool = True,
) -> ConsentRound:
    consent_round = services.open_consent_round(
        by=officer, recommendation=recommendation, closes_at=closes, now=opened, notify=False
    )
    reasons = {
        "nl": ("Goed idee, maar wie betaalt de verzekering?", "Dit zou de leden in kleine kantoren uitsluiten."),
        "fr": ("Bonne idée, mais qui paie l'assurance ?", "Cela exclurait les membres des petits bureaux."),
    }[recommendation.language if recommendation.language in ("nl", "fr") else "nl"]
    for index, person in enumerate(people):
        if person.email in leave_out:
            continue
        position, reason = "agree", ""
        if index == 1:
            position = "abstain"
        if index == 2:
            position, reason = "disagree", reasons[0]
        if block and index == len(people) - 1:
            position, reason = "block", reasons[1]
        services.answer_consent(
            by=person,
            consent_round=consent_round,
            position=position,
            reason=reason,
            language=recommendation.language,
            now=opened + timedelta(hours=2 + index),
        )
    if close:
        consent_round = services.close_consent_round(consent_round=consent_round, now=closes)
    return consent_round


def load_recommendations_groups() -> dict[str, int]:
    """Fill the demo edition's active groups once; returns counts."""
    groups = _groups()
    if groups and not Idea.objects.filter(group__in=groups).exists():
        _fill(groups, timezone.now())
    return {
        "ideas": Idea.objects.count(),
        "recommendations": Recommendation.objects.count(),
        "recommendation_versions": RecommendationVersion.objects.count(),
        "consent_rounds": ConsentRound.objects.count(),
        "consent_answers": ConsentAnswer.objects.count(),
    }


def _fill(groups: list[WorkingGroup], now: datetime) -> None:
    by_theme: dict[int, list[WorkingGroup]] = defaultdict(list)
    ideas: dict[int, list[Idea]] = {}
    for group in groups:
        by_theme[group.theme_id].append(group)
        people = _members(group)
        if not people:
            continue
        language = _lang(group)
        ideas[group.pk] = [
            services.add_idea(
                by=people[index % len(people)],
                group=group,
                title=title,
                text=text,
                challenge=challenge,
                language=language,
                notify=False,
            )
            for index, (title, challenge, text) in enumerate(IDEAS[language])
        ]

    # The ideas came first, a month before the recommendations' consent rounds.
    Idea.objects.filter(group__in=groups).update(created_at=F("created_at") - timedelta(days=30))

    first = groups[0]
    people, officer = _members(first), _officer(first)
    if officer is not None and len(people) >= 3:
        language = _lang(first)
        # A draft with three versions, by three people, still being written.
        draft = services.create_draft(
            by=officer, group=first, title=IDEAS[language][0][0], language=language, ideas=ideas[first.pk][:1]
        )
        _write(draft, [people[1], people[2], officer], range(1, 3))
        # Another one under an open consent round that the demo member has not answered yet.
        asked = services.create_draft(
            by=officer, group=first, title=SUBMITTED_TITLES[language][1], language=language, ideas=ideas[first.pk][2:]
        )
        _write(asked, people, range(1, 3))
        _backdate(asked, now - timedelta(days=2))
        _consent(
            asked,
            people,
            officer,
            opened=now - timedelta(days=2),
            closes=now + timedelta(days=5),
            leave_out={DEMO_MEMBER},
            close=False,
        )

    # A round that was blocked, in the second group (or the first when there is one group).
    blocked_group = groups[1] if len(groups) > 1 else first
    people, officer = _members(blocked_group), _officer(blocked_group)
    if officer is not None and len(people) >= 3:
        language = _lang(blocked_group)
        blocked = services.create_draft(
            by=officer,
            group=blocked_group,
            title=IDEAS[language][0][0],
            language=language,
            ideas=ideas[blocked_group.pk][:1],
        )
        _write(blocked, people, range(1, 3))
        _backdate(blocked, now - timedelta(days=12))
        _consent(blocked, people, officer, opened=now - timedelta(days=12), closes=now - timedelta(days=5), block=True)

    # Two submitted recommendations per theme.
    for theme_groups in by_theme.values():
        for number in range(2):
            group = theme_groups[number % len(theme_groups)]
            people, officer = _members(group), _officer(group)
            if officer is None or len(people) < 3:
                continue
            language = _lang(group)
            # The first one grows from the group's idea of a mentorship; the second from nothing written before.
            free = (
                [idea for idea in ideas.get(group.pk, []) if idea.title == IDEAS[language][1][0]] if number == 0 else []
            )
            title = SUBMITTED_TITLES[language][number]
            if Recommendation.objects.filter(group=group, title=title).exists():
                title = f"{title} ({group.key})"
            recommendation = services.create_draft(by=officer, group=group, title=title, language=language, ideas=free)
            _write(recommendation, people, range(1, 3))
            _backdate(recommendation, now - timedelta(days=20 - number))
            _consent(
                recommendation,
                people,
                officer,
                opened=now - timedelta(days=20 - number),
                closes=now - timedelta(days=14 - number),
            )
            recommendation.refresh_from_db()
            if recommendation.status == RecommendationStatus.ADOPTED:
                services.submit_recommendation(
                    by=officer, recommendation=recommendation, now=now - timedelta(days=13 - number)
                )


ALIKE_TITLES = {
    "nl": ["Materiaal delen tussen vennoten", "Een uitleendienst voor dure toestellen"],
    "fr": ["Partager le matériel entre membres", "Un service de prêt pour le matériel coûteux"],
}


def submit_alike_pair() -> None:
    """Two recommendations of one group that say much the same (both a material bank), submitted after the team's
    syntheses were made: the staff theme page suggests them as alike, and staff may merge them."""
    now = timezone.now()
    for group in _groups():
        people, officer = _members(group), _officer(group)
        if officer is None or len(people) < 3:
            continue
        language = _lang(group)
        titles = ALIKE_TITLES[language]
        if Recommendation.objects.filter(group=group, title__in=titles).exists():
            return
        for number, title in enumerate(titles):
            recommendation = services.create_draft(by=officer, group=group, title=title, language=language, ideas=[])
            # The second is written once less, so the two texts are alike but not the same.
            _write(recommendation, people, range(1, 3 - number))
            _backdate(recommendation, now - timedelta(days=8 - number))
            _consent(
                recommendation,
                people,
                officer,
                opened=now - timedelta(days=8 - number),
                closes=now - timedelta(days=3 - number),
            )
            recommendation.refresh_from_db()
            if recommendation.status == RecommendationStatus.ADOPTED:
                services.submit_recommendation(
                    by=officer, recommendation=recommendation, now=now - timedelta(days=2 - number)
                )
        return
