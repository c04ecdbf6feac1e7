"""Reads of the staff review of a formation run, bounded whatever the size of the edition.

The review shows one theme × office (a *cell*) at a time, a page of groups at
a time, and the people without a group a page at a time. Which groups a person
could join is worked out for one person (the move dialog) or one page of
people, with the engine's own rules (``engine.validate``): a first pass keeps
the groups whose theme, language, slot, place and room suit the person, and
only those are checked in full with their members.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coopsip.editions.models import Theme
from coopsip.formation import engine, inputs
from coopsip.formation.changes import ProposalChanges as ProposalChanges
from coopsip.formation.changes import proposal_changes as proposal_changes
from coopsip.formation.changes import published_run as published_run  # re-exported, as are the two above
from coopsip.formation.engine.validate import member_violations
from coopsip.formation.models import FormationRun, MemberRole, ProposedGroup, ProposedMember, RunStatus, Unplaced
from coopsip.formation.reasons import Names, group_label, unplaced_text, violation_text
from coopsip.places.models import Office
from coopsip.registrations.models import Registration

GROUPS_PER_PAGE = 12
UNPLACED_PER_PAGE = 50
# How many groups a reason names before saying "and N more".
NAMED_GROUPS = 3
# How many groups that cannot take a person the move dialog names, each with the rules it would break.
REFUSED_SHOWN = 5
ROLE_ORDER = {MemberRole.MODERATOR: 0, MemberRole.SECRETARY: 1, MemberRole.BOARD: 2, MemberRole.PARTICIPANT: 3}
VIDEO = "video"


def person_name(registration: Registration) -> str:
    return registration.user.get_full_name() or registration.user.email


# --- Cells: the navigation by theme and office ---------------------------------------


@dataclass(frozen=True)
class Cell:
    """The groups of one theme at one office (or by video), with how many there are."""

    key: str
    theme: Theme
    office: Office | None
    groups: int
    people: int


def cell_key(theme_id: int, office_id: int | None) -> str:
    return f"{theme_id}-{office_id or VIDEO}"


def parse_cell(value: str | None) -> tuple[int, int | None] | None:
    """ "12-3" → (12, 3), "12-video" → (12, None); anything else → None."""
    theme, _sep, office = (value or "").partition("-")
    if not theme.isdigit() or not (office.isdigit() or office == VIDEO):
        return None
    return int(theme), int(office) if office.isdigit() else None


def cells(run: FormationRun) -> list[Cell]:
    """Every theme × office of the run's groups, in the order of the themes, the offices by name, video last."""
    rows = list(
        run.groups.order_by()
        .values("theme_id", "office_id")
        .annotate(groups=Count("id", distinct=True), people=Count("members"))
    )
    themes = {theme.pk: theme for theme in Theme.objects.filter(pk__in={row["theme_id"] for row in rows})}
    office_ids = {row["office_id"] for row in rows if row["office_id"]}
    offices = {office.pk: office for office in Office.objects.filter(pk__in=office_ids)} if office_ids else {}
    found = [
        Cell(
            key=cell_key(row["theme_id"], row["office_id"]),
            theme=themes[row["theme_id"]],
            office=offices.get(row["office_id"]),
            groups=row["groups"],
            people=row["people"],
        )
        for row in rows
    ]
    return sorted(
        found,
        key=lambda c: (c.theme.position, c.theme.pk, c.office is None, c.office.name if c.office else ""),
    )


@dataclass(frozen=True)
class ThemeCells:
    theme: Theme
    cells: list[Cell]
    groups: int
    people: int


def by_theme(found: Sequence[Cell]) -> list[ThemeCells]:
    out: list[ThemeCells] = []
    for cell in found:
        if not out or out[-1].theme.pk != cell.theme.pk:
            out.append(ThemeCells(theme=cell.theme, cells=[], groups=0, people=0))
        last = out[-1]
        out[-1] = ThemeCells(last.theme, [*last.cells, cell], last.groups + cell.groups, last.people + cell.people)
    return out


# --- Groups with their members ------------------------------------------------------------


@dataclass(frozen=True)
class GroupRow:
    group: ProposedGroup
    members: list[ProposedMember]
    label: str
    slot: str
    cell: str


def group_row(group: ProposedGroup) -> GroupRow:
    members = sorted(
        group.members.all(), key=lambda m: (ROLE_ORDER[MemberRole(m.role)], person_name(m.registration), m.pk)
    )
    return GroupRow(
        group=group,
        members=members,
        label=group_label(group),
        slot=inputs.slot_label(group.slot),
        cell=cell_key(group.theme_id, group.office_id),
    )


