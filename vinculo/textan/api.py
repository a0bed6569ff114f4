"""The text analytics API (/api/v1/texts): read a text, the insights with n and 95%
intervals, and the topic taxonomy with its rules."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    field_error,
    not_found,
    raise_if_any,
    require,
    unit_in_scope,
)
from vinculo.lib.ratelimit import hit
from vinculo.metrics.filters import policy_min_sample
from vinculo.metrics.schemas import estimate_out
from vinculo.textan.choices import SuggestionStatus
from vinculo.textan.discovery import readable_examples
from vinculo.textan.engine.pipeline import analyze
from vinculo.textan.engine.topics import RuleError, compile_term
from vinculo.textan.insights import InsightFilter, breakdown, dimension_names, monthly, overview
from vinculo.textan.models import Topic, TopicSuggestion
from vinculo.textan.queries import topic_paths, topic_rules, topic_subtree
from vinculo.textan.schemas import (
    AnalysisOut,
    BreakdownQuery,
    InsightQuery,
    InsightsOut,
    RowOut,
    TextIn,
    TopicIn,
    TopicOut,
    WordsOut,
    analysis_out,
    row_out,
    share_out,
    words_out,
)
from vinculo.textan.scoring_api import router as scoring_router
from vinculo.textan.services import (
    accept_suggestion,
    current_version,
    reject_suggestion,
    save_topic,
)
from vinculo.textan.tasks import analyse_soon, discover_soon
from vinculo.textan.words import word_view

router = Router(tags=["text analytics"])


@router.post(
    "/analyze",
    response={200: AnalysisOut, 403: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut},
)
def analyze_text(request: HttpRequest, payload: TextIn) -> Any:
    """Reads one text as the background analysis would (nothing is stored); at most
    TEXT_ANALYZE_RATE_LIMIT texts a minute per person or key (files go to score_texts)."""
    actor = require(request, Perm.VIEW_FEEDBACK)
    limit = settings.TEXT_ANALYZE_RATE_LIMIT
    who = f"key{actor.api_key_id}" if actor.api_key_id else f"user{actor.user_id}"
    if limit and not hit(f"texts-analyze:{who}", limit=limit, window_seconds=60):
        return Status(429, {"detail": _("Too many texts this minute: try again shortly.")})
    topics = topic_rules()
    return analysis_out(analyze(payload.text, topics), current_version(topics))


def _filter(actor: Actor, params: InsightQuery) -> InsightFilter:
    unit = unit_in_scope(actor, params.unit, ("query", "unit")) if params.unit else None
    return InsightFilter(
        unit=unit,
        since=params.since,
        until=params.until,
        kind=params.texts,
        min_sample=policy_min_sample(),
    )


@router.get("/insights", response={200: InsightsOut, 403: ErrorOut, 422: ValidationErrorOut})
def insights(request: HttpRequest, params: Query[InsightQuery]) -> dict[str, Any]:
    """Mean sentiment, each emotion's and each topic's share of the texts in scope."""
    actor = require(request, Perm.VIEW_FEEDBACK)
    f = _filter(actor, params)
    found = overview(actor, f)
    return {
        "n": found.n,
        "sentiment": estimate_out(found.sentiment),
        "emotions": [share_out(s) for s in found.emotions],
        "topics": [share_out(s) for s in found.topics],
        "min_sample": f.min_sample,
    }


@router.get("/breakdown", response={200: list[RowOut], 403: ErrorOut, 422: ValidationErrorOut})
def insight_breakdown(request: HttpRequest, params: Query[BreakdownQuery]) -> list[dict[str, Any]]:
    """By unit, channel, touchpoint or journey stage (the emotion curve): texts, mean
    sentiment and each emotion's share."""
    actor = require(request, Perm.VIEW_FEEDBACK)
    rows = breakdown(actor, _filter(actor, params), params.by, dimension_names(params.by))
    return [row_out(r) for r in rows]


