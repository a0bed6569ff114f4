"""Compound fields of the builder's forms: conditions (display and skip logic) and option
lists typed one per line.

A condition is typed as question-or-customer-field + operator + value, or as JSON for
compound ones; values are typed as the compared answer is stored (numbers for scores and
yes/no, text otherwise), so ``{"question": "nps", "op": "lte", "value": 6}`` compares numbers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from vinculo.customers.models import Customer
from vinculo.surveys.choices import QuestionKind as K
from vinculo.surveys.definition import CODE_PATTERN, OptionDef, QuestionDef, SurveyDefinition
from vinculo.surveys.logic import CUSTOMER_FIELDS, UNARY
from vinculo.surveys.questions import SCORED

LANGUAGE_NAMES: dict[str, Any] = dict(settings.LANGUAGES)
NUMERIC_KINDS = SCORED | {K.YES_NO, K.CONSENT}
OPERATORS = [
    ("eq", _("is")),
    ("ne", _("is not")),
    ("lt", _("is less than")),
    ("lte", _("is at most")),
    ("gt", _("is more than")),
    ("gte", _("is at least")),
    ("in", _("is one of (separate with commas)")),
    ("not_in", _("is none of (separate with commas)")),
    ("contains", _("contains")),
    ("answered", _("is answered")),
    ("not_answered", _("is not answered")),
]
_YES, _NO = {"1", "si", "sí", "yes", "true"}, {"0", "no", "false"}


def condition_fields(subjects: list[tuple[str, Any]]) -> dict[str, forms.Field]:
    """The simple condition form: question or customer field + operator + value."""
    return {
        "cond_subject": forms.ChoiceField(
            label=_("Condition on"), choices=[("", _("— always —")), *subjects], required=False
        ),
        "cond_attribute": forms.CharField(
            label=_("Customer attribute"),
            required=False,
            max_length=80,
            help_text=_("Only for “customer attribute”: its name, e.g. plan_family."),
        ),
        "cond_op": forms.ChoiceField(label=_("Operator"), choices=OPERATORS, required=False),
        "cond_value": forms.CharField(label=_("Value"), required=False, max_length=500),
        "cond_json": forms.CharField(
            label=_("Advanced (JSON)"),
            required=False,
            max_length=5000,
            widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
            help_text=_(
                'For compound conditions, e.g. {"any": [{"question": "nps", "op": "lte", '
                '"value": 6}, {"customer": "segment", "op": "eq", "value": "empresa"}]}. '
                "When filled, it replaces the simple condition."
            ),
        ),
    }


def _customer_field_label(name: str) -> str:
    return str(getattr(Customer._meta.get_field(name), "verbose_name", name))


def condition_subjects(questions: list[QuestionDef]) -> list[tuple[str, Any]]:
    """Choices of what a condition looks at: earlier questions, then customer fields."""
    return [
        *((f"q:{q.key}", _("Answer to “%(key)s”") % {"key": q.key}) for q in questions),
        *(
            (f"c:{name}", _("Customer: %(field)s") % {"field": _customer_field_label(name)})
            for name in sorted(CUSTOMER_FIELDS)
        ),
        ("c:attributes", _("Customer attribute…")),
    ]


def condition_initial(condition: dict[str, Any] | None) -> dict[str, Any]:
    """The simple fields for a one-part condition; anything compound goes to the JSON box."""
    if not condition:
        return {}
    simple = set(condition) <= {"question", "customer", "op", "value"}
    if not simple:
        return {"cond_json": json.dumps(condition, ensure_ascii=False)}
    value = condition.get("value", "")
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if "question" in condition:
        subject, attribute = f"q:{condition['question']}", ""
    elif str(condition["customer"]).startswith("attributes."):
        subject, attribute = "c:attributes", str(condition["customer"]).removeprefix("attributes.")
    else:
        subject, attribute = f"c:{condition['customer']}", ""
    return {
        "cond_subject": subject,
        "cond_attribute": attribute,
        "cond_op": condition["op"],
        "cond_value": text,
    }


def _typed(raw: str, numeric: bool) -> Any:
    text = raw.strip()
    if numeric:
        if text.lower() in _YES | _NO:
            return 1 if text.lower() in _YES else 0
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        raise forms.ValidationError(_("“%(value)s” is not a whole number.") % {"value": text})
    return text


def read_condition(form: forms.Form, kinds: Mapping[str, str]) -> dict[str, Any] | None:
    """The condition the form describes, or None; errors are added to the form."""
    data = form.cleaned_data
    if data.get("cond_json", "").strip():
        try:
            parsed = json.loads(data["cond_json"])
        except ValueError as exc:
            form.add_error("cond_json", _("This is not valid JSON: %(error)s") % {"error": exc})
            return None
        if not isinstance(parsed, dict):
            form.add_error("cond_json", _("A condition is a JSON object: {…}."))
            return None
        return parsed
    subject, op = data.get("cond_subject", ""), data.get("cond_op") or "eq"
    if not subject:
        return None
    kind, name = subject.split(":", 1)
    if kind == "c" and name == "attributes":
        attribute = data.get("cond_attribute", "").strip()
        if not re.fullmatch(r"[A-Za-z0-9_]{1,80}", attribute):
            form.add_error("cond_attribute", _("Name the customer attribute (letters, digits, _)."))
            return None
        name = f"attributes.{attribute}"
    condition: dict[str, Any] = {"question" if kind == "q" else "customer": name, "op": op}
    if op in UNARY:
        return condition
    numeric = (kind == "q" and kinds.get(name) in NUMERIC_KINDS) or op in ("lt", "lte", "gt", "gte")
    raw = data.get("cond_value", "")
    try:
        if op in ("in", "not_in"):
            condition["value"] = [_typed(part, numeric) for part in raw.split(",") if part.strip()]
        else:
            condition["value"] = _typed(raw, numeric)
    except forms.ValidationError as error:
        form.add_error("cond_value", error)
        return None
    return condition


def options_text(items: list[OptionDef], languages: list[str]) -> str:
    return "\n".join(
        " | ".join([item.code, *(item.label.get(lang, "") for lang in languages)]) for item in items
    )


def parse_options(text: str, languages: list[str]) -> list[dict[str, Any]]:
    """``code | Español | English`` lines as option dicts; errors name the line."""
    items = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) < 2:
            example = " | ".join(
                ["code", *(str(LANGUAGE_NAMES.get(lang, lang)) for lang in languages)]
            )
            raise forms.ValidationError(
                _("Line %(line)s: write it as “%(example)s”.")
                % {"line": number, "example": example}
            )
        if not re.fullmatch(CODE_PATTERN, parts[0]):
            raise forms.ValidationError(
                _(
                    "Line %(line)s: the code “%(code)s” may only have letters, digits, "
                    "“_”, “.” and “-”."
                )
                % {"line": number, "code": parts[0]}
            )
        labels = {lang: label for lang, label in zip(languages, parts[1:], strict=False) if label}
        items.append({"code": parts[0], "label": labels})
    return items


def with_languages(definition: SurveyDefinition, source: str, added: list[str]) -> SurveyDefinition:
    """The definition with every text of ``source`` copied into the ``added`` languages.

    Adding a language would otherwise leave every text missing in it, and no single edit
    could be saved until all were translated; the copies are a starting point to translate.
    """

    def filled(texts: dict[str, str]) -> dict[str, str]:
        base = texts.get(source, "")
        return {**texts, **{lang: base for lang in added if base and not texts.get(lang)}}

    data = definition.model_dump()
    for part in ("title", "intro", "thank_you"):
        data[part] = filled(data[part])
    for question in data["questions"]:
        question["text"], question["help_text"] = (
            filled(question["text"]),
            filled(question["help_text"]),
        )
        for item in (*question["options"], *question["rows"]):
            item["label"] = filled(item["label"])
    return SurveyDefinition.model_validate(data)


def condition_text(condition: Mapping[str, Any] | None) -> str:
    """A one-line reading of a condition, e.g. “nps is at most 6”; compound ones as JSON."""
    if not condition:
        return ""
    if not set(condition) <= {"question", "customer", "op", "value"}:
        return json.dumps(condition, ensure_ascii=False)
    subject = condition.get("question") or _("customer %(field)s") % {
        "field": condition.get("customer")
    }
    op = str(dict(OPERATORS).get(condition.get("op", ""), condition.get("op", "")))
    op = op.split(" (")[0]  # "is one of (separate with commas)" reads "is one of"
    value = condition.get("value", "")
    shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return f"{subject} {op} {shown}".strip()