def group_rows(groups: Iterable[ProposedGroup]) -> list[GroupRow]:
    return [group_row(group) for group in groups]


def groups_with_members(run: FormationRun) -> QuerySet[ProposedGroup]:
    members = Prefetch("members", queryset=ProposedMember.objects.select_related("registration__user"))
    return run.groups.select_related("theme", "office").prefetch_related(members)


def cell_page(run: FormationRun, theme_id: int, office_id: int | None, number: Any) -> tuple[Page[Any], list[GroupRow]]:
    """One page of the groups of a theme × office, each with its members (three queries whatever the size)."""
    place = Q(office_id=office_id) if office_id is not None else Q(office__isnull=True)
    groups = groups_with_members(run).filter(place, theme_id=theme_id).order_by("key")
    page = Paginator(groups, GROUPS_PER_PAGE).get_page(number)
    return page, group_rows(page.object_list)


# --- Who could join which group ------------------------------------------------------------


def _groups_with_counts(run: FormationRun) -> list[ProposedGroup]:
    """Every group of the run with its size and its moderators and secretaries counted (one query)."""
    return list(
        run.groups.select_related("theme", "office")
        .annotate(
            size=Count("members"),
            moderators=Count("members", filter=Q(members__role=MemberRole.MODERATOR)),
            secretaries=Count("members", filter=Q(members__role=MemberRole.SECRETARY)),
            boards=Count("members", filter=Q(members__role=MemberRole.BOARD)),
        )
        .order_by("theme__position", "office__name", "key")
    )


def _shell(group: ProposedGroup, members: Sequence[engine.Member] = ()) -> engine.Group:
    office = str(group.office_id) if group.office_id else None
    mode: Any = group.mode
    return engine.Group(group.key, str(group.theme_id), mode, office, group.language, group.slot, tuple(members))


@dataclass
class _Rules:
    """The engine's view of a run: its settings, themes and offices by id."""

    params: engine.Params
    themes: dict[str, engine.Theme]
    offices: dict[str, engine.Office]

    @classmethod
    def of(cls, run: FormationRun, problem: engine.Problem) -> _Rules:
        return cls(
            params=inputs.engine_params(run.params),
            themes={theme.id: theme for theme in problem.themes},
            offices={office.id: office for office in problem.offices},
        )

    def suits(self, person: engine.Registrant, group: ProposedGroup, role: str = MemberRole.PARTICIPANT) -> bool:
        """The person may be ``role`` in the group as far as they alone are concerned (theme, country, language,
        slot, place, how they meet, the role volunteered for)."""
        if str(group.theme_id) not in person.prefs or group.language not in person.languages:
            return False
        if group.slot not in person.slots:
            return False
        office = self.offices.get(str(group.office_id)) if group.office_id else None
        shell = _shell(group)
        return not member_violations(person, role, shell, self.themes.get(shell.theme), office, self.params)

    def has_room(self, group: ProposedGroup, role: str) -> bool:
        """Another person fits in the group as ``role``: its size and its one moderator and one secretary."""
        if getattr(group, "size", 0) + 1 > self.params.max_size:
            return False
        if role == MemberRole.MODERATOR:
            return getattr(group, "moderators", 0) == 0
        if role == MemberRole.SECRETARY:
            return getattr(group, "secretaries", 0) == 0
        if role == MemberRole.BOARD:
            return getattr(group, "boards", 0) == 0
        return True

    def why_none_suits(self, person: engine.Registrant, groups: Sequence[ProposedGroup]) -> str:
        """Why no group of the proposal suits the person: the first condition that leaves none."""
        themed = [g for g in groups if str(g.theme_id) in person.prefs]
        if not themed:
            return _("No group of this proposal has a theme this person chose.")
        spoken = [g for g in themed if g.language in person.languages]
        if not spoken:
            return _("The groups of the themes this person chose meet in languages they do not work in.")
        timely = [g for g in spoken if g.slot in person.slots]
        if not timely:
            return _(
                "The groups of the themes this person chose, in their languages, meet at times they are not available."
            )
        if person.mode == "video" and not any(g.mode == "video" for g in timely):
            return _("This person meets only by video, and the groups that would suit them meet in person.")
        return _(
            "The groups that would suit this person meet too far from their home (more than %(km)s km) "
            "or not the way they want to meet."
        ) % {"km": f"{self.params.max_travel_km:g}"}


