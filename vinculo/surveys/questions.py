"""What each question kind accepts and how its answer is stored.

Every way in (the response page, the widget, agent entry, the API) hands raw values to
``clean_answer``: a form sends strings, JSON sends numbers and lists; both come out as the
same typed ``StoredValue`` rows, or as an ``AnswerError`` naming the question.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from vinculo.customers.identities import InvalidIdentity, normalize_email, normalize_phone
from vinculo.surveys.choices import QuestionKind as K

# Fixed scales of the standard CX measures: (min, max).
SCALES: dict[str, tuple[int, int]] = {
    K.NPS: (0, 10),
    K.ENPS: (0, 10),
    K.CSAT: (1, 5),
    K.CES: (1, 7),
}
SCORED = frozenset(SCALES) | {K.RATING}
CHOICE_KINDS = frozenset({K.SINGLE_CHOICE, K.MULTIPLE_CHOICE, K.DROPDOWN, K.RANKING})
TEXT_KINDS = frozenset({K.SHORT_TEXT, K.LONG_TEXT, K.EMAIL, K.PHONE})
TEXT_LIMITS = {K.SHORT_TEXT: 300, K.LONG_TEXT: 5000, K.EMAIL: 254, K.PHONE: 40}
_INTEGER = re.compile(r"^[+-]?\d{1,6}$")
_YES = {"1", "true", "yes", "si", "sí", "on"}
_NO = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class StoredValue:
    """One row of ``Answer``; a matrix gives one per statement."""

    row: str = ""
    number: int | None = None
    text: str = ""
    choices: list[str] | None = None
    date: dt.date | None = None


@dataclass(frozen=True)
class AnswerError(Exception):
    """A rejected answer: which question, why (a code), and the values the message needs."""

    key: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


def scale_of(kind: str, settings: Mapping[str, Any]) -> tuple[int, int]:
    """The (min, max) of a scored question: fixed for NPS/CSAT/CES/eNPS, set for ratings."""
    if kind in SCALES:
        return SCALES[kind]
    return int(settings.get("min", 1)), int(settings.get("max", 5))


def is_empty(raw: Any) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() == ""
    if isinstance(raw, list | tuple | dict):
        return all(is_empty(item) for item in (raw.values() if isinstance(raw, dict) else raw))
    return False


def clean_answer(question: Any, raw: Any) -> list[StoredValue]:
    """Typed rows for one question's raw answer; [] when unanswered (and allowed to be).

    ``question`` is a ``Question`` or any object with the same attributes (key, kind,
    required, options, rows, settings).
    """
    key, kind = question.key, question.kind
    if is_empty(raw) or (kind == K.CONSENT and _as_bool(key, raw) is False):
        if question.required:
            raise AnswerError(key, "required")
        return []
    if kind in SCORED:
        low, high = scale_of(kind, question.settings)
        return [StoredValue(number=_as_int_in(key, raw, low, high))]
    if kind in (K.SINGLE_CHOICE, K.DROPDOWN):
        return [StoredValue(choices=[_as_code(key, raw, question.options)])]
    if kind == K.MULTIPLE_CHOICE:
        return [StoredValue(choices=_multiple(question, raw))]
    if kind == K.RANKING:
        return [StoredValue(choices=_ranking(question, raw))]
    if kind in (K.YES_NO, K.CONSENT):
        return [StoredValue(number=1 if _as_bool(key, raw) else 0)]
    if kind in TEXT_KINDS:
        return [StoredValue(text=_text(question, raw))]
    if kind == K.DATE:
        return [StoredValue(date=_as_date(key, raw))]
    if kind == K.MATRIX:
        return _matrix(question, raw)
    raise AnswerError(key, "unknown_kind")


def option_codes(options: list[Mapping[str, Any]]) -> list[str]:
    return [str(option["code"]) for option in options]


def _as_int_in(key: str, raw: Any, low: int, high: int) -> int:
    if isinstance(raw, bool):
        raise AnswerError(key, "not_a_number")
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and _INTEGER.match(raw.strip()):
        raw = int(raw.strip())
    if not isinstance(raw, int):
        raise AnswerError(key, "not_a_number")
    if not low <= raw <= high:
        raise AnswerError(key, "out_of_range", {"min": low, "max": high, "value": raw})
    return raw


def _as_code(key: str, raw: Any, options: list[Mapping[str, Any]]) -> str:
    code = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else None
    if code is None or code not in option_codes(options):
        raise AnswerError(key, "unknown_option", {"value": str(raw)[:40]})
    return code


def _as_list(key: str, raw: Any) -> list[Any]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list | tuple):
        return list(raw)
    raise AnswerError(key, "not_a_list")


def _multiple(question: Any, raw: Any) -> list[str]:
    codes = [_as_code(question.key, item, question.options) for item in _as_list(question.key, raw)]
    unique = list(dict.fromkeys(codes))
    limit = question.settings.get("max_choices")
    if limit and len(unique) > int(limit):
        raise AnswerError(question.key, "too_many_choices", {"max": int(limit)})
    return unique


def _ranking(question: Any, raw: Any) -> list[str]:
    codes = [_as_code(question.key, item, question.options) for item in _as_list(question.key, raw)]
    if sorted(codes) != sorted(option_codes(question.options)):
        raise AnswerError(question.key, "incomplete_ranking")
    return codes


def _as_bool(key: str, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int) and raw in (0, 1):
        return bool(raw)
    text = str(raw).strip().lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise AnswerError(key, "not_yes_no")


def _text(question: Any, raw: Any) -> str:
    if not isinstance(raw, str):
        raise AnswerError(question.key, "not_text")
    text = raw.strip()
    limit = int(question.settings.get("max_length", TEXT_LIMITS[question.kind]))
    if len(text) > limit:
        raise AnswerError(question.key, "too_long", {"max": limit})
    if question.kind == K.EMAIL:
        try:
            validate_email(text)
            return normalize_email(text)
        except (ValidationError, InvalidIdentity):
            raise AnswerError(question.key, "invalid_email") from None
    if question.kind == K.PHONE:
        try:
            return normalize_phone(text)
        except InvalidIdentity:
            raise AnswerError(question.key, "invalid_phone") from None
    return text


def _as_date(key: str, raw: Any) -> dt.date:
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise AnswerError(key, "invalid_date") from None


def _matrix(question: Any, raw: Any) -> list[StoredValue]:
    if not isinstance(raw, Mapping):
        raise AnswerError(question.key, "not_a_matrix")
    rows = option_codes(question.rows)
    unknown = set(map(str, raw)) - set(rows)
    if unknown:
        raise AnswerError(question.key, "unknown_row", {"value": sorted(unknown)[0][:40]})
    scale = option_codes(question.options)
    values = []
    for position, row in enumerate(rows):
        cell = raw.get(row)
        if is_empty(cell):
            if question.required:
                raise AnswerError(question.key, "matrix_row_missing", {"row": position + 1})
            continue
        code = _as_code(question.key, cell, question.options)
        values.append(StoredValue(row=row, number=scale.index(code) + 1, choices=[code]))
    return values


def describe(error: AnswerError, question_text: str) -> str:
    """The respondent-facing sentence for an error, naming the question."""
    params = {**error.params, "question": question_text}
    messages = {
        "required": _("“%(question)s” needs an answer."),
        "not_a_number": _("“%(question)s”: choose a number."),
        "out_of_range": _("“%(question)s”: choose a value from %(min)s to %(max)s."),
        "unknown_option": _("“%(question)s”: “%(value)s” is not one of the options."),
        "not_a_list": _("“%(question)s”: choose one or more options."),
        "too_many_choices": _("“%(question)s”: choose at most %(max)s options."),
        "incomplete_ranking": _("“%(question)s”: put every option in order."),
        "not_yes_no": _("“%(question)s”: answer yes or no."),
        "not_text": _("“%(question)s”: write your answer as text."),
        "too_long": _("“%(question)s”: use at most %(max)s characters."),
        "invalid_email": _("“%(question)s”: this is not a valid e-mail address."),
        "invalid_phone": _("“%(question)s”: this is not a valid phone number."),
        "invalid_date": _("“%(question)s”: enter a date as YYYY-MM-DD."),
        "not_a_matrix": _("“%(question)s”: answer each statement."),
        "unknown_row": _("“%(question)s”: “%(value)s” is not one of the statements."),
        "matrix_row_missing": _("“%(question)s”: statement %(row)s needs an answer."),
        "unknown_question": _("“%(question)s” is not a question of this survey."),
    }
    template = messages.get(error.code, _("“%(question)s”: this answer is not valid."))
    return template % params
