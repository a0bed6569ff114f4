"""Tokens keep their place in the original text, whatever the accents and capitals."""

from vinculo.textan.engine.text import Kind, fold, tokens, unelongated


def test_folding_removes_accents_and_capitals_but_keeps_offsets():
    text = "PÉSIMA atención, Señor Núñez"

    folded = fold(text)

    assert folded == "pesima atencion, señor nuñez"
    assert len(folded) == len(text)


def test_tokens_point_at_the_words_as_the_customer_wrote_them():
    text = "¡Qué RÁPIDO! No funciona 😡 :("

    found = tokens(text)

    words = [(t.text, text[t.start : t.end]) for t in found if t.kind == Kind.WORD]
    assert words == [("que", "Qué"), ("rapido", "RÁPIDO"), ("no", "No"), ("funciona", "funciona")]
    assert [t.text for t in found if t.kind == Kind.EMOJI] == ["😡", ":("]
    assert next(t for t in found if t.text == "rapido").caps
    assert [t.kind for t in found if t.kind in (Kind.EXCLAIM, Kind.STOP)] == [Kind.EXCLAIM]


def test_a_stretched_word_offers_its_plain_spellings():
    assert unelongated("muuuuy") == ["muuy", "muy"]
    assert unelongated("goooood") == ["good", "god"]
    assert unelongated("bueno") == []


def test_text_that_is_no_language_at_all_gives_no_words():
    assert [t for t in tokens("\x00\x01\ufffd%%%") if t.kind == Kind.WORD] == []