def _named(groups: Sequence[ProposedGroup]) -> str:
    shown = "; ".join(group_label(group) for group in groups[:NAMED_GROUPS])
    more = len(groups) - NAMED_GROUPS
    if more > 0:
        return ngettext("%(groups)s and %(count)s more", "%(groups)s and %(count)s more", more) % {
            "groups": shown,
            "count": more,
        }
    return shown


@dataclass(frozen=True)
class UnplacedRow:
    person: Unplaced
    name: str
    reason: str
    # A group suits the person and has room for one more participant: the "place in a group" dialog is offered.
    placeable: bool


def unplaced_page(run: FormationRun, number: Any) -> tuple[Page[Any], list[UnplacedRow]]:
    """One page of the people without a group, each with the reason in words and whether a group could take them.

    The engine's "groups full" names a theme × office it thought of; here the
    reason names the real groups of the proposal that suit the person (and
    are full), or says plainly that none suits them and why.
    """
    people = run.unplaced.select_related("registration__user").order_by(
        "registration__user__last_name", "registration__user__first_name", "pk"
    )
    page = Paginator(people, UNPLACED_PER_PAGE).get_page(number)
    rows: list[Unplaced] = list(page.object_list)
    if not rows:
        return page, []
    loaded = inputs.load_problem(run.edition, only=[row.registration_id for row in rows])
    registrants = {person.id: person for person in loaded.problem.registrants}
    rules = _Rules.of(run, loaded.problem)
    groups = _groups_with_counts(run)
    names = Names({str(row.registration_id): row.registration for row in rows})
    roomy_of: dict[int, list[ProposedGroup]] = {}
    suited_of: dict[int, list[ProposedGroup]] = {}
    for row in rows:
        person = registrants.get(str(row.registration_id))
        suited_of[row.pk] = [g for g in groups if rules.suits(person, g)] if person is not None else []
        roomy_of[row.pk] = [g for g in suited_of[row.pk] if rules.has_room(g, MemberRole.PARTICIPANT)]
    # The groups with room are checked in full with the person in them (the balance rules count the group's
    # members): "place in a group" is offered only when one of them would take the person.
    check = _FullCheck.of(run, {g.pk: g for found in roomy_of.values() for g in found}.values(), people=registrants)
    out = []
    for row in rows:
        person = registrants.get(str(row.registration_id))
        suited, roomy = suited_of[row.pk], roomy_of[row.pk]
        broken = [check.broken(g, str(row.registration_id), MemberRole.PARTICIPANT) for g in roomy]
        taking = [g for g, rules_broken in zip(roomy, broken, strict=True) if not rules_broken]
        reason = unplaced_text(row.code, row.params, names)
        if roomy and not taking:
            first = [rules_broken[0] for rules_broken in broken]
            reason = _("The groups that suit this person and have room would break a rule with them: %(rules)s") % {
                "rules": " ".join(first[:NAMED_GROUPS])
            }
        elif row.code == "groups_full" and person is not None:
            if taking:
                reason = _("These groups suit this person and have room now: %(groups)s.") % {"groups": _named(taking)}
            elif suited:
                reason = _("The groups that suit this person are full: %(groups)s.") % {"groups": _named(suited)}
            else:
                reason = rules.why_none_suits(person, groups)
        out.append(UnplacedRow(person=row, name=person_name(row.registration), reason=reason, placeable=bool(taking)))
    return page, out


@dataclass
class _FullCheck:
    """Groups checked whole, as the engine's validator sees them, with one more person in them: the rules
    about the whole group (its size, roles and balance) in words. Loads the groups' members once."""

    run: FormationRun
    params: engine.Params
    problem: engine.Problem
    names: Names
    members: dict[int, list[engine.Member]]

    @classmethod
    def of(
        cls,
        run: FormationRun,
        groups: Iterable[ProposedGroup],
        *,
        people: Iterable[str] = (),
        leaving: Iterable[int] = (),
    ) -> _FullCheck:
        ids = [g.pk for g in groups]
        rows = ProposedMember.objects.filter(group_id__in=ids).values_list("group_id", "registration_id", "role")
        members: dict[int, list[engine.Member]] = {}
        for group_id, member_id, member_role in rows:
            stored: Any = member_role
            members.setdefault(group_id, []).append(engine.Member(str(member_id), stored))
        others = {int(m.id) for found in members.values() for m in found}
        wanted = others | {int(pid) for pid in people} | set(leaving)
        loaded = inputs.load_problem(run.edition, only=wanted) if ids else None
        return cls(
            run=run,
            params=inputs.engine_params(run.params),
            problem=loaded.problem if loaded else engine.Problem(offices=(), themes=(), registrants=()),
            names=Names(loaded.registrations if loaded else {}),
            members=members,
        )

    def broken(self, group: ProposedGroup, pid: str, role: str, *, also: engine.Group | None = None) -> list[str]:
        """The rules ``group`` (and ``also``, the group the person leaves) would break with ``pid`` in it as
        ``role``, in words naming the group (empty: none)."""
        as_role: Any = role
        target = _after(_shell(group, self.members.get(group.pk, ())), without=pid, add=engine.Member(pid, as_role))
        checked = [target, also] if also is not None else [target]
        hard = [v for v in engine.validate(self.problem, checked, self.params) if v.severity == "hard"]
        label = group_label(group)
        return [
            violation_text(v.code, v.params, self.names, group=label if v.group == group.key else None) for v in hard
        ]


