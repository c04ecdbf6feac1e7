"""Every change to editions and their parts. Each writes a line of history.

Creating and updating take ``values``: a mapping of field names (one of the
``*_FIELDS`` lists below, translations included) to clean Python values, such
as a form's ``cleaned_data``. Before saving, each service checks the rules
that span fields or rows (``*_rule_errors``; the staff forms show the same
messages next to their fields) and raises ``EditionRuleBroken`` when one is
broken, so a script cannot save what a staff page would refuse.

A part's creation and changes are recorded against the part; its deletion is
recorded against its edition (the part is gone, the edition's history keeps
the trace).
"""

from __future__ import annotations

import copy
import secrets
import zipfile
from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath
from typing import IO, Any, TypeVar

from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coopsip.core.audit import diff, record_change, same_text
from coopsip.editions.models import (
    CurrentEdition,
    Edition,
    FaqItem,
    Phase,
    Resource,
    Theme,
    ThemeOffice,
)
from coopsip.editions.validation import date_range_errors, extension_errors, phase_errors, registration_window_errors

LANGUAGES = ("nl", "fr", "en")
DEFAULT_LANGUAGE = "nl"
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
DEFAULT_LANGUAGE_MISSING = gettext_lazy(
    "Write this in Dutch too: Dutch is the default language the site falls back to."
)

Errors = dict[str, str]
M = TypeVar("M", bound=models.Model)


def translated(*names: str) -> list[str]:
    """The per-language field names of ``names``: title → title_nl, title_fr, title_en."""
    return [f"{name}_{code}" for name in names for code in LANGUAGES]


# The edition's format: who coordinates a group and the balance rules its groups keep (copied with the edition).
FORMAT_FIELDS = [
    "requires_moderator",
    "requires_secretary",
    "requires_board_member",
    "min_stakeholder_types",
    "max_stakeholder_share",
    "max_gender_share",
    "one_theme_per_office",
    "balance_rules_soft",
]
EDITION_FIELDS = [
    "slug",
    "sip_number",
    *translated("title", "intro", "outcomes"),
    "in_belgium",
    "in_france",
    "starts_on",
    "ends_on",
    "registration_opens_at",
    "registration_closes_at",
    "admits_clients",
    "admits_partners",
    "admits_employees",
    "admits_permanent_staff",
    "meetings_expected",
    "meeting_hours",
    "commitment_starts_on",
    "commitment_ends_on",
    "group_size_min",
    "group_size_max",
    "contact_email",
    *FORMAT_FIELDS,
]
PHASE_FIELDS = [
    "kind",
    *translated("title"),
    "starts_on",
    "ends_on",
    "meetings_min",
    "meetings_max",
    *translated("description"),
]
THEME_FIELDS = [
    "slug",
    "position",
    *translated("title", "summary", "challenges"),
    "in_belgium",
    "in_france",
    "extends",
    "to_be_extended",
]
THEME_OFFICE_FIELDS = ["theme", "office", "first_meeting_at"]
RESOURCE_FIELDS = [*translated("title"), "theme", "url", "file", "language", "position"]
FAQ_FIELDS = ["position", *translated("question", "answer")]

# Fields carried from an edition into its copy (translations included).
_COPIED_EDITION_FIELDS = [
    "in_belgium",
    "in_france",
    "admits_clients",
    "admits_partners",
    "admits_employees",
    "admits_permanent_staff",
    "meetings_expected",
    "meeting_hours",
    "group_size_min",
    "group_size_max",
    "contact_email",
    *FORMAT_FIELDS,
    *[f"intro_{code}" for code in ("nl", "fr", "en")],
]


