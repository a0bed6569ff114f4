"""The facts of each kind of event alert rules read, a chunk at a time: responses with
their answers, text analyses with their emotions and topics, feedback items, interactions
with their repeats. A few queries per chunk, whatever its size; values, not model objects.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Model, Q

from vinculo.cases.choices import Trigger
from vinculo.cases.rule_choices import RuleEvent
from vinculo.cases.services import TIMELINE_KIND
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.services import TIMELINE_KIND as FEEDBACK_KIND
from vinculo.journeys.models import Interaction
from vinculo.surveys.choices import QuestionKind, ResponseStatus, SurveyKind
from vinculo.surveys.events import RESPONSE_KIND
from vinculo.surveys.models import Answer, Response
from vinculo.textan.models import TextAnalysis, TextTopic, Topic

Facts = dict[str, Any]

# The columns every kind reads about its context, by the path to the record that has them.
CONTEXT = {
    "unit_id": "unit_id",
    "unit_path": "unit__path",
    "channel": "channel__code",
    "touchpoint": "touchpoint_id",
    "interaction_type": "touchpoint__interaction_type__code",
    "department_id": "touchpoint__interaction_type__department_id",
    "customer_id": "customer_id",
    "value_tier": "customer__value_tier",
    "lifecycle_stage": "customer__lifecycle_stage",
    "segment": "customer__segment",
}


def _context(prefix: str = "", **override: str) -> dict[str, str]:
    return {name: prefix + override.get(name, path) for name, path in CONTEXT.items()}


def _facts(row: dict[str, Any], columns: dict[str, str]) -> Facts:
    facts = {name: row[path] for name, path in columns.items()}
    if facts["touchpoint"] is not None:
        facts["touchpoint"] = str(facts["touchpoint"])
    if not facts["segment"]:
        facts["segment"] = None
    return facts


# -- reading each kind --------------------------------------------------------------------


# A response keeps the customer's segment and lifecycle stage as they were when answering.
AS_ANSWERED = {"segment": "segment", "lifecycle_stage": "lifecycle_stage"}


def read_responses(cursor: int, limit: int, needs: set[str]) -> list[Facts]:
    columns = _context(**AS_ANSWERED)
    rows = list(
        Response.objects.filter(
            pk__gt=cursor, status=ResponseStatus.COMPLETE, survey__kind=SurveyKind.CUSTOMER
        )
        .order_by("pk")
        .values("pk", "created_at", *columns.values())[:limit]
    )
    by_id: dict[int, Facts] = {}
    for row in rows:
        facts = _facts(row, columns)
        facts.update(id=row["pk"], created_at=row["created_at"], trigger=Trigger.RESPONSE)
        facts["trigger_id"] = row["pk"]
        by_id[row["pk"]] = facts
    measures: dict[str, str] = {
        QuestionKind.NPS: "nps",
        QuestionKind.CSAT: "csat",
        QuestionKind.CES: "ces",
    }
    answers = Answer.objects.filter(response_id__in=list(by_id), row="").values_list(
        "response_id", "question__key", "question__kind", "number", "text", "choices"
    )
    for response_id, key, kind, number, text, choices in answers:
        facts = by_id[response_id]
        if kind in measures and number is not None:
            facts.setdefault(measures[kind], float(number))
        value = float(number) if number is not None else (choices if choices else text or None)
        facts[f"answer:{key}"] = value
    return list(by_id.values())


def read_texts(cursor: int, limit: int, needs: set[str]) -> list[Facts]:
    on_answer = _context("answer__response__", **AS_ANSWERED)
    on_feedback = _context("feedback__")
    own = ("pk", "created_at", "language", "sentiment", "score", "emotions")
    rows = list(
        TextAnalysis.objects.filter(pk__gt=cursor)
        .filter(Q(feedback__isnull=False) | Q(answer__response__survey__kind=SurveyKind.CUSTOMER))
        .order_by("pk")
        .values(
            *own, "answer__response_id", "feedback_id", *on_answer.values(), *on_feedback.values()
        )[:limit]
    )
    topics = _topics_found([row["pk"] for row in rows]) if "topic" in needs else {}
    found = []
    for row in rows:
        if row["feedback_id"] is not None:
            facts = _facts(row, on_feedback)
            facts.update(trigger=Trigger.FEEDBACK, trigger_id=row["feedback_id"])
        else:
            facts = _facts(row, on_answer)
            facts.update(trigger=Trigger.RESPONSE, trigger_id=row["answer__response_id"])
        facts.update(
            id=row["pk"],
            created_at=row["created_at"],
            language=row["language"],
            sentiment=row["sentiment"],
            score=row["score"],
            topic=topics.get(row["pk"], frozenset()),
        )
        for emotion, intensity in (row["emotions"] or {}).items():
            facts[f"emotion:{emotion}"] = float(intensity)
        found.append(facts)
    return found


def _topics_found(analysis_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """Each analysis's topics with every topic above them (a rule on "Baja" matches a text
    about "Baja > Portabilidad")."""
    parents = dict(Topic.objects.values_list("pk", "parent_id"))
    found: dict[int, set[str]] = defaultdict(set)
    pairs = TextTopic.objects.filter(analysis_id__in=analysis_ids).values_list(
        "analysis_id", "topic_id"
    )
    for analysis_id, topic_id in pairs:
        seen: int | None = topic_id
        while seen is not None and str(seen) not in found[analysis_id]:
            found[analysis_id].add(str(seen))
            seen = parents.get(seen)
    return {pk: frozenset(ids) for pk, ids in found.items()}


def read_feedback(cursor: int, limit: int, needs: set[str]) -> list[Facts]:
    columns = _context()
    rows = FeedbackItem.objects.filter(pk__gt=cursor).order_by("pk")
    found = []
    for row in rows.values("pk", "created_at", "rating", "source", *columns.values())[:limit]:
        facts = _facts(row, columns)
        facts.update(id=row["pk"], created_at=row["created_at"], source=row["source"])
        facts.update(trigger=Trigger.FEEDBACK, trigger_id=row["pk"])
        facts["rating"] = float(row["rating"]) if row["rating"] is not None else None
        found.append(facts)
    return found


def read_interactions(cursor: int, limit: int, needs: set[str]) -> list[Facts]:
    columns = _context(channel="touchpoint__channel__code")
    rows = list(
        Interaction.objects.filter(pk__gt=cursor)
        .exclude(record_kind=TIMELINE_KIND)
        .order_by("pk")
        .values("pk", "created_at", "occurred_at", "record_kind", "record_id", *columns.values())[
            :limit
        ]
    )
    records = {RESPONSE_KIND: Trigger.RESPONSE, FEEDBACK_KIND: Trigger.FEEDBACK}
    found = []
    for row in rows:
        facts = _facts(row, columns)
        facts.update(id=row["pk"], created_at=row["created_at"], occurred_at=row["occurred_at"])
        # A response's or feedback item's own timeline row: its case is the record's case.
        trigger = records.get(row["record_kind"]) if row["record_id"] else None
        facts["trigger"] = trigger or Trigger.INTERACTION
        facts["trigger_id"] = row["record_id"] if trigger else row["pk"]
        found.append(facts)
    for key in sorted(k for k in needs if k.startswith("repeat:")):
        _count_repeats(found, key)
    return found


def _count_repeats(events: list[Facts], key: str) -> None:
    """``repeat:<type>:<days>``: the customer's interactions of that type in the days up
    to each event (itself included), read with one query for the whole chunk."""
    _prefix, type_code, days_text = key.split(":")
    days = timedelta(days=int(days_text))
    if not events:
        return
    earliest = min(e["occurred_at"] for e in events) - days
    latest = max(e["occurred_at"] for e in events)
    times: dict[int, list[datetime]] = defaultdict(list)
    rows = Interaction.objects.filter(
        customer_id__in={e["customer_id"] for e in events},
        touchpoint__interaction_type__code=type_code,
        occurred_at__gt=earliest,
        occurred_at__lte=latest,
    ).values_list("customer_id", "occurred_at")
    for customer_id, occurred_at in rows:
        times[customer_id].append(occurred_at)
    for stamps in times.values():
        stamps.sort()
    for event in events:
        stamps = times.get(event["customer_id"], [])
        end = bisect.bisect_right(stamps, event["occurred_at"])
        event[key] = end - bisect.bisect_right(stamps, event["occurred_at"] - days)


@dataclass(frozen=True)
class Source:
    kind: RuleEvent
    mark: str  # RuleState's field
    model: type[Model]
    read: Callable[[int, int, set[str]], list[Facts]]


SOURCES = (
    Source(RuleEvent.RESPONSE, "last_response_id", Response, read_responses),
    Source(RuleEvent.TEXT, "last_text_id", TextAnalysis, read_texts),
    Source(RuleEvent.FEEDBACK, "last_feedback_id", FeedbackItem, read_feedback),
    Source(RuleEvent.INTERACTION, "last_interaction_id", Interaction, read_interactions),
)
