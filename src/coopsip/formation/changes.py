"""What changes between two proposals of groups, and which proposal of an edition is published.

``proposal_changes`` is the one place that decides who "changes group" between
two proposals: publishing a run over another (only the people it lists are
emailed), the comparison of two runs, and the working groups built on a
published proposal all use it. (Re-exported by ``formation.selectors``.)
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from coopsip.editions.models import Edition
from coopsip.formation.models import FormationRun, ProposedGroup, Unplaced
from coopsip.registrations.models import Registration, RegistrationStatus


def published_run(edition: Edition) -> FormationRun | None:
    """The run whose proposal is published for ``edition`` now, or None (at most one: a database constraint)."""
    return (
        FormationRun.objects.filter(edition=edition, published_at__isnull=False, replaced_at__isnull=True)
        .select_related("edition", "published_by")
        .first()
    )


class ChangeKind(StrEnum):
    """How one person's place differs from the old proposal to the new one."""

    MOVED = "moved"  # a group in both, not the same group
    NEW_ROLE = "new_role"  # the same group, another role (moderator, secretary, participant)
    JOINED = "joined"  # no group in the old proposal (or not in it at all), a group in the new one
    LEFT = "left"  # a group in the old proposal, none in the new one
    STILL_WITHOUT = "still_without"  # not in the old proposal at all, no group in the new one


# The order in which changes are listed.
KIND_ORDER = [ChangeKind.MOVED, ChangeKind.NEW_ROLE, ChangeKind.JOINED, ChangeKind.LEFT, ChangeKind.STILL_WITHOUT]


@dataclass(frozen=True)
class Placement:
    """A person's group in one run (with its theme and office loaded) and their role in it."""

    group: ProposedGroup
    role: str


@dataclass(frozen=True)
class PersonChange:
    """One person whose place differs. ``before``/``after`` are None where they have no group; ``reason`` is
    the new run's record of why they have none (None when they are not in the new run at all: withdrawn)."""

    registration_id: int
    name: str
    kind: ChangeKind
    before: Placement | None
    after: Placement | None
    reason: Unplaced | None = None


@dataclass(frozen=True)
class GroupDifference:
    """A group that is not the same in both runs: only in the old (``new`` None), only in the new (``old``
    None), or matched in both with people who joined or left it."""

    old: ProposedGroup | None
    new: ProposedGroup | None
    joined: int
    left: int
    size_before: int
    size_after: int


