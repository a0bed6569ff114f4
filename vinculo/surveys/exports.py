"""Responses of one survey as a CSV or XLSX file: one row per response, one column per
question, with codes and labels.

Layout (the same in both formats, one header row of column names):

- ``response_id, status, started_at, completed_at, unit_code, unit_name, channel, collector,
  language, version, customer_id``;
- then the questions, aligned by key across versions (the newest version's order first,
  keys only older versions had after them):
  scores and ratings: ``key`` (the number); yes/no and consent: ``key`` (1/0) and
  ``key_label``; single choice and dropdown: ``key`` (the code) and ``key_label``;
  multiple choice: one 0/1 column per option ``key.code`` and ``key_label`` (the chosen
  labels, "; "-separated); ranking: ``key.code`` = the option's rank (1 = first) and
  ``key_label`` (labels in order, " > "); matrix: ``key.row`` (the code) and
  ``key.row_label`` per statement; text, e-mail, phone: ``key``; date: ``key`` (ISO).
  An empty cell means the question was not answered (or not shown).

Labels are in the language of the person exporting. The XLSX file has a second sheet that
describes every column in words. CSV is UTF-8 with a BOM (Excel reads the accents), comma-
separated; ``sep=semicolon`` gives ``;`` for spreadsheets set up for Spanish. Text typed by
respondents that starts with ``= + - @`` is prefixed with ``'`` in CSV so a spreadsheet
never runs it as a formula; XLSX cells are written as text (``vinculo.lib.spreadsheets``).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vinculo.lib.spreadsheets import (
    BOM,
    XLSX_TYPE,
    csv_cell,
    csv_writer,
    dated_filename,
    xlsx_cell,
)
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.models import Answer, Question, Response, Survey
from vinculo.surveys.queries import text_in
from vinculo.surveys.questions import SCORED, TEXT_KINDS

CHUNK = 500

Answers = dict[str, list[Answer]]  # question key -> its answer rows in one response


@dataclass(frozen=True)
class Column:
    name: str  # the header: stable, machine-friendly
    label: str  # what it holds, in words (the XLSX "columns" sheet)
    value: Callable[[Response, Answers], Any]
    typed_text: bool = False  # free text from respondents: guarded against formulas


def _fixed_columns() -> list[Column]:
    def local(moment: dt.datetime | None) -> dt.datetime | None:
        return timezone.localtime(moment).replace(microsecond=0) if moment else None

    return [
        Column("response_id", _("Response"), lambda r, a: r.pk),
        Column("status", _("Status"), lambda r, a: r.status),
        Column("started_at", _("Started at"), lambda r, a: local(r.started_at)),
        Column("completed_at", _("Completed at"), lambda r, a: local(r.completed_at)),
        Column("unit_code", _("Unit code"), lambda r, a: r.unit.code),
        Column("unit_name", _("Unit"), lambda r, a: r.unit.name),
        Column("channel", _("Channel"), lambda r, a: r.channel.code),
        Column("collector", _("Collected by"), lambda r, a: r.collector),
        Column("language", _("Language"), lambda r, a: r.language),
        Column("version", _("Version"), lambda r, a: r.version.number),
        Column("customer_id", _("Customer"), lambda r, a: r.customer_id),
    ]


def _first(answers: Answers, key: str) -> Answer | None:
    rows = answers.get(key)
    return rows[0] if rows else None


def _question_columns(
    key: str, kind: str, title: str, options: dict[str, str], rows: dict[str, str]
) -> list[Column]:
    """The columns of one question; ``options``/``rows`` are code → label over all versions."""
    label_word = _("label")
    label_name, label_title = f"{key}_label", f"{title} ({label_word})"

    def choice_labels(r: Response, a: Answers, separator: str) -> str | None:
        answer = _first(a, key)
        if answer is None or answer.choices is None:
            return None
        return separator.join(options.get(code, code) for code in answer.choices)

    if kind in SCORED:
        return [Column(key, title, lambda r, a: getattr(_first(a, key), "number", None))]
    if kind in (K.YES_NO, K.CONSENT):
        yes, no = _("Yes"), _("No")

        def yes_no(r: Response, a: Answers) -> str | None:
            answer = _first(a, key)
            return None if answer is None else (yes if answer.number else no)

        return [
            Column(key, title, lambda r, a: getattr(_first(a, key), "number", None)),
            Column(label_name, label_title, yes_no),
        ]
    if kind in (K.SINGLE_CHOICE, K.DROPDOWN):
        return [
            Column(
                key, title, lambda r, a: (getattr(_first(a, key), "choices", None) or [None])[0]
            ),
            Column(label_name, label_title, lambda r, a: choice_labels(r, a, "; ")),
        ]
    if kind in (K.MULTIPLE_CHOICE, K.RANKING):
        ranking = kind == K.RANKING

        def cell(code: str) -> Callable[[Response, Answers], Any]:
            def value(r: Response, a: Answers) -> int | None:
                chosen = getattr(_first(a, key), "choices", None)
                if chosen is None:
                    return None
                if ranking:
                    return chosen.index(code) + 1 if code in chosen else None
                return 1 if code in chosen else 0

            return value

        separator = " > " if ranking else "; "
        return [
            *(
                Column(f"{key}.{code}", f"{title}: {label}", cell(code))
                for code, label in options.items()
            ),
            Column(label_name, label_title, lambda r, a: choice_labels(r, a, separator)),
        ]
    if kind == K.MATRIX:

        def matrix(row: str, labelled: bool) -> Callable[[Response, Answers], Any]:
            def value(r: Response, a: Answers) -> str | None:
                found = next((x for x in a.get(key, []) if x.row == row), None)
                code = (found.choices or [None])[0] if found else None
                return options.get(code or "", code) if labelled and code else code

            return value

        columns = []
        for row, row_label in rows.items():
            columns.append(Column(f"{key}.{row}", f"{title}: {row_label}", matrix(row, False)))
            columns.append(
                Column(
                    f"{key}.{row}_label", f"{title}: {row_label} ({label_word})", matrix(row, True)
                )
            )
        return columns
    if kind == K.DATE:
        return [Column(key, title, lambda r, a: getattr(_first(a, key), "date", None))]
    typed = kind in TEXT_KINDS and kind != K.PHONE
    return [Column(key, title, lambda r, a: getattr(_first(a, key), "text", None) or None, typed)]


@dataclass(frozen=True)
class Layout:
    columns: list[Column]
    keys: dict[int, str]  # question id (any version) -> key


def layout(survey: Survey, language: str) -> Layout:
    """The columns for a survey's published versions, aligned by question key."""
    fallback = survey.default_language
    versions = survey.versions.filter(published_at__isnull=False).order_by("-number")
    questions = Question.objects.filter(version__in=versions).order_by(
        "-version__number", "position"
    )
    newest: dict[str, Question] = {}
    options: dict[str, dict[str, str]] = {}
    rows: dict[str, dict[str, str]] = {}
    keys: dict[int, str] = {}
    for question in questions:
        keys[question.pk] = question.key
        newest.setdefault(question.key, question)
        for code, label in ((o["code"], o["label"]) for o in question.options):
            options.setdefault(question.key, {}).setdefault(
                code, text_in(label, language, fallback)
            )
        for code, label in ((o["code"], o["label"]) for o in question.rows):
            rows.setdefault(question.key, {}).setdefault(code, text_in(label, language, fallback))
    columns = _fixed_columns()
    for key, question in newest.items():
        title = f"{key}: {text_in(question.text, language, fallback)}"
        columns += _question_columns(
            key, question.kind, title, options.get(key, {}), rows.get(key, {})
        )
    return Layout(columns, keys)


