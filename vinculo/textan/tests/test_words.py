"""The word and phrase counts and their statistics, against values worked out by hand."""

import math

import pytest

from vinculo.metrics.stats import Estimate
from vinculo.textan.cloud import LARGEST, SMALLEST, band, cloud, headers, sort_terms
from vinculo.textan.engine.text import tokens, word_runs
from vinculo.textan.words import (
    Doc,
    PrunedCounter,
    Term,
    benjamini_hochberg,
    circular,
    closed,
    count_words,
    log_odds_ratio,
    terms_of,
)


def doc(text: str, score: float, sentiment: str, *emotions: str) -> Doc:
    return Doc(text, "es", score, sentiment, {e: 0.5 for e in emotions})


def test_words_skip_stopwords_and_phrases_neither_start_nor_end_on_one() -> None:
    found = terms_of("El Tiempo de espera, eterno. No funciona la app 24h!", "es")

    # Folded keys, spelled as written; "de", "la", "el" never open or close a term; a
    # comma ends the phrase; a negator may open one; numbers are no words.
    assert found == {
        "tiempo": "Tiempo",
        "tiempo de espera": "Tiempo de espera",
        "espera": "espera",
        "eterno": "eterno",
        "no funciona": "No funciona",
        "funciona": "funciona",
        "funciona la app": "funciona la app",
        "app": "app",
    }


def test_accents_and_capitals_are_folded_for_counting_and_shown_as_most_written() -> None:
    docs = [
        doc("Atención pésima", -0.6, "negative"),
        doc("atención rápida", 0.5, "positive"),
        doc("ATENCION lenta", -0.3, "negative"),
        doc("la atención", 0.0, "neutral"),
    ]

    view = count_words(lambda: docs, min_sample=2)

    attention = next(t for t in view.words if t.key == "atencion")
    assert attention.n == 4 and attention.text == "atención"


def test_a_tiny_set_has_the_counts_shares_means_and_emotion_worked_by_hand() -> None:
    docs = [
        doc("tienda limpia", 0.5, "positive", "joy"),
        doc("tienda sucia", -0.5, "negative", "anger"),
        doc("Tienda limpia", 0.3, "positive", "joy"),
        doc("cajero amable", 0.6, "positive"),
        doc("cajero lento", -0.4, "negative", "anger", "frustration"),
    ]

    view = count_words(lambda: docs, min_sample=2)

    assert view.n == 5 and view.complete
    assert [(t.key, t.n) for t in view.words] == [("tienda", 3), ("cajero", 2), ("limpia", 2)]
    assert [(t.text, t.n) for t in view.phrases] == [("tienda limpia", 2)]  # lower case on a tie
    tienda = view.words[0]
    # 3 of 5 texts: 60%; Wilson 95%: centre (0.6 + z²/10) / (1 + z²/5) = 0.556551, half-width
    # z sqrt(0.6 * 0.4 / 5 + z² / 100) / (1 + z²/5) = 0.325829 -> 23.07% to 88.24%.
    assert tienda.share.value == pytest.approx(60.0)
    assert tienda.share.low == pytest.approx(23.07, abs=0.01)
    assert tienda.share.high == pytest.approx(88.24, abs=0.01)
    # Scores 0.5, -0.5, 0.3: mean 0.1, s² = (0.16 + 0.36 + 0.04) / 2 = 0.28,
    # half-width t(0.975; 2) sqrt(0.28 / 3) = 4.302653 x 0.305505 = 1.314478.
    assert tienda.score.value == pytest.approx(0.1)
    assert tienda.score.low == pytest.approx(0.1 - 1.314478, abs=1e-5)
    assert tienda.score.high == pytest.approx(0.1 + 1.314478, abs=1e-5)
    assert (tienda.emotion, tienda.emotion_count) == ("joy", 2)
    assert (tienda.negative, tienda.positive) == (1, 2)
    cajero = view.words[1]
    assert (cajero.emotion, cajero.emotion_count) == ("anger", 1)  # first of a tie: anger


def test_terms_below_the_minimum_sample_are_not_shown_at_all() -> None:
    docs = [doc("tienda", 0.0, "neutral")] * 3 + [doc("parking", 0.0, "neutral")] * 2

    view = count_words(lambda: docs, min_sample=3)

    assert [t.key for t in view.words] == ["tienda"]


