"""The evaluation arithmetic against values worked out by hand."""

import pytest

from vinculo.textan.engine.evaluation import Confusion, LabelTally, split_labels

LABELS = ("negative", "neutral", "positive")


def test_confusion_matrix_gives_per_class_and_macro_f1_as_worked_by_hand():
    # gold:      pos pos neg neu neg pos
    # predicted: pos neg neg neu pos pos
    confusion = Confusion(LABELS)
    pairs = [
        ("positive", "positive"),
        ("positive", "negative"),
        ("negative", "negative"),
        ("neutral", "neutral"),
        ("negative", "positive"),
        ("positive", "positive"),
    ]
    for gold, predicted in pairs:
        confusion.add(gold, predicted)

    scores = {s.label: s for s in confusion.per_class()}

    # positive: 2 right of 3 predicted, of 3 in gold -> P = R = F1 = 2/3
    assert scores["positive"].precision == pytest.approx(2 / 3)
    assert scores["positive"].recall == pytest.approx(2 / 3)
    assert scores["positive"].f1 == pytest.approx(2 / 3)
    # negative: 1 right of 2 predicted, of 2 in gold -> F1 = 1/2
    assert scores["negative"].f1 == pytest.approx(0.5)
    assert scores["neutral"].f1 == pytest.approx(1.0)
    # macro-F1 = (2/3 + 1/2 + 1) / 3 = 0.7222...
    assert confusion.macro_f1() == pytest.approx(13 / 18)
    assert confusion.accuracy() == pytest.approx(4 / 6)
    assert confusion.cell("negative", "positive") == 1


def test_macro_f1_averages_only_classes_present_in_gold():
    confusion = Confusion(LABELS)
    confusion.add("positive", "positive")
    confusion.add("negative", "neutral")  # neutral predicted, never gold

    # positive F1 = 1, negative F1 = 0; neutral (no support) left out: (1 + 0) / 2
    assert confusion.macro_f1() == pytest.approx(0.5)


def test_multi_label_micro_f1_pools_the_counts_of_every_label():
    tally = LabelTally(("joy", "anger", "frustration"))
    tally.add(["anger", "frustration"], ["anger"])  # anger TP, frustration FN
    tally.add([], ["joy"])  # joy FP
    tally.add(["joy"], ["joy"])  # joy TP

    precision, recall, micro = tally.micro()

    # TP = 2, FP = 1, FN = 1: P = R = F1 = 2/3
    assert (precision, recall, micro) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    joy = next(s for s in tally.per_label() if s.label == "joy")
    assert (joy.precision, joy.recall, joy.support) == (0.5, 1.0, 1)


def test_emotion_cells_accept_the_usual_separators():
    assert split_labels("Anger; frustration") == ["anger", "frustration"]
    assert split_labels("anger,fear|joy") == ["anger", "fear", "joy"]
    assert split_labels("  ") == []
