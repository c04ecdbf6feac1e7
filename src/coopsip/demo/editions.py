"""Demo data of the participatory process: the five real editions of Smart in Progress and one made-up current one.

The past editions (2015-2016 to 2020-2021) are facts from the Dutch seed
pages in ``shared/seeds``: their Dutch texts are the seeds, cleaned; the
French and English texts are translations of them. Where the seeds give no
date, the date chosen is said in a comment. The edition 2026-2027 at the end
is MADE UP for the demo, so that the site has a current edition today.

Texts are content, not interface strings: they are stored in the three
translated columns (``title_nl``, ``title_fr``, ``title_en`` …), not in the
gettext catalogues. Loading is idempotent: rows are found by their natural
keys and only written when a value differs.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models

from coopsip.editions.models import (
    CurrentEdition,
    Edition,
    FaqItem,
    Phase,
    PhaseKind,
    Theme,
    ThemeOffice,
)
from coopsip.editions.services import publish_edition
from coopsip.places.models import Office

BRUSSELS = ZoneInfo("Europe/Brussels")
LANGUAGES = ("nl", "fr", "en")
# One contact address across the site: the footer's (the seeds give smartinprogress@smart.coop, obfuscated).
CONTACT_EMAIL = settings.COOPSIP_CONTACT_EMAIL
CONTACT_LINK = f"[{CONTACT_EMAIL}](mailto:{CONTACT_EMAIL})"


class T(NamedTuple):
    """One text in Dutch, French and English."""

    nl: str
    fr: str
    en: str


def _unwrap(text: str) -> str:
    """Dedented Markdown with each paragraph and list item on one line, as staff would type it in a form."""
    blocks = []
    for block in textwrap.dedent(text).strip().split("\n\n"):
        lines: list[str] = []
        for line in block.splitlines():
            if lines and not line.startswith("- "):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.rstrip())
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def t(nl: str, fr: str, en: str) -> T:
    """A text in three languages; indented, wrapped triple-quoted Markdown is dedented and unwrapped."""
    return T(*(_unwrap(text) for text in (nl, fr, en)))


def join(*texts: T) -> T:
    """Texts one after the other, as Markdown paragraphs."""
    return T(*("\n\n".join(getattr(text, code) for text in texts) for code in LANGUAGES))


def same(text: str) -> T:
    return T(text, text, text)


EMPTY = T("", "", "")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in Brussels time (aware)."""
    return datetime(year, month, day, hour, minute, tzinfo=BRUSSELS)


@dataclass(frozen=True)
class ThemeData:
    slug: str
    title: T
    summary: T
    challenges: T = EMPTY
    in_belgium: bool = True
    in_france: bool = False
    extends: tuple[str, str] | None = None  # (edition slug, theme slug)
    to_be_extended: bool = False
    # (office slug, first meeting or None); 2019-2020 only ("een thema per stad").
    offices: tuple[tuple[str, datetime | None], ...] = ()


@dataclass(frozen=True)
class PhaseData:
    kind: PhaseKind
    starts_on: date
    ends_on: date
    title: T
    description: T = EMPTY
    meetings_min: int | None = None
    meetings_max: int | None = None


@dataclass(frozen=True)
class SessionData:
    title: T
    description: T
    starts_at: datetime
    ends_at: datetime
    location: str = ""  # online: the place is not a word to translate


@dataclass(frozen=True)
class FaqData:
    question: T
    answer: T


@dataclass(frozen=True)
class EditionData:
    slug: str
    sip_number: int | None
    title: T
    intro: T
    starts_on: date
    ends_on: date
    outcomes: T = EMPTY
    in_belgium: bool = True
    in_france: bool = False
    registration_opens_at: datetime | None = None
    registration_closes_at: datetime | None = None
    admits_all_stakeholders: bool = False
    commitment_starts_on: date | None = None
    commitment_ends_on: date | None = None
    group_size_max: int = 12
    themes: tuple[ThemeData, ...] = ()
    phases: tuple[PhaseData, ...] = ()
    sessions: tuple[SessionData, ...] = ()
    faq: tuple[FaqData, ...] = ()
    # True only for the made-up demo edition: published with publish_edition and current in its countries.
    current: bool = False


# ---------------------------------------------------------------------------
# Texts shared by several editions
# ---------------------------------------------------------------------------

GENDER_EQUALITY_TITLE = t("Gendergelijkheid", "Égalité des genres", "Gender equality")

GENDER_EQUALITY_SUMMARY = t(
    "Vragen stellen bij machtsverhoudingen en arbeidsomstandigheden, en concrete maatregelen voorstellen om "
    "grenzen te verleggen in mentaliteit en realiteit.",
    "Questionner les rapports de pouvoir et les conditions de travail, et proposer des mesures concrètes pour "
    "faire bouger les lignes dans les mentalités et dans les faits.",
    "Questioning power relations and working conditions, and proposing concrete measures to push boundaries in "
    "mindsets and in reality.",
)

GENDER_EQUALITY_TEXT = t(
    """
    Gendergelijkheid (M/V/X) is vragen stellen bij bestuurlijke regelingen en machtsverhoudingen,
    arbeidsomstandigheden en overheersing. Gendergelijkheid wil de zelfstandige positie van vrouwen, het initiatief
    en de burgerlijke verantwoordelijkheid van iedereen bevorderen. Deze werkgroep zal zich buigen over de
    transversale uitdagingen van gendergelijkheid en zal concrete maatregelen voorstellen om grenzen te verleggen
    in mentaliteit en realiteit.
    """,
    """
    L'égalité des genres (F/H/X), c'est interroger les modes de gouvernance et les rapports de pouvoir, les
    conditions de travail et les rapports de domination. L'égalité des genres veut favoriser l'autonomie des femmes,
    l'initiative et la responsabilité citoyenne de toutes et tous. Ce groupe de travail se penchera sur les enjeux
    transversaux de l'égalité des genres et proposera des mesures concrètes pour faire bouger les lignes, dans les
    mentalités comme dans les faits.
    """,
    """
    Gender equality (M/F/X) means questioning governance arrangements and power relations, working conditions and
    domination. Gender equality seeks to foster women's autonomy and everyone's initiative and civic
    responsibility. This working group will look at the cross-cutting challenges of gender equality and will
    propose concrete measures to push boundaries in mindsets and in reality.
    """,
)

TEST_PROJECTS_TEXT = t(
    """
    Terzelfdertijd met de andere fases kan een werkgroep een voorstel zelf in de praktijk omzetten als testproject,
    in plaats van louter schriftelijke aanbevelingen op te stellen.

    De werkgroep kiest een thema en krijgt het geleidelijk onder de knie. In het verlengde van de discussies kan
    ze besluiten een idee actief te testen. Het testproject verloopt in eerste instantie zonder dat Smart concrete
    oplossingen aanreikt, bijvoorbeeld op het vlak van IT of voor een organisatie op grote schaal: de werkgroep
    gebruikt haar eigen middelen en knowhow. Het budget van Smart in Progress kan wel helpen bij de animatie van de
    groep, de organisatie van het testproject en het uitnodigen van personen.

    In het team Coöperatief leven volgt een groep het proces op: hij vormt een algemeen overzicht, helpt bij
    eventuele moeilijkheden en biedt de werkgroepen een oplossing voor hun behoeften. Vervolgens wordt het
    testproject geëvalueerd en aan de aanbevelingen van Smart in Progress toegevoegd.
    """,
    """
    En parallèle aux autres phases, un groupe de travail peut mettre lui-même une proposition en pratique sous la
    forme d'un projet test, plutôt que de se limiter à des recommandations écrites.

    Le groupe choisit un thème et se l'approprie progressivement. Dans le prolongement des discussions, il peut
    décider de tester activement une idée. Le projet test se déroule d'abord sans que Smart n'apporte de solutions
    concrètes, par exemple informatiques ou pour une organisation à grande échelle : le groupe utilise ses propres
    moyens et savoir-faire. Le budget prévu pour Smart in Progress peut toutefois aider à l'animation du groupe, à
    l'organisation du projet test et à l'invitation de personnes.

    Au sein de l'équipe Vie coopérative, un groupe suit le processus : il en garde une vue d'ensemble, aide à
    résoudre les difficultés éventuelles et répond aux besoins des groupes de travail. Le projet test est ensuite
    évalué et ajouté aux recommandations de Smart in Progress.
    """,
    """
    Alongside the other phases, a working group can put a proposal into practice itself as a test project, instead
    of only writing recommendations.

    The group chooses a theme and gradually gets to grips with it. Following on from its discussions, it may decide
    to actively test an idea. At first the test project runs without Smart providing concrete solutions, for
    example in IT or for a large-scale organisation: the group uses its own means and know-how. The Smart in
    Progress budget can, however, help with facilitating the group, organising the test project and inviting
    people.

    Within the Cooperative Life team, a group follows the process: it keeps an overview, helps with any
    difficulties and meets the working groups' needs. The test project is then evaluated and added to the Smart in
    Progress recommendations.
    """,
)


