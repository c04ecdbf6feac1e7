"""Two active working groups of four (video, theme Care): M0 moderates the first, M1 is its secretary,
M2 and M3 are members; O0…O3 are the second group. Nobody of one group is in the other."""

from __future__ import annotations

from typing import Any

import pytest

from coopsip.accounts.models import User
from coopsip.groups.models import WorkingGroup
from coopsip.groups.tests.factories import accept_all, make_edition, opened_groups
from coopsip.recommendations import services
from coopsip.recommendations.models import Recommendation


def user(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def edition(db: Any) -> Any:
    return make_edition()


@pytest.fixture
def groups(edition: Any, staff: User) -> list[WorkingGroup]:
    made = opened_groups(edition, staff, [4, 4])
    for group in made:
        accept_all(group)
        group.refresh_from_db()
    return made


@pytest.fixture
def group(groups: list[WorkingGroup]) -> WorkingGroup:
    return groups[0]


@pytest.fixture
def secretary(group: WorkingGroup) -> User:
    return user("m1@example.org")


@pytest.fixture
def draft(group: WorkingGroup, secretary: User) -> Recommendation:
    return services.create_draft(by=secretary, group=group, title="A fund for shared tools", language="en")
