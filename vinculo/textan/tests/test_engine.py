"""What the engine reads in a comment: the grammar that changes what words mean, the
emotions, the languages, and the evidence behind each decision."""

import pytest

from vinculo.textan.engine.pipeline import analyze
from vinculo.textan.engine.topics import TopicRule, Topics

NEGATIVE = ("negative", "very_negative")
POSITIVE = ("positive", "very_positive")


def test_negation_turns_a_happy_word_into_disappointment():
    plain = analyze("Estoy contento con el servicio")
    negated = analyze("No estoy nada contento con el servicio")

    assert plain.sentiment in POSITIVE and "joy" in plain.emotions
    assert negated.sentiment in NEGATIVE
    assert "joy" not in negated.emotions and "disappointment" in negated.emotions
    evidence = negated.evidence[0]
    assert evidence.negated
    assert "No estoy nada contento con el servicio"[evidence.start : evidence.end] == (
        "No estoy nada contento"
    )


def test_negated_negative_words_lean_positive_in_both_languages():
    assert analyze("No está mal, la verdad").score > 0
    assert analyze("Not bad at all").score > 0


def test_each_booster_stresses_once_more():
    once, twice = analyze("El técnico fue lento"), analyze("El técnico fue muy muy lento")

    assert once.score < 0
    assert twice.score < once.score


@pytest.mark.parametrize(
    ("superlative", "plain"),
    [
        ("El técnico fue amabilísimo", "El técnico fue amable"),
        ("Un proceso lentísimo", "Un proceso lento"),
        ("Me quedé felicísima", "Me quedé feliz"),
    ],
)
def test_spanish_superlatives_read_as_their_adjective_stressed(superlative, plain):
    stressed, base = analyze(superlative), analyze(plain)

    assert base.score != 0
    assert abs(stressed.score) > abs(base.score) and stressed.score * base.score > 0
    assert superlative[stressed.evidence[0].start : stressed.evidence[0].end].endswith(
        ("ísimo", "ísima")
    )


def test_what_follows_but_weighs_more_than_what_precedes_it():
    ends_bad = analyze(
        "El personal fue amable pero el problema sigue sin resolver y es un desastre"
    )
    ends_good = analyze("Tuve un problema con la factura pero me lo resolvieron enseguida, genial")

    assert ends_bad.sentiment in NEGATIVE
    assert ends_good.sentiment in POSITIVE


def test_a_clause_opened_by_although_weighs_less():
    found = analyze("Aunque la tienda es bonita, la atención fue pésima")

    assert found.sentiment in NEGATIVE


def test_capitals_exclamations_and_emojis_count():
    calm, loud = analyze("Servicio malo"), analyze("Servicio MALO!!! 😡")

    assert loud.score < calm.score < 0
    assert "anger" in loud.emotions


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("La fibra no funciona desde el martes y nadie me llama", "es"),
        ("My broadband has been down since Tuesday and nobody calls me back", "en"),
        ("O atendimento foi muito bom, mas a entrega demorou demais", "other"),
        ("👍👍", "und"),
    ],
)
def test_languages(text, language):
    assert analyze(text).language == language


def test_english_comments_read_with_the_english_lexicon():
    found = analyze("Absolutely furious, they charged me twice and nobody answers")

    assert found.language == "en" and found.sentiment in NEGATIVE
    assert "anger" in found.emotions


def test_topics_are_found_with_their_words_and_can_be_vetoed():
    topics = Topics(
        [
            TopicRule(1, "Atención > Tiempo de espera", ("espera*", "cola", "llevo # dias")),
            TopicRule(2, "Facturación", ("factura*", "cargo"), excluded=("cargador",)),
        ]
    )
    text = "Llevo 3 días sin respuesta sobre la factura"

    found = analyze(text, topics)

    assert [(t.path, text[t.start : t.end]) for t in found.topics] == [
        ("Atención > Tiempo de espera", "Llevo 3 días"),
        ("Facturación", "factura"),
    ]
    assert analyze("Me cobraron el cargo del cargador", topics).topics == []


def test_empty_and_huge_texts():
    empty = analyze("")
    huge = analyze("muy mal " * 130_000)

    assert (empty.language, empty.sentiment, empty.emotions, empty.evidence) == (
        "und",
        "neutral",
        {},
        [],
    )
    assert huge.truncated and huge.sentiment == "very_negative"
