"""Registering for an edition, changing the registration, withdrawing.

The form view and the CSV import both go through ``submit_registration``:
one set of rules, one place that writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from coopsip.accounts.models import Gender
from coopsip.core.mail import queue_email
from coopsip.editions.models import Edition, Theme
from coopsip.places.models import Municipality, Office
from coopsip.registrations.commitments import commitment_texts
from coopsip.registrations.eligibility import Refusal, person_refusal, refusal
from coopsip.registrations.models import (
    MAX_PREFERENCES,
    AvailabilitySlot,
    CommitmentAcceptance,
    CommitmentKind,
    DayPart,
    MeetingMode,
    Registration,
    RegistrationStatus,
    Source,
    ThemePreference,
    Weekday,
)

SPOKEN = {code for code, _name in settings.LANGUAGES} | {"de", "es", "it", "pt", "ar", "tr", "pl", "ro"}


@dataclass(frozen=True)
class RegistrationInput:
    """What a person answers on the registration form (or a row of an import)."""

    theme_ids: Sequence[int]  # ranked: the first is the first choice
    mode: str
    office: Office | None
    municipality: Municipality | None
    languages: Sequence[str]
    slots: Sequence[tuple[int, str]]  # (weekday 0-6, "morning" | "afternoon" | "evening")
    volunteers_as_moderator: bool = False
    volunteers_as_secretary: bool = False
    volunteer_experience: str = ""
    volunteers_as_board_member: bool = False
    accepted: frozenset[str] = field(default_factory=frozenset)
    stakeholder_type: str = ""
    gender: str = ""
    notes: str = ""


class RegistrationRefused(Exception):
    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.reason)
        self.refusal = refusal


class RegistrationInvalid(Exception):
    """``errors`` maps form field names to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def person_country(*, municipality: Municipality | None) -> str:
    return municipality.country if municipality is not None else "BE"


def registration_errors(*, edition: Edition, data: RegistrationInput) -> dict[str, str]:
    """Every problem with ``data`` for ``edition``, by form field."""
    errors: dict[str, str] = {}
    ids = list(data.theme_ids)
    if not ids:
        errors["themes"] = _("Choose at least one theme.")
    elif len(ids) > MAX_PREFERENCES:
        errors["themes"] = _("Choose at most three themes.")
    elif len(set(ids)) != len(ids):
        errors["themes"] = _("You chose the same theme twice.")
    else:
        themes = {t.pk: t for t in Theme.objects.filter(pk__in=ids, edition=edition)}
        country = person_country(municipality=data.municipality)
        if len(themes) != len(ids):
            errors["themes"] = _("One of the themes is not a theme of this edition.")
        elif any(country not in themes[pk].countries for pk in ids):
            errors["themes"] = _("One of the themes does not run in the country where you live.")
    if data.municipality is None:
        errors["postcode"] = _("Give the postcode and place where you live: groups are formed by where people live.")
    if data.mode not in MeetingMode.values:
        errors["mode"] = _("Say how you want to meet.")
    if not data.languages:
        errors["languages"] = _("Choose at least one language you can work in.")
    elif not set(data.languages) <= SPOKEN:
        errors["languages"] = _("One of the languages is unknown.")
    if not data.slots:
        errors["slots"] = _("Tick at least one time slot when you can meet.")
    elif any(day not in Weekday.values or part not in DayPart.values for day, part in data.slots):
        errors["slots"] = _("One of the time slots is unknown.")
    missing = set(CommitmentKind.values) - set(data.accepted)
    if missing:
        errors["commitments"] = _("To take part, accept each commitment.")
    if (data.volunteers_as_moderator or data.volunteers_as_secretary) and len(data.volunteer_experience) > 500:
        errors["volunteer_experience"] = _("Keep it to 500 characters.")
    mixes = edition.mixes_stakeholder_types
    if data.stakeholder_type and mixes and data.stakeholder_type not in edition.admitted_stakeholder_types:
        errors["stakeholder_type"] = _("This edition does not admit this stakeholder type.")
    if data.gender and data.gender not in Gender.values:
        errors["gender"] = _("Choose one of the answers, or leave it empty.")
    return errors


