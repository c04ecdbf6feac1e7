"""The demo edition comes with a formation run, published."""

from __future__ import annotations

from collections import Counter

import pytest

from coopsip.formation.models import FormationRun, RunStatus
from coopsip.registrations.models import Registration

pytestmark = pytest.mark.django_db


def test_the_demo_edition_has_a_published_proposal(demo: dict[str, int]) -> None:
    run = FormationRun.objects.get(edition__slug="2026-2027")
    assert run.status == RunStatus.DONE, run.error
    assert run.published_at is not None
    assert run.groups.count() >= 10
    assert run.report["violations"] == 0
    assert run.report["share_assigned"] > 0.7
    # Everyone active is either in a group or told why not.
    assert run.members.count() + run.unplaced.count() == run.report["registrants"]


def test_the_2017_edition_is_formed_in_its_own_format(demo: dict[str, int]) -> None:
    run = FormationRun.objects.get(edition__slug="2017-2018")
    assert run.status == RunStatus.DONE, run.error
    assert run.params["require_board"] and not run.params["balance_soft"]
    assert run.params["min_stakeholder_types"] == 3 and run.params["max_stakeholder_share"] == 0.4
    assert run.report["violations"] == 0
    # Most people get a group, in groups of several themes.
    assert run.report["share_assigned"] >= 0.6
    groups = list(run.groups.prefetch_related("members__registration__user__groups"))
    assert len({group.theme_id for group in groups}) >= 2
    for group in groups:
        members = list(group.members.all())
        assert [m.role for m in members].count("board") == 1
        # The group's board member is on the board.
        (board,) = [m for m in members if m.role == "board"]
        assert "board" in {g.name for g in board.registration.user.groups.all()}
        kinds = [m.registration.stakeholder_type for m in members]
        assert len(set(kinds)) >= 3
        assert max(kinds.count(kind) for kind in kinds) <= 0.4 * len(kinds)
    # The cooperative's members are the largest share of the registrations; every type of the seed takes part.
    kinds = Counter(Registration.objects.filter(edition=run.edition).values_list("stakeholder_type", flat=True))
    assert kinds.most_common(1)[0][0] == "" and len(kinds) == 5
    # What each rule costs is measured and stored for the run page.
    costs = {row["rule"]: row for row in run.report["balance_costs"]}
    assert set(costs) == {"min_stakeholder_types", "max_stakeholder_share", "all"}
