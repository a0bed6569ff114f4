"""Measuring the analytics against labelled comments, one row at a time.

Counts accumulate as rows stream past, so a file of any size is evaluated in constant
memory: a confusion matrix for a single-label task (sentiment), true and false positives
per label for a multi-label one (emotions). F1 is the harmonic mean of precision and
recall; macro-F1 averages it over classes, micro-F1 pools the counts of all labels.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SENTIMENT_5 = ("very_negative", "negative", "neutral", "positive", "very_positive")
SENTIMENT_3 = ("negative", "neutral", "positive")
COLLAPSE = {
    "very_negative": "negative",
    "negative": "negative",
    "neutral": "neutral",
    "positive": "positive",
    "very_positive": "positive",
}


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True)
class ClassScore:
    label: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass
class Confusion:
    """Single-label: rows are the gold labels, columns the predicted ones."""

    labels: Sequence[str]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, gold: str, predicted: str) -> None:
        key = (gold, predicted)
        self.counts[key] = self.counts.get(key, 0) + 1

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    def cell(self, gold: str, predicted: str) -> int:
        return self.counts.get((gold, predicted), 0)

    def accuracy(self) -> float:
        return ratio(sum(self.cell(label, label) for label in self.labels), self.n)

    def per_class(self) -> list[ClassScore]:
        scores = []
        for label in self.labels:
            hit = self.cell(label, label)
            predicted = sum(self.cell(g, label) for g in self.labels)
            support = sum(self.cell(label, p) for p in self.labels)
            precision, recall = ratio(hit, predicted), ratio(hit, support)
            scores.append(ClassScore(label, precision, recall, f1(precision, recall), support))
        return scores

    def macro_f1(self) -> float:
        """Averaged over the classes present in the gold labels."""
        present = [s for s in self.per_class() if s.support]
        return sum(s.f1 for s in present) / len(present) if present else 0.0


@dataclass
class LabelTally:
    """Multi-label: each row's gold and predicted sets, counted per label."""

    labels: Sequence[str]
    true_pos: dict[str, int] = field(default_factory=dict)
    false_pos: dict[str, int] = field(default_factory=dict)
    false_neg: dict[str, int] = field(default_factory=dict)
    n: int = 0

    def add(self, gold: Iterable[str], predicted: Iterable[str]) -> None:
        gold_set, predicted_set = set(gold), set(predicted)
        self.n += 1
        for label in gold_set & predicted_set:
            self.true_pos[label] = self.true_pos.get(label, 0) + 1
        for label in predicted_set - gold_set:
            self.false_pos[label] = self.false_pos.get(label, 0) + 1
        for label in gold_set - predicted_set:
            self.false_neg[label] = self.false_neg.get(label, 0) + 1

    def per_label(self) -> list[ClassScore]:
        scores = []
        for label in self.labels:
            tp, fp = self.true_pos.get(label, 0), self.false_pos.get(label, 0)
            fn = self.false_neg.get(label, 0)
            precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
            scores.append(ClassScore(label, precision, recall, f1(precision, recall), tp + fn))
        return scores

    def micro(self) -> tuple[float, float, float]:
        tp = sum(self.true_pos.get(label, 0) for label in self.labels)
        fp = sum(self.false_pos.get(label, 0) for label in self.labels)
        fn = sum(self.false_neg.get(label, 0) for label in self.labels)
        precision, recall = ratio(tp, tp + fp), ratio(tp, tp + fn)
        return precision, recall, f1(precision, recall)


def split_labels(cell: str) -> list[str]:
    """An ``emotion`` cell: labels separated by ';' (',' and '|' accepted too)."""
    for separator in (",", "|"):
        cell = cell.replace(separator, ";")
    return [part.strip().lower() for part in cell.split(";") if part.strip()]