def _phases_like_2020(year: int) -> tuple[PhaseData, ...]:
    """The calendar of seed 001 (2020-2021), for an edition starting in November of ``year``."""
    nxt = year + 1
    return (
        PhaseData(
            PhaseKind.PREPARATION,
            date(year, 11, 1),
            date(year, 12, 31),
            t("Voorbereiding van het proces", "Préparation du processus", "Preparing the process"),
            t(
                "Aanschrijven van moderatoren en secretarissen, formulier om te polsen naar interesse voor deelname, "
                "informatie, mobilisatie en vorming van de groepen.",
                "Appel aux modérateur·rices et aux secrétaires, formulaire pour sonder l'intérêt à participer, "
                "information, mobilisation et formation des groupes.",
                "Recruiting moderators and secretaries, a form to gauge interest in taking part, information, "
                "mobilisation and forming the groups.",
            ),
        ),
        PhaseData(
            PhaseKind.STUDY,
            date(nxt, 1, 1),
            date(nxt, 1, 31),
            t("Bestuderen van de thema's", "Étude des thèmes", "Studying the themes"),
            t(
                "1 tot 2 vergaderingen per werkgroep.",
                "1 à 2 réunions par groupe de travail.",
                "1 to 2 meetings per working group.",
            ),
            meetings_min=1,
            meetings_max=2,
        ),
        PhaseData(
            PhaseKind.IDEAS,
            date(nxt, 1, 20),
            date(nxt, 2, 20),
            t(
                "Ideeën aanbrengen voor aanbevelingen",
                "Apport d'idées pour les recommandations",
                "Bringing ideas for recommendations",
            ),
            t("1 tot 2 vergaderingen.", "1 à 2 réunions.", "1 to 2 meetings."),
            meetings_min=1,
            meetings_max=2,
        ),
        PhaseData(
            PhaseKind.EXPERTS,
            date(nxt, 2, 1),
            date(nxt, 2, 15),
            t("Bijdrage van deskundigen", "Contribution d'expert·es", "Expert contributions"),
        ),
        PhaseData(
            PhaseKind.RECOMMENDATIONS,
            date(nxt, 2, 20),
            date(nxt, 3, 20),
            t(
                "Formuleren en bespreken van aanbevelingen",
                "Formulation et discussion des recommandations",
                "Formulating and discussing recommendations",
            ),
            t(
                "Aanbevelingen formuleren en bespreken en analyseren of ze haalbaar zijn: 1 vergadering met de "
                "werkgroep en infomomenten voor alle vennoten.",
                "Formuler et discuter les recommandations et analyser leur faisabilité : 1 réunion du groupe de "
                "travail et des moments d'information pour tou·tes les associé·es.",
                "Formulating and discussing recommendations and analysing whether they are feasible: 1 meeting of "
                "the working group and info sessions for all members.",
            ),
            meetings_min=1,
            meetings_max=1,
        ),
        PhaseData(
            PhaseKind.TEST_PROJECTS,
            date(nxt, 1, 15),
            date(nxt, 4, 15),
            t("Testprojecten uitvoeren", "Mise en œuvre des projets tests", "Carrying out test projects"),
            TEST_PROJECTS_TEXT,
        ),
    )


def _faq(year: int, *, health_crisis: bool) -> tuple[FaqData, ...]:
    """The questions and answers of seeds 001 and 003, for an edition whose meetings run December ``year`` – April."""
    nxt = year + 1
    if health_crisis:
        meeting_modes = t(
            """
            Al naargelang de evolutie van de gezondheidssituatie kunnen de groepen virtueel vergaderen (via
            videoconferentie) en/of fysiek samenkomen. We letten er bij de samenstelling van de groepen dan ook op dat
            de deelnemers niet te ver uit elkaar wonen.
            """,
            """
            Selon l'évolution de la situation sanitaire, les groupes peuvent se réunir à distance (par
            visioconférence) et/ou en présentiel. En formant les groupes, nous veillons donc à ce que les
            participant·es n'habitent pas trop loin les un·es des autres.
            """,
            """
            Depending on how the health situation develops, the groups can meet online (by video call) and/or in
            person. When forming the groups, we therefore make sure the participants do not live too far apart.
            """,
        )
        forming_intro = t(
            """
            We stellen de werkgroepen dit jaar anders samen. Door de gezondheidssituatie zullen de meeste
            vergaderingen wellicht plaatsvinden via videoconferentie. Omdat we fysieke bijeenkomsten mogelijk willen
            maken van zodra het mag, vormen we meerdere groepen per thema en zorgen we ervoor dat de deelnemers van een
            groep niet te ver uit elkaar wonen.
            """,
            """
            Cette année, nous formons les groupes autrement. En raison de la situation sanitaire, la plupart des
            réunions auront sans doute lieu par visioconférence. Comme nous voulons permettre des rencontres en
            présentiel dès que ce sera possible, nous formons plusieurs groupes par thème, en veillant à ce que les
            participant·es d'un groupe n'habitent pas trop loin les un·es des autres.
            """,
            """
            This year we form the working groups differently. Because of the health situation, most meetings will
            probably take place by video call. As we want to make in-person meetings possible as soon as they are
            allowed, we form several groups per theme and make sure that the members of a group do not live too far
            apart.
            """,
        )
    else:
        meeting_modes = t(
            """
            De groepen komen fysiek samen, vergaderen via videoconferentie of combineren beide. We letten er bij de
            samenstelling van de groepen op dat de deelnemers niet te ver uit elkaar wonen.
            """,
            """
            Les groupes se réunissent en présentiel, par visioconférence ou les deux. En formant les groupes, nous
            veillons à ce que les participant·es n'habitent pas trop loin les un·es des autres.
            """,
            """
            The groups meet in person, by video call or both. When forming the groups, we make sure the participants
            do not live too far apart.
            """,
        )
        forming_intro = t(
            """
            We vormen meerdere groepen per thema en zorgen ervoor dat de deelnemers van een groep niet te ver uit
            elkaar wonen, zodat ze fysiek kunnen samenkomen.
            """,
            """
            Nous formons plusieurs groupes par thème, en veillant à ce que les participant·es d'un groupe n'habitent
            pas trop loin les un·es des autres, pour pouvoir se réunir en présentiel.
            """,
            """
            We form several groups per theme and make sure that the members of a group do not live too far apart, so
            that they can meet in person.
            """,
        )
    organised = join(
        t(
            """
            Met de ondersteuning van een moderator en een secretaris komen de werkgroepen bijeen om hun onderwerp te
            bespreken. Om inspiratie op te doen, mogen ze deskundigen en partners uitnodigen die ook andere
            standpunten kunnen aanreiken.
            """,
            """
            Avec le soutien d'un·e modérateur·rice et d'un·e secrétaire, les groupes de travail se réunissent pour
            traiter leur sujet. Pour s'inspirer, ils peuvent inviter des expert·es et des partenaires qui apportent
            d'autres points de vue.
            """,
            """
            Supported by a moderator and a secretary, the working groups meet to discuss their subject. For
            inspiration, they may invite experts and partners who bring other viewpoints.
            """,
        ),
        meeting_modes,
        t(
            """
            Het team Coöperatief leven van Smart leidt het proces en doet daarvoor een beroep op de adviesverleners
            en op leden die gespecialiseerd zijn in gespreks- en moderatietechnieken. De werkgroepen komen lokaal
            samen, voor een kwaliteitsvol overleg waaraan iedereen optimaal kan bijdragen.
            """,
            """
            L'équipe Vie coopérative de Smart mène le processus, avec l'appui des conseiller·ères et de membres
            formé·es aux techniques de dialogue et d'animation. Les groupes de travail se réunissent localement, pour
            une concertation de qualité à laquelle chacun·e peut pleinement contribuer.
            """,
            """
            Smart's Cooperative Life team leads the process, calling on the advisors and on members skilled in
            dialogue and facilitation techniques. The working groups meet locally, for good-quality discussions to
            which everyone can contribute fully.
            """,
        ),
    )
    forming = join(
        forming_intro,
        t(
            """
            Op basis van de interesse van de deelnemers, secretarissen en moderatoren vormt het team Coöperatief
            leven groepen en stelt het je voor om eraan deel te nemen. We houden zowel rekening met
            themavoorkeuren als met locatie.

            De werkgroepen kunnen dus bestaan uit leden die aan hetzelfde kantoor verbonden zijn of in dezelfde
            regio wonen. Het is mogelijk dat in bepaalde regio's verschillende thema's worden behandeld. Voor wie
            verder van elkaar woont, vormen we een of meerdere groepen die enkel via videoconferentie vergaderen.

            Zodra een groep is samengesteld, kan hij nog andere personen uitnodigen om deel te nemen, bijvoorbeeld
            van hetzelfde kantoor of uit dezelfde regio.
            """,
            """
            Sur la base de l'intérêt des participant·es, des secrétaires et des modérateur·rices, l'équipe Vie
            coopérative forme les groupes et vous propose d'y prendre part. Nous tenons compte à la fois des
            préférences de thème et du lieu.

            Les groupes peuvent donc réunir des membres rattachés au même bureau ou habitant la même région.
            Certaines régions peuvent traiter plusieurs thèmes. Pour les personnes qui habitent plus loin les unes
            des autres, nous formons un ou plusieurs groupes qui se réunissent uniquement par visioconférence.

            Une fois formé, un groupe peut encore inviter d'autres personnes à le rejoindre, par exemple du même
            bureau ou de la même région.
            """,
            """
            Based on the interest of participants, secretaries and moderators, the Cooperative Life team forms the
            groups and proposes one to you. We take into account both theme preferences and location.

            Groups may therefore consist of members attached to the same office or living in the same region. Some
            regions may cover several themes. For people who live further apart, we form one or more groups that
            meet only by video call.

            Once a group has been formed, it can still invite more people to join, for example from the same
            office or region.
            """,
        ),
    )
    return (
        FaqData(
            t("Wie mag deelnemen?", "Qui peut participer ?", "Who may take part?"),
            t(
                """
                Enkel wie vennoot is van de coöperatie, mag deelnemen. Verder zijn er geen vereisten, behalve de zin
                om zich actief in te zetten voor het proces. Je hebt geen bijzondere competenties nodig, maar je moet
                wel enkele uren van je tijd aan het collectief kunnen besteden.
                """,
                """
                Seul·es les associé·es de la coopérative peuvent participer. Il n'y a pas d'autre condition que
                l'envie de s'engager activement dans le processus. Aucune compétence particulière n'est requise, mais
                il faut pouvoir consacrer quelques heures de son temps au collectif.
                """,
                """
                Only members of the cooperative may take part. There are no other requirements apart from the wish to
                get actively involved in the process. You need no particular skills, but you must be able to give a
                few hours of your time to the group.
                """,
            ),
        ),
        FaqData(
            t("Waarom zou ik deelnemen?", "Pourquoi participer ?", "Why take part?"),
            t(
                """
                - Om de coöperatie te helpen evolueren.
                - Om samen met anderen antwoorden te vinden op de behoeften van het collectief.
                - Om andere leden van de coöperatie te leren kennen, met hen te praten en samen te werken.
                - Om de coöperatie beter te begrijpen en te vatten.

                Door deel te nemen, draag je zelf actief bij aan het leven van je onderneming en bouw je je netwerk
                op binnen de coöperatie.
                """,
                """
                - Pour faire évoluer la coopérative.
                - Pour trouver avec d'autres des réponses aux besoins du collectif.
                - Pour rencontrer d'autres membres de la coopérative, échanger et travailler avec eux.
                - Pour mieux comprendre la coopérative.

                En participant, vous contribuez activement à la vie de votre entreprise et vous développez votre
                réseau au sein de la coopérative.
                """,
                """
                - To help the cooperative evolve.
                - To find answers to the group's needs together with others.
                - To meet other members of the cooperative, talk and work with them.
                - To understand the cooperative better.

                By taking part, you contribute actively to the life of your enterprise and build your network within
                the cooperative.
                """,
            ),
        ),
        FaqData(
            t("Wat wordt er van mij verwacht?", "Qu'attend-on de moi ?", "What is expected of me?"),
            t(
                f"""
                Om te kunnen deelnemen, is het nodig dat je:

                - toezegt voor de hele periode en dus deelneemt aan gemiddeld 5 vergaderingen van telkens ongeveer
                  3 uur tussen december {year} en april {nxt}; de eerste vergadering vindt plaats in januari {nxt};
                - vrijwillig en gratis deelneemt;
                - interesse hebt voor het gekozen onderwerp en er samen met anderen rond wil werken.

                Af en toe deelnemen is niet mogelijk. Om ervoor te zorgen dat iedereen kan deelnemen, kiezen we de
                meest geschikte uren en manier van vergaderen.
                """,
                f"""
                Pour participer, il faut :

                - s'engager pour toute la période, soit en moyenne 5 réunions d'environ 3 heures entre décembre
                  {year} et avril {nxt} ; la première réunion a lieu en janvier {nxt} ;
                - participer bénévolement et gratuitement ;
                - s'intéresser au sujet choisi et avoir envie d'y travailler avec d'autres.

                Une participation ponctuelle n'est pas possible. Pour que chacun·e puisse participer, nous choisissons
                les horaires et la façon de se réunir qui conviennent le mieux.
                """,
                f"""
                To take part, you need to:

                - commit for the whole period, that is on average 5 meetings of about 3 hours each between December
                  {year} and April {nxt}; the first meeting takes place in January {nxt};
                - take part as an unpaid volunteer;
                - be interested in the chosen subject and want to work on it with others.

                Occasional attendance is not possible. So that everyone can take part, we choose the most convenient
                times and way of meeting.
                """,
            ),
        ),
        FaqData(
            t(
                "Hoe worden de werkgroepen georganiseerd?",
                "Comment les groupes de travail sont-ils organisés ?",
                "How are the working groups organised?",
            ),
            organised,
        ),
        FaqData(
            t(
                "Hoe worden de werkgroepen samengesteld?",
                "Comment les groupes de travail sont-ils formés ?",
                "How are the groups formed?",
            ),
            forming,
        ),
        FaqData(
            t("Hoe worden de thema's bepaald?", "Comment les thèmes sont-ils choisis ?", "How are themes chosen?"),
            t(
                """
                Tot nu werden de thema's voorgesteld door de raad van bestuur van Smart en konden de vennoten tijdens
                de jaarlijkse algemene vergadering voor hun voorkeur stemmen. Op termijn is het de bedoeling dat de
                vennoten de thema's zelf voorstellen. Een thema dat om een diepgaander debat vraagt, kan met een jaar
                verlengd worden.
                """,
                """
                Jusqu'ici, les thèmes étaient proposés par le conseil d'administration de Smart et les associé·es
                pouvaient voter pour leurs préférences lors de l'assemblée générale annuelle. À terme, l'objectif est
                que les associé·es proposent eux-mêmes les thèmes. Un thème qui appelle un débat plus approfondi peut
                être prolongé d'un an.
                """,
                """
                So far, the themes have been proposed by Smart's board of directors and members could vote for their
                preferences at the annual general assembly. In time, the aim is for members to propose the themes
                themselves. A theme that calls for a deeper debate can be extended by a year.
                """,
            ),
        ),
        FaqData(
            t(
                "Aan wie worden de aanbevelingen voorgelegd?",
                "À qui les recommandations sont-elles présentées ?",
                "To whom are the recommendations presented?",
            ),
            t(
                """
                De aanbevelingen die de werkgroepen formuleren, worden per thema samengevat, gebundeld en voorgelegd
                aan de raad van bestuur, die er beslissingen over neemt. Uiteindelijk leiden ze tot concrete projecten:
                zo werd in 2019 het ethisch comité opgericht, een adviesorgaan dat het resultaat is van de reeks Smart
                in Progress 2017-2018.
                """,
                """
                Les recommandations des groupes de travail sont synthétisées par thème, rassemblées et présentées au
                conseil d'administration, qui prend des décisions à leur sujet. Elles débouchent sur des projets
                concrets : c'est ainsi qu'a été créé en 2019 le comité d'éthique, un organe consultatif issu de la
                série Smart in Progress 2017-2018.
                """,
                """
                The recommendations of the working groups are summarised per theme, bundled and presented to the board
                of directors, which makes decisions on them. In the end they lead to concrete projects: the ethics
                committee, for example, an advisory body set up in 2019, is the result of the Smart in Progress
                2017-2018 series.
                """,
            ),
        ),
        FaqData(
            t("Vragen?", "Des questions ?", "Questions?"),
            t(
                f"Mail gerust naar {CONTACT_LINK}.",
                f"Écrivez-nous à {CONTACT_LINK}.",
                f"Write to {CONTACT_LINK}.",
            ),
        ),
    )


