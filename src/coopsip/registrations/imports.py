"""Registrations collected on paper or through another form, imported by staff from a CSV file.

Like the import of the member register: every row is checked first, and the
file is imported as a whole or not at all, with a report that names each bad
line and why. Rows go through ``submit_registration`` (the same rules as the
online form) except for the registration window: staff may import after it
closes. The person must still be allowed to take part, and the commitments
count as accepted on paper, in the words of the edition.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopsip.accounts.models import User
from coopsip.core.audit import record_change
from coopsip.core.csvfiles import Aliases, fold, lookup, read_csv_table
from coopsip.editions.models import Edition, Theme
from coopsip.members.models import RegisterEntry
from coopsip.places.models import Country, Office
from coopsip.registrations.eligibility import person_refusal, window_refusal
from coopsip.registrations.exports import FORMULA_STARTS
from coopsip.registrations.models import (
    MAX_PREFERENCES,
    CommitmentKind,
    DayPart,
    MeetingMode,
    Registration,
    RegistrationStatus,
    Source,
    ThemePreference,
)
from coopsip.registrations.services import (
    SPOKEN,
    RegistrationInput,
    RegistrationInvalid,
    RegistrationRefused,
    answers_in,
    answers_of,
    person_country,
    registration_errors,
    submit_registration,
)

THEME_COLUMNS = tuple(f"theme_{rank}" for rank in range(1, MAX_PREFERENCES + 1))
REQUIRED_COLUMNS = ("theme_1", "mode", "languages", "slots")
OPTIONAL_COLUMNS = (
    "email",
    "member_number",
    "theme_2",
    "theme_3",
    "office",
    "moderator",
    "secretary",
    "experience",
    "notes",
    "status",
)

_HEADER_ALIASES: Aliases = {
    "email": {"email", "e-mail", "e_mail", "email_address", "courriel", "mail"},
    "member_number": {"member_number", "lidnummer", "vennootnummer", "numero_associe", "numero_d_associe"},
    "theme_1": {"theme_1", "theme1", "thema_1", "thema1", "first_choice", "eerste_keuze", "premier_choix"},
    "theme_2": {"theme_2", "theme2", "thema_2", "thema2", "second_choice", "tweede_keuze", "deuxieme_choix"},
    "theme_3": {"theme_3", "theme3", "thema_3", "thema3", "third_choice", "derde_keuze", "troisieme_choix"},
    "mode": {"mode", "how_to_meet", "wijze", "manier", "modalite"},
    "languages": {"languages", "language", "talen", "taal", "langues", "langue"},
    "slots": {"slots", "availability", "beschikbaarheid", "momenten", "disponibilites", "creneaux"},
    "moderator": {"moderator", "moderateur", "moderatrice"},
    "secretary": {"secretary", "secretaris", "secretaire"},
    "experience": {"experience", "ervaring"},
    "notes": {"notes", "note", "opmerkingen", "remarques", "remarks", "comments"},
    "office": {"office", "kantoor", "bureau"},
    "status": {"status", "statuut", "statut"},
}
_MODES: Aliases = {
    MeetingMode.IN_PERSON: {
        "in_person",
        "in person",
        "in-person",
        "fysiek",
        "in persoon",
        "ter plaatse",
        "en personne",
    },
    MeetingMode.VIDEO: {"video", "video only", "by video only", "enkel video", "alleen video", "online", "en ligne"},
    MeetingMode.EITHER: {"either", "both", "beide", "allebei", "om het even", "les deux", "indifferent", "peu importe"},
}
_LANGUAGE_NAMES: Aliases = {
    "nl": {"nederlands", "dutch", "neerlandais", "vlaams"},
    "fr": {"frans", "french", "francais"},
    "en": {"engels", "english", "anglais"},
    "de": {"duits", "german", "allemand", "deutsch"},
    "es": {"spaans", "spanish", "espagnol"},
    "it": {"italiaans", "italian", "italien"},
}
_LANGUAGES: Aliases = {code: {code, *_LANGUAGE_NAMES.get(code, set())} for code in SPOKEN}
_DAYS: Aliases = {
    "0": {"mon", "monday", "ma", "maandag", "lun", "lundi"},
    "1": {"tue", "tuesday", "di", "dinsdag", "mar", "mardi"},
    "2": {"wed", "wednesday", "wo", "woensdag", "mer", "mercredi"},
    "3": {"thu", "thursday", "do", "donderdag", "jeu", "jeudi"},
    "4": {"fri", "friday", "vr", "vrijdag", "ven", "vendredi"},
    "5": {"sat", "saturday", "za", "zaterdag", "sam", "samedi"},
    "6": {"sun", "sunday", "zo", "zondag", "dim", "dimanche"},
}
_PARTS: Aliases = {
    DayPart.MORNING: {"morning", "ochtend", "voormiddag", "matin"},
    DayPart.AFTERNOON: {"afternoon", "namiddag", "middag", "apres-midi", "apresmidi"},
    DayPart.EVENING: {"evening", "avond", "soir", "soiree"},
}
_YES_NO: Aliases = {
    "yes": {"yes", "y", "ja", "j", "oui", "o", "x", "1", "true", "vrai"},
    "no": {"no", "n", "nee", "neen", "non", "0", "false", "faux", ""},
}
_STATUSES: Aliases = {
    RegistrationStatus.SUBMITTED: {"", "submitted", "ingeschreven", "inscrit", "inscrite"},
    RegistrationStatus.WITHDRAWN: {"withdrawn", "teruggetrokken", "ingetrokken", "retire", "retiree", "desiste"},
}

ALL_COMMITMENTS = frozenset(CommitmentKind.values)


@dataclass(frozen=True)
class ReportRow:
    line: int | None  # None: about the whole file
    who: str  # the email address or member number of the row
    action: str  # created, updated, unchanged, skipped, rejected, note
    messages: tuple[str, ...] = ()


@dataclass
class ImportReport:
    """What an import did, or would do (``dry_run``), row by row."""

    file_name: str
    dry_run: bool
    applied: bool = False
    rows: list[ReportRow] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created_count(self) -> int:
        return self.count("created")

    @property
    def updated_count(self) -> int:
        return self.count("updated")

    @property
    def unchanged_count(self) -> int:
        return self.count("unchanged")

    @property
    def skipped_count(self) -> int:
        return self.count("skipped")

    @property
    def rejected_count(self) -> int:
        return self.count("rejected")


@dataclass
class _Plan:
    line: int
    who: str
    user: Any
    data: RegistrationInput
    existing: Registration | None
    action: str
    changed: list[str]


@dataclass
class _Lookups:
    """Everything the rows refer to, read in a few queries before any row is checked."""

    themes: dict[str, Theme]
    offices: dict[str, Office]
    users_by_email: dict[str, Any]
    entries: dict[str, RegisterEntry]
    existing: dict[int, Registration]


def _unescape(value: str) -> str:
    """Remove the quote the export puts before a cell that looks like a formula."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def _names(*values: str) -> set[str]:
    return {fold(value) for value in values if value}


