"""Writing analyses: every open answer analysed once, and again when its text, the
lexicons or the topic rules change. Runs from the task (``tasks``) and the command."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.feedback.models import FeedbackItem
from vinculo.surveys.choices import QuestionKind
from vinculo.surveys.models import Answer
from vinculo.textan.choices import SuggestionStatus
from vinculo.textan.discovery import find_clusters, uncategorised
from vinculo.textan.engine import lexicon
from vinculo.textan.engine.pipeline import Analysis, analyze
from vinculo.textan.engine.topics import Topics
from vinculo.textan.models import (
    AnalysisState,
    TextAnalysis,
    TextEmotion,
    TextTopic,
    Topic,
    TopicSuggestion,
)
from vinculo.textan.queries import place_words, topic_rules
from vinculo.textan.starter import STARTER, Node

TEXT_KINDS = (QuestionKind.LONG_TEXT, QuestionKind.SHORT_TEXT)
BATCH = 500
# New answers are found above the last one analysed; a transaction that took an id below
# it but committed later is caught by looking back this far on every pass.
LOOKBACK = 5_000
# The digest of an analysis whose text was erased with its customer: what it said stays,
# and it is never read again (there is nothing left to read).
ERASED = "erased"


def digest(text: str) -> str:
    return hashlib.md5(text.encode("utf-8", "surrogatepass"), usedforsecurity=False).hexdigest()


def current_version(topics: Topics) -> str:
    rules = sorted((r.topic_id, r.path, r.terms, r.excluded) for r in topics.rules.values())
    taxonomy = hashlib.sha256(repr(rules).encode()).hexdigest()[:8]
    return f"{lexicon.version()}+t{taxonomy}"


def lock_state() -> AnalysisState:
    AnalysisState.objects.get_or_create(pk=1)
    return AnalysisState.objects.select_for_update().get(pk=1)


@dataclass(frozen=True)
class Texts:
    """Where one kind of text lives: open answers, or feedback items."""

    link: str  # TextAnalysis's field pointing at it
    mark: str  # AnalysisState's field: the last one analysed

    def rows(self) -> QuerySet[Any]:
        if self.link == "answer":
            return Answer.objects.filter(question__kind__in=TEXT_KINDS)
        return FeedbackItem.objects.all()


ANSWERS = Texts("answer", "last_answer_id")
FEEDBACK = Texts("feedback", "last_feedback_id")
KINDS = (ANSWERS, FEEDBACK)


@transaction.atomic
def analyze_new(limit: int = BATCH, *, feedback_from: int = 0) -> int:
    """Analyses the next texts (answers, then feedback) that have no analysis yet;
    returns how many. ``feedback_from`` looks further back than the usual window: a long
    import committed ids far below the newest ones."""
    state = lock_state()
    written = 0
    for kind in KINDS:
        last = getattr(state, kind.mark)
        floor = max(0, last - LOOKBACK)
        if kind is FEEDBACK and feedback_from:
            floor = min(floor, feedback_from - 1)
        ids = list(
            kind.rows()
            .filter(pk__gt=floor, analysis__isnull=True)
            .exclude(text="")
            .order_by("pk")
            .values_list("pk", flat=True)[: limit - written]
        )
        if ids:
            written += write_analyses(kind, ids)
            if ids[-1] > last:
                AnalysisState.objects.filter(pk=1).update(**{kind.mark: ids[-1]})
        if written >= limit:
            break
    return written


@transaction.atomic
def analyze_stale(limit: int = BATCH) -> int:
    """Re-analyses texts made with older lexicons or topic rules; returns how many."""
    state = lock_state()
    topics = topic_rules()
    version = current_version(topics)
    if state.swept_version == version:
        return 0  # every text was read with these rules: no need to look through them all
    written = 0
    for kind in KINDS:
        ids = list(
            TextAnalysis.objects.exclude(model_version=version)
            .exclude(text_digest=ERASED)
            .filter(**{f"{kind.link}__isnull": False})
            .order_by(f"{kind.link}_id")
            .values_list(f"{kind.link}_id", flat=True)[: limit - written]
        )
        if ids:
            written += write_analyses(kind, ids, topics=topics, version=version)
        if written >= limit:
            break
    if not written:
        AnalysisState.objects.filter(pk=1).update(swept_version=version)
    return written


def write_analyses(
    kind: Texts, ids: Sequence[int], *, topics: Topics | None = None, version: str = ""
) -> int:
    """(Re)writes the analyses of these texts, skipping those already current. Call under
    ``lock_state`` (the task and the command do)."""
    topics = topics if topics is not None else topic_rules()
    version = version or current_version(topics)
    link_id = f"{kind.link}_id"
    known = {getattr(a, link_id): a for a in TextAnalysis.objects.filter(**{f"{link_id}__in": ids})}
    fresh: list[tuple[TextAnalysis, Analysis]] = []
    for pk, text in kind.rows().filter(pk__in=ids).values_list("pk", "text"):
        stored = known.get(pk)
        text_digest = digest(text)
        if stored and stored.text_digest == text_digest and stored.model_version == version:
            continue
        found = analyze(text, topics)
        row = stored or TextAnalysis(**{link_id: pk})
        _fill(row, found, text_digest, version)
        fresh.append((row, found))
    if not fresh:
        return 0
    _store(fresh, link_id)
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


def _store(fresh: list[tuple[TextAnalysis, Analysis]], link_id: str) -> None:
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
                TextAnalysis.objects.filter(
                    **{f"{link_id}__in": [getattr(r, link_id) for r in new]}
                ).values_list(link_id, "pk")
            )
            for row in new:
                row.pk = ids[getattr(row, link_id)]
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


@transaction.atomic
def save_topic(
    *,
    topic: Topic | None,
    name: str,
    parent: Topic | None,
    terms: str,
    excluded_terms: str,
    active: bool,
) -> Topic:
    """Creates or changes a topic. The texts already analysed are read again with the new
    rules by the next run of the analysis task (their model version no longer matches)."""
    topic = topic or Topic()
    topic.name, topic.parent = name, parent
    topic.terms, topic.excluded_terms, topic.active = terms, excluded_terms, active
    topic.save()
    return topic


@transaction.atomic
def discover_topics(*, limit: int = 5_000) -> list[TopicSuggestion]:
    """Clusters the most recent uncategorised texts (``discovery``) and replaces the
    pending suggestions with what it finds. Decided suggestions stay as history; one with
    the name and terms of a rejected suggestion is not made again."""
    clusters = find_clusters(uncategorised(limit), place_words())
    TopicSuggestion.objects.filter(status=SuggestionStatus.PENDING).delete()
    rejected = set(
        TopicSuggestion.objects.filter(status=SuggestionStatus.REJECTED).values_list(
            "name", "terms"
        )
    )
    fresh = []
    for cluster in clusters:
        terms = "\n".join(cluster.terms)
        if (cluster.name, terms) in rejected:
            continue
        fresh.append(
            TopicSuggestion(
                name=cluster.name,
                terms=terms,
                size=cluster.size,
                examples=[asdict(e) for e in cluster.examples],
            )
        )
    return TopicSuggestion.objects.bulk_create(fresh)


@transaction.atomic
def accept_suggestion(
    *, suggestion: TopicSuggestion, name: str, terms: str, parent: Topic | None, actor: Actor
) -> Topic:
    """Makes the suggestion a topic (named and with the terms the analyst chose) and asks
    for an analysis run, which gives the topic to the texts its terms match."""
    from vinculo.textan.tasks import analyse_soon  # tasks imports this module

    topic = save_topic(
        topic=None, name=name, parent=parent, terms=terms, excluded_terms="", active=True
    )
    _decide(suggestion, SuggestionStatus.ACCEPTED, actor, topic)
    analyse_soon()
    return topic


@transaction.atomic
def reject_suggestion(*, suggestion: TopicSuggestion, actor: Actor) -> None:
    """Sets the suggestion aside; discovery will not make it again."""
    _decide(suggestion, SuggestionStatus.REJECTED, actor, None)


def _decide(suggestion: TopicSuggestion, status: str, actor: Actor, topic: Topic | None) -> None:
    suggestion.status, suggestion.topic = status, topic
    suggestion.decided_by, suggestion.decided_at = actor.label[:150], timezone.now()
    suggestion.save(update_fields=["status", "topic", "decided_by", "decided_at", "updated_at"])
