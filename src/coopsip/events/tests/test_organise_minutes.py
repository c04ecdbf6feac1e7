"""After (and before) a meeting: the agenda and minutes, their attachments, and invited guests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.events.models import Audience, Event, MinutesAttachment, SignUp
from coopsip.events.tests.test_organise_access import make_event, person, secretary_circle

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


def url(name: str, event: Event, **kwargs: Any) -> str:
    return reverse(f"events_organise:{name}", kwargs={"pk": event.pk, **kwargs})


# --- Minutes ----------------------------------------------------------------------------


def test_the_secretary_writes_the_agenda_and_the_minutes(staff: User, member: User) -> None:
    ines = person("ines@example.org", "Ines")
    meeting = make_event(staff, audience=Audience.CIRCLE, circle=secretary_circle(ines, member))
    client = client_for(ines)
    assert client.get(url("minutes", meeting)).status_code == 200
    data = {"form": "minutes", "agenda": "1. Welkom\n2. Huisvesting", "minutes": "## Besluiten\n- We starten in juni."}
    response = client.post(url("minutes", meeting), data)
    assert response.status_code == 303
    assert response["Location"] == url("minutes", meeting)
    meeting.refresh_from_db()
    assert meeting.agenda == "1. Welkom\n2. Huisvesting"
    assert meeting.minutes == "## Besluiten\n- We starten in juni."
    assert meeting.minutes_updated_at is not None
    page = client.get(response["Location"]).content.decode()
    assert "The agenda and the minutes are saved." in page
    assert "We starten in juni." in page


def test_a_pdf_is_attached_and_deleted(staff: User, tmp_path: Path, on_commit: Any) -> None:
    event = make_event(staff)
    client = client_for(staff)
    upload = SimpleUploadedFile("Verslag juni.pdf", PDF, content_type="application/pdf")
    response = client.post(url("minutes", event), {"form": "attachment", "file": upload})
    assert response.status_code == 303
    attachment = MinutesAttachment.objects.get(event=event)
    assert attachment.name == "Verslag juni.pdf"
    stored = tmp_path / attachment.file.name
    assert stored.read_bytes() == PDF
    page = client.get(url("minutes", event)).content.decode()
    assert "“Verslag juni.pdf” is attached to the minutes." in page
    assert reverse("events:attachment", kwargs={"pk": attachment.pk}) in page
    delete = url("delete_attachment", event, attachment_pk=attachment.pk)
    assert f'action="{delete}"' in page
    with on_commit():
        response = client.post(delete)
    assert response.status_code == 303
    assert not MinutesAttachment.objects.exists()
    assert not stored.exists()


def test_a_program_is_refused(staff: User) -> None:
    event = make_event(staff)
    upload = SimpleUploadedFile("setup.exe", b"MZ\x90\x00binary", content_type="application/octet-stream")
    response = client_for(staff).post(url("minutes", event), {"form": "attachment", "file": upload})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV file." in page
    assert 'id="id_file_error"' in page
    assert not MinutesAttachment.objects.exists()


def test_an_attachment_of_another_event_is_not_found(staff: User) -> None:
    event, other = make_event(staff), make_event(staff)
    upload = SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")
    client_for(staff).post(url("minutes", other), {"form": "attachment", "file": upload})
    attachment = MinutesAttachment.objects.get()
    response = client_for(staff).post(url("delete_attachment", event, attachment_pk=attachment.pk))
    assert response.status_code == 404
    assert MinutesAttachment.objects.exists()


# --- Guests -----------------------------------------------------------------------------


def test_an_invited_guest_gets_a_personal_link(staff: User, on_commit: Any) -> None:
    event = make_event(staff, capacity=10)
    client = client_for(staff)
    data = {"name": "Eva Expert", "email": "Eva@Example.org", "language": "fr", "role": "expert"}
    with on_commit():
        response = client.post(url("guests", event), data)
    assert response.status_code == 303
    assert response["Location"] == url("guests", event)
    guest = SignUp.objects.get(event=event)
    assert (guest.name, guest.email, guest.language, guest.guest_role) == (
        "Eva Expert",
        "eva@example.org",
        "fr",
        "expert",
    )
    assert guest.invited_by == staff
    assert guest.status == "confirmed"
    [message] = mail.outbox
    assert message.to == ["eva@example.org"]
    assert f"/fr/events/s/{guest.token}/" in message.body  # the link in the guest's language
    page = client.get(url("guests", event)).content.decode()
    assert "Eva Expert is invited and receives a personal link by email." in page
    assert "eva@example.org" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "", "email": "eva@example.org"}, "name", "Give the guest&#x27;s name."),
        ({"name": "Eva Expert", "email": "not an email"}, "email", "Give a valid email address"),
    ],
)
def test_a_guest_needs_a_name_and_an_email(staff: User, data: dict[str, str], field: str, message: str) -> None:
    event = make_event(staff)
    response = client_for(staff).post(url("guests", event), {"language": "nl", "role": "partner", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert f'id="id_{field}_error"' in page
    assert 'value="partner"' in page
    assert not SignUp.objects.exists()
    assert not mail.outbox


def test_a_full_meeting_takes_no_guest(staff: User, member: User) -> None:
    event = make_event(staff, capacity=1)
    client_for(staff).post(url("guests", event), {"name": "Eva", "email": "eva@example.org", "language": "nl"})
    response = client_for(staff).post(
        url("guests", event), {"name": "Tom", "email": "tom@example.org", "language": "nl"}
    )
    assert response.status_code == 400
    assert "The meeting is full: add seats before inviting a guest." in response.content.decode()
    assert SignUp.objects.count() == 1
