"""Reads of surveys. ``answer_refusal`` is the one audience check: every page and the answer service call it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coopsip.surveys.models import AudienceKind, Response, Survey


@dataclass(frozen=True)
class Person:
    """What the audience rules need to know about someone, read once per request."""

    user_id: int | None
    is_member: bool
    office_id: int | None
    country: str
    circle_ids: frozenset[int]
    edition_ids: frozenset[int]


def person_facts(user: Any) -> Person:
    """Two queries at most, cached on the user object for the request."""
    if not user.is_authenticated:
        return Person(None, False, None, "", frozenset(), frozenset())
    cached: Person | None = getattr(user, "_coopsip_survey_person", None)
    if cached is not None:
        return cached
    from coopsip.events.models import CircleMember
    from coopsip.registrations.models import Registration, RegistrationStatus

    entry = getattr(user, "register_entry", None)
    office = user.office
    country = office.country if office is not None else (user.municipality.country if user.municipality else "")
    facts = Person(
        user_id=user.pk,
        is_member=entry is not None and entry.is_member,
        office_id=user.office_id,
        country=country,
        circle_ids=frozenset(CircleMember.objects.filter(user=user).values_list("circle_id", flat=True)),
        edition_ids=frozenset(
            Registration.objects.filter(user=user)
            .exclude(status=RegistrationStatus.WITHDRAWN)
            .values_list("edition_id", flat=True)
        ),
    )
    user._coopsip_survey_person = facts
    return facts


def in_audience(survey: Survey, user: Any, *, token: str = "", pilot: bool = True) -> bool:
    """Whether ``user`` is someone the survey asks, dates aside; while a pilot runs only its segment (``pilot``)."""
    person = person_facts(user)
    if person.user_id is None:
        return False
    if pilot and survey.in_pilot and survey.pilot_office_id != person.office_id:
        return False
    match survey.audience:
        case AudienceKind.LINK:
            return bool(token) and token == survey.link_token
        case AudienceKind.MEMBERS:
            return person.is_member
        case AudienceKind.COUNTRY:
            return person.is_member and person.country == survey.audience_country
        case AudienceKind.OFFICE:
            return person.is_member and person.office_id == survey.audience_office_id
        case AudienceKind.EDITION:
            return survey.audience_edition_id in person.edition_ids
        case AudienceKind.GROUP | AudienceKind.SECTOR_NETWORK:
            return survey.audience_circle_id in person.circle_ids
    return False


def _when(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


def answer_refusal(survey: Survey, user: Any, *, now: datetime | None = None, token: str = "") -> str | None:
    """Why ``user`` may not answer ``survey`` now, in words, or None when they may.

    The dates come first, for everyone: a closed survey says since when (and, closed during its pilot,
    that it never opened to others); a survey not open yet says when it opens, and for whom when the
    person is not among them, or that its pilot comes first. Then, while it is open, the audience,
    then the pilot's segment (whose people are told the survey opens to them later).
    """
    now = now or timezone.now()
    audience = in_audience(survey, user, token=token, pilot=False)
    outside_pilot = (
        survey.in_pilot and survey.pilot_office_id is not None and not in_audience(survey, user, token=token)
    )
    values = {"audience": audience_in_words(survey) if not audience else ""}
    if outside_pilot:
        values["office"] = survey.pilot_office.name if survey.pilot_office else ""
    if now >= survey.closes_at:
        values["when"] = _when(survey.closes_at)
        if outside_pilot:
            return (
                _(
                    "This survey closed on %(when)s, while it was being tried out in %(office)s: "
                    "it did not open to others."
                )
                % values
            )
        return _("This survey closed on %(when)s; answers can no longer be changed.") % values
    if now < survey.opens_at:
        values["when"] = _when(survey.opens_at)
        if not audience:
            return "{} {}".format(
                _("This survey opens on %(when)s.") % values, _("This survey is for %(audience)s.") % values
            )
        if outside_pilot:
            return (
                _("This survey opens on %(when)s, first as a pilot in %(office)s; it opens to others later.") % values
            )
        return _("This survey opens on %(when)s.") % values
    if not audience:
        return _("This survey is for %(audience)s.") % values
    if outside_pilot:
        return _("This survey is being tried out in %(office)s first; it opens to others later.") % values
    return None


def audience_in_words(survey: Survey) -> str:
    match survey.audience:
        case AudienceKind.COUNTRY:
            return _("the members in %(country)s") % {"country": survey.get_audience_country_display()}
        case AudienceKind.OFFICE:
            name = survey.audience_office.name if survey.audience_office else "?"
            return _("the members of the office %(office)s") % {"office": name}
        case AudienceKind.EDITION:
            return _("the registrants of %(edition)s") % {"edition": survey.audience_edition}
        case AudienceKind.GROUP | AudienceKind.SECTOR_NETWORK:
            return _("the members of %(group)s") % {"group": survey.audience_circle}
        case AudienceKind.LINK:
            return _("the people who received its link")
    return _("the members of the cooperative")


def open_for(user: Any, *, now: datetime | None = None) -> list[tuple[Survey, Response | None]]:
    """Open surveys (reached without a link) that ``user`` may answer, with their response if any.

    A fixed number of queries: the open surveys, the person's facts, their responses.
    """
    now = now or timezone.now()
    if not user.is_authenticated:
        return []
    surveys = [
        survey
        for survey in Survey.objects.filter(opens_at__lte=now, closes_at__gt=now)
        .exclude(audience=AudienceKind.LINK)
        .select_related("pilot_office")
        .order_by("closes_at", "pk")[:50]
        if in_audience(survey, user)
    ]
    from coopsip.surveys.services import respondent_key

    keys = {respondent_key(survey, user): survey.pk for survey in surveys}
    responses = {
        response.survey_id: response
        for response in Response.objects.filter(respondent_key__in=keys, survey__in=[s.pk for s in surveys])
    }
    return [(survey, responses.get(survey.pk)) for survey in surveys]


def published_for(user: Any) -> list[Survey]:
    """Surveys whose results are published and that ``user`` may read (newest first, at most 50)."""
    if not user.is_authenticated:
        return []
    published = Survey.objects.filter(results_published_at__isnull=False).order_by("-results_published_at")[:50]
    return [survey for survey in published if may_read_results(survey, user)]


def may_read_results(survey: Survey, user: Any) -> bool:
    """Published results: the survey's audience, pilot aside (the whole audience reads the pilot's results)."""
    if survey.results_published_at is None or not user.is_authenticated:
        return False
    if survey.audience == AudienceKind.LINK:
        return True
    return in_audience(survey, user, pilot=False)
