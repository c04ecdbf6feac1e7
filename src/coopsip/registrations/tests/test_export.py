"""Sara (staff) exports the registrations of an edition as a CSV file that Excel opens as it should."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.editions.models import Edition
from coopsip.editions.phases import BRUSSELS
from coopsip.places.models import Municipality
from coopsip.registrations.exports import COLUMNS, escape_cell
from coopsip.registrations.models import Registration
from coopsip.registrations.tests.test_staff_access import make_member, make_open_edition, register


@pytest.fixture
def edition(db: Any) -> Edition:
    return make_open_edition()


def _export(staff: User, edition: Edition) -> tuple[bytes, list[dict[str, str]]]:
    response = client_for(staff).get(reverse("registrations_staff:export", kwargs={"slug": edition.slug}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="registrations-{edition.slug}.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response.streaming  # sent as it is written, not built whole in memory first
    content = b"".join(response.streaming_content)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    return content, rows


def test_the_file_has_a_bom_semicolons_and_crlf(staff: User, member: User, edition: Edition) -> None:
    register(member, edition, "wonen")
    content, _rows = _export(staff, edition)
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark: Excel reads the accents right
    header = content[3:].split(b"\r\n")[0].decode()
    assert header.split(";") == list(COLUMNS)
    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")


def test_one_row_per_registration_with_what_group_formation_needs(staff: User, member: User, edition: Edition) -> None:
    place = Municipality.objects.create(
        country="BE", postcode="9000", name="Gent", latitude="51.05430", longitude="3.71740"
    )
    # An edition whose groups mix stakeholder types and keep a gender balance: both answers are kept.
    Edition.objects.filter(pk=edition.pk).update(admits_clients=True, min_stakeholder_types=2, max_gender_share=60)
    edition.refresh_from_db()
    registration = register(
        member,
        edition,
        "zorg",
        "wonen",
        mode="in_person",
        office_slug="gent",
        languages=("nl", "fr"),
        slots=((2, "morning"), (0, "evening")),
        moderator=True,
        volunteer_experience="Ik leid een koor.",
        stakeholder_type="client",
        gender="woman",
        notes="Rolstoel",
    )
    Registration.objects.filter(pk=registration.pk).update(
        municipality=place, created_at=datetime(2026, 1, 10, 23, 30, tzinfo=BRUSSELS)
    )
    _content, rows = _export(staff, edition)
    assert rows == [
        {
            "registration_id": str(registration.pk),
            "member_number": "100001",
            "first_name": "Lotte",
            "last_name": "Peeters",
            "email": "lotte@example.org",
            "office": "Ghent",
            "postcode": "9000",
            "place": "Gent",
            "latitude": "51.05430",
            "longitude": "3.71740",
            "country": "BE",
            "theme_1": "zorg",
            "theme_1_title": "Care",
            "theme_2": "wonen",
            "theme_2_title": "Housing",
            "theme_3": "",
            "theme_3_title": "",
            "mode": "in_person",
            "languages": "fr|nl",
            "slots": "mon-evening|wed-morning",
            "moderator": "yes",
            "secretary": "no",
            "experience": "Ik leid een koor.",
            "stakeholder_type": "client",
            "gender": "woman",
            "status": "submitted",
            "source": "online",
            "registered_at": "2026-01-10 23:30",  # Brussels time, not UTC
            "notes": "Rolstoel",
        }
    ]


def test_cells_that_excel_could_run_are_escaped(staff: User, edition: Edition) -> None:
    evil = make_member(
        "evil@example.org", number="666", first_name='=HYPERLINK("http://evil.example","click")', last_name="+SUM(A1)"
    )
    register(evil, edition, "wonen", notes="@cmd|' /C calc'!A0", volunteer_experience="-2+3", moderator=True)
    _content, rows = _export(staff, edition)
    assert rows[0]["first_name"] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[0]["last_name"] == "'+SUM(A1)"
    assert rows[0]["notes"] == "'@cmd|' /C calc'!A0"
    assert rows[0]["experience"] == "'-2+3"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+32 2 123", "'+32 2 123"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", "'\tTAB"),
        ("\r=1", "'\r=1"),
        ("-4.35", "-4.35"),  # a negative number cannot run: it stays a number
        (" =1+1", "' =1+1"),  # spaces before the formula do not hide it
        ("\n=1+1", "'\n=1+1"),
        ("|cmd", "'|cmd"),
        ("Anna", "Anna"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_escape_cell(value: str, expected: str) -> None:
    assert escape_cell(value) == expected


def test_withdrawn_and_imported_registrations_are_exported_with_their_status(
    staff: User, member: User, edition: Edition
) -> None:
    from coopsip.registrations.services import withdraw_registration

    withdraw_registration(registration=register(member, edition, "wonen"))
    _content, rows = _export(staff, edition)
    assert rows[0]["status"] == "withdrawn"


def test_the_export_keeps_a_fixed_number_of_queries(
    staff: User, edition: Edition, django_assert_num_queries: Any
) -> None:
    client = client_for(staff)
    url = reverse("registrations_staff:export", kwargs={"slug": edition.slug})
    for count in (1, 6):
        for number in range(Registration.objects.count(), count):
            register(make_member(f"x{number}@example.org", number=f"7{number}"), edition, "wonen", "zorg")
        client.get(url)
        # Session, user, the team's second-factor check (2), groups, edition, offices, registrations, preferences,
        # the themes' names, slots.
        with django_assert_num_queries(11):  # the rows are read as the answer is streamed
            content = b"".join(client.get(url).streaming_content)
        assert content.count(b"\r\n") == count + 1


def test_a_large_export_comes_in_pieces_read_a_few_hundred_registrations_at_a_time() -> None:
    from coopsip.registrations.exports import encoded_chunks

    lines = [f"{number};row\r\n" for number in range(20_000)]
    pieces = list(encoded_chunks(iter(lines), size=4096))
    assert len(pieces) > 10 and all(len(piece) < 4096 + 64 for piece in pieces)
    assert b"".join(pieces).decode() == "".join(lines)
