from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import models
from django.utils import translation

from coopsip.core.markdown import render_markdown
from coopsip.core.models import ChangeRecord
from coopsip.demo.editions import CONTACT_EMAIL, EDITIONS, load_editions
from coopsip.demo.surveys import NEXT_EDITION_SLUG
from coopsip.editions.models import (
    CurrentEdition,
    Edition,
    EditionStatus,
    FaqItem,
    Phase,
    PhaseKind,
    Theme,
    ThemeOffice,
)
from coopsip.editions.validation import extension_errors, phase_errors
from coopsip.events.models import Event, EventKind
from coopsip.votes.models import Ballot

pytestmark = pytest.mark.django_db

REAL_EDITIONS = ["2015-2016", "2017-2018", "2018-2019", "2019-2020", "2020-2021"]
TABLES: list[type[models.Model]] = [Edition, CurrentEdition, Theme, ThemeOffice, Phase, FaqItem]


def _theme(edition: str, slug: str) -> Theme:
    return Theme.objects.get(edition__slug=edition, slug=slug)


def _elected_into_the_draft(obj: models.Model) -> bool:
    """A theme the ballot elected into the draft next edition, in its proposal's language and Dutch only."""
    return (
        isinstance(obj, Theme)
        and obj.edition.slug == NEXT_EDITION_SLUG
        and obj.extends_id is None  # not one of the themes copied from the current edition
        and Ballot.objects.filter(edition=obj.edition).exists()
    )


def test_the_five_real_editions_and_the_demo_one_are_loaded(demo: dict[str, int]) -> None:
    assert list(Edition.objects.order_by("starts_on").values_list("slug", "sip_number")) == [
        ("2015-2016", 1),
        ("2017-2018", 2),
        ("2018-2019", 3),
        ("2019-2020", 4),
        ("2020-2021", 5),
        ("2026-2027", 6),
        # The draft of the next edition that the ballot's elected themes went to (demo.surveys).
        (NEXT_EDITION_SLUG, None),
    ]
    assert Edition.objects.get(slug=NEXT_EDITION_SLUG).status == EditionStatus.DRAFT
    assert demo["editions"] == 7
    themes = {slug: Theme.objects.filter(edition__slug=slug).count() for slug in REAL_EDITIONS}
    assert themes == {"2015-2016": 1, "2017-2018": 4, "2018-2019": 3, "2019-2020": 3, "2020-2021": 4}


def test_themes_read_in_three_languages(demo: dict[str, int]) -> None:
    gender = _theme("2019-2020", "gender-equality")
    guidance = _theme("2020-2021", "guidance")
    ethics = _theme("2017-2018", "ethics-committee")
    expected = {
        "nl": ("Gendergelijkheid", "Begeleiding", "Een kader voor een ethisch comité"),
        "fr": ("Égalité des genres", "Accompagnement", "Un cadre pour un comité d'éthique"),
        "en": ("Gender equality", "Guidance", "A framework for an ethics committee"),
    }
    for language, titles in expected.items():
        with translation.override(language):
            assert (gender.title, guidance.title, ethics.title) == titles
    with translation.override("fr"):
        assert "rapports de pouvoir" in gender.challenges
    with translation.override("en"):
        assert "power relations" in gender.challenges


def test_every_text_is_written_in_each_language_and_renders_without_stray_code_blocks(demo: dict[str, int]) -> None:
    fields = {
        Edition: ["title", "intro"],
        Theme: ["title", "summary"],
        Phase: ["title"],
        FaqItem: ["question", "answer"],
    }
    for model, names in fields.items():
        for obj in model._default_manager.all():
            for name in names:
                for code in ("nl", "fr", "en"):
                    text = getattr(obj, f"{name}_{code}")
                    if code != "nl" and not text and _elected_into_the_draft(obj):
                        continue  # an elected proposal's text waits for the team's translation; Dutch is there
                    assert text.strip(), (obj, name, code)
                    # Indented source text would turn into a code block.
                    assert "<pre>" not in render_markdown(text), (obj, name, code)


