"""Checking an alert rule's conditions: each problem names its condition and field."""

from __future__ import annotations

from typing import Any

from django.utils import translation

from vinculo.cases.rule_choices import RuleEvent
from vinculo.cases.rules import check_conditions, check_title, compile_rule, describe
from vinculo.test import Org


def test_valid_conditions_come_back_typed(org: Org) -> None:
    conditions = [
        {"field": "nps", "op": "lte", "value": "6"},
        {"field": "channel", "op": "in", "value": "store, web"},
        {"field": "answer:motivos", "op": "has", "value": "precio"},
    ]

    cleaned, errors = check_conditions(RuleEvent.RESPONSE, conditions)

    assert errors == []
    assert cleaned == [
        {"field": "nps", "op": "lte", "value": 6.0},
        {"field": "channel", "op": "in", "value": ["store", "web"]},
        {"field": "answer:motivos", "op": "has", "value": "precio"},
    ]


def test_invalid_conditions_are_named_by_number_and_field(org: Org) -> None:
    conditions = [
        {"field": "nps", "op": "lte", "value": "seis"},
        {"field": "sentiment", "op": "eq", "value": "negative"},  # not a response's field
        {"field": "value_tier", "op": "eq", "value": "platinum"},
        {"field": "nps", "op": "has", "value": 3},
    ]

    with translation.override("en"):
        _cleaned, errors = check_conditions(RuleEvent.RESPONSE, conditions)

    assert len(errors) == 4
    assert errors[0].startswith("Condition 1 (nps):") and "number" in errors[0]
    assert errors[1].startswith("Condition 2 (sentiment):") and "does not exist" in errors[1]
    assert errors[2].startswith("Condition 3 (value_tier):") and "platinum" in errors[2]
    assert errors[3].startswith("Condition 4 (nps):") and "operators" in errors[3]


def test_a_repeat_needs_a_known_type_a_count_and_days(org: Org) -> None:
    conditions = [
        {"field": "repeat:complaint", "op": "gte", "value": 3, "days": 7},
        {"field": "repeat:complaint", "op": "gte", "value": 3},
        {"field": "repeat:nonsense", "op": "gte", "value": 3, "days": 7},
        {"field": "emotion:rage", "op": "gte", "value": 0.5},
    ]

    with translation.override("en"):
        cleaned, errors = check_conditions(RuleEvent.INTERACTION, conditions)

    assert cleaned == [{"field": "repeat:complaint", "op": "gte", "value": 3, "days": 7}]
    assert errors[0].startswith("Condition 2 (repeat:complaint):") and "days" in errors[0]
    assert errors[1].startswith("Condition 3 (repeat:nonsense):")
    assert errors[2].startswith("Condition 4 (emotion:rage):")  # not an interaction's field


def test_conditions_are_anded_and_a_missing_fact_fails(org: Org) -> None:
    conditions, _errors = check_conditions(
        RuleEvent.RESPONSE,
        [
            {"field": "nps", "op": "lte", "value": 6},
            {"field": "channel", "op": "eq", "value": "web"},
        ],
    )
    rule = compile_rule(1, conditions, [], created_at=0)
    base = {"created_at": 1, "unit_path": "/1/"}

    assert rule.matches({**base, "nps": 6.0, "channel": "web"})
    assert not rule.matches({**base, "nps": 7.0, "channel": "web"})
    assert not rule.matches({**base, "nps": 2.0, "channel": "store"})
    assert not rule.matches({**base, "channel": "web"})


def test_a_title_may_use_only_the_known_placeholders() -> None:
    assert check_title("{rule} en {unit} ({customer})") is None
    assert check_title("{rule} {score}") is not None


def test_a_rule_is_described_with_field_and_operator_labels(org: Org) -> None:
    conditions: list[dict[str, Any]] = [
        {"field": "nps", "op": "lte", "value": 6.0},
        {"field": "value_tier", "op": "in", "value": ["high", "top"]},
        {"field": "emotion:anger", "op": "gte", "value": 0.5},
        {"field": "repeat:complaint", "op": "gte", "value": 3, "days": 7},
    ]

    with translation.override("en"):
        text = describe(conditions)

    assert text == (
        "NPS (0-10) is at most 6; Customer value tier is one of high, top; "
        "Emotion: Anger is at least 0.5; "
        "Interactions of type Reclamación by the customer is at least 3 in 7 days"
    )
