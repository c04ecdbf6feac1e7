"""The public pages of editions: what a visitor reads, in Dutch, French and English.

The data is the 2020-2021 edition of the seeds (with its real phases and the
info session of 16 December 2020) continuing a theme of 2019-2020, plus a
draft that only staff may preview.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import (
    Edition,
    FaqItem,
    Phase,
    PhaseKind,
    Resource,
    Theme,
    ThemeOffice,
)
from coopsip.editions.phases import BRUSSELS
from coopsip.editions.services import publish_edition, unpublish_edition
from coopsip.events.models import Attendance, Audience, Event, EventFormat, EventKind
from coopsip.places.models import Office

LANGUAGES = ["nl", "fr", "en"]
TITLES = {
    "nl": "Smart in Progress 2020-2021: samen verder",
    "fr": "Smart in Progress 2020-2021 : avancer ensemble",
    "en": "Smart in Progress 2020-2021: moving on together",
}
THEME_TITLES = {
    "nl": "Gendergelijkheid",
    "fr": "Égalité de genre",
    "en": "Gender equality",
}


def brussels(*args: int) -> datetime:
    return datetime(*args, tzinfo=BRUSSELS)


def translated(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{code}": text for code, text in texts.items()}


# --- Builders, used by the other public test files too ---------------------------------------------


def make_2019_2020() -> Edition:
    edition = Edition.objects.create(
        slug="2019-2020",
        **translated("title", {"nl": "Smart in Progress 2019-2020", "fr": "Smart in Progress 2019-2020"}),
        starts_on=date(2019, 12, 1),
        ends_on=date(2020, 4, 30),
    )
    theme = Theme.objects.create(
        edition=edition,
        slug="gendergelijkheid",
        **translated("title", {"nl": "Gendergelijkheid", "fr": "Égalité de genre", "en": "Gender equality"}),
        to_be_extended=True,
    )
    ThemeOffice.objects.create(
        theme=theme, office=Office.objects.get(slug="gent"), first_meeting_at=brussels(2020, 1, 9, 17)
    )
    return edition


def make_2020_2021(*, previous: Edition | None = None) -> Edition:
    """The 2020-2021 edition of the seeds, unpublished: its phases, info session, themes, FAQ."""
    edition = Edition.objects.create(
        slug="2020-2021",
        **translated("title", TITLES),
        **translated("intro", {"nl": "Een jaar **samen** nadenken.", "fr": "Une année de réflexion.", "en": ""}),
        in_belgium=True,
        in_france=True,
        starts_on=date(2020, 11, 1),
        ends_on=date(2021, 4, 15),
        registration_opens_at=brussels(2020, 11, 15, 9),
        registration_closes_at=brussels(2021, 1, 10, 23, 59),
        commitment_starts_on=date(2021, 1, 1),
        commitment_ends_on=date(2021, 4, 15),
        contact_email="sip2021@example.org",
    )
    for kind, starts_on, ends_on in [
        (PhaseKind.PREPARATION, date(2020, 11, 1), date(2020, 12, 31)),
        (PhaseKind.STUDY, date(2021, 1, 1), date(2021, 1, 31)),
        (PhaseKind.IDEAS, date(2021, 1, 20), date(2021, 2, 20)),
        (PhaseKind.EXPERTS, date(2021, 2, 1), date(2021, 2, 15)),
        (PhaseKind.RECOMMENDATIONS, date(2021, 2, 20), date(2021, 3, 20)),
        (PhaseKind.TEST_PROJECTS, date(2021, 1, 15), date(2021, 4, 15)),
    ]:
        Phase.objects.create(edition=edition, kind=kind, starts_on=starts_on, ends_on=ends_on)
    # The info session is a public event of the events engine (with its sign-up).
    Event.objects.create(
        edition=edition,
        **translated(
            "title", {"nl": "Online infosessie", "fr": "Séance d'information en ligne", "en": "Online info session"}
        ),
        kind=EventKind.INFO_SESSION,
        format=EventFormat.PRESENTATION,
        audience=Audience.PUBLIC,
        attendance=Attendance.ONLINE,
        starts_at=brussels(2020, 12, 16, 10),
        ends_at=brussels(2020, 12, 16, 11, 30),
        video_url="https://meet.example.org/sip",
    )
    Theme.objects.create(
        edition=edition,
        slug="begeleiding",
        position=1,
        **translated("title", {"nl": "Begeleiding", "fr": "Accompagnement", "en": "Guidance"}),
        in_belgium=True,
        in_france=True,
    )
    Theme.objects.create(
        edition=edition,
        slug="gendergelijkheid",
        position=2,
        **translated("title", THEME_TITLES),
        **translated("challenges", {"nl": "## Uitdagingen\n\nGelijke kansen.", "fr": "Égalité des chances.", "en": ""}),
        in_belgium=True,
        in_france=True,
        extends=previous.themes.get(slug="gendergelijkheid") if previous else None,
    )
    Theme.objects.create(
        edition=edition,
        slug="deeleconomie",
        position=3,
        **translated("title", {"nl": "Deeleconomie", "fr": "Économie du partage", "en": "Sharing economy"}),
        in_belgium=False,
        in_france=True,
    )
    FaqItem.objects.create(
        edition=edition,
        **translated(
            "question", {"nl": "Wie mag deelnemen?", "fr": "Qui peut participer ?", "en": "Who may take part?"}
        ),
        **translated("answer", {"nl": "Alle **vennoten**.", "fr": "Tous les associés.", "en": "Every member."}),
    )
    return edition


def make_draft() -> Edition:
    return Edition.objects.create(
        slug="2021-2022",
        **translated("title", {"nl": "Concept 2021-2022"}),
        starts_on=date(2021, 11, 1),
        ends_on=date(2022, 4, 30),
    )


def make_published_editions(count: int, *, actor: User, themes: int = 3) -> list[Edition]:
    """``count`` published editions with ``themes`` themes each, every theme in two offices."""
    offices = list(Office.objects.order_by("slug")[:2])
    editions = []
    for number in range(count):
        year = 2000 + number
        edition = Edition.objects.create(
            slug=f"{year}-{year + 1}",
            **translated("title", {"nl": f"Editie {year}", "fr": f"Édition {year}"}),
            outcomes_nl="Een **ethisch comité**.",
            starts_on=date(year, 11, 1),
            ends_on=date(year + 1, 4, 30),
        )
        for position in range(themes):
            theme = Theme.objects.create(
                edition=edition, slug=f"thema-{position}", position=position, title_nl=f"Thema {position}"
            )
            for office in offices:
                ThemeOffice.objects.create(theme=theme, office=office, first_meeting_at=brussels(year, 12, 1, 17))
        editions.append(publish_edition(actor=actor, edition=edition))
    return editions


@pytest.fixture
def edition(staff: User) -> Edition:
    """2020-2021, published, continuing the gender-equality theme of 2019-2020 (published too)."""
    previous = publish_edition(actor=staff, edition=make_2019_2020())
    return publish_edition(actor=staff, edition=make_2020_2021(previous=previous))


@pytest.fixture
def draft(db: Any) -> Edition:
    return make_draft()


def url(name: str, language: str = "en", **kwargs: str) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs)


EDITION_PAGES = [
    ("editions:detail", {}),
    ("editions:faq", {}),
    ("editions:theme", {"theme_slug": "gendergelijkheid"}),
]


# --- Every page, in every language -------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("name", "kwargs"), EDITION_PAGES, ids=[name for name, _ in EDITION_PAGES])
def test_a_visitor_reads_each_page_of_an_edition_in_each_language(
    edition: Edition, language: str, name: str, kwargs: dict[str, str]
) -> None:
    response = client_for(None).get(url(name, language, slug=edition.slug, **kwargs))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert TITLES[language] in html
    assert html.count("<h1") == 1
    assert '<meta name="description" content="' in html
    assert "Preview — not published" not in html


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_visitor_reads_the_archive_and_the_home_page_in_each_language(edition: Edition, language: str) -> None:
    for name in ("editions:archive", "home:index"):
        response = client_for(None).get(url(name, language))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert TITLES[language] in html, name
        assert THEME_TITLES[language] in html, name
        assert html.count("<h1") == 1


def test_the_page_title_names_the_edition(edition: Edition) -> None:
    html = client_for(None).get(url("editions:detail", "fr", slug=edition.slug)).content.decode()
    assert f"<title>{TITLES['fr']} · coopsip</title>".replace("'", "&#x27;") in html


def test_each_role_reads_the_public_pages(edition: Edition, personas: dict[str, User | None]) -> None:
    urls = [url("editions:archive"), url("editions:calendar", slug=edition.slug)]
    urls += [url(name, slug=edition.slug, **kwargs) for name, kwargs in EDITION_PAGES]
    for role, person in personas.items():
        client = client_for(person)
        for address in urls:
            assert client.get(address).status_code == 200, f"{role} should read {address}"


def test_the_public_pages_answer_only_get(edition: Edition) -> None:
    client = client_for(None)
    assert client.post(url("editions:archive")).status_code == 405
    assert client.post(url("editions:detail", slug=edition.slug)).status_code == 405
    assert client.post(url("editions:calendar", slug=edition.slug)).status_code == 405
    assert client.post(url("home:index")).status_code == 405


def test_an_unknown_edition_or_theme_is_404(edition: Edition) -> None:
    client = client_for(None)
    assert client.get(url("editions:detail", slug="1999-2000")).status_code == 404
    assert client.get(url("editions:theme", slug=edition.slug, theme_slug="nothing")).status_code == 404


def test_a_theme_of_another_edition_is_not_found_under_this_one(edition: Edition) -> None:
    address = url("editions:theme", slug=edition.slug, theme_slug="begeleiding")
    assert client_for(None).get(address).status_code == 200
    assert client_for(None).get(address.replace("2020-2021", "2019-2020")).status_code == 404


# --- Drafts: nobody but staff, with a banner ---------------------------------------------------------


DRAFT_PAGES = ["editions:detail", "editions:faq", "editions:calendar"]


@pytest.mark.parametrize("role", ["visitor", "outsider", "nonmember", "member", "board"])
def test_a_draft_is_not_found_for_anyone_but_staff(draft: Edition, personas: dict[str, Any], role: str) -> None:
    client = client_for(personas[role])
    for name in DRAFT_PAGES:
        assert client.get(url(name, slug=draft.slug)).status_code == 404, name


def test_staff_preview_a_draft_with_a_visible_banner(draft: Edition, staff: User) -> None:
    client = client_for(staff)
    for name in ("editions:detail", "editions:faq"):
        response = client.get(url(name, slug=draft.slug))
        assert response.status_code == 200
        assert "Preview — not published" in response.content.decode()
    assert client.get(url("editions:calendar", slug=draft.slug)).status_code == 200


def test_staff_preview_a_theme_of_a_draft(draft: Edition, staff: User) -> None:
    Theme.objects.create(edition=draft, slug="nieuw", title_nl="Nieuw thema")
    address = url("editions:theme", slug=draft.slug, theme_slug="nieuw")
    assert client_for(None).get(address).status_code == 404
    response = client_for(staff).get(address)
    assert response.status_code == 200
    assert "Preview — not published" in response.content.decode()


def test_an_edition_published_for_later_is_still_a_draft(draft: Edition) -> None:
    Edition.objects.filter(pk=draft.pk).update(published_at=timezone.now() + timedelta(days=1))
    assert client_for(None).get(url("editions:detail", slug=draft.slug)).status_code == 404


def test_an_unpublished_edition_leaves_the_archive_and_the_site(edition: Edition, staff: User) -> None:
    unpublish_edition(actor=staff, edition=edition)
    assert client_for(None).get(url("editions:detail", slug=edition.slug)).status_code == 404
    assert TITLES["en"] not in client_for(None).get(url("editions:archive")).content.decode()
    assert TITLES["en"] not in client_for(None).get(url("home:index")).content.decode()


def test_drafts_are_not_in_the_archive_even_for_staff(edition: Edition, draft: Edition, staff: User) -> None:
    html = client_for(staff).get(url("editions:archive")).content.decode()
    assert TITLES["en"] in html
    assert "Concept 2021-2022" not in html


# --- What each page says -----------------------------------------------------------------------------


def test_the_theme_page_says_which_theme_it_continues_with_a_link(edition: Edition) -> None:
    html = (
        client_for(None).get(url("editions:theme", slug=edition.slug, theme_slug="gendergelijkheid")).content.decode()
    )
    earlier = url("editions:theme", slug="2019-2020", theme_slug="gendergelijkheid")
    assert "This theme continues the theme" in html
    assert f'<a href="{earlier}">Gender equality</a>' in html
    assert "Smart in Progress 2019-2020" in html


def test_the_theme_page_does_not_link_to_an_unpublished_earlier_edition(edition: Edition, staff: User) -> None:
    unpublish_edition(actor=staff, edition=Edition.objects.get(slug="2019-2020"))
    html = (
        client_for(None).get(url("editions:theme", slug=edition.slug, theme_slug="gendergelijkheid")).content.decode()
    )
    assert "This theme continues a theme of an earlier edition." in html
    assert "/en/editions/2019-2020/" not in html
    assert "2019-2020" not in html  # not even the draft's title


def test_the_theme_page_says_where_it_runs(edition: Edition) -> None:
    client = client_for(None)
    both = client.get(url("editions:theme", slug=edition.slug, theme_slug="begeleiding")).content.decode()
    france = client.get(url("editions:theme", slug=edition.slug, theme_slug="deeleconomie")).content.decode()
    assert "in Belgium and in France" in both
    assert "in France only" in france


def test_the_theme_page_lists_files_and_links_with_their_language(
    edition: Edition, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    theme = edition.themes.get(slug="gendergelijkheid")
    Resource.objects.create(theme=theme, title_nl="Studie", url="https://example.org/studie", language="fr")
    resource = Resource(theme=theme, title_nl="Verslag 2020", position=1)
    resource.file.save("verslag.pdf", ContentFile(b"%PDF-1.4"), save=True)
    html = client_for(None).get(url("editions:theme", slug=edition.slug, theme_slug=theme.slug)).content.decode()
    assert '<a href="https://example.org/studie" hreflang="fr"' in html
    assert "in French" in html
    assert f'href="{resource.file.url}"' in html


def test_the_theme_page_shows_the_offices_and_their_first_meeting(edition: Edition) -> None:
    theme = Theme.objects.get(edition__slug="2019-2020")
    html = client_for(None).get(url("editions:theme", slug="2019-2020", theme_slug=theme.slug)).content.decode()
    assert "Ghent" in html
    assert "9 January 2020, 17:00" in html


def test_a_text_missing_in_the_language_of_the_reader_says_so(edition: Edition) -> None:
    # The English challenges are empty: the Dutch text is shown, marked as Dutch.
    html = (
        client_for(None).get(url("editions:theme", slug=edition.slug, theme_slug="gendergelijkheid")).content.decode()
    )
    assert "This text is not available in your language." in html
    assert '<div class="prose" lang="nl"><h4>Uitdagingen</h4>' in html


def test_a_text_in_the_language_of_the_reader_has_no_note(edition: Edition) -> None:
    html = (
        client_for(None)
        .get(url("editions:theme", "nl", slug=edition.slug, theme_slug="gendergelijkheid"))
        .content.decode()
    )
    assert "fallback-note" not in html


def test_the_edition_page_shows_who_may_take_part_and_the_commitment(edition: Edition) -> None:
    html = client_for(None).get(url("editions:detail", slug=edition.slug)).content.decode()
    assert "Members of the cooperative only." in html
    assert "About 5 meetings of about 3 hours each" in html
    assert "from January 2021 to April 2021" in html
    assert "unpaid volunteer" in html
    assert "No expertise is needed" in html
    assert "Registration closed on 10 January 2021, 23:59" in html  # that edition is over
    assert "Online info session" in html
    assert url("editions:calendar", slug=edition.slug) in html
    assert url("editions:faq", slug=edition.slug) in html


def test_the_edition_page_lists_the_stakeholder_types_admitted(edition: Edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(admits_clients=True, admits_partners=True)
    html = client_for(None).get(url("editions:detail", slug=edition.slug)).content.decode()
    assert "Members of the cooperative, and also: clients, partners." in html


def test_the_faq_shows_questions_as_headings_and_the_contact_address(edition: Edition) -> None:
    html = client_for(None).get(url("editions:faq", "nl", slug=edition.slug)).content.decode()
    assert "Wie mag deelnemen?</h2>" in html
    assert "Alle <strong>vennoten</strong>." in html
    assert 'href="mailto:sip2021@example.org"' in html


def test_the_faq_falls_back_to_the_address_of_the_team(edition: Edition, settings: Any) -> None:
    settings.COOPSIP_CONTACT_EMAIL = "team@example.org"
    Edition.objects.filter(pk=edition.pk).update(contact_email="")
    html = client_for(None).get(url("editions:faq", slug=edition.slug)).content.decode()
    assert 'href="mailto:team@example.org"' in html


def test_the_archive_shows_offices_dates_and_outcomes(staff: User) -> None:
    make_published_editions(1, actor=staff)
    html = client_for(None).get(url("editions:archive")).content.decode()
    assert "Thema 0" in html
    assert "1 December 2000, 17:00" in html
    assert "November 2000" in html
    assert "Een <strong>ethisch comité</strong>." in html


# --- Query counts: fixed whatever the number of editions, themes and offices ------------------------


ARCHIVE_QUERIES = 4  # how many editions, a page of them, their themes, the offices of the themes


@pytest.mark.parametrize("count", [1, 15])
def test_the_archive_takes_the_same_number_of_queries_for_1_or_15_editions(
    staff: User, count: int, django_assert_num_queries: Any
) -> None:
    make_published_editions(count, actor=staff)
    client = client_for(None)
    with django_assert_num_queries(ARCHIVE_QUERIES):
        response = client.get(url("editions:archive"))
    assert response.status_code == 200
    # Bounded: ten editions a page, the newest first, and a link to the next page.
    assert len(response.context["editions"]) == min(count, 10)
    assert ('href="?page=2"' in response.content.decode()) == (count > 10)
    if count > 10:
        with django_assert_num_queries(ARCHIVE_QUERIES):
            second = client.get(url("editions:archive"), {"page": 2})
        assert len(second.context["editions"]) == count - 10
        assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize(
    ("name", "kwargs", "queries"),
    [
        # edition, phases, next info session, themes, past info sessions, resources, the edition's coming events,
        # its yearly publication (recommendations)
        ("editions:detail", {}, 8),
        # edition, theme with the theme it continues, its resources, its offices
        ("editions:theme", {"theme_slug": "gendergelijkheid"}, 4),
        # edition, questions
        ("editions:faq", {}, 2),
    ],
)
def test_each_page_of_an_edition_takes_a_fixed_number_of_queries(
    edition: Edition, name: str, kwargs: dict[str, str], queries: int, django_assert_num_queries: Any
) -> None:
    theme = edition.themes.get(slug="gendergelijkheid")
    for number in range(4):
        Resource.objects.create(theme=theme, title_nl=f"Bron {number}", url=f"https://example.org/{number}")
        Resource.objects.create(edition=edition, title_nl=f"Bron {number}", url=f"https://example.org/{number}")
        ThemeOffice.objects.create(theme=theme, office=Office.objects.order_by("slug")[number])
        FaqItem.objects.create(edition=edition, question_nl=f"Vraag {number}?", answer_nl="Antwoord.")
    client = client_for(None)
    with django_assert_num_queries(queries):
        assert client.get(url(name, slug=edition.slug, **kwargs)).status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_the_sitemap_takes_the_same_number_of_queries_for_1_or_5_editions(
    staff: User, count: int, django_assert_num_queries: Any
) -> None:
    make_published_editions(count, actor=staff)
    client = client_for(None)
    with django_assert_num_queries(4):  # the index counts, and dates, the editions and the themes
        assert client.get("/sitemap.xml").status_code == 200
    for section in ("editions", "themes"):
        with django_assert_num_queries(1):
            assert client.get(f"/sitemap-{section}.xml").status_code == 200


# --- The sitemap ------------------------------------------------------------------------------------


def test_the_sitemap_lists_every_public_page_in_three_languages(edition: Edition, draft: Edition) -> None:
    sections = [client_for(None).get(f"/sitemap-{section}.xml") for section in ("pages", "editions", "themes")]
    assert all(response.status_code == 200 for response in sections)
    xml = "".join(response.content.decode() for response in sections)
    for language in LANGUAGES:
        assert f"http://testserver/{language}/</loc>" in xml
        assert f"http://testserver/{language}/editions/</loc>" in xml
        assert f"http://testserver/{language}/editions/2020-2021/</loc>" in xml
        assert f"http://testserver/{language}/editions/2020-2021/faq/</loc>" in xml
        assert f"http://testserver/{language}/editions/2020-2021/themes/gendergelijkheid/</loc>" in xml
        assert f'hreflang="{language}" href="http://testserver/{language}/editions/2020-2021/"' in xml
    assert 'hreflang="x-default" href="http://testserver/editions/2020-2021/"' in xml
    assert "2021-2022" not in xml