def _load(edition: Edition, rows: list[tuple[int, dict[str, str]]]) -> _Lookups:
    themes: dict[str, Theme] = {}
    for theme in Theme.objects.filter(edition=edition):
        for name in _names(theme.slug, theme.title_nl, theme.title_fr, theme.title_en):  # type: ignore[attr-defined]
            themes.setdefault(name, theme)
    offices: dict[str, Office] = {}
    for office in Office.objects.all():
        for name in _names(office.slug, office.name_nl, office.name_fr, office.name_en):  # type: ignore[attr-defined]
            offices.setdefault(name, office)
    emails = {raw.get("email", "").lower() for _line, raw in rows} - {""}
    numbers = {raw.get("member_number", "") for _line, raw in rows} - {""}
    users = User.objects.select_related("register_entry", "office", "municipality")
    users_by_email = {
        user.email.lower(): user for user in users.annotate(email_lower=Lower("email")).filter(email_lower__in=emails)
    }
    entries = {
        entry.member_number: entry
        for entry in RegisterEntry.objects.filter(member_number__in=numbers).select_related(
            "user__office", "user__municipality"
        )
    }
    user_ids = {u.pk for u in users_by_email.values()} | {e.user_id for e in entries.values() if e.user_id}
    existing = {
        registration.user_id: registration
        for registration in Registration.objects.filter(edition=edition, user_id__in=user_ids).prefetch_related(
            Prefetch("preferences", ThemePreference.objects.order_by("rank")), "slots", "commitments"
        )
    }
    return _Lookups(themes, offices, users_by_email, entries, existing)


