"""The survey pages: answering (conditions, drafts, changes), the builder, results, exports, publishing, access."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from conftest import client_for
from coopsip.accounts.models import User
from coopsip.surveys import services
from coopsip.surveys.models import QuestionKind, Response, Survey

from .conftest import make_survey, person, question

ROLES = ["visitor", "outsider", "nonmember", "member", "staff", "board"]


def _answer_url(survey: Survey) -> str:
    return reverse("surveys:answer", kwargs={"pk": survey.pk})


def _with_answers(survey: Survey, count: int, *, start: int = 0, office_slug: str = "gent") -> None:
    """``count`` members in ``office_slug`` answer the first questions (yes to question 2 for even numbers)."""
    questions = services.questions_of(survey)
    for n in range(start, start + count):
        user = person(f"p{n}@example.org", f"P{n}", number=f"9{n:05d}", office_slug=office_slug)
        raw: dict[int, Any] = {}
        for q in questions:
            if q.kind == QuestionKind.SINGLE:
                raw[q.pk] = str(list(q.choices.all())[n % 3].pk)
            elif q.kind == QuestionKind.YES_NO:
                raw[q.pk] = "yes" if n % 2 == 0 else "no"
            elif q.kind == QuestionKind.SCALE_5:
                raw[q.pk] = str(1 + n % 5)
            elif q.kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
                raw[q.pk] = f"text {n} {'walks' if n % 4 == 0 else 'clients'}"
        services.save_answers(survey=survey, user=user, raw=raw, submit=True)


@pytest.fixture
def small_survey(survey: Survey) -> Survey:
    question(survey, QuestionKind.SINGLE, "Your main activity", choices=["Music", "Design", "Film"])
    yes_no = question(survey, QuestionKind.YES_NO, "Do you look for collaborators?", required=True)
    question(
        survey,
        QuestionKind.SHORT_TEXT,
        "Which collaborators?",
        required=True,
        condition_question=yes_no.pk,
        condition_answer="yes",
    )
    question(survey, QuestionKind.SCALE_5, "How connected do you feel?")
    question(survey, QuestionKind.LONG_TEXT, "Anything else?")
    return survey


# --- Answering ---------------------------------------------------------------------------------


def test_a_member_answers_saves_sees_the_conditional_question_and_sends(lotte: Any, small_survey: Survey) -> None:
    client = client_for(lotte)
    page = client.get(_answer_url(small_survey)).content.decode()
    assert "Do you look for collaborators?" in page
    assert "Which collaborators?" not in page
    assert "1 more question depends on your answers" in page
    assert "This survey is anonymous" in page  # what happens to the data
    yes_no, short = small_survey.questions.order_by("position")[1:3]
    response = client.post(_answer_url(small_survey), {f"q{yes_no.pk}": "yes", "save": "1"})
    assert response.status_code == 303
    page = client.get(_answer_url(small_survey)).content.decode()
    assert "Which collaborators?" in page and "not sent yet" in page
    refused = client.post(_answer_url(small_survey), {f"q{yes_no.pk}": "yes", "send": "1"})
    assert refused.status_code == 400
    assert "Please answer this question." in refused.content.decode()
    sent = client.post(
        _answer_url(small_survey), {f"q{yes_no.pk}": "yes", f"q{short.pk}": "A <script>drummer", "send": "1"}
    )
    assert sent.status_code == 303
    page = client.get(_answer_url(small_survey)).content.decode()
    assert "You sent your answers on" in page and "A &lt;script&gt;drummer" in page
    assert Response.objects.filter(survey=small_survey).count() == 1


def test_refused_input_is_shown_again_as_typed(lotte: Any, small_survey: Survey) -> None:
    scale = small_survey.questions.get(kind=QuestionKind.SCALE_5)
    free = small_survey.questions.get(kind=QuestionKind.LONG_TEXT)
    response = client_for(lotte).post(
        _answer_url(small_survey), {f"q{scale.pk}": "9", f"q{free.pk}": "Keep me", "save": "1"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose a number from 1 to 5." in body and "Keep me" in body


def test_the_page_speaks_the_language_of_the_address_with_the_fallback_marked(lotte: Any, small_survey: Survey) -> None:
    page = client_for(lotte).get(f"/fr/surveys/{small_survey.pk}/").content.decode()
    assert "Besoins de réseau" in page  # the French title
    # Questions typed in Dutch and English only: shown in Dutch, marked.
    assert '<span lang="nl">Your main activity</span> <span class="fallback-note">(NL)</span>' in page
    assert "Music (fr)" in page


def test_outside_the_audience_the_page_says_who_it_is_for(bram: Any, liege: Any) -> None:
    survey = make_survey(audience="office", audience_office=liege)
    response = client_for(bram).get(_answer_url(survey))
    assert response.status_code == 403
    assert "This survey is for the members of the office Liège." in response.content.decode()


def test_after_the_close_answers_are_shown_and_cannot_be_changed(lotte: Any, small_survey: Survey) -> None:
    yes_no = small_survey.questions.get(kind=QuestionKind.YES_NO)
    services.save_answers(survey=small_survey, user=lotte, raw={yes_no.pk: "no"}, submit=True)
    Survey.objects.filter(pk=small_survey.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    client = client_for(lotte)
    page = client.get(_answer_url(small_survey)).content.decode()
    assert "answers can no longer be changed" in page and "Send my" not in page and "Open until" not in page
    response = client.post(_answer_url(small_survey), {f"q{yes_no.pk}": "yes", "send": "1"})
    assert response.status_code == 200
    assert Response.objects.get().answers.get(question=yes_no).value == "no"


def test_a_survey_closed_during_its_pilot_says_so_and_not_that_it_opens_later(bram: Any, liege: Any) -> None:
    survey = make_survey(pilot_office=liege)
    question(survey, QuestionKind.YES_NO, "Coming?")
    Survey.objects.filter(pk=survey.pk).update(closes_at=timezone.now() - timedelta(hours=1))
    response = client_for(bram).get(_answer_url(survey))
    body = response.content.decode()
    assert response.status_code == 403
    assert "while it was being tried out in Liège: it did not open to others." in body
    assert "This survey closed on" in body and "opens to others later" not in body


def test_after_the_pilot_the_page_neither_refuses_nor_speaks_of_a_pilot(bram: Any, liege: Any) -> None:
    survey = make_survey(pilot_office=liege)
    question(survey, QuestionKind.YES_NO, "Coming?")
    services.open_to_all(actor=None, survey=survey)
    body = client_for(bram).get(_answer_url(survey)).content.decode()
    assert "Send my answers" in body and "Open until" in body
    assert "tried out" not in body and "first round" not in body


def test_a_link_survey_is_reached_by_its_link_only(bram: Any) -> None:
    survey = make_survey(audience="link")
    question(survey, QuestionKind.YES_NO, "Coming?")
    client = client_for(bram)
    assert client.get(_answer_url(survey)).status_code == 404
    assert client.get(reverse("surveys:answer_by_link", kwargs={"token": "nope"})).status_code == 404
    assert client.get(reverse("surveys:answer_by_link", kwargs={"token": survey.link_token})).status_code == 200


def test_the_personal_home_and_the_list_show_the_survey_until_it_is_sent(lotte: Any, small_survey: Survey) -> None:
    client = client_for(lotte)
    assert "Survey: Networking needs" in client.get(reverse("home:me")).content.decode()
    assert "Networking needs" in client.get(reverse("surveys:index")).content.decode()
    yes_no = small_survey.questions.get(kind=QuestionKind.YES_NO)
    services.save_answers(survey=small_survey, user=lotte, raw={yes_no.pk: "no"}, submit=True)
    assert "Survey: Networking needs" not in client.get(reverse("home:me")).content.decode()


# --- Building ----------------------------------------------------------------------------------


def test_staff_build_a_survey_on_the_builder_page(staff: Any, liege: Any) -> None:
    client = client_for(staff)
    now = timezone.localtime()
    response = client.post(
        reverse("surveys_staff:create"),
        {
            "title_nl": "Behoeften",
            "title_en": "Needs",
            "audience": "members",
            "opens_at": (now - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M"),
            "anonymous": "on",
            "pilot_office": liege.pk,
        },
    )
    assert response.status_code == 303, response.content.decode()[:3000]
    survey = Survey.objects.get()
    assert survey.in_pilot and survey.anonymous
    builder = reverse("surveys_staff:builder", kwargs={"pk": survey.pk})
    assert (
        client.post(
            builder, {"kind": "yes_no", "text_nl": "Zoek je iemand?", "text_en": "Looking for someone?"}
        ).status_code
        == 303
    )
    first = survey.questions.get()
    response = client.post(
        builder,
        {
            "kind": "single",
            "text_nl": "Wie?",
            "choices_nl": "Muzikant\nTechnicus",
            "choices_fr": "Musicien\nTechnicien",
            "condition_question": first.pk,
            "condition_answer": "ja",
        },
    )
    assert response.status_code == 303
    second = survey.questions.get(position=2)
    assert second.condition_value == "yes"
    assert list(second.choices.values_list("label_fr", flat=True)) == ["Musicien", "Technicien"]
    # A loop through the edit page: the first question made to depend on the second (not offered, so refused).
    edit = reverse("surveys_staff:question_edit", kwargs={"pk": survey.pk, "question_pk": first.pk})
    response = client.post(
        edit, {"kind": "yes_no", "text_nl": "Zoek je iemand?", "condition_question": second.pk, "condition_answer": "1"}
    )
    assert response.status_code == 400
    assert "a condition can only look at an earlier question" in response.content.decode()
    first.refresh_from_db()
    assert first.condition_question_id is None


def _condition_menu(page: str) -> list[tuple[int, str]]:
    """The condition menu's questions: (id, label) in the order offered."""
    menu = page.split('name="condition_question"', 1)[1].split("</select>", 1)[0]
    return [(int(pk), label) for pk, label in re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', menu)]


def test_the_condition_menu_numbers_questions_as_the_builder_lists_them_and_offers_only_earlier_ones(
    staff: Any, survey: Survey
) -> None:
    coming = question(survey, QuestionKind.YES_NO, "Coming?")
    why = question(survey, QuestionKind.LONG_TEXT, "Why?")
    day = question(survey, QuestionKind.SINGLE, "Which day?", choices=["Monday", "Friday"])
    sure = question(survey, QuestionKind.SCALE_5, "How sure?")
    # "How sure?" moved up to second place: the ids no longer follow the order people see.
    services.move_question(actor=None, question=sure, up=True)
    services.move_question(actor=None, question=sure, up=True)
    client = client_for(staff)
    builder = client.get(reverse("surveys_staff:builder", kwargs={"pk": survey.pk})).content.decode()
    for label in ("Question 1: Coming?", "Question 2: How sure?", "Question 3: Why?", "Question 4: Which day?"):
        assert f"<strong>{label}</strong>" in builder
    # A new question comes last: every earlier question whose answer can be tested, with the same label.
    assert _condition_menu(builder) == [
        (coming.pk, "Question 1: Coming?"),
        (sure.pk, "Question 2: How sure?"),
        (day.pk, "Question 4: Which day?"),
    ]
    # Changing question 3 offers questions 1 and 2 only, numbered as listed.
    edit = client.get(reverse("surveys_staff:question_edit", kwargs={"pk": survey.pk, "question_pk": why.pk}))
    assert _condition_menu(edit.content.decode()) == [
        (coming.pk, "Question 1: Coming?"),
        (sure.pk, "Question 2: How sure?"),
    ]
    assert "Question 3: Why?" in edit.content.decode()
    # The first question has nothing before it to depend on.
    first = client.get(reverse("surveys_staff:question_edit", kwargs={"pk": survey.pk, "question_pk": coming.pk}))
    assert _condition_menu(first.content.decode()) == []
    # Choosing "Question 2: How sure?" saves the condition on that question.
    response = client.post(
        reverse("surveys_staff:question_edit", kwargs={"pk": survey.pk, "question_pk": why.pk}),
        {"kind": "long_text", "text_nl": "Why?", "condition_question": sure.pk, "condition_answer": "5"},
    )
    assert response.status_code == 303
    builder = client.get(reverse("surveys_staff:builder", kwargs={"pk": survey.pk})).content.decode()
    assert "Shown only after a given answer to question 2" in builder


def test_deleting_a_question_asks_for_confirmation(staff: Any, small_survey: Survey) -> None:
    free = small_survey.questions.get(kind=QuestionKind.LONG_TEXT)
    url = reverse("surveys_staff:question_delete", kwargs={"pk": small_survey.pk, "question_pk": free.pk})
    client = client_for(staff)
    assert "Delete “Anything else?” and its 0 answers?" in client.get(url).content.decode()
    assert small_survey.questions.filter(pk=free.pk).exists()
    assert client.post(url).status_code == 303
    assert not small_survey.questions.filter(pk=free.pk).exists()


def test_a_question_of_another_survey_is_404(staff: Any, small_survey: Survey) -> None:
    other = make_survey()
    url = reverse(
        "surveys_staff:question_edit", kwargs={"pk": other.pk, "question_pk": small_survey.questions.first().pk}
    )
    assert client_for(staff).get(url).status_code == 404


# --- Results -----------------------------------------------------------------------------------


def _results_queries(client: Any, survey: Survey) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("surveys_staff:results", kwargs={"pk": survey.pk}))
    assert response.status_code == 200
    return len(queries)


