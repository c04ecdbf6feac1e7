"""Pages after the group: who reaches each, what they see, the public list's filters and query counts, the PDFs."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import client_for
from coopsip.recommendations import publication
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import BoardDecision, BudgetKind, DecisionKind, Publication, RecommendationStatus
from coopsip.recommendations.tests.conftest import user
from coopsip.recommendations.tests.followup import decided, submitted, to_board

pytestmark = pytest.mark.django_db
ROLES = ["visitor", "outsider", "nonmember", "member", "staff", "board"]


def _expect(personas: dict[str, Any], url: str, allowed: set[str], *, visitor: int = 302) -> None:
    for role in ROLES:
        response = client_for(personas[role]).get(url)
        if role in allowed:
            assert response.status_code == 200, f"{role} should reach {url}"
        elif role == "visitor":
            assert response.status_code == visitor, f"visitor on {url}: {response.status_code}"
        else:
            assert response.status_code == 403, f"{role} must not reach {url} ({response.status_code})"


# ---------------------------------------------------------------------------
# Public pages


def test_a_visitor_sees_a_published_decision_and_not_an_unpublished_one(
    personas: dict[str, Any], groups: Any, staff: Any
) -> None:
    published = submitted(group=groups[0], title="An ethics committee")
    decided(staff, published)
    waiting = submitted(group=groups[1], title="Spokespersons for Smart")
    synthesis = to_board(staff, waiting)
    services.record_decision(
        by=staff, synthesis=synthesis, decision="accepted", answers={"en": "Yes"}, meeting_date=date(2026, 1, 1)
    )
    page = client_for(None).get(reverse("recommendations_public:outcomes")).content.decode()
    assert "An ethics committee" in page
    assert "Spokespersons for Smart" not in page
    detail = client_for(None).get(reverse("recommendations_public:detail", kwargs={"pk": published.pk}))
    assert detail.status_code == 200
    assert "The board agrees." in detail.content.decode()
    # Unpublished: a visitor gets 404, a member 403, staff and the board read it with a note.
    url = reverse("recommendations_public:detail", kwargs={"pk": waiting.pk})
    _expect(personas, url, {"staff", "board"}, visitor=404)
    assert "not published yet" in client_for(personas["board"]).get(url).content.decode()


def test_the_journey_tells_the_whole_history(groups: Any, staff: Any) -> None:
    first, second = submitted(group=groups[0], title="Tool library"), submitted(group=groups[1], title="Shared vans")
    decision = decided(staff, first, second)
    project = services.create_project(by=staff, decision=decision, titles={"en": "The tool library of Brussels"})
    services.add_milestone(by=staff, project=project, titles={"en": "First tools lent"}, due_on=date(2026, 9, 1))
    test = services.propose_test_project(
        by=user("m1@example.org"), group=groups[0], recommendation=first, title="Lending day", goal="Try it.",
        plan="", language="en", starts_on=date(2021, 1, 15), ends_on=date(2021, 4, 15),
        lines=[services.BudgetRequest(kind=BudgetKind.ANIMATION, amount=Decimal("100"))],
    )  # fmt: skip
    services.approve_test_project(by=staff, test_project=test, amount=Decimal("100"))
    services.write_evaluation(
        by=user("m1@example.org"), test_project=test, what_worked="People came.", what_did_not="Rain.",
        lessons="Lend indoors.", language="en",
    )  # fmt: skip
    page = client_for(None).get(reverse("recommendations_public:detail", kwargs={"pk": first.pk})).content.decode()
    for text in (
        "Draft, version 1",
        "Submitted to the team",
        "Merged into a synthesis",
        "Shared vans",
        "Board meeting of",
        "Accepted",
        "The tool library of Brussels",
        "First tools lent",
        "Lending day",
        "Lend indoors.",
    ):
        assert text in page, text


def _public_rows(staff: Any, groups: Any, count: int) -> None:
    for number in range(count):
        decided(staff, submitted(group=groups[number % 2], title=f"Row {number}"))


@pytest.mark.parametrize("count", [2, 12])
def test_the_public_list_takes_the_same_queries_whatever_its_length(count: int, groups: Any, staff: Any) -> None:
    _public_rows(staff, groups, count)
    client = client_for(None)
    url = reverse("recommendations_public:outcomes")
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert f"Row {count - 1}" in response.content.decode()
    # editions of the filter, count, page (decision and project in subqueries); sessions etc. none for a visitor
    assert len(queries) == 3, [q["sql"][:120] for q in queries]


def test_the_public_list_filters_by_edition_theme_decision_and_project(groups: Any, staff: Any) -> None:
    accepted = submitted(group=groups[0], title="Accepted one")
    project_decision = decided(staff, accepted)
    services.create_project(by=staff, decision=project_decision, titles={"en": "A project"})
    rejected = submitted(group=groups[1], title="Rejected one")
    decided(staff, rejected, kind=DecisionKind.REJECTED)
    client = client_for(None)
    url = reverse("recommendations_public:outcomes")

    def titles(**query: Any) -> set[str]:
        page = client.get(url, query).content.decode()
        return {t for t in ("Accepted one", "Rejected one") if t in page}

    assert titles() == {"Accepted one", "Rejected one"}
    assert titles(decision="rejected") == {"Rejected one"}
    assert titles(project="planned") == {"Accepted one"}
    assert titles(project="none") == {"Rejected one"}
    edition = accepted.edition
    assert titles(edition=edition.slug, theme=accepted.theme_id) == {"Accepted one", "Rejected one"}
    other_theme = edition.themes.get(slug="werk")
    assert titles(edition=edition.slug, theme=other_theme.pk) == set()
    # A bad value is ignored with the form's message, not an error page.
    assert client.get(url, {"decision": "maybe"}).status_code == 200


# ---------------------------------------------------------------------------
# Staff synthesis


def test_staff_see_suggestions_and_merge_two_recommendations(personas: dict[str, Any], groups: Any) -> None:
    staff = personas["staff"]
    first = submitted(
        group=groups[0], title="An ethics committee", proposal="Create an ethics committee that advises the board."
    )
    second = submitted(
        group=groups[1], title="Ethics committee", proposal="The board should create an ethics committee to advise it."
    )
    third = submitted(group=groups[1], title="Vans", proposal="Share delivery vans between members in Ghent.")
    url = reverse("recommendations_staff:theme", kwargs={"theme_id": first.theme_id})
    _expect(personas, url, {"staff"})
    page = client_for(staff).get(url).content.decode()
    assert "Recommendations that say much the same" in page
    assert "similarity" in page
    response = client_for(staff).post(
        reverse("recommendations_staff:merge", kwargs={"theme_id": first.theme_id}),
        {"recommendations": [first.pk, second.pk], "title": "One ethics committee", "text": "", "language": "en"},
    )
    assert response.status_code == 303
    first.refresh_from_db()
    third.refresh_from_db()
    assert first.status == RecommendationStatus.IN_SYNTHESIS
    assert third.status == RecommendationStatus.SUBMITTED
    page = client_for(staff).get(response["Location"]).content.decode()
    assert "One ethics committee" in page and "An ethics committee" in page and "Ethics committee" in page


def test_the_merge_form_starts_in_the_recommendations_language_and_leaves_out_decided_ones(
    groups: Any, staff: Any, board: Any
) -> None:
    first = submitted(group=groups[0], title="Een ethisch comité", language="nl")
    submitted(group=groups[1], title="Ethisch comité", language="nl")
    decided_alone = submitted(group=groups[1], title="Gedeelde bestelwagens", language="nl")
    services.record_decision(
        by=board,
        recommendation=decided_alone,
        decision=DecisionKind.ACCEPTED,
        answers={"nl": "Ja"},
        meeting_date=date(2026, 1, 20),
    )
    url = reverse("recommendations_staff:theme", kwargs={"theme_id": first.theme_id})
    page = client_for(staff).get(url).content.decode()  # the staff member reads the English pages
    assert '<option value="nl" selected>' in page
    assert f'value="{decided_alone.pk}"' not in page
    keep = reverse("recommendations_staff:keep", kwargs={"theme_id": first.theme_id, "pk": decided_alone.pk})
    assert keep not in page and "The board has recorded its decision on it as it is" in page


def test_suggestions_follow_the_texts_when_a_recommendation_changes(groups: Any, staff: Any) -> None:
    # The suggestions are kept in the shared cache; a changed text must show at once, not the kept pairs.
    first = submitted(group=groups[0], title="Shared vans", proposal="Share delivery vans between members in Ghent.")
    submitted(group=groups[1], title="Vans to share", proposal="Members in Ghent share their delivery vans.")
    url = reverse("recommendations_staff:theme", kwargs={"theme_id": first.theme_id})
    assert "No two submitted recommendations look alike." not in client_for(staff).get(url).content.decode()
    type(first).objects.filter(pk=first.pk).update(
        title="A mentor for every newcomer", proposal="Every new member gets an experienced member as a mentor."
    )
    assert "No two submitted recommendations look alike." in client_for(staff).get(url).content.decode()


def test_merging_one_shows_the_reason_and_keeps_the_input(groups: Any, staff: Any) -> None:
    first = submitted(group=groups[0])
    response = client_for(staff).post(
        reverse("recommendations_staff:merge", kwargs={"theme_id": first.theme_id}),
        {"recommendations": [first.pk], "title": "Kept title", "text": "", "language": "en"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose at least two" in page and "Kept title" in page


def test_synthesis_pages_are_for_staff_board_and_the_groups_concerned(
    personas: dict[str, Any], groups: Any, staff: Any
) -> None:
    first = submitted(group=groups[0])
    synthesis = services.keep_as_is(by=staff, theme=first.theme, recommendation_id=first.pk)
    url = reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk})
    _expect(personas, url, {"staff", "board"})
    assert client_for(user("m2@example.org")).get(url).status_code == 200
    assert client_for(user("o2@example.org")).get(url).status_code == 403
    services.open_to_all_members(by=staff, synthesis=synthesis)
    assert client_for(personas["member"]).get(url).status_code == 200
    response = client_for(personas["member"]).post(
        reverse("recommendations_staff:comment", kwargs={"pk": synthesis.pk}), {"text": "<script>x</script>Fine"}
    )
    assert response.status_code == 303
    page = client_for(staff).get(url).content.decode()
    assert "<script>x</script>" not in page and "Fine" in page
    for name, kwargs in [
        ("recommendations_staff:themes", {"slug": first.edition.slug}),
        ("recommendations_staff:edit", {"pk": synthesis.pk}),
        ("recommendations_staff:publication", {"slug": first.edition.slug}),
        ("recommendations_testprojects:overview", {"slug": first.edition.slug}),
    ]:
        _expect(personas, reverse(name, kwargs=kwargs), {"staff"})
    act = reverse("recommendations_staff:act", kwargs={"pk": synthesis.pk, "action": "send-to-board"})
    assert client_for(staff).get(act).status_code == 405
    assert client_for(personas["board"]).post(act).status_code == 403
    assert client_for(staff).post(act).status_code == 303
    keep = reverse("recommendations_staff:keep", kwargs={"theme_id": first.theme_id, "pk": first.pk})
    assert client_for(personas["member"]).post(keep).status_code == 403


# ---------------------------------------------------------------------------
# The board


def test_a_board_member_records_a_decision_and_publishes_later(
    personas: dict[str, Any], groups: Any, staff: Any
) -> None:
    board = personas["board"]
    recommendation = submitted(group=groups[0], title="Make financial information accessible")
    synthesis = to_board(staff, recommendation)
    slug = recommendation.edition.slug
    _expect(personas, reverse("recommendations_board:bundle", kwargs={"slug": slug}), {"staff", "board"})
    decide = reverse("recommendations_board:decide_synthesis", kwargs={"pk": synthesis.pk})
    _expect(personas, decide, {"staff", "board"})
    bad = client_for(board).post(decide, {"decision": "accepted", "meeting_date": "not a date"})
    assert bad.status_code == 200 and "Enter a valid date" in bad.content.decode()
    response = client_for(board).post(
        decide, {"decision": "postponed", "meeting_date": "2018-01-15", "answer_en": "Next year.", "answer_nl": ""}
    )
    assert response.status_code == 303
    assert (
        client_for(None)
        .get(reverse("recommendations_public:outcomes"))
        .content.decode()
        .count("Make financial information accessible")
        == 0
    )
    publish = reverse("recommendations_board:publish", kwargs={"slug": slug})
    _expect(personas, publish, {"staff", "board"})
    confirm = client_for(board).get(publish).content.decode()
    assert "This publishes 1 decision at once" in confirm
    assert client_for(board).post(publish).status_code == 303
    page = client_for(None).get(reverse("recommendations_public:outcomes")).content.decode()
    assert "Make financial information accessible" in page and "Postponed" in page


def test_the_board_is_refused_a_groups_draft(personas: dict[str, Any], draft: Any) -> None:
    board = personas["board"]
    url = reverse("recommendations_board:decide_recommendation", kwargs={"pk": draft.pk})
    assert client_for(board).get(url).status_code == 403
    assert client_for(board).get(reverse("recommendations_public:detail", kwargs={"pk": draft.pk})).status_code == 403


def test_deciding_on_a_withdrawn_recommendation_shows_why(groups: Any, board: Any) -> None:
    recommendation = submitted(group=groups[0])
    from coopsip.recommendations import services as group_services

    group_services.withdraw_recommendation(by=user("m1@example.org"), recommendation=recommendation, reason="Later")
    url = reverse("recommendations_board:decide_recommendation", kwargs={"pk": recommendation.pk})
    response = client_for(board).post(url, {"decision": "accepted", "meeting_date": "2026-01-20"})
    assert response.status_code == 200
    assert "withdrawn by its group" in response.content.decode()
    assert not BoardDecision.objects.filter(recommendation=recommendation).exists()
    # Opening the page says so at once, without a form that would only be refused.
    page = client_for(board).get(url).content.decode()
    assert "withdrawn by its group" in page and 'name="decision"' not in page


def test_after_the_boards_decision_the_group_page_offers_no_withdrawal(groups: Any, board: Any) -> None:
    recommendation = submitted(group=groups[0])
    secretary = user("m1@example.org")
    detail = reverse("recommendations:draft", kwargs={"group_pk": groups[0].pk, "pk": recommendation.pk})
    withdraw = reverse("recommendations:withdraw", kwargs={"group_pk": groups[0].pk, "pk": recommendation.pk})
    assert withdraw in client_for(secretary).get(detail).content.decode()
    decide = reverse("recommendations_board:decide_recommendation", kwargs={"pk": recommendation.pk})
    client_for(board).post(decide, {"decision": "accepted", "meeting_date": "2026-01-20", "answer_en": "Yes"})
    assert BoardDecision.objects.filter(recommendation=recommendation).exists()
    assert withdraw not in client_for(secretary).get(detail).content.decode()
    response = client_for(secretary).post(withdraw, {"reason": "Not ready"})
    assert response.status_code == 400
    assert "can no longer be withdrawn" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.status == "submitted"


def test_the_decide_page_of_a_recommendation_in_a_synthesis_points_to_the_synthesis(
    groups: Any, staff: Any, board: Any
) -> None:
    recommendation = submitted(group=groups[0])
    decided(staff, recommendation, kind=DecisionKind.POSTPONED)
    url = reverse("recommendations_board:decide_recommendation", kwargs={"pk": recommendation.pk})
    page = client_for(board).get(url).content.decode()
    assert "the board decides on the synthesis" in page and 'name="decision"' not in page
    response = client_for(board).post(url, {"decision": "rejected", "meeting_date": "2026-01-20"})
    assert "the board decides on the synthesis" in response.content.decode()
    assert BoardDecision.objects.filter(recommendation=recommendation).count() == 0


def test_the_decide_page_shows_the_text_and_chooses_no_decision_in_advance(groups: Any, board: Any) -> None:
    recommendation = submitted(group=groups[0], proposal="Open the Ghent office on Saturdays.")
    url = reverse("recommendations_board:decide_recommendation", kwargs={"pk": recommendation.pk})
    page = client_for(board).get(url).content.decode()
    assert "Open the Ghent office on Saturdays." in page
    assert 'value="" selected' in page
    response = client_for(board).post(url, {"decision": "", "meeting_date": "2026-01-20"})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not BoardDecision.objects.filter(recommendation=recommendation).exists()


def test_a_recommendation_decided_as_it_is_stays_in_the_bundle_once_published(groups: Any, board: Any) -> None:
    recommendation = submitted(group=groups[0], title="Saturday opening")
    services.record_decision(
        by=board,
        recommendation=recommendation,
        decision=DecisionKind.ACCEPTED,
        answers={"en": "Yes"},
        meeting_date=date(2026, 1, 20),
    )
    services.publish_decisions(by=board, edition=recommendation.edition)
    url = reverse("recommendations_board:bundle", kwargs={"slug": recommendation.edition.slug})
    assert "Saturday opening" in client_for(board).get(url).content.decode()


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_the_bundle_pdf_holds_each_theme_and_recommendation(groups: Any, staff: Any, board: Any) -> None:
    first = submitted(group=groups[0], title="A fund for shared tools")
    to_board(staff, first)
    alone = submitted(group=groups[1], title="Meeting rooms in Mons", theme=first.edition.themes.get(slug="werk"))
    response = client_for(board).get(reverse("recommendations_board:bundle_pdf", kwargs={"slug": first.edition.slug}))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    for expected in ("Care", "Work", "A fund for shared tools", alone.title):
        assert expected in text, expected


def test_without_weasyprint_the_pdf_page_says_so_and_links_the_web_version(
    groups: Any, staff: Any, monkeypatch: Any
) -> None:
    recommendation = submitted(group=groups[0])
    decided(staff, recommendation)
    publication.set_published(by=staff, edition=recommendation.edition, published=True)
    monkeypatch.setattr(publication, "render_pdf", lambda html, base_url: None)
    url = reverse(
        "recommendations_public:publication_pdf", kwargs={"slug": recommendation.edition.slug, "language": "en"}
    )
    response = client_for(None).get(url)
    assert response.status_code == 503
    assert "The PDF is unavailable" in response.content.decode()
    assert (
        client_for(None)
        .get(reverse("recommendations_public:publication", kwargs={"slug": recommendation.edition.slug}))
        .status_code
        == 200
    )


# ---------------------------------------------------------------------------
# The yearly publication


def test_the_publication_is_public_once_staff_publish_it_and_its_pdf_holds_every_theme(
    personas: dict[str, Any], groups: Any, staff: Any
) -> None:
    care = submitted(group=groups[0], title="Care circles in every office")
    work = submitted(group=groups[1], title="A fair rate calculator", theme=care.edition.themes.get(slug="werk"))
    decided(staff, care)
    decided(staff, work, kind=DecisionKind.ALREADY_UNDER_WAY)
    slug = care.edition.slug
    url = reverse("recommendations_public:publication", kwargs={"slug": slug})
    _expect(personas, url, {"staff"}, visitor=404)
    response = client_for(staff).post(
        reverse("recommendations_staff:publication", kwargs={"slug": slug}), {"published": "1"}
    )
    assert response.status_code == 303
    _expect(personas, url, set(ROLES) - {"visitor"} | {"visitor"})
    for language, theme_titles in (("en", ("Care", "Work")), ("fr", ("Soins", "Travail")), ("nl", ("Zorg", "Werk"))):
        pdf = client_for(None).get(
            reverse("recommendations_public:publication_pdf", kwargs={"slug": slug, "language": language})
        )
        assert pdf.status_code == 200, language
        reader = pypdf.PdfReader(io.BytesIO(pdf.content))
        assert len(reader.pages) >= 4  # cover, contents, a page per theme
        text = _pdf_text(pdf.content)
        for expected in (*theme_titles, "Care circles in every office", "A fair rate calculator"):
            assert expected in text, (language, expected)
    assert (
        client_for(None)
        .get(reverse("recommendations_public:publication_pdf", kwargs={"slug": slug, "language": "de"}))
        .status_code
        == 404
    )


def test_the_publication_pages_link_each_booklet_by_its_language_and_the_links_give_pdfs(
    groups: Any, staff: Any, monkeypatch: Any
) -> None:
    import re

    recommendation = submitted(group=groups[0])
    decided(staff, recommendation)
    slug = recommendation.edition.slug
    publication.set_published(by=staff, edition=recommendation.edition, published=True)
    monkeypatch.setattr(publication, "pdf_available", lambda: True)
    monkeypatch.setattr(publication, "render_pdf", lambda html, base_url: b"%PDF-1.4 booklet")
    public_page = client_for(None).get(reverse("recommendations_public:publication", kwargs={"slug": slug}))
    links = re.findall(r'<a href="([^"]+\.pdf)" hreflang="(\w+)">([^<]+)</a>', public_page.content.decode())
    assert [(href.rsplit("/", 1)[-1], name) for href, _code, name in links] == [
        ("nl.pdf", "Nederlands"),
        ("fr.pdf", "Français"),
        ("en.pdf", "English"),
    ]
    staff_page = client_for(staff).get(reverse("recommendations_staff:publication", kwargs={"slug": slug}))
    staff_links = re.findall(r'<a href="([^"]+\.pdf)">(PDF \w+)</a>', staff_page.content.decode())
    assert [name for _href, name in staff_links] == ["PDF NL", "PDF FR", "PDF EN"]
    for href in [href for href, _code, _name in links] + [href for href, _name in staff_links]:
        pdf = client_for(None).get(href)
        assert pdf.status_code == 200, href
        assert pdf["Content-Type"] == "application/pdf", href


# ---------------------------------------------------------------------------
# Test projects


def test_date_fields_show_their_default_in_dutch_and_french(groups: Any) -> None:
    from django.utils import translation

    from coopsip.editions.models import Phase, PhaseKind

    group = groups[0]
    starts_on, ends_on = date(2027, 1, 15), date(2027, 4, 15)
    Phase.objects.create(edition=group.edition, kind=PhaseKind.TEST_PROJECTS, starts_on=starts_on, ends_on=ends_on)
    for language in ("nl", "fr", "en"):
        with translation.override(language):
            propose = reverse("recommendations_testprojects:propose", kwargs={"group_id": group.pk})
        page = client_for(user("m1@example.org")).get(propose).content.decode()
        assert f'type="date" name="starts_on" value="{starts_on.isoformat()}"' in page, language
        assert f'type="date" name="ends_on" value="{ends_on.isoformat()}"' in page, language


def test_a_group_proposes_a_test_project_staff_approve_and_expenses_stay_within(
    personas: dict[str, Any], groups: Any, staff: Any
) -> None:
    group = groups[0]
    secretary = user("m1@example.org")
    propose = reverse("recommendations_testprojects:propose", kwargs={"group_id": group.pk})
    assert client_for(user("o1@example.org")).get(propose).status_code == 403
    assert client_for(personas["member"]).get(propose).status_code == 403
    response = client_for(secretary).post(
        propose,
        {
            "title": "Repair café",
            "goal": "Repair things together.",
            "starts_on": "2021-01-15",
            "ends_on": "2021-04-15",
            "animation": "80.00",
            "inviting": "20.50",
        },
    )
    assert response.status_code == 303, response.content.decode()[:2000]
    detail_url = response["Location"]
    assert "100.50" in client_for(secretary).get(detail_url).content.decode()
    project_pk = int(detail_url.rstrip("/").split("/")[-1])
    for name in ("detail",):
        url = reverse(f"recommendations_testprojects:{name}", kwargs={"pk": project_pk})
        _expect(personas, url, {"staff", "board"})
        assert client_for(user("o1@example.org")).get(url).status_code == 403
    approve = reverse("recommendations_testprojects:approve", kwargs={"pk": project_pk})
    assert client_for(secretary).post(approve, {"amount": "100.00"}).status_code == 403
    assert client_for(staff).post(approve, {"amount": "100.00"}).status_code == 303
    expense = reverse("recommendations_testprojects:expense", kwargs={"pk": project_pk})
    assert (
        client_for(secretary)
        .post(expense, {"amount": "60", "description": "Tools", "spent_on": "2021-02-01"})
        .status_code
        == 303
    )
    refused = client_for(secretary).post(expense, {"amount": "40.01", "description": "More", "spent_on": "2021-02-02"})
    assert refused.status_code == 200
    assert "above the approved budget of 100.00 EUR (40.00 EUR left)" in refused.content.decode()
    budget_table = client_for(secretary).get(detail_url).content.decode()
    assert '<th scope="row">Remaining</th><td class="number">40.00</td>' in budget_table
    log = reverse("recommendations_testprojects:log", kwargs={"pk": project_pk})
    assert client_for(secretary).post(log, {"kind": "need", "text": "We need a room."}).status_code == 303
    entry = services.TestProjectLogEntry.objects.get()
    answer = reverse("recommendations_testprojects:answer", kwargs={"pk": entry.pk})
    assert client_for(secretary).post(answer, {"answer": "x"}).status_code == 403
    assert client_for(staff).post(answer, {"answer": "The KOP is free on Mondays."}).status_code == 303
    evaluation = reverse("recommendations_testprojects:evaluation", kwargs={"pk": project_pk})
    assert client_for(staff).get(evaluation).status_code == 403
    assert (
        client_for(secretary)
        .post(evaluation, {"what_worked": "Fun.", "what_did_not": "Late.", "lessons": "Plan."})
        .status_code
        == 303
    )
    group_page = reverse("recommendations_testprojects:group", kwargs={"group_id": group.pk})
    assert "Repair café" in client_for(user("m3@example.org")).get(group_page).content.decode()
    assert client_for(user("o1@example.org")).get(group_page).status_code == 403
    refuse = reverse("recommendations_testprojects:refuse", kwargs={"pk": project_pk})
    assert client_for(secretary).post(refuse, {"reason": "x"}).status_code == 403


def test_project_pages_are_for_staff(personas: dict[str, Any], groups: Any, staff: Any) -> None:
    decision = decided(staff, submitted(group=groups[0]))
    create = reverse("recommendations_staff:create_project", kwargs={"pk": decision.pk})
    _expect(personas, create, {"staff"})
    response = client_for(staff).post(create, {"title_en": "The ethics committee", "responsible_team": "Board"})
    assert response.status_code == 303
    project_url = response["Location"]
    _expect(personas, project_url, {"staff"})
    assert (
        client_for(staff).post(project_url, {"form": "status", "status": "under_way", "progress": "150"}).status_code
        == 200
    )
    assert (
        client_for(staff).post(project_url, {"form": "status", "status": "under_way", "progress": "40"}).status_code
        == 303
    )
    assert (
        client_for(staff)
        .post(project_url, {"form": "milestone", "title": "Charter", "due_on": "2026-06-01"})
        .status_code
        == 303
    )
    assert "Charter" in client_for(staff).get(project_url).content.decode()


def test_staff_find_the_requested_budget_written_as_money_in_their_language(groups: Any, staff: Any) -> None:
    from django.utils import translation

    test = services.propose_test_project(
        by=user("m1@example.org"), group=groups[0], recommendation=None, title="Repair café", goal="Repair.",
        plan="", language="en", starts_on=date(2021, 1, 15), ends_on=date(2021, 4, 15),
        lines=[
            services.BudgetRequest(kind=BudgetKind.ANIMATION, amount=Decimal("100.10")),
            services.BudgetRequest(kind=BudgetKind.INVITING, amount=Decimal("50.20")),
        ],
    )  # fmt: skip
    for language, shown in (("en", "150.30"), ("nl", "150,30"), ("fr", "150,30")):
        with translation.override(language):
            url = reverse("recommendations_testprojects:detail", kwargs={"pk": test.pk})
        page = client_for(staff).get(url).content.decode()
        assert f'name="amount" value="{shown}"' in page, language
        assert "150.300000" not in page
    with translation.override("fr"):
        approve = reverse("recommendations_testprojects:approve", kwargs={"pk": test.pk})
    assert client_for(staff).post(approve, {"amount": "150,30"}).status_code == 303
    test.refresh_from_db()
    assert test.approved_amount == Decimal("150.30")


def test_once_published_the_publication_page_says_so_and_offers_only_what_can_still_be_done(
    groups: Any, staff: Any
) -> None:
    recommendation = submitted(group=groups[0])
    decided(staff, recommendation)
    url = reverse("recommendations_staff:publication", kwargs={"slug": recommendation.edition.slug})
    before = client_for(staff).get(url).content.decode()
    assert "Publish it in the edition's archive" in before
    assert client_for(staff).post(url, {"published": "1"}).status_code == 303
    first = Publication.objects.get(edition=recommendation.edition).published_at
    page = client_for(staff).get(url).content.decode()
    assert "Published on" in page
    assert "there is nothing to update here" in page
    assert "Publish it in the edition" not in page
    assert "Take it back" in page
    # A second "publish" (an old tab) keeps the first date.
    assert client_for(staff).post(url, {"published": "1"}).status_code == 303
    assert Publication.objects.get(edition=recommendation.edition).published_at == first


def test_publishing_two_decisions_of_one_group_counts_its_members_once(groups: Any, staff: Any, board: Any) -> None:
    first = submitted(group=groups[0], title="A fund for shared tools")
    second = submitted(group=groups[0], title="A van for the group")
    decided(staff, first, publish=False)
    decided(staff, second, publish=False)
    publish = reverse("recommendations_board:publish", kwargs={"slug": first.edition.slug})
    response = client_for(board).post(publish, follow=True)
    # The group has four members: each is told of both decisions, and counted once.
    assert "2 decisions are published. 4 members of the groups concerned are told." in response.content.decode()
