"""Reading the input folder and writing groups.json (the file contract of docs/formation.md)."""

# The lambdas handed to _cell are called at once, inside the loop that defines them.
# ruff: noqa: B023

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import asdict, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from .model import (
    LANGUAGES,
    MODES,
    ROLES,
    SLOTS,
    Group,
    Member,
    Office,
    Params,
    Problem,
    Registrant,
    Solution,
    Theme,
    Weights,
)

T = TypeVar("T")

OFFICE_COLUMNS = ("id", "name", "country", "lat", "lon")
THEME_COLUMNS = ("id", "name", "countries")
REGISTRANT_COLUMNS = (
    "id",
    "country",
    "office",
    "lat",
    "lon",
    "languages",
    "mode",
    "slots",
    "prefs",
    "roles",
    "stakeholder",
    "gender",
)


class InputError(ValueError):
    """Unreadable input; the message names the file, and the row and column when there is one."""


class _CellError(ValueError):
    pass


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _float(value: str, *, lo: float, hi: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise _CellError(f'"{value}" is not a number') from None
    if not math.isfinite(number) or not lo <= number <= hi:
        raise _CellError(f'"{value}" is not between {lo:g} and {hi:g}')
    return number


def _choices(value: str, allowed: tuple[str, ...], what: str, *, expected: str) -> frozenset[str]:
    items = _split(value)
    for item in items:
        if item not in allowed:
            raise _CellError(f'"{item}" is not {what} (expected {expected})')
    return frozenset(items)


def _rows(path: Path, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    name = path.name
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror})") from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if header is None:
                raise InputError(f"{name}: the file is empty (expected the header {','.join(columns)})")
            header = [column.strip() for column in header]
            missing = [column for column in columns if column not in header]
            if missing:
                raise InputError(f"{name}, row 1: missing column(s) {', '.join(missing)}")
            for number, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) != len(header):
                    raise InputError(f"{name}, row {number}: {len(row)} values for {len(header)} columns")
                yield number, {key: value.strip() for key, value in zip(header, row, strict=True)}
        except csv.Error as error:
            raise InputError(f"{name}, row {reader.line_num}: {error}") from None
        except UnicodeDecodeError:
            raise InputError(f"{name}: not UTF-8 text") from None


def _cell(name: str, number: int, column: str, parse: Callable[[], T]) -> T:
    try:
        return parse()
    except _CellError as error:
        raise InputError(f'{name}, row {number}, column "{column}": {error}') from None


def _required(value: str) -> str:
    if not value:
        raise _CellError("is empty")
    return value


def read_offices(path: Path) -> tuple[Office, ...]:
    offices: list[Office] = []
    seen: set[str] = set()
    for n, row in _rows(path, OFFICE_COLUMNS):
        office_id = _cell(path.name, n, "id", lambda: _unique(_required(row["id"]), seen))
        offices.append(
            Office(
                id=office_id,
                name=row["name"] or office_id,
                country=_cell(path.name, n, "country", lambda: _required(row["country"]).upper()),
                lat=_cell(path.name, n, "lat", lambda: _float(row["lat"], lo=-90, hi=90)),
                lon=_cell(path.name, n, "lon", lambda: _float(row["lon"], lo=-180, hi=180)),
            )
        )
    return tuple(offices)


def _unique(value: str, seen: set[str]) -> str:
    if value in seen:
        raise _CellError(f'"{value}" appears twice')
    seen.add(value)
    return value


def read_themes(path: Path) -> tuple[Theme, ...]:
    themes: list[Theme] = []
    seen: set[str] = set()
    for n, row in _rows(path, THEME_COLUMNS):
        theme_id = _cell(path.name, n, "id", lambda: _unique(_required(row["id"]), seen))
        countries = _cell(
            path.name, n, "countries", lambda: frozenset(c.upper() for c in _split(_required(row["countries"])))
        )
        themes.append(Theme(id=theme_id, name=row["name"] or theme_id, countries=countries))
    return tuple(themes)


