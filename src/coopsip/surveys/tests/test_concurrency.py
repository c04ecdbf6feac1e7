"""Two tabs sending the same person's answers at the same moment: one response, never two.

Real threads with their own connections and real commits; on PostgreSQL the
unique key and the row lock decide, on SQLite the writers take turns on a file
copy of the test database (as in the registrations' race tests).
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection
from django.utils import translation

from coopsip.registrations.tests.test_concurrency import threads_on_a_file_database
from coopsip.surveys import services
from coopsip.surveys.models import Answer, QuestionKind, Response

from .conftest import make_survey, person, question

TABS = 8


@pytest.mark.django_db(transaction=True)
def test_tabs_sending_at_once_make_one_response_with_one_set_of_answers(tmp_path: Path) -> None:
    lotte = person("lotte.race@example.org", "Lotte", number="700001", office_slug="liege")
    survey = make_survey()
    scale = question(survey, QuestionKind.SCALE_10, "How much?")
    words = question(survey, QuestionKind.SHORT_TEXT, "Why?")
    failures: list[BaseException] = []
    barrier = threading.Barrier(TABS)

    def tab(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            with translation.override("en"):
                services.save_answers(
                    survey=survey, user=lotte, raw={scale.pk: str(n), words.pk: f"tab {n}"}, submit=n % 2 == 0
                )
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    with threads_on_a_file_database(tmp_path), ThreadPoolExecutor(max_workers=TABS) as pool:
        list(pool.map(tab, range(TABS)))
    assert failures == []
    assert Response.objects.filter(survey=survey).count() == 1
    response = Response.objects.get(survey=survey)
    answers = {a.question_id: a for a in Answer.objects.filter(response=response)}
    # One tab's answers, whole: the scale and the text come from the same tab.
    assert len(answers) == 2
    assert answers[words.pk].text == f"tab {answers[scale.pk].value}"
    assert response.submitted_at is not None  # at least one tab sent
