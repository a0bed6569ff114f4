"""Each question kind: what it accepts, how it is stored, and the sentence for a bad answer."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

from vinculo.surveys.questions import AnswerError, StoredValue, clean_answer, describe

OPTIONS = [{"code": "a", "label": {"es": "A"}}, {"code": "b", "label": {"es": "B"}}]


def q(kind, required=False, **fields):
    fields.setdefault("options", [])
    fields.setdefault("rows", [])
    fields.setdefault("settings", {})
    return SimpleNamespace(key="q", kind=kind, required=required, **fields)


@pytest.mark.parametrize(
    ("kind", "raw", "number"),
    [("nps", "0", 0), ("nps", 10, 10), ("csat", "5", 5), ("ces", 7, 7), ("enps", 9.0, 9)],
)
def test_standard_scores_accept_their_scale(kind, raw, number):
    assert clean_answer(q(kind), raw) == [StoredValue(number=number)]


@pytest.mark.parametrize(
    ("kind", "raw", "low", "high"),
    [("nps", "11", 0, 10), ("nps", -1, 0, 10), ("csat", 0, 1, 5), ("ces", "8", 1, 7)],
)
def test_scores_outside_the_scale_are_refused_with_the_scale(kind, raw, low, high):
    with pytest.raises(AnswerError) as caught:
        clean_answer(q(kind), raw)
    assert caught.value.code == "out_of_range"
    assert (caught.value.params["min"], caught.value.params["max"]) == (low, high)


@pytest.mark.parametrize("raw", ["nueve", "9.5", True, [9], {"v": 9}])
def test_a_score_must_be_a_whole_number(raw):
    with pytest.raises(AnswerError) as caught:
        clean_answer(q("nps"), raw)
    assert caught.value.code == "not_a_number"


def test_a_rating_uses_its_own_scale():
    rating = q("rating", settings={"min": 1, "max": 10, "style": "numbers"})
    assert clean_answer(rating, "10") == [StoredValue(number=10)]
    with pytest.raises(AnswerError):
        clean_answer(q("rating"), "6")  # default 1-5 stars


def test_an_empty_optional_answer_stores_nothing_and_a_required_one_is_refused():
    assert clean_answer(q("short_text"), "   ") == []
    with pytest.raises(AnswerError) as caught:
        clean_answer(q("short_text", required=True), "")
    assert caught.value.code == "required"


def test_choices_store_option_codes_and_refuse_unknown_ones():
    assert clean_answer(q("single_choice", options=OPTIONS), "b") == [StoredValue(choices=["b"])]
    assert clean_answer(q("multiple_choice", options=OPTIONS), ["b", "a", "b"]) == [
        StoredValue(choices=["b", "a"])
    ]
    with pytest.raises(AnswerError) as caught:
        clean_answer(q("dropdown", options=OPTIONS), "z")
    assert caught.value == AnswerError("q", "unknown_option", {"value": "z"})


def test_multiple_choice_respects_its_maximum():
    question = q("multiple_choice", options=OPTIONS, settings={"max_choices": 1})
    with pytest.raises(AnswerError) as caught:
        clean_answer(question, ["a", "b"])
    assert caught.value.code == "too_many_choices"


def test_a_ranking_orders_every_option():
    assert clean_answer(q("ranking", options=OPTIONS), ["b", "a"]) == [
        StoredValue(choices=["b", "a"])
    ]
    with pytest.raises(AnswerError) as caught:
        clean_answer(q("ranking", options=OPTIONS), ["b"])
    assert caught.value.code == "incomplete_ranking"


def test_yes_no_and_consent_store_one_or_zero():
    assert clean_answer(q("yes_no"), "sí") == [StoredValue(number=1)]
    assert clean_answer(q("yes_no"), False) == [StoredValue(number=0)]
    assert clean_answer(q("consent"), "on") == [StoredValue(number=1)]
    with pytest.raises(AnswerError) as caught:
        clean_answer(q("consent", required=True), False)  # an unticked required consent
    assert caught.value.code == "required"


def test_texts_are_trimmed_and_limited():
    assert clean_answer(q("short_text"), "  Hola  ") == [StoredValue(text="Hola")]
    with pytest.raises(AnswerError) as caught:
        clean_answer(q("short_text"), "x" * 301)
    assert caught.value == AnswerError("q", "too_long", {"max": 300})


def test_email_and_phone_are_normalised_like_identities():
    assert clean_answer(q("email"), " Ana@Example.COM ") == [StoredValue(text="ana@example.com")]
    assert clean_answer(q("phone"), "612 34 56 78") == [StoredValue(text="+34612345678")]
    with pytest.raises(AnswerError):
        clean_answer(q("email"), "ana@")


def test_dates_are_iso():
    assert clean_answer(q("date"), "2026-11-24") == [StoredValue(date=dt.date(2026, 11, 24))]
    with pytest.raises(AnswerError) as caught:
        clean_answer(q("date"), "24/11/2026")
    assert caught.value.code == "invalid_date"


def test_a_matrix_stores_one_row_per_statement_with_its_scale_position():
    matrix = q(
        "matrix",
        required=True,
        options=[{"code": c, "label": {}} for c in ("1", "2", "3")],
        rows=[{"code": "trato", "label": {}}, {"code": "rapidez", "label": {}}],
    )
    assert clean_answer(matrix, {"trato": "3", "rapidez": "1"}) == [
        StoredValue(row="trato", number=3, choices=["3"]),
        StoredValue(row="rapidez", number=1, choices=["1"]),
    ]
    with pytest.raises(AnswerError) as caught:
        clean_answer(matrix, {"trato": "3"})
    assert caught.value == AnswerError("q", "matrix_row_missing", {"row": 2})


def test_error_sentences_name_the_question_in_the_readers_language():
    error = AnswerError("nps", "out_of_range", {"min": 0, "max": 10, "value": 11})
    with translation.override("en"):
        assert describe(error, "Would you recommend us?") == (
            "“Would you recommend us?”: choose a value from 0 to 10."
        )
