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

# The structured text of a recommendation, per language: three successive versions of "need" and "actions".
TEXTS = {
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
    text = TEXTS[language]

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
    consent_round = services.open_consent_round(by=officer, recommendation=recommendation, closes_at=closes, now=opened)
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
