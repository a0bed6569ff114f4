"""Between HTML forms and answers: read a submitted page, and show stored answers again.

The field names are the contract of the partials under ``surveys/respond/questions/``
(see the package docstring): ``read_form`` is their only reader.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import QueryDict

from vinculo.surveys.answers import logic_value
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.presentation.pages import QuestionRow
from vinculo.surveys.questions import AnswerError, clean_answer


def form_value(kind: str, value: Any) -> Any:
    """A stored answer (as ``answers.stored_answers`` gives it) back in form shape."""
    if value is None:
        return None
    if kind == K.MATRIX and isinstance(value, dict):
        return {str(row): str(code) for row, code in value.items()}
    if isinstance(value, list):
        return [str(item) for item in value]
    return str(value)


def read_form(questions: Sequence[QuestionRow], data: QueryDict) -> dict[str, Any]:
    """The raw answers of ``questions`` from a submitted form (see the module docstring)."""
    raw: dict[str, Any] = {}
    for question in questions:
        key = question.key
        if question.kind == K.MULTIPLE_CHOICE:
            raw[key] = [v for v in data.getlist(key) if v != ""]
        elif question.kind == K.MATRIX:
            raw[key] = {
                str(row["code"]): data.get(f"{key}.{row['code']}", "") for row in question.rows
            }
        elif question.kind == K.RANKING:
            places = range(1, len(question.options) + 1)
            raw[key] = [v for v in (data.get(f"{key}.{place}", "") for place in places) if v]
        elif key in data:
            raw[key] = data.get(key, "")
    return raw


def page_values(questions: Sequence[QuestionRow], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The logic values of whatever answers on a page are valid, ignoring the rest.

    Used to pipe and to decide display on a page shown again with errors.
    """
    values: dict[str, Any] = {}
    for question in questions:
        try:
            stored = clean_answer(question, raw.get(question.key))
        except AnswerError:
            continue
        if stored:
            values[question.key] = logic_value(question.kind, stored)
    return values
