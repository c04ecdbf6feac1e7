"""Demo of what becomes of recommendations: syntheses, the board's decisions, projects, a test project, and
the archive's outcomes since 2015 from the seeds.

**The archive** (the seeds say what came of earlier editions, never the wording of each recommendation,
so the texts below are short restatements of what the seeds say each group was asked to do):

- SIP 2017-2018: the four groups voted at the general assembly of 20 June 2017; their recommendations were
  "analysed and approved by the board in January 2018" and carried out "from February 2018". The ethics
  committee was created in 2019 (a project, done). The exact day of the board meeting is not in the seeds:
  the demo says 31 January 2018 and the answer says "January 2018".
- The networking recommendations summarised in "Samen (net)werken" (seed 002): partner meetings, the
  follow-up of networking events, networking moments to animate cooperative life; "some led to actions,
  others are in the pipeline": a project under way whose milestones are the seed's listed actions
  (a survey, networking moments per sector, an animation method with a vademecum, a professions fair).
  They are attached to SIP#3 2018-2019's theme "sector and activity networks".

**The demo edition** (on top of ``demo.recommendations_groups``): the first theme with two submitted
recommendations is merged into one synthesis, shown to the groups and opened to every member; another
submitted recommendation is kept as it is. Both go to the board: one decision is published (with a project
and its milestones), the other is recorded and waits to be published. One group has a test project with
an approved budget, expenses, a log and its evaluation. A third theme's synthesis is still with the groups,
opened to every member with an info moment (an event by video in two weeks) and comments: members read it and
comment on it.

Everything goes through the services, without emailing anyone: the emails they queued are deleted before
the transaction commits (the people are made up). Loading twice adds nothing (each step looks for what it
made).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.core.models import OutgoingEmail
from coopsip.demo.recommendations_groups import submit_alike_pair
from coopsip.demo.registrations import DEMO_EDITION
from coopsip.editions.models import Edition, Theme
from coopsip.groups.models import Seat, SeatState
from coopsip.recommendations import publication
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import (
    BoardDecision,
    BudgetKind,
    DecisionKind,
    LogKind,
    ProjectStatus,
    Recommendation,
    RecommendationStatus,
    RecommendationVersion,
    Synthesis,
    TestProject,
)
from coopsip.recommendations.search import index_recommendations

STAFF_EMAIL = "staff@demo.coopsip.org"
BOARD_EMAIL = "bestuur@demo.coopsip.org"

# (edition, theme slug, title, proposal, decision, answer nl/fr/en, project or None)
ARCHIVE: list[dict[str, Any]] = [
    {
        "edition": "2017-2018",
        "theme": "ethics-committee",
        "title": "Een ethisch comité voor Smart oprichten",
        "proposal": "Een kader uitwerken voor een ethisch comité: zijn opdracht, samenstelling en werking, "
        "zodat de coöperatie advies krijgt over de ethische vragen die haar activiteiten oproepen.",
        "decision": DecisionKind.ACCEPTED,
        "answer": {
            "nl": "De raad van bestuur heeft de aanbeveling in januari 2018 geanalyseerd en goedgekeurd; "
            "de uitvoering begon in februari 2018.",
            "fr": "Le conseil d'administration a analysé et approuvé la recommandation en janvier 2018 ; "
            "sa mise en œuvre a commencé en février 2018.",
            "en": "The board analysed and approved the recommendation in January 2018; carrying it out "
            "began in February 2018.",
        },
        "project": {
            "title": {"nl": "Het ethisch comité", "fr": "Le comité d'éthique", "en": "The ethics committee"},
            "description": {
                "nl": "Het ethisch comité werd in 2019 opgericht: een adviesorgaan dat het resultaat is van "
                "Smart in Progress 2017-2018.",
                "fr": "Le comité d'éthique a été créé en 2019 : un organe consultatif, résultat de Smart in "
                "Progress 2017-2018.",
                "en": "The ethics committee was created in 2019: an advisory body that came out of Smart in "
                "Progress 2017-2018.",
            },
            "status": ProjectStatus.DONE,
            "started_on": date(2018, 2, 1),
            "milestones": [
                (
                    {"nl": "Kader goedgekeurd", "fr": "Cadre approuvé", "en": "Framework approved"},
                    date(2018, 1, 31),
                ),
                (
                    {"nl": "Ethisch comité opgericht", "fr": "Comité d'éthique créé", "en": "Ethics committee created"},
                    date(2019, 12, 31),
                ),
            ],
        },
    },
    {
        "edition": "2017-2018",
        "theme": "spokespersons",
        "title": "De missies van de woordvoerders van Smart bepalen",
        "proposal": "Gebruikers en partners een rol van woordvoerder voor Smart laten opnemen, met duidelijk "
        "omschreven missies.",
        "decision": DecisionKind.ACCEPTED,
    },
    {
        "edition": "2017-2018",
        "theme": "financial-information",
        "title": "De financiële en economische informatie toegankelijk maken",
        "proposal": "De toegang tot de financiële en economische informatie van de coöperatie regelen, "
        "in een vorm die elke vennoot kan lezen.",
        "decision": DecisionKind.ACCEPTED,
    },
    {
        "edition": "2017-2018",
        "theme": "it-tools",
        "title": "Een ruimte voor reflectie en advies over de IT-tools",
        "proposal": "Een reflectieruimte in het leven roepen over de informaticatools die ter beschikking "
        "staan van de gebruikers.",
        "decision": DecisionKind.ACCEPTED,
    },
    {
        "edition": "2018-2019",
        "theme": "sector-networks",
        "title": "Partner Meetings: professionele bijeenkomsten toegankelijk voor andere vennoten",
        "proposal": "Vennoten met specifieke noden of met een aanbod kunnen zich als projectverantwoordelijke "
        "voordragen en bijeenkomsten organiseren die openstaan voor andere vennoten; een vaste plaats, een "
        "soort Partner Meeting Point.",
        "decision": DecisionKind.ALREADY_UNDER_WAY,
        "answer": {
            "nl": "Deze aanbevelingen hebben tot acties geleid; andere zitten nog in de pijplijn.",
            "fr": "Ces recommandations ont mené à des actions ; d'autres sont encore en préparation.",
            "en": "These recommendations led to actions; others are still in the pipeline.",
        },
        "project": {
            "title": {
                "nl": "Samen (net)werken: netwerkmomenten en partnermeetings",
                "fr": "Travailler et réseauter ensemble : moments de réseautage et rencontres de partenaires",
                "en": "Working and networking together: networking moments and partner meetings",
            },
            "description": {
                "nl": "Netwerkmomenten rond een beroep, een sector of een transversaal thema, in de gedeelde "
                "ruimten van Smart (zoals de KOP) of bij partners.",
                "fr": "Des moments de réseautage autour d'un métier, d'un secteur ou d'un thème transversal, "
                "dans les espaces partagés de Smart (comme le KOP) ou chez des partenaires.",
                "en": "Networking moments around a profession, a sector or a transversal theme, in Smart's "
                "shared spaces (such as the KOP) or at partners'.",
            },
            "status": ProjectStatus.UNDER_WAY,
            "started_on": date(2021, 9, 1),
            "progress": 40,
            "milestones": [
                (
                    {
                        "nl": "Enquête over de netwerkbehoeften, eerst in één regio",
                        "fr": "Enquête sur les besoins de réseautage, d'abord dans une région",
                        "en": "Survey of members' networking needs, first in one region",
                    },
                    None,
                ),
                (
                    {
                        "nl": "Animatiemethode en vademecum per sector",
                        "fr": "Méthode d'animation et vademecum par secteur",
                        "en": "Animation method and vademecum per sector",
                    },
                    None,
                ),
                (
                    {"nl": "Smart beroepsbeurs", "fr": "Salon des métiers de Smart", "en": "Smart professions fair"},
                    None,
                ),
            ],
            "reached": 1,
        },
    },
    {
        "edition": "2018-2019",
        "theme": "sector-networks",
        "title": "Netwerkbijeenkomsten opvolgen",
        "proposal": "Een systeem opzetten voor het opvolgen, observeren, analyseren en communiceren van "
        "evenementen die ontmoetingen binnen de Smart-gemeenschap in de hand werken, lokaal, regionaal, "
        "federaal of Europees.",
        "decision": DecisionKind.ALREADY_UNDER_WAY,
        "same_synthesis_as_previous": True,
    },
]


def _person(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _archive_recommendation(theme: Theme, data: dict[str, Any]) -> Recommendation:
    """A recommendation of an edition before the platform: no group, submitted as the archive tells it."""
    recommendation, created = Recommendation.objects.get_or_create(
        theme=theme,
        title=data["title"],
        defaults={
            "edition": theme.edition,
            "language": "nl",
            "proposal": data["proposal"],
            "status": RecommendationStatus.SUBMITTED,
            "submitted_at": datetime(theme.edition.starts_on.year, 12, 15, tzinfo=UTC),
            "version": 1,
        },
    )
    if created:
        version = RecommendationVersion.objects.create(
            recommendation=recommendation, number=1, title=recommendation.title, proposal=recommendation.proposal
        )
        # Written during its edition, the week before it was submitted (not on the day the demo was loaded).
        written = datetime(theme.edition.starts_on.year, 12, 15, tzinfo=UTC) - timedelta(days=7)
        RecommendationVersion.objects.filter(pk=version.pk).update(created_at=written)
    return recommendation


def _project(by: Any, decision: BoardDecision, data: dict[str, Any]) -> None:
    if decision.projects.exists():
        return
    project = services.create_project(
        by=by,
        decision=decision,
        titles=data["title"],
        descriptions=data["description"],
        responsible_team="Team Coöperatief leven",
        started_on=data["started_on"],
    )
    for titles, due_on in data["milestones"]:
        services.add_milestone(by=by, project=project, titles=titles, due_on=due_on)
    milestones = list(project.milestones.order_by("position"))
    reached = data.get("reached", len(milestones))
    for milestone in milestones[:reached]:
        services.reach_milestone(by=by, milestone=milestone, on=milestone.due_on or data["started_on"])
    services.change_project(
        by=by,
        project=project,
        status=data["status"],
        progress=data.get("progress", 100),
        ended_on=milestones[-1].due_on if data["status"] == ProjectStatus.DONE else None,
    )


def _load_archive(staff: Any, board: Any) -> None:
    # Entries marked "same_synthesis_as_previous" go into one synthesis with the entry before them.
    batches: list[list[tuple[Recommendation, dict[str, Any]]]] = []
    for data in ARCHIVE:
        theme = Theme.objects.filter(edition__slug=data["edition"], slug=data["theme"]).first()
        if theme is None:
            continue
        entry = (_archive_recommendation(theme, data), data)
        if data.get("same_synthesis_as_previous") and batches:
            batches[-1].append(entry)
        else:
            batches.append([entry])
    editions: set[str] = set()
    for batch in batches:
        recommendations = [rec for rec, _data in batch]
        first, data = batch[0]
        editions.add(data["edition"])
        if any(rec.status != RecommendationStatus.SUBMITTED for rec in recommendations):
            continue  # decided in an earlier load
        if len(recommendations) > 1:
            synthesis = services.merge_into_synthesis(
                by=staff,
                theme=first.theme,
                recommendation_ids=[rec.pk for rec in recommendations],
                title="Samen (net)werken",
                text="De werkgroepen spraken vaak dezelfde wens uit: Smart moet de tienduizenden werkers die "
                "hetzelfde doel nastreven met elkaar in contact brengen, zodat iedereen weet wie werk zoekt en "
                "wie werk aanbiedt.",
                language="nl",
            )
        else:
            synthesis = services.keep_as_is(by=staff, theme=first.theme, recommendation_id=first.pk)
        services.send_to_board(by=staff, synthesis=synthesis)
        services.record_decision(
            by=board,
            synthesis=synthesis,
            decision=data["decision"],
            answers=data.get("answer") or ARCHIVE[0]["answer"],
            # The seeds give the month (January 2018) or no date at all: the day is the demo's.
            meeting_date=date(2018, 1, 31) if data["edition"] == "2017-2018" else date(2021, 6, 30),
        )
    for slug in sorted(editions):
        edition = Edition.objects.get(slug=slug)
        services.publish_decisions(by=board, edition=edition)
        if not publication.Publication.objects.filter(edition=edition, published_at__isnull=False).exists():
            publication.set_published(by=staff, edition=edition, published=True)
    for batch in batches:
        first, data = batch[0]
        if data.get("project"):
            decision = BoardDecision.objects.filter(synthesis__source_links__recommendation=first).first()
            if decision is not None:
                _project(staff, decision, data["project"])


def _members_of(group: Any) -> list[User]:
    return list(
        User.objects.filter(
            registrations__group_seats__group=group, registrations__group_seats__state=SeatState.ACCEPTED
        ).order_by("pk")
    )


def _load_demo_edition(staff: Any, board: Any) -> None:
    edition = Edition.objects.filter(slug=DEMO_EDITION).first()
    if edition is None or Synthesis.objects.filter(edition=edition).exists():
        return
    submitted = list(
        Recommendation.objects.filter(edition=edition, status=RecommendationStatus.SUBMITTED).order_by(
            "theme__position", "pk"
        )
    )
    by_theme: dict[int, list[Recommendation]] = {}
    for recommendation in submitted:
        by_theme.setdefault(recommendation.theme_id, []).append(recommendation)
    themes = [recs for recs in by_theme.values() if recs]
    if not themes:
        return
    first = themes[0]
    if len(first) >= 2:
        same_language = [r for r in first if r.language == first[0].language][:2]
        ids = [r.pk for r in (same_language if len(same_language) == 2 else first[:2])]
        merged = services.merge_into_synthesis(
            by=staff,
            theme=first[0].theme,
            recommendation_ids=ids,
            title=first[0].title,
            text="\n\n".join(r.proposal for r in first[:2] if r.proposal),
            language=first[0].language,
        )
    else:
        merged = services.keep_as_is(by=staff, theme=first[0].theme, recommendation_id=first[0].pk)
    services.send_to_groups(by=staff, synthesis=merged)
    services.open_to_all_members(by=staff, synthesis=merged)
    commenters = [m for r in first[:2] if r.group for m in _members_of(r.group)[:1]]
    for person in commenters:
        services.comment_on_synthesis(
            by=person, synthesis=merged, text="Goed samengevat; vergeet de kosten niet.", language="nl"
        )
    services.send_to_board(by=staff, synthesis=merged)
    decision = services.record_decision(
        by=board,
        synthesis=merged,
        decision=DecisionKind.ACCEPTED_WITH_CHANGES,
        answers={
            "nl": "De raad neemt de aanbeveling over, met een kleiner budget voor het eerste jaar.",
            "fr": "Le conseil reprend la recommandation, avec un budget réduit pour la première année.",
            "en": "The board takes up the recommendation, with a smaller budget for the first year.",
        },
        meeting_date=timezone.localdate(),
    )
    services.publish_decisions(by=board, edition=edition)
    project = services.create_project(
        by=staff,
        decision=decision,
        titles={"nl": merged.title, "fr": merged.title, "en": merged.title},
        responsible_team="Team Coöperatief leven",
        started_on=timezone.localdate(),
    )
    services.add_milestone(
        by=staff, project=project, titles={"nl": "Plan goedgekeurd", "fr": "Plan approuvé", "en": "Plan approved"},
        due_on=timezone.localdate(),
    )  # fmt: skip
    services.add_milestone(
        by=staff, project=project, titles={"nl": "Eerste proef", "fr": "Premier essai", "en": "First trial"},
        due_on=timezone.localdate().replace(year=timezone.localdate().year + 1),
    )  # fmt: skip
    services.reach_milestone(by=staff, milestone=project.milestones.order_by("position")[0], on=timezone.localdate())
    services.change_project(by=staff, project=project, status=ProjectStatus.UNDER_WAY, progress=20)
    # A second theme: kept as it is and decided, waiting to be published (decide first, publish later).
    if len(themes) > 1:
        kept = services.keep_as_is(by=staff, theme=themes[1][0].theme, recommendation_id=themes[1][0].pk)
        services.send_to_board(by=staff, synthesis=kept)
        services.record_decision(
            by=board,
            synthesis=kept,
            decision=DecisionKind.POSTPONED,
            answers={
                "nl": "Volgend jaar opnieuw bekijken.",
                "fr": "À revoir l'an prochain.",
                "en": "To be looked at again next year.",
            },
            meeting_date=timezone.localdate(),
        )  # fmt: skip
    _test_project(staff, first[0])


def _test_project(staff: Any, recommendation: Recommendation) -> None:
    group = recommendation.group
    if group is None or TestProject.objects.filter(group=group).exists():
        return
    officer_seat = (
        Seat.objects.filter(group=group, state=SeatState.ACCEPTED, role__in=["secretary", "moderator"])
        .select_related("registration__user")
        .first()
    )
    if officer_seat is None:
        return
    officer = officer_seat.registration.user
    # A test project that is over (it has its evaluation): its period lies in the past.
    today = timezone.localdate()
    period = (today - timedelta(days=75), today - timedelta(days=15))
    project = services.propose_test_project(
        by=officer,
        group=group,
        recommendation=recommendation,
        title="Een proefdag met de groep",
        goal="De aanbeveling zelf uitproberen, met onze eigen middelen en knowhow.",
        plan="Een bijeenkomst organiseren, mensen uitnodigen, nadien samen evalueren.",
        language="nl",
        starts_on=period[0],
        ends_on=period[1],
        lines=[
            services.BudgetRequest(kind=BudgetKind.ANIMATION, amount=Decimal("150.00"), description="Moderator"),
            services.BudgetRequest(kind=BudgetKind.ORGANISATION, amount=Decimal("80.00"), description="Zaal"),
            services.BudgetRequest(kind=BudgetKind.INVITING, amount=Decimal("45.50"), description="Affiches"),
        ],
    )
    services.approve_test_project(by=staff, test_project=project, amount=Decimal("250.00"))
    services.record_expense(
        by=officer, test_project=project, amount=Decimal("120.00"), description="Moderator", spent_on=period[0]
    )
    services.record_expense(
        by=officer, test_project=project, amount=Decimal("79.95"), description="Zaalhuur", spent_on=period[0]
    )
    entry = services.add_log_entry(
        by=officer, test_project=project, kind=LogKind.NEED, text="We zoeken een zaal voor 20 mensen.", language="nl"
    )
    services.answer_log_entry(by=staff, entry=entry, answer="De KOP in Brussel is vrij op maandagochtend.")
    services.add_log_entry(
        by=officer, test_project=project, kind=LogKind.DIFFICULTY, text="Weinig inschrijvingen in het begin.",
        language="nl",
    )  # fmt: skip
    services.write_evaluation(
        by=officer,
        test_project=project,
        what_worked="Twintig vennoten kwamen; drie nieuwe samenwerkingen.",
        what_did_not="De uitnodigingen vertrokken te laat.",
        lessons="Vroeger uitnodigen, en via de kantoren.",
        language="nl",
    )


def _open_synthesis_with_info_moment(staff: Any) -> None:
    """A theme's synthesis shown to its groups and opened to every member with an info moment in two weeks
    (an event of the events engine, by video), still open for comments: what a member sees before the board."""
    from datetime import time, timedelta

    from coopsip.editions.phases import BRUSSELS
    from coopsip.events.models import Attendance, Audience, EventFormat, EventKind
    from coopsip.events.services import EventInput

    edition = Edition.objects.filter(slug=DEMO_EDITION).first()
    if edition is None or Synthesis.objects.filter(edition=edition, info_event__isnull=False).exists():
        return
    # Submitted recommendations no synthesis took yet, a theme without any synthesis first. Which themes have
    # active groups depends on the groups the engine formed, so a theme that already has a synthesis will do.
    waiting = sorted(
        Recommendation.objects.filter(edition=edition, status=RecommendationStatus.SUBMITTED).select_related("theme"),
        key=lambda r: (Synthesis.objects.filter(theme=r.theme).exists(), r.theme.position, r.pk),
    )
    if not waiting:
        return
    theme = waiting[0].theme
    sources = [r for r in waiting if r.theme_id == theme.pk and r.language == waiting[0].language][:2]
    if len(sources) == 2:
        synthesis = services.merge_into_synthesis(
            by=staff,
            theme=theme,
            recommendation_ids=[r.pk for r in sources],
            title=sources[0].title,
            text="\n\n".join(r.proposal for r in sources if r.proposal),
            language=sources[0].language,
        )
    else:
        synthesis = services.keep_as_is(by=staff, theme=theme, recommendation_id=sources[0].pk)
    services.send_to_groups(by=staff, synthesis=synthesis)
    day = timezone.localdate() + timedelta(days=14)
    link = f"/nl/staff/recommendations/synthesis/{synthesis.pk}/"
    services.open_with_info_moment(
        by=staff,
        synthesis=synthesis,
        event=EventInput(
            titles={
                "nl": f"Infomoment: {synthesis.title}",
                "fr": f"Moment d'information : {synthesis.title}",
                "en": f"Info moment: {synthesis.title}",
            },
            descriptions={
                "nl": f"Het team stelt de synthese van de aanbevelingen over dit thema voor. Lees en geef "
                f"commentaar voor ze naar de raad van bestuur gaat: {link}",
                "fr": f"L'équipe présente la synthèse des recommandations sur ce thème. Lisez-la et commentez-la "
                f"avant qu'elle parte au conseil d'administration : {link}",
                "en": f"The team presents the synthesis of the recommendations on this theme. Read it and comment "
                f"before it goes to the board: {link}",
            },
            starts_at=datetime.combine(day, time(19, 0), tzinfo=BRUSSELS),
            ends_at=datetime.combine(day, time(20, 30), tzinfo=BRUSSELS),
            kind=EventKind.INFO_SESSION,
            format=EventFormat.PRESENTATION,
            theme=theme,
            edition=edition,
            attendance=Attendance.ONLINE,
            video_url="https://meet.example.org/sip-info-moment",
            audience=Audience.MEMBERS,
        ),
    )
    for person in [m for r in sources if r.group for m in _members_of(r.group)[1:2]]:
        services.comment_on_synthesis(
            by=person, synthesis=synthesis, text="Duidelijk. Kan het ook in Wallonië?", language="nl"
        )


def load_recommendations_followup() -> dict[str, int]:
    """The archive's outcomes since 2015 and the demo edition's synthesis, decisions, projects and test project."""
    staff, board = _person(STAFF_EMAIL), _person(BOARD_EMAIL)
    if staff is None or board is None:
        return {}
    from coopsip.notifications.models import PendingNotification

    before = set(OutgoingEmail.objects.values_list("pk", flat=True))
    pending = set(PendingNotification.objects.values_list("pk", flat=True))
    with transaction.atomic():
        _load_archive(staff, board)
        _load_demo_edition(staff, board)
        _open_synthesis_with_info_moment(staff)
        # Then two alike recommendations reach the team, still waiting for a synthesis: the theme page suggests them.
        submit_alike_pair()
        # The archive's recommendations are written here without the group's services: index them for search.
        index_recommendations(Recommendation.objects.filter(search_stems=""))
        # The people are made up: nobody is emailed (the services queued their emails on commit),
        # and nobody's digest tells of the projects' progress (the notifications the services left waiting).
        OutgoingEmail.objects.exclude(pk__in=before).delete()
        PendingNotification.objects.exclude(pk__in=pending).delete()
    return {
        "board decisions": BoardDecision.objects.count(),
        "follow-up projects": services.FollowUpProject.objects.count(),
        "test projects": TestProject.objects.count(),
    }