def rows_of(responses: QuerySet[Response], plan: Layout) -> Iterator[list[Any]]:
    """One list of cell values per response, read in chunks (a constant number of queries
    per chunk, whatever the number of answers)."""
    answers = Prefetch("answers", queryset=Answer.objects.order_by("question_id", "row"))
    chosen = responses.select_related("unit", "channel", "version").prefetch_related(answers)
    for response in chosen.iterator(chunk_size=CHUNK):
        by_key: Answers = {}
        for answer in response.answers.all():
            by_key.setdefault(plan.keys.get(answer.question_id, ""), []).append(answer)
        yield [column.value(response, by_key) for column in plan.columns]


def csv_response(
    survey: Survey, responses: QuerySet[Response], language: str, sep: str
) -> StreamingHttpResponse:
    """A streamed CSV: the file starts at once and never sits whole in memory."""
    plan = layout(survey, language)
    writer = csv_writer(sep)
    typed = [column.typed_text for column in plan.columns]

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow([column.name for column in plan.columns])
        for values in rows_of(responses, plan):
            yield writer.writerow([csv_cell(v, t) for v, t in zip(values, typed, strict=True)])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "csv")}"'
    return response


def xlsx_response(survey: Survey, responses: QuerySet[Response], language: str) -> HttpResponse:
    """An XLSX built in openpyxl's write-only mode (rows go to disk, not to a sheet in memory)."""
    plan = layout(survey, language)
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Responses"))[:31])
    sheet.append([column.name for column in plan.columns])
    for values in rows_of(responses, plan):
        sheet.append([xlsx_cell(sheet, value) for value in values])
    described = book.create_sheet(str(_("Columns"))[:31])
    described.append([str(_("Column")), str(_("Content"))])
    for column in plan.columns:
        described.append([column.name, xlsx_cell(described, str(column.label))])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(survey, "xlsx")}"'
    return response


def _filename(survey: Survey, extension: str) -> str:
    return dated_filename(survey.slug, extension)
