"""Changes to the member register: imports by staff, and a person linking their account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _

from coopsip.core import ratelimit
from coopsip.members.models import RegisterEntry, RegisterImport
from coopsip.members.register_csv import RegisterRow, parse_register_csv

# Which fields each optional column of the file fills: a column missing from
# the file leaves its fields as they are.
_FIELDS_OF_OPTIONAL_COLUMN = {
    "email": ("email",),
    "date_of_birth": ("date_of_birth",),
    "stakeholder_types": ("is_client", "is_partner", "is_employee", "is_permanent_staff"),
    "member_since": ("member_since",),
}
_SYNCED_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "date_of_birth",
    "status",
    "is_client",
    "is_partner",
    "is_employee",
    "is_permanent_staff",
    "member_since",
)


def _values(row: RegisterRow) -> dict[str, Any]:
    return {
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "date_of_birth": row.date_of_birth,
        "status": row.status,
        "is_client": "client" in row.stakeholder_types,
        "is_partner": "partner" in row.stakeholder_types,
        "is_employee": "employee" in row.stakeholder_types,
        "is_permanent_staff": "permanent_staff" in row.stakeholder_types,
        "member_since": row.member_since,
    }


def import_register(*, data: bytes, file_name: str, imported_by: Any, dry_run: bool = False) -> RegisterImport:
    """Import a CSV export of the membership system: all of it, or nothing.

    Every row is validated first. If any row is rejected, nothing changes and
    the report lists each rejected line with its reasons. Otherwise entries
    are created or updated by member number; an identical file changes
    nothing. Entries missing from the file are kept. With ``dry_run`` the
    report is made but nothing is applied. The report is saved either way.
    """
    parsed = parse_register_csv(data, today=timezone.localdate())
    synced = [
        name
        for name in _SYNCED_FIELDS
        if not any(
            name in fields and column not in parsed.columns for column, fields in _FIELDS_OF_OPTIONAL_COLUMN.items()
        )
    ]
    report: list[dict[str, Any]] = [{"line": None, "action": "rejected", "errors": [e]} for e in parsed.file_errors]
    report += [{"line": None, "action": "note", "errors": [note]} for note in parsed.notes]
    report += [
        {"line": e.line, "member_number": e.member_number, "action": "rejected", "errors": e.errors}
        for e in parsed.row_errors
    ]
    with transaction.atomic():
        numbers = [row.member_number for _line, row in parsed.rows]
        existing = {
            e.member_number: e for e in RegisterEntry.objects.select_for_update().filter(member_number__in=numbers)
        }
        to_create: list[RegisterEntry] = []
        to_update: list[RegisterEntry] = []
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for line, row in parsed.rows:
            values = {name: value for name, value in _values(row).items() if name in synced}
            entry = existing.get(row.member_number)
            if entry is None:
                to_create.append(RegisterEntry(member_number=row.member_number, **values))
                action, changed = "created", []
            else:
                changed = [name for name in synced if getattr(entry, name) != values[name]]
                for name in changed:
                    setattr(entry, name, values[name])
                if changed:
                    to_update.append(entry)
                action = "updated" if changed else "unchanged"
            counts[action] += 1
            report.append({"line": line, "member_number": row.member_number, "action": action, "changed": changed})
        applied = parsed.ok and not dry_run
        if applied:
            try:
                with transaction.atomic():
                    RegisterEntry.objects.bulk_create(to_create, batch_size=1000)
                    now = timezone.now()
                    for entry in to_update:
                        entry.updated_at = now
                    RegisterEntry.objects.bulk_update(to_update, [*synced, "updated_at"], batch_size=1000)
            except IntegrityError:
                # Another import created some of these member numbers meanwhile.
                applied = False
                message = _(
                    "Another import changed the register at the same time. Nothing was imported: import the file again."
                )
                report.append({"line": None, "action": "rejected", "errors": [message]})
        report.sort(key=lambda item: (item["line"] is not None, item["line"] or 0))
        return RegisterImport.objects.create(
            file_name=file_name[:255],
            imported_by=imported_by,
            applied=applied,
            created_count=counts["created"],
            updated_count=counts["updated"],
            unchanged_count=counts["unchanged"],
            rejected_count=sum(1 for item in report if item["action"] == "rejected"),
            report=report,
        )


@dataclass
class VerificationFailed(Exception):
    """Why a person could not be linked to the register, in their language, with what to do."""

    code: str
    message: str


def verify_membership(*, user: Any, member_number: str, date_of_birth: date | None = None) -> RegisterEntry:
    """Link ``user`` to the register entry with ``member_number``.

    The person proves they are that entry when the entry's email address is
    a verified address of their account, or when ``date_of_birth`` matches.
    Failures are limited per account (``COOPSIP_VERIFY_ATTEMPTS`` an hour) and
    per member number whatever the account (twice as many a day), so that many
    accounts cannot try dates of birth on one number. A number closed that way
    is closed to dates of birth only: its owner's verified email address still
    links it, so a stranger cannot lock the owner out. Raises VerificationFailed
    with a message that says why, how long to wait and what to do.
    """
    contact = settings.COOPSIP_CONTACT_EMAIL
    member_number = member_number.strip()
    if RegisterEntry.objects.filter(user=user).exists():
        raise VerificationFailed("already_linked", _("Your account is already linked to the member register."))
    # Counted in the shared cache so that every web process counts together. Only failures count: a person
    # who got it right is never held back by the limit of a neighbour's tries on another number.
    account_key, number_key = _verify_keys(user=user, member_number=member_number)
    if ratelimit.exhausted(key=account_key, limit=settings.COOPSIP_VERIFY_ATTEMPTS):
        raise VerificationFailed(
            "rate_limited",
            _("You tried too many times. Try again in %(wait)s, or write to %(contact)s.")
            % {"wait": _wait(account_key, settings.COOPSIP_VERIFY_PERIOD), "contact": contact},
        )
    number_closed = ratelimit.exhausted(key=number_key, limit=settings.COOPSIP_VERIFY_ATTEMPTS * 2)
    try:
        entry = _link_if_proven(
            user=user, member_number=member_number, date_of_birth=None if number_closed else date_of_birth
        )
    except VerificationFailed as failure:
        if failure.code == "no_match":
            _count_failure(account_key, settings.COOPSIP_VERIFY_PERIOD)
            _count_failure(number_key, settings.COOPSIP_VERIFY_PERIOD * 24)
            if number_closed:
                raise VerificationFailed(
                    "rate_limited",
                    _(
                        "There were too many wrong attempts on this member number, maybe not yours. Try again in "
                        "%(wait)s, or write to %(contact)s: the team can link your account."
                    )
                    % {"wait": _wait(number_key, settings.COOPSIP_VERIFY_PERIOD * 24), "contact": contact},
                ) from None
        raise
    _forget(account_key)
    return entry


def _verify_keys(*, user: Any, member_number: str) -> tuple[str, str]:
    return f"verify-membership:{user.pk}", f"verify-member-number:{member_number.strip().lower()}"


def _count_failure(key: str, period: int) -> None:
    """One failure for ``key``; the end of its window is kept beside it, for the message's "try again in"."""
    ratelimit.consume(key=key, limit=0, period=period)
    cache.add(f"{key}:until", timezone.now() + timedelta(seconds=period), timeout=period)


