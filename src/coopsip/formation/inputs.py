"""From the database to the engine and back: registrations become ``engine.Registrant``s, runs become ``Group``s.

The engine knows people, themes and offices by string ids: the primary keys
of registrations, themes and offices.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.conf import settings
from django.utils.translation import pgettext

from coopsip.core.access import board_members_among
from coopsip.editions.models import Edition
from coopsip.formation import engine
from coopsip.formation.models import FormationRun, ProposedGroup
from coopsip.places.models import Office
from coopsip.registrations.models import DayPart, Registration, RegistrationStatus, Source, Weekday

PART_CODES = {DayPart.MORNING: "am", DayPart.AFTERNOON: "pm", DayPart.EVENING: "ev"}
PARTS_BY_CODE = {code: part for part, code in PART_CODES.items()}


def slot_code(weekday: int, part: str) -> str:
    return f"{engine.model.DAYS[weekday]}_{PART_CODES[DayPart(part)]}"


def slot_label(code: str) -> str:
    """ "mon_ev" in words, in the active language ("maandagavond", "lundi soir")."""
    day, part = code.split("_")
    return pgettext("a weekly time slot", "%(day)s %(part)s") % {
        "day": Weekday(engine.model.DAYS.index(day)).label,
        "part": DayPart(PARTS_BY_CODE[part]).label,
    }


def format_params(edition: Edition) -> dict[str, Any]:
    """The edition's format as engine settings: who coordinates a group and the balance rules
    (percentages become shares). The rules are hard unless the edition says they are wishes."""

    def share(percent: int | None) -> float | None:
        return None if percent is None else percent / 100

    return {
        "require_moderator": edition.requires_moderator,
        "require_secretary": edition.requires_secretary,
        "require_board": edition.requires_board_member,
        "min_stakeholder_types": edition.min_stakeholder_types or None,
        "max_stakeholder_share": share(edition.max_stakeholder_share),
        "max_gender_share": share(edition.max_gender_share),
        "one_theme_per_office": edition.one_theme_per_office,
        "balance_soft": edition.balance_rules_soft,
    }


def default_params(edition: Edition) -> dict[str, Any]:
    """The engine's settings for an edition: its group sizes and format, the rest from the site's settings."""
    return {
        "min_size": edition.group_size_min,
        "max_size": edition.group_size_max,
        "max_travel_km": settings.COOPSIP_FORMATION_MAX_TRAVEL_KM,
        "time_limit_s": settings.COOPSIP_FORMATION_SECONDS,
        "seed": 0,
        **format_params(edition),
    }


ENGINE_KEYS = {
    "min_size",
    "max_size",
    "max_travel_km",
    "require_moderator",
    "require_secretary",
    "require_board",
    "min_stakeholder_types",
    "max_stakeholder_share",
    "max_gender_share",
    "one_theme_per_office",
    "balance_soft",
    "time_limit_s",
    "seed",
}
MEMBER_STAKEHOLDER = "member"

BALANCE_RULES = ("min_stakeholder_types", "max_stakeholder_share", "max_gender_share")


def engine_params(values: Mapping[str, Any]) -> engine.Params:
    """Engine settings from a run's stored ``params`` (runs stored before the format have none of its keys)."""
    return engine.Params(**{key: value for key, value in values.items() if key in ENGINE_KEYS})


@dataclass(frozen=True)
class Loaded:
    problem: engine.Problem
    registrations: dict[str, Registration]


def active_registrations(edition: Edition, only: Collection[int] | None = None) -> list[Registration]:
    registrations = Registration.objects.filter(edition=edition)
    if only is not None:
        registrations = registrations.filter(pk__in=only)
    return list(
        registrations.exclude(status=RegistrationStatus.WITHDRAWN)
        .select_related("user", "office", "municipality")
        .prefetch_related("preferences", "slots")
        .order_by("pk")
    )


