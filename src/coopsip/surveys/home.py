"""The personal home's block: open surveys the person may answer and has not sent yet."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from coopsip.core import personal_home
from coopsip.surveys.selectors import open_for


def open_surveys(user: Any) -> Iterable[personal_home.HomeItem]:
    """At most three items, from a fixed number of queries (see ``selectors.open_for``)."""
    waiting = [
        (survey, response) for survey, response in open_for(user) if response is None or not response.submitted_at
    ]
    for survey, response in waiting[:3]:
        closes = date_format(localtime(survey.closes_at), "j F Y")
        yield personal_home.HomeItem(
            title=_("Survey: %(title)s") % {"title": survey.title},
            text=(
                _("You started answering; finish before %(date)s.")
                if response is not None
                else _("Your answers help the cooperative; the survey closes on %(date)s.")
            )
            % {"date": closes},
            url=reverse("surveys:answer", kwargs={"pk": survey.pk}),
            link_text=_("Continue the survey") if response is not None else _("Answer the survey"),
            urgency=personal_home.Urgency.ACT_NOW,
            when=survey.closes_at,
            section="surveys",
        )


personal_home.register("surveys", open_surveys, order=40)