def test_every_row_passes_the_model_and_edition_rules(demo: dict[str, int]) -> None:
    for model in (Edition, Theme, ThemeOffice, Phase, FaqItem):
        for obj in model._default_manager.all():
            obj.full_clean()
    for phase in Phase.objects.select_related("edition"):
        assert phase_errors(phase.edition, phase.starts_on, phase.ends_on) == {}, phase
    for theme in Theme.objects.select_related("edition", "extends__edition"):
        assert extension_errors(theme.edition, theme.extends) == {}, theme
    assert set(Edition.objects.values_list("contact_email", flat=True)) == {CONTACT_EMAIL}


def test_the_2020_2021_phases_have_the_dates_of_the_seed(demo: dict[str, int]) -> None:
    phases = Phase.objects.filter(edition__slug="2020-2021").order_by("starts_on", "ends_on")
    assert [(p.kind, p.starts_on, p.ends_on, p.meetings_min, p.meetings_max) for p in phases] == [
        (PhaseKind.PREPARATION, date(2020, 11, 1), date(2020, 12, 31), None, None),
        (PhaseKind.STUDY, date(2021, 1, 1), date(2021, 1, 31), 1, 2),
        (PhaseKind.TEST_PROJECTS, date(2021, 1, 15), date(2021, 4, 15), None, None),
        (PhaseKind.IDEAS, date(2021, 1, 20), date(2021, 2, 20), 1, 2),
        (PhaseKind.EXPERTS, date(2021, 2, 1), date(2021, 2, 15), None, None),
        (PhaseKind.RECOMMENDATIONS, date(2021, 2, 20), date(2021, 3, 20), 1, 1),
    ]
    edition = Edition.objects.get(slug="2020-2021")
    assert (edition.commitment_starts_on, edition.commitment_ends_on) == (date(2020, 12, 1), date(2021, 4, 30))
    assert (edition.meetings_expected, edition.meeting_hours, edition.group_size_max) == (5, 3, 12)


def test_the_info_session_is_at_ten_in_brussels(demo: dict[str, int]) -> None:
    # An event of the events engine (PublicSession was folded into it), once per edition.
    session = Event.objects.get(edition__slug="2020-2021", kind=EventKind.INFO_SESSION)
    assert session.starts_at == datetime(2020, 12, 16, 9, 0, tzinfo=UTC)
    assert session.ends_at == datetime(2020, 12, 16, 10, 30, tzinfo=UTC)
    assert session.where == "" and session.video_url  # online, with its link for those who sign up; no place
    # Its agenda is written in each language (issue 16: no English agendas on Dutch and French pages).
    for name in ("title", "description", "agenda"):
        assert all(getattr(session, f"{name}_{code}") for code in ("nl", "fr", "en")), name
    with translation.override("en"):
        assert "presentation" in session.description


def test_the_2019_2020_offices_and_first_meetings(demo: dict[str, int]) -> None:
    rows = ThemeOffice.objects.filter(theme__edition__slug="2019-2020")
    by_theme: dict[str, dict[str, Any]] = {}
    for row in rows.select_related("theme", "office"):
        by_theme.setdefault(row.theme.slug, {})[row.office.slug] = row.first_meeting_at
    assert by_theme == {
        "gender-equality": {"gent": None, "luik": None},
        "consolidating-my-activity": {
            "brussel": datetime(2020, 1, 10, 16, 0, tzinfo=UTC),
            "bergen": None,
            "namen": datetime(2020, 1, 13, 16, 30, tzinfo=UTC),
        },
        "shared-spaces": {
            "antwerpen": None,
            "brussel": datetime(2019, 12, 20, 9, 0, tzinfo=UTC),
            "charleroi": datetime(2020, 1, 14, 14, 0, tzinfo=UTC),
            "louvain-la-neuve": None,  # the seed gives its *next* meeting, 30 January at 17:00
        },
    }


