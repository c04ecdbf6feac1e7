"""Synthesis, the board's decisions and their publication, follow-up projects and test projects (services)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail

from coopsip.core import notifications
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import (
    BoardDecision,
    BudgetKind,
    DecisionKind,
    ProjectStatus,
    RecommendationStatus,
    SynthesisStatus,
)
from coopsip.recommendations.models import TestProjectStatus as ProjectOfGroupStatus
from coopsip.recommendations.tests.conftest import user
from coopsip.recommendations.tests.followup import decided, submitted, to_board

pytestmark = pytest.mark.django_db


def test_merging_keeps_a_link_to_every_source_and_the_version_that_went_in(groups: Any, staff: Any) -> None:
    first, second = submitted(group=groups[0]), submitted(group=groups[1])
    first.version = 3
    first.save(update_fields=["version"])
    synthesis = services.merge_into_synthesis(
        by=staff,
        theme=first.theme,
        recommendation_ids=[first.pk, second.pk],
        title="Shared tools",
        text="Both groups ask for shared tools.",
        language="en",
    )
    links = list(synthesis.source_links.order_by("position"))
    assert [(link.recommendation_id, link.version_number) for link in links] == [(first.pk, 3), (second.pk, 1)]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == RecommendationStatus.IN_SYNTHESIS
    assert synthesis.title_en == "Shared tools"


def test_merging_refuses_one_recommendation_a_draft_or_another_theme(groups: Any, staff: Any, draft: Any) -> None:
    first = submitted(group=groups[0])
    other_theme = submitted(group=groups[1], theme=first.edition.themes.get(slug="werk"))
    with pytest.raises(services.FollowUpRefused, match="at least two"):
        services.merge_into_synthesis(
            by=staff, theme=first.theme, recommendation_ids=[first.pk], title="T", text="", language="en"
        )
    with pytest.raises(services.FollowUpRefused, match="only submitted"):
        services.merge_into_synthesis(
            by=staff, theme=first.theme, recommendation_ids=[first.pk, draft.pk], title="T", text="", language="en"
        )
    with pytest.raises(services.FollowUpRefused, match="do not belong to this theme"):
        services.merge_into_synthesis(
            by=staff,
            theme=first.theme,
            recommendation_ids=[first.pk, other_theme.pk],
            title="T",
            text="",
            language="en",
        )
    first.refresh_from_db()
    assert first.status == RecommendationStatus.SUBMITTED


def test_keeping_one_as_it_is_makes_a_synthesis_of_its_own_words(groups: Any, staff: Any) -> None:
    recommendation = submitted(group=groups[0], title="Open the KOP on Mondays")
    synthesis = services.keep_as_is(by=staff, theme=recommendation.theme, recommendation_id=recommendation.pk)
    assert synthesis.title == "Open the KOP on Mondays"
    assert list(synthesis.sources.all()) == [recommendation]


def test_the_groups_concerned_are_told_once_each_in_their_language(groups: Any, staff: Any, on_commit: Any) -> None:
    first, second = submitted(group=groups[0]), submitted(group=groups[1])
    dutch = user("m2@example.org")
    dutch.preferred_language = "nl"
    dutch.save()
    synthesis = services.merge_into_synthesis(
        by=staff, theme=first.theme, recommendation_ids=[first.pk, second.pk], title="Tools", text="", language="en"
    )
    with on_commit():
        told = services.send_to_groups(by=staff, synthesis=synthesis)
    assert told == 8
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"m{n}@example.org" for n in range(4)] + [f"o{n}@example.org" for n in range(4)]
    )
    english = next(m for m in mail.outbox if m.to == ["m3@example.org"])
    assert "went into a synthesis: Tools" in english.subject
    with on_commit():
        services.send_to_groups(by=staff, synthesis=synthesis)
    assert len(mail.outbox) == 8
    synthesis.refresh_from_db()
    assert synthesis.status == SynthesisStatus.WITH_GROUPS


def test_groups_comment_before_it_goes_to_the_board_and_every_member_once_it_is_open(
    groups: Any, staff: Any, member: Any
) -> None:
    first, second = submitted(group=groups[0]), submitted(group=groups[1])
    synthesis = services.merge_into_synthesis(
        by=staff, theme=first.theme, recommendation_ids=[first.pk, second.pk], title="Tools", text="", language="en"
    )
    services.send_to_groups(by=staff, synthesis=synthesis)
    comment = services.comment_on_synthesis(
        by=user("o2@example.org"), synthesis=synthesis, text="We agree.", language="en"
    )
    assert comment.group_id == groups[1].pk
    with pytest.raises(services.FollowUpRefused, match="not open to you"):
        services.comment_on_synthesis(by=member, synthesis=synthesis, text="And me?", language="en")
    services.open_to_all_members(by=staff, synthesis=synthesis)
    services.comment_on_synthesis(by=member, synthesis=synthesis, text="And me!", language="en")
    services.send_to_board(by=staff, synthesis=synthesis)
    with pytest.raises(services.FollowUpRefused, match="closed"):
        services.comment_on_synthesis(by=member, synthesis=synthesis, text="Too late", language="en")
    first.refresh_from_db()
    assert first.status == RecommendationStatus.SYNTHESISED


def test_a_decision_on_a_withdrawn_recommendation_is_refused(groups: Any, staff: Any, board: Any) -> None:
    recommendation = submitted(group=groups[0])
    from coopsip.recommendations import services as group_services

    group_services.withdraw_recommendation(by=user("m1@example.org"), recommendation=recommendation, reason="Not ready")
    with pytest.raises(services.FollowUpRefused, match="withdrawn"):
        services.record_decision(
            by=board,
            recommendation=recommendation,
            decision=DecisionKind.ACCEPTED,
            answers={"en": "Yes"},
            meeting_date=date(2026, 1, 20),
        )


def test_once_the_board_decided_the_group_cannot_withdraw_and_publishing_goes_through(
    groups: Any, board: Any, on_commit: Any
) -> None:
    from coopsip.recommendations import services as group_services

    recommendation = submitted(group=groups[0])
    assert group_services.can_withdraw(recommendation)
    services.record_decision(
        by=board,
        recommendation=recommendation,
        decision=DecisionKind.ACCEPTED,
        answers={"en": "Yes"},
        meeting_date=date(2026, 1, 20),
    )
    assert not group_services.can_withdraw(recommendation)
    with pytest.raises(group_services.RecommendationInvalid) as refused:
        group_services.withdraw_recommendation(by=user("m1@example.org"), recommendation=recommendation, reason="No")
    assert "decision" in refused.value.errors["__all__"]
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.SUBMITTED
    with on_commit():
        result = services.publish_decisions(by=board, edition=recommendation.edition)
    assert result.decisions == 1
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.DECIDED


def test_a_recommendation_decided_through_its_synthesis_gets_no_second_decision(groups: Any, staff: Any) -> None:
    recommendation = submitted(group=groups[0])
    first = decided(staff, recommendation, kind=DecisionKind.POSTPONED)
    with pytest.raises(services.FollowUpRefused, match="part of a synthesis"):
        services.record_decision(
            by=staff,
            recommendation=recommendation,
            decision=DecisionKind.REJECTED,
            answers={"en": "No"},
            meeting_date=date(2026, 1, 20),
        )
    assert list(BoardDecision.objects.all()) == [first]


def test_a_recommendation_the_board_decided_as_it_is_goes_into_no_synthesis(
    groups: Any, staff: Any, board: Any
) -> None:
    alone, other = submitted(group=groups[0]), submitted(group=groups[1])
    services.record_decision(
        by=board,
        recommendation=alone,
        decision=DecisionKind.REJECTED,
        answers={"en": "No"},
        meeting_date=date(2026, 1, 20),
    )
    with pytest.raises(services.FollowUpRefused, match="already recorded its decision"):
        services.merge_into_synthesis(
            by=staff, theme=alone.theme, recommendation_ids=[alone.pk, other.pk], title="T", text="X", language="en"
        )
    with pytest.raises(services.FollowUpRefused, match="already recorded its decision"):
        services.keep_as_is(by=staff, theme=alone.theme, recommendation_id=alone.pk)
    alone.refresh_from_db()
    other.refresh_from_db()
    assert (alone.status, other.status) == (RecommendationStatus.SUBMITTED, RecommendationStatus.SUBMITTED)
    assert not alone.synthesis_links.exists()


def test_the_decision_email_subject_reads_the_title_as_typed(groups: Any, staff: Any, on_commit: Any) -> None:
    first, second = submitted(group=groups[0]), submitted(group=groups[1])
    synthesis = to_board(staff, first, second, title="Members' rights & duties")
    services.record_decision(
        by=staff, synthesis=synthesis, decision=DecisionKind.ACCEPTED, answers={"en": "Yes."},
        meeting_date=date(2026, 1, 20),
    )  # fmt: skip
    with on_commit():
        services.publish_decisions(by=staff, edition=first.edition)
    assert mail.outbox and all("Members' rights & duties" in m.subject for m in mail.outbox)


def test_a_synthesis_not_sent_to_the_board_cannot_be_decided(groups: Any, staff: Any, board: Any) -> None:
    recommendation = submitted(group=groups[0])
    synthesis = services.keep_as_is(by=staff, theme=recommendation.theme, recommendation_id=recommendation.pk)
    with pytest.raises(services.FollowUpRefused, match="not been sent"):
        services.record_decision(
            by=board, synthesis=synthesis, decision="accepted", answers={}, meeting_date=date(2026, 1, 20)
        )


def test_decide_first_publish_later_and_everyone_concerned_is_told(
    groups: Any, staff: Any, board: Any, on_commit: Any
) -> None:
    first, second = submitted(group=groups[0]), submitted(group=groups[1])
    synthesis = to_board(staff, first, second)
    decision = services.record_decision(
        by=board,
        synthesis=synthesis,
        decision=DecisionKind.ACCEPTED_WITH_CHANGES,
        answers={"en": "Yes, with a smaller budget.", "fr": "Oui, avec un budget réduit."},
        meeting_date=date(2026, 1, 20),
    )
    assert decision.published_at is None
    # Changed before publishing: still one decision.
    decision = services.record_decision(
        by=board, synthesis=synthesis, decision=DecisionKind.ACCEPTED, answers={"en": "Yes."},
        meeting_date=date(2026, 1, 21),
    )  # fmt: skip
    assert mail.outbox == []
    with on_commit():
        result = services.publish_decisions(by=board, edition=first.edition)
    assert (result.decisions, result.people_told) == (1, 8)
    assert len(mail.outbox) == 8
    assert "The board decided" in mail.outbox[0].subject
    assert "accepted" in mail.outbox[0].body
    first.refresh_from_db()
    assert first.status == RecommendationStatus.DECIDED
    with on_commit():
        again = services.publish_decisions(by=board, edition=first.edition)
    assert again.decisions == 0
    assert len(mail.outbox) == 8
    with pytest.raises(services.FollowUpRefused, match="published"):
        services.record_decision(
            by=board, synthesis=synthesis, decision="rejected", answers={}, meeting_date=date(2026, 1, 21)
        )


def test_only_an_accepted_decision_becomes_a_project(groups: Any, staff: Any) -> None:
    rejected = decided(staff, submitted(group=groups[0]), kind=DecisionKind.REJECTED)
    with pytest.raises(services.FollowUpRefused, match="Only an accepted"):
        services.create_project(by=staff, decision=rejected, titles={"en": "Nothing"})


def test_a_new_project_status_and_a_milestone_reached_tell_the_groups(groups: Any, staff: Any, on_commit: Any) -> None:
    decision = decided(staff, submitted(group=groups[0]))
    project = services.create_project(
        by=staff, decision=decision, titles={"en": "The ethics committee"}, responsible_team="Cooperative Life"
    )
    lotte = user("m2@example.org")
    notifications.set_delivery(user=lotte, topic=services.FOLLOWUP_TOPIC, delivery=notifications.EACH)
    notifications.set_delivery(user=user("m3@example.org"), topic=services.FOLLOWUP_TOPIC, delivery=notifications.NONE)
    mail.outbox.clear()
    with on_commit():
        services.change_project(by=staff, project=project, status=ProjectStatus.UNDER_WAY, progress=30)
    assert [m.to for m in mail.outbox] == [["m2@example.org"]]
    assert "is now under way" in mail.outbox[0].subject
    milestone = services.add_milestone(
        by=staff, project=project, titles={"en": "Charter adopted"}, due_on=date(2026, 6, 1)
    )
    with on_commit():
        services.reach_milestone(by=staff, milestone=milestone, on=date(2026, 5, 28))
        services.reach_milestone(by=staff, milestone=milestone, on=date(2026, 5, 29))
    assert len(mail.outbox) == 2
    assert "Charter adopted" in mail.outbox[1].subject
    # Progress alone, same status: nobody is told.
    with on_commit():
        services.change_project(by=staff, project=project, status=ProjectStatus.UNDER_WAY, progress=60)
    assert len(mail.outbox) == 2


def _approved_test_project(group: Any, staff: Any, amount: str) -> Any:
    project = services.propose_test_project(
        by=user("m1@example.org"),
        group=group,
        title="A tool library",
        goal="Lend tools among members.",
        plan="",
        language="en",
        starts_on=date(2021, 1, 15),
        ends_on=date(2021, 4, 15),
        lines=[
            services.BudgetRequest(kind=BudgetKind.ANIMATION, amount=Decimal("150.50")),
            services.BudgetRequest(kind=BudgetKind.INVITING, amount=Decimal("99.99")),
        ],
    )
    assert services.requested_total(project) == Decimal("250.49")
    return services.approve_test_project(by=staff, test_project=project, amount=Decimal(amount))


def test_refusals_show_amounts_as_money_in_the_readers_language(groups: Any, staff: Any) -> None:
    from django.utils import translation

    project = _approved_test_project(groups[0], staff, "200.00")
    secretary = user("m1@example.org")
    for amount, day in (("100.10", 1), ("49.90", 2)):
        services.record_expense(
            by=secretary, test_project=project, amount=Decimal(amount), description="Room", spent_on=date(2021, 2, day)
        )
    with translation.override("nl"), pytest.raises(services.FollowUpRefused) as refused:
        services.record_expense(
            by=secretary, test_project=project, amount=Decimal("100.01"), description="Hall", spent_on=date(2021, 2, 3)
        )
    message = str(refused.value)
    assert "250,01 EUR" in message and "200,00 EUR" in message and "50,00 EUR" in message, message
    assert "0000" not in message
    with translation.override("fr"), pytest.raises(services.FollowUpRefused) as lower:
        services.approve_test_project(by=staff, test_project=project, amount=Decimal("10.00"))
    assert "150,00 EUR" in str(lower.value), str(lower.value)


def test_expenses_never_go_above_the_approved_budget_without_staff(groups: Any, staff: Any) -> None:
    project = _approved_test_project(groups[0], staff, "200.00")
    secretary = user("m1@example.org")
    services.record_expense(
        by=secretary, test_project=project, amount=Decimal("100.10"), description="Coffee", spent_on=date(2021, 2, 1)
    )
    services.record_expense(
        by=secretary, test_project=project, amount=Decimal("99.90"), description="Room", spent_on=date(2021, 2, 2)
    )
    assert services.spent_total(project) == Decimal("200.00")
    with pytest.raises(services.FollowUpRefused, match=r"200\.01 EUR, above the approved budget of 200\.00 EUR"):
        services.record_expense(
            by=secretary, test_project=project, amount=Decimal("0.01"), description="Stamp", spent_on=date(2021, 2, 3)
        )
    # A member cannot allow it; a staff member can.
    with pytest.raises(services.FollowUpRefused):
        services.record_expense(
            by=secretary, test_project=project, amount=Decimal("0.01"), description="Stamp",
            spent_on=date(2021, 2, 3), allowed_above_budget_by=secretary,
        )  # fmt: skip
    expense = services.record_expense(
        by=staff, test_project=project, amount=Decimal("5.00"), description="Printing", spent_on=date(2021, 2, 3),
        allowed_above_budget_by=staff,
    )  # fmt: skip
    assert expense.approved_above_budget_by == staff
    assert services.spent_total(project) == Decimal("205.00")
    project.refresh_from_db()
    assert project.status == ProjectOfGroupStatus.RUNNING
    with pytest.raises(services.FollowUpRefused, match="already spent"):
        services.approve_test_project(by=staff, test_project=project, amount=Decimal("204.99"))
    with pytest.raises(services.FollowUpRefused, match="two decimals"):
        services.record_expense(
            by=secretary, test_project=project, amount=Decimal("0.005"), description="x", spent_on=date(2021, 2, 3)
        )


def test_a_proposed_test_project_takes_no_expense_and_a_refusal_says_why(groups: Any, staff: Any) -> None:
    project = services.propose_test_project(
        by=user("m1@example.org"), group=groups[0], title="Walks", goal="Walk together.", plan="", language="en",
        starts_on=date(2021, 1, 15), ends_on=date(2021, 4, 15), lines=[],
    )  # fmt: skip
    with pytest.raises(services.FollowUpRefused, match="approved the budget"):
        services.record_expense(
            by=user("m1@example.org"), test_project=project, amount=Decimal("1"), description="x",
            spent_on=date(2021, 2, 1),
        )  # fmt: skip
    with pytest.raises(services.FollowUpRefused, match="Say why"):
        services.refuse_test_project(by=staff, test_project=project, reason=" ")
    services.refuse_test_project(by=staff, test_project=project, reason="No budget left this year.")
    project.refresh_from_db()
    assert project.status == ProjectOfGroupStatus.REFUSED


def test_the_evaluation_needs_both_kinds_of_lessons_and_closes_the_test(groups: Any, staff: Any) -> None:
    project = _approved_test_project(groups[0], staff, "250.49")
    with pytest.raises(services.FollowUpRefused, match="both kinds"):
        services.write_evaluation(
            by=user("m1@example.org"), test_project=project, what_worked="Many came.", what_did_not="",
            lessons="Start early.", language="en",
        )  # fmt: skip
    services.write_evaluation(
        by=user("m1@example.org"), test_project=project, what_worked="Many came.", what_did_not="Too few tools.",
        lessons="Start early.", language="en",
    )  # fmt: skip
    project.refresh_from_db()
    assert project.status == ProjectOfGroupStatus.EVALUATED
    assert project.evaluation.lessons == "Start early."


def test_a_huge_text_is_refused_with_the_limit_named(groups: Any, staff: Any) -> None:
    first, second = submitted(group=groups[0]), submitted(group=groups[1])
    with pytest.raises(services.FollowUpRefused, match="at most 20,000 characters"):
        services.merge_into_synthesis(
            by=staff, theme=first.theme, recommendation_ids=[first.pk, second.pk], title="T", text="x" * 20_001,
            language="en",
        )  # fmt: skip