def volunteers_as_board_member(registration: Registration, *, board_member: bool) -> bool:
    """Whether the person sits in a group as its board member. Only a board member (``board_member``: in the
    board, as ``core.access.is_board_member`` says; the registration form asks nobody else) can: a flag on
    anyone else's registration (an import, an old answer) counts for nothing. Board members volunteer in their
    profile (``User.volunteers_as_board_member``); the online form starts from it and keeps the person's answer
    for the edition (unticked: they decline for this one). A registration staff imported or a group's
    invitation made never asked, so the profile answers for it."""
    if not board_member:
        return False
    if registration.source == Source.ONLINE:
        return registration.volunteers_as_board_member
    return registration.volunteers_as_board_member or registration.user.volunteers_as_board_member


def load_problem(edition: Edition, only: Collection[int] | None = None) -> Loaded:
    """The edition's formation problem: every registration not withdrawn (or only those in ``only``),
    its themes, all offices."""
    themes = tuple(
        engine.Theme(
            id=str(theme.pk),
            name=theme.title,
            countries=frozenset(code for code, on in (("BE", theme.in_belgium), ("FR", theme.in_france)) if on),
        )
        for theme in edition.themes.all()
    )
    offices = tuple(
        engine.Office(
            id=str(office.pk),
            name=office.name,
            country=office.country,
            lat=float(office.latitude),
            lon=float(office.longitude),
        )
        for office in Office.objects.order_by("pk")
    )
    registrations = active_registrations(edition, only)
    board = board_members_among(r.user_id for r in registrations)
    people = []
    for registration in registrations:
        place = registration.municipality
        roles = {
            role
            for role, on in (
                ("moderator", registration.volunteers_as_moderator),
                ("secretary", registration.volunteers_as_secretary),
                ("board", volunteers_as_board_member(registration, board_member=registration.user_id in board)),
            )
            if on
        }
        people.append(
            engine.Registrant(
                id=str(registration.pk),
                country=place.country if place is not None else "BE",
                languages=frozenset(code for code in registration.languages if code in engine.model.LANGUAGES),
                mode=registration.mode,  # type: ignore[arg-type]  # the same three values
                slots=frozenset(slot_code(slot.weekday, slot.part) for slot in registration.slots.all()),
                prefs=tuple(str(p.theme_id) for p in sorted(registration.preferences.all(), key=lambda p: p.rank)),
                roles=frozenset(roles),
                office=str(registration.office_id) if registration.office_id else None,
                lat=float(place.latitude) if place is not None else None,
                lon=float(place.longitude) if place is not None else None,
                # Members are a stakeholder type of their own, as the edition's format counts them
                # (the form's empty answer reads "a member of the cooperative").
                stakeholder=registration.stakeholder_type or MEMBER_STAKEHOLDER,
                gender=registration.gender or None,
            )
        )
    problem = engine.Problem(offices=offices, themes=themes, registrants=tuple(people))
    return Loaded(problem=problem, registrations={str(r.pk): r for r in registrations})


def as_engine_group(group: ProposedGroup, *, locked_only: bool = False) -> engine.Group:
    """A stored group for the engine; ``locked_only`` keeps only the members staff locked."""
    members = tuple(
        engine.Member(str(member.registration_id), member.role)  # type: ignore[arg-type]
        for member in group.members.all()
        if member.locked or not locked_only
    )
    return engine.Group(
        id=group.key,
        theme=str(group.theme_id),
        mode=group.mode,  # type: ignore[arg-type]
        office=str(group.office_id) if group.office_id else None,
        language=group.language,
        slot=group.slot,
        members=members,
    )


def locks_of(run: FormationRun, *, active: set[str]) -> tuple[list[engine.Group], list[engine.Group]]:
    """What a re-run of ``run`` must keep: the locked groups, whole (kept out of the engine), and for
    the other groups their locked people (the engine keeps them there; others may join them).

    People no longer in ``active`` (they withdrew since) are left out of both.
    """
    whole: list[engine.Group] = []
    partial: list[engine.Group] = []
    for group in run.groups.prefetch_related("members"):
        if group.locked:
            kept = as_engine_group(group)
        elif any(member.locked for member in group.members.all()):
            kept = as_engine_group(group, locked_only=True)
        else:
            continue
        members = tuple(member for member in kept.members if member.id in active)
        if members:
            (whole if group.locked else partial).append(replace(kept, members=members))
    return whole, partial
