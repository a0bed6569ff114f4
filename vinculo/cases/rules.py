"""Alert rules' conditions: which fields each kind of event has, checking a rule's
conditions (errors name the condition by number and field), and matching them against
the facts of one event (``rules_eval`` builds the facts and writes what matched).

A condition is ``{"field": ..., "op": ..., "value": ...}``; a rule's conditions are ANDed.
Repeats ("at least 3 complaints in 7 days by the same customer") are
``{"field": "repeat:complaint", "op": "gte", "value": 3, "days": 7}``. A fact the event
does not have (a response with no NPS question, a text on no customer) fails every
condition on it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vinculo.cases.rule_choices import RuleEvent
from vinculo.customers.choices import LifecycleStage, ValueTier
from vinculo.feedback.choices import Source
from vinculo.journeys.models import Channel, InteractionType
from vinculo.textan.choices import Emotion, Language, Sentiment
from vinculo.textan.models import Topic

NUMBER, CHOICE, TOPICS, ANSWER, REPEAT = "number", "choice", "topics", "answer", "repeat"
OPS: dict[str, Any] = {
    "eq": gettext_lazy("is"),
    "ne": gettext_lazy("is not"),
    "lt": gettext_lazy("is below"),
    "lte": gettext_lazy("is at most"),
    "gt": gettext_lazy("is above"),
    "gte": gettext_lazy("is at least"),
    "in": gettext_lazy("is one of"),
    "not_in": gettext_lazy("is none of"),
    "has": gettext_lazy("includes"),
    "lacks": gettext_lazy("does not include"),
}
OPS_OF = {
    NUMBER: ("eq", "ne", "lt", "lte", "gt", "gte"),
    CHOICE: ("eq", "ne", "in", "not_in"),
    TOPICS: ("has", "lacks"),
    ANSWER: ("eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in", "has", "lacks"),
    REPEAT: ("gte",),
}
MAX_REPEAT_DAYS = 365


@dataclass(frozen=True)
class Field:
    name: str
    kind: str
    label: Any
    choices: Callable[[], Iterable[str]] | None = None  # allowed values of a choice field


def _codes(model: Any) -> Callable[[], list[str]]:
    return lambda: list(model.objects.values_list("code", flat=True))


CONTEXT = (
    Field("channel", CHOICE, gettext_lazy("Channel (code)"), _codes(Channel)),
    Field(
        "interaction_type", CHOICE, gettext_lazy("Interaction type (code)"), _codes(InteractionType)
    ),
    Field("touchpoint", CHOICE, gettext_lazy("Touchpoint (id)")),
    Field("value_tier", CHOICE, gettext_lazy("Customer value tier"), lambda: ValueTier.values),
    Field(
        "lifecycle_stage",
        CHOICE,
        gettext_lazy("Customer lifecycle stage"),
        lambda: LifecycleStage.values,
    ),
    Field("segment", CHOICE, gettext_lazy("Customer segment")),
)
OWN: dict[str, tuple[Field, ...]] = {
    RuleEvent.RESPONSE: (
        Field("nps", NUMBER, gettext_lazy("NPS (0-10)")),
        Field("csat", NUMBER, gettext_lazy("CSAT (1-5)")),
        Field("ces", NUMBER, gettext_lazy("Effort (1-7)")),
    ),
    RuleEvent.TEXT: (
        Field("sentiment", CHOICE, gettext_lazy("Sentiment"), lambda: Sentiment.values),
        Field("score", NUMBER, gettext_lazy("Sentiment score (-1 to 1)")),
        Field("language", CHOICE, gettext_lazy("Language"), lambda: Language.values),
        Field("topic", TOPICS, gettext_lazy("Topic (id; its subtopics count)")),
    ),
    RuleEvent.FEEDBACK: (
        Field("rating", NUMBER, gettext_lazy("Rating")),
        Field("source", CHOICE, gettext_lazy("Source"), lambda: Source.values),
    ),
    RuleEvent.INTERACTION: (),
}
# Fields named with a suffix: answer:<question key>, emotion:<name>, repeat:<type code>.
PREFIXED = {
    RuleEvent.RESPONSE: {"answer": ANSWER},
    RuleEvent.TEXT: {"emotion": NUMBER},
    RuleEvent.INTERACTION: {"repeat": REPEAT},
}


def fields_of(event: str) -> dict[str, Field]:
    return {f.name: f for f in (*OWN[RuleEvent(event)], *CONTEXT)}


def field_choices(event: str) -> list[tuple[str, str]]:
    """(field, label) for the rule form's rows: the plain fields, each emotion, each
    interaction type's repeat; ``answer:<key>`` is typed in by hand."""
    rows = [(f.name, str(f.label)) for f in fields_of(event).values()]
    if event == RuleEvent.TEXT:
        rows += [(f"emotion:{e.value}", _("Emotion: %s") % e.label) for e in Emotion]
    if event == RuleEvent.INTERACTION:
        for code, name in InteractionType.objects.values_list("code", "name"):
            rows.append((f"repeat:{code}", _("Interactions of type %s by the customer") % name))
    return rows