def test_log_odds_ratio_and_its_standard_error_worked_by_hand() -> None:
    # 16 of 20 texts with the term negative, 16 of 80 without; plus 0.5 a cell:
    # OR = 16.5 x 64.5 / (4.5 x 16.5) = 14.3333; SE = sqrt(1/16.5 + 1/4.5 + 1/16.5 + 1/64.5)
    # = sqrt(0.358939) = 0.599115.
    log, se = log_odds_ratio(16, 4, 16, 64)

    assert math.exp(log) == pytest.approx(14.3333, abs=1e-4)
    assert se == pytest.approx(0.599115, abs=1e-6)
    assert math.isfinite(log_odds_ratio(5, 0, 0, 5)[0])  # empty cells stay finite


def test_benjamini_hochberg_rejects_as_worked_by_hand() -> None:
    # m = 8, q = 0.05: thresholds i x 0.05 / 8 = 0.00625, 0.0125, 0.01875, ...; the 2nd
    # smallest p (0.008) is the last under its threshold.
    p = [0.041, 0.001, 0.205, 0.039, 0.008, 0.06, 0.042, 0.074]

    assert benjamini_hochberg(p) == 2
    assert benjamini_hochberg([0.5, 0.9]) == 0
    assert benjamini_hochberg([0.01, 0.04]) == 2  # 0.04 <= 2 x 0.05 / 2


def test_drivers_are_the_terms_whose_texts_are_more_negative_with_the_adjusted_interval() -> None:
    # 100 texts: "factura" in 20 (16 negative, 4 positive); "tienda" in the other 80 (16
    # negative, 64 positive). Four tests (each term, each way) all have |z| = 4.444; all
    # are rejected (R = 4), so the interval's level is 1 - 4 x 0.05 / 4 = 95%:
    # exp(ln 14.3333 +- 1.959964 x 0.599115) = 4.4302 to 46.3735.
    docs = (
        [doc("factura", -0.5, "negative")] * 16
        + [doc("factura", 0.5, "positive")] * 4
        + [doc("tienda", -0.5, "negative")] * 16
        + [doc("tienda", 0.5, "positive")] * 64
    )

    view = count_words(lambda: docs, min_sample=10)

    assert view.tested == 2
    [worse] = view.negative
    [better] = view.positive
    assert worse.term.key == "factura" and better.term.key == "tienda"
    assert worse.with_term.value == pytest.approx(80.0) and worse.without.value == 20.0
    assert worse.odds_ratio == pytest.approx(14.3333, abs=1e-4)
    assert worse.low == pytest.approx(4.4302, abs=1e-3)
    assert worse.high == pytest.approx(46.3735, abs=1e-2)
    assert better.odds_ratio == pytest.approx(worse.odds_ratio)


def test_no_driver_is_claimed_when_the_difference_could_be_chance() -> None:
    docs = (
        [doc("factura", -0.5, "negative")] * 6
        + [doc("factura", 0.5, "positive")] * 4
        + [doc("tienda", -0.5, "negative")] * 5
        + [doc("tienda", 0.5, "positive")] * 5
    )

    view = count_words(lambda: docs, min_sample=5)

    assert view.tested == 2 and view.negative == [] and view.positive == []


def test_place_names_are_counted_but_never_tested_as_drivers() -> None:
    # Every text about the Madrid store is negative: true of that store, not a reason.
    docs = (
        [doc("madrid centro factura", -0.5, "negative")] * 16
        + [doc("tienda", 0.5, "positive")] * 64
        + [doc("tienda", -0.5, "negative")] * 16
        + [doc("madrid centro", 0.5, "positive")] * 4
    )

    plain = count_words(lambda: docs, min_sample=10)
    guarded = count_words(lambda: docs, min_sample=10, places=frozenset({"madrid", "centro"}))

    assert "madrid" in {d.term.key for d in plain.negative}
    assert "madrid" in {t.key for t in guarded.words}  # still in the cloud and tables
    assert not any("madrid" in d.term.key for d in guarded.negative + guarded.positive)
    assert "factura" in {d.term.key for d in guarded.negative}


def test_sentiment_words_are_not_tested_as_drivers() -> None:
    assert circular("fatal") and circular("no recomiendo")
    assert not circular("tienda") and not circular("atendieron fatal")