def test_the_results_page_runs_the_same_queries_for_6_and_30_answers(staff: Any, small_survey: Survey) -> None:
    client = client_for(staff)
    _with_answers(small_survey, 6)
    few = _results_queries(client, small_survey)
    _with_answers(small_survey, 24, start=6)
    assert _results_queries(client, small_survey) == few


def test_counted_results_come_from_the_cache_until_an_answer_changes(staff: Any, small_survey: Survey) -> None:
    client = client_for(staff)
    _with_answers(small_survey, 6)
    url = reverse("surveys_staff:results", kwargs={"pk": small_survey.pk})
    first = _results_queries(client, small_survey)
    again = _results_queries(client, small_survey)
    assert again == first - 2  # the two grouped counts are read from the cache
    assert '<th scope="row">yes</th><td>3</td><td>50%</td>' in client.get(url).content.decode()
    # Person 1 said no; changing to yes gives a new version of the answers: counted again, never stale.
    yes_no = small_survey.questions.get(kind=QuestionKind.YES_NO)
    user = User.objects.get(email="p1@example.org")
    short = small_survey.questions.get(kind=QuestionKind.SHORT_TEXT)
    services.save_answers(survey=small_survey, user=user, raw={yes_no.pk: "yes", short.pk: "a drummer"}, submit=True)
    assert '<th scope="row">yes</th><td>4</td><td>67%</td>' in client.get(url).content.decode()


