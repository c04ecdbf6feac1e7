"""The registrations of an edition as a CSV file that Excel opens as it should.

UTF-8 with a byte order mark (else Excel reads it as Windows-1252),
semicolons (the list separator of Belgian and French Excel), CRLF line ends.
Any text cell that Excel could take for a formula is escaped with a leading
single quote; the import removes that quote again, so an export can be
imported back unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.utils.timezone import localtime

from coopsip.editions.phases import BRUSSELS
from coopsip.registrations.models import MAX_PREFERENCES, Registration

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

COLUMNS: tuple[str, ...] = (
    "registration_id",
    "member_number",
    "first_name",
    "last_name",
    "email",
    "office",
    "postcode",
    "place",
    "latitude",
    "longitude",
    "country",
    *[f"theme_{rank}{suffix}" for rank in range(1, MAX_PREFERENCES + 1) for suffix in ("", "_title")],
    "mode",
    "languages",
    "slots",
    "moderator",
    "secretary",
    "experience",
    "stakeholder_type",
    "gender",
    "status",
    "source",
    "registered_at",
    "notes",
)


def escape_cell(value: str) -> str:
    """``value`` made safe for a spreadsheet: a cell that could start a formula gets a leading quote.

    A plain number ("-4.35") cannot be a formula and stays as it is, so that
    negative coordinates remain numbers.
    """
    stripped = value.lstrip(" \n")
    if (stripped.startswith(FORMULA_STARTS) or value[:1] in {"|", "\n"}) and not _PLAIN_NUMBER.match(value):
        return "'" + value
    return value


def slot_code(weekday: int, part: str) -> str:
    """ "mon-evening": the way slots are written in exports and imports."""
    return f"{DAY_CODES[weekday]}-{part}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def registration_row(registration: Registration) -> dict[str, str]:
    """One registration as {column: text}, before escaping."""
    user = registration.user
    entry = getattr(user, "register_entry", None)
    place = registration.municipality
    preferences = list(registration.preferences.all())
    themes: dict[str, str] = {}
    for rank in range(1, MAX_PREFERENCES + 1):
        preference = next((p for p in preferences if p.rank == rank), None)
        themes[f"theme_{rank}"] = preference.theme.slug if preference else ""
        themes[f"theme_{rank}_title"] = preference.theme.title if preference else ""
    values: dict[str, Any] = {
        "registration_id": registration.pk,
        "member_number": entry.member_number if entry else "",
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "office": registration.office.name if registration.office else "",
        "postcode": place.postcode if place else "",
        "place": place.name if place else "",
        "latitude": place.latitude if place else None,
        "longitude": place.longitude if place else None,
        "country": place.country if place else "",
        **themes,
        "mode": registration.mode,
        "languages": "|".join(registration.languages),
        "slots": "|".join(slot_code(s.weekday, s.part) for s in registration.slots.all()),
        "moderator": registration.volunteers_as_moderator,
        "secretary": registration.volunteers_as_secretary,
        "experience": registration.volunteer_experience,
        "stakeholder_type": registration.stakeholder_type,
        "gender": registration.gender,
        "status": registration.status,
        "source": registration.source,
        "registered_at": localtime(registration.created_at, BRUSSELS).strftime("%Y-%m-%d %H:%M"),
        "notes": registration.notes,
    }
    return {column: _text(values[column]) for column in COLUMNS}


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_lines(registrations: Iterable[Registration]) -> Iterator[str]:
    """The CSV file line by line, starting with the byte order mark and the header."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff" + writer.writerow(COLUMNS)
    for registration in registrations:
        row = registration_row(registration)
        yield writer.writerow([escape_cell(row[column]) for column in COLUMNS])


EXPORT_CHUNK = 500  # registrations read from the database at a time


def encoded_chunks(lines: Iterable[str], *, size: int = 64 * 1024) -> Iterator[bytes]:
    """``lines`` as UTF-8 pieces of about ``size`` bytes, for a streamed answer."""
    buffer: list[str] = []
    length = 0
    for line in lines:
        buffer.append(line)
        length += len(line)
        if length >= size:
            yield "".join(buffer).encode("utf-8")
            buffer, length = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def export_csv(registrations: Iterable[Registration]) -> bytes:
    buffer = io.StringIO()
    buffer.writelines(export_lines(registrations))
    return buffer.getvalue().encode("utf-8")
