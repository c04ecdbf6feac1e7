"""The group side's services: the status machine, ideas, versions and stale edits, consent rounds."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coopsip.accounts.models import User
from coopsip.core.audit import history_of
from coopsip.groups.models import WorkingGroup
from coopsip.recommendations import services
from coopsip.recommendations.models import (
    TEXT_MAX,
    ConsentAnswer,
    ConsentResult,
    Idea,
    Recommendation,
    RecommendationStatus,
    RecommendationVersion,
)
from coopsip.recommendations.services import TRANSITIONS, RecommendationInvalid, StaleDraft

from .conftest import user

pytestmark = pytest.mark.django_db

ALL = list(RecommendationStatus.values)
ALLOWED = [(a, b) for a in ALL for b in ALL if b in TRANSITIONS[a]]
REFUSED = [(a, b) for a in ALL for b in ALL if b not in TRANSITIONS[a]]


def _put_in(recommendation: Recommendation, status: str) -> None:
    now = timezone.now()
    Recommendation.objects.filter(pk=recommendation.pk).update(status=status, submitted_at=now, withdrawn_at=now)
    recommendation.refresh_from_db()


def test_the_table_names_every_status_and_only_known_ones() -> None:
    assert set(TRANSITIONS) == set(ALL)
    assert all(targets <= set(ALL) for targets in TRANSITIONS.values())
    # No jump from a draft to a decision, nor out of a decision.
    assert RecommendationStatus.DECIDED not in TRANSITIONS[RecommendationStatus.DRAFT]
    assert TRANSITIONS[RecommendationStatus.DECIDED] == frozenset()


@pytest.mark.parametrize(("before", "after"), ALLOWED)
def test_each_allowed_move_is_made_and_recorded(
    draft: Recommendation, secretary: User, before: str, after: str
) -> None:
    _put_in(draft, before)
    services._move(draft, after, by=secretary)
    draft.refresh_from_db()
    assert draft.status == after
    record = history_of(draft).filter(action="status").first()
    assert record is not None and record.changes["status"] == [before, after]


@pytest.mark.parametrize(("before", "after"), REFUSED)
def test_each_other_move_is_refused_and_changes_nothing(
    draft: Recommendation, secretary: User, before: str, after: str
) -> None:
    _put_in(draft, before)
    with pytest.raises(RecommendationInvalid) as refused:
        services._move(draft, after, by=secretary)
    assert "cannot go from" in refused.value.errors["__all__"]
    assert Recommendation.objects.get(pk=draft.pk).status == before


def test_submission_and_withdrawal_note_who_and_when(draft: Recommendation, secretary: User) -> None:
    Recommendation.objects.filter(pk=draft.pk).update(status=RecommendationStatus.ADOPTED)
    services.submit_recommendation(by=secretary, recommendation=draft)
    assert draft.status == RecommendationStatus.SUBMITTED
    assert draft.submitted_by == secretary and draft.submitted_at is not None
    with pytest.raises(RecommendationInvalid) as refused:
        services.withdraw_recommendation(by=secretary, recommendation=draft, reason="  ")
    assert "Say why" in refused.value.errors["reason"]
    services.withdraw_recommendation(by=secretary, recommendation=draft, reason="We merge it with another one.")
    assert draft.status == RecommendationStatus.WITHDRAWN
    assert draft.withdrawn_reason == "We merge it with another one."


def test_a_recommendation_in_a_synthesis_cannot_be_withdrawn(draft: Recommendation, secretary: User) -> None:
    _put_in(draft, RecommendationStatus.IN_SYNTHESIS)
    with pytest.raises(RecommendationInvalid) as refused:
        services.withdraw_recommendation(by=secretary, recommendation=draft, reason="Too late?")
    assert "already put it in a synthesis" in refused.value.errors["__all__"]


# --- Ideas ---------------------------------------------------------------------


def test_a_member_adds_an_idea_and_the_group_discusses_it_in_its_space(group: WorkingGroup) -> None:
    idea = services.add_idea(
        by=user("m3@example.org"),
        group=group,
        title="Tool library",
        text="Lend **tools**",
        challenge="sharing",
        language="en",
        notify=False,
    )
    assert idea.thread is not None and idea.thread.circle_id == group.circle_id
    assert idea.thread.posts.get().body.startswith("Idea: **Tool library**")


def test_someone_of_another_group_adds_no_idea(group: WorkingGroup) -> None:
    with pytest.raises(RecommendationInvalid) as refused:
        services.add_idea(by=user("o2@example.org"), group=group, title="Mine", text="", language="en", notify=False)
    assert "Only the group's members" in refused.value.errors["__all__"]
    assert not Idea.objects.exists()


def test_a_huge_idea_is_refused_with_the_limit_named(group: WorkingGroup) -> None:
    with pytest.raises(RecommendationInvalid) as refused:
        services.add_idea(
            by=user("m2@example.org"), group=group, title="x" * 201, text="y" * (TEXT_MAX + 1), language="en"
        )
    assert "At most 200 characters" in refused.value.errors["title"]
    assert f"At most {TEXT_MAX} characters" in refused.value.errors["text"]


def test_ideas_become_a_draft_once(group: WorkingGroup, secretary: User) -> None:
    member = user("m2@example.org")
    first = services.add_idea(by=member, group=group, title="One", text="First text", language="en", notify=False)
    second = services.add_idea(by=member, group=group, title="Two", text="Second", language="en", notify=False)
    draft = services.create_draft(by=secretary, group=group, title="Both", language="en", ideas=[first, second])
    assert draft.version == 1 and draft.versions.get().note == "First draft"
    assert "**One**" in draft.proposal and "Second" in draft.proposal
    again = services.create_draft(by=secretary, group=group, title="Again", language="en", ideas=[first])
    assert again.proposal == ""  # the idea stays in the first draft
    assert set(draft.ideas.all()) == {first, second}


# --- Versions and the stale edit -----------------------------------------------


def _fields(recommendation: Recommendation, **changes: str) -> dict[str, str]:
    return {name: getattr(recommendation, name) for name in services.VERSIONED_FIELDS} | changes


def test_each_save_is_a_numbered_version_with_its_author(draft: Recommendation, secretary: User) -> None:
    member = user("m2@example.org")
    version = services.save_draft(by=member, recommendation=draft, based_on=1, fields=_fields(draft, need="Tools"))
    assert version is not None and version.number == 2 and version.author == member and version.need == "Tools"
    assert draft.version == 2 and draft.need == "Tools"
    # Saving the same text again makes no version.
    assert services.save_draft(by=member, recommendation=draft, based_on=2, fields=_fields(draft)) is None
    assert draft.versions.count() == 2


def test_a_save_based_on_an_old_version_is_refused_and_overwrites_nothing(
    draft: Recommendation, secretary: User
) -> None:
    member = user("m2@example.org")
    services.save_draft(by=secretary, recommendation=draft, based_on=1, fields=_fields(draft, need="Sam's need"))
    with pytest.raises(StaleDraft) as stale:
        services.save_draft(by=member, recommendation=draft, based_on=1, fields=_fields(draft, need="M2's need"))
    assert stale.value.current.number == 2
    assert "based on version 1" in stale.value.errors["__all__"]
    assert "M1 Test saved version 2" in stale.value.errors["__all__"]
    draft.refresh_from_db()
    assert draft.need == "Sam's need" and draft.version == 2
    assert RecommendationVersion.objects.filter(recommendation=draft).count() == 2


def test_a_draft_under_consent_cannot_be_edited(draft: Recommendation, secretary: User) -> None:
    services.open_consent_round(by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=3))
    with pytest.raises(RecommendationInvalid) as refused:
        services.save_draft(by=secretary, recommendation=draft, based_on=1, fields=_fields(draft, need="Later"))
    assert "can no longer be changed" in refused.value.errors["__all__"]


# --- Consent -------------------------------------------------------------------


@pytest.fixture
def consent_round(draft: Recommendation, secretary: User) -> Any:
    return services.open_consent_round(by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=3))


def test_a_second_answer_replaces_the_first(consent_round: Any) -> None:
    member = user("m2@example.org")
    services.answer_consent(by=member, consent_round=consent_round, position="disagree", reason="Cost", language="en")
    services.answer_consent(by=member, consent_round=consent_round, position="agree", language="fr")
    answer = ConsentAnswer.objects.get(round=consent_round)
    assert (answer.position, answer.reason, answer.language) == ("agree", "", "fr")


def test_the_database_keeps_one_answer_per_person(consent_round: Any) -> None:
    member = user("m2@example.org")
    services.answer_consent(by=member, consent_round=consent_round, position="agree", language="en")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentAnswer.objects.create(
            round=consent_round, user=member, position="agree", language="en", answered_at=timezone.now()
        )


def test_an_answer_after_the_closing_time_is_refused(consent_round: Any) -> None:
    later = consent_round.closes_at + timedelta(seconds=1)
    with pytest.raises(RecommendationInvalid) as refused:
        services.answer_consent(
            by=user("m2@example.org"), consent_round=consent_round, position="agree", language="en", now=later
        )
    assert "closed" in refused.value.errors["__all__"]
    assert not ConsentAnswer.objects.exists()


def test_an_answer_from_someone_outside_the_group_is_refused(consent_round: Any, staff: User) -> None:
    for outsider in (user("o1@example.org"), staff):
        with pytest.raises(RecommendationInvalid) as refused:
            services.answer_consent(by=outsider, consent_round=consent_round, position="agree", language="en")
        assert "Only the group's members" in refused.value.errors["__all__"]
    assert not ConsentAnswer.objects.exists()


def test_a_block_or_a_disagreement_needs_a_reason(consent_round: Any) -> None:
    for position in ("block", "disagree"):
        with pytest.raises(RecommendationInvalid) as refused:
            services.answer_consent(
                by=user("m2@example.org"), consent_round=consent_round, position=position, language="en"
            )
        assert "Say why" in refused.value.errors["reason"]


@pytest.mark.parametrize(
    ("counts", "result"),
    [
        ((3, 1, 0, 0), ConsentResult.ADOPTED),
        ((2, 0, 1, 0), ConsentResult.ADOPTED),
        ((1, 0, 1, 0), ConsentResult.NOT_ADOPTED),
        ((0, 4, 0, 0), ConsentResult.NOT_ADOPTED),
        ((0, 0, 0, 0), ConsentResult.NOT_ADOPTED),
        ((9, 0, 0, 1), ConsentResult.BLOCKED),
    ],
)
def test_the_result_follows_consent(counts: tuple[int, int, int, int], result: str) -> None:
    agree, abstain, disagree, block = counts
    assert services.consent_result(agree=agree, abstain=abstain, disagree=disagree, block=block) == result


def test_closing_keeps_counts_and_reasons_and_adopts(consent_round: Any, draft: Recommendation) -> None:
    services.answer_consent(by=user("m0@example.org"), consent_round=consent_round, position="agree", language="en")
    services.answer_consent(by=user("m1@example.org"), consent_round=consent_round, position="agree", language="en")
    services.answer_consent(
        by=user("m2@example.org"), consent_round=consent_round, position="disagree", reason="Too costly", language="en"
    )
    closed = services.close_due_rounds(now=consent_round.closes_at + timedelta(minutes=1))
    assert closed == 1
    consent_round.refresh_from_db()
    assert (consent_round.agree_count, consent_round.disagree_count, consent_round.result) == (2, 1, "adopted")
    assert consent_round.closed_at == consent_round.closes_at
    assert consent_round.answers.get(position="disagree").reason == "Too costly"
    draft.refresh_from_db()
    assert draft.status == RecommendationStatus.ADOPTED
    # Closing again changes nothing.
    assert services.close_due_rounds(now=consent_round.closes_at + timedelta(days=1)) == 0


def test_a_block_sends_the_recommendation_back_to_the_draft(
    consent_round: Any, draft: Recommendation, secretary: User
) -> None:
    services.answer_consent(
        by=user("m3@example.org"), consent_round=consent_round, position="block", reason="Unfair", language="en"
    )
    services.close_consent_round(consent_round=consent_round, by=secretary)
    draft.refresh_from_db()
    assert draft.status == RecommendationStatus.DRAFT
    consent_round.refresh_from_db()
    assert consent_round.result == ConsentResult.BLOCKED and consent_round.block_count == 1


def test_a_round_needs_a_sensible_closing_time(draft: Recommendation, secretary: User) -> None:
    now = timezone.now()
    for closes_at, words in ((now, "at least an hour"), (now + timedelta(days=61), "at most 60 days")):
        with pytest.raises(RecommendationInvalid) as refused:
            services.open_consent_round(by=secretary, recommendation=draft, closes_at=closes_at, now=now)
        assert words in refused.value.errors["closes_at"]
    draft.refresh_from_db()
    assert draft.status == RecommendationStatus.DRAFT


def test_line_breaks_sent_by_a_browser_do_not_make_a_version(draft: Recommendation) -> None:
    member = user("m2@example.org")
    services.save_draft(by=member, recommendation=draft, based_on=1, fields=_fields(draft, need="One\n\nTwo"))
    same = _fields(draft, need="One\r\n\r\nTwo")
    assert services.save_draft(by=member, recommendation=draft, based_on=2, fields=same) is None
    assert draft.need == "One\n\nTwo"


def test_the_command_closes_the_rounds_that_are_due(consent_round: Any, draft: Recommendation) -> None:
    from io import StringIO

    from django.core.management import call_command

    ConsentRound = type(consent_round)
    ConsentRound.objects.filter(pk=consent_round.pk).update(
        opened_at=timezone.now() - timedelta(days=3), closes_at=timezone.now() - timedelta(minutes=5)
    )
    out = StringIO()
    call_command("close_consent_rounds", stdout=out)
    assert "1 consent round(s) closed." in out.getvalue()
    consent_round.refresh_from_db()
    assert consent_round.result == ConsentResult.NOT_ADOPTED  # nobody answered
    draft.refresh_from_db()
    assert draft.status == RecommendationStatus.DRAFT