def test_scale_averages_and_medians_are_computed_from_the_counts(staff: Any, small_survey: Survey) -> None:
    _with_answers(small_survey, 6)  # scores 1 2 3 4 5 1: average 2.7, median 2.5
    page = client_for(staff).get(reverse("surveys_staff:results", kwargs={"pk": small_survey.pk})).content.decode()
    assert "Average 2.7, median 2.5." in page


def test_results_show_a_chart_and_its_numbers_per_question(staff: Any, small_survey: Survey) -> None:
    _with_answers(small_survey, 12)
    page = client_for(staff).get(reverse("surveys_staff:results", kwargs={"pk": small_survey.pk})).content.decode()
    assert page.count('<figure class="chart"') == 3  # one choice, yes/no, scale; texts are listed, not drawn
    assert '<th scope="row">yes</th><td>6</td><td>50%</td>' in page
    assert "12 written answers." in page


def test_free_texts_are_listed_with_a_filter(staff: Any, small_survey: Survey) -> None:
    _with_answers(small_survey, 8)
    free = small_survey.questions.get(kind=QuestionKind.LONG_TEXT)
    url = reverse("surveys_staff:results", kwargs={"pk": small_survey.pk})
    page = client_for(staff).get(url, {"texts": free.pk, "contains": "walks"}).content.decode()
    assert (
        "2 answers" in page
        and "text 0 walks" in page
        and "clients" not in page.split('id="texts"')[1].split("</section>")[0]
    )