# ---------------------------------------------------------------------------
# SIP#1 2015-2016 (seeds 000, 004)
# ---------------------------------------------------------------------------

SIP1 = EditionData(
    slug="2015-2016",
    sip_number=1,
    title=same("Smart in Progress 2015-2016"),
    # The seeds give the years only: a school year is assumed.
    starts_on=date(2015, 9, 1),
    ends_on=date(2016, 6, 30),
    intro=t(
        """
        De eerste editie van Smart in Progress (SIP#1) begeleidde de start van het coöperatieve proces van Smart.
        In workshops werd samen nagedacht over het project van Smart en over hoe het opnieuw te definiëren.

        Deze editie verliep in het Frans.
        """,
        """
        La première édition de Smart in Progress (SIP#1) a accompagné le lancement du processus coopératif de Smart.
        Des ateliers ont permis de réfléchir ensemble au projet de Smart et à la manière de le redéfinir.

        Cette édition s'est déroulée en français.
        """,
        """
        The first edition of Smart in Progress (SIP#1) accompanied the start of Smart's cooperative process. In
        workshops, people thought together about Smart's project and how to redefine it.

        This edition took place in French.
        """,
    ),
    outcomes=t(
        """
        De workshops leidden tot een reeks aanbevelingen. Daarin werd ook de wens uitgesproken om binnen Smart:

        - een ethisch comité op te richten;
        - gebruikers en partners een rol van woordvoerder voor Smart te laten opnemen;
        - de toegang tot de financiële en economische informatie te regelen;
        - een reflectieruimte in het leven te roepen over de informaticatools die ter beschikking staan van de
          gebruikers.

        Die wensen werden de vier werkgroepen van Smart in Progress 2017-2018.
        """,
        """
        Les ateliers ont débouché sur une série de recommandations, dont le souhait :

        - de créer un comité d'éthique au sein de Smart ;
        - de permettre aux utilisateur·rices et aux partenaires d'assumer un rôle de porte-parole de Smart ;
        - d'organiser l'accès à l'information financière et économique ;
        - de créer un espace de réflexion sur les outils informatiques mis à la disposition des utilisateur·rices.

        Ces souhaits sont devenus les quatre groupes de travail de Smart in Progress 2017-2018.
        """,
        """
        The workshops led to a series of recommendations, including the wish:

        - to set up an ethics committee within Smart;
        - to let users and partners act as spokespersons for Smart;
        - to organise access to financial and economic information;
        - to create a space for reflection on the IT tools available to users.

        These wishes became the four working groups of Smart in Progress 2017-2018.
        """,
    ),
    themes=(
        ThemeData(
            "redefining-smart",
            t("Het project van Smart herdefiniëren", "Redéfinir le projet de Smart", "Redefining Smart's project"),
            t(
                "Workshops bij de start van het coöperatieve proces, om samen het project van Smart opnieuw te "
                "definiëren. In het Frans.",
                "Des ateliers au lancement du processus coopératif, pour redéfinir ensemble le projet de Smart. "
                "En français.",
                "Workshops at the start of the cooperative process, to redefine Smart's project together. In French.",
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# SIP#2 2017-2018 (seed 004)
# ---------------------------------------------------------------------------


def _sip2_theme(slug: str, title: T, summary: T, wish: T, mission: T) -> ThemeData:
    return ThemeData(
        slug,
        title,
        summary,
        t(
            f"De workshops van 2015-2016 spraken de wens uit {wish.nl}. "
            f"Deze werkgroep krijgt de opdracht {mission.nl}.",
            f"Les ateliers de 2015-2016 ont exprimé le souhait {wish.fr}. Ce groupe de travail a pour mission "
            f"{mission.fr}.",
            f"The 2015-2016 workshops expressed the wish {wish.en}. This working group is asked {mission.en}.",
        ),
    )


SIP2 = EditionData(
    slug="2017-2018",
    sip_number=2,
    title=same("Smart in Progress 2017-2018"),
    # From the general assembly that voted the groups to the board's decision.
    starts_on=date(2017, 6, 20),
    ends_on=date(2018, 1, 31),
    admits_all_stakeholders=True,
    intro=t(
        """
        Tijdens de algemene vergadering van 20 juni 2017 stemden de vennoten van de coöperatie voor de oprichting
        van vier participatieve werkgroepen met verschillende types vennoten en stakeholders.

        Smart betrekt haar stakeholders bij het uitwerken van haar missie en strategisch plan door een kader te
        scheppen waarbinnen continu overleg- en reflectiemomenten plaatsvinden.

        **Werkkader**

        - De werkgroepen zijn samengesteld uit verschillende types vennoten en stakeholders met verschillende
          profielen binnen de coöperatie: gebruikers, klanten, partners, werknemers, permanente medewerkers.
        - Elke groep telt maximaal 10 à 12 personen en wordt gecoördineerd door een animator en door een lid van de
          raad van bestuur.
        - Ontmoetingen met andere deskundigen of een bezoek aan praktische cases worden aangemoedigd.
        - De groepen komen ongeveer een keer per maand samen vanaf september 2017.
        - De raad van bestuur analyseert de voorstellen of aanbevelingen van elke werkgroep en keurt ze goed in
          januari 2018; vanaf februari 2018 worden ze uitgevoerd.
        """,
        """
        Lors de l'assemblée générale du 20 juin 2017, les associé·es de la coopérative ont voté la création de
        quatre groupes de travail participatifs réunissant différents types d'associé·es et de parties prenantes.

        Smart associe ses parties prenantes à l'élaboration de sa mission et de son plan stratégique en créant un
        cadre où se tiennent des moments continus de concertation et de réflexion.

        **Cadre de travail**

        - Les groupes de travail réunissent différents types d'associé·es et de parties prenantes, issus de
          différents profils au sein de la coopérative : utilisateur·rices, client·es, partenaires, salarié·es,
          permanent·es.
        - Chaque groupe compte au maximum 10 à 12 personnes et est coordonné par un·e animateur·rice et par un
          membre du conseil d'administration.
        - Les rencontres avec d'autres expert·es ou la visite de cas pratiques sont encouragées.
        - Les groupes se réunissent environ une fois par mois à partir de septembre 2017.
        - Le conseil d'administration analyse et approuve les propositions ou recommandations de chaque groupe en
          janvier 2018 ; leur mise en œuvre commence en février 2018.
        """,
        """
        At the general assembly of 20 June 2017, the members of the cooperative voted to set up four participatory
        working groups bringing together different types of members and stakeholders.

        Smart involves its stakeholders in shaping its mission and strategic plan by creating a framework for
        ongoing moments of consultation and reflection.

        **How the groups work**

        - The working groups bring together different types of members and stakeholders from different profiles
          within the cooperative: users, clients, partners, employees and permanent staff.
        - Each group has at most 10 to 12 people and is coordinated by a facilitator and by a member of the board of
          directors.
        - Meeting other experts or visiting practical cases is encouraged.
        - The groups meet about once a month from September 2017.
        - The board of directors analyses and approves the proposals or recommendations of each group in January
          2018; they are put into practice from February 2018.
        """,
    ),
    outcomes=t(
        """
        In 2019 werd het **ethisch comité** van Smart opgericht. Dat adviesorgaan is het resultaat van de reeks
        Smart in Progress 2017-2018.
        """,
        """
        Le **comité d'éthique** de Smart a été créé en 2019. Cet organe consultatif est le fruit de la série Smart in
        Progress 2017-2018.
        """,
        """
        Smart's **ethics committee** was set up in 2019. This advisory body is the result of the Smart in Progress
        2017-2018 series.
        """,
    ),
    themes=(
        _sip2_theme(
            "ethics-committee",
            t(
                "Een kader voor een ethisch comité",
                "Un cadre pour un comité d'éthique",
                "A framework for an ethics committee",
            ),
            t(
                "Het kader uitdenken voor een ethisch comité binnen Smart.",
                "Concevoir le cadre d'un comité d'éthique au sein de Smart.",
                "Designing the framework of an ethics committee within Smart.",
            ),
            t(
                "om binnen Smart een ethisch comité op te richten",
                "de créer un comité d'éthique au sein de Smart",
                "to set up an ethics committee within Smart",
            ),
            t("om er het kader voor uit te denken", "d'en concevoir le cadre", "to design its framework"),
        ),
        _sip2_theme(
            "spokespersons",
            t(
                "De missies van de woordvoerders van Smart",
                "Les missions des porte-parole de Smart",
                "The missions of Smart's spokespersons",
            ),
            t(
                "Bepalen welke missies de woordvoerders van Smart opnemen.",
                "Définir les missions des porte-parole de Smart.",
                "Defining the missions of Smart's spokespersons.",
            ),
            t(
                "om gebruikers en partners een rol van woordvoerder voor Smart te laten opnemen",
                "de permettre aux utilisateur·rices et aux partenaires d'assumer un rôle de porte-parole de Smart",
                "to let users and partners act as spokespersons for Smart",
            ),
            t(
                "om de missies van die woordvoerders te bepalen",
                "de définir les missions de ces porte-parole",
                "to define the missions of these spokespersons",
            ),
        ),
        _sip2_theme(
            "financial-information",
            t(
                "Financiële en economische informatie toegankelijk maken",
                "Rendre l'information financière et économique accessible",
                "Making financial and economic information accessible",
            ),
            t(
                "De financiële en economische informatie van de coöperatie toegankelijk maken.",
                "Rendre accessible l'information financière et économique de la coopérative.",
                "Making the cooperative's financial and economic information accessible.",
            ),
            t(
                "om de toegang tot de financiële en economische informatie te regelen",
                "d'organiser l'accès à l'information financière et économique",
                "to organise access to financial and economic information",
            ),
            t(
                "om die informatie van de coöperatie toegankelijk te maken",
                "de rendre cette information de la coopérative accessible",
                "to make this information of the cooperative accessible",
            ),
        ),
        _sip2_theme(
            "it-tools",
            t(
                "Een ruimte voor reflectie en advies over de IT-tools",
                "Un espace de réflexion et de conseil sur les outils informatiques",
                "A space for reflection and advice on the IT tools",
            ),
            t(
                "Een ruimte uitdenken voor reflectie en advies over de IT-tools van Smart.",
                "Concevoir un espace de réflexion et de conseil sur les outils informatiques de Smart.",
                "Designing a space for reflection and advice on Smart's IT tools.",
            ),
            t(
                "om een reflectieruimte in het leven te roepen over de informaticatools die ter beschikking staan van "
                "de gebruikers",
                "de créer un espace de réflexion sur les outils informatiques mis à la disposition des "
                "utilisateur·rices",
                "to create a space for reflection on the IT tools available to users",
            ),
            t(
                "om die ruimte voor reflectie en advies uit te denken",
                "de concevoir cet espace de réflexion et de conseil",
                "to design this space for reflection and advice",
            ),
        ),
    ),
    phases=(
        PhaseData(
            PhaseKind.OTHER,
            date(2017, 6, 20),
            date(2017, 6, 20),
            t("Algemene vergadering", "Assemblée générale", "General assembly"),
            t(
                "De vennoten stemmen voor de oprichting van vier participatieve werkgroepen.",
                "Les associé·es votent la création de quatre groupes de travail participatifs.",
                "The members vote to set up four participatory working groups.",
            ),
        ),
        PhaseData(
            PhaseKind.GROUP_WORK,
            date(2017, 9, 1),
            # The seeds say "from September 2017"; the board analyses the proposals in January.
            date(2017, 12, 31),
            t("Werkgroepen", "Groupes de travail", "Working groups"),
            t(
                "De groepen komen ongeveer een keer per maand samen, elk met een animator en een lid van de raad van "
                "bestuur.",
                "Les groupes se réunissent environ une fois par mois, chacun avec un·e animateur·rice et un membre du "
                "conseil d'administration.",
                "The groups meet about once a month, each with a facilitator and a member of the board of directors.",
            ),
        ),
        PhaseData(
            PhaseKind.BOARD,
            date(2018, 1, 1),
            date(2018, 1, 31),
            t("Beslissing van de raad van bestuur", "Décision du conseil d'administration", "Board decision"),
            t(
                "De raad van bestuur analyseert de voorstellen en aanbevelingen en keurt ze goed; vanaf februari 2018 "
                "worden ze uitgevoerd.",
                "Le conseil d'administration analyse et approuve les propositions et recommandations ; elles sont "
                "mises en œuvre à partir de février 2018.",
                "The board of directors analyses and approves the proposals and recommendations; they are put into "
                "practice from February 2018.",
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# SIP#3 2018-2019 (seed 000: the titles of its themes only)
# ---------------------------------------------------------------------------

SIP3 = EditionData(
    slug="2018-2019",
    sip_number=3,
    title=same("Smart in Progress 2018-2019"),
    # The seeds give the years only: a school year is assumed.
    starts_on=date(2018, 9, 1),
    ends_on=date(2019, 6, 30),
    intro=t(
        """
        De derde editie van Smart in Progress (SIP#3) boog zich over drie thema's: een ecologisch verantwoorde
        aankoopcentrale, de sociale impact van Smart, en sector- en activiteitennetwerken.
        """,
        """
        La troisième édition de Smart in Progress (SIP#3) s'est penchée sur trois thèmes : une centrale d'achat
        écologiquement responsable, l'impact social de Smart, et les réseaux sectoriels et d'activités.
        """,
        """
        The third edition of Smart in Progress (SIP#3) worked on three themes: an ecologically responsible
        purchasing centre, Smart's social impact, and sector and activity networks.
        """,
    ),
    themes=(
        ThemeData(
            "purchasing-centre",
            t(
                "Ecologisch verantwoorde aankoopcentrale",
                "Centrale d'achat écologiquement responsable",
                "An ecologically responsible purchasing centre",
            ),
            t(
                "Een ecologisch verantwoorde aankoopcentrale uitdenken binnen Smart.",
                "Imaginer une centrale d'achat écologiquement responsable au sein de Smart.",
                "Designing an ecologically responsible purchasing centre within Smart.",
            ),
        ),
        ThemeData(
            "social-impact",
            t("Sociale impact van Smart", "L'impact social de Smart", "Smart's social impact"),
            t(
                "Nadenken over de sociale impact van Smart.",
                "Réfléchir à l'impact social de Smart.",
                "Reflecting on Smart's social impact.",
            ),
        ),
        ThemeData(
            "sector-networks",
            t(
                "Sector- en activiteitennetwerken",
                "Réseaux sectoriels et d'activités",
                "Sector and activity networks",
            ),
            t(
                "Netwerken per sector en per activiteit binnen de coöperatie.",
                "Des réseaux par secteur et par activité au sein de la coopérative.",
                "Networks per sector and per activity within the cooperative.",
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# 2019-2020 (seed 000)
# ---------------------------------------------------------------------------

SIP_2019 = EditionData(
    slug="2019-2020",
    # The seeds number the first three editions only; the later ones follow on (the archive labels all alike).
    sip_number=4,
    title=same("Smart in Progress 2019-2020"),
    starts_on=date(2019, 12, 1),
    ends_on=date(2020, 4, 30),
    commitment_starts_on=date(2019, 12, 1),
    commitment_ends_on=date(2020, 4, 30),
    intro=t(
        """
        In juni 2019 stemden de vennoten van de coöperatie tijdens de algemene vergadering voor de oprichting van
        werkgroepen, die zich over drie thema's buigen: gendergelijkheid, mijn activiteit consolideren en gedeelde
        werkruimten ontwikkelen.

        Spreken deze thema's je aan? Heb je zin om andere leden van de coöperatie te leren kennen en met hen samen
        te werken? Wil je praten over je ervaringen en leren uit die van anderen? Neem dan zeker deel aan een van de
        werkgroepen.

        Van december 2019 tot april 2020 krijgen de werkgroepen de opdracht om aanbevelingen te formuleren voor de
        raad van bestuur, met het oog op de creatie van concrete projecten per thema. Om hun onderwerp te bespreken,
        krijgen de groepen ondersteuning van een moderator en een adviesverlener van elk bureau. Bovendien kunnen ze
        deskundigen en partners inschakelen om inspiratie op te doen en diverse standpunten aan te reiken.

        **Een thema per stad.** Om de participatie voor iedereen te vereenvoudigen, werkt elk bureau van Smart aan
        een thema. Je kan deelnemen aan een werkgroep naar keuze.

        **Voorwaarden.** Wie wil deelnemen, moet:

        - vennoot zijn van de coöperatie;
        - zich inzetten voor de hele duur van de werkgroep en van december 2019 tot april 2020 deelnemen aan een
          maandelijkse vergadering van 3 uur; de eerste vergadering vindt plaats tijdens de eerste twee weken van
          december;
        - ermee instemmen op vrijwillige basis en zonder vergoeding deel te nemen;
        - belangstelling hebben voor het onderwerp en willen werken in een coöperatie. Expertise met betrekking tot
          het thema is niet nodig.
        """,
        """
        En juin 2019, lors de l'assemblée générale, les associé·es de la coopérative ont voté la création de groupes
        de travail qui se penchent sur trois thèmes : l'égalité des genres, consolider mon activité et développer
        des espaces de travail partagés.

        Ces thèmes vous parlent ? Vous avez envie de rencontrer d'autres membres de la coopérative et de travailler
        avec eux ? Vous voulez parler de vos expériences et apprendre de celles des autres ? Rejoignez l'un des
        groupes de travail.

        De décembre 2019 à avril 2020, les groupes de travail ont pour mission de formuler des recommandations au
        conseil d'administration, en vue de créer des projets concrets par thème. Pour traiter leur sujet, les
        groupes sont soutenus par un·e modérateur·rice et par un·e conseiller·ère de chaque bureau. Ils peuvent aussi
        faire appel à des expert·es et à des partenaires pour s'inspirer et croiser les points de vue.

        **Un thème par ville.** Pour faciliter la participation de chacun·e, chaque bureau de Smart travaille sur un
        thème. Vous pouvez rejoindre le groupe de travail de votre choix.

        **Conditions.** Pour participer, il faut :

        - être associé·e de la coopérative ;
        - s'engager pour toute la durée du groupe de travail et participer, de décembre 2019 à avril 2020, à une
          réunion mensuelle de 3 heures ; la première réunion a lieu durant les deux premières semaines de
          décembre ;
        - accepter de participer bénévolement, sans rémunération ;
        - s'intéresser au sujet et avoir envie de travailler en coopérative. Aucune expertise du thème n'est
          requise.
        """,
        """
        In June 2019, at the general assembly, the members of the cooperative voted to set up working groups on
        three themes: gender equality, consolidating my activity and developing shared workspaces.

        Do these themes speak to you? Would you like to meet other members of the cooperative and work with them?
        Do you want to talk about your experience and learn from that of others? Then join one of the working
        groups.

        From December 2019 to April 2020, the working groups are asked to draw up recommendations for the board of
        directors, with a view to creating concrete projects for each theme. To discuss their subject, the groups
        are supported by a moderator and by an advisor from each office. They can also call on experts and partners
        for inspiration and for a range of viewpoints.

        **One theme per city.** To make taking part easier for everyone, each Smart office works on one theme. You
        can join the working group of your choice.

        **Conditions.** To take part, you must:

        - be a member of the cooperative;
        - commit for the whole duration of the working group and attend a monthly 3-hour meeting from December
          2019 to April 2020; the first meeting takes place in the first two weeks of December;
        - agree to take part as a volunteer, without pay;
        - be interested in the subject and want to work in a cooperative. No expertise on the theme is needed.
        """,
    ),
    outcomes=t(
        """
        Het thema gendergelijkheid vroeg om een diepgaander debat en werd verlengd in de jaargang 2020-2021,
        voortaan in België en in Frankrijk.
        """,
        """
        Le thème de l'égalité des genres appelait un débat plus approfondi : il a été prolongé dans l'édition
        2020-2021, désormais en Belgique et en France.
        """,
        """
        The gender equality theme called for a deeper debate and was extended into the 2020-2021 edition, now in
        Belgium and in France.
        """,
    ),
    themes=(
        ThemeData(
            "gender-equality",
            GENDER_EQUALITY_TITLE,
            GENDER_EQUALITY_SUMMARY,
            GENDER_EQUALITY_TEXT,
            to_be_extended=True,
            offices=(("gent", None), ("luik", None)),
        ),
        ThemeData(
            "consolidating-my-activity",
            t("Mijn activiteit consolideren", "Consolider mon activité", "Consolidating my activity"),
            t(
                "Welke begeleiding, welk advies en welke opleiding helpen een beroepsactiviteit te lanceren, te "
                "ontwikkelen en te consolideren?",
                "Quels accompagnements, conseils et formations aident à lancer, développer et consolider une "
                "activité professionnelle ?",
                "Which guidance, advice and training help to launch, develop and consolidate a professional activity?",
            ),
            t(
                "Welke behoeften op het vlak van begeleiding, advies en opleiding bevorderen de lancering, "
                "ontwikkeling en consolidering van mijn beroepsactiviteit?",
                "Quels besoins en matière d'accompagnement, de conseil et de formation favorisent le lancement, le "
                "développement et la consolidation de mon activité professionnelle ?",
                "What needs for guidance, advice and training support the launch, development and consolidation of "
                "my professional activity?",
            ),
            offices=(
                ("brussel", at(2020, 1, 10, 17)),
                ("bergen", None),
                ("namen", at(2020, 1, 13, 17, 30)),
            ),
        ),
        ThemeData(
            "shared-spaces",
            t("Gedeelde ruimten, third places", "Espaces partagés, tiers-lieux", "Shared spaces, third places"),
            t(
                "Gedeelde werkruimten ontwikkelen.",
                "Développer des espaces de travail partagés.",
                "Developing shared workspaces.",
            ),
            t(
                "Werkruimten. Thuis of in een coworkingruimte werken, een lokaal huren met andere personen … hoe kan "
                "Smart een antwoord bieden op die behoeften?",
                "Les espaces de travail. Travailler chez soi ou dans un espace de coworking, louer un local avec "
                "d'autres personnes… comment Smart peut-elle répondre à ces besoins ?",
                "Workspaces. Working from home or in a coworking space, renting a room with other people… how can "
                "Smart meet these needs?",
            ),
            offices=(
                ("antwerpen", None),
                ("brussel", at(2019, 12, 20, 10)),
                ("charleroi", at(2020, 1, 14, 15)),
                # The seed gives 30/01 at 17:00 as Louvain-la-Neuve's *next* meeting ("volgende vergadering"),
                # not its first: it is not stored as a first meeting.
                ("louvain-la-neuve", None),
            ),
        ),
    ),
    phases=(
        PhaseData(
            PhaseKind.GROUP_WORK,
            date(2019, 12, 1),
            date(2020, 4, 30),
            t("Werkgroepen", "Groupes de travail", "Working groups"),
            t(
                "Een maandelijkse vergadering van 3 uur per werkgroep; de eerste vergadering vindt plaats tijdens de "
                "eerste twee weken van december. De groepen formuleren aanbevelingen voor de raad van bestuur.",
                "Une réunion mensuelle de 3 heures par groupe de travail ; la première réunion a lieu durant les deux "
                "premières semaines de décembre. Les groupes formulent des recommandations au conseil "
                "d'administration.",
                "A monthly 3-hour meeting per working group; the first meeting takes place in the first two weeks of "
                "December. The groups draw up recommendations for the board of directors.",
            ),
        ),
    ),
)

# ---------------------------------------------------------------------------
# 2020-2021 (seeds 001, 002, 003)
# ---------------------------------------------------------------------------

SIP_2020 = EditionData(
    slug="2020-2021",
    sip_number=5,
    title=same("Smart in Progress 2020-2021"),
    starts_on=date(2020, 11, 1),
    ends_on=date(2021, 4, 30),
    in_belgium=True,
    in_france=True,
    commitment_starts_on=date(2020, 12, 1),
    commitment_ends_on=date(2021, 4, 30),
    intro=t(
        """
        **Smart in Progress in een notendop.** Elk jaar wordt er nagedacht over thema's in verband met de evolutie
        van Smart. De vennoten kunnen deelnemen aan werkgroepen die een aantal keren bijeenkomen om aanbevelingen uit
        te werken die vervolgens aan de raad van bestuur worden voorgelegd. De aanbevelingen leiden vervolgens tot de
        realisatie van concrete projecten.

        Deze editie 2020-2021 draait rond vier thema's die voor het eerst zowel in België als in Frankrijk behandeld
        worden. Twee thema's werden in juni 2020 tijdens de algemene vergadering gekozen; de twee andere zijn
        thema's van de jaargang 2019-2020 die om een diepgaander debat vragen. Zij worden dus verlengd.

        **Nieuw dit jaar: fasering.** Deze cyclus is meer in fases ingedeeld. Het einde van het jaar is gewijd aan
        de voorbereiding: jullie informeren en oproepen om deel te nemen, de groepen vormen, referentiebestanden en
        andere hulpbronnen voor de thema's voorbereiden. Vervolgens krijgen de werkgroepen de tijd om hun thema te
        bestuderen en onder de knie te krijgen, ideeën aan te brengen voor de aanbevelingen en te analyseren of die
        haalbaar zijn. Dankzij die fases kunnen we de groepen beter begeleiden bij hun werk en bij de samenvatting
        van de voorstellen per thema, ook tussen de verschillende groepen die rond hetzelfde thema werken.

        **Nieuw dit jaar: testprojecten.** De werkgroepen kunnen een voorstel in de praktijk omzetten als testproject
        in plaats van louter schriftelijke aanbevelingen op te stellen. In plaats van de groepen in een vragende rol
        te duwen ten opzichte van Smart, of ze te laten wachten op een antwoord op een voorstel, testen ze zelf een
        aanbeveling door ze in de praktijk om te zetten: zo komen ze los van het 'globale' en concentreren ze zich
        op wat onmiddellijk toegankelijk is. De testprojecten versterken de participatie en dragen bij tot de
        vorming van gemeenschappen die voor elkaar kunnen zorgen; ze brengen snel initiatieven op gang waaruit we
        zowel positieve als negatieve lessen kunnen trekken, om te innoveren met projecten en acties.
        """,
        """
        **Smart in Progress en bref.** Chaque année, une réflexion est menée sur des thèmes liés à l'évolution de
        Smart. Les associé·es peuvent rejoindre des groupes de travail qui se réunissent plusieurs fois pour élaborer
        des recommandations, présentées ensuite au conseil d'administration. Ces recommandations débouchent ensuite
        sur la réalisation de projets concrets.

        Cette édition 2020-2021 s'articule autour de quatre thèmes traités pour la première fois à la fois en
        Belgique et en France. Deux thèmes ont été choisis lors de l'assemblée générale de juin 2020 ; les deux
        autres sont des thèmes de l'édition 2019-2020 qui appellent un débat plus approfondi. Ils sont donc
        prolongés.

        **Nouveau cette année : des phases.** Ce cycle est davantage découpé en phases. La fin de l'année est
        consacrée à la préparation : vous informer et vous inviter à participer, former les groupes, préparer des
        dossiers de référence et d'autres ressources pour les thèmes. Les groupes de travail ont ensuite le temps
        d'étudier leur thème et de se l'approprier, d'apporter des idées de recommandations et d'analyser leur
        faisabilité. Ces phases nous permettent de mieux accompagner les groupes dans leur travail et dans la
        synthèse des propositions par thème, notamment entre les différents groupes qui travaillent sur un même
        thème.

        **Nouveau cette année : des projets tests.** Les groupes de travail peuvent mettre une proposition en
        pratique sous la forme d'un projet test, plutôt que de se limiter à des recommandations écrites. Plutôt que
        de placer les groupes en position de demande vis-à-vis de Smart, ou de les faire attendre une réponse à une
        proposition, ils testent eux-mêmes une recommandation en la mettant en pratique : ils sortent ainsi du
        « global » pour se concentrer sur ce qui est immédiatement accessible. Les projets tests renforcent la
        participation et contribuent à former des communautés capables de prendre soin les unes des autres ; ils
        lancent rapidement des initiatives dont nous pouvons tirer des leçons positives comme négatives, pour
        innover par des projets et des actions.
        """,
        """
        **Smart in Progress in a nutshell.** Every year, themes related to how Smart evolves are explored. Members
        can join working groups that meet several times to draw up recommendations, which are then put to the board
        of directors. The recommendations then lead to concrete projects.

        This 2020-2021 edition revolves around four themes that are covered for the first time in both Belgium and
        France. Two themes were chosen at the general assembly in June 2020; the other two are themes of the
        2019-2020 edition that call for a deeper debate. They are therefore extended.

        **New this year: phases.** This cycle is divided more clearly into phases. The end of the year is devoted to
        preparation: informing you and inviting you to take part, forming the groups, preparing reference files and
        other resources for the themes. The working groups then have time to study their theme and get to grips with
        it, to bring ideas for recommendations and to analyse whether they are feasible. These phases let us
        support the groups better in their work and in summarising the proposals per theme, including between the
        different groups working on the same theme.

        **New this year: test projects.** The working groups can put a proposal into practice as a test project
        instead of only writing recommendations. Rather than putting the groups in the position of asking Smart for
        something, or making them wait for an answer to a proposal, they test a recommendation themselves by putting
        it into practice: this way they step away from the "big picture" and focus on what is immediately within
        reach. Test projects strengthen participation and help build communities that can look after each other;
        they quickly get initiatives going from which we can draw both positive and negative lessons, to innovate
        through projects and actions.
        """,
    ),
    outcomes=t(
        """
        **Samen (net)werken: samenvatting van de aanbevelingen van Smart in Progress (2015-2021) over netwerken.**

        Mensen komen vooral naar Smart met de vraag hoe ze inkomsten kunnen genereren. In de werkgroepen kwam
        vaak dezelfde wens terug: Smart moet haar grootste kracht benutten en de tienduizenden werkers die hetzelfde
        doel nastreven – betaald werk – met elkaar in contact brengen, zodat iedereen weet wie werk zoekt en wie
        werk aanbiedt.

        Doelstellingen: samenwerking tussen de leden aanmoedigen, de creatie van werk stimuleren, de ontwikkeling
        van projecten bevorderen, het netwerken aanmoedigen, de banden tussen de vennoten versterken, vraag en
        aanbod dichter bij elkaar brengen en het leven in de coöperatie ontwikkelen.

        Aanbevolen acties:

        - **Partner Meetings**: vennoten met specifieke noden of met een aanbod stellen zich voor als
          projectverantwoordelijke en organiseren bijeenkomsten die openstaan voor andere vennoten, eventueel op een
          vaste plaats, een soort "Partner Meeting Point".
        - **Opvolging van netwerkbijeenkomsten**: de evenementen die ontmoetingen binnen de Smart-gemeenschap in
          de hand werken opvolgen, observeren, analyseren en communiceren, van lokaal tot Europees niveau.
        - **Het coöperatief leven animeren**: bijeenkomsten rond een beroep, een sector of een transversaal thema,
          in allerlei formats (afterwork, werkontbijt, meet & connect, boswandeling, picknick, rondleiding door
          gedeelde werkruimten …), in de gedeelde ruimten van Smart zoals de KOP in Brussel, de ateliers BAF of
          LaVallée, of bij partners.
        - Een enquête over de netwerkbehoeften van de leden, eerst op kleine schaal; een animatiemethode en een
          vademecum per sector; discussiefora; een Smart-beroepsbeurs die alle sectoren zichtbaarheid geeft.

        Sommige aanbevelingen hebben al tot acties geleid, andere zitten nog in de pijplijn.
        """,
        """
        **Travailler et réseauter ensemble : synthèse des recommandations de Smart in Progress (2015-2021) sur la
        mise en réseau.**

        Les gens viennent surtout chez Smart pour savoir comment générer des revenus. Dans les groupes de travail, le
        même souhait revenait souvent : Smart doit tirer parti de sa plus grande force et mettre en contact les
        dizaines de milliers de travailleur·euses qui poursuivent le même but – un travail rémunéré –, pour que
        chacun·e sache qui cherche du travail et qui en offre.

        Objectifs : encourager la coopération entre les membres, stimuler la création de travail, favoriser le
        développement de projets, encourager la mise en réseau, renforcer les liens entre associé·es, rapprocher
        l'offre et la demande et développer la vie coopérative.

        Actions recommandées :

        - **Partner Meetings** : des associé·es ayant des besoins précis ou une offre se proposent comme porteur·euses
          de projet et organisent des rencontres ouvertes aux autres associé·es, éventuellement dans un lieu fixe,
          une sorte de « Partner Meeting Point ».
        - **Suivi des rencontres de réseau** : suivre, observer, analyser et faire connaître les événements qui
          favorisent les rencontres au sein de la communauté Smart, du niveau local au niveau européen.
        - **Animer la vie coopérative** : des rencontres autour d'un métier, d'un secteur ou d'un grand thème
          transversal, sous toutes sortes de formats (afterwork, petit-déjeuner de travail, meet & connect, balade en
          forêt, pique-nique, visite d'espaces de travail partagés…), dans les espaces partagés de Smart comme le KOP
          à Bruxelles, les ateliers BAF ou LaVallée, ou chez des partenaires.
        - Une enquête sur les besoins de mise en réseau des membres, d'abord à petite échelle ; une méthode
          d'animation et un vade-mecum par secteur ; des forums de discussion ; un salon des métiers Smart qui donne
          de la visibilité à tous les secteurs.

        Certaines recommandations ont déjà donné lieu à des actions, d'autres sont en préparation.
        """,
        """
        **Working and networking together: a summary of the Smart in Progress recommendations (2015-2021) on
        networking.**

        People come to Smart above all asking how they can earn an income. In the working groups the same wish often
        came back: Smart must use its greatest strength and connect the tens of thousands of workers who pursue the
        same goal – paid work – so that everyone knows who is looking for work and who is offering it.

        Goals: encouraging cooperation between members, stimulating the creation of work, supporting the
        development of projects, encouraging networking, strengthening the bonds between members, bringing supply
        and demand closer together and developing life in the cooperative.

        Recommended actions:

        - **Partner Meetings**: members with specific needs or with something to offer put themselves forward as
          project owners and organise meetings open to other members, possibly at a fixed place, a kind of "Partner
          Meeting Point".
        - **Following up networking events**: tracking, observing, analysing and communicating the events that
          bring the Smart community together, from local to European level.
        - **Livening up cooperative life**: meetings around a profession, a sector or a broad cross-cutting
          theme, in all kinds of formats (afterwork, work breakfast, meet & connect, forest walk, picnic, tour of
          shared workspaces…), in Smart's shared spaces such as the KOP in Brussels, the BAF or LaVallée workshops,
          or at partners' premises.
        - A survey of members' networking needs, first on a small scale; a facilitation method and a handbook per
          sector; discussion forums; a Smart professions fair giving every sector visibility.

        Some recommendations have already led to actions; others are in the pipeline.
        """,
    ),
    themes=(
        ThemeData(
            "guidance",
            t("Begeleiding", "Accompagnement", "Guidance"),
            t(
                "Welke begeleiding wil je bij Smart voor je projecten? Welke noden en verwachtingen heb je?",
                "Quel accompagnement souhaitez-vous chez Smart pour vos projets ? Quels sont vos besoins et vos "
                "attentes ?",
                "What guidance would you like from Smart for your projects? What are your needs and expectations?",
            ),
            t(
                "Welk type begeleiding wil je graag bij Smart zien voor jouw projecten, naast de begeleiding voor het "
                "gebruik van de tools van Smart en om deel te nemen aan het leven van de coöperatie? Welke noden en "
                "verwachtingen heb je?",
                "Quel type d'accompagnement aimeriez-vous trouver chez Smart pour vos projets, au-delà de "
                "l'accompagnement à l'utilisation des outils de Smart et à la participation à la vie de la "
                "coopérative ? Quels sont vos besoins et vos attentes ?",
                "What kind of guidance would you like Smart to offer for your projects, beyond help with using "
                "Smart's tools and taking part in the life of the cooperative? What are your needs and expectations?",
            ),
            in_france=True,
        ),
        ThemeData(
            "new-perspectives",
            t(
                "Nieuwe vooruitzichten na de gezondheidscrisis",
                "Nouvelles perspectives après la crise sanitaire",
                "New perspectives after the health crisis",
            ),
            t(
                "Hoe evolueren onze manier van werken en ons gebruik van de coöperatie na de gezondheidscrisis?",
                "Comment nos façons de travailler et notre usage de la coopérative évoluent-ils après la crise "
                "sanitaire ?",
                "How will the way we work and the way we use the cooperative change after the health crisis?",
            ),
            t(
                """
                Ongeacht of de impact groot of klein is, de gezondheidscrisis zet vraagtekens bij onze manier van
                leven en werken en bij onze toekomst. Hoe kunnen we weerbaarder worden ten aanzien van dergelijke
                situaties? Hoe zullen we de terugslag ervaren? Hoe zullen (of moeten) onze praktijken evolueren?
                Welke impact zal de crisis hebben op ons gebruik van de coöperatie? En bij uitbreiding op onze visie
                van samenwerking?
                """,
                """
                Que son impact soit grand ou petit, la crise sanitaire interroge nos façons de vivre et de travailler,
                et notre avenir. Comment devenir plus résilient·es face à de telles situations ? Comment vivrons-nous
                le contrecoup ? Comment nos pratiques vont-elles (ou doivent-elles) évoluer ? Quel impact la crise
                aura-t-elle sur notre usage de la coopérative ? Et, par extension, sur notre vision de la
                coopération ?
                """,
                """
                Whether its impact is large or small, the health crisis calls into question the way we live and work,
                and our future. How can we become more resilient to such situations? How will we experience the
                aftermath? How will (or must) our practices evolve? What impact will the crisis have on the way we use
                the cooperative? And, by extension, on our vision of working together?
                """,
            ),
            in_france=True,
        ),
        ThemeData(
            "gender-equality",
            GENDER_EQUALITY_TITLE,
            GENDER_EQUALITY_SUMMARY,
            join(
                t(
                    "Dit thema van de jaargang 2019-2020 wordt met een jaar verlengd.",
                    "Ce thème de l'édition 2019-2020 est prolongé d'un an.",
                    "This theme of the 2019-2020 edition is extended by one year.",
                ),
                GENDER_EQUALITY_TEXT,
            ),
            in_france=True,
            extends=("2019-2020", "gender-equality"),
        ),
        ThemeData(
            "sharing-economy",
            t(
                "A sharing economy: een haalbaar economisch model?",
                "A sharing economy : un modèle économique viable ?",
                "A sharing economy: a viable economic model?",
            ),
            t(
                "Nadenken over het financiële model van Smart, voor een breed toegankelijk en solidair model.",
                "Réfléchir au modèle financier de Smart, pour un modèle largement accessible et solidaire.",
                "Thinking about Smart's financial model, for a widely accessible model based on solidarity.",
            ),
            t(
                """
                Dit thema werd in 2019-2020 in Frankrijk behandeld en wordt met een jaar verlengd, enkel in
                Frankrijk.

                De financiële onafhankelijkheid van Smart is cruciaal. Ze garandeert niet alleen de autonomie van
                Smart, maar bij uitbreiding ook de solidaire autonomie van al haar leden. Dankzij het gedeelde model
                is het mogelijk om groot genoeg te worden om het hoofd te kunnen bieden aan risico's. Momenteel is de
                Franse structuur alleen niet in evenwicht. Ze kan enkel functioneren dankzij de steun van de groep
                Smart, ook al worden de resultaten elk jaar beter. Door over het financiële model van Smart na te
                denken, is het mogelijk een breed toegankelijk en solidair model te creëren.
                """,
                """
                Ce thème a été traité en France en 2019-2020 et il est prolongé d'un an, en France uniquement.

                L'indépendance financière de Smart est cruciale. Elle garantit non seulement l'autonomie de Smart,
                mais aussi, par extension, l'autonomie solidaire de tous ses membres. Le modèle mutualisé permet
                d'atteindre une taille suffisante pour faire face aux risques. Aujourd'hui, la structure française
                seule n'est pas à l'équilibre : elle ne peut fonctionner que grâce au soutien du groupe Smart, même si
                ses résultats s'améliorent chaque année. Réfléchir au modèle financier de Smart permet de créer un
                modèle largement accessible et solidaire.
                """,
                """
                This theme was covered in France in 2019-2020 and is extended by one year, in France only.

                Smart's financial independence is crucial. It guarantees not only Smart's autonomy but, by extension,
                the shared autonomy of all its members. The pooled model makes it possible to grow large enough to
                face risks. At present the French structure on its own is not in balance: it can only operate thanks
                to the support of the Smart group, even though its results improve every year. Thinking about Smart's
                financial model makes it possible to create a widely accessible model based on solidarity.
                """,
            ),
            in_belgium=False,
            in_france=True,
            # Extended from a French theme of 2019-2020, which is not in this archive: no link.
            extends=None,
        ),
    ),
    phases=_phases_like_2020(2020),
    sessions=(
        SessionData(
            t(
                "Online-infomoment Smart in Progress",
                "Séance d'information en ligne Smart in Progress",
                "Smart in Progress online info session",
            ),
            t(
                """
                De nieuwe jaargang van Smart in Progress (2020-2021) is gelanceerd. Waarover gaat het? Hoe werkt dat
                participatieve proces? Wie neemt eraan deel? We beantwoorden al je vragen tijdens een online
                livesessie. Dit infomoment bestaat uit twee delen: een presentatie enerzijds en tijd voor vragen en
                antwoorden anderzijds.
                """,
                """
                La nouvelle édition de Smart in Progress (2020-2021) est lancée. De quoi s'agit-il ? Comment fonctionne
                ce processus participatif ? Qui y participe ? Nous répondons à toutes vos questions lors d'une session
                en direct en ligne. Cette séance d'information comporte deux parties : une présentation, puis un temps
                de questions-réponses.
                """,
                """
                The new Smart in Progress edition (2020-2021) has been launched. What is it about? How does this
                participatory process work? Who takes part? We answer all your questions in a live online session.
                This info session has two parts: a presentation, then time for questions and answers.
                """,
            ),
            at(2020, 12, 16, 10),
            at(2020, 12, 16, 11, 30),
        ),
    ),
    faq=_faq(2020, health_crisis=True),
)

# ---------------------------------------------------------------------------
# DEMO ONLY — 2026-2027 is made up, so that the site has a current edition.
# Its themes are invented (plausible, in the spirit of the seeds); only its
# calendar and FAQ are copied from 2020-2021.
# ---------------------------------------------------------------------------

DEMO_2026 = EditionData(
    slug="2026-2027",
    sip_number=6,
    title=same("Smart in Progress 2026-2027"),
    starts_on=date(2026, 11, 1),
    ends_on=date(2027, 4, 30),
    in_belgium=True,
    in_france=True,
    registration_opens_at=at(2026, 11, 15),
    registration_closes_at=at(2026, 12, 20, 23, 59),
    commitment_starts_on=date(2026, 12, 1),
    commitment_ends_on=date(2027, 4, 30),
    current=True,
    intro=t(
        """
        **Smart in Progress in een notendop.** Elk jaar denken de vennoten na over thema's in verband met de
        evolutie van Smart. In werkgroepen die een aantal keren bijeenkomen, werken ze aanbevelingen uit die aan de
        raad van bestuur worden voorgelegd, of testen ze zelf een idee als testproject. De aanbevelingen leiden tot
        concrete projecten.

        Deze editie draait rond vier thema's, in België en in Frankrijk. Drie ervan werden in juni 2026 tijdens de
        algemene vergadering gekozen; het thema gendergelijkheid zet het werk van 2019-2020 en 2020-2021 voort.

        Wil je meer weten? Kom naar het online-infomoment van 9 december 2026. Inschrijven kan tot 20 december.
        """,
        """
        **Smart in Progress en bref.** Chaque année, les associé·es réfléchissent à des thèmes liés à l'évolution de
        Smart. Dans des groupes de travail qui se réunissent plusieurs fois, ils et elles élaborent des
        recommandations présentées au conseil d'administration, ou testent eux-mêmes une idée sous la forme d'un
        projet test. Les recommandations débouchent sur des projets concrets.

        Cette édition s'articule autour de quatre thèmes, en Belgique et en France. Trois d'entre eux ont été
        choisis lors de l'assemblée générale de juin 2026 ; le thème de l'égalité des genres poursuit le travail de
        2019-2020 et 2020-2021.

        Envie d'en savoir plus ? Rejoignez la séance d'information en ligne du 9 décembre 2026. Les inscriptions
        sont ouvertes jusqu'au 20 décembre.
        """,
        """
        **Smart in Progress in a nutshell.** Every year, members explore themes related to how Smart evolves. In
        working groups that meet several times, they draw up recommendations that are put to the board of
        directors, or test an idea themselves as a test project. The recommendations lead to concrete projects.

        This edition revolves around four themes, in Belgium and in France. Three were chosen at the general
        assembly in June 2026; the gender equality theme carries on the work of 2019-2020 and 2020-2021.

        Want to know more? Join the online info session on 9 December 2026. Registration is open until 20 December.
        """,
    ),
    themes=(
        ThemeData(
            "gender-equality",
            t(
                "Gendergelijkheid: van aanbevelingen naar de praktijk",
                "Égalité des genres : des recommandations à la pratique",
                "Gender equality: from recommendations to practice",
            ),
            t(
                "Welke maatregelen voor gendergelijkheid werken in de praktijk van de coöperatie?",
                "Quelles mesures en faveur de l'égalité des genres fonctionnent dans la pratique de la coopérative ?",
                "Which gender equality measures work in the cooperative's everyday practice?",
            ),
            t(
                """
                Dit thema zet het werk voort van de werkgroepen gendergelijkheid van 2019-2020 en 2020-2021.

                Welke van hun aanbevelingen worden vandaag toegepast, en met welk resultaat? Waar blijven er
                verschillen bestaan tussen vrouwen, mannen en non-binaire personen in de coöperatie: in tarieven, in
                zichtbaarheid, in het bestuur? De werkgroep test concrete maatregelen en stelt voor hoe de coöperatie
                de vooruitgang kan opvolgen.
                """,
                """
                Ce thème poursuit le travail des groupes sur l'égalité des genres de 2019-2020 et 2020-2021.

                Lesquelles de leurs recommandations sont appliquées aujourd'hui, et avec quel résultat ? Où les écarts
                entre femmes, hommes et personnes non binaires persistent-ils dans la coopérative : dans les tarifs,
                dans la visibilité, dans la gouvernance ? Le groupe teste des mesures concrètes et propose une façon de
                suivre les progrès de la coopérative.
                """,
                """
                This theme carries on the work of the gender equality groups of 2019-2020 and 2020-2021.

                Which of their recommendations are applied today, and with what result? Where do gaps between women,
                men and non-binary people persist in the cooperative: in rates, in visibility, in governance? The group
                tests concrete measures and proposes how the cooperative can follow its progress.
                """,
            ),
            in_france=True,
            extends=("2020-2021", "gender-equality"),
        ),
        ThemeData(
            "working-together",
            t(
                "Samen (net)werken: vraag en aanbod samenbrengen",
                "Travailler en réseau : rapprocher l'offre et la demande",
                "Working and networking together: bringing supply and demand together",
            ),
            t(
                "Hoe weet iedereen in de coöperatie wie werk zoekt en wie werk aanbiedt?",
                "Comment savoir, dans la coopérative, qui cherche du travail et qui en offre ?",
                "How can everyone in the cooperative know who is looking for work and who is offering it?",
            ),
            t(
                """
                Mensen komen naar Smart om inkomsten te genereren. De werkgroep bouwt voort op de samenvatting
                "Samen (net)werken" van eerdere aanbevelingen (partner meetings, netwerkmomenten per sector of beroep,
                een beroepsbeurs …) en kiest er een om zelf als testproject uit te proberen.
                """,
                """
                Les gens viennent chez Smart pour générer des revenus. Le groupe s'appuie sur la synthèse « Travailler
                et réseauter ensemble » des recommandations précédentes (partner meetings, rencontres par secteur ou
                par métier, salon des métiers…) et en choisit une à essayer lui-même comme projet test.
                """,
                """
                People come to Smart to earn an income. The group builds on the summary "Working and networking
                together" of earlier recommendations (partner meetings, networking moments per sector or profession,
                a professions fair…) and picks one to try out itself as a test project.
                """,
            ),
            in_france=True,
        ),
        ThemeData(
            "fair-rates",
            t("Eerlijke tarieven", "Des tarifs justes", "Fair rates"),
            t(
                "Hoe helpt de coöperatie vennoten om een prijs te vragen die hun activiteit leefbaar maakt?",
                "Comment la coopérative aide-t-elle ses associé·es à fixer un prix qui rend leur activité viable ?",
                "How can the cooperative help members charge a price that makes their activity viable?",
            ),
            t(
                """
                Hoe bepaal je een prijs voor je werk die je activiteit leefbaar maakt? Welke informatie, hulpmiddelen
                en afspraken binnen de coöperatie helpen vennoten om eerlijke tarieven te vragen en te krijgen, zonder
                elkaar te beconcurreren?
                """,
                """
                Comment fixer pour son travail un prix qui rend son activité viable ? Quelles informations, quels
                outils et quels accords au sein de la coopérative aident les associé·es à demander et à obtenir des
                tarifs justes, sans se faire concurrence ?
                """,
                """
                How do you set a price for your work that makes your activity viable? What information, tools and
                agreements within the cooperative help members ask for and get fair rates, without competing with each
                other?
                """,
            ),
            in_france=True,
        ),
        ThemeData(
            "workspaces-nearby",
            t(
                "Gedeelde werkruimten in je buurt",
                "Des espaces de travail partagés près de chez vous",
                "Shared workspaces near you",
            ),
            t(
                "Welke werkplekken ontbreken nog in jouw stad, en hoe delen vennoten ze samen?",
                "Quels lieux de travail manquent encore dans votre ville, et comment les associé·es peuvent-ils les "
                "partager ?",
                "Which workplaces are still missing in your city, and how can members share them?",
            ),
            t(
                """
                Thuis werken, een atelier delen, een vergaderzaal huren: welke plekken ontbreken in jouw stad, en hoe
                kunnen vennoten ze samen vinden, delen en beheren, met de gedeelde ruimten van Smart als uitvalsbasis?
                """,
                """
                Travailler chez soi, partager un atelier, louer une salle de réunion : quels lieux manquent dans votre
                ville, et comment les associé·es peuvent-ils les trouver, les partager et les gérer ensemble, en
                s'appuyant sur les espaces partagés de Smart ?
                """,
                """
                Working from home, sharing a workshop, renting a meeting room: which places are missing in your city,
                and how can members find, share and run them together, using Smart's shared spaces as a base?
                """,
            ),
        ),
    ),
    phases=_phases_like_2020(2026),
    sessions=(
        SessionData(
            t(
                "Online-infomoment Smart in Progress 2026-2027",
                "Séance d'information en ligne Smart in Progress 2026-2027",
                "Smart in Progress 2026-2027 online info session",
            ),
            t(
                """
                Waarover gaat Smart in Progress? Hoe werkt dat participatieve proces? Wie neemt eraan deel? We
                beantwoorden al je vragen tijdens een online livesessie: eerst een presentatie, daarna tijd voor
                vragen en antwoorden.
                """,
                """
                De quoi s'agit-il ? Comment fonctionne ce processus participatif ? Qui y participe ? Nous répondons à
                toutes vos questions lors d'une session en direct en ligne : d'abord une présentation, puis un temps
                de questions-réponses.
                """,
                """
                What is Smart in Progress about? How does this participatory process work? Who takes part? We answer
                all your questions in a live online session: first a presentation, then time for questions and
                answers.
                """,
            ),
            at(2026, 12, 9, 10),
            at(2026, 12, 9, 11, 30),
        ),
    ),
    faq=_faq(2026, health_crisis=False),
)

EDITIONS: tuple[EditionData, ...] = (SIP1, SIP2, SIP3, SIP_2019, SIP_2020, DEMO_2026)
EDITION_SLUGS = tuple(data.slug for data in EDITIONS)


# ---------------------------------------------------------------------------
# Loader
# ---------------------------------------------------------------------------

M = TypeVar("M", bound=models.Model)


def _translated(name: str, text: T) -> dict[str, str]:
    return {f"{name}_{code}": getattr(text, code) for code in LANGUAGES}


def _put(model: type[M], lookup: dict[str, Any], values: dict[str, Any]) -> M:
    """Find the row by ``lookup``, create it, or write only the values that differ (so a rerun writes nothing)."""
    obj = model._default_manager.filter(**lookup).order_by("pk").first()
    if obj is None:
        return model._default_manager.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            changed.append("updated_at")
        obj.save(update_fields=changed)
    return obj


def _edition_values(data: EditionData) -> dict[str, Any]:
    values: dict[str, Any] = {
        "sip_number": data.sip_number,
        **_translated("title", data.title),
        **_translated("intro", data.intro),
        **_translated("outcomes", data.outcomes),
        "in_belgium": data.in_belgium,
        "in_france": data.in_france,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "registration_opens_at": data.registration_opens_at,
        "registration_closes_at": data.registration_closes_at,
        "admits_clients": data.admits_all_stakeholders,
        "admits_partners": data.admits_all_stakeholders,
        "admits_employees": data.admits_all_stakeholders,
        "admits_permanent_staff": data.admits_all_stakeholders,
        "meetings_expected": 5,
        "meeting_hours": 3,
        "commitment_starts_on": data.commitment_starts_on,
        "commitment_ends_on": data.commitment_ends_on,
        "group_size_max": data.group_size_max,
        "contact_email": CONTACT_EMAIL,
    }
    if not data.current:
        # Past editions: published when they started, never made current.
        values["published_at"] = datetime.combine(data.starts_on, time(0), tzinfo=BRUSSELS)
    return values


def _load_edition(data: EditionData, offices: dict[str, Office]) -> Edition:
    edition = _put(Edition, {"slug": data.slug}, _edition_values(data))
    for position, theme_data in enumerate(data.themes, start=1):
        extends = None
        if theme_data.extends is not None:
            edition_slug, theme_slug = theme_data.extends
            extends = Theme.objects.get(edition__slug=edition_slug, slug=theme_slug)
        theme = _put(
            Theme,
            {"edition": edition, "slug": theme_data.slug},
            {
                "position": position,
                **_translated("title", theme_data.title),
                **_translated("summary", theme_data.summary),
                **_translated("challenges", theme_data.challenges),
                "in_belgium": theme_data.in_belgium,
                "in_france": theme_data.in_france,
                "extends_id": extends.pk if extends else None,
                "to_be_extended": theme_data.to_be_extended,
            },
        )
        for office_slug, first_meeting_at in theme_data.offices:
            _put(ThemeOffice, {"theme": theme, "office": offices[office_slug]}, {"first_meeting_at": first_meeting_at})
    for phase in data.phases:
        _put(
            Phase,
            {"edition": edition, "kind": phase.kind},
            {
                **_translated("title", phase.title),
                **_translated("description", phase.description),
                "starts_on": phase.starts_on,
                "ends_on": phase.ends_on,
                "meetings_min": phase.meetings_min,
                "meetings_max": phase.meetings_max,
            },
        )
    # The info sessions (data.sessions) are events of the events engine, with their sign-up: demo.events loads them.
    for position, item in enumerate(data.faq, start=1):
        _put(
            FaqItem,
            {"edition": edition, "position": position},
            {**_translated("question", item.question), **_translated("answer", item.answer)},
        )
    return edition


def _make_current(edition: Edition) -> None:
    """Publish the demo edition and make it current, unless that is done (or staff chose another one since)."""
    taken = set(CurrentEdition.objects.filter(country__in=edition.countries).values_list("country", flat=True))
    if edition.published_at is None or taken != set(edition.countries):
        publish_edition(actor=None, edition=edition)


def load_editions(editions: Iterable[EditionData] = EDITIONS) -> dict[str, int]:
    """Load the editions (in date order: a theme extends one loaded before it); returns counts."""
    offices = {office.slug: office for office in Office.objects.all()}
    for data in editions:
        edition = _load_edition(data, offices)
        if data.current:
            _make_current(edition)
    return {
        "editions": Edition.objects.count(),
        "themes": Theme.objects.count(),
        "theme_offices": ThemeOffice.objects.count(),
        "phases": Phase.objects.count(),
        "faq_items": FaqItem.objects.count(),
    }