_STAFF_REFUSALS = {
    "not_linked": lambda: _(
        "This person's account is not linked to the member register, so they cannot take part yet."
    ),
    "members_only": lambda: _(
        "This edition is open to members only, and the register does not list this person as one."
    ),
    "not_admitted": lambda: _(
        "This edition is open to members and some stakeholders, and the register lists this person as neither."
    ),
}


def _person(raw: Mapping[str, str], found: _Lookups, errors: list[str]) -> Any:
    email = raw.get("email", "").lower()
    number = raw.get("member_number", "")
    by_email = found.users_by_email.get(email) if email else None
    entry = found.entries.get(number) if number else None
    if not email and not number:
        errors.append(_("Give the email address of the person's account or their member number."))
        return None
    if email and by_email is None:
        errors.append(_("No account has the email address “%(value)s”.") % {"value": raw["email"]})
        return None
    if number and entry is None:
        errors.append(_("Member number %(number)s is not in the member register.") % {"number": number})
        return None
    if entry is not None and entry.user is None:
        errors.append(
            _("Member number %(number)s is not linked to an account: the person must create one first.")
            % {"number": number}
        )
        return None
    user = by_email or (entry.user if entry else None)
    if by_email is not None and entry is not None and entry.user_id != by_email.pk:
        errors.append(_("The email address and the member number belong to two different people."))
        return None
    if user is None or not user.is_active or user.deleted_at is not None:
        errors.append(_("This account is closed."))
        return None
    return user


def _choice(value: str, aliases: Aliases, message: str, errors: list[str]) -> str | None:
    found = lookup(value, aliases)
    if found is None:
        errors.append(message % {"value": value})
    return found


def _themes(raw: Mapping[str, str], found: _Lookups, country: str, errors: list[str]) -> list[Theme]:
    themes: list[Theme] = []
    for column in THEME_COLUMNS:
        value = raw.get(column, "")
        if not value:
            continue
        theme = found.themes.get(fold(value))
        if theme is None:
            errors.append(_("The theme “%(value)s” is not a theme of this edition.") % {"value": value})
        elif theme in themes:
            errors.append(_("The theme “%(value)s” is chosen twice.") % {"value": value})
        elif country not in theme.countries:
            errors.append(
                _("The theme “%(theme)s” does not run in %(country)s, where this person lives.")
                % {"theme": theme.title, "country": Country(country).label}
            )
        else:
            themes.append(theme)
    if not raw.get("theme_1"):
        errors.append(_("The first choice of theme (theme_1) is empty."))
    return themes


def _languages(value: str, errors: list[str]) -> list[str]:
    codes: list[str] = []
    unknown = _("The language “%(value)s” is unknown; use codes such as nl, fr, en.")
    for part in re.split(r"[|,;/+\s]+", value):
        code = _choice(part, _LANGUAGES, unknown, errors) if part else None
        if code and code not in codes:
            codes.append(code)
    if not value.strip():
        errors.append(_("No language is given."))
    return codes


def _slots(value: str, errors: list[str]) -> list[tuple[int, str]]:
    slots: list[tuple[int, str]] = []
    for part in re.split(r"[|,;/]+", value):
        part = fold(part)
        if not part:
            continue
        day_name, _sep, part_name = re.sub(r"[\s_]+", "-", part).partition("-")
        day, time = lookup(day_name, _DAYS), lookup(part_name, _PARTS)
        if day is None or time is None:
            errors.append(
                _("The time slot “%(value)s” is unknown; write it as mon-evening or wed-morning.") % {"value": part}
            )
        elif (int(day), time) not in slots:
            slots.append((int(day), time))
    if not value.strip():
        errors.append(_("No time slot is given: the person must be able to meet at least once a week."))
    return slots


