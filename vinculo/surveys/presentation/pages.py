"""Questions and pages as localized, piped view models (see the package docstring)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.logic import Flow, holds, pipe
from vinculo.surveys.presentation.display import client_condition, refers_to
from vinculo.surveys.questions import SCORED, AnswerError, describe, scale_of

TEMPLATE_DIR = "surveys/respond/questions"
INPUT_TYPES = {K.SHORT_TEXT: "text", K.EMAIL: "email", K.PHONE: "tel", K.DATE: "date"}
AUTOCOMPLETE = {K.EMAIL: "email", K.PHONE: "tel"}


class QuestionRow(Protocol):
    """What presenting needs of a question: a ``Question`` row has all of it."""

    key: str
    kind: str
    page: int
    position: int
    required: bool
    text: dict[str, str]
    help_text: dict[str, str]
    options: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    settings: dict[str, Any]
    show_if: Any


@dataclass(frozen=True)
class Choice:
    """One control value: a scale point, an option, yes or no."""

    value: str
    label: str
    selected: bool = False


@dataclass(frozen=True)
class MatrixRow:
    """One statement of a matrix: its own radio group named ``<key>.<row code>``."""

    code: str
    label: str
    name: str
    cells: list[Choice]


@dataclass(frozen=True)
class RankPlace:
    """One place of a ranking (1 = first): a select named ``<key>.<place>``."""

    place: int
    name: str
    choices: list[Choice]


@dataclass(frozen=True)
class QuestionView:
    """One question as shown to one respondent, in their language, piped.

    ``template`` is the partial that draws its controls; ``error`` is the sentence naming
    the question when its last answer was refused; ``show_if`` is a JSON condition for
    the page's script when visibility depends on answers given on the same page.
    """

    key: str
    kind: str
    text: str
    help_text: str
    required: bool
    template: str
    choices: list[Choice] = field(default_factory=list)
    rows: list[MatrixRow] = field(default_factory=list)
    places: list[RankPlace] = field(default_factory=list)
    low_label: str = ""
    high_label: str = ""
    style: str = ""
    value: str = ""
    input_type: str = "text"
    max_length: int | None = None
    autocomplete: str = ""
    error: str = ""
    show_if: str = ""

    @property
    def dom_id(self) -> str:
        return f"q-{self.key}"

    @property
    def described_by(self) -> str:
        """The ids of the error and help paragraphs, for ``aria-describedby``."""
        error = f"q-{self.key}-error" if self.error else ""
        help_text = f"q-{self.key}-help" if self.help_text else ""
        return " ".join(i for i in (error, help_text) if i)


@dataclass(frozen=True)
class ErrorView:
    key: str
    message: str


@dataclass(frozen=True)
class PageView:
    """One page: its questions, where it sits on the respondent's path, what went wrong."""

    number: int
    position: int  # 1-based place on the path
    total: int  # pages on the path, as far as the answers so far tell
    questions: list[QuestionView]
    errors: list[ErrorView]

    @property
    def has_required(self) -> bool:
        return any(q.required for q in self.questions)

    @property
    def is_first(self) -> bool:
        return self.position <= 1

    @property
    def is_last(self) -> bool:
        return self.position >= self.total

    @property
    def percent(self) -> int:
        return round(100 * (self.position - 1) / self.total) if self.total else 0


def text_in(texts: Mapping[str, str] | None, language: str, fallback: str) -> str:
    """The text in ``language``, else in the survey's default, else any non-empty one."""
    if not texts:
        return ""
    return texts.get(language) or texts.get(fallback) or next((t for t in texts.values() if t), "")


def _label_of(options: Sequence[Mapping[str, Any]], code: Any, language: str, fb: str) -> str:
    for option in options:
        if str(option["code"]) == str(code):
            return text_in(option.get("label"), language, fb)
    return str(code)


def pipe_context(
    *,
    unit: Any,
    customer: Any,
    touchpoint: Any,
    answers: Mapping[str, Any],
    questions: Sequence[QuestionRow],
    language: str,
    fallback: str,
) -> dict[str, Any]:
    """The values ``{{name}}`` placeholders may use: where, who, and earlier answers.

    Choice answers are piped as their labels in the respondent's language, not as codes.
    """
    name = (getattr(customer, "name", "") or "").strip()
    context: dict[str, Any] = {
        "unit": getattr(unit, "name", ""),
        "store": getattr(unit, "name", ""),
        "customer_name": name,
        "first_name": name.split(" ")[0] if name else "",
        "touchpoint": getattr(touchpoint, "name", ""),
    }
    kinds = {q.key: q for q in questions}
    for key, value in answers.items():
        question = kinds.get(key)
        if question is None or isinstance(value, dict):
            continue
        if question.options and isinstance(value, list):
            value = ", ".join(_label_of(question.options, v, language, fallback) for v in value)
        elif question.options:
            value = _label_of(question.options, value, language, fallback)
        context[key] = value
    return context


def _scale_labels(question: QuestionRow, language: str, fallback: str) -> tuple[str, str]:
    custom_low = text_in(question.settings.get("low_label"), language, fallback)
    custom_high = text_in(question.settings.get("high_label"), language, fallback)
    defaults = {
        K.NPS: (_("Not at all likely"), _("Extremely likely")),
        K.ENPS: (_("Not at all likely"), _("Extremely likely")),
        K.CSAT: (_("Very dissatisfied"), _("Very satisfied")),
        K.CES: (_("Very difficult"), _("Very easy")),
    }
    low, high = defaults.get(K(question.kind), ("", ""))
    return custom_low or low, custom_high or high


