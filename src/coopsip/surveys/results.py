"""Results of a survey: counts per question (one grouped query), charts, cross-tabulation, free texts, exports.

``MIN_GROUP`` is the smallest number of answers shown on a published page (and
in any cross-tab column): below it, a total could point at a person. On a
published page every count of people goes through ``stats.suppression`` (the
project's one small-group rule): a count of 1 to 4 reads "fewer than 5", one
more reads "hidden" where the small one could be worked out from the total
shown, and the charts are drawn from those same figures (a hidden count is
left out of the drawing). The team's own page keeps the exact numbers.

An anonymous survey's download must not let the team find out who answered
what: no dates or times, rows in an order that says nothing of when people
answered, and the office, country and language only for groups of
``MIN_GROUP`` answers or more (see ``_describing``).

The counts are grouped in the database (one row per question and distinct
answer) and kept in the shared cache under a version of the cohort's answers:
how many responses are sent and when the last one changed (every save of a
response touches ``updated_at``), and which questions of which kinds are asked.
A new, changed or erased answer gives a new version, so a cached count is never
stale; a closed survey's page is counted once and then read from the cache.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, QuerySet
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from coopsip.core import charts
from coopsip.registrations.exports import escape_cell
from coopsip.stats import suppression
from coopsip.stats.suppression import Figure
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
    """One result per question, from the counts of ``_counted`` (cached per version of the answers).

    ``published``: the small-group rule applies (see the module's docstring); else every number is exact.
    """
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
            result.chart, result.summary = _chart_for(question, number, values, answered, published=published)
        results.append(result)
    return results


def _describe(number: int, answered: int) -> str:
    return _("Question %(number)s: %(count)s people answered.") % {"number": number, "count": answered}


def _figures(counts: Sequence[int], *, published: bool, adds_up: bool) -> list[Figure]:
    """Counts of people as a page may show them: exact for the team; published, through the small-group rule.

    ``adds_up``: the counts add up to the number of people who answered (one answer each), which the
    page shows, so one more count is hidden where a single small one could be worked out by subtraction.
    """
    table = suppression.protect([[count] for count in counts], exact=not published, columns_add_up=adds_up)
    return [row[0] for row in table]


def _left_out_note(description: str) -> str:
    return "{} {}".format(
        description,
        _("Counts that could single out fewer than %(min)s people are not drawn; the table marks them.")
        % {"min": MIN_GROUP},
    )


def _with_hidden_rows(chart: charts.Chart, figures: Sequence[Figure], labels: Sequence[str]) -> charts.Chart:
    """``chart`` drawn from the shown figures only, its table given every label again, hidden ones marked.

    When every count is hidden there is nothing to draw: the figure is its table only.
    """
    drawn = iter(chart.rows)
    rows: list[tuple[str, ...]] = []
    for label, figure in zip(labels, figures, strict=True):
        if figure.suppressed:
            rows.append((label, str(figure), *[""] * (len(chart.headers) - 2)))  # no percentage either
        else:
            rows.append(next(drawn))
    return dataclasses.replace(
        chart,
        rows=tuple(rows),
        description=_left_out_note(chart.description),
        svg=chart.svg if chart.rows else SafeString(""),
    )


def _bars(
    *,
    title: str,
    description: str,
    labels: Sequence[str],
    figures: Sequence[Figure],
    chart_id: str,
    value_header: str,
    percent_of: int | None = None,
) -> charts.Chart:
    """A bar chart of people counts; a hidden count is left out of the drawing and marked in the table."""
    chart = charts.bar_chart(
        title=title,
        description=description,
        bars=[(label, figure.value) for label, figure in zip(labels, figures, strict=True) if figure.value is not None],
        percent_of=percent_of,
        label_header=_("answer"),
        value_header=value_header,
        chart_id=chart_id,
    )
    return _with_hidden_rows(chart, figures, labels) if any(f.suppressed for f in figures) else chart


def _columns(
    *, title: str, description: str, labels: Sequence[str], figures: Sequence[Figure], chart_id: str, label_header: str
) -> charts.Chart:
    """A distribution of people counts over an ordered scale; a hidden count is left out of the drawing."""
    chart = charts.distribution(
        title=title,
        description=description,
        counts=[
            (label, figure.value) for label, figure in zip(labels, figures, strict=True) if figure.value is not None
        ],
        label_header=label_header,
        value_header=_("people"),
        chart_id=chart_id,
    )
    return _with_hidden_rows(chart, figures, labels) if any(f.suppressed for f in figures) else chart


def _grid(
    *,
    title: str,
    description: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    figures: Sequence[Sequence[Figure]],
    chart_id: str,
) -> charts.Chart:
    """A heat map of people counts: a row holding a hidden count is left out of the drawing (a cell cannot be).

    The table beside it lists every row, hidden counts marked; when no row can be drawn the figure is its
    table only.
    """
    if not any(figure.suppressed for row in figures for figure in row):
        return charts.heat_map(
            title=title,
            description=description,
            row_labels=row_labels,
            column_labels=column_labels,
            values=[[figure.value or 0 for figure in row] for row in figures],
            chart_id=chart_id,
        )
    drawable = [index for index, row in enumerate(figures) if not any(figure.suppressed for figure in row)]
    chart = charts.heat_map(
        title=title,
        description=_left_out_note(description),
        row_labels=[row_labels[index] for index in drawable],
        column_labels=column_labels,
        values=[[figure.value or 0 for figure in figures[index]] for index in drawable],
        chart_id=chart_id,
    )
    rows = tuple((label, *(str(figure) for figure in row)) for label, row in zip(row_labels, figures, strict=True))
    return dataclasses.replace(chart, rows=rows, svg=chart.svg if drawable else SafeString(""))


def _chart_for(
    question: Question, number: int, values: list[tuple[Any, int]], answered: int, *, published: bool
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
        # One choice each adds up to the people who answered; several choices do not.
        figures = _figures([counts[pk] for pk in options], published=published, adds_up=kind == QuestionKind.SINGLE)
        return (
            _bars(
                title=title,
                description=description,
                labels=list(options.values()),
                figures=figures,
                percent_of=answered,
                value_header=_("people"),
                chart_id=chart_id,
            ),
            {},
        )
    if kind == QuestionKind.YES_NO:
        counts_yn = Counter(dict(values))
        return (
            _bars(
                title=title,
                description=description,
                labels=[str(_("yes")), str(_("no"))],
                figures=_figures([counts_yn["yes"], counts_yn["no"]], published=published, adds_up=True),
                percent_of=answered,
                value_header=_("people"),
                chart_id=chart_id,
            ),
            {},
        )
    if kind == QuestionKind.RANKING:
        # Points: first of n choices gets n points, the last 1 (a Borda count, shown as such). Points are
        # not people: they are shown as they are once 5 people or more answered.
        points: Counter[int] = Counter()
        size = len(options)
        for value, n in values:
            for rank, item in enumerate(value or []):
                points[item] += (size - rank) * n
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
        scores = list(range(low, high + 1))
        figures = _figures([counts_s[score] for score in scores], published=published, adds_up=True)
        summary = _summary([(float(score), n) for score, n in counts_s.items()])
        if any(figure.suppressed for figure in figures):
            # The average times the number of people gives the sum of the scores, from which two hidden
            # counts could be solved: it is left out with them.
            summary = {}
        else:
            description = _("%(description)s Average %(mean)s, median %(median)s.") % {
                "description": description,
                **summary,
            }
        return (
            _columns(
                title=title,
                description=description,
                labels=[str(score) for score in scores],
                figures=figures,
                label_header=_("score"),
                chart_id=chart_id,
            ),
            summary,
        )
    if kind == QuestionKind.MATRIX:
        cells: Counter[tuple[int, int]] = Counter()
        for value, n in values:
            for row, column in (value or {}).items():
                cells[(int(row), int(column))] += n
        # A row's answers add up to the people who answered it, close to the number shown.
        grid = suppression.protect(
            [[cells[(row, column)] for column in options] for row in rows],
            exact=not published,
            rows_add_up=True,
            columns_add_up=False,
        )
        return (
            _grid(
                title=title,
                description=description,
                row_labels=list(rows.values()),
                column_labels=list(options.values()),
                figures=grid,
                chart_id=chart_id,
            ),
            {},
        )
    # Numbers and dates: a distribution of the values met (numbers in up to 10 bands would hide little here).
    counts_v: Counter[str] = Counter()
    for value, n in values:
        counts_v[str(value)] += n
    ordered_values = sorted(counts_v, key=_sort_key)
    figures = _figures([counts_v[value] for value in ordered_values], published=published, adds_up=True)[:30]
    summary = {}
    if kind == QuestionKind.NUMBER and not any(figure.suppressed for figure in figures):
        summary = _summary([(float(v), n) for v, n in counts_v.items()])
    return (
        _columns(
            title=title,
            description=description,
            labels=ordered_values[:30],
            figures=figures,
            label_header=_("answer"),
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
    """The written answers to ``question``: in the order of answering, or for an anonymous survey in the order of
    the responses' keyed hash (as its download), which says nothing of who wrote first."""
    ordering = ("response__respondent_key", "pk") if survey.anonymous else ("pk",)
    answers = (
        Answer.objects.filter(response__in=responses(survey, cohort), question=question)
        .exclude(text="")
        .order_by(*ordering)
    )
    if contains.strip():
        answers = answers.filter(text__icontains=contains.strip())
    return answers


# --- Exports ---------------------------------------------------------------------------------

ExportCell = str | int | float | date


def _cell(question: Question, value: Any, text: str, options: dict[int, str], rows: dict[int, str]) -> list[ExportCell]:
    """The cells of one answer: numbers, scales and dates as such (a spreadsheet counts them), the rest as text."""
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
    if question.kind == QuestionKind.DATE:
        try:
            return [date.fromisoformat(str(value))]
        except ValueError:
            return [str(value)]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]  # numbers and scales
    return [str(value)]


