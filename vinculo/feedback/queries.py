"""Read side of feedback: the items a person may see, filtered as the inbox and the API
filter them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Case, Exists, F, OuterRef, Prefetch, QuerySet, When

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.customers.queries import visible_customers
from vinculo.feedback.models import FeedbackItem
from vinculo.lib.dates import day_start
from vinculo.textan.models import TextEmotion, TextTopic
from vinculo.textan.queries import topic_subtree


@dataclass(frozen=True)
class FeedbackFilter:
    source: str = ""
    channel: str = ""  # channel code
    sentiment: str = ""
    emotion: str = ""
    topic: int | None = None  # a topic and everything below it
    unit: Unit | None = None  # that unit's subtree
    since: date | None = None  # written on or after, in the server's time zone
    until: date | None = None  # written on or before
    text: str = ""
    customer: int | None = None


def visible_feedback(actor: Actor) -> QuerySet[FeedbackItem]:
    rows = FeedbackItem.objects.all()
    if actor.unit_ids is not None:
        rows = rows.filter(unit_id__in=actor.unit_ids)
    return rows


def feedback_list(actor: Actor, filters: FeedbackFilter) -> QuerySet[FeedbackItem]:
    """The items the actor may see, newest first, with their analysis."""
    rows = visible_feedback(actor).select_related(
        "unit", "channel", "customer", "analysis", "touchpoint__stage"
    )
    if actor.unit_ids is not None:
        # The customer's id is shown only to those who may see that customer.
        seen = visible_customers(actor).filter(pk=OuterRef("customer_id"))
        rows = rows.annotate(
            shown_customer_id=Case(When(Exists(seen), then=F("customer_id")), default=None)
        )
    else:
        rows = rows.annotate(shown_customer_id=F("customer_id"))
    f = filters
    if f.unit is not None:
        rows = rows.filter(unit__path__startswith=f.unit.path)
    if f.source:
        rows = rows.filter(source=f.source)
    if f.channel:
        rows = rows.filter(channel__code=f.channel)
    if f.sentiment:
        rows = rows.filter(analysis__sentiment=f.sentiment)
    if f.emotion:
        rows = rows.filter(analysis__felt__emotion=f.emotion)
    if f.topic is not None:
        rows = rows.filter(analysis__topics__topic_id__in=topic_subtree(f.topic)).distinct()
    if f.since is not None:
        rows = rows.filter(occurred_at__gte=day_start(f.since))
    if f.until is not None:
        rows = rows.filter(occurred_at__lt=day_start(f.until + timedelta(days=1)))
    if f.text:
        rows = rows.filter(text__icontains=f.text)
    if f.customer is not None:
        rows = rows.filter(customer_id=f.customer)
    return rows.order_by("-occurred_at", "-id")


def with_analysis(rows: QuerySet[FeedbackItem]) -> QuerySet[FeedbackItem]:
    """The items with their topics and emotions (strongest first) read in two queries per
    batch of items, whatever their number."""
    return rows.prefetch_related(
        Prefetch("analysis__topics", queryset=TextTopic.objects.select_related("topic")),
        Prefetch("analysis__felt", queryset=TextEmotion.objects.order_by("-intensity")),
    )
