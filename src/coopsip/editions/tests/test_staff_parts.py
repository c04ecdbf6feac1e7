"""Sara (staff) adds, edits and deletes the parts of an edition: phases, themes and their offices,
resources (links and files), questions. Bad input is refused next to the field."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from coopsip.core.models import ChangeRecord
from coopsip.editions import services
from coopsip.editions.models import Edition, FaqItem, Phase, Resource, Theme, ThemeOffice
from coopsip.editions.services import EditionRuleBroken
from coopsip.editions.tests.test_staff_access import brussels, make_edition, make_full_edition
from coopsip.places.models import Office

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def add_url(edition: Edition, kind: str) -> str:
    return reverse("editions_staff:part_add", kwargs={"pk": edition.pk, "kind": kind})


def edit_url(edition: Edition, kind: str, part: Any) -> str:
    return reverse("editions_staff:part_edit", kwargs={"pk": edition.pk, "kind": kind, "part_pk": part.pk})


def docx_bytes(*, folder: str = "word/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return buffer.getvalue()


@pytest.fixture
def edition(db: Any) -> Edition:
    return make_edition()


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def assert_refused(response: Any, field: str, message: str) -> None:
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert message in response.content.decode()


# --- Phases -----------------------------------------------------------------------------------------


def test_staff_adds_a_phase_overlapping_another(staff: Any, edition: Edition) -> None:
    client = client_for(staff)
    for kind, starts_on, ends_on in [
        ("study", "2021-01-01", "2021-01-31"),
        ("test_projects", "2021-01-15", "2021-04-15"),
    ]:
        data = {"kind": kind, "starts_on": starts_on, "ends_on": ends_on, "meetings_min": "1", "meetings_max": "2"}
        response = client.post(add_url(edition, "phases"), data)
        assert response.status_code == 302
        assert response["Location"].endswith("#phases")
    assert [p.kind for p in edition.phases.all()] == ["study", "test_projects"]
    assert ChangeRecord.objects.filter(action="created").count() == 2


BAD_PHASES = [
    pytest.param({"ends_on": "2020-12-31"}, "ends_on", "The end comes before the start.", id="end-before-start"),
    pytest.param({"starts_on": "2020-10-01"}, "starts_on", "The phase starts before the edition", id="before-edition"),
    pytest.param({"ends_on": "2021-05-01"}, "ends_on", "The phase ends after the edition", id="after-edition"),
    pytest.param(
        {"meetings_max": "0"},
        "meetings_max",
        "The maximum number of meetings is smaller than the minimum.",
        id="meetings",
    ),
    pytest.param({"kind": "holiday"}, "kind", "Select a valid choice.", id="unknown-kind"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_PHASES)
def test_a_bad_phase_is_refused_and_nothing_is_saved(
    staff: Any, edition: Edition, changes: dict[str, str], field: str, message: str
) -> None:
    data = {"kind": "study", "starts_on": "2021-01-01", "ends_on": "2021-01-31", "meetings_min": "1"}
    data.update(changes, description_fr="Étudier le thème")
    response = client_for(staff).post(add_url(edition, "phases"), data)
    assert_refused(response, field, message)
    assert "Étudier le thème" in response.content.decode()
    assert not Phase.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_editing_a_phase_keeps_it_inside_its_edition(staff: Any) -> None:
    edition = make_full_edition()
    phase = edition.phases.get()
    response = client_for(staff).post(
        edit_url(edition, "phases", phase), {"kind": "study", "starts_on": "2021-01-01", "ends_on": "2021-06-30"}
    )
    assert_refused(response, "ends_on", "The phase ends after the edition")
    phase.refresh_from_db()
    assert phase.ends_on == date(2021, 1, 31)


# --- Themes and offices ---------------------------------------------------------------------------------


def theme_data(**changes: str) -> dict[str, str]:
    data = {
        "slug": "gendergelijkheid",
        "position": "1",
        "title_nl": "Gendergelijkheid",
        "title_fr": "Égalité de genre",
        "challenges_nl": "## Uitdagingen",
        "in_belgium": "on",
    }
    data.update(changes)
    return data


def test_staff_writes_a_theme_in_three_languages_continuing_an_earlier_one(staff: Any) -> None:
    earlier = make_edition("2019-2020", year=2019)
    old = Theme.objects.create(edition=earlier, slug="gendergelijkheid", title_nl="Gendergelijkheid")
    edition = make_edition(in_france=True)
    client = client_for(staff)
    page = client.get(add_url(edition, "themes")).content.decode()
    assert f'<option value="{old.pk}">Gendergelijkheid (2019-2020)</option>' in page
    assert '<optgroup label="Smart in Progress 2019-2020">' in page

    data = theme_data(title_en="Gender equality", extends=str(old.pk), to_be_extended="on", in_france="on")
    assert client.post(add_url(edition, "themes"), data).status_code == 302
    theme = edition.themes.get()
    assert (theme.title_nl, theme.title_fr, theme.title_en) == (
        "Gendergelijkheid",
        "Égalité de genre",
        "Gender equality",
    )
    assert theme.extends == old
    assert theme.to_be_extended
    assert theme.countries == ["BE", "FR"]


def test_a_theme_cannot_continue_a_theme_of_the_same_or_a_later_edition(staff: Any) -> None:
    edition = make_edition()
    later = make_edition("2021-2022", year=2021)
    same = Theme.objects.create(edition=edition, slug="begeleiding", title_nl="Begeleiding")
    future = Theme.objects.create(edition=later, slug="toekomst", title_nl="Toekomst")
    client = client_for(staff)
    for extends in (same, future):
        response = client.post(add_url(edition, "themes"), theme_data(extends=str(extends.pk)))
        assert_refused(response, "extends", "A theme can only continue a theme of an earlier edition.")
    assert list(edition.themes.all()) == [same]


BAD_THEMES = [
    pytest.param({"title_nl": ""}, "title_nl", "Dutch is the default language", id="no-dutch-title"),
    pytest.param({"in_belgium": ""}, "in_belgium", "Choose Belgium, France or both.", id="no-country"),
    pytest.param(
        {"slug": "begeleiding"}, "slug", "Another theme of this edition already has this short name.", id="slug"
    ),
    pytest.param({"slug": "met spaties"}, "slug", "Enter a valid", id="slug-with-spaces"),
]


@pytest.mark.parametrize(("changes", "field", "message"), BAD_THEMES)
def test_a_bad_theme_is_refused(
    staff: Any, edition: Edition, changes: dict[str, str], field: str, message: str
) -> None:
    Theme.objects.create(edition=edition, slug="begeleiding", title_nl="Begeleiding")
    data = theme_data(**changes)
    if changes.get("in_belgium") == "":
        del data["in_belgium"]
    response = client_for(staff).post(add_url(edition, "themes"), data)
    assert_refused(response, field, message)
    assert 'value="Égalité de genre"' in response.content.decode()
    assert edition.themes.count() == 1


def test_staff_adds_an_office_with_its_first_meeting_in_brussels_time(staff: Any) -> None:
    edition = make_full_edition()
    theme = edition.themes.get()
    client = client_for(staff)
    page = client.get(add_url(edition, "offices") + f"?theme={theme.pk}")
    assert page.context["form"]["theme"].value() == str(theme.pk)
    liege = Office.objects.get(slug="luik")
    data = {"theme": str(theme.pk), "office": str(liege.pk), "first_meeting_at": "2020-11-10T17:00"}
    assert client.post(add_url(edition, "offices"), data).status_code == 302
    assert ThemeOffice.objects.get(office=liege).first_meeting_at == brussels(2020, 11, 10, 17)


@pytest.mark.parametrize(
    ("first_meeting_at", "message"),
    [
        ("2020-01-10T17:00", "The first meeting is before the edition starts (1 November 2020)"),
        ("2021-05-10T17:00", "The first meeting is after the edition ends (30 April 2021)"),
    ],
)
def test_a_first_meeting_outside_the_edition_is_refused_with_the_reason(
    staff: Any, first_meeting_at: str, message: str
) -> None:
    edition = make_full_edition()  # 1 November 2020 – 30 April 2021
    theme = edition.themes.get()
    liege = Office.objects.get(slug="luik")
    data = {"theme": str(theme.pk), "office": str(liege.pk), "first_meeting_at": first_meeting_at}
    response = client_for(staff).post(add_url(edition, "offices"), data)
    assert_refused(response, "first_meeting_at", message)
    assert not ThemeOffice.objects.filter(office=liege).exists()
    # Nor can the edition later start after a first meeting it has.
    ThemeOffice.objects.filter(theme=theme).update(first_meeting_at=brussels(2020, 11, 5, 17))
    with pytest.raises(EditionRuleBroken) as broken:
        services.update_edition(actor=staff, edition=edition, values={"starts_on": date(2020, 11, 6)})
    assert "first meeting is before this date" in broken.value.errors["starts_on"]


def test_an_office_twice_on_a_theme_or_a_theme_of_another_edition_is_refused(staff: Any) -> None:
    edition = make_full_edition()
    other = make_full_edition("2021-2022", year=2021)
    gent = Office.objects.get(slug="gent")
    client = client_for(staff)
    twice = client.post(add_url(edition, "offices"), {"theme": str(edition.themes.get().pk), "office": str(gent.pk)})
    assert_refused(twice, "office", "This office is already listed for this theme.")
    elsewhere = client.post(add_url(edition, "offices"), {"theme": str(other.themes.get().pk), "office": str(gent.pk)})
    assert_refused(elsewhere, "theme", "Select a valid choice.")
    assert ThemeOffice.objects.count() == 2


# --- Resources --------------------------------------------------------------------------------------------


def test_staff_attaches_a_link_to_a_theme(staff: Any) -> None:
    edition = make_full_edition()
    theme = edition.themes.get()
    data = {"title_nl": "Verslag 2019", "url": "https://example.org/2019", "theme": str(theme.pk), "language": "nl"}
    assert client_for(staff).post(add_url(edition, "resources"), data).status_code == 302
    resource = Resource.objects.get(title_nl="Verslag 2019")
    assert (resource.theme, resource.edition) == (theme, None)


def test_staff_uploads_a_pdf_stored_under_a_safe_name(staff: Any, edition: Edition, media: Path) -> None:
    upload = SimpleUploadedFile("../Évaluation finale (v2).PDF", PDF, content_type="application/pdf")
    data = {"title_nl": "Evaluatie", "file": upload}
    assert client_for(staff).post(add_url(edition, "resources"), data).status_code == 302
    resource = Resource.objects.get()
    assert resource.edition == edition
    name = Path(resource.file.name)
    assert name.parts[0] == "resources"
    assert name.name.startswith("evaluation-finale-v2-")
    assert name.suffix == ".pdf"
    assert (media / resource.file.name).read_bytes() == PDF


def test_a_real_docx_is_accepted(staff: Any, edition: Edition, media: Path) -> None:
    upload = SimpleUploadedFile("bijdrage.docx", docx_bytes())
    assert (
        client_for(staff).post(add_url(edition, "resources"), {"title_nl": "Bijdrage", "file": upload}).status_code
        == 302
    )


BAD_UPLOADS = [
    pytest.param(
        "verslag.pdf", b"I am only text pretending to be a PDF", "does not match its extension", id="fake-pdf"
    ),
    pytest.param("foto.png", b"GIF89a....", "does not match its extension", id="fake-png"),
    pytest.param("bijdrage.docx", docx_bytes(folder="xl/"), "does not match its extension", id="fake-docx"),
    pytest.param("tekst.odt", docx_bytes(), "does not match its extension", id="fake-odt"),
    pytest.param("lijst.csv", b"a;b\x00c", "does not match its extension", id="binary-csv"),
    pytest.param(
        "virus.exe", b"MZ\x90\x00", "Choose a PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV file.", id="exe"
    ),
    pytest.param("pagina.html", b"<script>alert(1)</script>", "Choose a PDF", id="html"),
    pytest.param("groot.pdf", b"%PDF-" + b"0" * (21 * 1024 * 1024), "The file is larger than 20 MB.", id="21-mb"),
]


@pytest.mark.parametrize(("name", "content", "message"), BAD_UPLOADS)
def test_a_wrong_or_oversized_upload_is_refused(
    staff: Any, edition: Edition, media: Path, name: str, content: bytes, message: str
) -> None:
    data = {"title_nl": "Bijlage", "title_fr": "Annexe", "file": SimpleUploadedFile(name, content)}
    response = client_for(staff).post(add_url(edition, "resources"), data)
    assert_refused(response, "file", message)
    assert 'value="Annexe"' in response.content.decode()
    assert not Resource.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_resource_needs_a_link_or_a_file_but_not_both(staff: Any, edition: Edition, media: Path) -> None:
    client = client_for(staff)
    neither = client.post(add_url(edition, "resources"), {"title_nl": "Niets"})
    assert_refused(neither, "url", "Give a link or choose a file.")
    both = {"title_nl": "Beide", "url": "https://example.org", "file": SimpleUploadedFile("a.pdf", PDF)}
    assert_refused(client.post(add_url(edition, "resources"), both), "url", "Give a link or a file, not both.")
    assert not Resource.objects.exists()


def test_replacing_a_file_by_a_link_removes_the_file(staff: Any, edition: Edition, media: Path, on_commit: Any) -> None:
    client = client_for(staff)
    client.post(add_url(edition, "resources"), {"title_nl": "Verslag", "file": SimpleUploadedFile("v.pdf", PDF)})
    resource = Resource.objects.get()
    stored = media / resource.file.name
    assert stored.exists()
    data = {"title_nl": "Verslag", "url": "https://example.org/verslag", "file-clear": "on"}
    with on_commit():
        assert client.post(edit_url(edition, "resources", resource), data).status_code == 302
    resource.refresh_from_db()
    assert (resource.url, resource.file.name) == ("https://example.org/verslag", "")
    assert not stored.exists()


# --- Info sessions (events) and questions -------------------------------------------------------------


def test_the_dashboard_lists_the_info_sessions_and_leads_to_the_events_organiser(staff: Any, edition: Edition) -> None:
    from coopsip.events.tests.factories import public_online_event

    session = public_online_event(staff, titles={"nl": "Online infosessie"}, kind="info_session", edition=edition)
    page = client_for(staff).get(reverse("editions_staff:dashboard", kwargs={"pk": edition.pk})).content.decode()
    assert "Online infosessie" in page
    assert reverse("events_organise:edit", kwargs={"pk": session.pk}) in page
    new = f"{reverse('events_organise:create')}?kind=info_session&amp;edition={edition.pk}"
    assert new in page
    form = client_for(staff).get(new.replace("&amp;", "&")).context["form"]
    assert (form.initial["kind"], form.initial["edition"], form.initial["audience"]) == (
        "info_session",
        edition.pk,
        "public",
    )


def test_a_question_needs_its_dutch_question_and_answer(staff: Any, edition: Edition) -> None:
    client = client_for(staff)
    data = {"position": "1", "question_fr": "Qui peut participer ?", "answer_fr": "Tous les associés."}
    response = client.post(add_url(edition, "faq"), data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"question_nl", "answer_nl"}
    assert not FaqItem.objects.exists()
    data.update(question_nl="Wie mag deelnemen?", answer_nl="Alle vennoten.")
    assert client.post(add_url(edition, "faq"), data).status_code == 302
    assert FaqItem.objects.get().question_fr == "Qui peut participer ?"


# --- Deleting --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["phases", "themes", "offices", "resources", "faq"])
def test_deleting_a_part_asks_first_then_deletes_it(staff: Any, kind: str) -> None:
    from coopsip.editions.tests.test_staff_access import first_part

    edition = make_full_edition()
    part = first_part(edition, kind)
    url = reverse("editions_staff:part_delete", kwargs={"pk": edition.pk, "kind": kind, "part_pk": part.pk})
    client = client_for(staff)
    assert str(part) in client.get(url).content.decode()
    assert type(part).objects.filter(pk=part.pk).exists()
    response = client.post(url)
    assert response["Location"].endswith(f"#{kind}")
    assert not type(part).objects.filter(pk=part.pk).exists()
    record = ChangeRecord.objects.get(action="part_deleted")
    assert record.object_id == edition.pk