def _yes(raw: Mapping[str, str], column: str, default: bool, errors: list[str]) -> bool:
    if column not in raw:
        return default
    answer = _choice(raw[column], _YES_NO, _("“%(value)s” is neither yes nor no."), errors)
    return answer == "yes"


def _input(raw: Mapping[str, str], user: Any, found: _Lookups, errors: list[str]) -> RegistrationInput | None:
    """The answers of a row, as the form would give them; a column missing from the file keeps what was there."""
    existing = found.existing.get(user.pk)
    if existing is not None and existing.status == RegistrationStatus.WITHDRAWN:
        # Their choice stands: an import never registers someone who withdrew.
        errors.append(_("This person withdrew their registration; only they can register again."))
        return None
    municipality = existing.municipality if existing else user.municipality
    country = person_country(municipality=municipality)
    themes = _themes(raw, found, country, errors)
    mode = None
    if not raw.get("mode"):
        errors.append(_("How the person wants to meet (mode) is empty; use in_person, video or either."))
    else:
        mode = _choice(
            raw["mode"], _MODES, _("The mode “%(value)s” is unknown; use in_person, video or either."), errors
        )
    languages = _languages(raw.get("languages", ""), errors)
    slots = _slots(raw.get("slots", ""), errors)
    office = existing.office if existing else user.office
    if raw.get("office"):
        office = found.offices.get(fold(raw["office"]))
        if office is None:
            errors.append(_("The office “%(value)s” is unknown.") % {"value": raw["office"]})
    moderator = _yes(raw, "moderator", existing.volunteers_as_moderator if existing else False, errors)
    secretary = _yes(raw, "secretary", existing.volunteers_as_secretary if existing else False, errors)
    experience = raw.get("experience", existing.volunteer_experience if existing else "")
    notes = raw.get("notes", existing.notes if existing else "")
    if len(experience) > 500:
        errors.append(_("The experience is longer than 500 characters."))
    if len(notes) > 2000:
        errors.append(_("The notes are longer than 2000 characters."))
    if errors or mode is None:
        return None
    return RegistrationInput(
        theme_ids=[theme.pk for theme in themes],
        mode=mode,
        office=office,
        municipality=municipality,
        languages=languages,
        slots=slots,
        volunteers_as_moderator=moderator,
        volunteers_as_secretary=secretary,
        volunteer_experience=experience,
        volunteers_as_board_member=existing.volunteers_as_board_member if existing else False,
        accepted=ALL_COMMITMENTS,
        stakeholder_type=existing.stakeholder_type if existing else user.stakeholder_type,
        gender=existing.gender if existing else user.gender,
        notes=notes,
    )


def _change_labels() -> dict[str, str]:
    """How the report names what a row changes, in the staff member's language."""
    return {
        "status": _("status (withdrawn before)"),
        "themes": _("themes"),
        "mode": _("how to meet"),
        "office": _("office"),
        "municipality": _("home municipality"),
        "languages": _("languages"),
        "slots": _("time slots"),
        "moderator": _("volunteers as moderator"),
        "secretary": _("volunteers as secretary"),
        "experience": _("experience"),
        "stakeholder_type": _("stakeholder type"),
        "gender": _("gender"),
        "notes": _("notes"),
        "commitments": _("commitments"),
    }


