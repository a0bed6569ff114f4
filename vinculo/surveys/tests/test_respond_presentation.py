"""The respondent's view models: localized texts, piping, display decided on the page."""

import json
from types import SimpleNamespace
from typing import Any

from django.http import QueryDict
from django.utils import translation

from vinculo.surveys.logic import flow_for
from vinculo.surveys.presentation import (
    client_condition,
    expected_path,
    pipe_context,
    present_page,
    read_form,
    text_in,
)
from vinculo.surveys.questions import AnswerError


def _q(key: str, kind: str, page: int = 1, **extra: Any) -> SimpleNamespace:
    fields: dict[str, Any] = {
        "required": False,
        "text": {"es": f"¿{key}?", "en": f"{key}?"},
        "help_text": {},
        "options": [],
        "rows": [],
        "settings": {},
        "show_if": None,
        "position": 0,
    }
    return SimpleNamespace(key=key, kind=kind, page=page, **{**fields, **extra})


COLOURS = [
    {"code": "r", "label": {"es": "Rojo", "en": "Red"}},
    {"code": "v", "label": {"es": "Verde", "en": "Green"}},
]


def test_a_text_falls_back_to_the_default_language_then_to_any() -> None:
    assert text_in({"es": "Hola", "en": "Hello"}, "en", "es") == "Hello"
    assert text_in({"es": "Hola"}, "en", "es") == "Hola"
    assert text_in({"fr": "Salut"}, "en", "es") == "Salut"
    assert text_in({}, "en", "es") == ""


def test_piping_names_the_store_the_customer_and_chosen_labels() -> None:
    questions = [_q("color", "single_choice", options=COLOURS), _q("nps", "nps")]
    context = pipe_context(
        unit=SimpleNamespace(name="Bilbao Centro"),
        customer=SimpleNamespace(name="Ana Ruiz López"),
        touchpoint=None,
        answers={"color": "v", "nps": 7},
        questions=questions,
        language="en",
        fallback="es",
    )

    assert context == {
        "unit": "Bilbao Centro",
        "store": "Bilbao Centro",
        "customer_name": "Ana Ruiz López",
        "first_name": "Ana",
        "touchpoint": "",
        "color": "Green",
        "nps": 7,
    }


def test_a_condition_on_the_same_page_is_left_to_the_page_and_the_rest_decided() -> None:
    condition = {
        "all": [
            {"question": "nps", "op": "lte", "value": 6},
            {"question": "antes", "op": "eq", "value": "si"},
        ]
    }

    partial = client_condition(condition, {"nps"}, {"antes": "si"}, None)

    assert partial == {"all": [{"question": "nps", "op": "lte", "value": 6}, {"const": True}]}


def test_the_page_draws_same_page_conditions_for_the_script_and_hides_decided_ones() -> None:
    questions = [
        _q("nps", "nps"),
        _q("motivo", "short_text", show_if={"question": "nps", "op": "lte", "value": 6}),
        _q("vip", "short_text", show_if={"customer": "segment", "op": "eq", "value": "vip"}),
    ]
    flow = flow_for(questions, [])

    with translation.override("en"):
        page = present_page(
            questions=questions,
            flow=flow,
            page=1,
            path=[1],
            answers={},
            customer=None,
            raw={"nps": "4"},
            errors=[AnswerError("nps", "required")],
            language="en",
            fallback="es",
            context={},
        )

    assert [q.key for q in page.questions] == ["nps", "motivo"]
    assert json.loads(page.questions[1].show_if) == {"question": "nps", "op": "lte", "value": 6}
    assert page.errors[0].message == "“nps?” needs an answer."
    assert [c.value for c in page.questions[0].choices if c.selected] == ["4"]


def test_progress_counts_a_later_page_that_depends_on_answers_not_given_yet() -> None:
    questions = [
        _q("nps", "nps", page=1),
        _q("mejora", "long_text", page=2, show_if={"question": "nps", "op": "lte", "value": 8}),
    ]
    flow = flow_for(questions, [])

    assert expected_path(flow, questions, {}, None, 1) == [1, 2]
    assert expected_path(flow, questions, {"nps": 10}, None, 1) == [1]
    assert expected_path(flow, questions, {"nps": 3}, None, 1) == [1, 2]


def test_a_form_reads_back_into_the_shapes_clean_answer_expects() -> None:
    questions = [
        _q("canales", "multiple_choice", options=COLOURS),
        _q("tabla", "matrix", options=COLOURS, rows=[{"code": "a", "label": {}}]),
        _q("orden", "ranking", options=COLOURS),
        _q("nota", "short_text"),
        _q("nada", "short_text"),
    ]
    data = QueryDict("canales=r&canales=v&tabla.a=v&orden.1=v&orden.2=r&nota=hola")

    assert read_form(questions, data) == {
        "canales": ["r", "v"],
        "tabla": {"a": "v"},
        "orden": ["v", "r"],
        "nota": "hola",
    }