def _forget(key: str) -> None:
    ratelimit.reset(key=key)
    cache.delete(f"{key}:until")


def _wait(key: str, period: int) -> str:
    """How long until ``key``'s window ends, in the reader's language ("23 hours, 10 minutes")."""
    now = timezone.now()
    until = cache.get(f"{key}:until") or now + timedelta(seconds=period)
    # At least a minute, never "0 minutes".
    return timeuntil(max(until, now + timedelta(minutes=1)), now)


def _link_if_proven(*, user: Any, member_number: str, date_of_birth: date | None) -> RegisterEntry:
    contact = settings.COOPSIP_CONTACT_EMAIL
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().filter(member_number__iexact=member_number).first()
        # An unknown number and a known one whose details do not match get the
        # same answer, so the form does not tell which member numbers exist.
        no_match = VerificationFailed(
            "no_match",
            _(
                "We could not match member number %(number)s with the email address of your account or the "
                "date of birth you gave. Check the number on your contract or membership documents, and enter "
                "your date of birth as the cooperative knows it. If it still fails, the register may not be up "
                "to date: write to %(contact)s."
            )
            % {"number": member_number, "contact": contact},
        )
        if entry is None:
            raise no_match
        if entry.user_id is not None:
            raise VerificationFailed(
                "taken",
                _(
                    "This member number is already linked to another account. If you did not link it "
                    "yourself, write to %(contact)s."
                )
                % {"contact": contact},
            )
        email_matches = (
            bool(entry.email)
            and EmailAddress.objects.filter(user=user, email__iexact=entry.email, verified=True).exists()
        )
        birth_matches = date_of_birth is not None and entry.date_of_birth == date_of_birth
        if not (email_matches or birth_matches):
            raise no_match
        entry.user = user
        entry.verified_at = timezone.now()
        try:
            with transaction.atomic():
                entry.save(update_fields=["user", "verified_at", "updated_at"])
        except IntegrityError:  # the same account linked another entry at the same moment
            raise VerificationFailed(
                "already_linked", _("Your account is already linked to the member register.")
            ) from None
        if not user.first_name and not user.last_name:
            user.first_name, user.last_name = entry.first_name, entry.last_name
            user.save(update_fields=["first_name", "last_name"])
    return entry


def link_by_staff(*, entry: RegisterEntry, user: Any) -> RegisterEntry:
    """Staff link ``user`` to ``entry`` (the person could not prove it themselves): it counts at once.

    The failed attempts of the person and on the number are forgotten, so nothing still refuses them.
    """
    with transaction.atomic():
        entry = RegisterEntry.objects.select_for_update().get(pk=entry.pk)
        entry.user = user
        entry.verified_at = timezone.now()
        entry.save(update_fields=["user", "verified_at", "updated_at"])
    for key in _verify_keys(user=user, member_number=entry.member_number):
        _forget(key)
    return entry
