"""Re-forming after one person declines: only the groups that must change, change.

In order, stopping at the first that works: the group is still valid (a volunteer
member takes over the role the person held); a person left out who fits the group
joins it; a volunteer or member who can be spared moves over from another group (of
the same theme, place, language and slot first, then any group whose member fits and
which stays at least ``min_size``); else the group is dissolved and its members
join groups with room that they fit, or are left out with a reason. No index over all
people is built, so it stays fast on large editions.

With hard balance rules (``balance_soft`` false) every step keeps them in view: among the
people who fit, the one who leaves the group nearest to every rule joins (then the most
points); a group a decline tipped over a rule (a partner leaves: three clients of five) first
takes someone left out, then a participant a sibling can spare, who brings it back; a donor
never gives up someone it needs for its own rules, and a dissolved group's members only join
groups they do not tip over. A group no one can repair is kept as it is and named in
``report["balance_flags"]`` (group, code, English words), never silently broken.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from .model import Group, Member, Params, Problem, Registrant, Role, Solution, Unassigned
from .validate import balance_warnings, member_violations, travel_km, validate


def strain(people: list[Registrant], params: Params) -> int:
    """How far ``people`` as one group are from the hard balance rules (0: they keep them all): types
    missing, plus people of one stakeholder type or gender over their share."""
    if params.balance_soft:
        return 0
    out = 0
    if params.min_stakeholder_types:
        out += max(0, params.min_stakeholder_types - len({p.stakeholder for p in people if p.stakeholder}))
    if params.max_stakeholder_share is not None:
        kinds = Counter(p.stakeholder for p in people if p.stakeholder)
        if kinds:
            out += max(0, max(kinds.values()) - _cap(params.max_stakeholder_share, len(people)))
    if params.max_gender_share is not None:
        genders = Counter(p.gender for p in people if p.gender)
        if genders:
            out += max(0, max(genders.values()) - _cap(params.max_gender_share, sum(genders.values())))
    return out


def _cap(share: float, count: int) -> int:
    return int(share * count + 1e-9)


def reform_after_decline(problem: Problem, params: Params, solution: Solution, person_id: str) -> Solution:
    """``solution`` without ``person_id``, repaired with as few groups changed as possible.

    The report gains ``changed_groups`` (ids of groups whose members changed, dissolved
    ones included) and ``moved`` (people placed anew)."""
    start = time.perf_counter()
    people = {p.id: p for p in problem.registrants}
    themes = {t.id: t for t in problem.themes}
    offices = {o.id: o for o in problem.offices}
    groups = {g.id: g for g in solution.groups}
    unassigned = {u.id: u for u in solution.unassigned if u.id != person_id}
    changed: set[str] = set()
    moved: list[str] = []
    actions: list[dict[str, str]] = []  # what was done, in order (report["decline_actions"])
    home = next((g for g in solution.groups if any(m.id == person_id for m in g.members)), None)

    def fits(person: Registrant, group: Group, role: str = "participant") -> bool:
        office = offices.get(group.office or "")
        return not member_violations(person, role, group, themes.get(group.theme), office, params)

    def points(person: Registrant, group: Group) -> float:
        w = params.weights
        rank = person.prefs.index(group.theme)
        value = w.assigned - w.rank[rank]
        if group.mode == "video":
            return value - w.video
        km = travel_km(person, offices[group.office or ""])
        return value - w.travel_per_km * (km or 0.0)

    def role_gaps(group: Group) -> list[Role]:
        gaps: list[Role] = []
        if params.require_moderator and not any(m.role == "moderator" for m in group.members):
            gaps.append("moderator")
        if params.require_secretary and not any(m.role == "secretary" for m in group.members):
            gaps.append("secretary")
        if params.require_board and not any(m.role == "board" for m in group.members):
            gaps.append("board")
        return gaps

    def strained(group: Group, extra: Registrant | None = None, without: str | None = None) -> int:
        members = [people[m.id] for m in group.members if m.id != without]
        return strain([*members, extra] if extra is not None else members, params)

    def best(candidates: list[Registrant], group: Group, role: str = "participant") -> Registrant | None:
        ok = [p for p in candidates if (role == "participant" or role in p.roles) and fits(p, group, role)]
        # Nearest to every balance rule first, then the most points.
        return max(ok, key=lambda p: (-strained(group, p), points(p, group), p.id), default=None)

    if home is not None:
        group = replace(home, members=tuple(m for m in home.members if m.id != person_id))
        changed.add(group.id)
        # 1. A member who volunteered takes over the role.
        for role in role_gaps(group):
            members = list(group.members)
            for k, m in enumerate(members):
                if m.role == "participant" and role in people[m.id].roles:
                    members[k] = Member(m.id, role)
                    actions.append({"action": "role_taken_by_member", "person": m.id, "role": role})
                    break
            group = replace(group, members=tuple(members))
        # 2. People left out who fit join, roles first.
        pool = [people[u] for u in sorted(unassigned)]
        for role in role_gaps(group):
            chosen = best(pool, group, role)
            if chosen is not None:
                group = replace(group, members=(*group.members, Member(chosen.id, role)))
                pool.remove(chosen)
                unassigned.pop(chosen.id)
                moved.append(chosen.id)
                actions.append({"action": "joined_from_left_out", "person": chosen.id, "role": role})
        while len(group.members) < params.min_size:
            chosen = best(pool, group)
            if chosen is None:
                break
            group = replace(group, members=(*group.members, Member(chosen.id, "participant")))
            pool.remove(chosen)
            unassigned.pop(chosen.id)
            moved.append(chosen.id)
            actions.append({"action": "joined_from_left_out", "person": chosen.id, "role": "participant"})
        # 2b. A group the decline tipped over a balance rule takes someone left out who brings it back.
        while len(group.members) < params.max_size and strained(group):
            chosen = best(pool, group)
            if chosen is None or strained(group, chosen) >= strained(group):
                break
            group = replace(group, members=(*group.members, Member(chosen.id, "participant")))
            pool.remove(chosen)
            unassigned.pop(chosen.id)
            moved.append(chosen.id)
            actions.append({"action": "joined_from_left_out", "person": chosen.id, "role": "participant"})
        # 3. Borrow from a sibling group (same theme, place, language and slot) that can spare someone.
        siblings = [
            g
            for g in solution.groups
            if g.id != group.id
            and (g.theme, g.mode, g.office, g.language, g.slot)
            == (group.theme, group.mode, group.office, group.language, group.slot)
        ]
        needs: list[Role] = [*role_gaps(group)]
        needs += ["participant"] * max(0, params.min_size - len(group.members) - len(needs))
        sibling_ids = {g.id for g in siblings}
        # Siblings first (same cell: everyone fits), then any other group whose member fits this one.
        donors = sorted(siblings, key=lambda g: -len(g.members))
        donors += sorted(
            (g for g in solution.groups if g.id != group.id and g.id not in sibling_ids),
            key=lambda g: (-len(g.members), g.id),
        )
        # A balance rule still broken asks for one more participant who brings the group back (room allowing).
        balancing = bool(strained(group)) and len(group.members) + len(needs) < params.max_size
        wanted: list[tuple[Role, bool]] = [(need, False) for need in needs]
        wanted += [("participant", True)] if balancing else []
        for role, for_balance in wanted:
            for donor in donors:
                donor = groups.get(donor.id)  # type: ignore[assignment]
                if donor is None or len(donor.members) <= params.min_size:
                    continue
                # The donor keeps its own rules (or gets no worse), the group gets no further from its own.
                spare = [
                    m
                    for m in donor.members
                    if m.role == "participant"
                    and (role == "participant" or role in people[m.id].roles)
                    and (
                        donor.id in sibling_ids
                        or (group.theme in people[m.id].prefs and fits(people[m.id], group, role))
                    )
                    and strained(donor, without=m.id) <= strained(donor)
                ]
                if for_balance:
                    spare = [m for m in spare if strained(group, people[m.id]) < strained(group)]
                if spare:
                    # The last one that leaves the group nearest to its rules (as before: the last spare).
                    m = min(reversed(spare), key=lambda x: strained(group, people[x.id]))
                    groups[donor.id] = replace(donor, members=tuple(x for x in donor.members if x.id != m.id))
                    group = replace(group, members=(*group.members, Member(m.id, role)))
                    changed.add(donor.id)
                    moved.append(m.id)
                    actions.append({"action": "moved_from_group", "person": m.id, "from": donor.id, "role": role})
                    break
        if len(group.members) >= params.min_size and not role_gaps(group):
            groups[group.id] = group
        else:
            # 4. Dissolve: each member joins a group with room that they fit, or is left out.
            del groups[group.id]
            actions.append({"action": "dissolved", "group": group.id})
            for m in group.members:
                person = people[m.id]
                # Only a group they do not tip over a balance rule (one nearer to its rules first).
                options = [
                    g
                    for g in groups.values()
                    if g.theme in person.prefs
                    and len(g.members) < params.max_size
                    and fits(person, g)
                    and strained(g, person) <= strained(g)
                ]
                target = max(
                    options,
                    key=lambda g: (strained(g) - strained(g, person), points(person, g), g.id),
                    default=None,
                )
                if target is None:
                    unassigned[m.id] = Unassigned(
                        m.id,
                        "group_dissolved",
                        {"group": group.id, "declined": person_id},
                        f"your group {group.id} could not go on after someone declined and no other group "
                        "you fit has room",
                    )
                    continue
                groups[target.id] = replace(target, members=(*target.members, Member(m.id, "participant")))
                changed.add(target.id)
                moved.append(m.id)
    new_groups = tuple(sorted(groups.values(), key=lambda g: g.id))
    report = dict(solution.report)
    touched = [g for g in new_groups if g.id in changed]
    hard = [v for v in validate(problem, touched, params) if v.severity == "hard"]
    assigned = sum(len(g.members) for g in new_groups)
    total = len(problem.registrants)
    # Every group (not only those changed now: one flagged by an earlier decline stays flagged until repaired).
    flags = [
        {"group": v.group, "code": v.code, "message": v.message, "params": dict(v.params)}
        for v in balance_warnings(problem, new_groups, params)
        if v.severity == "hard"
    ]
    report.update(
        {
            "declined": person_id,
            "changed_groups": sorted(changed),
            "moved": moved,
            "decline_actions": actions,
            "groups": len(new_groups),
            "assigned": assigned,
            "unassigned": len(unassigned),
            "share_assigned": round(assigned / total, 5) if total else 0.0,
            "violations_in_changed_groups": len(hard),
            "balance_flags": flags,
            "seconds": round(time.perf_counter() - start, 3),
        }
    )
    order: Callable[[Unassigned], str] = lambda u: u.id  # noqa: E731
    return Solution(groups=new_groups, unassigned=tuple(sorted(unassigned.values(), key=order)), report=report)
