"""The demo's contributions: one of each thing members and the team do with them, in three languages."""

from __future__ import annotations

import pytest

from coopsip.contributions.models import Contribution
from coopsip.demo.contributions import load_contributions

pytestmark = pytest.mark.django_db


def test_contributions_in_three_languages_in_every_state(demo: dict[str, int]) -> None:
    contributions = Contribution.objects.all()
    assert set(contributions.values_list("language", flat=True)) == {"nl", "fr", "en"}
    assert contributions.filter(answers__isnull=False).exists()
    assert contributions.filter(useful_marks__isnull=False).exists()
    assert contributions.filter(highlighted=True).exists()
    moved = contributions.get(resource__isnull=False)
    assert moved.resource is not None and moved.resource.theme_id == moved.theme_id
    hidden = contributions.get(hidden_at__isnull=False)
    assert "Advertising" in hidden.hidden_reason
    assert contributions.filter(author_role="expert").exists()


def test_loading_again_changes_nothing(demo: dict[str, int]) -> None:
    before = Contribution.objects.count()
    load_contributions()
    assert Contribution.objects.count() == before
