"""The group's side as people use it: ideas, a draft and its versions, the stale edit, consent, submission."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from coopsip.core import personal_home
from coopsip.groups.models import WorkingGroup
from coopsip.recommendations import services
from coopsip.recommendations.models import ConsentAnswer, Idea, Recommendation, RecommendationStatus

from .conftest import user

pytestmark = pytest.mark.django_db


def _url(name: str, recommendation: Recommendation, **extra: Any) -> str:
    return reverse(name, kwargs={"group_pk": recommendation.group_id, "pk": recommendation.pk, **extra})


def _form(recommendation: Recommendation, **changes: str) -> dict[str, Any]:
    values = {name: getattr(recommendation, name) for name in services.VERSIONED_FIELDS}
    return {"based_on": recommendation.version, **values, "note": "", **changes}


def test_a_member_adds_an_idea_that_the_group_can_discuss(group: WorkingGroup) -> None:
    client = client_for(user("m2@example.org"))
    response = client.post(
        reverse("recommendations:idea_create", kwargs={"group_pk": group.pk}),
        {"title": "A tool library", "challenge": "sharing means", "text": "Lend *tools*", "language": "en"},
    )
    assert response.status_code == 303
    idea = Idea.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "A tool library" in page and "sharing means" in page
    assert reverse("groupspace:thread", kwargs={"circle_pk": group.circle_id, "pk": idea.thread_id}) in page


def test_a_huge_title_is_refused_with_its_limit_and_the_text_kept(group: WorkingGroup) -> None:
    response = client_for(user("m2@example.org")).post(
        reverse("recommendations:idea_create", kwargs={"group_pk": group.pk}),
        {"title": "t" * 500, "text": "My long thought", "language": "en"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "At most 200 characters (this text has 500)" in html and "My long thought" in html
    assert not Idea.objects.exists()


def test_the_secretary_turns_an_idea_into_a_draft(group: WorkingGroup, secretary: Any) -> None:
    idea = services.add_idea(
        by=user("m3@example.org"), group=group, title="Tool library", text="Lend tools", language="en", notify=False
    )
    client = client_for(secretary)
    url = reverse("recommendations:draft_create", kwargs={"group_pk": group.pk})
    form = client.get(url + f"?idea={idea.pk}").content.decode()
    assert "Tool library" in form and "checked" in form
    response = client.post(url, {"title": "A tool library per office", "language": "en", "ideas": [idea.pk]})
    assert response.status_code == 303
    recommendation = Recommendation.objects.get()
    assert recommendation.ideas.get() == idea and "Lend tools" in recommendation.proposal
    page = client.get(response["Location"]).content.decode()
    assert "Version 1" in page and "Open a consent round" in page


def test_editing_makes_versions_with_a_readable_difference(draft: Recommendation) -> None:
    client = client_for(user("m2@example.org"))
    response = client.post(
        _url("recommendations:draft_edit", draft),
        _form(draft, need="Members lack tools <script>alert(1)</script>", note="The need"),
    )
    assert response.status_code == 303
    draft.refresh_from_db()
    assert draft.version == 2
    response = client.post(
        _url("recommendations:draft_edit", draft),
        _form(draft, need="Members lack shared tools <script>alert(1)</script>"),
    )
    assert response.status_code == 303
    listing = client.get(_url("recommendations:versions", draft)).content.decode()
    assert "Version 3" in listing and "M2 Test" in listing and "The need" in listing
    html = client.get(_url("recommendations:version", draft, number=3)).content.decode()
    assert "<ins>shared </ins>" in html or "<ins>shared</ins>" in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    # The text itself is rendered as harmless Markdown.
    detail = client.get(_url("recommendations:draft", draft)).content.decode()
    assert "<script>alert" not in detail and "Members lack shared tools" in detail


def test_a_stale_edit_is_refused_shows_the_difference_and_keeps_the_text(draft: Recommendation) -> None:
    sam, m2 = client_for(user("m1@example.org")), client_for(user("m2@example.org"))
    form_of_m2 = _form(draft, need="M2 thinks we need a van")
    assert sam.post(_url("recommendations:draft_edit", draft), _form(draft, need="Sam wants tools")).status_code == 303
    response = m2.post(_url("recommendations:draft_edit", draft), form_of_m2)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Your text is based on version 1, but M1 Test saved version 2 since" in html
    assert "M2 thinks we need a van" in html  # kept in the form
    assert "<del>Sam wants tools</del>" in html or "<del>Sam" in html
    assert 'name="based_on" value="2"' in html  # saving again is a deliberate choice
    draft.refresh_from_db()
    assert draft.need == "Sam wants tools" and draft.version == 2
    # Saving again from the page keeps M2's text as version 3, with Sam's version kept in the history.
    assert m2.post(_url("recommendations:draft_edit", draft), {**form_of_m2, "based_on": 2}).status_code == 303
    draft.refresh_from_db()
    assert draft.need == "M2 thinks we need a van" and draft.versions.get(number=2).need == "Sam wants tools"


def test_a_reason_typed_for_a_block_is_not_kept_when_the_person_agrees(draft: Recommendation, secretary: Any) -> None:
    consent_round = services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=3)
    )
    m2 = client_for(user("m2@example.org"))
    consent_url = _url("recommendations:consent", draft, round_pk=consent_round.pk)
    assert m2.post(consent_url, {"position": "block", "reason": "Far too expensive"}).status_code == 303
    # M2 changes their mind and picks "agree", the reason still in the box.
    assert m2.post(consent_url, {"position": "agree", "reason": "Far too expensive"}).status_code == 303
    page = m2.get(consent_url).content.decode()
    assert "Far too expensive" not in page  # neither beside the answer nor back in the form
    assert ConsentAnswer.objects.get(round=consent_round).reason == ""


def test_the_group_consents_then_the_secretary_submits_and_withdraws(draft: Recommendation, secretary: Any) -> None:
    sam = client_for(secretary)
    day = (timezone.now() + timedelta(days=5)).date().isoformat()
    response = sam.post(_url("recommendations:consent_open", draft), {"closes_on": day, "closes_at_time": "20:00"})
    assert response.status_code == 303
    consent_round = draft.consent_rounds.get()
    consent_url = _url("recommendations:consent", draft, round_pk=consent_round.pk)
    m2 = client_for(user("m2@example.org"))
    assert m2.post(consent_url, {"position": "block"}).status_code == 400  # a block says why
    assert m2.post(consent_url, {"position": "disagree", "reason": "Too expensive"}).status_code == 303
    assert m2.post(consent_url, {"position": "agree", "reason": ""}).status_code == 303  # replaces the first
    for email in ("m0@example.org", "m3@example.org"):
        client_for(user(email)).post(consent_url, {"position": "agree"})
    sam.post(consent_url, {"position": "abstain", "reason": "I wrote it"})
    assert ConsentAnswer.objects.filter(round=consent_round).count() == 4
    page = m2.get(consent_url).content.decode()
    assert "I wrote it" in page and "Too expensive" not in page
    # An outsider cannot answer.
    assert client_for(user("o1@example.org")).post(consent_url, {"position": "agree"}).status_code == 403
    # The secretary closes it early, after a confirmation page.
    close_url = _url("recommendations:consent_close", draft, round_pk=consent_round.pk)
    assert "Close the consent round now?" in sam.get(close_url).content.decode()
    assert sam.post(close_url).status_code == 303
    draft.refresh_from_db()
    assert draft.status == RecommendationStatus.ADOPTED
    page = m2.get(consent_url).content.decode()
    assert "adopted" in page and "3 agree, 1 abstain, 0 disagree, 0 block" in page
    # After the close an answer is refused, and nothing changes.
    response = m2.post(consent_url, {"position": "block", "reason": "Late"})
    assert response.status_code == 400 and "The consent round is closed" in response.content.decode()
    # Submit, after confirming.
    assert "Submit the recommendation to the team?" in sam.get(_url("recommendations:submit", draft)).content.decode()
    assert sam.post(_url("recommendations:submit", draft)).status_code == 303
    draft.refresh_from_db()
    assert draft.status == RecommendationStatus.SUBMITTED
    # Withdraw needs a reason.
    assert sam.post(_url("recommendations:withdraw", draft), {"reason": ""}).status_code == 400
    assert sam.post(_url("recommendations:withdraw", draft), {"reason": "Merged with B"}).status_code == 303
    draft.refresh_from_db()
    assert draft.status == RecommendationStatus.WITHDRAWN and draft.withdrawn_reason == "Merged with B"


def test_a_round_past_its_closing_time_is_closed_when_someone_looks(draft: Recommendation, secretary: Any) -> None:
    consent_round = services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(hours=2)
    )
    services.answer_consent(by=user("m2@example.org"), consent_round=consent_round, position="agree", language="en")
    type(consent_round).objects.filter(pk=consent_round.pk).update(
        opened_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(minutes=1)
    )
    html = client_for(user("m3@example.org")).get(_url("recommendations:draft", draft)).content.decode()
    assert "adopted by the group" in html
    consent_round.refresh_from_db()
    assert consent_round.result == "adopted"


def test_the_personal_home_asks_for_an_answer_until_given(draft: Recommendation, secretary: Any) -> None:
    consent_round = services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=3)
    )
    m2 = user("m2@example.org")
    titles = [item.title for item in personal_home.items_for(m2)]
    assert any("A consent round closes" in title for title in titles)
    assert not any("consent round" in item.title for item in personal_home.items_for(user("o2@example.org")))
    services.answer_consent(by=m2, consent_round=consent_round, position="agree", language="en")
    assert not any("consent round" in item.title for item in personal_home.items_for(m2))


def test_the_group_page_runs_the_same_queries_for_few_or_many_ideas(group: WorkingGroup, secretary: Any) -> None:
    client = client_for(user("m2@example.org"))
    url = reverse("recommendations:group", kwargs={"group_pk": group.pk})

    def count() -> int:
        client.get(url)  # warm the session
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    member = user("m3@example.org")
    services.add_idea(by=member, group=group, title="One", text="", language="en", notify=False)
    services.create_draft(by=secretary, group=group, title="R1", language="en")
    few = count()
    for n in range(12):
        idea = services.add_idea(by=member, group=group, title=f"Idea {n}", text="", language="en", notify=False)
        services.create_draft(by=secretary, group=group, title=f"R{n}", language="en", ideas=[idea])
    assert count() == few


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_versions_and_the_consent_answers_run_the_same_queries_for_few_or_many(
    draft: Recommendation, secretary: Any
) -> None:
    client = client_for(secretary)
    versions_url = _url("recommendations:versions", draft)
    services.save_draft(by=secretary, recommendation=draft, based_on=1, fields=_form(draft, need="v2"))
    few_versions = _queries(client, versions_url)
    for number in range(3, 15):
        services.save_draft(
            by=secretary, recommendation=draft, based_on=number - 1, fields=_form(draft, need=f"v{number}")
        )
    assert _queries(client, versions_url) == few_versions

    consent_round = services.open_consent_round(
        by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=3)
    )
    consent_url = _url("recommendations:consent", draft, round_pk=consent_round.pk)
    services.answer_consent(by=user("m0@example.org"), consent_round=consent_round, position="agree", language="en")
    few_answers = _queries(client, consent_url)
    for email in ("m2@example.org", "m3@example.org"):
        services.answer_consent(by=user(email), consent_round=consent_round, position="abstain", language="en")
    assert _queries(client, consent_url) == few_answers


def test_members_attach_the_experts_contributions_of_their_space_only(
    draft: Recommendation, groups: list[WorkingGroup]
) -> None:
    from coopsip.groupspace import services as groupspace_services

    member = user("m2@example.org")
    ours = groupspace_services.add_document(
        by=member, circle=groups[0].circle, title="Notes of the expert", url="https://example.org/expert"
    )
    theirs = groupspace_services.add_document(
        by=user("o2@example.org"), circle=groups[1].circle, title="Elsewhere", url="https://example.org/other"
    )
    client = client_for(member)
    page = client.get(_url("recommendations:draft", draft)).content.decode()
    assert "Notes of the expert" in page and "Elsewhere" not in page
    response = client.post(_url("recommendations:contributions", draft), {"documents": [ours.pk]})
    assert response.status_code == 303
    assert list(draft.contributions.all()) == [ours]
    # Another group's document is not offered, and a forged choice of it changes nothing.
    client.post(_url("recommendations:contributions", draft), {"documents": [theirs.pk]})
    assert list(draft.contributions.all()) == [ours]
    assert services.set_contributions(by=member, recommendation=draft, document_ids=[theirs.pk]) == 0
    # Only the group attaches.
    assert client_for(user("o2@example.org")).post(_url("recommendations:contributions", draft)).status_code == 403
