"""What the last part of issue 13 added: searching recommendations (core.search, both databases), the public
list as CSV, the email when a consent round opens, the info moment made in one step from a synthesis, the
synthesis and decision steps of the journey, and two expenses at once against one budget."""

from __future__ import annotations

import csv
import io
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from conftest import client_for
from coopsip.events.models import Event, EventKind
from coopsip.groups.tests.factories import accept_all, make_edition, opened_groups
from coopsip.recommendations import services as group_services
from coopsip.recommendations import services_followup as services
from coopsip.recommendations.models import BudgetKind, Expense, Recommendation, Synthesis
from coopsip.recommendations.search import index_recommendations, matching
from coopsip.recommendations.selectors_followup import OutcomeFilter, outcomes
from coopsip.recommendations.tests.conftest import user
from coopsip.recommendations.tests.followup import decided, submitted
from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database

pytestmark = pytest.mark.django_db
OUTCOMES = "/en/outcomes/"


def _decided(staff: Any, group: Any, title: str, proposal: str, language: str = "en") -> Recommendation:
    recommendation = submitted(group=group, title=title, proposal=proposal, language=language)
    index_recommendations(Recommendation.objects.filter(pk=recommendation.pk))
    decided(staff, recommendation)
    return recommendation


# ---------------------------------------------------------------------------
# Search


def test_search_finds_other_forms_of_a_word_in_dutch_french_and_english(groups: Any, staff: Any) -> None:
    dutch = _decided(staff, groups[0], "Een ethisch comité oprichten", "Advies over ethische vragen.", "nl")
    french = _decided(staff, groups[1], "Des formations partagées", "Former les coopérateurs aux outils.", "fr")
    english = _decided(staff, groups[0], "Shared delivery vans", "Members share vans in Ghent.", "en")
    assert set(matching(Recommendation.objects.all(), "ethisch")) == {dutch}
    assert set(matching(Recommendation.objects.all(), "formation")) == {french}
    assert set(matching(Recommendation.objects.all(), "deliveries")) == {english}
    # Every word must match; punctuation and operators are harmless.
    assert set(matching(Recommendation.objects.all(), "ethische   comité!! & |")) == {dutch}
    assert list(matching(Recommendation.objects.all(), "ethisch vans")) == []
    if connection.vendor == "postgresql":
        assert Recommendation.objects.get(pk=dutch.pk).search_vector


def test_a_saved_draft_is_found_by_its_new_words_not_its_old_ones(draft: Recommendation, secretary: Any) -> None:
    assert set(matching(Recommendation.objects.all(), "tools")) == {draft}
    fields = {name: getattr(draft, name) for name in group_services.VERSIONED_FIELDS}
    group_services.save_draft(
        by=secretary, recommendation=draft, based_on=1, fields=fields | {"title": "A fund for shared bicycles"}
    )
    assert list(matching(Recommendation.objects.all(), "tools")) == []
    assert set(matching(Recommendation.objects.all(), "bicycle")) == {draft}


def test_the_public_list_searches_with_its_filters_and_keeps_them_across_pages(groups: Any, staff: Any) -> None:
    _decided(staff, groups[0], "An ethics committee", "Create an ethics committee for the cooperative.")
    _decided(staff, groups[1], "Shared vans", "Members share delivery vans.")
    page = client_for(None).get(OUTCOMES, {"q": "committees"}).content.decode()
    assert "1 recommendation" in page and "An ethics committee" in page and "Shared vans" not in page
    assert 'role="search"' in page and 'name="q"' in page
    # The help text promises what the search does: each text is found in the language it was written in.
    assert "Search the texts in the language they were written in" in page and "In Dutch, French or English" not in page
    page = client_for(None).get(OUTCOMES, {"q": "committee", "decision": "rejected"}).content.decode()
    assert "No recommendation matches." in page
    page = client_for(None).get(OUTCOMES, {"q": "x" * 5000}).content.decode()
    assert "Ensure this value has at most 200 characters" in page


@pytest.mark.parametrize("count", [2, 8])
def test_a_search_takes_the_same_queries_whatever_the_number_found(count: int, groups: Any, staff: Any) -> None:
    for n in range(count):
        _decided(staff, groups[n % 2], f"Committee number {n}", "An ethics committee.")
    with CaptureQueriesContext(connection) as queries:
        response = client_for(None).get(OUTCOMES, {"q": "committee"})
    assert response.status_code == 200 and f"{count} recommendations" in response.content.decode()
    assert len(queries) <= 5