class EditionRuleBroken(Exception):
    """A rule that spans rows was broken; ``errors`` maps field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


# --- Rules checked before every write -----------------------------------------


def _raise_if(errors: Errors) -> None:
    if errors:
        raise EditionRuleBroken(errors)


def _default_language_errors(obj: models.Model, *names: str) -> Errors:
    return {
        f"{name}_{DEFAULT_LANGUAGE}": str(DEFAULT_LANGUAGE_MISSING)
        for name in names
        if not (getattr(obj, f"{name}_{DEFAULT_LANGUAGE}") or "").strip()
    }


def _country_errors(obj: Edition | Theme) -> Errors:
    if not (obj.in_belgium or obj.in_france):
        return {"in_belgium": _("Choose Belgium, France or both.")}
    return {}


def edition_rule_errors(edition: Edition) -> Errors:
    """What is wrong with ``edition`` (saved or not) as it stands in memory."""
    errors = _default_language_errors(edition, "title")
    errors |= _country_errors(edition)
    errors |= date_range_errors(edition.starts_on, edition.ends_on)
    errors |= registration_window_errors(edition.registration_opens_at, edition.registration_closes_at)
    errors |= date_range_errors(
        edition.commitment_starts_on, edition.commitment_ends_on, end_field="commitment_ends_on"
    )
    errors |= edition.format_errors()
    if edition.group_size_min is not None and edition.group_size_min < 2:
        errors["group_size_min"] = _("A group must have at least 2 people.")
    elif edition.group_size_max is not None and edition.group_size_max < (edition.group_size_min or 0):
        errors["group_size_max"] = _("The maximum group size is smaller than the minimum.")
    if edition.pk and edition.starts_on and edition.ends_on and "ends_on" not in errors:
        phases = Phase.objects.filter(edition_id=edition.pk)
        if phases.filter(starts_on__lt=edition.starts_on).exists():
            errors["starts_on"] = _("A phase of this edition starts before this date: move the phase first.")
        if phases.filter(ends_on__gt=edition.ends_on).exists():
            errors["ends_on"] = _("A phase of this edition ends after this date: move the phase first.")
        first_meetings = ThemeOffice.objects.filter(theme__edition_id=edition.pk, first_meeting_at__isnull=False)
        days = [timezone.localdate(at) for at in first_meetings.values_list("first_meeting_at", flat=True)]
        if "starts_on" not in errors and any(day < edition.starts_on for day in days):
            errors["starts_on"] = _("An office's first meeting is before this date: change that first meeting first.")
        if "ends_on" not in errors and any(day > edition.ends_on for day in days):
            errors["ends_on"] = _("An office's first meeting is after this date: change that first meeting first.")
    if edition.pk and edition.starts_on and "starts_on" not in errors:
        # Continuations must keep pointing from a later edition to an earlier one.
        continues_later = Theme.objects.filter(
            edition_id=edition.pk, extends__edition__starts_on__gte=edition.starts_on
        )
        continued_by_earlier = Theme.objects.filter(
            extends__edition_id=edition.pk, edition__starts_on__lte=edition.starts_on
        ).exclude(edition_id=edition.pk)
        if continues_later.exists() or continued_by_earlier.exists():
            errors["starts_on"] = _(
                "With this start, a theme would continue a theme of a later edition. Change the continued theme first."
            )
    return errors


def copy_rule_errors(*, source: Edition, slug: str, title_nl: str, starts_on: date, ends_on: date) -> Errors:
    """What is wrong with copying ``source`` into a new edition with these values."""
    errors: Errors = {}
    if Edition.objects.filter(slug=slug).exists():
        errors["slug"] = _("Another edition already has this short name.")
    if not title_nl.strip():
        errors["title_nl"] = str(DEFAULT_LANGUAGE_MISSING)
    errors |= date_range_errors(starts_on, ends_on)
    if errors.get("ends_on"):
        return errors
    move = date_mover(old_start=source.starts_on, new_start=starts_on)
    for phase in source.phases.all():
        if move(phase.starts_on) < starts_on:
            errors["starts_on"] = _(
                "Moved to the new dates, the phase “%(phase)s” would start on %(date)s, before this date."
            ) % {"phase": phase.display_title, "date": date_format(move(phase.starts_on))}
            break
        if move(phase.ends_on) > ends_on:
            errors["ends_on"] = _(
                "Moved to the new dates, the phase “%(phase)s” would end on %(date)s, after this date."
            ) % {"phase": phase.display_title, "date": date_format(move(phase.ends_on))}
            break
    return errors


def phase_rule_errors(phase: Phase, *, edition: Edition) -> Errors:
    errors = phase_errors(edition, phase.starts_on, phase.ends_on)
    if phase.meetings_min is not None and phase.meetings_max is not None and phase.meetings_max < phase.meetings_min:
        errors["meetings_max"] = _("The maximum number of meetings is smaller than the minimum.")
    return errors


def theme_rule_errors(theme: Theme, *, edition: Edition) -> Errors:
    errors = _default_language_errors(theme, "title")
    errors |= _country_errors(theme)
    if theme.in_belgium and not edition.in_belgium:
        errors["in_belgium"] = _("This edition does not run in Belgium.")
    if theme.in_france and not edition.in_france:
        errors["in_france"] = _("This edition does not run in France.")
    if theme.slug and Theme.objects.filter(edition=edition, slug=theme.slug).exclude(pk=theme.pk).exists():
        errors["slug"] = _("Another theme of this edition already has this short name.")
    extends = theme.extends
    if extends is not None and theme.pk is not None and extends.pk == theme.pk:
        errors["extends"] = _("A theme cannot continue itself.")
    else:
        errors |= extension_errors(edition, extends)
    return errors


def _theme_in_edition_errors(theme: Theme | None, edition: Edition) -> Errors:
    if theme is not None and theme.edition_id != edition.pk:
        return {"theme": _("Choose a theme of this edition.")}
    return {}


def theme_office_rule_errors(theme_office: ThemeOffice, *, edition: Edition) -> Errors:
    theme = theme_office.theme if theme_office.theme_id else None
    errors = _theme_in_edition_errors(theme, edition)
    if theme is not None and theme_office.office_id:
        taken = ThemeOffice.objects.filter(theme=theme, office_id=theme_office.office_id).exclude(pk=theme_office.pk)
        if taken.exists():
            errors["office"] = _("This office is already listed for this theme.")
    errors |= first_meeting_errors(theme_office.first_meeting_at, edition)
    return errors


def first_meeting_errors(first_meeting_at: datetime | None, edition: Edition) -> Errors:
    """An office's first meeting falls within the edition: visitors read it as the start of their group."""
    if first_meeting_at is None or not edition.starts_on or not edition.ends_on:
        return {}
    day = timezone.localdate(first_meeting_at)
    if day < edition.starts_on:
        return {
            "first_meeting_at": _(
                "The first meeting is before the edition starts (%(date)s): groups only meet during the edition. "
                "Check the year, or change the dates of the edition first."
            )
            % {"date": date_format(edition.starts_on)}
        }
    if day > edition.ends_on:
        return {
            "first_meeting_at": _("The first meeting is after the edition ends (%(date)s). Check the year.")
            % {"date": date_format(edition.ends_on)}
        }
    return {}


