"""Forms of the survey pages. They read input; the services check the rules and save."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from coopsip.surveys import conditions
from coopsip.surveys.models import Question, QuestionKind, Survey
from coopsip.surveys.services import LANGUAGES, SURVEY_FIELDS, QuestionInput

LANGUAGE_NAMES = {"nl": _("Dutch"), "fr": _("French"), "en": _("English")}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class SurveyForm(forms.ModelForm[Survey]):
    class Meta:
        model = Survey
        fields = SURVEY_FIELDS
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
            **{
                f"{name}_{code}": forms.Textarea(attrs={"rows": 3})
                for name in ("intro", "data_note")
                for code in LANGUAGES
            },
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in LANGUAGES:
            for name in ("title", "intro", "data_note"):
                field = self.fields[f"{name}_{code}"]
                field.label = f"{field.label} ({LANGUAGE_NAMES[code]})"
                field.required = False

    def _post_clean(self) -> None:
        # The services check the rules that span fields (and name the field); the model's own checks would
        # repeat them in other words.
        pass


def question_label(number: int, question: Question) -> str:
    """ "Question 3: Do you look for collaborators?", as the builder lists it and its condition menu offers it."""
    return _("Question %(number)s: %(text)s") % {"number": number, "text": question.text}


def numbered(questions: Sequence[Question]) -> list[tuple[int, Question]]:
    """The questions with the numbers people see: their place in the survey's order, from 1."""
    return list(enumerate(questions, start=1))


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _per_line(cleaned: Mapping[str, Any], prefix: str) -> list[dict[str, str]]:
    """Lines typed per language become one label per line: line 3 in French is choice 3's French label."""
    per_language = {code: _lines(cleaned.get(f"{prefix}_{code}", "")) for code in LANGUAGES}
    count = max(len(lines) for lines in per_language.values())
    return [
        {code: lines[index] if index < len(lines) else "" for code, lines in per_language.items()}
        for index in range(count)
    ]


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    condition_question = forms.TypedChoiceField(
        label=_("Show only if the question"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={
            "invalid_choice": _(
                "Choose one of the questions offered: a condition can only look at an earlier question with "
                "choices, yes or no, or a scale."
            )
        },
    )
    condition_answer = forms.CharField(
        label=_("has the answer"),
        required=False,
        max_length=300,
        help_text=_("A choice (its text in any language or its number), yes or no, or a number on the scale."),
    )

    def __init__(self, *args: Any, earlier: Sequence[tuple[int, Question]] = (), **kwargs: Any) -> None:
        """``earlier``: the questions before this one with their numbers in the builder, offered for a condition."""
        super().__init__(*args, **kwargs)
        for code in LANGUAGES:
            language = LANGUAGE_NAMES[code]
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Question (%(language)s)") % {"language": language}, required=False, max_length=500
            )
            self.fields[f"help_{code}"] = forms.CharField(
                label=_("Explanation (%(language)s)") % {"language": language},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.fields[f"choices_{code}"] = forms.CharField(
                label=_("Choices, one per line (%(language)s)") % {"language": language},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("For a matrix: its columns."),
            )
            self.fields[f"rows_{code}"] = forms.CharField(
                label=_("Rows of a matrix, one per line (%(language)s)") % {"language": language},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        condition = self.fields["condition_question"]
        assert isinstance(condition, forms.TypedChoiceField)
        condition.choices = [("", _("(always shown)"))] + [
            (q.pk, question_label(number, q)) for number, q in earlier if q.kind in conditions.CONDITIONAL_KINDS
        ]

    def to_input(self) -> QuestionInput:
        data = self.cleaned_data
        return QuestionInput(
            kind=data["kind"],
            texts={code: data.get(f"text_{code}", "") for code in LANGUAGES},
            help_texts={code: data.get(f"help_{code}", "") for code in LANGUAGES},
            required=data["required"],
            choices=_per_line(data, "choices"),
            rows=_per_line(data, "rows"),
            condition_question=data.get("condition_question"),
            condition_answer=data.get("condition_answer", ""),
        )

    @staticmethod
    def initial_for(question: Question) -> dict[str, Any]:
        options = [c for c in question.choices.all() if not c.is_row]
        rows = [c for c in question.choices.all() if c.is_row]
        initial: dict[str, Any] = {
            "kind": question.kind,
            "required": question.required,
            "condition_question": question.condition_question_id,
            "condition_answer": _condition_answer_text(question),
        }
        for code in LANGUAGES:
            initial[f"text_{code}"] = getattr(question, f"text_{code}") or ""
            initial[f"help_{code}"] = getattr(question, f"help_text_{code}") or ""
            initial[f"choices_{code}"] = "\n".join(getattr(c, f"label_{code}") or "" for c in options)
            initial[f"rows_{code}"] = "\n".join(getattr(c, f"label_{code}") or "" for c in rows)
        return initial


def _condition_answer_text(question: Question) -> str:
    target = question.condition_question
    if target is None:
        return ""
    if question.condition_value.isdigit() and target.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        choice = target.choices.filter(pk=int(question.condition_value)).first()
        return choice.label if choice else ""
    return question.condition_value


def read_answers(questions: Sequence[Question], post: Any) -> dict[int, Any]:
    """The raw input of each question from the answer page's POST (names ``q<id>`` and ``q<id>_<choice>``)."""
    raw: dict[int, Any] = {}
    for question in questions:
        name = f"q{question.pk}"
        if question.kind == QuestionKind.MULTIPLE:
            raw[question.pk] = post.getlist(name)
        elif question.kind == QuestionKind.RANKING:
            raw[question.pk] = {
                str(c.pk): post.get(f"{name}_{c.pk}", "") for c in question.choices.all() if not c.is_row
            }
        elif question.kind == QuestionKind.MATRIX:
            raw[question.pk] = {str(c.pk): post.get(f"{name}_{c.pk}", "") for c in question.choices.all() if c.is_row}
        else:
            raw[question.pk] = post.get(name, "")
    return raw
