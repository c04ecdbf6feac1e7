from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import pytest
from django.db.models import QuerySet

from coopsip.core.models import OutgoingEmail
from coopsip.demo.registrations import DEMO_EDITION, demo_themes, planned_registration
from coopsip.demo.services import DEMO_ACCOUNTS, load_demo
from coopsip.demo.tests.conftest import DEMO_PEOPLE
from coopsip.editions.models import Edition
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Office
from coopsip.registrations.models import (
    CommitmentKind,
    DayPart,
    MeetingMode,
    Registration,
    RegistrationStatus,
    Source,
    ThemePreference,
)
from coopsip.registrations.services import person_country, registration_errors

pytestmark = pytest.mark.django_db

FLANDERS = ("antwerpen", "gent")
FRENCH_SPEAKING = ("luik", "bergen", "namen", "charleroi", "louvain-la-neuve", "paris", "lille", "lyon", "nantes")


def _registrations() -> QuerySet[Registration]:
    return Registration.objects.filter(edition__slug=DEMO_EDITION)


def _from_the_registration_step() -> QuerySet[Registration]:
    """Without the few people the working groups added later (invited into a group, registered late by the team)."""
    return _registrations().filter(source=Source.ONLINE)


def _active() -> QuerySet[Registration]:
    return _registrations().exclude(status=RegistrationStatus.WITHDRAWN)


def test_a_few_hundred_members_register_in_every_office(demo: dict[str, int]) -> None:
    registrations = _from_the_registration_step()
    assert 240 <= registrations.count() <= 300
    assert demo["registrations"] == _registrations().count()
    per_office = Counter(registrations.values_list("office__slug", flat=True))
    assert set(per_office) == set(Office.objects.values_list("slug", flat=True))
    assert min(per_office.values()) >= 5
    assert per_office.most_common(1)[0][0] == "brussel"
    assert not registrations.exclude(user__register_entry__status=MembershipStatus.MEMBER).exists()
    # The demo accounts are left to register by hand.
    assert not registrations.filter(user__email__in=[account.email for account in DEMO_ACCOUNTS]).exists()


def test_every_registration_passes_the_rules_of_the_form(demo: dict[str, int]) -> None:
    edition = Edition.objects.get(slug=DEMO_EDITION)
    themes = demo_themes(edition)
    registrations = _from_the_registration_step().select_related("user__register_entry", "office", "municipality")
    for registration in registrations.prefetch_related("preferences", "slots", "commitments"):
        plan = planned_registration(registration.user.register_entry, themes)
        assert plan is not None
        assert registration_errors(edition=edition, data=plan.data) == {}
        # What is stored is what was drawn: the rules were applied, nothing else changed it.
        assert [p.theme_id for p in registration.preferences.all()] == list(plan.data.theme_ids)
        assert {(s.weekday, s.part) for s in registration.slots.all()} == set(plan.data.slots)
        assert registration.languages == sorted(plan.data.languages)
        assert (registration.office, registration.municipality) == (
            registration.user.office,
            registration.user.municipality,
        )
        assert 3 <= len(plan.data.slots) <= 8
        # Accepted in the person's language, as if they had filled in the form in it.
        commitments = registration.commitments.all()
        assert {c.kind for c in commitments} == set(CommitmentKind.values)
        assert {c.language for c in commitments} == {registration.user.preferred_language}


def test_languages_follow_the_regions(demo: dict[str, int]) -> None:
    by_office: dict[str, list[set[str]]] = defaultdict(list)
    for office, languages in _from_the_registration_step().values_list("office__slug", "languages"):
        by_office[office].append(set(languages))
    brussels = by_office["brussel"]
    assert any(languages == {"nl"} for languages in brussels)
    assert any(languages == {"fr"} for languages in brussels)
    assert sum({"nl", "fr"} <= languages for languages in brussels) >= len(brussels) / 3
    for office in FLANDERS:
        assert all("nl" in languages for languages in by_office[office]), office
    for office in FRENCH_SPEAKING:
        assert all("fr" in languages for languages in by_office[office]), office
    assert not any(
        "nl" in languages for office in ("paris", "lille", "lyon", "nantes") for languages in by_office[office]
    )
    english = sum("en" in languages for people in by_office.values() for languages in people)
    assert 0.1 < english / _from_the_registration_step().count() < 0.5