def read_registrants(path: Path, offices: tuple[Office, ...], themes: tuple[Theme, ...]) -> tuple[Registrant, ...]:
    office_ids = {office.id for office in offices}
    theme_ids = {theme.id for theme in themes}
    people: list[Registrant] = []
    seen: set[str] = set()
    name = path.name
    for n, row in _rows(path, REGISTRANT_COLUMNS):

        def office(row: dict[str, str] = row) -> str | None:
            if row["office"] and row["office"] not in office_ids:
                raise _CellError(f'"{row["office"]}" is not an office of offices.csv')
            return row["office"] or None

        def coordinates(row: dict[str, str] = row) -> tuple[float | None, float | None]:
            if not row["lat"] and not row["lon"]:
                return None, None
            return _float(row["lat"], lo=-90, hi=90), _float(row["lon"], lo=-180, hi=180)

        def prefs(row: dict[str, str] = row) -> tuple[str, ...]:
            items = _split(row["prefs"])
            if not 1 <= len(items) <= 3:
                raise _CellError(f"{len(items)} themes given (expected 1 to 3 theme ids, best first)")
            for item in items:
                if item not in theme_ids:
                    raise _CellError(f'"{item}" is not a theme of themes.csv')
            if len(set(items)) != len(items):
                raise _CellError("a theme is listed twice")
            return tuple(items)

        def mode(row: dict[str, str] = row) -> Any:
            if row["mode"] not in MODES:
                raise _CellError(f'"{row["mode"]}" is not a mode (expected in_person, video or either)')
            return row["mode"]

        lat, lon = _cell(name, n, "lat", coordinates)
        people.append(
            Registrant(
                id=_cell(name, n, "id", lambda: _unique(_required(row["id"]), seen)),
                country=_cell(name, n, "country", lambda: _required(row["country"]).upper()),
                office=_cell(name, n, "office", office),
                lat=lat,
                lon=lon,
                languages=_cell(
                    name,
                    n,
                    "languages",
                    lambda: _choices(row["languages"], LANGUAGES, "a language", expected="nl, fr or en"),
                ),
                mode=_cell(name, n, "mode", mode),
                slots=_cell(
                    name,
                    n,
                    "slots",
                    lambda: _choices(row["slots"], SLOTS, "a slot", expected="mon_am … sun_ev"),
                ),
                prefs=_cell(name, n, "prefs", prefs),
                roles=_cell(
                    name,
                    n,
                    "roles",
                    lambda: _choices(row["roles"], ROLES, "a role", expected="moderator, secretary or board"),
                ),
                stakeholder=row["stakeholder"] or None,
                gender=row["gender"] or None,
            )
        )
    return tuple(people)


def read_params(path: Path) -> Params:
    """Read params.json; missing keys take their defaults, unknown keys are refused."""
    if not path.exists():
        return Params()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{path.name}: not valid JSON ({error})") from None
    if not isinstance(data, dict):
        raise InputError(f"{path.name}: expected a JSON object")
    return params_from_dict(data, source=path.name)


def params_from_dict(data: Mapping[str, Any], *, source: str = "params") -> Params:
    known = {f.name for f in fields(Params)}
    values: dict[str, Any] = {}
    defaults = Params()
    for key, value in data.items():
        if key not in known:
            raise InputError(f'{source}, key "{key}": unknown (expected one of {", ".join(sorted(known))})')
        if key == "weights":
            values[key] = _weights(value, source)
            continue
        default = getattr(defaults, key)
        values[key] = _param(key, value, default, source)
    params = Params(**values)
    if not 2 <= params.min_size <= params.max_size:
        raise InputError(f'{source}, key "min_size": must be at least 2 and at most max_size')
    for key in ("max_gender_share", "max_stakeholder_share"):
        share = getattr(params, key)
        if share is not None and not 0 < share <= 1:
            raise InputError(f'{source}, key "{key}": must be a share between 0 and 1')
    return params