def test_extended_themes_and_countries(demo: dict[str, int]) -> None:
    gender_2019 = _theme("2019-2020", "gender-equality")
    gender_2020 = _theme("2020-2021", "gender-equality")
    assert gender_2019.to_be_extended
    assert gender_2020.extends == gender_2019
    assert _theme("2026-2027", "gender-equality").extends == gender_2020
    countries = {t.slug: t.countries for t in Theme.objects.filter(edition__slug="2020-2021")}
    assert countries == {
        "guidance": ["BE", "FR"],
        "new-perspectives": ["BE", "FR"],
        "gender-equality": ["BE", "FR"],
        "sharing-economy": ["FR"],
    }
    sharing = _theme("2020-2021", "sharing-economy")
    assert sharing.extends is None
    assert "2019-2020" in sharing.challenges_nl and "Frankrijk" in sharing.challenges_nl


def test_who_took_part_and_what_came_out(demo: dict[str, int]) -> None:
    sip2 = Edition.objects.get(slug="2017-2018")
    assert sip2.admitted_stakeholder_types == ["client", "partner", "employee", "permanent_staff"]
    assert Edition.objects.get(slug="2020-2021").admitted_stakeholder_types == []
    assert "ethisch comité" in sip2.outcomes_nl and "2019" in sip2.outcomes_nl
    assert "Samen (net)werken" in Edition.objects.get(slug="2020-2021").outcomes_nl
    assert list(Phase.objects.filter(edition=sip2).values_list("kind", "starts_on")) == [
        (PhaseKind.OTHER, date(2017, 6, 20)),
        (PhaseKind.GROUP_WORK, date(2017, 9, 1)),
        (PhaseKind.BOARD, date(2018, 1, 1)),
    ]


def test_the_faq_of_2020_2021(demo: dict[str, int]) -> None:
    faq = list(FaqItem.objects.filter(edition__slug="2020-2021").order_by("position"))
    with translation.override("en"):
        assert [item.question for item in faq] == [
            "Who may take part?",
            "Why take part?",
            "What is expected of me?",
            "How are the working groups organised?",
            "How are the groups formed?",
            "How are themes chosen?",
            "To whom are the recommendations presented?",
            "Questions?",
        ]
    assert "5 vergaderingen" in faq[2].answer_nl and "januari 2021" in faq[2].answer_nl
    assert f"mailto:{CONTACT_EMAIL}" in render_markdown(faq[-1].answer_fr)


def test_the_demo_edition_is_current_in_belgium_and_france(demo: dict[str, int]) -> None:
    current = dict(CurrentEdition.objects.values_list("country", "edition__slug"))
    assert current == {"BE": "2026-2027", "FR": "2026-2027"}
    demo_edition = Edition.objects.get(slug="2026-2027")
    assert demo_edition.published_at is not None
    assert demo_edition.status_at(demo_edition.published_at) != EditionStatus.DRAFT
    # Published when loaded; had it been published on 1 November, its status would have gone:
    demo_edition.published_at = datetime(2026, 11, 1, tzinfo=UTC)
    assert [
        demo_edition.status_at(datetime(2026, month, day, 12, tzinfo=UTC))
        for month, day in ((11, 10), (11, 23), (12, 21))
    ] == [
        EditionStatus.ANNOUNCED,
        EditionStatus.REGISTRATION_OPEN,
        EditionStatus.RUNNING,
    ]
    assert demo_edition.faq.count() == 8
    # Its info session (an event; the recommendations' info moment is another one, later).
    assert demo_edition.events.filter(
        kind=EventKind.INFO_SESSION, starts_at=datetime(2026, 12, 9, 9, 0, tzinfo=UTC)
    ).exists()
    for slug in REAL_EDITIONS:
        edition = Edition.objects.get(slug=slug)
        assert edition.published_at is not None
        assert edition.published_at.date() <= edition.starts_on
        assert edition.status == EditionStatus.CLOSED


def test_loading_the_editions_again_changes_nothing(demo: dict[str, int]) -> None:
    def snapshot() -> dict[str, list[dict[str, Any]]]:
        return {model.__name__: list(model._default_manager.order_by("pk").values()) for model in TABLES}

    before, history = snapshot(), ChangeRecord.objects.count()
    counts = load_editions(EDITIONS)
    assert snapshot() == before
    assert ChangeRecord.objects.count() == history
    assert {name: demo[name] for name in counts} == counts
