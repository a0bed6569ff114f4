"""Display logic, skip logic and piping.

A condition is a small JSON tree, stored on a question (``show_if``) or in a skip rule::

    {"question": "nps", "op": "lte", "value": 6}           an earlier answer
    {"customer": "segment", "op": "eq", "value": "empresa"} the respondent's profile
    {"customer": "attributes.plan_family", "op": "in", "value": ["fibra", "movil"]}
    {"all": [...]}, {"any": [...]}, {"not": {...}}

Conditions on customer fields are false for anonymous respondents (no profile to read).
Every survey path (page, widget, agent entry, API) walks the same ``page_flow``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b or (isinstance(a, list) and a == [b]),
    "ne": lambda a, b: not (a == b or (isinstance(a, list) and a == [b])),
    "lt": lambda a, b: _num(a) is not None and _num(a) < b,
    "lte": lambda a, b: _num(a) is not None and _num(a) <= b,
    "gt": lambda a, b: _num(a) is not None and _num(a) > b,
    "gte": lambda a, b: _num(a) is not None and _num(a) >= b,
    "in": lambda a, b: (a[0] if isinstance(a, list) and len(a) == 1 else a) in b,
    "not_in": lambda a, b: (a[0] if isinstance(a, list) and len(a) == 1 else a) not in b,
    "contains": lambda a, b: isinstance(a, list | str) and b in a,
    "answered": lambda a, b: a is not None,
    "not_answered": lambda a, b: a is None,
}
UNARY = {"answered", "not_answered"}
CUSTOMER_FIELDS = {"segment", "plan", "value_tier", "lifecycle_stage", "language"}
PIPE = re.compile(r"\{\{\s*([a-z_][a-z0-9_.]*)\s*\}\}")


class QuestionLike(Protocol):
    key: str
    page: int
    position: int
    show_if: Any


class InvalidCondition(ValueError):
    """A condition the builder must refuse; ``args[0]`` says what is wrong, in English."""


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return value
    return None


def customer_value(customer: Any, name: str) -> Any:
    if customer is None:
        return None
    if name.startswith("attributes."):
        return (customer.attributes or {}).get(name.removeprefix("attributes."))
    return getattr(customer, name, None) or None


def holds(condition: Mapping[str, Any] | None, answers: Mapping[str, Any], customer: Any) -> bool:
    """Whether a condition is true for these answers (key → value) and this customer."""
    if not condition:
        return True
    if "all" in condition:
        return all(holds(part, answers, customer) for part in condition["all"])
    if "any" in condition:
        return any(holds(part, answers, customer) for part in condition["any"])
    if "not" in condition:
        return not holds(condition["not"], answers, customer)
    if "question" in condition:
        actual = answers.get(condition["question"])
    else:
        if customer is None:
            return False
        actual = customer_value(customer, condition["customer"])
    op = condition["op"]
    if actual is None and op not in UNARY:
        return False
    return OPS[op](actual, condition.get("value"))


def check_condition(condition: Any, earlier_keys: Iterable[str], where: str) -> None:
    """Raises ``InvalidCondition`` unless the condition is well formed and only looks back."""
    earlier = set(earlier_keys)
    if not isinstance(condition, Mapping):
        raise InvalidCondition(f"{where}: a condition must be an object")
    for combinator in ("all", "any"):
        if combinator in condition:
            parts = condition[combinator]
            if not isinstance(parts, list) or not parts:
                raise InvalidCondition(f"{where}: '{combinator}' needs a list of conditions")
            for part in parts:
                check_condition(part, earlier, where)
            return
    if "not" in condition:
        check_condition(condition["not"], earlier, where)
        return
    op = condition.get("op")
    if op not in OPS:
        raise InvalidCondition(f"{where}: unknown operator {op!r}")
    if op not in UNARY and "value" not in condition:
        raise InvalidCondition(f"{where}: operator {op!r} needs a value")
    if op in ("in", "not_in") and not isinstance(condition.get("value"), list):
        raise InvalidCondition(f"{where}: operator {op!r} needs a list value")
    if "question" in condition:
        if condition["question"] not in earlier:
            raise InvalidCondition(
                f"{where}: condition on {condition['question']!r}, which is not an earlier question"
            )
    elif "customer" in condition:
        name = str(condition["customer"])
        if name not in CUSTOMER_FIELDS and not name.startswith("attributes."):
            raise InvalidCondition(f"{where}: unknown customer field {name!r}")
    else:
        raise InvalidCondition(f"{where}: a condition names a 'question' or a 'customer' field")


@dataclass(frozen=True)
class Flow:
    """Where a respondent is: the pages they will see, given what they answered so far."""

    pages: list[int]  # the survey's pages, in order
    skip_rules: Sequence[Mapping[str, Any]]

    def visible(
        self,
        questions: Sequence[QuestionLike],
        page: int,
        answers: Mapping[str, Any],
        customer: Any,
    ) -> list[QuestionLike]:
        return [q for q in questions if q.page == page and holds(q.show_if, answers, customer)]

    def next_page(
        self,
        questions: Sequence[QuestionLike],
        after: int,
        answers: Mapping[str, Any],
        customer: Any,
    ) -> int | None:
        """The page after ``after`` (0 = before the first), or None at the end."""
        target: int | None = None
        for rule in self.skip_rules:
            if rule.get("after_page") == after and holds(rule.get("when"), answers, customer):
                if rule.get("goto") == "end":
                    return None
                target = int(rule["goto"])
                break
        for page in self.pages:
            if page <= after or (target is not None and page < target):
                continue
            if self.visible(questions, page, answers, customer):
                return page
        return None

    def path(
        self, questions: Sequence[QuestionLike], answers: Mapping[str, Any], customer: Any
    ) -> list[int]:
        """Every page this respondent sees, given all their answers."""
        seen: list[int] = []
        page = self.next_page(questions, 0, answers, customer)
        while page is not None:
            seen.append(page)
            page = self.next_page(questions, page, answers, customer)
        return seen


def flow_for(questions: Sequence[QuestionLike], skip_rules: Sequence[Mapping[str, Any]]) -> Flow:
    return Flow(pages=sorted({q.page for q in questions}), skip_rules=skip_rules)


def pipe(text: str, context: Mapping[str, Any]) -> str:
    """Fills ``{{store}}``-style placeholders; unknown names become empty, never an error.

    The result is plain text: templates escape it like any other value.
    """
    return PIPE.sub(lambda match: str(context.get(match.group(1), "") or ""), text)
