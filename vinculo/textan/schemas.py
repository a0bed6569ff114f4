"""Schemas of the text analytics API: analyse a text, the insights, the words and phrases,
the topic taxonomy."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Schema

from vinculo.metrics.schemas import EstimateOut, estimate_out
from vinculo.textan.engine.pipeline import Analysis
from vinculo.textan.insights import Row, Share
from vinculo.textan.words import Driver, Term, WordView


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=100_000)


class EvidenceOut(Schema):
    start: int
    end: int
    term: str
    weight: float
    emotions: list[tuple[str, float]]
    negated: bool


class TopicHitOut(Schema):
    id: int
    path: str
    term: str
    start: int
    end: int


class AnalysisOut(Schema):
    language: str = Field(description="es, en, other (a language not read) or und (no words).")
    sentiment: str = Field(description="very_negative ... very_positive.")
    score: float = Field(description="-1 (very negative) to 1 (very positive).")
    emotions: dict[str, float] = Field(description="Intensity 0..1 of each emotion present.")
    topics: list[TopicHitOut]
    evidence: list[EvidenceOut]
    truncated: bool
    model_version: str


def analysis_out(found: Analysis, version: str) -> dict[str, Any]:
    return {
        "language": found.language,
        "sentiment": found.sentiment,
        "score": found.score,
        "emotions": found.emotions,
        "topics": [
            {"id": t.topic_id, "path": t.path, "term": t.term, "start": t.start, "end": t.end}
            for t in found.topics
        ],
        "evidence": [
            {
                "start": e.start,
                "end": e.end,
                "term": e.term,
                "weight": e.weight,
                "emotions": list(e.emotions),
                "negated": e.negated,
            }
            for e in found.evidence
        ],
        "truncated": found.truncated,
        "model_version": version,
    }


class InsightQuery(Schema):
    unit: str | None = Field(None, description="Unit code: its subtree (default: your units).")
    since: date | None = None
    until: date | None = None
    texts: Literal["", "feedback", "answers"] = Field(
        "", description="feedback, answers (open answers of customer surveys) or both."
    )


class BreakdownQuery(InsightQuery):
    by: Literal["unit", "channel", "touchpoint", "stage"] = "unit"


class ShareOut(Schema):
    key: str
    label: str
    count: int = Field(description="Texts with it.")
    share: EstimateOut = Field(description="Percent of the texts, 95% Wilson interval.")
    sentiment: EstimateOut | None = Field(
        None, description="Mean sentiment score of those texts, 95% t interval."
    )


class InsightsOut(Schema):
    n: int
    sentiment: EstimateOut
    emotions: list[ShareOut]
    topics: list[ShareOut]
    min_sample: int


class RowOut(Schema):
    key: str
    label: str
    n: int
    sentiment: EstimateOut
    emotions: dict[str, EstimateOut]


def share_out(share: Share) -> dict[str, Any]:
    return {
        "key": str(share.key),
        "label": share.label,
        "count": share.count,
        "share": estimate_out(share.estimate),
        "sentiment": estimate_out(share.score) if share.score is not None else None,
    }


def row_out(row: Row) -> dict[str, Any]:
    return {
        "key": str(row.key),
        "label": row.label,
        "n": row.n,
        "sentiment": estimate_out(row.score),
        "emotions": {name: estimate_out(e) for name, e in row.emotions.items()},
    }


class TopicIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    parent: int | None = None
    terms: list[str] = Field(default_factory=list, max_length=500)
    excluded_terms: list[str] = Field(default_factory=list, max_length=200)
    active: bool = True


class TopicOut(Schema):
    id: int
    name: str
    path: str
    parent: int | None
    terms: list[str]
    excluded_terms: list[str]
    active: bool


class TermOut(Schema):
    key: str = Field(description="The term folded (lower case, no accents), as counted.")
    text: str = Field(description="The term as customers most often wrote it.")
    words: int
    n: int = Field(description="Texts using it (once per text).")
    share: EstimateOut = Field(description="Percent of the texts read, 95% Wilson interval.")
    sentiment: EstimateOut = Field(description="Mean sentiment score of its texts, 95% t interval.")
    emotion: str | None = Field(description="The emotion most of its texts carry.")
    emotion_count: int = Field(description="Its texts carrying that emotion.")


class DriverOut(Schema):
    term: TermOut
    with_term: EstimateOut = Field(description="Percent of its texts with the outcome.")
    without: EstimateOut = Field(description="Percent of the other texts with the outcome.")
    odds_ratio: float
    low: float = Field(description="Interval adjusted for the terms tested (FDR 5%).")
    high: float


class WordsOut(Schema):
    n: int = Field(description="Texts read: the most recent `limit` of `total`.")
    total: int = Field(description="Texts in the filter.")
    limit: int
    min_sample: int = Field(description="Terms in fewer texts are not listed.")
    complete: bool = Field(description="False if rare terms were pruned while counting.")
    words: list[TermOut]
    phrases: list[TermOut]
    negative: list[DriverOut] = Field(description="Terms with more negative texts.")
    positive: list[DriverOut] = Field(description="Terms with more positive texts.")
    tested: int = Field(description="Terms tested as drivers.")


def term_out(term: Term) -> dict[str, Any]:
    return {
        "key": term.key,
        "text": term.text,
        "words": term.words,
        "n": term.n,
        "share": estimate_out(term.share),
        "sentiment": estimate_out(term.score),
        "emotion": term.emotion,
        "emotion_count": term.emotion_count,
    }


def words_out(view: WordView) -> dict[str, Any]:
    def driver(d: Driver) -> dict[str, Any]:
        return {
            "term": term_out(d.term),
            "with_term": estimate_out(d.with_term),
            "without": estimate_out(d.without),
            "odds_ratio": d.odds_ratio,
            "low": d.low,
            "high": d.high,
        }

    return {
        "n": view.n,
        "total": view.total,
        "limit": view.limit,
        "min_sample": view.min_sample,
        "complete": view.complete,
        "words": [term_out(t) for t in view.words],
        "phrases": [term_out(t) for t in view.phrases],
        "negative": [driver(d) for d in view.negative],
        "positive": [driver(d) for d in view.positive],
        "tested": view.tested,
    }