def _param(key: str, value: Any, default: Any, source: str) -> Any:
    if key in ("max_gender_share", "max_stakeholder_share", "min_stakeholder_types", "work"):
        if value is None:
            return None
        kind: type = int if key == "min_stakeholder_types" else float
    else:
        kind = type(default)
    if kind is bool:
        if not isinstance(value, bool):
            raise InputError(f'{source}, key "{key}": expected true or false, got {json.dumps(value)}')
        return value
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InputError(f'{source}, key "{key}": expected a whole number ≥ 0, got {json.dumps(value)}')
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InputError(f'{source}, key "{key}": expected a number ≥ 0, got {json.dumps(value)}')
    return float(value)


def _weights(value: Any, source: str) -> Weights:
    if not isinstance(value, dict):
        raise InputError(f'{source}, key "weights": expected an object')
    known = {f.name for f in fields(Weights)}
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key not in known:
            raise InputError(f'{source}, key "weights.{key}": unknown (expected one of {", ".join(sorted(known))})')
        if key == "rank":
            if not (isinstance(item, list) and len(item) == 3 and all(isinstance(x, int | float) for x in item)):
                raise InputError(f'{source}, key "weights.rank": expected three numbers (1st, 2nd, 3rd choice)')
            result[key] = tuple(float(x) for x in item)
        elif isinstance(item, bool) or not isinstance(item, int | float) or item < 0:
            raise InputError(f'{source}, key "weights.{key}": expected a number ≥ 0')
        else:
            result[key] = float(item)
    return Weights(**result)


def read_problem(folder: Path) -> tuple[Problem, Params]:
    """Read offices.csv, themes.csv, registrants.csv and params.json (optional) from ``folder``."""
    if not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    offices = read_offices(folder / "offices.csv")
    themes = read_themes(folder / "themes.csv")
    registrants = read_registrants(folder / "registrants.csv", offices, themes)
    params = read_params(folder / "params.json")
    return Problem(offices=offices, themes=themes, registrants=registrants), params


