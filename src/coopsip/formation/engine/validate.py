"""An independent check of every rule a set of groups must keep.

It shares no code with the solver on purpose: the tests, the report and the staff
review page (a person moved by hand) all ask it which rule breaks and why.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from .geo import haversine_km
from .model import Group, Member, Office, Params, Problem, Registrant, Role, Solution, Theme, Violation

LANGUAGE_NAMES = {"nl": "Dutch", "fr": "French", "en": "English"}


def travel_km(person: Registrant, office: Office) -> float | None:
    """Distance from home to ``office``; ``None`` when the person gave no coordinates."""
    if person.lat is None or person.lon is None:
        return None
    return haversine_km(person.lat, person.lon, office.lat, office.lon)


def can_meet_at(person: Registrant, office: Office, max_travel_km: float) -> bool:
    km = travel_km(person, office)
    if km is None:
        return person.office == office.id
    return km <= max_travel_km + 1e-9


def validate(problem: Problem, solution: Solution | Iterable[Group], params: Params) -> list[Violation]:
    """Every broken rule of ``solution`` (hard rules, then the optional balance rules as "soft")."""
    groups = list(solution.groups if isinstance(solution, Solution) else solution)
    people = {p.id: p for p in problem.registrants}
    offices = {o.id: o for o in problem.offices}
    themes = {t.id: t for t in problem.themes}
    out: list[Violation] = []

    def add(code: str, message: str, group: Group | None = None, who: str | None = None, **params: object) -> None:
        out.append(Violation(code, message, params, group.id if group else None, who))

    seen: dict[str, str] = {}
    ids = Counter(g.id for g in groups)
    for gid, count in ids.items():
        if count > 1:
            add("duplicate_group", f"Group id {gid} is used {count} times.", group_id=gid)
    for group in groups:
        g = group.id
        theme = themes.get(group.theme)
        if theme is None:
            add("unknown_theme", f"Group {g}: theme {group.theme} does not exist.", group, theme=group.theme)
        office = None
        if group.mode == "in_person":
            office = offices.get(group.office or "")
            if office is None:
                add("unknown_office", f"Group {g} meets in person at an unknown office.", group, office=group.office)
        elif group.mode != "video":
            add("unknown_mode", f"Group {g}: mode {group.mode} is neither in_person nor video.", group)
        size = len(group.members)
        if not params.min_size <= size <= params.max_size:
            add(
                "group_size",
                f"Group {g} has {size} members (allowed: {params.min_size} to {params.max_size}).",
                group,
                size=size,
                min_size=params.min_size,
                max_size=params.max_size,
            )
        for role, required in (
            ("moderator", params.require_moderator),
            ("secretary", params.require_secretary),
            ("board", params.require_board),
        ):
            count = sum(1 for m in group.members if m.role == role)
            if count > 1 or (required and count != 1):
                add(
                    f"{role}_count",
                    f"Group {g} has {count} {role}s (it needs exactly one).",
                    group,
                    role=role,
                    count=count,
                )
        for member in group.members:
            pid = member.id
            person = people.get(pid)
            if person is None:
                add("unknown_person", f"Group {g}: {pid} is not a registrant.", group, pid, person=pid)
                continue
            if pid in seen:
                add(
                    "in_two_groups",
                    f"{pid} is in two groups ({seen[pid]} and {g}).",
                    group,
                    pid,
                    person=pid,
                    other_group=seen[pid],
                )
            seen[pid] = g
            out.extend(member_violations(person, member.role, group, theme, office, params))
    if params.one_theme_per_office:
        by_office: dict[str, set[str]] = {}
        for group in groups:
            if group.mode == "in_person" and group.office:
                by_office.setdefault(group.office, set()).add(group.theme)
        for office_id, office_themes in sorted(by_office.items()):
            if len(office_themes) > 1:
                add(
                    "one_theme_per_office",
                    f"Office {office_id} hosts several themes ({', '.join(sorted(office_themes))}).",
                    office=office_id,
                    themes=sorted(office_themes),
                )
    out.extend(balance_warnings(problem, groups, params))
    return out


def member_violations(
    person: Registrant, role: str, group: Group, theme: Theme | None, office: Office | None, params: Params
) -> list[Violation]:
    """The rules ``person`` breaks by being ``role`` in ``group`` (size and counts aside)."""
    out: list[Violation] = []
    pid, g = person.id, group.id

    def add(code: str, message: str, **values: object) -> None:
        out.append(Violation(code, message, {"person": pid, **values}, g, pid))

    if role not in ("moderator", "secretary", "board", "participant"):
        add("unknown_role", f"{pid} has an unknown role {role}.", role=role)
    elif role != "participant" and role not in person.roles:
        add("role_not_volunteered", f"{pid} is {role} of group {g} but did not volunteer for it.", role=role)
    if group.theme not in person.prefs:
        add("theme_not_chosen", f"{pid} did not choose theme {group.theme}.", theme=group.theme)
    if theme is not None and person.country not in theme.countries:
        add(
            "theme_not_in_country",
            f"Theme {theme.name} does not run in {person.country}, where {pid} lives.",
            theme=theme.id,
            country=person.country,
        )
    if group.language not in person.languages:
        name = LANGUAGE_NAMES.get(group.language, group.language)
        add("language", f"{pid} does not speak {name}.", language=group.language)
    if group.slot not in person.slots:
        add("not_available", f"{pid} is not available at {group.slot}.", slot=group.slot)
    if group.mode == "in_person":
        if person.mode == "video":
            add("video_only", f"{pid} meets only by video but group {g} meets in person.")
        if office is not None and not can_meet_at(person, office, params.max_travel_km):
            km = travel_km(person, office)
            add(
                "too_far",
                f"{pid} lives {km:.0f} km from {office.name} (at most {params.max_travel_km:g} km)."
                if km is not None
                else f"{pid} gave no address and {office.name} is not their office.",
                office=office.id,
                km=None if km is None else round(km, 1),
                max_km=params.max_travel_km,
            )
    elif group.mode == "video" and person.mode == "in_person":
        add("in_person_only", f"{pid} meets only in person but group {g} meets by video.")
    return out


def check_member(
    problem: Problem, params: Params, group: Group, person_id: str, role: str = "participant"
) -> list[Violation]:
    """What breaks if ``person_id`` joins ``group`` as ``role`` (for a staff member moving someone by hand)."""
    person = next((p for p in problem.registrants if p.id == person_id), None)
    if person is None:
        return [Violation("unknown_person", f"{person_id} is not a registrant.", {"person": person_id}, group.id)]
    members = (*tuple(m for m in group.members if m.id != person_id), Member(person_id, _as_role(role)))
    moved = Group(group.id, group.theme, group.mode, group.office, group.language, group.slot, members)
    return validate(problem, [moved], params)


def _as_role(role: str) -> Role:
    if role in ("moderator", "secretary", "board"):
        return role  # type: ignore[return-value]  # one of the Role literals
    return "participant"


def balance_warnings(problem: Problem, groups: Iterable[Group], params: Params) -> list[Violation]:
    """The balance rules: hard violations unless ``params.balance_soft`` (then soft warnings).

    The gender share counts the members who gave a gender; the stakeholder share counts every
    member (people without a type dilute it)."""
    if params.max_gender_share is None and not params.min_stakeholder_types and params.max_stakeholder_share is None:
        return []
    severity: Literal["hard", "soft"] = "soft" if params.balance_soft else "hard"
    people = {p.id: p for p in problem.registrants}
    out: list[Violation] = []
    for group in groups:
        members = [people[m.id] for m in group.members if m.id in people]
        if params.max_gender_share is not None and members:
            genders = Counter(p.gender for p in members if p.gender)
            if genders:
                gender, count = genders.most_common(1)[0]
                answered = sum(genders.values())
                if count > params.max_gender_share * answered + 1e-9:
                    out.append(
                        Violation(
                            "gender_share",
                            f"Group {group.id}: {count} of the {answered} members who gave a gender are {gender} "
                            f"(at most {params.max_gender_share:.0%}).",
                            {
                                "gender": gender,
                                "count": count,
                                "size": answered,
                                "share": round(100 * params.max_gender_share),
                            },
                            group.id,
                            severity=severity,
                        )
                    )
        if params.max_stakeholder_share is not None and members:
            kinds = Counter(p.stakeholder for p in members if p.stakeholder)
            if kinds:
                kind, count = kinds.most_common(1)[0]
                if count > params.max_stakeholder_share * len(members) + 1e-9:
                    out.append(
                        Violation(
                            "stakeholder_share",
                            f"Group {group.id}: {count} of {len(members)} are {kind} "
                            f"(at most {params.max_stakeholder_share:.0%}).",
                            {
                                "stakeholder": kind,
                                "count": count,
                                "size": len(members),
                                "share": round(100 * params.max_stakeholder_share),
                            },
                            group.id,
                            severity=severity,
                        )
                    )
        if params.min_stakeholder_types:
            mixed = {p.stakeholder for p in members if p.stakeholder}
            if len(mixed) < params.min_stakeholder_types:
                out.append(
                    Violation(
                        "stakeholder_types",
                        f"Group {group.id} has {len(mixed)} stakeholder types "
                        f"(at least {params.min_stakeholder_types}).",
                        {"count": len(mixed), "min": params.min_stakeholder_types},
                        group.id,
                        severity=severity,
                    )
                )
    return out