def test_a_cross_tab_by_office_leaves_out_groups_under_five(staff: Any, small_survey: Survey) -> None:
    _with_answers(small_survey, 6, office_slug="gent")
    _with_answers(small_survey, 3, start=6, office_slug="mons")
    single = small_survey.questions.get(kind=QuestionKind.SINGLE)
    page = (
        client_for(staff)
        .get(reverse("surveys_staff:results", kwargs={"pk": small_survey.pk}), {"cross": single.pk, "by": "office"})
        .content.decode()
    )
    cross = page.split('id="cross"')[1].split("</section>")[0]
    assert "Gent" in cross and "Left out, fewer than 5 answers:" in cross and "Mons" in cross
    assert '<th scope="col">Mons</th>' not in cross
    # Two more answers in Mons make five: the cached cross-tab is counted again and shows the column.
    _with_answers(small_survey, 2, start=9, office_slug="mons")
    page = (
        client_for(staff)
        .get(reverse("surveys_staff:results", kwargs={"pk": small_survey.pk}), {"cross": single.pk, "by": "office"})
        .content.decode()
    )
    assert '<th scope="col">Mons</th>' in page.split('id="cross"')[1].split("</section>")[0]


def test_exports_in_csv_and_xlsx_hold_one_row_per_response(staff: Any, small_survey: Survey) -> None:
    _with_answers(small_survey, 5)
    client = client_for(staff)
    csv_body = client.get(reverse("surveys_staff:export", kwargs={"pk": small_survey.pk, "fmt": "csv"})).content.decode(
        "utf-8-sig"
    )
    lines = csv_body.strip().splitlines()
    assert len(lines) == 6 and "1. Your main activity" in lines[0]
    response = client.get(reverse("surveys_staff:export", kwargs={"pk": small_survey.pk, "fmt": "xlsx"}))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 6
    activity = rows[0].index("1. Your main activity")
    assert sorted(row[activity] for row in rows[1:]) == ["Design", "Design", "Film", "Music", "Music"]
    assert client.get(reverse("surveys_staff:export", kwargs={"pk": small_survey.pk, "fmt": "pdf"})).status_code == 404


