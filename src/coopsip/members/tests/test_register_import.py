from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from coopsip.members.models import MembershipStatus, RegisterEntry, RegisterImport
from coopsip.members.register_csv import parse_register_csv
from coopsip.members.services import import_register

TODAY = date(2026, 11, 23)
GOOD = (
    "member_number;first_name;last_name;email;date_of_birth;status;stakeholder_types;member_since\n"
    "200001;Lotte;Peeters;lotte@example.org;14/03/1985;vennoot;;2016-05-01\n"
    "200002;Julien;Dubois;JULIEN@example.org;1979-11-02;user;client|partner;\n"
    "200003;Aïcha;Benali;;;member;employee;01/09/2019\n"
)


def _import(text: str, *, encoding: str = "utf-8", **kwargs: Any) -> RegisterImport:
    return import_register(data=text.encode(encoding), file_name="export.csv", imported_by=None, **kwargs)


def test_it_parses_a_belgian_excel_export_with_bom_and_semicolons() -> None:
    parsed = parse_register_csv(("\ufeff" + GOOD).encode("utf-8"), today=TODAY)
    assert parsed.ok
    rows = {row.member_number: row for _line, row in parsed.rows}
    assert rows["200001"].date_of_birth == date(1985, 3, 14)
    assert rows["200001"].status == "member"
    assert rows["200002"].email == "julien@example.org"
    assert rows["200002"].stakeholder_types == {"client", "partner"}
    assert rows["200003"].first_name == "Aïcha"


def test_it_parses_commas_and_dutch_headers() -> None:
    text = "Lidnummer,Voornaam,Naam,Statuut\n300001,Jan,Janssens,vennoot\n"
    parsed = parse_register_csv(text.encode(), today=TODAY)
    assert parsed.ok
    assert parsed.rows[0][1].last_name == "Janssens"


@pytest.mark.django_db
def test_a_good_file_creates_every_entry() -> None:
    result = _import(GOOD)
    assert result.applied
    assert (result.created_count, result.updated_count, result.rejected_count) == (3, 0, 0)
    assert RegisterEntry.objects.get(member_number="200002").is_partner
    assert [row["action"] for row in result.report] == ["created", "created", "created"]


@pytest.mark.django_db
def test_importing_the_same_file_again_changes_nothing() -> None:
    _import(GOOD)
    before = list(RegisterEntry.objects.order_by("pk").values())
    result = _import(GOOD)
    assert (result.created_count, result.updated_count, result.unchanged_count) == (0, 0, 3)
    assert list(RegisterEntry.objects.order_by("pk").values()) == before


@pytest.mark.django_db
def test_a_later_file_updates_entries_by_member_number() -> None:
    _import(GOOD)
    later = GOOD.replace(
        "200002;Julien;Dubois;JULIEN@example.org;1979-11-02;user",
        "200002;Julien;Dubois;julien@new.example;1979-11-02;member",
    )
    result = _import(later)
    assert result.updated_count == 1
    row = next(r for r in result.report if r["member_number"] == "200002")
    assert row["changed"] == ["email", "status"]
    entry = RegisterEntry.objects.get(member_number="200002")
    assert entry.status == MembershipStatus.MEMBER
    assert entry.email == "julien@new.example"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad_line", "message"),
    [
        ("200004;Piet;Pieters;;31/02/1980;member;;", "is not a date"),
        ("200004;Piet;Pieters;;;retired;;", "status “retired” is unknown"),
        ("200004;Piet;Pieters;not-an-email;;member;;", "not a valid email address"),
        ("200004;Piet;;;;member;;", "last name is empty"),
        ("200004;Piet;Pieters;;;member;astronaut;", "stakeholder type “astronaut” is unknown"),
        ("200004;Piet;Pieters;;01/01/2090;member;;", "is not possible"),
        ("200004;Piet;Pieters;member", "4 fields, but the header has 8"),
    ],
)
def test_a_file_with_one_bad_row_imports_nothing_and_says_which_row(bad_line: str, message: str) -> None:
    result = _import(GOOD + bad_line + "\n")
    assert not result.applied
    assert RegisterEntry.objects.count() == 0
    rejected = [row for row in result.report if row["action"] == "rejected"]
    assert len(rejected) == 1
    assert rejected[0]["line"] == 5
    assert message in " ".join(rejected[0]["errors"])


