"""Deleting an account: the files the person uploaded lose their original names, in the records
and in the history; files that are a group's or the cooperative's record stay under a neutral name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from coopsip.accounts.models import User
from coopsip.accounts.services import delete_account
from coopsip.core.models import ChangeRecord
from coopsip.events import services as events
from coopsip.events.models import Audience, MinutesAttachment
from coopsip.events.tests.test_organise_access import make_event, secretary_circle

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _history_text() -> str:
    return json.dumps(list(ChangeRecord.objects.values("object_repr", "changes")), ensure_ascii=False).lower()


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_minutes_attachments_stay_with_the_meeting_without_their_uploader_or_name(
    staff: User, member: User, media: Path, on_commit: Any
) -> None:
    meeting = make_event(staff, audience=Audience.CIRCLE, circle=secretary_circle(member))
    kept = events.add_attachment(by=member, event=meeting, upload=_pdf("Notulen van Lotte Peeters.pdf"))
    removed = events.add_attachment(by=member, event=meeting, upload=_pdf("cv lotte.pdf"))
    events.delete_attachment(by=staff, attachment=removed)
    assert "lotte" in _history_text()
    stored = kept.file.name

    with on_commit():
        delete_account(user=member)

    kept.refresh_from_db()
    assert kept.name == f"attachment-{kept.pk}.pdf"
    assert kept.uploaded_by is None
    assert kept.file.name == stored  # already a generated name: the group's record stays
    assert (media / stored).read_bytes() == PDF
    assert "lotte" not in _history_text()
    assert "peeters" not in _history_text()
    assert list(MinutesAttachment.objects.values_list("name", flat=True)) == [f"attachment-{kept.pk}.pdf"]


def test_resource_files_of_a_staff_member_stay_on_the_edition_under_a_neutral_name(
    staff: User, board: User, media: Path, on_commit: Any
) -> None:
    from coopsip.editions.models import Resource
    from coopsip.editions.services import create_resource, update_resource
    from coopsip.registrations.tests.test_register import make_open_edition, make_places

    make_places()
    edition = make_open_edition()
    current = create_resource(
        actor=staff, edition=edition, values={"title_nl": "Presentatie", "file": _pdf("Sara Janssens presentatie.pdf")}
    )
    replaced = create_resource(actor=staff, edition=edition, values={"title_nl": "Oud", "file": _pdf("sara oud.pdf")})
    # Someone else replaces one of Sara's files: that file is no longer Sara's to rename.
    replaced = update_resource(actor=board, resource=replaced, values={"title_nl": "Oud", "file": _pdf("nieuw.pdf")})
    old_path = current.file.name
    assert "sara-janssens" in old_path and "sara" in _history_text()

    with on_commit():
        delete_account(user=staff)

    current.refresh_from_db()
    assert Path(current.file.name).name == f"resource-{current.pk}.pdf"
    assert Path(current.file.name).parent == Path(old_path).parent
    assert (media / current.file.name).read_bytes() == PDF
    assert not (media / old_path).exists()
    assert current.title_nl == "Presentatie"  # the title staff typed is the edition's content
    replaced.refresh_from_db()
    assert replaced.file.name.startswith("resources/") and "nieuw" in replaced.file.name
    assert "sara" not in _history_text()
    assert Resource.objects.count() == 2


def test_documents_shared_in_a_group_space_stay_without_their_name_or_who_added_them(
    member: User, media: Path, on_commit: Any
) -> None:
    from coopsip.groupspace.services import add_document

    circle = secretary_circle(member)
    document = add_document(by=member, circle=circle, upload=_pdf("Lotte Peeters budget.pdf"))
    assert document.title == "Lotte Peeters budget.pdf"
    old_path = document.file.name

    with on_commit():
        delete_account(user=member)

    document.refresh_from_db()
    assert document.added_by is None
    assert document.file_name == document.title == f"document-{document.pk}.pdf"
    assert Path(document.file.name).name == f"document-{document.pk}.pdf"
    assert (media / document.file.name).read_bytes() == PDF
    assert not (media / old_path).exists()
    assert "lotte" not in _history_text()


def test_the_file_names_of_imports_go_with_the_account(staff: User) -> None:
    from coopsip.members.models import RegisterImport

    register_import = RegisterImport.objects.create(file_name="leden van Sara.csv", imported_by=staff)
    delete_account(user=staff)
    register_import.refresh_from_db()
    assert register_import.file_name == f"register-import-{register_import.pk}.csv"


def test_the_file_name_of_a_registrations_import_goes_from_the_history(staff: User, member: User) -> None:
    from coopsip.core.audit import record_change
    from coopsip.registrations.tests.test_register import make_open_edition, make_places, register_with_service

    make_places()
    registration = register_with_service(member, make_open_edition())
    changes = {"file": "papieren formulieren Sara.csv", "line": 2, "changed": []}
    record_change(actor=staff, obj=registration, action="imported", changes=changes)
    delete_account(user=staff)
    record = ChangeRecord.objects.get(action="imported")
    assert record.changes["file"] == f"registrations-import-{record.pk}.csv"
    assert record.changes["line"] == 2


def test_the_privacy_page_says_what_stays_after_deletion(member: User) -> None:
    from django.urls import reverse

    from conftest import client_for

    html = client_for(member).get(reverse("accounts:privacy")).content.decode()
    assert "the minutes you wrote in your own words" in html
    assert "Those files get a neutral name" in html
