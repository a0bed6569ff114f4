"""The survey definition: the JSON document the builder page and the API both save.

Pydantic checks each field's shape; ``check_definition`` then checks what only the
whole document can tell (unique keys, options where the kind needs them, logic that only
looks back, a text in every language of the survey). Errors name the place, e.g.
``questions[2].options``, so the builder can put the message next to the field.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.logic import InvalidCondition, check_condition
from vinculo.surveys.questions import CHOICE_KINDS

Texts = dict[str, str]
KEY_PATTERN = r"^[a-z][a-z0-9_]{0,39}$"
CODE_PATTERN = r"^[A-Za-z0-9_.-]{1,40}$"


class OptionDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str = Field(pattern=CODE_PATTERN)
    label: Texts


class QuestionDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    key: str = Field(pattern=KEY_PATTERN, description="Stable across versions, e.g. 'nps'.")
    kind: K
    page: int = Field(1, ge=1, le=50)
    required: bool = False
    text: Texts
    help_text: Texts = Field(default_factory=dict)
    options: list[OptionDef] = Field(default_factory=list, max_length=100)
    rows: list[OptionDef] = Field(default_factory=list, max_length=50)
    settings: dict[str, Any] = Field(default_factory=dict)
    show_if: dict[str, Any] | None = None


class SkipRuleDef(BaseModel):
    model_config = ConfigDict(extra="forbid")
    after_page: int = Field(ge=1)
    when: dict[str, Any]
    goto: int | Literal["end"]


class SurveyDefinition(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Texts
    intro: Texts = Field(default_factory=dict)
    thank_you: Texts = Field(default_factory=dict)
    questions: list[QuestionDef] = Field(default_factory=list, max_length=200)
    skip_rules: list[SkipRuleDef] = Field(default_factory=list, max_length=100)


class DefinitionError(ValueError):
    """Where the definition is wrong (``field``) and why (``message``, in English)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def check_definition(definition: SurveyDefinition, languages: list[str]) -> None:
    """Raises ``DefinitionError`` for the first problem found."""
    _check_texts("title", definition.title, languages)
    seen: list[str] = []
    last_page = 0
    for index, question in enumerate(definition.questions):
        where = f"questions[{index}]"
        if question.key in seen:
            raise DefinitionError(f"{where}.key", f"key {question.key!r} is used twice")
        if question.page < last_page:
            raise DefinitionError(f"{where}.page", "questions must be in page order")
        _check_texts(f"{where}.text", question.text, languages)
        _check_question(where, question, languages)
        if question.show_if is not None:
            try:
                check_condition(question.show_if, seen, f"{where}.show_if")
            except InvalidCondition as exc:
                raise DefinitionError(f"{where}.show_if", str(exc)) from None
        seen.append(question.key)
        last_page = question.page
    pages = {q.page for q in definition.questions}
    for index, rule in enumerate(definition.skip_rules):
        where = f"skip_rules[{index}]"
        if rule.after_page not in pages:
            raise DefinitionError(f"{where}.after_page", f"there is no page {rule.after_page}")
        if rule.goto != "end" and (rule.goto <= rule.after_page or rule.goto not in pages):
            raise DefinitionError(f"{where}.goto", "skips go forward, to an existing page")
        earlier = [q.key for q in definition.questions if q.page <= rule.after_page]
        try:
            check_condition(rule.when, earlier, f"{where}.when")
        except InvalidCondition as exc:
            raise DefinitionError(f"{where}.when", str(exc)) from None


def _check_texts(where: str, texts: Texts, languages: list[str]) -> None:
    missing = [lang for lang in languages if not texts.get(lang, "").strip()]
    if missing:
        raise DefinitionError(where, f"missing text in {', '.join(missing)}")


def _check_question(where: str, question: QuestionDef, languages: list[str]) -> None:
    needs_options = question.kind in CHOICE_KINDS or question.kind == K.MATRIX
    if needs_options and len(question.options) < 2:
        raise DefinitionError(f"{where}.options", "this kind needs at least two options")
    if not needs_options and question.options:
        raise DefinitionError(f"{where}.options", "this kind has no options")
    if question.kind == K.MATRIX and not question.rows:
        raise DefinitionError(f"{where}.rows", "a matrix needs at least one statement")
    if question.kind != K.MATRIX and question.rows:
        raise DefinitionError(f"{where}.rows", "only a matrix has statements")
    for field_name, items in (("options", question.options), ("rows", question.rows)):
        codes = [item.code for item in items]
        if len(set(codes)) != len(codes):
            raise DefinitionError(f"{where}.{field_name}", "codes must be unique")
        for position, item in enumerate(items):
            _check_texts(f"{where}.{field_name}[{position}].label", item.label, languages)
    if question.kind == K.RATING:
        low, high = question.settings.get("min", 1), question.settings.get("max", 5)
        if not (isinstance(low, int) and isinstance(high, int) and 0 <= low < high <= 10):
            raise DefinitionError(f"{where}.settings", "a rating goes from min to max within 0-10")
        if question.settings.get("style", "stars") not in ("stars", "numbers"):
            raise DefinitionError(f"{where}.settings", "style is 'stars' or 'numbers'")
    if question.kind == K.CONSENT and question.settings.get("channel") not in (
        None,
        "email",
        "sms",
        "phone",
        "whatsapp",
        "post",
        "surveys",
    ):
        raise DefinitionError(f"{where}.settings", "unknown consent channel")
