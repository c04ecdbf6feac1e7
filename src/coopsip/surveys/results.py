"""Results of a survey: counts per question (one grouped query), charts, cross-tabulation, free texts, exports.

``MIN_GROUP`` is the smallest number of answers shown on a published page (and
in any cross-tab column): below it, a total could point at a person.

The counts are grouped in the database (one row per question and distinct
answer) and kept in the shared cache under a version of the cohort's answers:
how many responses are sent and when the last one changed (every save of a
response touches ``updated_at``), and which questions of which kinds are asked.
A new, changed or erased answer gives a new version, so a cached count is never
stale; a closed survey's page is counted once and then read from the cache.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coopsip.core import charts
from coopsip.registrations.exports import escape_cell
from coopsip.surveys.models import TEXT_KINDS, Answer, Question, QuestionKind, Response, Survey

MIN_GROUP = 5
PILOT = "pilot"
MAIN = "main"
ALL = "all"


def responses(survey: Survey, cohort: str) -> QuerySet[Response]:
    """The sent responses of ``cohort``: the pilot's, those after it, or all."""
    sent = Response.objects.filter(survey=survey, submitted_at__isnull=False)
    if cohort == PILOT:
        return sent.filter(in_pilot=True)
    if cohort == MAIN:
        return sent.filter(in_pilot=False)
    return sent


def default_cohort(survey: Survey) -> str:
    """While the pilot runs, or when nobody answered after it, the pilot; else the answers after it."""
    if survey.in_pilot or not responses(survey, MAIN).exists():
        return PILOT if responses(survey, PILOT).exists() else MAIN
    return MAIN


@dataclass
class QuestionResult:
    question: Question
    number: int
    answered: int
    chart: charts.Chart | None = None
    hidden: bool = False  # fewer than MIN_GROUP answers on a published page
    summary: dict[str, str] = field(default_factory=dict)  # mean, median… for numbers and scales
    is_text: bool = False


def _labels(question: Question) -> tuple[dict[int, str], dict[int, str]]:
    options = {c.pk: c.label for c in question.choices.all() if not c.is_row}
    rows = {c.pk: c.label for c in question.choices.all() if c.is_row}
    return options, rows


CACHE_SECONDS = 7 * 24 * 3600


def _version(survey: Survey, questions: Sequence[Question], cohort: str) -> str:
    """The cohort's answers as they are now: how many are sent, the last change, the questions and their kinds."""
    version = responses(survey, cohort).aggregate(n=Count("pk"), last=Max("updated_at"))
    asked = ",".join(f"{q.pk}:{q.kind}:{[c.pk for c in q.choices.all()]}" for q in questions)
    return "{}:{}:{}:{}:{}".format(
        survey.pk,
        cohort,
        version["n"],
        version["last"].isoformat() if version["last"] else "-",
        hashlib.sha256(asked.encode()).hexdigest()[:16],
    )


