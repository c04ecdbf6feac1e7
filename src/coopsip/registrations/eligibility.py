"""Who may register for an edition, and when; each refusal says why and what to do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from coopsip.editions.models import Edition


@dataclass(frozen=True)
class Refusal:
    code: str
    reason: str
    what_to_do: str
    link: str = ""
    link_text: str = ""


def _when(moment: datetime) -> str:
    # As the edition pages write it, in Brussels time: "12 January 2026, 09:00" (DATETIME_FORMAT gives
    # "Jan. 12, 2026, 9 a.m." in English, which ends the sentence with two dots).
    return date_format(localtime(moment), "j F Y, H:i")


def window_refusal(edition: Edition, moment: datetime) -> Refusal | None:
    """Whether registration is open at ``moment`` (Brussels time), whoever asks."""
    opens, closes = edition.registration_opens_at, edition.registration_closes_at
    archive = reverse("editions:detail", kwargs={"slug": edition.slug})
    if not edition.is_published or opens is None or closes is None:
        return Refusal(
            "no_registration",
            _("This edition takes no registrations here."),
            _("Read about the edition, or write to the Cooperative Life team."),
            archive,
            _("About the edition"),
        )
    if moment < opens:
        return Refusal(
            "not_open",
            _("Registration opens on %(date)s.") % {"date": _when(opens)},
            _("Come back then. Meanwhile, read about the themes and the calendar."),
            archive,
            _("About the edition"),
        )
    if moment >= closes:
        return Refusal(
            "closed",
            _("Registration closed on %(date)s.") % {"date": _when(closes)},
            _("Follow the edition's news, or take part in the next edition."),
            archive,
            _("About the edition"),
        )
    return None


def person_refusal(edition: Edition, user: Any) -> Refusal | None:
    """Whether ``user`` may take part in ``edition``: members always, others when admitted."""
    if not user.is_authenticated:
        return Refusal(
            "login",
            _("You need an account to register."),
            _("Log in, or create an account: it takes a minute."),
            reverse("account_login"),
            _("Log in"),
        )
    entry = getattr(user, "register_entry", None)
    if entry is None:
        return Refusal(
            "not_linked",
            _("Your account is not linked to the member register yet."),
            _("Link it with your member number; then come back to register."),
            reverse("members:verify"),
            _("Link my account"),
        )
    if entry.is_member:
        return None
    admitted = set(edition.admitted_stakeholder_types)
    if admitted & set(entry.stakeholder_types):
        return None
    contact = edition.contact_email or settings.COOPSIP_CONTACT_EMAIL
    if not admitted:
        return Refusal(
            "members_only",
            _("This edition is open to members (shareholders) of the cooperative only."),
            _("Become a member of the cooperative to take part; ask %(contact)s how.") % {"contact": contact},
            f"mailto:{contact}",
            _("Ask how to become a member"),
        )
    return Refusal(
        "not_admitted",
        _(
            "This edition is open to members and to some stakeholders, "
            "and the register does not list you as one of them."
        ),
        _("If the register is wrong, write to %(contact)s.") % {"contact": contact},
        f"mailto:{contact}",
        _("Write to the Cooperative Life team"),
    )


def refusal(edition: Edition, user: Any, moment: datetime) -> Refusal | None:
    return window_refusal(edition, moment) or person_refusal(edition, user)