def test_staff_search_the_side_by_side_list_of_a_theme(groups: Any, staff: Any, board: Any) -> None:
    first = submitted(group=groups[0], title="An ethics committee", proposal="Advice on ethics.")
    second = submitted(group=groups[1], title="Shared vans", proposal="Vans for members.")
    index_recommendations(Recommendation.objects.filter(pk__in=[first.pk, second.pk]))
    url = reverse("recommendations_staff:theme", kwargs={"theme_id": first.theme_id})
    with translation.override("en"):
        page = client_for(staff).get(url, {"q": "vans"}).content.decode()
    assert f'id="rec-{second.pk}"' in page and f'id="rec-{first.pk}"' not in page
    assert client_for(board).get(url, {"q": "vans"}).status_code == 403


def test_the_selector_ranks_the_best_match_first(groups: Any, staff: Any) -> None:
    in_text = _decided(staff, groups[0], "Advice for the board", "An ethics committee gives the advice.")
    in_title = _decided(staff, groups[1], "An ethics committee", "It advises the board.")
    found = list(outcomes(OutcomeFilter(query="committee")))
    if connection.vendor == "postgresql":  # SearchRank weighs the title (A) above the text (B)
        assert found == [in_title, in_text]
    else:  # SQLite counts the stems found: a tie, in the list's order
        assert set(found) == {in_title, in_text}


# ---------------------------------------------------------------------------
# CSV


