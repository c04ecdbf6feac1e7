"""A working group (a circle) with its moderator, secretary and members; and another group next to it.

Lotte (the ``member`` persona) is a member of "Theme A · Gent"; Mona moderates it, Sam takes its
minutes, Pieter is a member too. Bob is a member of another group only.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import link_to_register, make_person
from coopsip.events import services as events_services
from coopsip.events.models import Circle, CircleRole
from coopsip.members.models import MembershipStatus


def person(email: str, first_name: str, *, number: str, language: str = "en") -> Any:
    user = make_person(email, first_name=first_name, last_name="Test", preferred_language=language)
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


@pytest.fixture
def moderator(db: Any) -> Any:
    return person("mona@example.org", "Mona", number="200001")


@pytest.fixture
def secretary(db: Any) -> Any:
    return person("sam@example.org", "Sam", number="200002", language="nl")


@pytest.fixture
def pieter(db: Any) -> Any:
    return person("pieter@example.org", "Pieter", number="200003", language="fr")


@pytest.fixture
def bob(db: Any) -> Any:
    return person("bob@example.org", "Bob", number="200004")


@pytest.fixture
def circle(member: Any, moderator: Any, secretary: Any, pieter: Any) -> Circle:
    return events_services.create_circle(
        name="Theme A · Gent",
        members=[
            (moderator, CircleRole.MODERATOR),
            (secretary, CircleRole.SECRETARY),
            (member, CircleRole.MEMBER),
            (pieter, CircleRole.MEMBER),
        ],
    )


@pytest.fixture
def other_circle(bob: Any) -> Circle:
    return events_services.create_circle(name="Theme B · Liège", members=[(bob, CircleRole.MODERATOR)])


def soon(days: int = 7, hour: int = 19) -> tuple[datetime, datetime]:
    """A two-hour slot ``days`` from now."""
    start = (timezone.now() + timedelta(days=days)).replace(hour=hour, minute=0, second=0, microsecond=0)
    return start, start + timedelta(hours=2)