def _generalized(values: Sequence[str], other: str) -> list[str]:
    """``values`` with every group of fewer than ``MIN_GROUP`` rows read as ``other``.

    When ``other`` then gathers 1 to 4 rows, it would be one small group under another name: the
    smallest named group joins it, until it holds ``MIN_GROUP`` rows or more (or every row).
    """
    sizes = Counter(values)
    merged = {value for value, size in sizes.items() if size < MIN_GROUP}
    while 0 < sum(sizes[value] for value in merged) < MIN_GROUP:
        named = [value for value in sizes if value not in merged]
        if not named:
            break
        merged.add(min(named, key=lambda value: (sizes[value], value)))
    return [other if value in merged else value for value in values]


def _describing(survey: Survey, sent: Sequence[Response]) -> tuple[list[str], list[list[ExportCell]]]:
    """The columns that describe each response (the header, and per response its cells), before its answers.

    Named survey: a number, the pilot, office, country, language and the person's name. Anonymous
    survey: no number (it followed the order of answering), and the pilot, country, office and language
    only as groups of ``MIN_GROUP`` responses or more (smaller ones read "other"); a column is left out
    when, with the columns kept before it, it would still single out fewer than ``MIN_GROUP`` responses.
    """
    yes, no = str(_("yes")), str(_("no"))
    described = {
        "pilot": [yes if response.in_pilot else no for response in sent],
        "office": [response.office.name if response.office else "" for response in sent],
        "country": [response.country for response in sent],
        "language": [response.language for response in sent],
    }
    headers = {
        "response": str(_("response")),
        "pilot": str(_("pilot")),
        "office": str(_("office")),
        "country": str(_("country")),
        "language": str(_("language")),
        "name": str(_("name")),
    }
    if not survey.anonymous:
        names = [response.respondent.get_full_name() if response.respondent else "" for response in sent]
        columns = ["pilot", "office", "country", "language"]
        cells: list[list[ExportCell]] = [
            [index + 1, *(described[name][index] for name in columns), names[index]] for index in range(len(sent))
        ]
        return [headers["response"], *(headers[name] for name in columns), headers["name"]], cells
    other = str(_("other"))
    kept: dict[str, list[str]] = {}
    for name in ("pilot", "country", "office", "language"):  # the coarser first
        column = _generalized(described[name], other)
        if len(set(column)) > 1 or not any(value == other for value in column):
            combinations = Counter(zip(*kept.values(), column, strict=True))
            if all(size >= MIN_GROUP for size in combinations.values()):
                kept[name] = column
    ordered = [name for name in ("pilot", "office", "country", "language") if name in kept]
    return [headers[name] for name in ordered], [[kept[name][index] for name in ordered] for index in range(len(sent))]


