"""The open-data ZIP: CSV files of public records and aggregated figures, with a README of every column.

Built from ``public_records`` (the same allow-listed rows as the API) and from the
statistics tables (the small-group rule applied: ``<5``). Texts are in English column
names; translated content has one column per language (``title_nl``, ``title_fr``,
``title_en``). The ZIP is kept in the shared cache: rebuilt by ``manage.py
build_open_data`` (nightly at 03:30, from ``run_scheduler``), by staff
on demand, and on the first download after the cache lost it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from coopsip.stats import presentation, public_records, selectors

CACHE_KEY = "stats:opendata:zip:v1"
CACHE_SECONDS = 26 * 3600  # a nightly rebuild replaces it before it expires
LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LANGUAGES = ("nl", "fr", "en")
# One README per language: the column descriptions translated (the column names stay the same).
READMES = {"en": "README.md", "nl": "README.nl.md", "fr": "README.fr.md"}
Text = str | Promise


@dataclass(frozen=True)
class DataFile:
    name: str
    description: Text
    columns: tuple[tuple[str, Text], ...]  # (name, what it holds), translated in each README


def _per_language(name: str, what: Text) -> tuple[tuple[str, Text], ...]:
    return tuple((f"{name}_{code}", format_lazy("{} ({})", what, code)) for code in LANGUAGES)


FILES: tuple[DataFile, ...] = (
    DataFile(
        "editions.csv",
        _l("Every published edition of Smart in Progress since 2015."),
        (
            ("slug", _l("identifier of the edition, e.g. 2020-2021")),
            ("sip_number", _l("SIP#n, empty when not numbered")),
            *_per_language("title", _l("title")),
            ("starts_on", _l("first day (YYYY-MM-DD)")),
            ("ends_on", _l("last day (YYYY-MM-DD)")),
            ("countries", _l("BE, FR or BE FR")),
        ),
    ),
    DataFile(
        "themes.csv",
        _l("The themes of the published editions."),
        (
            ("id", _l("identifier of the theme")),
            ("edition", _l("slug of its edition")),
            ("slug", _l("short name of the theme in its edition")),
            ("position", _l("order within the edition")),
            *_per_language("title", _l("title")),
            ("countries", _l("BE, FR or BE FR")),
            ("continues_theme", _l("id of the earlier theme it continues, or empty")),
        ),
    ),
    DataFile(
        "phases.csv",
        _l("The phases of each published edition."),
        (
            ("id", _l("identifier of the phase")),
            ("edition", _l("slug of its edition")),
            (
                "kind",
                _l(
                    "preparation, registration, group_forming, study, ideas, experts, recommendations, "
                    "test_projects, group_work, board or other"
                ),
            ),
            *_per_language("title", _l("title (the kind when empty)")),
            ("starts_on", _l("first day")),
            ("ends_on", _l("last day")),
        ),
    ),
    DataFile(
        "public_events.csv",
        _l("Events open to everyone (info sessions, networking moments); never members' events or group meetings."),
        (
            ("id", _l("identifier of the event")),
            *_per_language("title", _l("title")),
            ("kind", _l("info_session, networking, partner_meeting or other")),
            ("format", _l("format of the event")),
            ("language", _l("language spoken, empty when several")),
            ("starts_at", _l("start (ISO 8601 with offset)")),
            ("ends_at", _l("end (ISO 8601 with offset)")),
            ("attendance", _l("in_person, online or hybrid")),
            ("place", _l("name of the place")),
            ("address", _l("address of the place")),
            ("edition", _l("slug of the edition it belongs to, or empty")),
            ("cancelled", _l("true when cancelled")),
        ),
    ),
    DataFile(
        "recommendations.csv",
        _l("Recommendations whose board decision is published, with their decision and the status of their project."),
        (
            ("id", _l("identifier of the recommendation")),
            ("edition", _l("slug of the edition")),
            ("theme", _l("id of the theme (themes.csv)")),
            ("title", _l("title, in the language it was written in")),
            ("language", _l("nl, fr or en")),
            ("need", _l("the need it answers (Markdown)")),
            ("proposal", _l("the proposal (Markdown)")),
            ("actions", _l("concrete actions (Markdown)")),
            ("office", _l("office of the group that wrote it, empty for video groups and the archive")),
            ("decision_id", _l("id of the board's decision (decisions.csv)")),
            ("decision", _l("accepted, accepted_with_changes, postponed, rejected or already_under_way")),
        ),
    ),
    DataFile(
        "decisions.csv",
        _l("The board's published decisions (one decision may answer several recommendations through a synthesis)."),
        (
            ("id", _l("identifier of the decision")),
            ("decision", _l("accepted, accepted_with_changes, postponed, rejected or already_under_way")),
            ("meeting_date", _l("date of the board meeting")),
            ("published_at", _l("when it was published")),
            *_per_language("answer", _l("the board's answer (Markdown)")),
            ("recommendations", _l("ids of the recommendations it answers, separated by spaces")),
        ),
    ),
    DataFile(
        "projects.csv",
        _l("The follow-up projects of published decisions that are shown in public."),
        (
            ("id", _l("identifier of the project")),
            ("decision_id", _l("id of the decision (decisions.csv)")),
            *_per_language("title", _l("title")),
            ("status", _l("planned, under_way, done or stopped")),
            ("progress", _l("progress in percent")),
            ("started_on", _l("start date, or empty")),
            ("ended_on", _l("end date, or empty")),
            ("link", _l("link to what came of it")),
        ),
    ),
    DataFile(
        "participation.csv",
        _l(
            "Aggregated participation per edition. People counts of 1 to 4 read <5 (small-group rule). "
            "An empty figure is not known (the team did not record it for an edition before the platform)."
        ),
        (
            ("edition", _l("title of the edition (English)")),
            ("source", _l("on the platform, recorded by the team (editions before the platform), or no data")),
            ("registrations", _l("registrations (not withdrawn), or <5")),
            ("placed", _l("people who accepted a place in a group, or <5")),
            ("groups", _l("groups that became active")),
            ("meetings_held", _l("group meetings held (not cancelled, in the past)")),
            ("attendance_rate", _l("present / (present + absent) at group meetings, in percent; empty under 5")),
            ("recommendations_submitted", _l("recommendations the groups gave to the team")),
            ("recommendations_decided", _l("recommendations with a published decision")),
            ("test_projects", _l("approved, running or evaluated test projects")),
        ),
    ),
)


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else presentation.csv_cell(v) for v in row])  # type: ignore[arg-type]
    return buffer.getvalue().encode("utf-8")


def _translated(obj: object, name: str) -> list[object]:
    return [getattr(obj, f"{name}_{code}", "") or "" for code in LANGUAGES]


def _files() -> dict[str, Callable[[], bytes]]:
    def editions() -> bytes:
        return _csv(
            [c for c, _ in FILES[0].columns],
            (
                [e.slug, e.sip_number, *_translated(e, "title"), e.starts_on, e.ends_on, " ".join(e.countries)]
                for e in public_records.editions()
            ),
        )

    def themes() -> bytes:
        return _csv(
            [c for c, _ in FILES[1].columns],
            (
                [
                    t.pk,
                    t.edition.slug,
                    t.slug,
                    t.position,
                    *_translated(t, "title"),
                    " ".join(t.countries),
                    t.extends_id,
                ]
                for t in public_records.themes()
            ),
        )

    def phases() -> bytes:
        return _csv(
            [c for c, _ in FILES[2].columns],
            (
                [p.pk, p.edition.slug, p.kind, *_translated(p, "title"), p.starts_on, p.ends_on]
                for p in public_records.phases()
            ),
        )

    def events() -> bytes:
        rows = []
        for event in public_records.public_events():
            row = public_records.event_row(event)
            rows.append(
                [
                    row["id"],
                    *_translated(event, "title"),
                    row["kind"],
                    row["format"],
                    row["language"],
                    row["starts_at"],
                    row["ends_at"],
                    row["attendance"],
                    row["place"],
                    row["address"],
                    row["edition"],
                    str(row["cancelled"]).lower(),
                ]
            )
        return _csv([c for c, _ in FILES[3].columns], rows)

    recommendation_rows = public_records.recommendation_rows(list(public_records.recommendations()))

    def recommendations() -> bytes:
        return _csv(
            [c for c, _ in FILES[4].columns],
            (
                [
                    r["id"],
                    r["edition"],
                    r["theme"],
                    r["title"],
                    r["language"],
                    r["need"],
                    r["proposal"],
                    r["actions"],
                    r["office"],
                    r["decision"]["id"] if r["decision"] else None,
                    r["decision"]["decision"] if r["decision"] else None,
                ]
                for r in recommendation_rows
            ),
        )

    answered = public_records.decisions_by_recommendation(recommendation_rows)

    def decisions() -> bytes:
        from coopsip.recommendations.models import BoardDecision

        found = BoardDecision.objects.filter(pk__in=answered, published_at__isnull=False).order_by("pk")
        return _csv(
            [c for c, _ in FILES[5].columns],
            (
                [
                    d.pk,
                    d.decision,
                    d.meeting_date,
                    d.published_at.isoformat() if d.published_at else None,
                    *_translated(d, "answer"),
                    " ".join(str(pk) for pk in answered[d.pk]),
                ]
                for d in found
            ),
        )

    def projects() -> bytes:
        return _csv(
            [c for c, _ in FILES[6].columns],
            (
                [
                    p.pk,
                    p.decision_id,
                    *_translated(p, "title"),
                    p.status,
                    p.progress,
                    p.started_on,
                    p.ended_on,
                    p.link,
                ]
                for p in public_records.public_projects().filter(decision_id__in=answered).order_by("pk")
            ),
        )

    def participation() -> bytes:
        table = presentation.overview_table(selectors.compute_overview())
        return _csv(table.columns, table.rows)

    return {
        "editions.csv": editions,
        "themes.csv": themes,
        "phases.csv": phases,
        "public_events.csv": events,
        "recommendations.csv": recommendations,
        "decisions.csv": decisions,
        "projects.csv": projects,
        "participation.csv": participation,
    }


def readme(language: str = "en") -> str:
    """The data dictionary in ``language``: licence, markers, every file and column."""
    with translation.override(language):
        lines = [
            "# " + _("coopsip open data"),
            "",
            _("Built on %(moment)s UTC. Licence: %(licence)s.")
            % {"moment": f"{timezone.now():%Y-%m-%d %H:%M}", "licence": LICENCE},
            _("Attribution: Smart in Progress, the participatory process of the cooperative Smart."),
            "",
            _("CSV files in UTF-8, comma-separated, one header line with the column names below."),
            _("Only public records: no file holds a person's name, email address or any other personal field."),
            _("Counts of people from 1 to 4 are given as <5 (small-group rule); 0 is given as 0."),
            _(
                "Where a column adds up to a total, one more count is given as x, so that a count under 5 "
                "cannot be worked out by subtraction."
            ),
            _("The same description in other languages: %(files)s.")
            % {"files": ", ".join(name for code, name in READMES.items() if code != language)},
            "",
        ]
        for data_file in FILES:
            lines += [f"## {data_file.name}", "", str(data_file.description), ""]
            lines += [f"- `{name}`: {what}" for name, what in data_file.columns]
            lines.append("")
    return "\n".join(lines)


def build_zip() -> bytes:
    """The ZIP's bytes (English interface words in the participation table)."""
    buffer = io.BytesIO()
    with translation.override("en"), zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for language, name in READMES.items():
            archive.writestr(name, readme(language))
        for name, build in _files().items():
            archive.writestr(name, build())
    return buffer.getvalue()


def rebuild() -> bytes:
    data = build_zip()
    cache.set(CACHE_KEY, data, CACHE_SECONDS)
    return data


def cached_zip() -> bytes:
    data: bytes | None = cache.get(CACHE_KEY)
    return data if data is not None else rebuild()