def test_a_phrase_found_only_inside_a_longer_one_is_left_out() -> None:
    def term(key: str, n: int) -> Term:
        nothing = Estimate(None, None, None, n)
        return Term(key, key, key.count(" ") + 1, n, nothing, nothing, None, 0, 0, 0, False)

    phrases = [term("tiempo de espera", 5), term("de espera", 7), term("tiempo de", 5)]

    # "tiempo de" is in exactly the 5 texts of "tiempo de espera": it says nothing more.
    assert [t.key for t in closed(phrases)] == ["tiempo de espera", "de espera"]


def test_the_counter_never_undercounts_and_knows_when_it_may_have_missed_a_term() -> None:
    counter = PrunedCounter(cap=4)
    stream = [["a", "b"], ["a", "c"], ["a", "d"], ["e", "f"], ["a", "g"], ["h", "a"], ["b"]]
    truth: dict[str, int] = {}
    for keys in stream:
        counter.add(keys)
        for k in keys:
            truth[k] = truth.get(k, 0) + 1

    assert len(counter.counts) <= 4
    assert all(counter.upper(k) >= truth[k] for k in counter.counts)
    assert all(truth[k] <= counter.floor for k in truth if k not in counter.counts)
    assert "a" in counter.at_least(counter.floor + 1, 10)  # in 5 texts: never lost


def test_pruned_counts_stay_exact_for_the_terms_shown_and_say_some_may_be_missing() -> None:
    # 40 texts, each with "tienda" and a word of its own ("tienda qab"...): 80 distinct
    # terms, through a counter that holds 10. The rare ones are pruned, "tienda" never.
    unique = ["q" + chr(97 + i // 26) + chr(97 + i % 26) for i in range(40)]
    docs = [doc(f"tienda {w}", 0.0, "neutral") for w in unique]

    roomy = count_words(lambda: docs, min_sample=5)
    tight = count_words(lambda: docs, min_sample=5, cap=10)

    assert [(t.key, t.n) for t in roomy.words] == [("tienda", 40)] and roomy.complete
    # Measured again in the second pass: exact, however rough the first was.
    assert [(t.key, t.n) for t in tight.words] == [("tienda", 40)]
    # Each pruning dropped terms that may have been in up to 5 texts or more by then.
    assert not tight.complete


def test_the_cloud_sizes_words_by_the_square_root_of_their_texts_and_colours_by_mean() -> None:
    docs = [doc("tienda", -0.7, "negative")] * 100 + [doc("cajero", 0.2, "positive")] * 25
    docs += [doc("parking", 0.0, "neutral")] * 4
    view = count_words(lambda: docs, min_sample=4)

    shown = {c.term.key: c for c in cloud(view.words)}

    assert list(shown) == ["cajero", "parking", "tienda"]  # alphabetical
    assert shown["tienda"].size == LARGEST and shown["parking"].size == SMALLEST
    # sqrt: (5 - 2) / (10 - 2) of the way from the smallest to the largest size.
    assert shown["cajero"].size == pytest.approx(SMALLEST + 3 / 8 * (LARGEST - SMALLEST), abs=0.01)
    assert (shown["tienda"].band, shown["parking"].band, shown["cajero"].band) == (0, 3, 4)
    assert band(-0.6) == 1 and band(0.6) == 6 and band(None) == 3


def test_tables_sort_by_the_column_asked_and_headers_offer_the_other_way() -> None:
    docs = [doc("tienda", -0.5, "negative")] * 3 + [doc("cajero", 0.5, "positive")] * 2
    words = count_words(lambda: docs, min_sample=1).words

    assert [t.key for t in sort_terms(words, "score")] == ["tienda", "cajero"]
    assert [t.key for t in sort_terms(words, "term")] == ["cajero", "tienda"]
    assert [t.key for t in sort_terms(words, "bogus")] == ["tienda", "cajero"]  # most texts
    assert headers("-n")["n"] == ("n", "descending")
    assert headers("-n")["score"] == ("score", "none")


def test_word_runs_hold_the_same_words_as_the_tokens_split_where_phrases_end() -> None:
    text = "¡Pésimo! El wifi, 3 días sin línea 😡 y nadie contesta... don't care"

    runs = [[word for word, _s, _e in run] for run in word_runs(text)]

    assert [w for run in runs for w in run] == [t.text for t in tokens(text) if t.kind == "w"]
    assert runs == [
        ["pesimo"],
        ["el", "wifi"],
        ["dias", "sin", "linea"],
        ["y", "nadie", "contesta"],
        ["don't", "care"],
    ]