@router.get("/trend", response={200: list[RowOut], 403: ErrorOut, 422: ValidationErrorOut})
def insight_trend(request: HttpRequest, params: Query[InsightQuery]) -> list[dict[str, Any]]:
    """By month: texts, mean sentiment and each emotion's share (the emotion trend)."""
    actor = require(request, Perm.VIEW_FEEDBACK)
    return [row_out(r) for r in monthly(actor, _filter(actor, params))]


@router.get("/words", response={200: WordsOut, 403: ErrorOut, 422: ValidationErrorOut})
def insight_words(request: HttpRequest, params: Query[InsightQuery]) -> dict[str, Any]:
    """The most frequent words and phrases of the texts in scope (the most recent
    ``limit``), each with its texts, share and mean sentiment, and the terms whose texts
    are more negative or positive than the rest (docs/textan.md, "Words and phrases")."""
    actor = require(request, Perm.VIEW_FEEDBACK)
    return words_out(word_view(actor, _filter(actor, params)))


def _topic_out(topic: Topic, paths: dict[int, str]) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "name": topic.name,
        "path": paths[topic.pk],
        "parent": topic.parent_id,
        "terms": [t for t in topic.terms.splitlines() if t.strip()],
        "excluded_terms": [t for t in topic.excluded_terms.splitlines() if t.strip()],
        "active": topic.active,
    }


@router.get("/topics", response={200: list[TopicOut], 403: ErrorOut})
def list_topics(request: HttpRequest) -> list[dict[str, Any]]:
    require(request, Perm.VIEW_FEEDBACK)
    paths = topic_paths()
    return [_topic_out(t, paths) for t in sorted(Topic.objects.all(), key=lambda t: paths[t.pk])]


def _checked(payload: TopicIn, topic: Topic | None) -> Topic | None:
    """The parent, every term checked: a 422 naming ``terms[2]`` or ``parent`` otherwise."""
    errors: list[dict[str, Any]] = []
    for name in ("terms", "excluded_terms"):
        for index, term in enumerate(getattr(payload, name)):
            try:
                compile_term(term.strip(), None)
            except RuleError as error:
                errors.append(field_error(("body", name, index), "bad_term", str(error)))
    parent = None
    if payload.parent is not None:
        parent = Topic.objects.filter(pk=payload.parent).first()
        barred = topic_subtree(topic.pk) if topic is not None else set()
        if parent is None or parent.pk in barred:
            message = _("No such topic, or one below this topic.")
            errors.append(field_error(("body", "parent"), "bad_parent", message))
    clash = Topic.objects.filter(name=payload.name, parent_id=payload.parent)
    if topic is not None:
        clash = clash.exclude(pk=topic.pk)
    if clash.exists():
        message = _("A topic with this name already exists there.")
        errors.append(field_error(("body", "name"), "duplicate_name", message))
    raise_if_any(errors)
    return parent


def _save(payload: TopicIn, topic: Topic | None) -> dict[str, Any]:
    parent = _checked(payload, topic)
    saved = save_topic(
        topic=topic,
        name=payload.name,
        parent=parent,
        terms="\n".join(t.strip() for t in payload.terms if t.strip()),
        excluded_terms="\n".join(t.strip() for t in payload.excluded_terms if t.strip()),
        active=payload.active,
    )
    return _topic_out(saved, topic_paths())


@router.post("/topics", response={201: TopicOut, 403: ErrorOut, 422: ValidationErrorOut})
def create_topic(request: HttpRequest, payload: TopicIn) -> Status[Any]:
    """A new topic; texts already read get it at the next analysis run (see /rerun)."""
    require(request, Perm.MANAGE_TOPICS)
    return Status(201, _save(payload, None))


