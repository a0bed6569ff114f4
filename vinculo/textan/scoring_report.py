"""A scored file's evaluation report: stored as JSON on its ``ScoringJob`` (what the API
returns) and laid out as tables, in the reader's language, for the page.

The figures are those of ``engine.evaluation`` (and of ``manage.py score_texts``): a
confusion matrix with per-class precision, recall and F1 and their macro average for
sentiment, per-emotion scores and their micro average for emotions; overall ("all") and
per language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from vinculo.textan.choices import Emotion, Language, Sentiment
from vinculo.textan.engine.evaluation import ClassScore, Confusion, Evaluation, LabelTally

MAX_INVALID = 20  # rows with labels not understood kept in the report (the count is whole)
DIGITS = 4


def _scores(scores: list[ClassScore]) -> list[dict[str, Any]]:
    return [
        {
            "label": s.label,
            "precision": round(s.precision, DIGITS),
            "recall": round(s.recall, DIGITS),
            "f1": round(s.f1, DIGITS),
            "support": s.support,
        }
        for s in scores
    ]


def _groups(table: dict[str, Any]) -> list[str]:
    return sorted(table, key=lambda key: (key != "all", key))


def _confusion(group: str, confusion: Confusion) -> dict[str, Any]:
    labels = list(confusion.labels)
    return {
        "group": group,
        "n": confusion.n,
        "accuracy": round(confusion.accuracy(), DIGITS),
        "macro_f1": round(confusion.macro_f1(), DIGITS),
        "labels": labels,
        "matrix": [[confusion.cell(gold, predicted) for predicted in labels] for gold in labels],
        "classes": _scores(confusion.per_class()),
    }


def _tally(group: str, tally: LabelTally) -> dict[str, Any]:
    precision, recall, micro = tally.micro()
    return {
        "group": group,
        "n": tally.n,
        "micro_precision": round(precision, DIGITS),
        "micro_recall": round(recall, DIGITS),
        "micro_f1": round(micro, DIGITS),
        "labels": _scores(tally.per_label()),
    }


def report_data(evaluation: Evaluation) -> dict[str, Any] | None:
    """The report as JSON; None when the file had no gold labels at all."""
    if evaluation.empty and not evaluation.invalid:
        return None
    three, five, emotions = evaluation.sentiment3, evaluation.sentiment5, evaluation.emotions
    return {
        "sentiment_3": [_confusion(g, three[g]) for g in _groups(three)],
        "sentiment_5": [_confusion(g, five[g]) for g in _groups(five)],
        "emotions": [_tally(g, emotions[g]) for g in _groups(emotions)],
        "invalid": evaluation.invalid[:MAX_INVALID],
        "invalid_count": len(evaluation.invalid),
    }


# The page's tables: the stored JSON with every label in the reader's language.


@dataclass(frozen=True)
class MatrixTable:
    title: str
    group: str
    n: int
    accuracy: float
    macro_f1: float
    labels: list[str]
    rows: list[tuple[str, list[int]]]  # gold label, counts per predicted label
    classes: list[dict[str, Any]]


@dataclass(frozen=True)
class EmotionTable:
    group: str
    n: int
    micro_precision: float
    micro_recall: float
    micro_f1: float
    labels: list[dict[str, Any]]


@dataclass(frozen=True)
class ReportTables:
    sentiment: list[MatrixTable]
    emotions: list[EmotionTable]
    invalid: list[str]
    invalid_count: int


def _label(value: str) -> str:
    for choices in (Sentiment, Emotion):
        if value in choices.values:
            return str(choices(value).label)
    return value


def _group(value: str) -> str:
    if value == "all":
        return _("All languages")
    return str(Language(value).label) if value in Language.values else value


def _named(classes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**c, "name": _label(c["label"])} for c in classes]


def report_tables(data: dict[str, Any] | None) -> ReportTables | None:
    if not data:
        return None
    sentiment = [
        MatrixTable(
            title=title,
            group=_group(g["group"]),
            n=g["n"],
            accuracy=g["accuracy"],
            macro_f1=g["macro_f1"],
            labels=[_label(label) for label in g["labels"]],
            rows=[(_label(label), g["matrix"][i]) for i, label in enumerate(g["labels"])],
            classes=_named(g["classes"]),
        )
        for key, title in (
            ("sentiment_3", _("Sentiment, 3 classes")),
            ("sentiment_5", _("Sentiment, 5 levels")),
        )
        for g in data[key]
    ]
    emotions = [
        EmotionTable(
            group=_group(g["group"]),
            n=g["n"],
            micro_precision=g["micro_precision"],
            micro_recall=g["micro_recall"],
            micro_f1=g["micro_f1"],
            labels=_named(g["labels"]),
        )
        for g in data["emotions"]
    ]
    return ReportTables(sentiment, emotions, data["invalid"], data["invalid_count"])