def _choices(
    question: QuestionRow, value: Any, language: str, fallback: str
) -> tuple[list[Choice], str, str, str]:
    """Choices, the two end labels and the style of a question's controls."""
    chosen = value if isinstance(value, list) else [value]
    selected = {str(v) for v in chosen if v is not None}
    if question.kind in SCORED:
        low, high = scale_of(question.kind, question.settings)
        points = [Choice(str(n), str(n), str(n) in selected) for n in range(low, high + 1)]
        low_label, high_label = _scale_labels(question, language, fallback)
        style = str(question.settings.get("style", "stars")) if question.kind == K.RATING else ""
        return points, low_label, high_label, style or "numbers"
    if question.kind == K.YES_NO:
        yes_no = [("1", pgettext("answer", "Yes")), ("0", pgettext("answer", "No"))]
        return [Choice(v, label, v in selected) for v, label in yes_no], "", "", ""
    options = [
        Choice(
            str(o["code"]),
            text_in(o.get("label"), language, fallback),
            str(o["code"]) in selected,
        )
        for o in question.options
    ]
    return options, "", "", ""


def present_question(
    question: QuestionRow,
    *,
    language: str,
    fallback: str,
    context: Mapping[str, Any],
    raw: Any = None,
    error: AnswerError | None = None,
    show_if: str = "",
    autocomplete: str | None = None,
) -> QuestionView:
    """One question as ``QuestionView``; ``raw`` is its current value in form shape.

    ``error`` is the refusal of its last answer, turned here into a sentence naming the
    question; ``autocomplete`` overrides the kind's hint ("off" on shared devices).
    """
    text = pipe(text_in(question.text, language, fallback), context)
    choices, low_label, high_label, style = _choices(question, raw, language, fallback)
    rows: list[MatrixRow] = []
    places: list[RankPlace] = []
    if question.kind == K.MATRIX:
        cells = raw if isinstance(raw, dict) else {}
        for row in question.rows:
            code = str(row["code"])
            rows.append(
                MatrixRow(
                    code=code,
                    label=text_in(row.get("label"), language, fallback),
                    name=f"{question.key}.{code}",
                    cells=[Choice(c.value, c.label, c.value == cells.get(code)) for c in choices],
                )
            )
    if question.kind == K.RANKING:
        order = raw if isinstance(raw, list) else []
        for place in range(1, len(choices) + 1):
            current = order[place - 1] if place <= len(order) else None
            places.append(
                RankPlace(
                    place=place,
                    name=f"{question.key}.{place}",
                    choices=[Choice(c.value, c.label, c.value == current) for c in choices],
                )
            )
    limit = question.settings.get("max_length")
    if autocomplete is None:
        autocomplete = AUTOCOMPLETE.get(K(question.kind), "")
    return QuestionView(
        key=question.key,
        kind=question.kind,
        text=text,
        help_text=pipe(text_in(question.help_text, language, fallback), context),
        required=question.required,
        template=f"{TEMPLATE_DIR}/_{question.kind}.html",
        choices=choices,
        rows=rows,
        places=places,
        low_label=low_label,
        high_label=high_label,
        style=style,
        value=raw if isinstance(raw, str) else "",
        input_type=INPUT_TYPES.get(K(question.kind), "text"),
        max_length=int(limit) if isinstance(limit, int) else None,
        autocomplete=autocomplete,
        error=describe(error, text) if error else "",
        show_if=show_if,
    )


def present_page(
    *,
    questions: Sequence[QuestionRow],
    flow: Flow,
    page: int,
    path: Sequence[int],
    answers: Mapping[str, Any],
    customer: Any,
    raw: Mapping[str, Any],
    errors: Sequence[AnswerError],
    language: str,
    fallback: str,
    context: Mapping[str, Any],
    autocomplete: str | None = None,
) -> PageView:
    """The questions of ``page`` this respondent sees, with their values and errors.

    ``answers`` are the logic values of earlier pages; ``raw`` the form values to show
    (what was just typed, or what was stored when coming back). A question whose display
    depends on an answer on the same page is always drawn, with its condition for the
    page's script: without JavaScript the respondent simply sees it (and the server
    ignores its answer when the condition turns out false).
    """
    on_page = [q for q in questions if q.page == page]
    page_keys = {q.key for q in on_page}
    earlier = {k: v for k, v in answers.items() if k not in page_keys}
    by_key = {e.key: e for e in errors}
    views: list[QuestionView] = []
    for question in on_page:
        show_if = ""
        if question.show_if and refers_to(question.show_if, page_keys):
            partial = client_condition(question.show_if, page_keys, earlier, customer)
            show_if = json.dumps(partial, separators=(",", ":"))
        elif not holds(question.show_if, earlier, customer):
            continue
        views.append(
            present_question(
                question,
                language=language,
                fallback=fallback,
                context=context,
                raw=raw.get(question.key),
                error=by_key.get(question.key),
                show_if=show_if,
                autocomplete=autocomplete,
            )
        )
    position = path.index(page) + 1 if page in path else len(path) + 1
    return PageView(
        number=page,
        position=position,
        total=max(len(path), position),
        questions=views,
        errors=[ErrorView(v.key, v.error) for v in views if v.error],
    )
