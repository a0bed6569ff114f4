"""Writing analyses: every open answer analysed once, and again when its text, the
lexicons or the topic rules change. Runs from the task (``tasks``) and the command."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict

from django.db import transaction

from vinculo.surveys.choices import QuestionKind
from vinculo.surveys.models import Answer
from vinculo.textan.engine import lexicon
from vinculo.textan.engine.pipeline import Analysis, analyze
from vinculo.textan.engine.topics import Topics
from vinculo.textan.models import AnalysisState, TextAnalysis, TextEmotion, TextTopic, Topic
from vinculo.textan.queries import topic_rules
from vinculo.textan.starter import STARTER, Node

TEXT_KINDS = (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT)
BATCH = 500
# New answers are found above the last one analysed; a transaction that took an id below
# it but committed later is caught by looking back this far on every pass.
LOOKBACK = 5_000


def digest(text: str) -> str:
    return hashlib.md5(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def current_version(topics: Topics) -> str:
    rules = sorted((r.topic_id, r.path, r.terms, r.excluded) for r in topics.rules.values())
    taxonomy = hashlib.sha256(repr(rules).encode()).hexdigest()[:8]
    return f"{lexicon.version()}+t{taxonomy}"


def lock_state() -> AnalysisState:
    AnalysisState.objects.get_or_create(pk=1)
    return AnalysisState.objects.select_for_update().get(pk=1)


@transaction.atomic
def analyze_new(limit: int = BATCH) -> int:
    """Analyses the next open answers that have no analysis yet; returns how many."""
    state = lock_state()
    ids = list(
        Answer.objects.filter(
            pk__gt=max(0, state.last_answer_id - LOOKBACK),
            question__kind__in=TEXT_KINDS,
            analysis__isnull=True,
        )
        .exclude(text="")
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    if not ids:
        return 0
    written = write_analyses(ids)
    if ids[-1] > state.last_answer_id:
        AnalysisState.objects.filter(pk=1).update(last_answer_id=ids[-1])
    return written


@transaction.atomic
def analyze_stale(limit: int = BATCH) -> int:
    """Re-analyses texts made with older lexicons or topic rules; returns how many."""
    lock_state()
    topics = topic_rules()
    version = current_version(topics)
    ids = list(
        TextAnalysis.objects.exclude(model_version=version)
        .order_by("answer_id")
        .values_list("answer_id", flat=True)[:limit]
    )
    return write_analyses(ids, topics=topics, version=version) if ids else 0


def write_analyses(
    answer_ids: Sequence[int], *, topics: Topics | None = None, version: str = ""
) -> int:
    """(Re)writes the analyses of these answers, skipping those already current. Call
    under ``lock_state`` (the task and the command do)."""
    topics = topics if topics is not None else topic_rules()
    version = version or current_version(topics)
    answers = Answer.objects.filter(pk__in=answer_ids, question__kind__in=TEXT_KINDS)
    existing = {a.answer_id: a for a in TextAnalysis.objects.filter(answer_id__in=answer_ids)}
    fresh: list[tuple[TextAnalysis, Analysis]] = []
    for answer_id, text in answers.values_list("pk", "text"):
        known = existing.get(answer_id)
        text_digest = digest(text)
        if known and known.text_digest == text_digest and known.model_version == version:
            continue
        found = analyze(text, topics)
        row = known or TextAnalysis(answer_id=answer_id)
        _fill(row, found, text_digest, version)
        fresh.append((row, found))
    if not fresh:
        return 0
    _store(fresh)
    return len(fresh)


def _fill(row: TextAnalysis, found: Analysis, text_digest: str, version: str) -> None:
    row.language = found.language
    row.sentiment = found.sentiment
    row.score = found.score
    row.emotions = found.emotions
    row.evidence = [asdict(e) for e in found.evidence]
    row.text_digest = text_digest
    row.model_version = version
    row.truncated = found.truncated


def _store(fresh: list[tuple[TextAnalysis, Analysis]]) -> None:
    old = [row for row, _found in fresh if row.pk]
    new = [row for row, _found in fresh if not row.pk]
    if old:
        TextEmotion.objects.filter(analysis__in=old).delete()
        TextTopic.objects.filter(analysis__in=old).delete()
        fields = ["language", "sentiment", "score", "emotions", "evidence", "text_digest"]
        TextAnalysis.objects.bulk_update(old, [*fields, "model_version", "truncated"])
    if new:
        TextAnalysis.objects.bulk_create(new)
        if any(row.pk is None for row in new):  # backends that do not return ids
            ids = dict(
                TextAnalysis.objects.filter(answer_id__in=[r.answer_id for r in new]).values_list(
                    "answer_id", "pk"
                )
            )
            for row in new:
                row.pk = ids[row.answer_id]
    emotions, topics = [], []
    for row, found in fresh:
        for name, intensity in found.emotions.items():
            emotions.append(TextEmotion(analysis=row, emotion=name, intensity=intensity))
        for hit in found.topics:
            topics.append(
                TextTopic(
                    analysis=row,
                    topic_id=hit.topic_id,
                    term=hit.term[:120],
                    start=hit.start,
                    end=hit.end,
                )
            )
    TextEmotion.objects.bulk_create(emotions)
    TextTopic.objects.bulk_create(topics)


@transaction.atomic
def add_starter_topics() -> int:
    """Adds the starter taxonomy's topics that are missing (by name under their parent);
    never changes one that exists. Returns how many were added."""
    added = 0

    def add(node: Node, parent: Topic | None) -> None:
        nonlocal added
        name, terms, children = node
        topic, created = Topic.objects.get_or_create(
            parent=parent, name=name, defaults={"terms": "\n".join(terms)}
        )
        added += created
        for child in children:
            add(child, topic)

    for node in STARTER:
        add(node, None)
    return added