@dataclass(frozen=True)
class GroupOption:
    group: ProposedGroup
    label: str


@dataclass(frozen=True)
class RefusedGroup:
    label: str
    reasons: list[str]


@dataclass
class MoveOptions:
    """Where a person could go in a run, as ``role``: the groups that break no rule, or why there are none."""

    registration: Registration
    name: str
    role: str
    current: ProposedMember | None = None
    groups: list[GroupOption] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    # The groups near the person that cannot take them, and why (the first REFUSED_SHOWN; more_refused: the rest).
    refused: list[RefusedGroup] = field(default_factory=list)
    more_refused: int = 0

    @property
    def role_label(self) -> str:
        return str(MemberRole(self.role).label)


def _after(group: engine.Group, *, without: str | None = None, add: engine.Member | None = None) -> engine.Group:
    members = tuple(m for m in group.members if m.id != without)
    return replace(group, members=(*members, add) if add is not None else members)


def move_options(*, run: FormationRun, registration: Registration, role: str) -> MoveOptions:
    """The groups ``registration`` could move into (or be placed in) as ``role`` without breaking any rule.

    The same rules as ``services.check_move``: the group joined and the group
    left, each checked whole as it would be afterwards. A person who is locked,
    or whose leaving would break their group, can go nowhere: ``blocked`` says why.
    """
    options = MoveOptions(registration=registration, name=person_name(registration), role=role)
    if run.status != RunStatus.DONE or run.published_at is not None:
        options.blocked.append(_("This run can no longer be changed."))
        return options
    current = run.members.filter(registration=registration).select_related("group__theme", "group__office").first()
    options.current = current
    if current is not None and (current.locked or current.group.locked):
        options.blocked.append(_("Unlock the person and their group before moving them."))
        return options
    leaving: set[int] = set()
    if current is not None:
        leaving = set(current.group.members.values_list("registration_id", flat=True))
    loaded = inputs.load_problem(run.edition, only={registration.pk, *leaving})
    pid = str(registration.pk)
    person = next((p for p in loaded.problem.registrants if p.id == pid), None)
    if person is None:
        options.blocked.append(_("%(person)s has no active registration for this edition.") % {"person": options.name})
        return options
    rules = _Rules.of(run, loaded.problem)
    left: engine.Group | None = None
    if current is not None:
        left = _after(inputs.as_engine_group(current.group), without=pid)
        broken = [v for v in engine.validate(loaded.problem, [left], rules.params) if v.severity == "hard"]
        if broken:
            label = group_label(current.group)
            names = Names(loaded.registrations)
            options.blocked.extend(violation_text(v.code, v.params, names, group=label) for v in broken)
            return options
    groups = [g for g in _groups_with_counts(run) if current is None or g.pk != current.group_id]
    # The groups near the person (theme, language, slot, place, how they meet): those with room for the role
    # are checked whole; the others (full, or with that role taken) and those that would break a rule are
    # named with the rules in words, the nearest first.
    suited = [g for g in groups if rules.suits(person, g, role)]
    if not suited:
        return options
    check = _FullCheck.of(run, suited, people=[pid], leaving=leaving)
    for group in suited:
        reasons = check.broken(group, pid, role, also=left)
        if not reasons and rules.has_room(group, role):
            options.groups.append(GroupOption(group=group, label=group_label(group)))
        elif len(options.refused) < REFUSED_SHOWN:
            options.refused.append(
                RefusedGroup(
                    label=group_label(group),
                    reasons=reasons
                    or [
                        _("%(group)s has no room for one more %(role)s.")
                        % {"group": group_label(group), "role": options.role_label}
                    ],
                )
            )
    options.more_refused = len(suited) - len(options.groups) - len(options.refused)
    return options