def test_exported_formulas_are_defused(staff: Any, survey: Survey, lotte: Any) -> None:
    text = question(survey, QuestionKind.SHORT_TEXT, "Name a tool")
    services.save_answers(survey=survey, user=lotte, raw={text.pk: '=HYPERLINK("http://x")'}, submit=True)
    body = (
        client_for(staff).get(reverse("surveys_staff:export", kwargs={"pk": survey.pk, "fmt": "csv"})).content.decode()
    )
    assert "'=HYPERLINK" in body


def test_published_results_show_totals_only_and_nothing_under_five(
    staff: Any, lotte: Any, small_survey: Survey
) -> None:
    yes_no = small_survey.questions.get(kind=QuestionKind.YES_NO)
    studio = question(
        small_survey,
        QuestionKind.SINGLE,
        "Which studio?",
        choices=["A", "B", "C"],
        condition_question=yes_no.pk,
        condition_answer="yes",
    )
    _with_answers(small_survey, 6)  # 3 of the 6 say yes: 3 answers to "Which studio?"
    client = client_for(staff)
    results_url = reverse("surveys:results", kwargs={"pk": small_survey.pk})
    assert client_for(lotte).get(results_url).status_code == 403
    confirm = client.get(reverse("surveys_staff:publish", kwargs={"pk": small_survey.pk}))
    assert "Publish the results" in confirm.content.decode()
    publish = client.post(reverse("surveys_staff:publish", kwargs={"pk": small_survey.pk}), {"publish": "1"})
    assert publish.status_code == 303
    page = client_for(lotte).get(results_url).content.decode()
    assert "6 people answered." in page
    assert page.count('<figure class="chart"') == 3  # activity, yes/no, scale
    studio_part = page.split(studio.text)[1].split("</section>")[0]
    assert "Fewer than 5 people answered this question: its results are not shown." in studio_part
    assert "Written answers are not published." in page
    assert "text 0" not in page
    assert "Networking needs" in client_for(lotte).get(reverse("surveys:index")).content.decode()
    # The staff page shows the small group.
    staff_page = client.get(reverse("surveys_staff:results", kwargs={"pk": small_survey.pk})).content.decode()
    assert staff_page.count('<figure class="chart"') == 4


def test_members_reach_surveys_from_the_header_and_published_results_from_the_personal_home(
    staff: Any, lotte: Any, small_survey: Survey
) -> None:
    client = client_for(lotte)
    page = client.get("/en/me/").content.decode()
    assert reverse("surveys:index") in page and "Results: Networking needs" not in page
    _with_answers(small_survey, 5)
    services.publish_results(actor=staff, survey=small_survey)
    page = client.get("/en/me/").content.decode()
    assert "Results: Networking needs" in page
    assert reverse("surveys:results", kwargs={"pk": small_survey.pk}) in page