@pytest.mark.django_db
def test_a_duplicate_member_number_is_rejected_with_both_lines() -> None:
    result = _import(GOOD + "200001;Lotte;Peeters;;;member;;\n")
    assert not result.applied
    assert RegisterEntry.objects.count() == 0
    rejected = next(row for row in result.report if row["action"] == "rejected")
    assert rejected["line"] == 5
    assert "also on line 2" in rejected["errors"][0]


@pytest.mark.django_db
def test_a_missing_column_imports_nothing() -> None:
    result = _import("member_number;first_name;email\n1;A;a@example.org\n")
    assert not result.applied
    assert RegisterEntry.objects.count() == 0
    assert "last_name, status" in result.report[0]["errors"][0]


@pytest.mark.django_db
def test_a_file_in_the_wrong_encoding_imports_nothing_and_says_how_to_fix_it() -> None:
    result = _import(GOOD, encoding="cp1252")
    assert not result.applied
    assert RegisterEntry.objects.count() == 0
    assert "not in UTF-8" in result.report[0]["errors"][0]
    assert "line 4" in result.report[0]["errors"][0]


@pytest.mark.django_db
def test_a_bad_row_does_not_touch_existing_entries() -> None:
    _import(GOOD)
    result = _import(GOOD.replace("Peeters", "Peters") + "200004;X;;;;member;;\n")
    assert not result.applied
    assert RegisterEntry.objects.get(member_number="200001").last_name == "Peeters"


@pytest.mark.django_db
def test_a_dry_run_reports_but_changes_nothing() -> None:
    result = _import(GOOD, dry_run=True)
    assert not result.applied
    assert result.created_count == 3
    assert RegisterEntry.objects.count() == 0


@pytest.mark.django_db
def test_staff_import_a_file_and_see_the_report_row_by_row(staff: Any) -> None:
    client = client_for(staff)
    upload = SimpleUploadedFile("export.csv", GOOD.encode(), content_type="text/csv")
    response = client.post(reverse("members:import"), {"file": upload}, follow=True)
    assert response.status_code == 200
    content = response.content.decode()
    assert "The file is imported" in content
    assert content.count('class="row-created"') == 3
    assert RegisterEntry.objects.count() == 3


@pytest.mark.django_db
def test_staff_see_the_rejected_rows_of_a_bad_file(staff: Any) -> None:
    upload = SimpleUploadedFile("export.csv", (GOOD + "200004;Piet;Pieters;;31/02/1980;member;;\n").encode())
    response = client_for(staff).post(reverse("members:import"), {"file": upload}, follow=True)
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert 'class="row-rejected"' in content
    assert "31/02/1980" in content


@pytest.mark.django_db
def test_the_import_form_refuses_a_non_csv_file(staff: Any) -> None:
    upload = SimpleUploadedFile("photo.png", b"\x89PNG", content_type="image/png")
    response = client_for(staff).post(reverse("members:import"), {"file": upload})
    assert response.status_code == 400
    assert b"Choose a .csv file" in response.content
    assert RegisterImport.objects.count() == 0


@pytest.mark.django_db
def test_a_board_member_cannot_import_even_by_posting(board: Any) -> None:
    upload = SimpleUploadedFile("export.csv", GOOD.encode())
    response = client_for(board).post(reverse("members:import"), {"file": upload})
    assert response.status_code == 403
    assert RegisterEntry.objects.count() == 0


