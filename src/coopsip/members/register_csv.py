"""Reading a CSV export of the membership system, row by row, without touching the database.

The parser accepts what Belgian and French spreadsheet programs write: UTF-8
with or without a byte order mark, separated by semicolons, commas or tabs,
with headers in English, Dutch or French. It returns clean rows and, for each
bad row, the line number and every problem found, so staff can fix the file
in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from coopsip.core.csvfiles import lookup, read_csv_table

REQUIRED_COLUMNS = ("member_number", "first_name", "last_name", "status")
OPTIONAL_COLUMNS = ("email", "date_of_birth", "stakeholder_types", "member_since")

_HEADER_ALIASES = {
    "member_number": {
        "member_number",
        "lidnummer",
        "vennootnummer",
        "numero_associe",
        "numero_d_associe",
        "numero_membre",
    },
    "first_name": {"first_name", "voornaam", "prenom"},
    "last_name": {"last_name", "achternaam", "naam", "nom"},
    "email": {"email", "e-mail", "e_mail", "courriel", "mail"},
    "date_of_birth": {"date_of_birth", "geboortedatum", "date_de_naissance"},
    "status": {"status", "membership_status", "statuut", "statut"},
    "stakeholder_types": {"stakeholder_types", "stakeholder_type", "type", "types"},
    "member_since": {"member_since", "lid_sinds", "vennoot_sinds", "membre_depuis", "associe_depuis"},
}
_STATUS_ALIASES = {
    "member": {"member", "vennoot", "associe", "associé", "membre", "lid"},
    "user": {"user", "non-member", "non_member", "gebruiker", "utilisateur", "utilisatrice"},
}
_STAKEHOLDER_ALIASES = {
    "client": {"client", "klant", "cliente"},
    "partner": {"partner", "partenaire"},
    "employee": {"employee", "werknemer", "employe", "employé", "salarie", "salarié"},
    "permanent_staff": {"permanent_staff", "permanent staff", "vaste medewerker", "personnel permanent", "staff"},
}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_MEMBER_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9./-]{0,29}$")


@dataclass(frozen=True)
class RegisterRow:
    member_number: str
    first_name: str
    last_name: str
    email: str
    date_of_birth: date | None
    status: str
    stakeholder_types: frozenset[str]
    member_since: date | None


@dataclass
class RowError:
    line: int
    member_number: str
    errors: list[str]


@dataclass
class ParsedFile:
    rows: list[tuple[int, RegisterRow]] = field(default_factory=list)
    row_errors: list[RowError] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    columns: frozenset[str] = frozenset()  # the known columns the file has
    notes: list[str] = field(default_factory=list)  # what was ignored, for the report

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.row_errors


def _parse_date(value: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007 (a calendar date, no time)
        except ValueError:
            continue
    raise ValueError(value)


def parse_register_csv(data: bytes, *, today: date) -> ParsedFile:
    """Parse and validate a whole file; never raises on bad content."""
    table = read_csv_table(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS, aliases=_HEADER_ALIASES)
    result = ParsedFile(file_errors=table.file_errors, columns=table.columns, notes=table.notes)
    result.row_errors = [RowError(line, "", [why]) for line, why in table.bad_lines]
    seen: dict[str, int] = {}
    for line_number, raw in table.rows:
        row, errors = _validate_row(raw, today=today)
        number = raw.get("member_number", "")
        if number and number in seen:
            errors.append(
                _("Member number %(number)s is also on line %(line)s.") % {"number": number, "line": seen[number]}
            )
        elif number:
            seen[number] = line_number
        if errors or row is None:
            result.row_errors.append(RowError(line_number, number, errors))
        else:
            result.rows.append((line_number, row))
    result.row_errors.sort(key=lambda error: error.line)
    return result


def _validate_row(raw: dict[str, str], *, today: date) -> tuple[RegisterRow | None, list[str]]:
    errors: list[str] = []
    number = raw.get("member_number", "")
    if not number:
        errors.append(_("The member number is empty."))
    elif not _MEMBER_NUMBER.match(number):
        errors.append(_("The member number “%(value)s” has characters that are not allowed.") % {"value": number})
    # Whole sentences per column: translators need them to agree in gender.
    name_messages = {
        "first_name": (_("The first name is empty."), _("The first name is longer than 150 characters.")),
        "last_name": (_("The last name is empty."), _("The last name is longer than 150 characters.")),
    }
    for column, (empty, too_long) in name_messages.items():
        if not raw.get(column):
            errors.append(empty)
        elif len(raw[column]) > 150:
            errors.append(too_long)
    email = raw.get("email", "").lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(_("“%(value)s” is not a valid email address.") % {"value": raw["email"]})
    status = lookup(raw.get("status", ""), _STATUS_ALIASES)
    if status is None:
        errors.append(
            _("The status “%(value)s” is unknown; use “member” or “user”.") % {"value": raw.get("status", "")}
        )
    types: set[str] = set()
    for part in re.split(r"[|,/]", raw.get("stakeholder_types", "")):
        if not part.strip():
            continue
        kind = lookup(part, _STAKEHOLDER_ALIASES)
        if kind is None:
            errors.append(
                _("The stakeholder type “%(value)s” is unknown; use client, partner, employee or permanent_staff.")
                % {"value": part.strip()}
            )
        else:
            types.add(kind)
    dates: dict[str, date | None] = {}
    date_messages = {
        "date_of_birth": (
            _("The date of birth “%(value)s” is not a date; write it as 31/12/1980 or 1980-12-31."),
            _("The date of birth “%(value)s” is not possible."),
        ),
        "member_since": (
            _("The member-since date “%(value)s” is not a date; write it as 31/12/2015 or 2015-12-31."),
            _("The member-since date “%(value)s” is not possible."),
        ),
    }
    for column, (not_a_date, impossible) in date_messages.items():
        value = raw.get(column, "")
        dates[column] = None
        if not value:
            continue
        try:
            parsed = _parse_date(value)
        except ValueError:
            errors.append(not_a_date % {"value": value})
            continue
        if parsed > today or parsed.year < 1900:
            errors.append(impossible % {"value": value})
            continue
        dates[column] = parsed
    if errors or status is None:
        return None, errors
    return (
        RegisterRow(
            member_number=number,
            first_name=raw["first_name"],
            last_name=raw["last_name"],
            email=email,
            date_of_birth=dates["date_of_birth"],
            status=status,
            stakeholder_types=frozenset(types),
            member_since=dates["member_since"],
        ),
        [],
    )
