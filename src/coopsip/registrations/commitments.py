"""The commitments a participant accepts, in plain words from the edition's settings."""

from __future__ import annotations

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopsip.editions.models import Edition
from coopsip.registrations.models import CommitmentKind


def commitment_texts(edition: Edition) -> dict[str, str]:
    """{kind: sentence} in the active language, as shown on the form and stored when accepted."""
    start = edition.commitment_starts_on or edition.starts_on
    end = edition.commitment_ends_on or edition.ends_on
    # As the edition pages write it: "3", "2.5" (or "2,5" in French), never "3.0".
    hours = floatformat(edition.meeting_hours, -1)
    whole_period = ngettext(
        "I take part for the whole period: %(count)s meeting of about %(hours)s hours between %(start)s and "
        "%(end)s. Taking part now and then is not possible.",
        "I take part for the whole period: about %(count)s meetings of about %(hours)s hours between %(start)s "
        "and %(end)s. Taking part now and then is not possible.",
        edition.meetings_expected,
    ) % {
        "count": edition.meetings_expected,
        "hours": hours,
        "start": date_format(start, "j F Y"),
        "end": date_format(end, "j F Y"),
    }
    return {
        CommitmentKind.WHOLE_PERIOD: whole_period,
        CommitmentKind.VOLUNTEER: _("I take part as an unpaid volunteer."),
        CommitmentKind.INTEREST: _("I have an interest in the theme; no expertise is needed."),
    }