@pytest.mark.django_db
def test_the_register_list_searches_and_answers_htmx_with_a_fragment(staff: Any) -> None:
    _import(GOOD)
    client = client_for(staff)
    response = client.get(reverse("members:register"), {"q": "dubois"})
    assert b"Julien" in response.content and b"Lotte" not in response.content
    response = client.get(reverse("members:register"), {"q": "dubois"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Julien" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        pytest.param("Julien Dubois", "Julien", id="first-last"),
        pytest.param("dubois julien", "Julien", id="last-first"),
        pytest.param("20000", "Julien", id="member-number-prefix"),
        pytest.param("julien@exa", "Julien", id="part-of-email"),
    ],
)
def test_the_register_search_finds_a_person_as_staff_remember_them(staff: Any, query: str, expected: str) -> None:
    # Issue 11, point 14: each of these found nothing before.
    _import(GOOD)
    page = client_for(staff).get(reverse("members:register"), {"q": query}).context["page"]
    names = {entry.first_name for entry in page}
    assert expected in names
    if query != "20000":
        assert names == {expected}


@pytest.mark.django_db
@pytest.mark.parametrize("size", [3, 60])
@pytest.mark.parametrize("query", ["", "a b"])
def test_the_register_list_makes_few_queries(staff: Any, django_assert_num_queries: Any, size: int, query: str) -> None:
    text = "member_number;first_name;last_name;status\n" + "".join(f"{n};A{n};B{n};member\n" for n in range(size))
    _import(text)
    client = client_for(staff)
    client.get(reverse("members:register"))  # warm the session
    # Session, user, the team's second-factor check (group, authenticator), permissions, count, page.
    with django_assert_num_queries(7):
        response = client.get(reverse("members:register"), {"q": query})
    assert len(response.context["page"]) == min(size, 50)


@pytest.mark.django_db
def test_windows_line_endings_and_quoted_separators_are_read() -> None:
    text = 'member_number;first_name;last_name;status\r\n500001;"Anne; Marie";Dupont;member\r\n500002;Jo;Smet;user\r\n'
    result = _import(text)
    assert result.applied and result.created_count == 2
    assert RegisterEntry.objects.get(member_number="500001").first_name == "Anne; Marie"


def test_french_headers_with_accents_are_recognised() -> None:
    text = "Numéro d'associé;Prénom;Nom;Statut\n600001;Zoé;Lefèvre;associé\n"
    parsed = parse_register_csv(text.encode(), today=TODAY)
    assert parsed.ok, parsed.file_errors
    assert parsed.rows[0][1].first_name == "Zoé"


@pytest.mark.django_db
def test_a_header_without_rows_imports_nothing_and_says_so() -> None:
    result = _import("member_number;first_name;last_name;status\n")
    assert not result.applied
    assert "header but no rows" in result.report[0]["errors"][0]


@pytest.mark.django_db
def test_a_column_given_twice_is_refused() -> None:
    result = _import("member_number;first_name;last_name;status;email;e-mail\n1;A;B;member;a@x.org;b@x.org\n")
    assert not result.applied
    assert "appear twice: email" in result.report[0]["errors"][0]


@pytest.mark.django_db
def test_unknown_columns_are_named_in_the_report_and_ignored() -> None:
    result = _import("member_number;first_name;last_name;status;geboorte_datum\n1;A;B;member;01/01/1980\n")
    assert result.applied
    notes = [row for row in result.report if row["action"] == "note"]
    assert "geboorte_datum" in notes[0]["errors"][0]


@pytest.mark.django_db
def test_a_file_without_an_optional_column_keeps_what_the_register_knows() -> None:
    _import(GOOD)
    result = _import("member_number;first_name;last_name;status\n200001;Lotte;Peeters;member\n")
    assert result.unchanged_count == 1
    entry = RegisterEntry.objects.get(member_number="200001")
    assert entry.email == "lotte@example.org"
    assert entry.date_of_birth == date(1985, 3, 14)


