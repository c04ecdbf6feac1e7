"""The demo data, loaded once for the tests of this package and removed afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from coopsip.accounts.models import User
from coopsip.core.models import ChangeRecord, OutgoingEmail
from coopsip.demo.editions import EDITION_SLUGS
from coopsip.demo.services import DEFAULT_PEOPLE, load_demo
from coopsip.editions.models import Edition
from coopsip.events.models import Circle, Event, Place, Series
from coopsip.formation.models import FormationRun
from coopsip.groups.models import WorkingGroup
from coopsip.members.models import RegisterEntry
from coopsip.places.models import Municipality, Office
from coopsip.registrations.models import Registration

# As many as `make run` loads: the registrations need a few hundred members.
DEMO_PEOPLE = DEFAULT_PEOPLE


def remove_demo_data() -> None:
    # Surveys and votes (demo.surveys): ballots protect their proposals; the next edition is a draft copy.
    from coopsip.surveys.models import Survey
    from coopsip.votes.models import Ballot, ThemeProposal

    Ballot.objects.all().delete()
    ThemeProposal.objects.filter(status="merged").delete()  # before the proposals they were merged into
    ThemeProposal.objects.all().delete()
    Survey.objects.all().delete()
    Edition.objects.filter(slug="demo-next").delete()
    # Recommendations protect their group, edition and theme (ideas, versions and consent go with them).
    # What became of them first: projects protect their decision, decisions and sources their recommendation.
    from coopsip.recommendations.models import (
        BoardDecision,
        ConsentRound,
        FollowUpProject,
        Recommendation,
        Synthesis,
        TestProject,
    )

    FollowUpProject.objects.all().delete()
    BoardDecision.objects.all().delete()
    Synthesis.objects.all().delete()
    TestProject.objects.all().delete()
    # A consent round protects the version it asked about.
    ConsentRound.objects.all().delete()
    Recommendation.objects.all().delete()
    # Working groups protect their edition and themes (their seats go with them).
    WorkingGroup.objects.all().delete()
    FormationRun.objects.all().delete()
    # Events first: they point to editions, places and people.
    # Every record the demo wrote (events, groups, group spaces, editions): later modules count them.
    ChangeRecord.objects.all().delete()
    Event.objects.all().delete()
    Series.objects.all().delete()
    Circle.objects.all().delete()
    Place.objects.all().delete()
    editions = Edition.objects.filter(slug__in=EDITION_SLUGS)
    # Registrations protect their edition and themes: first them (with their preferences, slots and commitments).
    Registration.objects.filter(edition__in=editions).delete()
    ChangeRecord.objects.filter(
        content_type=ContentType.objects.get_for_model(Edition),
        object_id__in=list(editions.values_list("pk", flat=True)),
    ).delete()
    # Cascades to current editions, themes (and their offices), phases, sessions and questions.
    editions.delete()
    RegisterEntry.objects.all().delete()
    User.objects.all().delete()
    # The confirmations and the notices of withdrawal queued by the registrations.
    OutgoingEmail.objects.all().delete()
    Municipality.objects.all().delete()
    Office.objects.filter(is_demo=True).delete()


@pytest.fixture(scope="package")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, int]]:
    with django_db_blocker.unblock():
        counts = load_demo(people=DEMO_PEOPLE)
    yield counts
    # Loaded outside the per-test transaction: remove it all for the next modules.
    with django_db_blocker.unblock():
        remove_demo_data()