def test_the_public_list_as_csv_has_the_filtered_rows_only(groups: Any, staff: Any, board: Any) -> None:
    kept = _decided(staff, groups[0], "An ethics committee", "Create an ethics committee.")
    _decided(staff, groups[1], "Shared vans", "Members share vans.")
    hidden = submitted(group=groups[1], title="Not decided yet")
    response = client_for(None).get("/en/outcomes/outcomes.csv", {"q": "committee"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Recommendation", "Language", "Edition", "Theme", "Decision"]
    assert [row[0] for row in rows[1:]] == [kept.title]
    assert rows[1][4] == "accepted" and rows[1][6].endswith(f"/en/outcomes/{kept.pk}/")
    every = client_for(None).get("/en/outcomes/outcomes.csv")
    text = b"".join(every.streaming_content).decode("utf-8-sig")
    assert "Shared vans" in text and hidden.title not in text


def test_a_formula_in_a_title_is_not_run_by_a_spreadsheet(groups: Any, staff: Any) -> None:
    _decided(staff, groups[0], "=HYPERLINK(1)", "A title that looks like a formula.")
    text = b"".join(client_for(None).get("/en/outcomes/outcomes.csv").streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text


# ---------------------------------------------------------------------------
# The consent round's email


def test_opening_a_consent_round_emails_every_member_of_the_group_in_their_language(
    draft: Recommendation, secretary: Any, on_commit: Any
) -> None:
    french = user("m2@example.org")
    french.preferred_language = "fr"
    french.save()
    with on_commit():
        consent_round = group_services.open_consent_round(
            by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(days=3)
        )
    assert sorted(m.to[0] for m in mail.outbox) == [f"m{n}@example.org" for n in range(4)]
    english = next(m for m in mail.outbox if m.to == ["m3@example.org"])
    assert english.subject == "Your group asks your consent on “A fund for shared tools”"
    assert f"/en/recommendations/group/{draft.group_id}/{draft.pk}/consent/{consent_round.pk}/" in english.body
    in_french = next(m for m in mail.outbox if m.to == ["m2@example.org"])
    assert f"/fr/recommendations/group/{draft.group_id}/{draft.pk}/consent/{consent_round.pk}/" in in_french.body
    # Nobody of the other group; sending again (a retried task) sends nothing more.
    from coopsip.recommendations.tasks import send_consent_opened

    send_consent_opened.call(consent_round.pk)
    assert len(mail.outbox) == 4


def test_a_round_that_is_rolled_back_emails_nobody(draft: Recommendation, secretary: Any, on_commit: Any) -> None:
    with on_commit(), pytest.raises(group_services.RecommendationInvalid):
        group_services.open_consent_round(
            by=secretary, recommendation=draft, closes_at=timezone.now() + timedelta(minutes=5)
        )
    assert mail.outbox == []


# ---------------------------------------------------------------------------
# Info moments


def _event_post(synthesis: Synthesis | None = None, **changes: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title_en": "Info moment: Tools",
        "kind": EventKind.INFO_SESSION,
        "format": "presentation",
        "starts_at_0": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "starts_at_1": "19:00",
        "ends_at_0": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "ends_at_1": "20:30",
        "attendance": "online",
        "video_url": "https://meet.example.org/sip",
        "audience": "members",
    }
    if synthesis is not None:
        data |= {"theme": synthesis.theme_id, "edition": synthesis.edition_id}
    return data | changes


def test_staff_open_a_synthesis_with_its_info_moment_in_one_step(
    groups: Any, staff: Any, member: Any, personas: dict[str, Any]
) -> None:
    first, second = submitted(group=groups[0]), submitted(group=groups[1])
    synthesis = services.merge_into_synthesis(
        by=staff, theme=first.theme, recommendation_ids=[first.pk, second.pk], title="Tools", text="", language="en"
    )
    url = reverse("recommendations_staff:info_moment", kwargs={"pk": synthesis.pk})
    page = client_for(staff).get(url).content.decode()
    # Prefilled: the title in each language, the kind, the link to the synthesis.
    assert 'name="title_en"' in page and 'value="Info moment: Tools"' in page and 'name="title_nl"' in page
    assert f"/en/staff/recommendations/synthesis/{synthesis.pk}/" in page
    assert 'value="info_session" selected' in page
    # Without the video link nothing is written, and the form says why.
    refused = client_for(staff).post(url, _event_post(synthesis, video_url=""))
    assert refused.status_code == 400 and "Give the video link" in refused.content.decode()
    synthesis.refresh_from_db()
    assert not synthesis.comments_open and synthesis.info_event is None and not Event.objects.exists()
    response = client_for(staff).post(url, _event_post(synthesis))
    assert response.status_code == 303
    synthesis.refresh_from_db()
    event = Event.objects.get()
    assert synthesis.comments_open and synthesis.info_event == event
    assert event.kind == EventKind.INFO_SESSION and event.theme_id == first.theme_id
    # Every member now reads and comments on it, and finds it on their personal home.
    synthesis_url = reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk})
    with translation.override("en"):
        shown = client_for(member).get(synthesis_url).content.decode()
        assert "Info moment: Tools" in shown and "Add my comment" in shown
        assert "Info moment: Info moment" not in shown
        home = client_for(member).get("/en/me/").content.decode()
    assert "A synthesis of recommendations is open for your comments: “Tools”" in home
    # A second info moment is refused.
    again = client_for(staff).post(url, _event_post())
    assert again.status_code == 400 and "already has its info moment" in again.content.decode()
    assert Event.objects.count() == 1


def test_only_staff_reach_the_info_moment_page(groups: Any, staff: Any, personas: dict[str, Any]) -> None:
    first = submitted(group=groups[0])
    synthesis = services.keep_as_is(by=staff, theme=first.theme, recommendation_id=first.pk)
    url = reverse("recommendations_staff:info_moment", kwargs={"pk": synthesis.pk})
    group_member = user("m2@example.org")
    for person in [personas["outsider"], personas["nonmember"], personas["member"], personas["board"], group_member]:
        assert client_for(person).get(url).status_code == 403
        assert client_for(person).post(url, _event_post()).status_code == 403
    assert client_for(None).get(url).status_code == 302
    assert client_for(None).post(url, _event_post()).status_code == 302
    synthesis.refresh_from_db()
    assert not synthesis.comments_open and not Event.objects.exists()


def test_a_synthesis_with_the_board_gets_no_info_moment(groups: Any, staff: Any) -> None:
    first = submitted(group=groups[0])
    synthesis = services.keep_as_is(by=staff, theme=first.theme, recommendation_id=first.pk)
    services.send_to_board(by=staff, synthesis=synthesis)
    url = reverse("recommendations_staff:info_moment", kwargs={"pk": synthesis.pk})
    response = client_for(staff).post(url, _event_post())
    assert response.status_code == 400 and "The board already has this synthesis." in response.content.decode()
    assert not Event.objects.exists()


# ---------------------------------------------------------------------------
# The journey


def test_the_journey_tells_the_synthesis_and_the_decision_steps(groups: Any, staff: Any, member: Any) -> None:
    first, second = submitted(group=groups[0], title="Tool library"), submitted(group=groups[1])
    synthesis = services.merge_into_synthesis(
        by=staff, theme=first.theme, recommendation_ids=[first.pk, second.pk], title="Tools", text="", language="en"
    )
    services.send_to_groups(by=staff, synthesis=synthesis)
    url = reverse("recommendations_staff:info_moment", kwargs={"pk": synthesis.pk})
    assert client_for(staff).post(url, _event_post(synthesis)).status_code == 303
    services.comment_on_synthesis(by=member, synthesis=synthesis, text="Fine.", language="en")
    services.send_to_board(by=staff, synthesis=synthesis)
    services.record_decision(
        by=staff, synthesis=synthesis, decision="accepted", answers={"en": "Yes."}, meeting_date=date(2026, 1, 20)
    )
    services.publish_decisions(by=staff, edition=first.edition)
    page = client_for(None).get(f"/en/outcomes/{first.pk}/").content.decode()
    steps = [
        "Merged into a synthesis",
        "Synthesis shown to the groups whose work went in, for their comments",
        "Synthesis opened to every member for comments",
        "Info moment:",
        "Synthesis sent to the board",
        "with 1 comment of the groups and members",
        "The board's decision",
        "Decided on the synthesis:",
        "Decision published, the groups concerned told",
    ]
    missing = [step for step in steps if step not in page]
    assert missing == [], page[page.find("journey-heading") :]
    assert "Info moment: Info moment" not in page
    positions = [page.index(step) for step in steps]
    assert positions == sorted(positions)


# ---------------------------------------------------------------------------
# Two expenses at once


@pytest.mark.django_db(transaction=True)
def test_two_expenses_at_once_that_together_pass_the_budget_accept_exactly_one(tmp_path: Path, staff: Any) -> None:
    edition = make_edition()
    group = opened_groups(edition, staff, [4])[0]
    accept_all(group)
    group.refresh_from_db()
    secretary, member = user("m1@example.org"), user("m2@example.org")
    project = services.propose_test_project(
        by=secretary, group=group, title="A tool library", goal="Lend tools.", plan="", language="en",
        starts_on=date(2021, 1, 15), ends_on=date(2021, 4, 15),
        lines=[services.BudgetRequest(kind=BudgetKind.ANIMATION, amount=Decimal("100.00"))],
    )  # fmt: skip
    project = services.approve_test_project(by=staff, test_project=project, amount=Decimal("100.00"))
    barrier = threading.Barrier(2)
    results: list[Any] = []
    failures: list[BaseException] = []

    def spend(person: Any, amount: str) -> None:
        try:
            barrier.wait(timeout=60)
            with translation.override("en"):
                expense = services.record_expense(
                    by=person, test_project=project, amount=Decimal(amount), description="Room",
                    spent_on=date(2021, 2, 1),
                )  # fmt: skip
                results.append(expense)
        except services.FollowUpRefused as refused:
            results.append(refused)
        except BaseException as exc:  # reported by the main thread
            failures.append(exc)
        finally:
            connection.close()

    with threads_on_a_file_database(tmp_path), ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda args: spend(*args), [(secretary, "60.00"), (member, "50.00")]))
    assert failures == []
    accepted = [r for r in results if isinstance(r, Expense)]
    refused = [r for r in results if isinstance(r, services.FollowUpRefused)]
    assert len(accepted) == 1 and len(refused) == 1
    assert "above the approved budget of 100.00 EUR" in str(refused[0])
    assert services.spent_total(project) == accepted[0].amount <= Decimal("100.00")
    assert Expense.objects.filter(test_project=project).count() == 1
    assert Synthesis.objects.count() == 0


