"""Results as people read them: the published page's small-group rule (page and charts), and the team's downloads
(typed cells in Excel; an anonymous survey's download that cannot tell who answered)."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for
from coopsip.surveys import services
from coopsip.surveys.models import Question, QuestionKind, Survey

from .conftest import choice_id, make_survey, person, question


def _answer(
    survey: Survey, answers: list[dict[int, Any]], *, offices: list[str] = (), languages: list[str] = ()
) -> None:  # type: ignore[assignment]
    """One new member per item of ``answers`` sends it, in this order (office and language per person if given)."""
    for n, raw in enumerate(answers):
        user = person(
            f"r{survey.pk}-{n}@example.org",
            f"R{n}",
            number=f"8{survey.pk:02d}{n:03d}",
            office_slug=offices[n] if offices else "gent",
            language=languages[n] if languages else "en",
        )
        services.save_answers(survey=survey, user=user, raw=raw, submit=True)


def _section(page: str, text: str) -> str:
    """The part of a results page about the question ``text``."""
    return page.split(text, 1)[1].split("</section>", 1)[0]


def _svg(section: str) -> str:
    return section.split("<svg", 1)[1].split("</svg>", 1)[0]


# --- The published page ------------------------------------------------------------------------


@pytest.fixture
def published(staff: Any, survey: Survey) -> tuple[Survey, dict[str, Question]]:
    """12 answers: Music 6, Design 2, Film 4; yes 9, no 3; scale 4 ×5 and 5 ×7 (1 to 3 nobody); a matrix."""
    q = {
        "single": question(survey, QuestionKind.SINGLE, "Your main activity", choices=["Music", "Design", "Film"]),
        "yes_no": question(survey, QuestionKind.YES_NO, "Do you look for collaborators?"),
        "scale5": question(survey, QuestionKind.SCALE_5, "How connected do you feel?"),
        "matrix": question(
            survey, QuestionKind.MATRIX, "How often do you…", choices=["never", "often"], rows=["share", "hire"]
        ),
    }
    activities = ["Music"] * 6 + ["Design"] * 2 + ["Film"] * 4
    share, hire = (q["matrix"].choices.get(label_nl=row).pk for row in ("share", "hire"))
    never, often = (choice_id(q["matrix"], label) for label in ("never", "often"))
    answers = [
        {
            q["single"].pk: str(choice_id(q["single"], activity)),
            q["yes_no"].pk: "yes" if n < 9 else "no",
            q["scale5"].pk: "4" if n < 5 else "5",
            # share: never 6, often 6 (shown); hire: never 10, often 2 (small).
            q["matrix"].pk: {str(share): str(never if n < 6 else often), str(hire): str(never if n < 10 else often)},
        }
        for n, activity in enumerate(activities)
    ]
    _answer(survey, answers)
    services.publish_results(actor=staff, survey=survey)
    return survey, q


def test_a_choice_picked_by_fewer_than_five_reads_fewer_than_5_without_a_percentage_or_a_bar(
    lotte: Any, published: tuple[Survey, dict[str, Question]]
) -> None:
    survey, _q = published
    page = client_for(lotte).get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    activity = _section(page, "Your main activity")
    assert '<th scope="row">Music</th><td>6</td><td>50%</td>' in activity
    assert '<th scope="row">Design</th><td>fewer than 5</td><td></td>' in activity
    assert '<th scope="row">Film</th><td>fewer than 5</td><td></td>' in activity
    drawing = _svg(activity)
    assert "Music" in drawing and "Design" not in drawing and "Film" not in drawing
    assert "17%" not in activity and "33%" not in activity  # 2 and 4 of 12, nowhere
    assert "the table marks them" in activity


def test_a_count_that_the_total_would_give_back_is_hidden_too(
    lotte: Any, published: tuple[Survey, dict[str, Question]]
) -> None:
    survey, _q = published
    page = client_for(lotte).get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    yes_no = _section(page, "Do you look for collaborators?")
    # 12 answered: showing "yes 9" would give "no 3" back by subtraction.
    assert '<th scope="row">no</th><td>fewer than 5</td><td></td>' in yes_no
    assert '<th scope="row">yes</th><td>hidden</td><td></td>' in yes_no
    assert "75%" not in yes_no and ">9<" not in yes_no and ">3<" not in yes_no


def test_a_scale_and_a_matrix_hide_their_small_cells_and_the_average_that_would_solve_them(
    lotte: Any, published: tuple[Survey, dict[str, Question]]
) -> None:
    survey, _q = published
    page = client_for(lotte).get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    scale = _section(page, "How connected do you feel?")
    assert '<th scope="row">4</th><td>5</td>' in scale and '<th scope="row">5</th><td>7</td>' in scale
    assert '<th scope="row">1</th><td>0</td>' in scale  # nobody: shown, it points at nobody
    matrix = _section(page, "How often do you…")
    assert '<th scope="row">share</th><td>6</td><td>6</td>' in matrix
    assert '<th scope="row">hire</th><td>hidden</td><td>fewer than 5</td>' in matrix
    drawing = _svg(matrix)
    assert "share" in drawing and "hire" not in drawing and ">10<" not in drawing and ">2<" not in drawing


def test_the_average_of_a_scale_with_a_hidden_count_is_not_published(lotte: Any, staff: Any, survey: Survey) -> None:
    scale = question(survey, QuestionKind.SCALE_5, "How connected do you feel?")
    _answer(survey, [{scale.pk: "4" if n < 6 else "1"} for n in range(8)])  # 4 ×6, 1 ×2
    services.publish_results(actor=staff, survey=survey)
    page = client_for(lotte).get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    part = _section(page, "How connected do you feel?")
    assert "Average" not in part and '<th scope="row">1</th><td>fewer than 5</td>' in part
    staff_page = client_for(staff).get(reverse("surveys_staff:results", kwargs={"pk": survey.pk})).content.decode()
    assert "Average 3.2, median 4." in staff_page


def test_the_team_s_own_results_page_keeps_the_exact_numbers(
    staff: Any, published: tuple[Survey, dict[str, Question]]
) -> None:
    survey, _q = published
    page = client_for(staff).get(reverse("surveys_staff:results", kwargs={"pk": survey.pk})).content.decode()
    assert '<th scope="row">Design</th><td>2</td><td>17%</td>' in page
    assert '<th scope="row">no</th><td>3</td><td>25%</td>' in page
    assert '<th scope="row">hire</th><td>10</td><td>2</td>' in page
    assert "fewer than 5" not in page.split("Per question", 1)[1]


def test_fewer_than_five_answers_in_all_show_no_count_at_all(lotte: Any, staff: Any, survey: Survey) -> None:
    yes_no = question(survey, QuestionKind.YES_NO, "Coming?")
    _answer(survey, [{yes_no.pk: "yes"}] * 3)
    services.publish_results(actor=staff, survey=survey)
    page = client_for(lotte).get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    assert "Fewer than 5 people answered: no result is shown." in page
    assert "3 people answered" not in page and "chart-svg" not in page


# --- Downloads: typed cells --------------------------------------------------------------------


def _xlsx(client: Any, survey: Survey) -> Any:
    response = client.get(reverse("surveys_staff:export", kwargs={"pk": survey.pk, "fmt": "xlsx"}))
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def _csv(client: Any, survey: Survey) -> list[list[str]]:
    response = client.get(reverse("surveys_staff:export", kwargs={"pk": survey.pk, "fmt": "csv"}))
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_numbers_scales_and_dates_are_numbers_and_dates_in_the_excel_file(staff: Any, lotte: Any) -> None:
    survey = make_survey(anonymous=False)
    number = question(survey, QuestionKind.NUMBER, "Years as a freelancer")
    scale = question(survey, QuestionKind.SCALE_10, "Would you recommend it?")
    when = question(survey, QuestionKind.DATE, "When did you join?")
    yes_no = question(survey, QuestionKind.YES_NO, "Coming?")
    services.save_answers(
        survey=survey,
        user=lotte,
        raw={number.pk: "12,5", scale.pk: "0", when.pk: "2019-06-20", yes_no.pk: "yes"},
        submit=True,
    )
    sheet = _xlsx(client_for(staff), survey)
    header, row = (list(cells) for cells in sheet.iter_rows(min_row=1, max_row=2))
    cells = {str(h.value): c for h, c in zip(header, row, strict=True)}
    assert (cells["response"].value, cells["response"].data_type) == (1, "n")
    assert (cells["1. Years as a freelancer"].value, cells["1. Years as a freelancer"].data_type) == (12.5, "n")
    assert (cells["2. Would you recommend it?"].value, cells["2. Would you recommend it?"].data_type) == (0, "n")
    assert cells["3. When did you join?"].data_type == "d"
    assert cells["3. When did you join?"].value == datetime(2019, 6, 20)
    assert cells["4. Coming?"].value == "yes"
    # The CSV reads the same.
    assert _csv(client_for(staff), survey)[1][-4:] == ["12.5", "0", "2019-06-20", "yes"]


# --- Downloads: an anonymous survey --------------------------------------------------------------


def test_an_anonymous_download_cannot_tell_when_or_in_which_small_group_people_answered(
    staff: Any, survey: Survey
) -> None:
    years = question(survey, QuestionKind.NUMBER, "Years as a freelancer")
    # Answered in this order: 0, 1, 2… years. Ghent 8, Mons 5, Liège 2 (a small group).
    offices = ["gent"] * 8 + ["mons"] * 5 + ["liege"] * 2
    _answer(survey, [{years.pk: str(n)} for n in range(15)], offices=offices)
    client = client_for(staff)
    rows = list(_xlsx(client, survey).iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    assert "response" not in header and "name" not in header
    assert not any(isinstance(cell, datetime) for row in body for cell in row)  # no date or time of answering
    order = [row[header.index("1. Years as a freelancer")] for row in body]
    assert sorted(order) == list(range(15)) and order != list(range(15))  # not the order of answering
    # Liège's 2 would single them out; "other" with 2 is as small, so Mons joins it: 7.
    assert Counter(row[header.index("office")] for row in body) == {"Ghent": 8, "other": 7}
    # The same order in both files, so a row can be found again.
    assert [int(row[header.index("1. Years as a freelancer")]) for row in _csv(client, survey)[1:]] == order


def test_a_column_that_would_single_out_fewer_than_five_with_the_others_is_left_out(staff: Any, survey: Survey) -> None:
    yes_no = question(survey, QuestionKind.YES_NO, "Coming?")
    # Ghent 5, Mons 5; English 5, French 5 — but Ghent in French is 2 people.
    offices = ["gent"] * 5 + ["mons"] * 5
    languages = ["en", "en", "en", "fr", "fr", "en", "en", "fr", "fr", "fr"]
    _answer(survey, [{yes_no.pk: "yes"}] * 10, offices=offices, languages=languages)
    header = list(next(_xlsx(client_for(staff), survey).iter_rows(values_only=True)))
    assert "office" in header and "country" in header and "language" not in header


def test_a_named_survey_s_download_keeps_its_number_order_offices_and_names(staff: Any) -> None:
    survey = make_survey(anonymous=False)
    yes_no = question(survey, QuestionKind.YES_NO, "Coming?")
    _answer(survey, [{yes_no.pk: "yes"}] * 3, offices=["gent", "mons", "mons"])
    rows = _csv(client_for(staff), survey)
    assert rows[0][:6] == ["response", "pilot", "office", "country", "language", "name"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert [row[2] for row in rows[1:]] == ["Ghent", "Mons", "Mons"] and rows[1][5] == "R0 Test"


def test_the_results_page_says_what_an_anonymous_download_leaves_out(staff: Any, survey: Survey) -> None:
    client = client_for(staff)
    page = client.get(reverse("surveys_staff:results", kwargs={"pk": survey.pk})).content.decode()
    assert re.search(r'id="export-note">The survey is anonymous, so its downloads cannot tell who answered', page)
    named = make_survey(anonymous=False)
    assert (
        'id="export-note"' not in client.get(reverse("surveys_staff:results", kwargs={"pk": named.pk})).content.decode()
    )


def test_a_question_whose_every_count_is_hidden_shows_its_table_and_no_drawing(
    lotte: Any, staff: Any, survey: Survey
) -> None:
    yes_no = question(survey, QuestionKind.YES_NO, "Coming?")
    _answer(survey, [{yes_no.pk: "yes" if n < 4 else "no"} for n in range(6)])  # yes 4, no 2
    services.publish_results(actor=staff, survey=survey)
    page = client_for(lotte).get(reverse("surveys:results", kwargs={"pk": survey.pk})).content.decode()
    part = _section(page, "Coming?")
    assert '<th scope="row">yes</th><td>fewer than 5</td><td></td>' in part
    assert '<th scope="row">no</th><td>fewer than 5</td><td></td>' in part
    assert "chart-svg" not in part and "67%" not in part


def test_an_anonymous_survey_s_written_answers_are_not_listed_in_the_order_of_answering(
    staff: Any, survey: Survey
) -> None:
    words = question(survey, QuestionKind.SHORT_TEXT, "Why?")
    _answer(survey, [{words.pk: f"reason {n:02d}"} for n in range(12)])
    page = client_for(staff).get(reverse("surveys_staff:results", kwargs={"pk": survey.pk}), {"texts": words.pk})
    listed = re.findall(r"reason (\d\d)", page.content.decode().split('id="texts"', 1)[1])
    assert sorted(listed) == [f"{n:02d}" for n in range(12)] and listed != sorted(listed)