def write_problem(folder: Path, problem: Problem, params: Params) -> None:
    """Write ``problem`` as an input folder (used by the benchmark and the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "offices.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(OFFICE_COLUMNS)
        for o in problem.offices:
            writer.writerow([o.id, o.name, o.country, f"{o.lat:.6f}", f"{o.lon:.6f}"])
    with (folder / "themes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(THEME_COLUMNS)
        for t in problem.themes:
            writer.writerow([t.id, t.name, ";".join(sorted(t.countries))])
    with (folder / "registrants.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(REGISTRANT_COLUMNS)
        for r in problem.registrants:
            writer.writerow(
                [
                    r.id,
                    r.country,
                    r.office or "",
                    "" if r.lat is None else f"{r.lat:.6f}",
                    "" if r.lon is None else f"{r.lon:.6f}",
                    ";".join(lang for lang in LANGUAGES if lang in r.languages),
                    r.mode,
                    ";".join(slot for slot in SLOTS if slot in r.slots),
                    ";".join(r.prefs),
                    ";".join(role for role in ROLES if role in r.roles),
                    r.stakeholder or "",
                    r.gender or "",
                ]
            )
    data = asdict(params)
    data["weights"]["rank"] = list(params.weights.rank)
    (folder / "params.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def solution_to_dict(solution: Solution) -> dict[str, Any]:
    groups = []
    for group in solution.groups:
        item: dict[str, Any] = {"id": group.id, "theme": group.theme, "mode": group.mode}
        if group.mode == "in_person":
            item["office"] = group.office
        item.update(
            language=group.language,
            slot=group.slot,
            members=[{"id": m.id, "role": m.role} for m in group.members],
        )
        groups.append(item)
    unassigned = [
        {"id": u.id, "reason": u.reason, "code": u.code, "params": dict(u.params)} for u in solution.unassigned
    ]
    return {"groups": groups, "unassigned": unassigned, "report": dict(solution.report)}


def write_solution(path: Path, solution: Solution) -> None:
    path.write_text(json.dumps(solution_to_dict(solution), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def read_solution(path: Path, problem: Problem) -> Solution:
    """Read a groups.json written by ``write_solution`` (a previous run) for ``problem``.

    Every group must name a theme, an office (in person) or none (video), a language, a
    slot and members with a role; people no longer in ``problem`` are dropped (they left
    since), a group left without members is dropped too."""
    name = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(f"{name}: cannot be read ({error.strerror})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError(f"{name}: not valid JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("groups"), list):
        raise InputError(f'{name}: expected an object with a list "groups"')
    themes = {t.id for t in problem.themes}
    offices = {o.id for o in problem.offices}
    people = {p.id for p in problem.registrants}
    groups: list[Group] = []
    seen: set[str] = set()
    for number, item in enumerate(data["groups"], start=1):
        where = f"{name}, group {number}"

        def need(key: str, allowed: Collection[str] | None = None, item: Any = item, where: str = where) -> str:
            value = item.get(key) if isinstance(item, dict) else None
            if not isinstance(value, str) or not value:
                raise InputError(f'{where}: "{key}" is missing')
            if allowed is not None and value not in allowed:
                raise InputError(f'{where}: "{key}" is "{value}", which the input does not have')
            return value

        gid = need("id")
        where = f'{name}, group "{gid}"'
        if gid in seen:
            raise InputError(f"{where}: the id is used twice")
        seen.add(gid)
        mode = need("mode", ("in_person", "video"), where=where)
        office = need("office", offices, where=where) if mode == "in_person" else None
        members: list[Member] = []
        raw = item.get("members")
        if not isinstance(raw, list):
            raise InputError(f'{where}: "members" is missing')
        for member in raw:
            if not isinstance(member, dict) or not isinstance(member.get("id"), str):
                raise InputError(f"{where}: a member without an id")
            role = member.get("role", "participant")
            if role not in ("moderator", "secretary", "board", "participant"):
                raise InputError(
                    f'{where}: "{role}" is not a role (expected moderator, secretary, board or participant)'
                )
            if member["id"] in people:
                members.append(Member(member["id"], role))
        if members:
            groups.append(
                Group(
                    id=gid,
                    theme=need("theme", themes, where=where),
                    mode=mode,  # type: ignore[arg-type]
                    office=office,
                    language=need("language", LANGUAGES, where=where),
                    slot=need("slot", SLOTS, where=where),
                    members=tuple(members),
                )
            )
    report: dict[str, Any] = data["report"] if isinstance(data.get("report"), dict) else {}
    return Solution(groups=tuple(groups), unassigned=(), report=report)


def read_locks(path: Path, previous: Solution) -> tuple[list[Group], list[Group]]:
    """locks.csv (``group,person``): a row without a person keeps the whole group as it is;
    with a person, that person stays in that group in their role (others may join). Returns
    (whole groups, groups with only their locked people)."""
    groups = {g.id: g for g in previous.groups}
    whole: list[str] = []
    people: dict[str, list[str]] = {}
    for number, row in _rows(path, ("group", "person")):
        gid = _cell(path.name, number, "group", lambda: _required(row["group"]))
        if gid not in groups:
            raise InputError(f'{path.name}, row {number}, column "group": "{gid}" is not a group of the previous run')
        person = row["person"]
        if not person:
            whole.append(gid)
            continue
        if person not in {m.id for m in groups[gid].members}:
            raise InputError(f'{path.name}, row {number}, column "person": "{person}" is not in group "{gid}"')
        people.setdefault(gid, []).append(person)
    kept = [groups[gid] for gid in dict.fromkeys(whole)]
    locked = [
        replace(groups[gid], members=tuple(m for m in groups[gid].members if m.id in ids))
        for gid, ids in people.items()
        if gid not in whole
    ]
    return kept, locked


def read_declined(path: Path, problem: Problem) -> list[str]:
    """declined.csv (``person``): the people who declined their group, in order."""
    known = {p.id for p in problem.registrants}
    declined: list[str] = []
    for number, row in _rows(path, ("person",)):
        person = _cell(path.name, number, "person", lambda: _required(row["person"]))
        if person not in known:
            raise InputError(f'{path.name}, row {number}, column "person": "{person}" is not a registrant')
        declined.append(person)
    return list(dict.fromkeys(declined))
