"""Reading the CSV files staff upload, as Belgian and French spreadsheet programs write them.

UTF-8 with or without a byte order mark, separated by semicolons, commas or
tabs, with headers in English, Dutch or French. ``read_csv_table`` checks the
file as a whole (encoding, header, required columns) and hands back each row
as {column: value} with its line number; what a row means is up to the
importer that calls it (the member register, registrations).
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

Aliases = Mapping[str, Collection[str]]

# A big cooperative's export stays well under this; more is a mistake or an abuse.
MAX_ROWS = 200_000
# Free-text columns where a line break inside quotes is legitimate.
MULTILINE_COLUMNS = frozenset({"notes", "experience", "message"})


@dataclass
class CsvTable:
    """A file read into rows; ``file_errors`` set means there are no rows to trust."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, {column: stripped value})
    bad_lines: list[tuple[int, str]] = field(default_factory=list)  # (line, why), lines that cannot be read
    file_errors: list[str] = field(default_factory=list)
    columns: frozenset[str] = frozenset()  # the known columns the file has
    notes: list[str] = field(default_factory=list)  # what was ignored, for the report


def fold(text: str) -> str:
    """Lower case without accents: "Prénom" and "prenom" name the same column."""
    decomposed = unicodedata.normalize("NFKD", text.strip().strip("\ufeff").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normalise_header(name: str, aliases: Aliases) -> str:
    name = fold(name).replace(" ", "_").replace("'", "_")
    for canonical, names in aliases.items():
        if name in names:
            return canonical
    return name


def lookup(value: str, aliases: Aliases) -> str | None:
    """The canonical value that ``value`` is a name of (case and accents ignored), or None."""
    value = fold(value)
    for canonical, names in aliases.items():
        if value in names or value in {fold(name) for name in names}:
            return canonical
    return None


def decode_utf8(data: bytes) -> str:
    """The text of ``data``; raises ValueError(line) with the line of the first byte that is not UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ValueError(line) from error


def read_csv_table(data: bytes, *, required: Sequence[str], optional: Sequence[str], aliases: Aliases) -> CsvTable:
    """Read ``data`` into rows keyed by canonical column names; never raises on bad content.

    A file that cannot be read as a whole (not UTF-8, empty, a column twice,
    a required column missing, no rows) gets ``file_errors`` and no rows.
    Blank lines are skipped; a line with the wrong number of fields is listed
    in ``bad_lines``.
    """
    result = CsvTable()
    try:
        text = decode_utf8(data)
    except ValueError as error:
        result.file_errors.append(
            _(
                "The file is not in UTF-8 (first unreadable character on line %(line)s). "
                "Save it again as “CSV UTF-8” and import it again."
            )
            % {"line": error.args[0]}
        )
        return result
    if not text.strip():
        result.file_errors.append(_("The file is empty."))
        return result
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        result.file_errors.append(
            _("Line %(line)s holds a null character: this is not a text file. Export it again as CSV.") % {"line": line}
        )
        return result
    first_line = text.splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        headers = [normalise_header(h, aliases) for h in next(reader)]
    except csv.Error:
        result.file_errors.append(_("The first line cannot be read as CSV."))
        return result
    duplicates = sorted({h for h in headers if headers.count(h) > 1 and h})
    if duplicates:
        result.file_errors.append(
            _("These columns appear twice: %(columns)s. Keep one of each.") % {"columns": ", ".join(duplicates)}
        )
        return result
    known = set(required) | set(optional)
    unknown = [h for h in headers if h and h not in known]
    if unknown:
        result.notes.append(
            _("These columns are not used and were ignored: %(columns)s.") % {"columns": ", ".join(unknown)}
        )
    result.columns = frozenset(h for h in headers if h in known)
    missing = [column for column in required if column not in headers]
    if missing:
        result.file_errors.append(
            _("These required columns are missing: %(columns)s. The first line must name the columns.")
            % {"columns": ", ".join(missing)}
        )
        return result
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error:
            result.file_errors.append(
                _(
                    'The file cannot be read after line %(line)s: a quote (") is probably not closed, '
                    "or a cell is far too long. Nothing was imported."
                )
                % {"line": reader.line_num}
            )
            return result
        # The line where the row ends: right even after a quoted field that spans lines.
        line_number = reader.line_num
        if len(result.rows) + len(result.bad_lines) >= MAX_ROWS:
            result.file_errors.append(_("The file has more than %(count)s rows: split it.") % {"count": MAX_ROWS})
            return result
        if not any(v.strip() for v in values):
            continue  # blank lines are common at the end of exports
        if len(values) != len(headers):
            why = ngettext(
                "This line has %(found)s field, but the header has %(expected)s.",
                "This line has %(found)s fields, but the header has %(expected)s.",
                len(values),
            ) % {"found": len(values), "expected": len(headers)}
            result.bad_lines.append((line_number, why))
            continue
        row = {h: v.strip() for h, v in zip(headers, values, strict=True)}
        spilled = [h for h, v in row.items() if "\n" in v and h not in MULTILINE_COLUMNS]
        if spilled:
            why = _(
                'A cell of this row runs over several lines (column %(column)s): a quote (") is probably '
                "not closed, and the next rows would be swallowed."
            ) % {"column": spilled[0]}
            result.bad_lines.append((line_number, why))
            continue
        result.rows.append((line_number, row))
    if not result.rows and not result.bad_lines:
        result.file_errors.append(_("The file has a header but no rows."))
    return result