def _counted(
    survey: Survey, questions: Sequence[Question], cohort: str
) -> tuple[dict[int, list[tuple[Any, int]]], dict[int, int]]:
    """Per question the (answer, people) pairs of the choice-like kinds, and the number of written answers.

    Read from the shared cache when the cohort's answers have not changed since
    they were counted; else counted by two grouped queries and stored.
    """
    sent = responses(survey, cohort)
    key = "surveys:counts:" + _version(survey, questions, cohort)
    stored = cache.get(key)
    if stored is not None:
        return stored
    grouped: dict[int, list[tuple[Any, int]]] = defaultdict(list)
    for row in (
        Answer.objects.filter(response__in=sent)
        .exclude(question__kind__in=TEXT_KINDS)
        .values("question_id", "value")
        .annotate(n=Count("id"))
        .order_by()
    ):
        grouped[row["question_id"]].append((row["value"], row["n"]))
    text_counts = dict(
        Answer.objects.filter(response__in=sent, question__kind__in=TEXT_KINDS)
        .exclude(text="")
        .values_list("question_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    counted = (dict(grouped), text_counts)
    cache.set(key, counted, CACHE_SECONDS)
    return counted


def question_results(
    survey: Survey, questions: Sequence[Question], *, cohort: str, published: bool
) -> list[QuestionResult]:
    """One result per question, from the counts of ``_counted`` (cached per version of the answers)."""
    grouped, text_counts = _counted(survey, questions, cohort)
    results = []
    for number, question in enumerate(questions, start=1):
        if question.kind in TEXT_KINDS:
            answered = text_counts.get(question.pk, 0)
            results.append(
                QuestionResult(
                    question=question,
                    number=number,
                    answered=answered,
                    is_text=True,
                    hidden=published,  # free text is never published
                )
            )
            continue
        values = grouped.get(question.pk, [])
        answered = sum(n for _value, n in values)
        result = QuestionResult(question=question, number=number, answered=answered)
        if published and answered < MIN_GROUP:
            result.hidden = True
        elif answered:
            result.chart, result.summary = _chart_for(question, number, values, answered)
        results.append(result)
    return results


def _describe(number: int, answered: int) -> str:
    return _("Question %(number)s: %(count)s people answered.") % {"number": number, "count": answered}


def _chart_for(
    question: Question, number: int, values: list[tuple[Any, int]], answered: int
) -> tuple[charts.Chart, dict[str, str]]:
    options, rows = _labels(question)
    title = f"{number}. {question.text}"
    description = _describe(number, answered)
    chart_id = f"q{question.pk}"
    kind = question.kind
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        counts: Counter[int] = Counter()
        for value, n in values:
            for item in value if isinstance(value, list) else [value]:
                counts[item] += n
        bars = [(label, counts[pk]) for pk, label in options.items()]
        return (
            charts.bar_chart(
                title=title,
                description=description,
                bars=bars,
                percent_of=answered,
                label_header=_("answer"),
                value_header=_("people"),
                chart_id=chart_id,
            ),
            {},
        )
    if kind == QuestionKind.YES_NO:
        counts_yn = Counter(dict(values))
        bars = [(str(_("yes")), counts_yn["yes"]), (str(_("no")), counts_yn["no"])]
        return (
            charts.bar_chart(
                title=title,
                description=description,
                bars=bars,
                percent_of=answered,
                label_header=_("answer"),
                value_header=_("people"),
                chart_id=chart_id,
            ),
            {},
        )
    if kind == QuestionKind.RANKING:
        # Points: first of n choices gets n points, the last 1 (a Borda count, shown as such).
        points: Counter[int] = Counter()
        firsts: Counter[int] = Counter()
        size = len(options)
        for value, n in values:
            for rank, item in enumerate(value or []):
                points[item] += (size - rank) * n
            if value:
                firsts[value[0]] += n
        ordered = sorted(options, key=lambda pk: -points[pk])
        return (
            charts.bar_chart(
                title=title,
                description=_("%(description)s Points: a first place counts %(size)s, the last 1.")
                % {"description": description, "size": size},
                bars=[(options[pk], points[pk]) for pk in ordered],
                label_header=_("answer"),
                value_header=_("points"),
                chart_id=chart_id,
            ),
            {},
        )
    if kind in (QuestionKind.SCALE_5, QuestionKind.SCALE_10):
        low, high = (1, 5) if kind == QuestionKind.SCALE_5 else (0, 10)
        counts_s: Counter[int] = Counter()
        for value, n in values:
            counts_s[int(value)] += n
        summary = _summary([(float(score), n) for score, n in counts_s.items()])
        return (
            charts.distribution(
                title=title,
                description=_("%(description)s Average %(mean)s, median %(median)s.")
                % {"description": description, **summary},
                counts=[(str(score), counts_s[score]) for score in range(low, high + 1)],
                label_header=_("score"),
                value_header=_("people"),
                chart_id=chart_id,
            ),
            summary,
        )
    if kind == QuestionKind.MATRIX:
        cells: Counter[tuple[int, int]] = Counter()
        for value, n in values:
            for row, column in (value or {}).items():
                cells[(int(row), int(column))] += n
        return (
            charts.heat_map(
                title=title,
                description=description,
                row_labels=list(rows.values()),
                column_labels=list(options.values()),
                values=[[cells[(row, column)] for column in options] for row in rows],
                chart_id=chart_id,
            ),
            {},
        )
    # Numbers and dates: a distribution of the values met (numbers in up to 10 bands would hide little here).
    counts_v: Counter[str] = Counter()
    for value, n in values:
        counts_v[str(value)] += n
    ordered_values = sorted(counts_v, key=_sort_key)
    summary = {}
    if kind == QuestionKind.NUMBER:
        summary = _summary([(float(v), n) for v, n in counts_v.items()])
    return (
        charts.distribution(
            title=title,
            description=description,
            counts=[(value, counts_v[value]) for value in ordered_values[:30]],
            label_header=_("answer"),
            value_header=_("people"),
            chart_id=chart_id,
        ),
        summary,
    )


def _summary(weighted: list[tuple[float, int]]) -> dict[str, str]:
    """The mean and median of values counted ``n`` times each, without writing out every answer."""
    total = sum(n for _value, n in weighted)
    ordered = sorted(weighted)
    average = sum(value * n for value, n in ordered) / total

    def at(index: int) -> float:  # the value at this position of the sorted answers
        seen = 0
        for value, n in ordered:
            seen += n
            if index < seen:
                return value
        return ordered[-1][0]

    middle = (at((total - 1) // 2) + at(total // 2)) / 2
    return {"mean": f"{average:.1f}", "median": f"{middle:g}"}


def _sort_key(value: str) -> tuple[int, float, str]:
    try:
        return (0, float(value), "")
    except ValueError:
        return (1, 0.0, value)


# --- Cross-tabulation ------------------------------------------------------------------------


@dataclass(frozen=True)
class CrossTab:
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: tuple[tuple[int, ...], ...]
    hidden_columns: tuple[str, ...]  # groups with fewer than MIN_GROUP responses, left out
    chart: charts.Chart | None


def _items(question: Question, value: Any) -> list[str]:
    """The answer(s) of a choice-like question as labels (several for "several choices")."""
    options, _rows = _labels(question)
    if value is None:
        return []
    if question.kind == QuestionKind.YES_NO:
        return [str(_("yes")) if value == "yes" else str(_("no"))]
    if question.kind == QuestionKind.MULTIPLE:
        return [options.get(item, "?") for item in value]
    if question.kind == QuestionKind.RANKING:
        return [options.get(value[0], "?")] if value else []
    if question.kind == QuestionKind.SINGLE:
        return [options.get(value, "?")]
    return [str(value)]


def cross_tab(survey: Survey, question: Question, *, by: Question | str, cohort: str) -> CrossTab:
    """Answers of ``question`` (rows) by another question's answer, or by "office" or "country" (columns).

    A column is left out when fewer than ``MIN_GROUP`` responses fall in it. Kept in the
    shared cache per version of the answers (see ``_counted``) and language.
    """
    asked = [question] + ([by] if isinstance(by, Question) else [])
    by_key = by.pk if isinstance(by, Question) else by
    key = f"surveys:cross:{_version(survey, asked, cohort)}:{question.pk}:{by_key}:{get_language()}"
    stored = cache.get(key)
    if stored is not None:
        return stored
    computed = _cross_tab(survey, question, by=by, cohort=cohort)
    cache.set(key, computed, CACHE_SECONDS)
    return computed


def _cross_tab(survey: Survey, question: Question, *, by: Question | str, cohort: str) -> CrossTab:
    sent = responses(survey, cohort)
    groups: dict[int, list[str]] = {}
    if isinstance(by, Question):
        for response_id, value in Answer.objects.filter(response__in=sent, question=by).values_list(
            "response_id", "value"
        ):
            groups[response_id] = _items(by, value)
    else:
        field_name = "office__name" if by == "office" else "country"
        for response_id, group in sent.values_list("pk", field_name):
            groups[response_id] = [str(group or _("unknown"))]
    column_sizes: Counter[str] = Counter(label for labels in groups.values() for label in labels)
    columns = [label for label, size in sorted(column_sizes.items()) if size >= MIN_GROUP]
    hidden = tuple(label for label, size in sorted(column_sizes.items()) if size < MIN_GROUP)
    if question.kind == QuestionKind.SCALE_5:
        row_labels = [str(n) for n in range(1, 6)]
    elif question.kind == QuestionKind.SCALE_10:
        row_labels = [str(n) for n in range(11)]
    elif question.kind == QuestionKind.YES_NO:
        row_labels = [str(_("yes")), str(_("no"))]
    else:
        row_labels = list(_labels(question)[0].values())
    table: Counter[tuple[str, str]] = Counter()
    for response_id, value in Answer.objects.filter(response__in=sent, question=question).values_list(
        "response_id", "value"
    ):
        for row in _items(question, value):
            for column in groups.get(response_id, []):
                table[(row, column)] += 1
    cells = tuple(tuple(table[(row, column)] for column in columns) for row in row_labels)
    chart = None
    if columns and row_labels:
        by_name = by.text if isinstance(by, Question) else (_("office") if by == "office" else _("country"))
        chart = charts.heat_map(
            title=_("“%(question)s” by %(by)s") % {"question": question.text, "by": by_name},
            description=_("Each cell counts the people with both answers; groups under %(min)s are left out.")
            % {"min": MIN_GROUP},
            row_labels=row_labels,
            column_labels=columns,
            values=[list(row) for row in cells],
            chart_id=f"cross-{question.pk}",
        )
    return CrossTab(tuple(row_labels), tuple(columns), cells, hidden, chart)


# --- Free texts ------------------------------------------------------------------------------


def free_texts(survey: Survey, question: Question, *, cohort: str, contains: str = "") -> QuerySet[Answer]:
    answers = (
        Answer.objects.filter(response__in=responses(survey, cohort), question=question).exclude(text="").order_by("pk")
    )
    if contains.strip():
        answers = answers.filter(text__icontains=contains.strip())
    return answers


# --- Exports ---------------------------------------------------------------------------------


def _cell(question: Question, value: Any, text: str, options: dict[int, str], rows: dict[int, str]) -> list[str]:
    if question.kind in TEXT_KINDS:
        return [text]
    if question.kind == QuestionKind.MATRIX:
        value = value or {}
        return [options.get(value.get(str(row)), "") if value.get(str(row)) else "" for row in rows]
    if value is None:
        return [""]
    if question.kind == QuestionKind.MULTIPLE:
        return ["; ".join(options.get(item, "?") for item in value)]
    if question.kind == QuestionKind.RANKING:
        return ["; ".join(f"{rank}. {options.get(item, '?')}" for rank, item in enumerate(value, start=1))]
    if question.kind == QuestionKind.SINGLE:
        return [options.get(value, "?")]
    if question.kind == QuestionKind.YES_NO:
        return [str(_("yes")) if value == "yes" else str(_("no"))]
    return [str(value)]


def export_rows(survey: Survey, questions: Sequence[Question], *, cohort: str) -> Iterator[list[str]]:
    """A header then one row per sent response (named surveys: the person's name), cells Excel-safe."""
    labels = {q.pk: _labels(q) for q in questions}
    header = [str(_("response")), str(_("pilot")), str(_("office")), str(_("country")), str(_("language"))]
    if not survey.anonymous:
        header.append(str(_("name")))
    for number, question in enumerate(questions, start=1):
        if question.kind == QuestionKind.MATRIX:
            header += [f"{number}. {question.text} – {row}" for row in labels[question.pk][1].values()]
        else:
            header.append(f"{number}. {question.text}")
    yield [escape_cell(cell) for cell in header]
    sent = responses(survey, cohort).select_related("office", "respondent").order_by("pk")
    answers: dict[int, dict[int, tuple[Any, str]]] = defaultdict(dict)
    for response_id, question_id, value, text in Answer.objects.filter(response__in=sent).values_list(
        "response_id", "question_id", "value", "text"
    ):
        answers[response_id][question_id] = (value, text)
    for number, response in enumerate(sent, start=1):
        row = [
            str(number),
            str(_("yes")) if response.in_pilot else str(_("no")),
            response.office.name if response.office else "",
            response.country,
            response.language,
        ]
        if not survey.anonymous:
            row.append(response.respondent.get_full_name() if response.respondent else "")
        for question in questions:
            value, text = answers[response.pk].get(question.pk, (None, ""))
            row += _cell(question, value, text, *labels[question.pk])
        yield [escape_cell(cell) for cell in row]


def export_csv(survey: Survey, questions: Sequence[Question], *, cohort: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in export_rows(survey, questions, cohort=cohort):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode()


def export_xlsx(survey: Survey, questions: Sequence[Question], *, cohort: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Answers"))[:31])
    for row in export_rows(survey, questions, cohort=cohort):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
