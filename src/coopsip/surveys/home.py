"""The personal home's blocks: open surveys the person may answer and has not sent yet, and results
published in the last weeks that the person may read."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from coopsip.core import personal_home
from coopsip.editions.templatetags.editions_public import shown_language
from coopsip.surveys.models import Survey
from coopsip.surveys.selectors import may_read_results, open_for

RECENT_RESULTS = timedelta(days=60)


def _survey_title(survey: Survey) -> str:
    """The survey's title in the reader's language, or marked as another language's."""
    return personal_home.in_language(survey.title, shown_language(survey, "title"))


def open_surveys(user: Any) -> Iterable[personal_home.HomeItem]:
    """At most three items, from a fixed number of queries (see ``selectors.open_for``)."""
    waiting = [
        (survey, response) for survey, response in open_for(user) if response is None or not response.submitted_at
    ]
    for survey, response in waiting[:3]:
        closes = date_format(localtime(survey.closes_at), "j F Y")
        yield personal_home.HomeItem(
            title=personal_home.with_values(_("Survey: %(title)s"), title=_survey_title(survey)),
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


def published_results(user: Any) -> Iterable[personal_home.HomeItem]:
    """Results published in the last 60 days for the person's audience: one query (and the cached facts)."""
    if not user.is_authenticated:
        return
    recent = Survey.objects.filter(results_published_at__gte=timezone.now() - RECENT_RESULTS).select_related(
        "pilot_office"
    )
    readable = [survey for survey in recent.order_by("-results_published_at")[:10] if may_read_results(survey, user)]
    for survey in readable[:2]:
        yield personal_home.HomeItem(
            title=personal_home.with_values(_("Results: %(title)s"), title=_survey_title(survey)),
            text=_("The results of the survey are published: the totals per question, with charts."),
            url=reverse("surveys:results", kwargs={"pk": survey.pk}),
            link_text=_("See the results"),
            urgency=personal_home.Urgency.INFO,
            when=survey.results_published_at,
            section="surveys",
        )


personal_home.register("surveys", open_surveys, order=40)
personal_home.register("survey_results", published_results, order=42)