def resource_rule_errors(resource: Resource, *, edition: Edition) -> Errors:
    errors = _default_language_errors(resource, "title")
    errors |= _theme_in_edition_errors(resource.theme if resource.theme_id else None, edition)
    has_file, has_link = bool(resource.file), bool(resource.url)
    if has_file and has_link:
        errors["url"] = _("Give a link or a file, not both.")
    elif not (has_file or has_link):
        errors["url"] = _("Give a link or choose a file.")
    return errors


def faq_rule_errors(item: FaqItem, *, edition: Edition) -> Errors:
    return _default_language_errors(item, "question", "answer")


# --- Uploads ------------------------------------------------------------------

ALLOWED_UPLOAD_EXTENSIONS = (".pdf", ".odt", ".ods", ".docx", ".xlsx", ".png", ".jpg", ".jpeg", ".txt", ".csv")
_SIGNATURES = {
    ".pdf": b"%PDF-",
    ".png": b"\x89PNG\r\n\x1a\n",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".odt": b"PK\x03\x04",
    ".ods": b"PK\x03\x04",
    ".docx": b"PK\x03\x04",
    ".xlsx": b"PK\x03\x04",
}
_OPEN_DOCUMENT_TYPES = {
    ".odt": b"application/vnd.oasis.opendocument.text",
    ".ods": b"application/vnd.oasis.opendocument.spreadsheet",
}
_OFFICE_OPEN_XML_FOLDERS = {".docx": "word/", ".xlsx": "xl/"}