def test_pilot_answers_are_counted_apart(staff: Any, liege: Any) -> None:
    survey = make_survey(pilot_office=liege)
    question(survey, QuestionKind.YES_NO, "Yes?")
    _with_answers(survey, 5, office_slug="liege")
    survey = services.open_to_all(actor=staff, survey=survey)
    _with_answers(survey, 7, start=5)
    client = client_for(staff)
    url = reverse("surveys_staff:results", kwargs={"pk": survey.pk})
    assert "5 people sent answers." in client.get(url, {"cohort": "pilot"}).content.decode()
    assert "7 people sent answers." in client.get(url).content.decode()
    assert "12 people sent answers." in client.get(url, {"cohort": "all"}).content.decode()


def test_ending_the_pilot_asks_for_confirmation(staff: Any, liege: Any) -> None:
    survey = make_survey(pilot_office=liege)
    url = reverse("surveys_staff:open_to_all", kwargs={"pk": survey.pk})
    client = client_for(staff)
    assert "Open the survey to everyone" in client.get(url).content.decode()
    survey.refresh_from_db()
    assert survey.in_pilot
    assert client.post(url).status_code == 303
    survey.refresh_from_db()
    assert not survey.in_pilot


# --- Access ------------------------------------------------------------------------------------


def _staff_pages(survey: Survey) -> dict[str, str]:
    q = survey.questions.first()
    return {
        "builder": reverse("surveys_staff:builder", kwargs={"pk": survey.pk}),
        "edit": reverse("surveys_staff:edit", kwargs={"pk": survey.pk}),
        "question_edit": reverse("surveys_staff:question_edit", kwargs={"pk": survey.pk, "question_pk": q.pk}),
        "question_delete": reverse("surveys_staff:question_delete", kwargs={"pk": survey.pk, "question_pk": q.pk}),
        "publish": reverse("surveys_staff:publish", kwargs={"pk": survey.pk}),
        "open_to_all": reverse("surveys_staff:open_to_all", kwargs={"pk": survey.pk}),
    }


def test_the_builder_pages_are_for_the_team(personas: dict[str, Any], small_survey: Survey, liege: Any) -> None:
    small_survey.pilot_office = liege
    small_survey.in_pilot = True
    small_survey.save()
    for role in ROLES:
        client = client_for(personas[role])
        for name, url in _staff_pages(small_survey).items():
            expected = {"staff": 200, "visitor": 302}.get(role, 403)
            assert client.get(url).status_code == expected, (role, name)
        move = reverse(
            "surveys_staff:question_move",
            kwargs={"pk": small_survey.pk, "question_pk": small_survey.questions.first().pk},
        )
        assert client.post(move, {"direction": "down"}).status_code == {"staff": 303, "visitor": 302}.get(role, 403), (
            role
        )


def test_results_and_exports_are_for_the_team_and_the_board(personas: dict[str, Any], small_survey: Survey) -> None:
    pages = [
        reverse("surveys_staff:results", kwargs={"pk": small_survey.pk}),
        reverse("surveys_staff:export", kwargs={"pk": small_survey.pk, "fmt": "csv"}),
    ]
    for role in ROLES:
        for url in pages:
            expected = {"staff": 200, "board": 200, "visitor": 302}.get(role, 403)
            assert client_for(personas[role]).get(url).status_code == expected, (role, url)


def test_answer_and_published_results_pages_per_role(personas: dict[str, Any], small_survey: Survey) -> None:
    services.publish_results(actor=None, survey=small_survey)
    answer = {"member": 200, "visitor": 302}
    results = {"member": 200, "staff": 200, "board": 200, "visitor": 302}
    for role in ROLES:
        client = client_for(personas[role])
        assert client.get(_answer_url(small_survey)).status_code == answer.get(role, 403), role
        assert client.get(reverse("surveys:results", kwargs={"pk": small_survey.pk})).status_code == results.get(
            role, 403
        ), role
    assert client_for(personas["member"]).get(reverse("surveys:answer", kwargs={"pk": 99999})).status_code == 404


def test_a_survey_post_needs_a_login(small_survey: Survey) -> None:
    response = client_for(None).post(_answer_url(small_survey), {"send": "1"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
