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

from django.db.models import QuerySet
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


# What a row needs from a registration, its person and their home, read as plain values: at 5,000 registrations,
# building model instances and their prefetched preferences and slots took seconds (bench/registrations_export.py).
_ROW_VALUES = (
    "pk",
    "user__first_name",
    "user__last_name",
    "user__email",
    "user__register_entry__member_number",
    "office_id",
    "municipality__postcode",
    "municipality__name",
    "municipality__latitude",
    "municipality__longitude",
    "municipality__country",
    "mode",
    "languages",
    "volunteers_as_moderator",
    "volunteers_as_secretary",
    "volunteer_experience",
    "stakeholder_type",
    "gender",
    "status",
    "source",
    "created_at",
    "notes",
)


def _row(
    values: tuple[Any, ...],
    preferences: dict[int, tuple[str, str]],
    slots: list[tuple[int, str]],
    offices: dict[int, str],
) -> dict[str, str]:
    """One registration as {column: text}, before escaping: ``values`` as ``_ROW_VALUES`` lists them,
    ``preferences`` {rank: (theme slug, theme title)}, ``slots`` [(weekday, part)]."""
    (pk, first_name, last_name, email, member_number, office_id, postcode, place, latitude, longitude, country,
     mode, languages, moderator, secretary, experience, stakeholder_type, gender, status, source, created_at,
     notes) = values  # fmt: skip
    themes: dict[str, str] = {}
    for rank in range(1, MAX_PREFERENCES + 1):
        themes[f"theme_{rank}"], themes[f"theme_{rank}_title"] = preferences.get(rank, ("", ""))
    row: dict[str, Any] = {
        "registration_id": pk,
        "member_number": member_number or "",
        "first_name": first_name,
        "last_name": last_name,
        "email": email,
        "office": offices.get(office_id, "") if office_id else "",
        "postcode": postcode or "",
        "place": place or "",
        "latitude": latitude,
        "longitude": longitude,
        "country": country or "",
        **themes,
        "mode": mode,
        "languages": "|".join(languages),
        "slots": "|".join(slot_code(weekday, part) for weekday, part in slots),
        "moderator": moderator,
        "secretary": secretary,
        "experience": experience,
        "stakeholder_type": stakeholder_type,
        "gender": gender,
        "status": status,
        "source": source,
        "registered_at": localtime(created_at, BRUSSELS).strftime("%Y-%m-%d %H:%M"),
        "notes": notes,
    }
    return {column: _text(row[column]) for column in COLUMNS}


EXPORT_CHUNK = 500  # registrations read from the database at a time


def export_rows(registrations: QuerySet[Registration], *, chunk: int = EXPORT_CHUNK) -> Iterator[dict[str, str]]:
    """Each of ``registrations``, in its order, as {column: text} (before escaping), read ``chunk`` at a time.

    The same queries whatever the number of registrations: the offices' names once (translated: in the reader's
    language), then per chunk its registrations with their person and home, their theme preferences, their time
    slots, and the names of the themes not seen yet (the first chunk reads the edition's few themes).
    """
    from coopsip.places.models import Office

    offices = {office.pk: office.name for office in Office.objects.all()}
    themes: dict[int, tuple[str, str]] = {}
    batch: list[tuple[Any, ...]] = []
    for values in registrations.values_list(*_ROW_VALUES).iterator(chunk_size=chunk):
        batch.append(values)
        if len(batch) == chunk:
            yield from _rows(batch, offices, themes)
            batch = []
    if batch:
        yield from _rows(batch, offices, themes)


def _rows(
    batch: list[tuple[Any, ...]], offices: dict[int, str], themes: dict[int, tuple[str, str]]
) -> Iterator[dict[str, str]]:
    from coopsip.editions.models import Theme
    from coopsip.registrations.models import AvailabilitySlot, ThemePreference

    ids = [values[0] for values in batch]
    chosen = list(
        ThemePreference.objects.filter(registration_id__in=ids).values_list("registration_id", "rank", "theme_id")
    )
    unknown = {theme_id for _pk, _rank, theme_id in chosen} - themes.keys()
    if unknown:
        themes.update((theme.pk, (theme.slug, theme.title)) for theme in Theme.objects.filter(pk__in=unknown))
    preferences: dict[int, dict[int, tuple[str, str]]] = {pk: {} for pk in ids}
    for pk, rank, theme_id in chosen:
        preferences[pk][rank] = themes[theme_id]
    slots: dict[int, list[tuple[int, str]]] = {pk: [] for pk in ids}
    for pk, weekday, part in AvailabilitySlot.objects.filter(registration_id__in=ids).values_list(
        "registration_id", "weekday", "part"
    ):
        slots[pk].append((weekday, part))
    for values in batch:
        yield _row(values, preferences[values[0]], slots[values[0]], offices)


class _Echo:
    def write(self, value: str) -> str:
        return value


def export_lines(rows: Iterable[dict[str, str]]) -> Iterator[str]:
    """The CSV file line by line: the byte order mark and the header, then a line per row of ``export_rows``."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    yield "\ufeff" + writer.writerow(COLUMNS)
    for row in rows:
        yield writer.writerow([escape_cell(row[column]) for column in COLUMNS])


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


def export_csv(registrations: QuerySet[Registration]) -> bytes:
    buffer = io.StringIO()
    buffer.writelines(export_lines(export_rows(registrations)))
    return buffer.getvalue().encode("utf-8")