# ---------------------------------------------------------------------------
# The PDF is laid out once per content


def test_the_same_pdf_is_laid_out_once_and_a_new_decision_makes_a_new_one(
    groups: Any, staff: Any, monkeypatch: Any
) -> None:
    import weasyprint

    from coopsip.recommendations import publication

    first = submitted(group=groups[0], title="An ethics committee")
    decided(staff, first)
    publication.set_published(by=staff, edition=first.edition, published=True)
    made: list[str] = []
    original = weasyprint.HTML

    def counting(*args: Any, **kwargs: Any) -> Any:
        made.append(kwargs.get("string", ""))
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", counting)
    url = reverse("recommendations_public:publication_pdf", kwargs={"slug": first.edition.slug, "language": "en"})
    one, two = client_for(None).get(url), client_for(None).get(url)
    assert one.status_code == two.status_code == 200 and one.content == two.content
    assert len(made) == 1
    # The PDF's HTML keeps the document's language, not the inner lang attributes (Pango lays them out apart).
    assert '<html lang="en">' in made[0] and 'lang="en">An ethics committee' not in made[0]
    decided(staff, submitted(group=groups[1], title="Shared vans"))
    three = client_for(None).get(url)
    assert len(made) == 2 and three.content != one.content


def test_a_synthesis_lists_two_sources_of_the_same_title_apart_each_with_its_group_and_link(
    groups: Any, staff: Any
) -> None:
    from coopsip.recommendations.tests.followup import to_board

    first = submitted(group=groups[0], title="A mentor for each newcomer")
    second = submitted(group=groups[1], title="A mentor for each newcomer")
    synthesis = to_board(staff, first, second, title="Mentors")
    page = client_for(staff).get(reverse("recommendations_staff:synthesis", kwargs={"pk": synthesis.pk}))
    html = page.content.decode()
    for recommendation in (first, second):
        assert f"— {recommendation.group.key}, " in html
        link = reverse("recommendations:draft", kwargs={"group_pk": recommendation.group_id, "pk": recommendation.pk})
        assert f'<a href="{link}"' in html
        assert client_for(staff).get(link).status_code == 200
