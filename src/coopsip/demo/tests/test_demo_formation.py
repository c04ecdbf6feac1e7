"""The demo edition comes with a formation run, published."""

from __future__ import annotations

import pytest

from coopsip.formation.models import FormationRun, RunStatus

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