def _check_rows(edition: Edition, rows: list[tuple[int, dict[str, str]]], report: ImportReport) -> list[_Plan]:
    found = _load(edition, rows)
    plans: list[_Plan] = []
    seen: dict[int, int] = {}
    for line, raw in rows:
        who = raw.get("email") or raw.get("member_number") or ""
        errors: list[str] = []
        status = _choice(
            raw.get("status", ""),
            _STATUSES,
            _("The status “%(value)s” is unknown; use submitted or withdrawn."),
            errors,
        )
        if status == RegistrationStatus.WITHDRAWN:
            message = _("Withdrawn in the file: skipped (an import never withdraws anyone).")
            report.rows.append(ReportRow(line, who, "skipped", (message,)))
            continue
        user = _person(raw, found, errors)
        data = None
        if user is not None:
            if user.pk in seen:
                errors.append(_("This person is also on line %(line)s.") % {"line": seen[user.pk]})
            seen.setdefault(user.pk, line)
            refused = person_refusal(edition, user)
            if refused is not None:
                errors.append(_STAFF_REFUSALS[refused.code]() if refused.code in _STAFF_REFUSALS else refused.reason)
            data = _input(raw, user, found, errors)
        if data is not None and not errors:
            errors.extend(registration_errors(edition=edition, data=data).values())
        if errors or data is None:
            report.rows.append(ReportRow(line, who, "rejected", tuple(errors)))
            continue
        existing = found.existing.get(user.pk)
        if existing is None:
            action, changed = "created", []
        else:
            before, after = answers_of(existing), answers_in(data)
            changed = [name for name in after if before[name] != after[name]]
            action = "updated" if changed else "unchanged"
        plans.append(_Plan(line, who, user, data, existing, action, changed))
        labels = _change_labels()
        report.rows.append(ReportRow(line, who, action, tuple(labels[name] for name in changed)))
    return plans


def import_registrations(
    *, edition: Edition, data: bytes, file_name: str, imported_by: Any, dry_run: bool = False
) -> ImportReport:
    """Import registrations for ``edition`` from a CSV file: all of them, or none.

    Each row names a person with an account (by email, or by a member number
    linked to an account) and their answers. Every row is checked first; if
    any is rejected nothing changes, and the report gives each rejected
    line with its reasons. Otherwise each new or changed registration goes
    through ``submit_registration`` without the window check, in one
    transaction, with the person's confirmation email sent on commit. A row
    that matches the person's registration exactly changes nothing, so
    importing the same file twice is harmless. Rows marked withdrawn are
    skipped. With ``dry_run`` nothing is written.
    """
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    table = read_csv_table(data, required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS, aliases=_HEADER_ALIASES)
    report.rows += [ReportRow(None, "", "rejected", (message,)) for message in table.file_errors]
    report.rows += [ReportRow(None, "", "note", (message,)) for message in table.notes]
    if not table.file_errors and not {"email", "member_number"} & table.columns:
        message = _("The file needs an email column or a member_number column to know who registers.")
        report.rows.append(ReportRow(None, "", "rejected", (message,)))
    window = window_refusal(edition, timezone.now())
    if window is not None and window.code == "no_registration":
        message = _("This edition takes no registrations (it is not published or has no registration dates).")
        report.rows.append(ReportRow(None, "", "rejected", (message,)))
    if report.rejected_count:
        return report
    report.rows += [ReportRow(line, "", "rejected", (why,)) for line, why in table.bad_lines]
    rows = [(line, {name: _unescape(value) for name, value in raw.items()}) for line, raw in table.rows]
    plans = _check_rows(edition, rows, report)
    report.rows.sort(key=lambda row: (row.line is not None, row.line or 0))
    if report.rejected_count or dry_run:
        return report
    current: _Plan | None = None
    try:
        with transaction.atomic():
            for current in plans:
                if current.action == "unchanged":
                    continue
                # The commitments are stored in the words of the person's language, as on their paper form.
                with translation.override(current.user.preferred_language):
                    registration = submit_registration(
                        user=current.user, edition=edition, data=current.data, check_window=False
                    )
                if current.existing is None:
                    Registration.objects.filter(pk=registration.pk).update(source=Source.IMPORT)
                record_change(
                    actor=imported_by,
                    obj=registration,
                    action="imported",
                    changes={"file": file_name[:255], "line": current.line, "changed": current.changed},
                )
    except (RegistrationRefused, RegistrationInvalid) as error:
        # Someone changed the person or the edition since the check; nothing was kept.
        reason = error.refusal.reason if isinstance(error, RegistrationRefused) else " ".join(error.errors.values())
        line = current.line if current else None
        message = _("Nothing was imported: %(reason)s") % {"reason": reason}
        report.rows.append(ReportRow(line, current.who if current else "", "rejected", (message,)))
        return report
    report.applied = True
    return report