def _zip_matches(upload: IO[bytes], extension: str) -> bool:
    """An OpenDocument or Office Open XML file is a zip with a known entry inside."""
    try:
        with zipfile.ZipFile(upload) as archive:
            if extension in _OPEN_DOCUMENT_TYPES:
                with archive.open("mimetype") as entry:
                    return entry.read(100).strip() == _OPEN_DOCUMENT_TYPES[extension]
            names = archive.namelist()
            folder = _OFFICE_OPEN_XML_FOLDERS[extension]
            return "[Content_Types].xml" in names and any(name.startswith(folder) for name in names)
    except (zipfile.BadZipFile, KeyError, OSError):
        return False


def upload_error(upload: File[bytes]) -> str | None:
    """Why ``upload`` is refused, or None: an allowed extension, at most 20 MB, content that matches the extension."""
    extension = PurePosixPath(upload.name or "").suffix.lower()
    if extension not in ALLOWED_UPLOAD_EXTENSIONS:
        return _("Choose a PDF, ODT, DOCX, XLSX, ODS, PNG, JPEG, TXT or CSV file.")
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        return _("The file is larger than 20 MB.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if extension in (".txt", ".csv"):
        matches = b"\x00" not in head
    else:
        matches = head.startswith(_SIGNATURES[extension])
        if matches and extension in (*_OPEN_DOCUMENT_TYPES, *_OFFICE_OPEN_XML_FOLDERS):
            matches = _zip_matches(upload, extension)
            upload.seek(0)
    if not matches:
        return _("The content of this file does not match its extension (%(extension)s).") % {"extension": extension}
    return None


def safe_file_name(name: str) -> str:
    """A name that is safe on any disk and in any address: slug of the name, random suffix, same extension."""
    path = PurePosixPath(name.replace("\\", "/"))
    stem = slugify(path.stem)[:60] or "file"
    return f"{stem}-{secrets.token_hex(4)}{path.suffix.lower()}"


def _delete_file_on_commit(file: FieldFile) -> None:
    """Remove a stored file once the change that dropped it is committed (never if it is rolled back)."""
    name, storage = file.name, file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


# --- Generic steps shared by the services below -------------------------------


def _assign(obj: models.Model, values: Mapping[str, Any], allowed: list[str]) -> None:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"Unknown fields for {type(obj).__name__}: {sorted(unknown)}")
    for name, value in values.items():
        setattr(obj, name, value)


def _snapshot(obj: models.Model, fields: list[str]) -> dict[str, str]:
    """Like ``audit.snapshot``, with times in Brussels as staff type them, and NULL the same as ""."""
    values: dict[str, str] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, datetime):
            value = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
        elif isinstance(value, Decimal):
            value = format(value.normalize(), "f")  # 3.0 from the database and 3 from a form are the same
        elif isinstance(value, models.Model):
            value = value.pk  # shown by name in the history (audit.value_in_words)
        elif isinstance(value, str):
            value = same_text(value)  # a browser's CRLF or a trailing newline is not a change
        values[name] = "" if value is None else str(value)
    return values


def _save_created(*, actor: Any, obj: M, fields: list[str]) -> M:
    obj.save()
    after = {name: value for name, value in _snapshot(obj, fields).items() if value}
    record_change(actor=actor, obj=obj, action="created", changes=diff({}, after))
    return obj


def _save_changed(*, actor: Any, obj: M, fields: list[str], before: dict[str, Any]) -> M:
    obj.save()
    changes = diff(before, _snapshot(obj, fields))
    if changes:
        record_change(actor=actor, obj=obj, action="changed", changes=changes)
    return obj


