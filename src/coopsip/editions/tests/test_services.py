"""The services that change editions, called as a script would: the same rules as the staff pages."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coopsip.core.audit import history_of
from coopsip.core.models import ChangeRecord
from coopsip.editions import services
from coopsip.editions.models import CurrentEdition, Edition, FaqItem, Phase, PhaseKind, Resource, Theme
from coopsip.editions.services import EditionRuleBroken
from coopsip.editions.tests.test_staff_access import brussels, make_edition, make_full_edition
from coopsip.places.models import Office

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def odt_bytes(mimetype: bytes = b"application/vnd.oasis.opendocument.text") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


# --- Editions ---------------------------------------------------------------------------------------


def test_create_edition_refuses_an_end_before_the_start_and_saves_nothing(staff: Any) -> None:
    values = {"slug": "x", "title_nl": "X", "starts_on": date(2021, 11, 1), "ends_on": date(2021, 10, 1)}
    with pytest.raises(EditionRuleBroken) as broken:
        services.create_edition(actor=staff, values=values)
    assert broken.value.errors == {"ends_on": "The end comes before the start."}
    assert not Edition.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_create_edition_needs_a_dutch_title(staff: Any) -> None:
    values = {"slug": "x", "title_fr": "X", "starts_on": date(2021, 11, 1), "ends_on": date(2022, 4, 30)}
    with pytest.raises(EditionRuleBroken) as broken:
        services.create_edition(actor=staff, values=values)
    assert set(broken.value.errors) == {"title_nl"}


def test_a_service_refuses_fields_it_does_not_manage(staff: Any) -> None:
    edition = make_edition()
    with pytest.raises(ValueError, match="published_at"):
        services.update_edition(actor=staff, edition=edition, values={"published_at": None})


def test_update_edition_records_only_what_changed(staff: Any) -> None:
    edition = make_edition()
    same = {"title_nl": "Smart in Progress 2020-2021", "meeting_hours": Decimal("3"), "title_en": ""}
    services.update_edition(actor=staff, edition=edition, values=same)
    assert not ChangeRecord.objects.exists()
    services.update_edition(actor=staff, edition=edition, values={"group_size_max": 10, "title_fr": "SIP"})
    record = history_of(edition).get()
    assert (record.actor, record.action) == (staff, "changed")
    assert record.changes == {"group_size_max": ["12", "10"], "title_fr": ["", "SIP"]}


def test_update_edition_refuses_dates_that_leave_a_phase_outside(staff: Any) -> None:
    edition = make_full_edition()
    with pytest.raises(EditionRuleBroken) as broken:
        services.update_edition(actor=staff, edition=edition, values={"starts_on": date(2021, 1, 15)})
    assert set(broken.value.errors) == {"starts_on"}
    edition.refresh_from_db()
    assert edition.starts_on == date(2020, 11, 1)


# --- Copying -------------------------------------------------------------------------------------------


def test_copying_carries_the_extended_themes_shifts_the_phases_and_copies_the_faq(staff: Any) -> None:
    source = make_full_edition()
    source.commitment_starts_on, source.commitment_ends_on = date(2021, 1, 1), date(2021, 4, 15)
    source.intro_fr = "Une année de réflexion."
    source.save()
    kept = Theme.objects.create(
        edition=source,
        slug="deeleconomie",
        title_nl="Deeleconomie",
        title_fr="Économie du partage",
        to_be_extended=True,
    )
    Phase.objects.create(
        edition=source, kind=PhaseKind.TEST_PROJECTS, starts_on=date(2021, 1, 15), ends_on=date(2021, 4, 15)
    )

    copy = services.copy_edition(
        actor=staff,
        source=source,
        slug="2021-2022",
        titles={"nl": "SIP 2021-2022", "fr": "SIP 2021-2022", "en": ""},
        starts_on=date(2021, 11, 1),
        ends_on=date(2022, 4, 30),
    )

    assert copy.published_at is None
    assert copy.intro_fr == "Une année de réflexion."
    assert (copy.commitment_starts_on, copy.commitment_ends_on) == (date(2022, 1, 1), date(2022, 4, 15))
    themes = list(copy.themes.all())
    assert [(t.title_fr, t.extends, t.to_be_extended, t.position) for t in themes] == [
        ("Économie du partage", kept, False, 1)
    ]
    assert [(p.kind, p.starts_on, p.ends_on) for p in copy.phases.all()] == [
        ("study", date(2022, 1, 1), date(2022, 1, 31)),
        ("test_projects", date(2022, 1, 15), date(2022, 4, 15)),
    ]
    assert list(copy.faq.values_list("question_nl", "answer_nl")) == [("Wie mag deelnemen?", "Alle vennoten.")]
    assert not copy.events.exists()
    assert not copy.resources.exists()
    assert source.themes.count() == 2  # the source keeps its own
    assert history_of(copy).get().changes == {"copied_from": "2020-2021"}


def test_copying_refuses_dates_the_shifted_phases_do_not_fit(staff: Any) -> None:
    source = make_full_edition()
    with pytest.raises(EditionRuleBroken) as broken:
        services.copy_edition(
            actor=staff,
            source=source,
            slug="2021-2022",
            titles={"nl": "SIP"},
            starts_on=date(2021, 11, 1),
            ends_on=date(2021, 12, 31),
        )
    assert "Study" in broken.value.errors["ends_on"]
    assert Edition.objects.count() == 1


# --- Publishing -------------------------------------------------------------------------------------------


def test_publishing_makes_the_edition_current_in_its_countries(staff: Any) -> None:
    edition = services.publish_edition(actor=staff, edition=make_edition(in_france=True))
    assert edition.is_published
    assert {row.country: row.edition for row in CurrentEdition.objects.all()} == {"BE": edition, "FR": edition}


def test_a_second_edition_published_for_a_country_replaces_the_first_there(staff: Any) -> None:
    first = services.publish_edition(actor=staff, edition=make_edition(in_france=True))
    second = services.publish_edition(actor=staff, edition=make_edition("2021-2022", year=2021))
    assert {row.country: row.edition for row in CurrentEdition.objects.all()} == {"BE": second, "FR": first}
    services.publish_edition(actor=staff, edition=first)
    assert CurrentEdition.objects.get(country="BE").edition == first
    assert CurrentEdition.objects.count() == 2


def test_copying_moves_dates_by_whole_years_across_a_29_february(staff: Any) -> None:
    source = make_edition("2023-2024", year=2023, ends_on=date(2024, 4, 30))
    Phase.objects.create(edition=source, kind=PhaseKind.STUDY, starts_on=date(2024, 2, 29), ends_on=date(2024, 4, 30))
    copy = services.copy_edition(
        actor=staff,
        source=source,
        slug="2024-2025",
        titles={"nl": "Smart in Progress 2024-2025"},
        starts_on=date(2024, 11, 1),
        ends_on=date(2025, 4, 30),
    )
    phase = copy.phases.get()
    assert (phase.starts_on, phase.ends_on) == (date(2025, 2, 28), date(2025, 4, 30))


def test_copying_refuses_a_start_after_where_the_first_phase_would_land(staff: Any) -> None:
    source = make_edition("2026-2027", year=2026)
    Phase.objects.create(edition=source, kind=PhaseKind.STUDY, starts_on=date(2026, 11, 1), ends_on=date(2027, 1, 31))
    with pytest.raises(EditionRuleBroken) as broken:
        services.copy_edition(
            actor=staff,
            source=source,
            slug="2027-2028",
            titles={"nl": "Smart in Progress 2027-2028"},
            starts_on=date(2027, 11, 8),
            ends_on=date(2028, 5, 7),
        )
    assert "starts_on" in broken.value.errors
    assert not Edition.objects.filter(slug="2027-2028").exists()


def test_an_edition_no_longer_in_a_country_stops_being_current_there(staff: Any) -> None:
    edition = services.publish_edition(actor=staff, edition=make_edition(in_france=True))
    services.update_edition(actor=staff, edition=edition, values={"in_france": False})
    assert set(CurrentEdition.objects.values_list("country", flat=True)) == {"BE"}


def test_a_theme_cannot_run_in_a_country_its_edition_does_not(staff: Any) -> None:
    edition = make_edition()  # Belgium only
    with pytest.raises(EditionRuleBroken) as broken:
        services.create_theme(
            actor=staff, edition=edition, values={"slug": "t", "title_nl": "T", "in_belgium": True, "in_france": True}
        )
    assert "in_france" in broken.value.errors
    assert not Theme.objects.exists()


def test_moving_an_edition_before_the_one_it_continues_is_refused(staff: Any) -> None:
    earlier = make_edition("2019-2020", year=2019)
    later = make_edition()
    old = Theme.objects.create(edition=earlier, slug="g", title_nl="G")
    Theme.objects.create(edition=later, slug="g", title_nl="G", extends=old)
    with pytest.raises(EditionRuleBroken) as broken:
        services.update_edition(
            actor=staff, edition=earlier, values={"starts_on": date(2021, 1, 1), "ends_on": date(2021, 6, 30)}
        )
    assert "starts_on" in broken.value.errors


# --- Parts ------------------------------------------------------------------------------------------------


def test_a_phase_outside_its_edition_is_refused(staff: Any) -> None:
    edition = make_edition()
    values = {"kind": "study", "starts_on": date(2020, 10, 1), "ends_on": date(2020, 11, 30)}
    with pytest.raises(EditionRuleBroken) as broken:
        services.create_phase(actor=staff, edition=edition, values=values)
    assert set(broken.value.errors) == {"starts_on"}
    assert not Phase.objects.exists()


def test_changing_a_phase_records_the_change_against_the_phase(staff: Any) -> None:
    edition = make_full_edition()
    phase = services.update_phase(
        actor=staff, phase=edition.phases.get(), values={"meetings_min": 1, "meetings_max": 2}
    )
    assert history_of(phase).get().changes == {"meetings_min": ["", "1"], "meetings_max": ["", "2"]}


def test_a_theme_cannot_continue_itself_or_a_later_theme(staff: Any) -> None:
    edition = make_edition()
    theme = Theme.objects.create(edition=edition, slug="a", title_nl="A")
    later = Theme.objects.create(edition=make_edition("2021-2022", year=2021), slug="b", title_nl="B")
    for extends in (theme, later):
        with pytest.raises(EditionRuleBroken) as broken:
            services.update_theme(actor=staff, theme=theme, values={"extends": extends})
        assert set(broken.value.errors) == {"extends"}
    theme.refresh_from_db()
    assert theme.extends is None


def test_an_office_cannot_be_added_to_a_theme_of_another_edition(staff: Any) -> None:
    edition = make_edition()
    other = Theme.objects.create(edition=make_edition("2021-2022", year=2021), slug="b", title_nl="B")
    values = {"theme": other, "office": Office.objects.get(slug="gent"), "first_meeting_at": brussels(2021, 1, 10, 17)}
    with pytest.raises(EditionRuleBroken) as broken:
        services.create_theme_office(actor=staff, edition=edition, values=values)
    assert set(broken.value.errors) == {"theme"}


def test_a_resource_of_a_theme_does_not_belong_to_the_edition_directly(staff: Any) -> None:
    edition = make_full_edition()
    theme = edition.themes.get()
    values = {"title_nl": "Link", "url": "https://example.org", "theme": theme}
    resource = services.create_resource(actor=staff, edition=edition, values=values)
    assert (resource.edition, resource.theme) == (None, theme)
    resource = services.update_resource(actor=staff, resource=resource, values={"theme": None})
    assert (resource.edition, resource.theme) == (edition, None)


def test_a_script_cannot_store_a_fake_upload_either(staff: Any, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    values = {"title_nl": "Nep", "file": SimpleUploadedFile("nep.pdf", b"not a pdf")}
    with pytest.raises(EditionRuleBroken) as broken:
        services.create_resource(actor=staff, edition=make_edition(), values=values)
    assert set(broken.value.errors) == {"file"}
    assert not Resource.objects.exists()


def test_deleting_a_resource_removes_its_file_once_committed(
    staff: Any, settings: Any, tmp_path: Path, on_commit: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    edition = make_edition()
    values = {"title_nl": "Beeld", "file": SimpleUploadedFile("beeld.png", PNG)}
    resource = services.create_resource(actor=staff, edition=edition, values=values)
    stored = tmp_path / resource.file.name
    assert stored.exists()
    with on_commit():
        services.delete_resource(actor=staff, resource=resource)
    assert not stored.exists()
    assert history_of(edition).get().changes == {"resource": ["Beeld", None]}


def test_a_question_needs_its_dutch_answer(staff: Any) -> None:
    with pytest.raises(EditionRuleBroken) as broken:
        services.create_faq_item(
            actor=staff, edition=make_edition(), values={"question_nl": "Wie?", "answer_fr": "Tous"}
        )
    assert set(broken.value.errors) == {"answer_nl"}
    assert not FaqItem.objects.exists()


# --- Uploads ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("verslag.pdf", b"%PDF-1.7\n"),
        ("foto.PNG", PNG),
        ("foto.jpeg", b"\xff\xd8\xff\xe0\x00\x10JFIF"),
        ("tekst.odt", odt_bytes()),
        ("tabel.ods", odt_bytes(b"application/vnd.oasis.opendocument.spreadsheet")),
        ("lijst.csv", b"naam;gemeente\nLotte;Gent\n"),
        ("leesmij.txt", "Één tekst".encode("cp1252")),
    ],
)
def test_an_allowed_file_passes(name: str, content: bytes) -> None:
    assert services.upload_error(SimpleUploadedFile(name, content)) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("verslag.pdf", b"hello"),
        ("foto.jpg", PNG),
        ("tabel.ods", odt_bytes()),
        ("tabel.xlsx", b"PK\x03\x04 but not a zip"),
        ("script.svg", b"<svg onload=alert(1)>"),
        ("geen-extensie", b"%PDF-1.7"),
    ],
)
def test_a_wrong_file_is_refused(name: str, content: bytes) -> None:
    assert services.upload_error(SimpleUploadedFile(name, content)) is not None


def test_a_safe_file_name_keeps_only_a_slug_and_the_extension() -> None:
    name = services.safe_file_name("..\\..\\Évaluation finale (v2).PDF")
    stem, suffix = name.rsplit(".", 1)
    assert suffix == "pdf"
    assert stem.startswith("evaluation-finale-v2-")
    assert "/" not in name and "\\" not in name
    assert services.safe_file_name(".pdf") != services.safe_file_name(".pdf")
