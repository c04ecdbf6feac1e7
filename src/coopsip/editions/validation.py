"""Rules an edition's parts must follow that span several rows, for forms and services alike.

Each function returns {field name: message}; empty means valid. Rules that
hold on one row (a phase ends after it starts) are database constraints too.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopsip.editions.models import Edition, Theme


def date_range_errors(starts_on: date | None, ends_on: date | None, *, end_field: str = "ends_on") -> dict[str, str]:
    if starts_on and ends_on and ends_on < starts_on:
        return {end_field: _("The end comes before the start.")}
    return {}


def registration_window_errors(opens_at: datetime | None, closes_at: datetime | None) -> dict[str, str]:
    if opens_at and closes_at and closes_at <= opens_at:
        return {"registration_closes_at": _("Registration closes before it opens.")}
    if bool(opens_at) != bool(closes_at):
        field = "registration_closes_at" if opens_at else "registration_opens_at"
        return {field: _("Give both the opening and the closing of registration, or neither.")}
    return {}


def phase_errors(edition: Edition, starts_on: date | None, ends_on: date | None) -> dict[str, str]:
    errors = date_range_errors(starts_on, ends_on)
    if errors:
        return errors
    if starts_on and starts_on < edition.starts_on:
        errors["starts_on"] = _("The phase starts before the edition (%(date)s).") % {
            "date": date_format(edition.starts_on)
        }
    if ends_on and ends_on > edition.ends_on:
        errors["ends_on"] = _("The phase ends after the edition (%(date)s).") % {"date": date_format(edition.ends_on)}
    return errors


def extension_errors(edition: Edition, extends: Theme | None) -> dict[str, str]:
    """A theme may only continue a theme of an earlier edition."""
    if extends is not None and (extends.edition_id == edition.pk or extends.edition.starts_on >= edition.starts_on):
        return {"extends": _("A theme can only continue a theme of an earlier edition.")}
    return {}


_YEAR = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


def stale_years(edition: Edition, *, languages: tuple[str, ...] = ("nl", "fr", "en")) -> dict[str, list[int]]:
    """Years the introduction names that are before the edition starts, per language code.

    An introduction copied from last year's edition often still names last year's dates
    ("registration until 10 January 2021"); staff are warned, not stopped: a year in the
    past can be right ("since 2017").
    """
    found: dict[str, list[int]] = {}
    if not edition.starts_on:
        return found
    for code in languages:
        text = getattr(edition, f"intro_{code}", "") or ""
        years = sorted({int(year) for year in _YEAR.findall(text) if int(year) < edition.starts_on.year})
        if years:
            found[code] = years
    return found