def _kind(event: str, name: str) -> tuple[str | None, Field | None]:
    field = fields_of(event).get(name)
    if field is not None:
        return field.kind, field
    prefix, _sep, rest = name.partition(":")
    kind = PREFIXED.get(RuleEvent(event), {}).get(prefix)
    return (kind if rest else None), None


def check_conditions(
    event: str, conditions: Any, only: Iterable[str] | None = None
) -> tuple[list[dict[str, Any]], list[str]]:
    """The conditions, cleaned (values typed, lists split), and the problems found, each
    naming its condition ("Condition 2 (nps): ..."); ``only`` limits the fields allowed."""
    if not isinstance(conditions, list):
        return [], [_("Conditions must be a list.")]
    allowed = frozenset(only) if only is not None else None
    cleaned, errors = [], []
    for index, raw in enumerate(conditions, start=1):
        raw = raw if isinstance(raw, Mapping) else {}
        name = str(raw.get("field", "")).strip()
        try:
            if allowed is not None and name not in allowed:
                raise ValueError(_("use one of these fields: %s.") % ", ".join(sorted(allowed)))
            cleaned.append(_clean(event, name, raw))
        except ValueError as problem:
            errors.append(
                _("Condition %(index)s (%(field)s): %(problem)s")
                % {"index": index, "field": name or "?", "problem": problem}
            )
    return cleaned, errors


def _clean(event: str, name: str, raw: Mapping[str, Any]) -> dict[str, Any]:
    kind, field = _kind(event, name)
    if kind is None:
        raise ValueError(_("this field does not exist for this kind of event."))
    op = str(raw.get("op", "")).strip()
    if op not in OPS_OF[kind]:
        allowed = ", ".join(OPS_OF[kind])
        raise ValueError(_("choose one of these operators: %s.") % allowed)
    value = raw.get("value")
    _check_suffix(name)
    if kind == REPEAT:
        days = _integer(raw.get("days"), 1, MAX_REPEAT_DAYS, _("the days"))
        return {
            "field": name,
            "op": op,
            "value": _integer(value, 1, 1000, _("the count")),
            "days": days,
        }
    if op in ("in", "not_in"):
        items = value.split(",") if isinstance(value, str) else value
        if not isinstance(items, list) or not [str(v).strip() for v in items if str(v).strip()]:
            raise ValueError(_("give one or more values, separated by commas."))
        value = [str(v).strip() for v in items if str(v).strip()]
        for item in value:
            _check_choice(field, item)
    elif kind == NUMBER or (kind == ANSWER and op in ("lt", "lte", "gt", "gte")):
        value = _number(value)
    elif kind == TOPICS:
        topic_id = _integer(value, 1, 2**62, _("the topic"))
        if not Topic.objects.filter(pk=topic_id).exists():
            raise ValueError(_("there is no topic with id %s.") % topic_id)
        value = topic_id
    else:
        if value is None or str(value).strip() == "":
            raise ValueError(_("give a value."))
        value = value if isinstance(value, int | float) and kind == ANSWER else str(value).strip()
        _check_choice(field, str(value))
    return {"field": name, "op": op, "value": value}


def _check_suffix(name: str) -> None:
    prefix, _sep, rest = name.partition(":")
    if prefix == "emotion" and rest not in Emotion.values:
        raise ValueError(_("unknown emotion; use one of: %s.") % ", ".join(Emotion.values))
    if prefix == "repeat" and not InteractionType.objects.filter(code=rest).exists():
        raise ValueError(_("there is no interaction type with code %s.") % rest)


def _check_choice(field: Field | None, value: str) -> None:
    if field is not None and field.choices is not None and value not in field.choices():
        raise ValueError(
            _("“%(value)s” is not one of: %(allowed)s.")
            % {
                "value": value,
                "allowed": ", ".join(field.choices()),
            }
        )


def _number(value: Any) -> float:
    try:
        number = float(str(value).replace(",", ".")) if not isinstance(value, bool) else None
    except ValueError:
        number = None
    if number is None or number != number:
        raise ValueError(_("give a number."))
    return number


def _integer(value: Any, low: int, high: int, what: str) -> int:
    try:
        number = int(str(value).strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise ValueError(
            _("%(what)s must be a whole number from %(low)s to %(high)s.")
            % {"what": what, "low": low, "high": high}
        )
    return number


# -- matching -----------------------------------------------------------------------------

Test = Callable[[Any], bool]
_COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
}


def repeat_key(condition: Mapping[str, Any]) -> str:
    """The fact a repeat condition reads: ``repeat:<type>:<days>``."""
    return f"{condition['field']}:{condition['days']}"