def asked_by_format(*, edition: Edition, data: RegistrationInput) -> RegistrationInput:
    """Only what the edition's format asks is kept: no stakeholder type unless groups mix them,
    no gender unless a gender balance applies, no board member unless groups have one."""
    return replace(
        data,
        stakeholder_type=data.stakeholder_type if edition.mixes_stakeholder_types else "",
        gender=data.gender if edition.max_gender_share is not None else "",
        volunteers_as_board_member=data.volunteers_as_board_member and edition.requires_board_member,
    )


def submit_registration(
    *,
    user: Any,
    edition: Edition,
    data: RegistrationInput,
    moment: datetime | None = None,
    check_window: bool = True,
    notify: bool = True,
) -> Registration:
    """Register ``user`` for ``edition``, or change their registration; returns it.

    Refuses (RegistrationRefused) a person who may not take part or a
    moment outside the registration window; refuses (RegistrationInvalid)
    bad answers. A repeated or simultaneous submission updates the same
    registration: there is one per person per edition. A confirmation email
    with a summary goes out in the person's language once saved (unless
    ``notify`` is false: demo data).
    """
    moment = moment or timezone.now()
    # Staff importing paper forms may pass check_window=False: the dates are
    # then theirs to judge, but who may take part never is.
    refused = refusal(edition, user, moment) if check_window else person_refusal(edition, user)
    if refused is not None:
        raise RegistrationRefused(refused)
    errors = registration_errors(edition=edition, data=data)
    if errors:
        raise RegistrationInvalid(errors)
    data = asked_by_format(edition=edition, data=data)
    try:
        with transaction.atomic():
            registration, created = Registration.objects.select_for_update().get_or_create(
                edition=edition, user=user, defaults=_fields(data)
            )
            # A resubmitted form with the same answers (a double click) changes nothing and sends nothing.
            if created or answers_of(registration) != answers_in(data):
                _write(registration, data, created=created, notify=notify)
    except IntegrityError:
        # The same person submitted twice at the same moment: the first one won; apply this on top.
        with transaction.atomic():
            registration = Registration.objects.select_for_update().get(edition=edition, user=user)
            if answers_of(registration) != answers_in(data):
                _write(registration, data, created=False, notify=notify)
    return registration


def answers_of(registration: Registration) -> dict[str, Any]:
    """What a registration says, in a form comparable with ``answers_in``."""
    return {
        # Saving the form changes the status only to register again after withdrawing: group states are kept.
        "status": RegistrationStatus.WITHDRAWN
        if registration.status == RegistrationStatus.WITHDRAWN
        else RegistrationStatus.SUBMITTED,
        "themes": [p.theme_id for p in registration.preferences.all()],
        "mode": registration.mode,
        "office": registration.office_id,
        "municipality": registration.municipality_id,
        "languages": sorted(registration.languages),
        "slots": sorted((s.weekday, s.part) for s in registration.slots.all()),
        "moderator": registration.volunteers_as_moderator,
        "secretary": registration.volunteers_as_secretary,
        "board": registration.volunteers_as_board_member,
        "experience": registration.volunteer_experience,
        "stakeholder_type": registration.stakeholder_type,
        "gender": registration.gender,
        "notes": registration.notes,
        "commitments": sorted(c.kind for c in registration.commitments.all()),
    }


def answers_in(data: RegistrationInput) -> dict[str, Any]:
    """What ``data`` would make a registration say (see ``answers_of``)."""
    volunteers = data.volunteers_as_moderator or data.volunteers_as_secretary
    return {
        "status": RegistrationStatus.SUBMITTED,
        "themes": list(data.theme_ids),
        "mode": data.mode,
        "office": data.office.pk if data.office else None,
        "municipality": data.municipality.pk if data.municipality else None,
        "languages": sorted(set(data.languages)),
        "slots": sorted(set(data.slots)),
        "moderator": data.volunteers_as_moderator,
        "secretary": data.volunteers_as_secretary,
        "board": data.volunteers_as_board_member,
        "experience": data.volunteer_experience.strip() if volunteers else "",
        "stakeholder_type": data.stakeholder_type,
        "gender": data.gender,
        "notes": data.notes.strip(),
        "commitments": sorted(data.accepted),
    }


