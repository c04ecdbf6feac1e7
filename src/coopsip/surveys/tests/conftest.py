"""A survey of each kind of question, offices, and the people of the survey tests.

Lotte (the ``member`` persona) works from Liège; Bram, a member in Gent; Julien is not a member.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from conftest import link_to_register, make_person
from coopsip.members.models import MembershipStatus
from coopsip.places.models import Office
from coopsip.surveys import services
from coopsip.surveys.models import Question, QuestionKind, Survey
from coopsip.surveys.services import QuestionInput


def office(slug: str, name: str, country: str = "BE") -> Office:
    found, _created = Office.objects.get_or_create(
        slug=slug, defaults={"name": name, "country": country, "latitude": 50.6, "longitude": 5.5}
    )
    return found


def person(email: str, first_name: str, *, number: str, office_slug: str = "gent", language: str = "en") -> Any:
    user = make_person(email, first_name=first_name, last_name="Test", preferred_language=language)
    user.office = office(office_slug, office_slug.capitalize())
    user.save(update_fields=["office"])
    link_to_register(user, number=number, status=MembershipStatus.MEMBER)
    return user


def make_survey(actor: Any = None, **values: Any) -> Survey:
    now = timezone.now()
    defaults: dict[str, Any] = {
        "title_nl": "Netwerkbehoeften",
        "title_fr": "Besoins de réseau",
        "title_en": "Networking needs",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "audience": "members",
        "anonymous": True,
    }
    return services.create_survey(actor=actor, values={**defaults, **values})


def question(
    survey: Survey, kind: str, text: str, *, choices: list[str] = (), rows: list[str] = (), **extra: Any
) -> Question:  # type: ignore[assignment]
    data = QuestionInput(
        kind=kind,
        texts={"nl": text, "en": text},
        choices=[{"nl": c, "fr": f"{c} (fr)", "en": c} for c in choices],
        rows=[{"nl": r, "en": r} for r in rows],
        **extra,
    )
    return services.add_question(actor=None, survey=survey, data=data)


@pytest.fixture
def liege(db: Any) -> Office:
    return office("liege", "Liège")


@pytest.fixture
def lotte(member: Any, liege: Office) -> Any:
    member.office = liege
    member.save(update_fields=["office"])
    return member


@pytest.fixture
def bram(db: Any) -> Any:
    return person("bram@example.org", "Bram", number="300001", office_slug="gent")


@pytest.fixture
def survey(db: Any) -> Survey:
    return make_survey()


@pytest.fixture
def full_survey(survey: Survey) -> tuple[Survey, dict[str, Question]]:
    """One question of each kind; question 3 (short text) only after "yes" to question 2."""
    q: dict[str, Question] = {}
    q["single"] = question(survey, QuestionKind.SINGLE, "Your main activity", choices=["Music", "Design", "Film"])
    q["yes_no"] = question(survey, QuestionKind.YES_NO, "Do you look for collaborators?", required=True)
    q["short"] = question(
        survey,
        QuestionKind.SHORT_TEXT,
        "Which collaborators?",
        required=True,
        condition_question=q["yes_no"].pk,
        condition_answer="yes",
    )
    q["multiple"] = question(survey, QuestionKind.MULTIPLE, "What do you need?", choices=["Clients", "Space", "Tools"])
    q["ranking"] = question(
        survey, QuestionKind.RANKING, "Rank the formats", choices=["Afterwork", "Breakfast", "Walk"]
    )
    q["scale5"] = question(survey, QuestionKind.SCALE_5, "How connected do you feel?")
    q["scale10"] = question(survey, QuestionKind.SCALE_10, "Would you recommend networking moments?")
    q["matrix"] = question(
        survey,
        QuestionKind.MATRIX,
        "How often do you…",
        choices=["never", "sometimes", "often"],
        rows=["share", "hire"],
    )
    q["long"] = question(survey, QuestionKind.LONG_TEXT, "Anything else?")
    q["number"] = question(survey, QuestionKind.NUMBER, "Years as a freelancer")
    q["date"] = question(survey, QuestionKind.DATE, "When did you join?")
    return survey, q


def choice_id(q: Question, label: str) -> int:
    return q.choices.get(label_nl=label).pk