def _locked(obj: M) -> M:
    """A fresh copy of ``obj`` from the database, locked until the transaction ends."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _create_part(
    *,
    actor: Any,
    edition: Edition,
    part: M,
    values: Mapping[str, Any],
    fields: list[str],
    rules: Callable[..., Errors],
) -> M:
    _assign(part, values, fields)
    _raise_if(rules(part, edition=edition))
    return _save_created(actor=actor, obj=part, fields=fields)


def _update_part(
    *, actor: Any, edition: Edition, part: M, values: Mapping[str, Any], fields: list[str], rules: Callable[..., Errors]
) -> M:
    part = _locked(part)
    before = _snapshot(part, fields)
    _assign(part, values, fields)
    _raise_if(rules(part, edition=edition))
    return _save_changed(actor=actor, obj=part, fields=fields, before=before)


def _delete_part(*, actor: Any, edition: Edition, part: models.Model, label: str | Promise) -> None:
    try:
        with transaction.atomic():
            part.delete()
    except models.ProtectedError:
        # e.g. a theme that people chose when they registered
        raise EditionRuleBroken(
            {"__all__": _("People already chose or use this; it cannot be deleted. Change it instead.")}
        ) from None
    record_change(actor=actor, obj=edition, action="part_deleted", changes={str(label): [str(part), None]})


# --- Editions -----------------------------------------------------------------


@transaction.atomic
def create_edition(*, actor: Any, values: Mapping[str, Any]) -> Edition:
    """A new draft edition from ``values`` (names from ``EDITION_FIELDS``)."""
    edition = Edition()
    _assign(edition, values, EDITION_FIELDS)
    _raise_if(edition_rule_errors(edition))
    return _save_created(actor=actor, obj=edition, fields=EDITION_FIELDS)


@transaction.atomic
def update_edition(*, actor: Any, edition: Edition, values: Mapping[str, Any]) -> Edition:
    """Change the settings of ``edition``; its phases must still fit between its dates."""
    edition = _locked(edition)
    before = _snapshot(edition, EDITION_FIELDS)
    _assign(edition, values, EDITION_FIELDS)
    _raise_if(edition_rule_errors(edition))
    # An edition no longer run in a country stops being that country's current edition.
    CurrentEdition.objects.filter(edition=edition).exclude(country__in=edition.countries).delete()
    return _save_changed(actor=actor, obj=edition, fields=EDITION_FIELDS, before=before)


@transaction.atomic
def publish_edition(*, actor: Any, edition: Edition, make_current: bool = True) -> Edition:
    """Publish ``edition`` now: visitors see its pages and it joins the archive.

    With ``make_current`` it also becomes the current edition (the one the home page presents) of
    each of its countries, replacing the edition there. Without it, it only becomes current where
    no edition is current; elsewhere the current edition stays: an edition published ahead of time
    (its registration not open yet) waits until staff make it current (``make_edition_current``),
    so the edition whose registration is open or whose groups are running stays on the home page.
    """
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.published_at is None:
        edition.published_at = timezone.now()
        edition.save(update_fields=["published_at", "updated_at"])
    taken = set(CurrentEdition.objects.filter(country__in=edition.countries).values_list("country", flat=True))
    countries = [code for code in edition.countries if make_current or code not in taken]
    for country in countries:
        CurrentEdition.objects.update_or_create(country=country, defaults={"edition": edition})
    record_change(actor=actor, obj=edition, action="published", changes={"countries": countries})
    return edition


@transaction.atomic
def make_edition_current(*, actor: Any, edition: Edition) -> Edition:
    """Make the published ``edition`` the current edition of each of its countries (the home page presents it)."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.published_at is None:
        raise EditionRuleBroken({"__all__": _("Publish the edition first: visitors cannot see a draft.")})
    for country in edition.countries:
        CurrentEdition.objects.update_or_create(country=country, defaults={"edition": edition})
    record_change(actor=actor, obj=edition, action="made_current", changes={"countries": edition.countries})
    return edition


@transaction.atomic
def unpublish_edition(*, actor: Any, edition: Edition) -> Edition:
    """Take ``edition`` back to draft; the country it was current in keeps no current edition."""
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    edition.published_at = None
    edition.save(update_fields=["published_at", "updated_at"])
    CurrentEdition.objects.filter(edition=edition).delete()
    record_change(actor=actor, obj=edition, action="unpublished")
    return edition


def date_mover(*, old_start: date, new_start: date) -> Callable[[date], date]:
    """How the dates of a copied edition move: by whole years when the new one starts in
    another year (1 March stays 1 March across a 29 February), else by days."""
    years = new_start.year - old_start.year
    if years == 0:
        delta = new_start - old_start
        return lambda day: day + delta

    def by_years(day: date) -> date:
        try:
            return day.replace(year=day.year + years)
        except ValueError:  # 29 February in a year without one
            return day.replace(year=day.year + years, day=28)

    return by_years


