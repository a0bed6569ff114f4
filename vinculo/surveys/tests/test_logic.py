"""Display logic, skip logic and piping, on worked examples."""

from types import SimpleNamespace

import pytest

from vinculo.surveys.logic import InvalidCondition, check_condition, flow_for, holds, pipe


def question(key, page, show_if=None, position=0):
    return SimpleNamespace(key=key, page=page, position=position, show_if=show_if)


def test_conditions_on_answers_compare_numbers_codes_and_lists():
    answers = {"nps": 6, "motivo": "precio", "canales": ["web", "app"]}
    assert holds({"question": "nps", "op": "lte", "value": 6}, answers, None)
    assert not holds({"question": "nps", "op": "gt", "value": 6}, answers, None)
    assert holds({"question": "motivo", "op": "in", "value": ["precio", "trato"]}, answers, None)
    assert holds({"question": "canales", "op": "contains", "value": "app"}, answers, None)
    assert holds({"question": "otra", "op": "not_answered"}, answers, None)
    assert not holds({"question": "otra", "op": "eq", "value": 1}, answers, None)


def test_combinators_nest():
    answers = {"nps": 9, "csat": 2}
    condition = {
        "any": [
            {"question": "nps", "op": "lte", "value": 6},
            {
                "all": [
                    {"question": "csat", "op": "lte", "value": 2},
                    {"not": {"question": "nps", "op": "eq", "value": 10}},
                ]
            },
        ]
    }
    assert holds(condition, answers, None)


def test_conditions_on_the_customer_are_false_for_anonymous_respondents():
    empresa = SimpleNamespace(segment="empresa", attributes={"fibra": True})
    condition = {"customer": "segment", "op": "eq", "value": "empresa"}
    assert holds(condition, {}, empresa)
    assert holds({"customer": "attributes.fibra", "op": "eq", "value": True}, {}, empresa)
    assert not holds(condition, {}, None)


def test_a_skip_rule_jumps_over_a_page_and_empty_pages_are_skipped():
    questions = [
        question("nps", 1),
        question("porque", 2, {"question": "nps", "op": "lte", "value": 6}),
        question("extra", 3),
        question("fin", 4),
    ]
    flow = flow_for(
        questions,
        [{"after_page": 3, "when": {"question": "nps", "op": "gte", "value": 9}, "goto": "end"}],
    )

    assert flow.path(questions, {"nps": 3}, None) == [1, 2, 3, 4]
    assert flow.path(questions, {"nps": 7}, None) == [1, 3, 4]  # page 2 shows nothing
    assert flow.path(questions, {"nps": 10}, None) == [1, 3]  # ends after page 3


def test_check_condition_refuses_references_forward_and_unknown_operators():
    check_condition({"question": "nps", "op": "lte", "value": 6}, ["nps"], "q")
    with pytest.raises(InvalidCondition, match="not an earlier question"):
        check_condition({"question": "csat", "op": "lte", "value": 2}, ["nps"], "q")
    with pytest.raises(InvalidCondition, match="unknown operator"):
        check_condition({"question": "nps", "op": "like", "value": 6}, ["nps"], "q")
    with pytest.raises(InvalidCondition, match="needs a list"):
        check_condition({"question": "nps", "op": "in", "value": 6}, ["nps"], "q")


def test_piping_fills_known_names_and_blanks_unknown_ones():
    text = "¿Qué podríamos mejorar en {{ store }}, {{first_name}}?{{nope}}"
    assert pipe(text, {"store": "Bilbao Centro", "first_name": "Ana"}) == (
        "¿Qué podríamos mejorar en Bilbao Centro, Ana?"
    )
