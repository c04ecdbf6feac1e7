"""Building a survey and answering it: conditions, audience, pilot, dates, one response per person."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from django.utils.formats import date_format

from coopsip.events import services as events_services
from coopsip.surveys import services
from coopsip.surveys.models import Answer, Question, QuestionKind, Response, Survey
from coopsip.surveys.selectors import answer_refusal
from coopsip.surveys.services import QuestionInput, SurveyInvalid, SurveyRefused

from .conftest import choice_id, make_survey, person, question


def _raw(q: dict[str, Question], **overrides: Any) -> dict[int, Any]:
    raw = {
        q["single"].pk: str(choice_id(q["single"], "Design")),
        q["yes_no"].pk: "yes",
        q["short"].pk: "A sound engineer",
        q["multiple"].pk: [str(choice_id(q["multiple"], "Clients")), str(choice_id(q["multiple"], "Tools"))],
        q["ranking"].pk: {
            str(choice_id(q["ranking"], "Walk")): "1",
            str(choice_id(q["ranking"], "Afterwork")): "2",
            str(choice_id(q["ranking"], "Breakfast")): "",
        },
        q["scale5"].pk: "4",
        q["scale10"].pk: "0",
        q["matrix"].pk: {
            str(q["matrix"].choices.get(label_nl="share").pk): str(choice_id(q["matrix"], "often")),
        },
        q["long"].pk: "More <b>walks</b> please",
        q["number"].pk: "12,5",
        q["date"].pk: "2019-06-20",
    }
    raw.update({q[name].pk: value for name, value in overrides.items()})
    return raw


# --- Building ----------------------------------------------------------------------------------


def test_a_condition_on_a_later_question_is_refused_with_the_question_named(survey: Survey) -> None:
    first = question(survey, QuestionKind.SHORT_TEXT, "Which collaborators?")
    later = question(survey, QuestionKind.YES_NO, "Do you look for collaborators?")
    with pytest.raises(SurveyInvalid) as refused:
        services.update_question(
            actor=None,
            question=first,
            data=QuestionInput(
                kind=QuestionKind.SHORT_TEXT,
                texts={"nl": "Which collaborators?"},
                condition_question=later.pk,
                condition_answer="yes",
            ),
        )
    message = refused.value.errors[f"q{first.pk}"]
    assert "Question 1 “Which collaborators?” depends on question 2" in message
    first.refresh_from_db()
    assert first.condition_question_id is None  # nothing saved


def test_moving_a_question_above_the_one_it_depends_on_is_refused(
    full_survey: tuple[Survey, dict[str, Question]],
) -> None:
    _survey, q = full_survey
    with pytest.raises(SurveyInvalid) as refused:
        services.move_question(actor=None, question=q["short"], up=True)
    assert "Question 2 “Which collaborators?” depends on question 3" in next(iter(refused.value.errors.values()))
    q["short"].refresh_from_db()
    assert q["short"].position == 3


def test_a_question_others_depend_on_cannot_be_deleted(full_survey: tuple[Survey, dict[str, Question]]) -> None:
    _survey, q = full_survey
    with pytest.raises(SurveyInvalid, match="Which collaborators"):
        services.delete_question(actor=None, question=q["yes_no"])


def test_a_condition_answer_must_be_one_of_the_answers(survey: Survey) -> None:
    single = question(survey, QuestionKind.SINGLE, "Activity", choices=["Music", "Design"])
    with pytest.raises(SurveyInvalid, match="“Painting” is not one of the answers"):
        question(survey, QuestionKind.LONG_TEXT, "Tell", condition_question=single.pk, condition_answer="Painting")
    # Its label in French works, as does its number.
    by_label = question(
        survey, QuestionKind.LONG_TEXT, "Tell", condition_question=single.pk, condition_answer="design (FR)"
    )
    by_number = question(survey, QuestionKind.LONG_TEXT, "Tell", condition_question=single.pk, condition_answer="1")
    assert by_label.condition_value == str(choice_id(single, "Design"))
    assert by_number.condition_value == str(choice_id(single, "Music"))


def test_choice_questions_need_two_choices_and_a_dutch_text(survey: Survey) -> None:
    with pytest.raises(SurveyInvalid) as refused:
        services.add_question(
            actor=None, survey=survey, data=QuestionInput(kind=QuestionKind.SINGLE, texts={"fr": "Activité"})
        )
    assert set(refused.value.errors) == {"text_nl", "choices_nl"}


def test_an_audience_needs_its_detail(db: Any) -> None:
    with pytest.raises(SurveyInvalid) as refused:
        make_survey(audience="office")
    assert refused.value.errors == {"audience_office": "Choose the office or region."}


def test_a_survey_of_200_questions_and_a_50_by_20_matrix_is_built_and_answered(lotte: Any, survey: Survey) -> None:
    for n in range(199):
        question(survey, QuestionKind.SCALE_5, f"Question {n}")
    matrix = question(
        survey, QuestionKind.MATRIX, "Big", choices=[f"c{n}" for n in range(20)], rows=[f"r{n}" for n in range(50)]
    )
    rows = list(matrix.choices.filter(is_row=True))
    columns = list(matrix.choices.filter(is_row=False))
    raw = {matrix.pk: {str(row.pk): str(columns[i % 20].pk) for i, row in enumerate(rows)}}
    saved = services.save_answers(survey=survey, user=lotte, raw=raw, submit=True)
    assert len(saved.response.answers.get(question=matrix).value) == 50
    assert survey.questions.count() == 200


# --- Answering ---------------------------------------------------------------------------------


def test_every_kind_of_answer_is_stored_in_its_form(
    lotte: Any, full_survey: tuple[Survey, dict[str, Question]]
) -> None:
    survey, q = full_survey
    saved = services.save_answers(survey=survey, user=lotte, raw=_raw(q), submit=True)
    stored = {a.question_id: (a.value, a.text) for a in saved.response.answers.all()}
    assert stored[q["single"].pk] == (choice_id(q["single"], "Design"), "")
    assert stored[q["multiple"].pk][0] == sorted(
        [choice_id(q["multiple"], "Clients"), choice_id(q["multiple"], "Tools")]
    )
    assert stored[q["ranking"].pk][0] == [choice_id(q["ranking"], "Walk"), choice_id(q["ranking"], "Afterwork")]
    assert stored[q["scale10"].pk][0] == 0
    assert stored[q["number"].pk][0] == 12.5
    assert stored[q["date"].pk][0] == "2019-06-20"
    assert stored[q["long"].pk] == (None, "More <b>walks</b> please")
    assert saved.sent and saved.response.submitted_at is not None


def test_an_answer_to_a_hidden_question_is_dropped_and_not_required(
    lotte: Any, full_survey: tuple[Survey, dict[str, Question]]
) -> None:
    survey, q = full_survey
    saved = services.save_answers(survey=survey, user=lotte, raw=_raw(q, yes_no="no", short=""), submit=True)
    assert not saved.response.answers.filter(question=q["short"]).exists()
    # Answered "no" but still typed in the hidden question: dropped too.
    saved = services.save_answers(survey=survey, user=lotte, raw=_raw(q, yes_no="no"), submit=True)
    assert not saved.response.answers.filter(question=q["short"]).exists()


def test_a_required_question_shown_by_a_condition_must_be_answered_to_send(
    lotte: Any, full_survey: tuple[Survey, dict[str, Question]]
) -> None:
    survey, q = full_survey
    with pytest.raises(SurveyInvalid) as refused:
        services.save_answers(survey=survey, user=lotte, raw=_raw(q, short=""), submit=True)
    assert refused.value.errors == {f"q{q['short'].pk}": "Please answer this question."}
    assert not Response.objects.exists()


def test_saving_without_sending_keeps_a_draft_and_continues_later(
    lotte: Any, full_survey: tuple[Survey, dict[str, Question]]
) -> None:
    survey, q = full_survey
    draft = services.save_answers(
        survey=survey, user=lotte, raw={q["single"].pk: str(choice_id(q["single"], "Film"))}, submit=False
    )
    assert draft.response.submitted_at is None and not draft.sent
    assert services.response_of(survey, lotte) == draft.response
    sent = services.save_answers(survey=survey, user=lotte, raw=_raw(q), submit=True)
    assert sent.response.pk == draft.response.pk and sent.sent


def test_changing_answers_until_the_close_keeps_one_response(
    lotte: Any, full_survey: tuple[Survey, dict[str, Question]]
) -> None:
    survey, q = full_survey
    first = services.save_answers(survey=survey, user=lotte, raw=_raw(q), submit=True)
    services.save_answers(survey=survey, user=lotte, raw=_raw(q, scale5="2"), submit=True)
    assert Response.objects.filter(survey=survey).count() == 1
    assert Answer.objects.get(response=first.response, question=q["scale5"]).value == 2
    with pytest.raises(SurveyRefused, match="closed on"):
        services.save_answers(
            survey=survey, user=lotte, raw=_raw(q), submit=True, now=survey.closes_at + timedelta(seconds=1)
        )


@pytest.mark.parametrize(
    ("name", "raw_value", "message"),
    [
        ("scale5", "6", "Choose a number from 1 to 5."),
        ("number", "twelve", "Write a number, such as 12 or 3.5."),
        ("date", "20/06/2019", "Write a date as year-month-day"),
        ("single", "999999", "Choose one of the answers offered."),
        ("ranking", None, "Give each rank once."),
        ("short", "x" * 301, "At most 300 characters."),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    lotte: Any, full_survey: tuple[Survey, dict[str, Question]], name: str, raw_value: Any, message: str
) -> None:
    survey, q = full_survey
    if name == "ranking":
        raw_value = {str(c.pk): "1" for c in q["ranking"].choices.all()}
    with pytest.raises(SurveyInvalid) as refused:
        services.save_answers(survey=survey, user=lotte, raw=_raw(q, **{name: raw_value}), submit=False)
    assert message in refused.value.errors[f"q{q[name].pk}"]
    assert not Response.objects.exists()


def test_an_anonymous_response_names_nobody_and_a_named_one_names_its_author(lotte: Any, db: Any) -> None:
    anonymous = make_survey()
    named = make_survey(anonymous=False)
    for survey in (anonymous, named):
        question(survey, QuestionKind.YES_NO, "Yes?")
    a = services.save_answers(survey=anonymous, user=lotte, raw={}, submit=True).response
    n = services.save_answers(survey=named, user=lotte, raw={}, submit=True).response
    assert a.respondent is None and len(a.respondent_key) == 64
    assert n.respondent == lotte
    assert a.office is not None and a.office.slug == "liege"  # kept for cross-tabs by office


def test_the_audience_is_checked_by_the_answer_service(lotte: Any, bram: Any, nonmember: Any, liege: Any) -> None:
    by_office = make_survey(audience="office", audience_office=liege)
    question(by_office, QuestionKind.YES_NO, "Yes?")
    services.save_answers(survey=by_office, user=lotte, raw={}, submit=True)
    with pytest.raises(SurveyRefused, match="for the members of the office Liège"):
        services.save_answers(survey=by_office, user=bram, raw={}, submit=True)
    members = make_survey()
    with pytest.raises(SurveyRefused, match="for the members of the cooperative"):
        services.save_answers(survey=members, user=nonmember, raw={}, submit=True)
    france = make_survey(audience="country", audience_country="FR")
    with pytest.raises(SurveyRefused):
        services.save_answers(survey=france, user=lotte, raw={}, submit=True)
    in_france = person("claire@example.org", "Claire", number="300009", office_slug="lille")
    in_france.office.country = "FR"
    in_france.office.save()
    services.save_answers(survey=france, user=in_france, raw={}, submit=True)


def test_a_group_a_network_an_edition_and_a_link(lotte: Any, bram: Any) -> None:
    circle = events_services.create_circle(name="Sound network", members=[(lotte, "member")])
    for audience in ("group", "sector_network"):
        survey = make_survey(audience=audience, audience_circle=circle)
        services.save_answers(survey=survey, user=lotte, raw={}, submit=True)
        with pytest.raises(SurveyRefused, match="Sound network"):
            services.save_answers(survey=survey, user=bram, raw={}, submit=True)
    linked = make_survey(audience="link")
    services.save_answers(survey=linked, user=bram, raw={}, submit=True, token=linked.link_token)
    with pytest.raises(SurveyRefused, match="received its link"):
        services.save_answers(survey=linked, user=bram, raw={}, submit=True, token="guess")


def test_the_pilot_is_open_to_its_segment_only_and_its_answers_stay_apart(lotte: Any, bram: Any, liege: Any) -> None:
    survey = make_survey(pilot_office=liege)
    assert survey.in_pilot
    pilot = services.save_answers(survey=survey, user=lotte, raw={}, submit=True).response
    with pytest.raises(SurveyRefused, match="tried out in Liège first"):
        services.save_answers(survey=survey, user=bram, raw={}, submit=True)
    services.open_to_all(actor=None, survey=survey)
    survey.refresh_from_db()
    later = services.save_answers(survey=survey, user=bram, raw={}, submit=True).response
    # Lotte changes her answers after the pilot: still one response, still the pilot's.
    again = services.save_answers(survey=survey, user=lotte, raw={}, submit=True).response
    assert pilot.in_pilot and again.pk == pilot.pk and again.in_pilot
    assert not later.in_pilot


def test_before_opening_the_date_is_given(lotte: Any, db: Any) -> None:
    survey = make_survey(opens_at=timezone.now() + timedelta(days=2), closes_at=timezone.now() + timedelta(days=9))
    with pytest.raises(SurveyRefused, match="opens on"):
        services.save_answers(survey=survey, user=lotte, raw={}, submit=False)


# --- Why a person may not answer: the dates first, then the audience, then the pilot ------------


def _on(moment: Any) -> str:
    return date_format(timezone.localtime(moment), "j F Y, H:i")


@pytest.mark.parametrize(
    ("who", "when", "pilot", "expected"),
    [
        # Closed: for everyone, whoever asks, and a pilot that never ended says it did not open to others.
        ("lotte", "closed", "running", "This survey closed on {closes}; answers can no longer be changed."),
        (
            "bram",
            "closed",
            "running",
            "This survey closed on {closes}, while it was being tried out in Liège: it did not open to others.",
        ),
        ("nonmember", "closed", "none", "This survey closed on {closes}; answers can no longer be changed."),
        ("bram", "closed", "ended", "This survey closed on {closes}; answers can no longer be changed."),
        # Not open yet: when, and for whom, or that the pilot comes first.
        ("lotte", "later", "running", "This survey opens on {opens}."),
        (
            "bram",
            "later",
            "running",
            "This survey opens on {opens}, first as a pilot in Liège; it opens to others later.",
        ),
        (
            "nonmember",
            "later",
            "running",
            "This survey opens on {opens}. This survey is for the members of the cooperative.",
        ),
        # Open: the audience, then the pilot's segment.
        ("nonmember", "open", "running", "This survey is for the members of the cooperative."),
        ("bram", "open", "running", "This survey is being tried out in Liège first; it opens to others later."),
        ("bram", "open", "ended", None),
        ("lotte", "open", "running", None),
    ],
)
def test_a_refusal_gives_the_reason_that_applies_first(
    lotte: Any, bram: Any, nonmember: Any, liege: Any, who: str, when: str, pilot: str, expected: str | None
) -> None:
    now = timezone.now()
    opens, closes = {
        "closed": (now - timedelta(days=10), now - timedelta(days=1)),
        "later": (now + timedelta(days=1), now + timedelta(days=10)),
        "open": (now - timedelta(days=1), now + timedelta(days=10)),
    }[when]
    survey = make_survey(opens_at=opens, closes_at=closes, **({} if pilot == "none" else {"pilot_office": liege}))
    if pilot == "ended":
        survey = services.open_to_all(actor=None, survey=survey)
    user = {"lotte": lotte, "bram": bram, "nonmember": nonmember}[who]
    refusal = answer_refusal(survey, user)
    assert refusal == (expected.format(opens=_on(opens), closes=_on(closes)) if expected else None)
    if expected:
        with pytest.raises(SurveyRefused):
            services.save_answers(survey=survey, user=user, raw={}, submit=True)