def export_rows(survey: Survey, questions: Sequence[Question], *, cohort: str) -> Iterator[list[ExportCell]]:
    """A header then one row per sent response, cells typed (numbers and dates as such) and texts Excel-safe.

    A named survey's rows follow the order of answering and name the person. An anonymous survey's
    rows come in the order of their keyed hash, which says nothing of when or by whom they were
    written, with the describing columns of ``_describing`` and no date or time.
    """
    labels = {q.pk: _labels(q) for q in questions}
    ordering = "respondent_key" if survey.anonymous else "pk"
    sent = list(responses(survey, cohort).select_related("office", "respondent").order_by(ordering))
    header, described = _describing(survey, sent)
    for number, question in enumerate(questions, start=1):
        if question.kind == QuestionKind.MATRIX:
            header += [f"{number}. {question.text} – {row}" for row in labels[question.pk][1].values()]
        else:
            header.append(f"{number}. {question.text}")
    yield [escape_cell(cell) for cell in header]
    answers: dict[int, dict[int, tuple[Any, str]]] = defaultdict(dict)
    for response_id, question_id, value, text in Answer.objects.filter(
        response__in=responses(survey, cohort)
    ).values_list("response_id", "question_id", "value", "text"):
        answers[response_id][question_id] = (value, text)
    for response, row in zip(sent, described, strict=True):
        for question in questions:
            value, text = answers[response.pk].get(question.pk, (None, ""))
            row += _cell(question, value, text, *labels[question.pk])
        yield [escape_cell(cell) if isinstance(cell, str) else cell for cell in row]


def _text(cell: ExportCell) -> str:
    return cell.isoformat() if isinstance(cell, date) else str(cell)


def export_csv(survey: Survey, questions: Sequence[Question], *, cohort: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in export_rows(survey, questions, cohort=cohort):
        writer.writerow([_text(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode()


def export_xlsx(survey: Survey, questions: Sequence[Question], *, cohort: str) -> bytes:
    """The same rows as the CSV; numbers, scales and dates are numbers and dates in their cells."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Answers"))[:31])
    for row in export_rows(survey, questions, cohort=cohort):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