def _fields(data: RegistrationInput) -> dict[str, Any]:
    return {
        "mode": data.mode,
        "office": data.office,
        "municipality": data.municipality,
        "languages": sorted(set(data.languages)),
        "volunteers_as_moderator": data.volunteers_as_moderator,
        "volunteers_as_secretary": data.volunteers_as_secretary,
        "volunteers_as_board_member": data.volunteers_as_board_member,
        "volunteer_experience": data.volunteer_experience.strip()
        if data.volunteers_as_moderator or data.volunteers_as_secretary
        else "",
        "stakeholder_type": data.stakeholder_type,
        "gender": data.gender,
        "notes": data.notes.strip(),
    }


def _write(registration: Registration, data: RegistrationInput, *, created: bool, notify: bool) -> None:
    if not created:
        for name, value in _fields(data).items():
            setattr(registration, name, value)
        if registration.status == RegistrationStatus.WITHDRAWN:
            registration.status = RegistrationStatus.SUBMITTED
        # Otherwise the status stays: a person proposed a group, in one, or on its waiting list who edits their
        # answers keeps their seat and answer (the working groups own those states).
        registration.withdrawn_at = None
        registration.withdrawal_reason = ""
        registration.save()
    registration.preferences.all().delete()
    ThemePreference.objects.bulk_create(
        ThemePreference(registration=registration, theme_id=theme_id, rank=rank)
        for rank, theme_id in enumerate(data.theme_ids, start=1)
    )
    registration.slots.all().delete()
    AvailabilitySlot.objects.bulk_create(
        AvailabilitySlot(registration=registration, weekday=day, part=part) for day, part in sorted(set(data.slots))
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    texts = commitment_texts(registration.edition)
    now = timezone.now()
    kept = {c.kind: c for c in registration.commitments.all()}
    for kind in data.accepted:
        if kind in kept and kept[kind].text == texts[kind]:
            continue  # accepted before, in the same words
        CommitmentAcceptance.objects.update_or_create(
            registration=registration,
            kind=kind,
            defaults={"text": texts[kind], "language": language, "accepted_at": now},
        )
    if notify:
        _send_confirmation(registration, created=created)


def _send_confirmation(registration: Registration, *, created: bool) -> None:
    user = registration.user
    with translation.override(user.preferred_language):
        context = {"registration": registration, "user": user, "created": created, "site_url": settings.SITE_URL}
        subject = render_to_string("registrations/email/confirmation_subject.txt", context).strip()
        body = render_to_string("registrations/email/confirmation.txt", context)
    queue_email(
        key=f"registration:{registration.pk}:{registration.updated_at.isoformat()}",
        to_email=user.email,
        subject=subject,
        body_text=body,
        user=user,
    )


@transaction.atomic
def withdraw_registration(*, registration: Registration, reason: str = "", notify: bool = True) -> Registration:
    """Withdraw at any time; the Cooperative Life team is told, with the reason if given."""
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == RegistrationStatus.WITHDRAWN:
        return registration
    registration.status = RegistrationStatus.WITHDRAWN
    registration.withdrawn_at = timezone.now()
    registration.withdrawal_reason = reason.strip()[:2000]
    registration.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    if not notify:
        return registration
    edition = registration.edition
    with translation.override(settings.LANGUAGE_CODE):
        context = {"registration": registration, "site_url": settings.SITE_URL}
        subject = render_to_string("registrations/email/withdrawn_staff_subject.txt", context).strip()
        body = render_to_string("registrations/email/withdrawn_staff.txt", context)
    queue_email(
        key=f"registration-withdrawn:{registration.pk}:{registration.withdrawn_at.isoformat()}",
        to_email=edition.contact_email or settings.COOPSIP_CONTACT_EMAIL,
        subject=subject,
        body_text=body,
    )
    return registration


def register_for_group(*, user: Any, edition: Edition, mode: str, office: Office | None, language: str) -> Registration:
    """A registration for a member invited into a working group who had none: the group's own way of meeting.

    The person confirms the commitment when they accept the invitation (the groups app keeps the words).
    Call inside the caller's transaction.
    """
    registration, _created = Registration.objects.get_or_create(
        edition=edition,
        user=user,
        defaults={
            "mode": MeetingMode.VIDEO if mode == "video" else MeetingMode.IN_PERSON,
            "office": office,
            "municipality": getattr(user, "municipality", None),
            "languages": [language],
            "source": Source.GROUP_INVITATION,
        },
    )
    if registration.status == RegistrationStatus.WITHDRAWN:
        registration.status = RegistrationStatus.SUBMITTED
        registration.withdrawn_at = None
        registration.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return registration