def _shift(day: date | None, move: Callable[[date], date]) -> date | None:
    return None if day is None else move(day)


@transaction.atomic
def copy_edition(
    *,
    actor: Any,
    source: Edition,
    slug: str,
    titles: dict[str, str],
    starts_on: date,
    ends_on: date,
) -> Edition:
    """A new draft edition from ``source``.

    It takes over the settings, the FAQ and the phases (moved by as many days
    as the new start is after the old one; they must still fit before the new
    end), and a copy of every theme marked *extend into the next edition*,
    each pointing to the theme it continues. Public sessions, resources and
    the registration window are not copied: they change every year.
    """
    _raise_if(
        copy_rule_errors(source=source, slug=slug, title_nl=titles.get("nl", ""), starts_on=starts_on, ends_on=ends_on)
    )
    move = date_mover(old_start=source.starts_on, new_start=starts_on)
    edition = Edition(slug=slug, starts_on=starts_on, ends_on=ends_on)
    for name in _COPIED_EDITION_FIELDS:
        setattr(edition, name, getattr(source, name))
    for code, title in titles.items():
        setattr(edition, f"title_{code}", title)
    edition.commitment_starts_on = _shift(source.commitment_starts_on, move)
    edition.commitment_ends_on = _shift(source.commitment_ends_on, move)
    edition.save()
    for phase in source.phases.all():
        phase.pk = None
        phase.edition = edition
        phase.starts_on = move(phase.starts_on)
        phase.ends_on = move(phase.ends_on)
        phase.save()
    for item in source.faq.all():
        item.pk = None
        item.edition = edition
        item.save()
    for position, theme in enumerate(source.themes.filter(to_be_extended=True), start=1):
        old_pk = theme.pk
        theme.pk = None
        theme.edition = edition
        theme.position = position
        theme.extends_id = old_pk
        theme.to_be_extended = False
        theme.save()
    record_change(actor=actor, obj=edition, action="created", changes={"copied_from": source.slug})
    return edition


# --- Phases -------------------------------------------------------------------


@transaction.atomic
def create_phase(*, actor: Any, edition: Edition, values: Mapping[str, Any]) -> Phase:
    """A phase of ``edition``, within its dates (phases may overlap each other)."""
    return _create_part(
        actor=actor,
        edition=edition,
        part=Phase(edition=edition),
        values=values,
        fields=PHASE_FIELDS,
        rules=phase_rule_errors,
    )


@transaction.atomic
def update_phase(*, actor: Any, phase: Phase, values: Mapping[str, Any]) -> Phase:
    return _update_part(
        actor=actor, edition=phase.edition, part=phase, values=values, fields=PHASE_FIELDS, rules=phase_rule_errors
    )


@transaction.atomic
def delete_phase(*, actor: Any, phase: Phase) -> None:
    _delete_part(actor=actor, edition=phase.edition, part=phase, label=_("phase"))


# --- Themes and their offices -------------------------------------------------


@transaction.atomic
def create_theme(*, actor: Any, edition: Edition, values: Mapping[str, Any]) -> Theme:
    """A theme of ``edition``; it may continue a theme of an earlier edition."""
    return _create_part(
        actor=actor,
        edition=edition,
        part=Theme(edition=edition),
        values=values,
        fields=THEME_FIELDS,
        rules=theme_rule_errors,
    )


@transaction.atomic
def update_theme(*, actor: Any, theme: Theme, values: Mapping[str, Any]) -> Theme:
    return _update_part(
        actor=actor, edition=theme.edition, part=theme, values=values, fields=THEME_FIELDS, rules=theme_rule_errors
    )


@transaction.atomic
def delete_theme(*, actor: Any, theme: Theme) -> None:
    """Delete ``theme`` with its offices and resources (and their files); later themes stop continuing it."""
    for resource in theme.resources.exclude(file=""):
        _delete_file_on_commit(resource.file)
    _delete_part(actor=actor, edition=theme.edition, part=theme, label=_("theme"))