@router.put(
    "/topics/{int:topic_id}",
    response={200: TopicOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
)
def update_topic(request: HttpRequest, topic_id: int, payload: TopicIn) -> dict[str, Any]:
    require(request, Perm.MANAGE_TOPICS)
    topic = Topic.objects.filter(pk=topic_id).first()
    if topic is None:
        raise not_found()
    return _save(payload, topic)


@router.post("/rerun", response={202: dict[str, str], 403: ErrorOut})
def rerun(request: HttpRequest) -> Status[Any]:
    """Re-reads, in the background, every text made with older lexicons or topic rules."""
    require(request, Perm.MANAGE_TOPICS)
    analyse_soon()
    return Status(202, {"status": "queued"})


class SuggestionExampleOut(Schema):
    analysis: int
    excerpt: str


class SuggestionOut(Schema):
    id: int
    name: str
    terms: list[str]
    size: int
    examples: list[SuggestionExampleOut]
    status: str
    topic: int | None
    created_at: datetime


class AcceptIn(Schema):
    name: str = Field(min_length=1, max_length=80)
    terms: list[str] = Field(min_length=1, max_length=500)
    parent: int | None = None


def _suggestion_out(s: TopicSuggestion, examples: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": s.pk,
        "name": s.name,
        "terms": [t for t in s.terms.splitlines() if t.strip()],
        "size": s.size,
        "examples": examples,
        "status": s.status,
        "topic": s.topic_id,
        "created_at": s.created_at,
    }


def _pending(suggestion_id: int) -> TopicSuggestion:
    found = TopicSuggestion.objects.filter(
        pk=suggestion_id, status=SuggestionStatus.PENDING
    ).first()
    if found is None:
        raise not_found()
    return found


@router.get("/suggestions", response={200: list[SuggestionOut], 403: ErrorOut})
def list_suggestions(request: HttpRequest) -> list[dict[str, Any]]:
    """The pending suggested topics, largest first, with the example comments the caller
    may read."""
    actor = require(request, Perm.VIEW_FEEDBACK)
    pending = list(TopicSuggestion.objects.filter(status=SuggestionStatus.PENDING))
    examples = readable_examples(actor, pending)
    return [_suggestion_out(s, examples[s.pk]) for s in pending]


@router.post("/suggestions/discover", response={202: dict[str, str], 403: ErrorOut})
def discover(request: HttpRequest) -> Status[Any]:
    """Looks for topics among the uncategorised comments in the background; the pending
    suggestions are replaced by what it finds."""
    require(request, Perm.MANAGE_TOPICS)
    discover_soon()
    return Status(202, {"status": "queued"})


@router.post(
    "/suggestions/{int:suggestion_id}/accept",
    response={201: TopicOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
)
def accept(request: HttpRequest, suggestion_id: int, payload: AcceptIn) -> Status[Any]:
    """Makes the suggestion a topic with this name, terms and parent; the texts get it at
    the analysis run this starts."""
    actor = require(request, Perm.MANAGE_TOPICS)
    suggestion = _pending(suggestion_id)
    topic_in = TopicIn(name=payload.name, terms=payload.terms, parent=payload.parent)
    parent = _checked(topic_in, None)
    topic = accept_suggestion(
        suggestion=suggestion,
        name=payload.name,
        terms="\n".join(t.strip() for t in payload.terms if t.strip()),
        parent=parent,
        actor=actor,
    )
    return Status(201, _topic_out(topic, topic_paths()))


@router.post(
    "/suggestions/{int:suggestion_id}/reject",
    response={200: SuggestionOut, 403: ErrorOut, 404: ErrorOut},
)
def reject(request: HttpRequest, suggestion_id: int) -> dict[str, Any]:
    """Sets the suggestion aside; discovery will not make it again."""
    actor = require(request, Perm.MANAGE_TOPICS)
    suggestion = _pending(suggestion_id)
    reject_suggestion(suggestion=suggestion, actor=actor)
    return _suggestion_out(suggestion, readable_examples(actor, [suggestion])[suggestion.pk])


# /texts/score: scoring uploaded files of texts (scoring_api.py).
router.add_router("/score", scoring_router)