def compile_condition(condition: Mapping[str, Any]) -> tuple[str, Test]:
    """(the fact it reads, a test of that fact); a missing fact (None) fails."""
    field, op, value = condition["field"], condition["op"], condition["value"]
    if field.startswith("repeat:"):
        return repeat_key(condition), lambda fact: fact is not None and fact >= value
    if op in ("has", "lacks"):
        wanted = str(value)
        present = (lambda f: wanted in f) if op == "has" else (lambda f: wanted not in f)
        return field, lambda fact: fact is not None and present(_as_set(fact))
    if op in ("in", "not_in"):
        allowed = frozenset(value)
        inside = op == "in"
        return field, lambda fact: fact is not None and (_text(fact) in allowed) == inside
    compare = _COMPARE[op]
    if isinstance(value, int | float) and not isinstance(value, bool):
        # A number compares as a number, whether stored as 6 or 6.0: never "10" <= "6".
        number = float(value)
        return field, lambda fact: isinstance(fact, int | float) and compare(fact, number)
    return field, lambda fact: fact is not None and compare(_text(fact), str(value))


def _as_set(fact: Any) -> frozenset[str]:
    if isinstance(fact, frozenset):
        return fact
    if isinstance(fact, list | tuple | set):
        return frozenset(str(v) for v in fact)
    return frozenset({_text(fact)})


def _text(fact: Any) -> str:
    if isinstance(fact, float) and fact.is_integer():
        return str(int(fact))
    return str(fact)


def value_text(value: Any) -> str:
    """A condition's value as people write it: 2 (not 2.0), lists comma-separated."""
    if isinstance(value, list | tuple):
        return ", ".join(_text(v) for v in value)
    return _text(value)


def plain_value(value: Any) -> Any:
    """A condition's value for JSON: a whole number without its ".0"."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def field_label(name: str, type_names: Mapping[str, str] | None = None) -> str:
    """What people call a condition's field: its label ("NPS (0-10)"), not its code."""
    for field in (*CONTEXT, *(f for fields in OWN.values() for f in fields)):
        if field.name == name:
            return str(field.label)
    prefix, _sep, rest = name.partition(":")
    if prefix == "emotion" and rest in Emotion.values:
        return _("Emotion: %s") % Emotion(rest).label
    if prefix == "repeat":
        names = type_names if type_names is not None else type_names_by_code()
        return _("Interactions of type %s by the customer") % names.get(rest, rest)
    if prefix == "answer":
        return _("Answer to %s") % rest
    return name


def type_names_by_code() -> dict[str, str]:
    return dict(InteractionType.objects.values_list("code", "name"))


def describe(
    conditions: Sequence[Mapping[str, Any]], type_names: Mapping[str, str] | None = None
) -> str:
    """The conditions in one line for lists, in words: "NPS (0-10) is at most 6; Channel
    (code) is one of web". ``type_names`` (code: name) spares a query per call."""
    if type_names is None and any(str(c["field"]).startswith("repeat:") for c in conditions):
        type_names = type_names_by_code()
    parts = []
    for condition in conditions:
        label = field_label(condition["field"], type_names)
        text = f"{label} {OPS.get(condition['op'], condition['op'])} "
        text += value_text(condition["value"])
        if condition.get("days"):
            text += " " + _("in %s days") % condition["days"]
        parts.append(text)
    return "; ".join(parts)


@dataclass(frozen=True)
class Compiled:
    """An active rule ready to test events: its scope as unit paths, its tests."""

    rule_id: int
    unit_paths: tuple[str, ...]
    tests: tuple[tuple[str, Test], ...]
    created_at: Any

    def covers(self, unit_path: str) -> bool:
        return not self.unit_paths or unit_path.startswith(self.unit_paths)

    def holds(self, facts: Mapping[str, Any]) -> bool:
        """The conditions hold for an event in the rule's scope (see ``covers``)."""
        if facts["created_at"] < self.created_at:
            return False  # a rule never reaches back before it was made
        get = facts.get
        for field, test in self.tests:  # noqa: SIM110 (a plain loop: runs per rule and event)
            if not test(get(field)):
                return False
        return True

    def matches(self, facts: Mapping[str, Any]) -> bool:
        return self.covers(facts["unit_path"]) and self.holds(facts)


def compile_rule(
    rule_id: int, conditions: Sequence[Mapping[str, Any]], paths: Iterable[str], created_at: Any
) -> Compiled:
    tests = tuple(compile_condition(c) for c in conditions)
    return Compiled(rule_id, tuple(sorted(paths)), tests, created_at)


def render_title(template: str, values: Mapping[str, str]) -> str:
    """The case title: ``{rule}``, ``{unit}`` and ``{customer}`` filled in; other braces
    are left as written."""
    text = template
    for key, value in values.items():
        text = text.replace("{" + key + "}", value)
    return text


def check_title(template: str) -> str | None:
    """A problem with a title template, or None."""
    rest = render_title(template, {"rule": "", "unit": "", "customer": ""})
    if "{" in rest or "}" in rest:
        return _("Only {rule}, {unit} and {customer} may appear between braces.")
    return None