def test_themes_run_in_the_persons_country_and_first_choices_are_skewed(demo: dict[str, int]) -> None:
    preferences = ThemePreference.objects.filter(registration__edition__slug=DEMO_EDITION).select_related(
        "theme", "registration__municipality"
    )
    countries: Counter[str] = Counter()
    for preference in preferences:
        country = person_country(municipality=preference.registration.municipality)
        countries[country] += 1
        assert country in preference.theme.countries, preference
    assert countries["BE"] and countries["FR"]
    ranks = Counter(Counter(preferences.values_list("registration", flat=True)).values())
    assert set(ranks) == {1, 2, 3}
    first = Counter(preferences.filter(rank=1).values_list("theme__slug", flat=True))
    (_most, most), *_others, (_least, least) = first.most_common()
    assert len(first) == 4
    assert most >= 3 * least


def test_modes_slots_and_volunteers_look_real(demo: dict[str, int]) -> None:
    registrations = _registrations()
    total = registrations.count()
    modes = Counter(registrations.values_list("mode", flat=True))
    assert [mode for mode, _count in modes.most_common()] == [
        MeetingMode.EITHER,
        MeetingMode.IN_PERSON,
        MeetingMode.VIDEO,
    ]
    assert 0.08 < modes[MeetingMode.VIDEO] / total < 0.25
    slots = Counter((weekday, part) for weekday, part in registrations.values_list("slots__weekday", "slots__part"))
    favourites = {slot for slot, _count in slots.most_common(5)}
    assert favourites <= {(day, DayPart.EVENING) for day in range(4)} | {(5, DayPart.MORNING)}
    active = _active()
    moderators = active.filter(volunteers_as_moderator=True).count()
    secretaries = active.filter(volunteers_as_secretary=True).count()
    assert 0.06 <= moderators / active.count() <= 0.15
    assert moderators < secretaries <= 2 * moderators
    assert (demo["volunteer_moderators"], demo["volunteer_secretaries"]) == (moderators, secretaries)
    volunteers = active.filter(volunteers_as_moderator=True) | active.filter(volunteers_as_secretary=True)
    assert volunteers.exclude(volunteer_experience="").count() > volunteers.count() / 2
    assert (
        not registrations.filter(volunteers_as_moderator=False, volunteers_as_secretary=False)
        .exclude(volunteer_experience="")
        .exists()
    )


def test_a_few_withdraw_with_a_reason(demo: dict[str, int]) -> None:
    withdrawn = _registrations().filter(status=RegistrationStatus.WITHDRAWN)
    assert 0 < withdrawn.count() < _registrations().count() / 10
    assert demo["registrations_withdrawn"] == withdrawn.count()
    assert not withdrawn.filter(withdrawn_at=None).exists()
    assert not withdrawn.filter(withdrawal_reason="").exists()


def _snapshot() -> dict[str, Any]:
    registrations = (
        _registrations().select_related("user").prefetch_related("preferences__theme", "slots", "commitments")
    )
    return {
        registration.user.email: (
            registration.pk,
            registration.status,
            registration.mode,
            registration.office_id,
            registration.municipality_id,
            registration.languages,
            registration.volunteers_as_moderator,
            registration.volunteers_as_secretary,
            registration.volunteer_experience,
            registration.gender,
            registration.stakeholder_type,
            registration.notes,
            registration.withdrawn_at,
            registration.withdrawal_reason,
            registration.updated_at,
            [(p.pk, p.rank, p.theme.slug) for p in registration.preferences.all()],
            [(s.pk, s.weekday, s.part) for s in registration.slots.all()],
            sorted((c.pk, c.kind, c.text, c.language, c.accepted_at) for c in registration.commitments.all()),
        )
        for registration in registrations
    }


def test_loading_again_changes_no_registration_and_sends_nothing(demo: dict[str, int]) -> None:
    before, emails = _snapshot(), OutgoingEmail.objects.count()
    assert len(before) == demo["registrations"]
    assert load_demo(people=DEMO_PEOPLE) == demo
    assert _snapshot() == before
    assert OutgoingEmail.objects.count() == emails