def matrix_lines(confusion: Confusion) -> list[str]:
    width = max(len(label) for label in confusion.labels) + 2
    head = "gold \\ predicted".ljust(width) + "".join(
        label[:13].rjust(14) for label in confusion.labels
    )
    lines = [head]
    for gold in confusion.labels:
        cells = "".join(str(confusion.cell(gold, p)).rjust(14) for p in confusion.labels)
        lines.append(gold.ljust(width) + cells)
    return lines


def score_lines(scores: Iterable[ClassScore]) -> list[str]:
    lines = [f"{'':16}{'precision':>10}{'recall':>10}{'F1':>8}{'n':>7}"]
    for s in scores:
        lines.append(f"{s.label:16}{s.precision:10.3f}{s.recall:10.3f}{s.f1:8.3f}{s.support:7d}")
    return lines


@dataclass
class Evaluation:
    """Gold labels of a file against the analyses, overall and per language."""

    sentiment3: dict[str, Confusion] = field(default_factory=dict)
    sentiment5: dict[str, Confusion] = field(default_factory=dict)
    emotions: dict[str, LabelTally] = field(default_factory=dict)
    emotion_labels: Sequence[str] = ()
    invalid: list[str] = field(default_factory=list)  # "row 12: label 'bueno'"

    def add_sentiment(self, language: str, gold: str, predicted: str, *, five: bool) -> None:
        labels, table = (SENTIMENT_5, self.sentiment5) if five else (SENTIMENT_3, self.sentiment3)
        if not five:
            predicted = COLLAPSE[predicted]
        for key in ("all", language):
            table.setdefault(key, Confusion(labels)).add(gold, predicted)

    def add_emotions(self, language: str, gold: list[str], predicted: Iterable[str]) -> None:
        chosen = list(predicted)
        for key in ("all", language):
            self.emotions.setdefault(key, LabelTally(self.emotion_labels)).add(gold, chosen)

    @property
    def empty(self) -> bool:
        return not (self.sentiment3 or self.sentiment5 or self.emotions)

    def summary(self) -> dict[str, dict[str, float | int]]:
        """The headline figures per language: what the benchmark prints."""
        found: dict[str, dict[str, float | int]] = {}
        for key, confusion in self.sentiment3.items():
            found.setdefault(key, {}).update(
                n=confusion.n,
                accuracy_3=round(confusion.accuracy(), 3),
                macro_f1_3=round(confusion.macro_f1(), 3),
            )
        for key, confusion in self.sentiment5.items():
            found.setdefault(key, {}).update(
                accuracy_5=round(confusion.accuracy(), 3),
                macro_f1_5=round(confusion.macro_f1(), 3),
            )
        for key, tally in self.emotions.items():
            precision, recall, micro = tally.micro()
            found.setdefault(key, {}).update(
                emotion_micro_precision=round(precision, 3),
                emotion_micro_recall=round(recall, 3),
                emotion_micro_f1=round(micro, 3),
            )
        return found

    def lines(self) -> list[str]:
        lines: list[str] = []
        for title, table in (("3 classes", self.sentiment3), ("5 levels", self.sentiment5)):
            for key in sorted(table, key=lambda k: (k != "all", k)):
                confusion = table[key]
                lines += [
                    "",
                    f"Sentiment, {title} [{key}]: n={confusion.n}, "
                    f"accuracy {confusion.accuracy():.3f}, macro-F1 {confusion.macro_f1():.3f}",
                    *matrix_lines(confusion),
                    *score_lines(confusion.per_class()),
                ]
        for key in sorted(self.emotions, key=lambda k: (k != "all", k)):
            tally = self.emotions[key]
            precision, recall, micro = tally.micro()
            lines += [
                "",
                f"Emotions [{key}]: n={tally.n}, micro precision {precision:.3f}, "
                f"recall {recall:.3f}, F1 {micro:.3f}",
                *score_lines(tally.per_label()),
            ]
        if self.invalid:
            lines += ["", f"Rows with labels not understood ({len(self.invalid)}):"]
            lines += [f"  {problem}" for problem in self.invalid[:20]]
        return lines