@pytest.mark.django_db
def test_the_report_of_a_multi_line_row_names_the_line_where_it_ends() -> None:
    text = 'member_number;first_name;last_name;status\n1;"Two\nlines";B;member\n2;C;D;retired\n'
    result = _import(text)
    rejected = [row for row in result.report if row["action"] == "rejected"]
    # A name over two lines is refused (an unclosed quote would swallow rows), named where it ends.
    assert rejected[0]["line"] == 3 and "several lines" in rejected[0]["errors"][0]
    assert rejected[1]["line"] == 4


@pytest.mark.django_db
def test_the_report_page_lists_problems_not_the_unchanged_rows(staff: Any) -> None:
    _import(GOOD)
    result = _import(GOOD)
    content = client_for(staff).get(reverse("members:import_detail", kwargs={"pk": result.pk})).content.decode()
    assert "Nothing changed: all 3 rows already held these values." in content
    assert "3 rows are not listed: the register already held their values." in content
    assert "created" not in content.lower()
    assert 'class="row-unchanged"' not in content


def _counts(content: str) -> str:
    start = content.find('<ul class="counts">')
    return content[start : content.find("</ul>", start)] if start >= 0 else ""


@pytest.mark.django_db
def test_the_report_of_a_rejected_file_says_nothing_was_imported_and_counts_nothing_as_created(staff: Any) -> None:
    # Issue 11, point 15: a file with one bad row said "Created: 3" though nothing was imported.
    result = _import(GOOD + "200004;Piet;Pieters;;31/02/1980;member;;\n")
    content = client_for(staff).get(reverse("members:import_detail", kwargs={"pk": result.pk})).content.decode()
    assert "Nothing was imported because of errors: 1 row has a problem." in content
    assert "3 other rows are correct, but were not imported either." in content
    assert "rows created" not in content and ">created<" not in content
    assert content.count("correct, not imported") == 3
    assert RegisterEntry.objects.count() == 0


@pytest.mark.django_db
def test_the_report_says_exactly_what_was_created_updated_and_left_unchanged(staff: Any) -> None:
    _import(GOOD)
    changed = GOOD.replace("Peeters", "Peeters-Claes") + "200005;Nina;Smets;;;member;;\n"
    result = _import(changed)
    content = client_for(staff).get(reverse("members:import_detail", kwargs={"pk": result.pk})).content.decode()
    counts = _counts(content)
    assert "1 row created" in counts and "1 row updated" in counts
    assert "2 rows unchanged (they already held these values)" in counts
    dry = _import(GOOD.replace("Julien", "Juliette"), dry_run=True)
    content = client_for(staff).get(reverse("members:import_detail", kwargs={"pk": dry.pk})).content.decode()
    assert "2 rows would be updated" in _counts(content)  # Juliette, and Peeters back from Peeters-Claes
    assert "would be updated" in content.split("<tbody>")[1]


@pytest.mark.django_db
def test_an_unclosed_quote_imports_nothing_instead_of_swallowing_rows() -> None:
    text = 'member_number;first_name;last_name;status\n1;"Anne;B;member\n2;C;D;member\n3;E;F;member\n'
    result = _import(text)
    assert not result.applied
    assert RegisterEntry.objects.count() == 0
    assert any("quote" in " ".join(row.get("errors", [])) for row in result.report)


@pytest.mark.django_db
def test_a_cell_far_too_long_is_refused_without_a_server_error() -> None:
    text = 'member_number;first_name;last_name;status\n1;"' + "x" * 200_000 + "\n"
    result = _import(text)
    assert not result.applied
    assert "cannot be read after line" in result.report[0]["errors"][0]


@pytest.mark.django_db
def test_a_null_character_is_refused() -> None:
    result = _import("member_number;first_name;last_name;status\n1;A\x00;B;member\n")
    assert not result.applied
    assert "null character" in result.report[0]["errors"][0]
