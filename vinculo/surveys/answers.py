"""Answers as display and skip logic read them: stored rows, or one page being checked."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vinculo.customers.models import Customer
from vinculo.surveys.choices import QuestionKind
from vinculo.surveys.logic import Flow
from vinculo.surveys.models import Question, Response
from vinculo.surveys.questions import AnswerError, StoredValue, clean_answer


def logic_value(kind: str, values: list[StoredValue]) -> Any:
    """An answer as display and skip conditions compare it."""
    if not values:
        return None
    if kind == QuestionKind.MATRIX:
        return {v.row: (v.choices or [""])[0] for v in values}
    value = values[0]
    if value.number is not None:
        return value.number
    if value.choices is not None:
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.DROPDOWN):
            return value.choices[0]
        return value.choices
    if value.date is not None:
        return value.date.isoformat()
    return value.text


def stored_answers(response: Response | None, questions: list[Question]) -> dict[str, Any]:
    if response is None:
        return {}
    by_id = {q.pk: q for q in questions}
    grouped: dict[int, list[StoredValue]] = {}
    for a in response.answers.all():
        grouped.setdefault(a.question_id, []).append(
            StoredValue(row=a.row, number=a.number, text=a.text, choices=a.choices, date=a.date)
        )
    return {by_id[qid].key: logic_value(by_id[qid].kind, vals) for qid, vals in grouped.items()}


def clean_page(
    questions: list[Question],
    flow: Flow,
    page: int,
    raw: Mapping[str, Any],
    answers: dict[str, Any],
    customer: Customer | None,
) -> tuple[dict[int, list[StoredValue]], list[AnswerError]]:
    """Cleans one page in question order: a question's display may depend on the one above."""
    cleaned: dict[int, list[StoredValue]] = {}
    errors: list[AnswerError] = []
    for question in (q for q in questions if q.page == page):
        answers.pop(question.key, None)
        if not flow.visible([question], page, answers, customer):
            continue
        try:
            values = clean_answer(question, raw.get(question.key))
        except AnswerError as error:
            errors.append(error)
            continue
        cleaned[question.pk] = values
        if values:
            answers[question.key] = logic_value(question.kind, values)
    return cleaned, errors