@dataclass(frozen=True)
class ProposalChanges:
    """What changes from ``old`` (None: nothing published yet) to ``new``, person by person and group by group.

    ``people`` lists only the people whose place differs, in ``KIND_ORDER`` and then by name; ``unchanged``
    counts the others who have the same group and role in both (people without a group in both runs are
    neither). ``fingerprint`` identifies exactly this set of changes: a confirmation page sends it back, and
    publishing refuses when the changes are no longer the ones shown.
    """

    old: FormationRun | None
    new: FormationRun
    people: list[PersonChange]
    unchanged: int
    groups: list[GroupDifference]
    counts: dict[ChangeKind, int] = field(default_factory=dict)

    def of_kind(self, kind: ChangeKind) -> list[PersonChange]:
        return [change for change in self.people if change.kind == kind]

    @property
    def fingerprint(self) -> str:
        def where(place: Placement | None) -> str:
            return f"{place.group.pk}/{place.role}" if place else "-"

        parts = [f"{self.old.pk if self.old else '-'}>{self.new.pk}"]
        parts += [
            f"{c.registration_id}:{c.kind}:{where(c.before)}:{where(c.after)}"
            for c in sorted(self.people, key=lambda c: c.registration_id)
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _placements(run: FormationRun) -> tuple[dict[int, Placement], dict[int, ProposedGroup]]:
    groups = {group.pk: group for group in run.groups.select_related("theme", "office")}
    places = {
        registration_id: Placement(groups[group_id], role)
        for registration_id, group_id, role in run.members.values_list("registration_id", "group_id", "role")
    }
    return places, groups


def _signature(group: ProposedGroup) -> tuple[int, str, int | None, str, str]:
    """What a person notices of a group besides its people: theme, in person (where) or video, language, slot."""
    return (group.theme_id, group.mode, group.office_id, group.language, group.slot)


def _match_groups(
    old_members: dict[int, set[int]],
    new_members: dict[int, set[int]],
    old_groups: dict[int, ProposedGroup],
    new_groups: dict[int, ProposedGroup],
) -> dict[int, int]:
    """Old group → the new group that continues it: the same theme, place, language and slot, sharing the most
    people (greedily, most shared first; each group continues at most one). Group codes are not compared: the
    engine numbers each run's groups afresh."""
    pairs: list[tuple[int, int, int]] = []
    by_signature: dict[tuple[int, str, int | None, str, str], list[int]] = defaultdict(list)
    for pk, group in new_groups.items():
        by_signature[_signature(group)].append(pk)
    for old_pk, group in old_groups.items():
        for new_pk in by_signature.get(_signature(group), []):
            shared = len(old_members[old_pk] & new_members[new_pk])
            if shared:
                pairs.append((shared, old_pk, new_pk))
    matched: dict[int, int] = {}
    taken: set[int] = set()
    for _shared, old_pk, new_pk in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if old_pk not in matched and new_pk not in taken:
            matched[old_pk] = new_pk
            taken.add(new_pk)
    return matched


def _members_by_group(places: dict[int, Placement]) -> dict[int, set[int]]:
    members: dict[int, set[int]] = defaultdict(set)
    for registration_id, place in places.items():
        members[place.group.pk].add(registration_id)
    return members


def proposal_changes(old: FormationRun | None, new: FormationRun, *, only_active: bool = False) -> ProposalChanges:
    """Who changes group from the proposal of ``old`` to that of ``new``, who gets a group, who loses one.

    ``old`` is the proposal people were told about (the published run), or None when nothing was published:
    then everyone placed by ``new`` "joins" and everyone it left out is "still without" a group. Groups of
    the two runs are matched by what a person notices (theme, in person where or by video, language, time
    slot) and then by the people they share (``_match_groups``): a person whose group continues, with the
    same role, has not changed, even if others joined or left it. Someone moved between two groups that look
    alike (same theme, place, language and slot) did change: they meet other people.

    With ``only_active``, people whose registration is withdrawn are left out (they are told nothing).

    Queries: a fixed number whatever the size (the groups and members of both runs, the new run's people
    without a group, the names of the people who change). Pure otherwise: it changes nothing.
    """
    new_places, new_groups = _placements(new)
    old_places, old_groups = _placements(old) if old is not None else ({}, {})
    old_members, new_members = _members_by_group(old_places), _members_by_group(new_places)
    matched = _match_groups(old_members, new_members, old_groups, new_groups)
    new_unplaced = {person.registration_id: person for person in Unplaced.objects.filter(run=new)}
    in_old = set(old_places)
    if old is not None:
        in_old |= set(Unplaced.objects.filter(run=old).values_list("registration_id", flat=True))

    found: list[tuple[int, ChangeKind, Placement | None, Placement | None]] = []
    unchanged: list[int] = []
    for registration_id in sorted(set(old_places) | set(new_places) | set(new_unplaced)):
        before, after = old_places.get(registration_id), new_places.get(registration_id)
        if before and after:
            if matched.get(before.group.pk) != after.group.pk:
                found.append((registration_id, ChangeKind.MOVED, before, after))
            elif before.role != after.role:
                found.append((registration_id, ChangeKind.NEW_ROLE, before, after))
            else:
                unchanged.append(registration_id)
        elif after:
            found.append((registration_id, ChangeKind.JOINED, None, after))
        elif before:
            found.append((registration_id, ChangeKind.LEFT, before, None))
        elif registration_id not in in_old:
            found.append((registration_id, ChangeKind.STILL_WITHOUT, None, None))

    people = Registration.objects.filter(pk__in=[item[0] for item in found])
    if only_active:
        people = people.exclude(status=RegistrationStatus.WITHDRAWN)
    names = {
        pk: (" ".join(part for part in (first, last) if part) or email, last.lower(), first.lower())
        for pk, first, last, email in people.values_list("pk", "user__first_name", "user__last_name", "user__email")
    }
    changes = [
        PersonChange(pk, names[pk][0], kind, before, after, new_unplaced.get(pk) if after is None else None)
        for pk, kind, before, after in found
        if pk in names
    ]
    changes.sort(key=lambda c: (KIND_ORDER.index(c.kind), names[c.registration_id][1:], c.registration_id))
    counts = dict.fromkeys(KIND_ORDER, 0)
    for change in changes:
        counts[change.kind] += 1
    return ProposalChanges(
        old=old,
        new=new,
        people=changes,
        unchanged=len(unchanged),
        groups=_group_differences(old_groups, new_groups, old_members, new_members, matched),
        counts=counts,
    )


def _group_differences(
    old_groups: dict[int, ProposedGroup],
    new_groups: dict[int, ProposedGroup],
    old_members: dict[int, set[int]],
    new_members: dict[int, set[int]],
    matched: dict[int, int],
) -> list[GroupDifference]:
    """The groups that differ: matched groups whose people changed first, then those only in the old run, then
    those only in the new run; each in the order of the groups (theme, office, code)."""
    differences: list[GroupDifference] = []
    continued = set(matched.values())
    for old_pk, new_pk in matched.items():
        before, after = old_members[old_pk], new_members[new_pk]
        if before != after:
            joined, left = len(after - before), len(before - after)
            differences.append(
                GroupDifference(old_groups[old_pk], new_groups[new_pk], joined, left, len(before), len(after))
            )
    for pk, group in old_groups.items():
        if pk not in matched:
            differences.append(GroupDifference(group, None, 0, len(old_members[pk]), len(old_members[pk]), 0))
    for pk, group in new_groups.items():
        if pk not in continued:
            differences.append(GroupDifference(None, group, len(new_members[pk]), 0, 0, len(new_members[pk])))
    return differences