@transaction.atomic
def create_theme_office(*, actor: Any, edition: Edition, values: Mapping[str, Any]) -> ThemeOffice:
    """An office that runs a group on a theme of ``edition``, with its first meeting if known."""
    return _create_part(
        actor=actor,
        edition=edition,
        part=ThemeOffice(),
        values=values,
        fields=THEME_OFFICE_FIELDS,
        rules=theme_office_rule_errors,
    )


@transaction.atomic
def update_theme_office(*, actor: Any, theme_office: ThemeOffice, values: Mapping[str, Any]) -> ThemeOffice:
    return _update_part(
        actor=actor,
        edition=theme_office.theme.edition,
        part=theme_office,
        values=values,
        fields=THEME_OFFICE_FIELDS,
        rules=theme_office_rule_errors,
    )


@transaction.atomic
def delete_theme_office(*, actor: Any, theme_office: ThemeOffice) -> None:
    _delete_part(actor=actor, edition=theme_office.theme.edition, part=theme_office, label=_("office of a theme"))


# --- Resources ----------------------------------------------------------------


def edition_of_resource(resource: Resource) -> Edition:
    return resource.edition if resource.edition_id else resource.theme.edition  # type: ignore[return-value,union-attr]


def _resource_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Check a new upload and give it a safe name; a cleared file becomes empty."""
    values = dict(values)
    upload = values.get("file")
    if upload is False or upload is None:
        values["file"] = ""
    elif isinstance(upload, UploadedFile):
        error = upload_error(upload)
        if error:
            raise EditionRuleBroken({"file": error})
        upload.name = safe_file_name(upload.name or "file")
    return values


def _attach(resource: Resource, edition: Edition) -> None:
    # A resource belongs to one theme of the edition, or else to the edition itself.
    resource.edition = None if resource.theme_id else edition


@transaction.atomic
def create_resource(*, actor: Any, edition: Edition, values: Mapping[str, Any]) -> Resource:
    """A link or an uploaded file for ``edition`` or, when ``values["theme"]`` is set, for that theme.

    An uploaded file must pass ``upload_error`` and is stored under a safe generated name.
    """
    values = _resource_values(values)
    resource = Resource(edition=edition)
    _assign(resource, values, RESOURCE_FIELDS)
    _attach(resource, edition)
    _raise_if(resource_rule_errors(resource, edition=edition))
    return _save_created(actor=actor, obj=resource, fields=RESOURCE_FIELDS)


@transaction.atomic
def update_resource(*, actor: Any, resource: Resource, values: Mapping[str, Any]) -> Resource:
    """Change ``resource``; a replaced or cleared file is removed from storage once the change is committed."""
    values = _resource_values(values)
    resource = _locked(resource)
    edition = edition_of_resource(resource)
    old_file = copy.copy(resource.file)
    before = _snapshot(resource, RESOURCE_FIELDS)
    _assign(resource, values, RESOURCE_FIELDS)
    _attach(resource, edition)
    _raise_if(resource_rule_errors(resource, edition=edition))
    _save_changed(actor=actor, obj=resource, fields=RESOURCE_FIELDS, before=before)
    if old_file.name and old_file.name != resource.file.name:
        _delete_file_on_commit(old_file)
    return resource


@transaction.atomic
def delete_resource(*, actor: Any, resource: Resource) -> None:
    _delete_file_on_commit(resource.file)
    _delete_part(actor=actor, edition=edition_of_resource(resource), part=resource, label=_("resource"))


# --- FAQ ------------------------------------------------------------------------


@transaction.atomic
def create_faq_item(*, actor: Any, edition: Edition, values: Mapping[str, Any]) -> FaqItem:
    """A question and its answer in the FAQ of ``edition``."""
    return _create_part(
        actor=actor,
        edition=edition,
        part=FaqItem(edition=edition),
        values=values,
        fields=FAQ_FIELDS,
        rules=faq_rule_errors,
    )


@transaction.atomic
def update_faq_item(*, actor: Any, item: FaqItem, values: Mapping[str, Any]) -> FaqItem:
    return _update_part(
        actor=actor, edition=item.edition, part=item, values=values, fields=FAQ_FIELDS, rules=faq_rule_errors
    )


@transaction.atomic
def delete_faq_item(*, actor: Any, item: FaqItem) -> None:
    _delete_part(actor=actor, edition=item.edition, part=item, label=_("question and answer"))
