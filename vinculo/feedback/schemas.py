"""Request and response bodies of the feedback API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from vinculo.customers.schemas import Attributes, IdentitiesIn
from vinculo.feedback.choices import Source
from vinculo.feedback.models import FeedbackItem
from vinculo.lib.apiedge import PageQuery
from vinculo.textan.choices import Emotion, Sentiment

MAX_TEXT = 1_000_000  # characters: a long e-mail thread fits; the analysis reads the start
MAX_BATCH = 1_000


class FeedbackIn(Schema):
    source: Source = Field(description="review, social, complaint, chat, email, call_note...")
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    unit: Annotated[str, Field(min_length=1, max_length=40)] = Field(
        description="Code of the unit it is about, within your scope."
    )
    channel: str | None = Field(
        None, max_length=40, description="Channel code; by default the source's usual one."
    )
    occurred_at: datetime | None = Field(
        None, description="When it was written (ISO 8601); now when left out."
    )
    site: str = Field("", max_length=80, description="Google, Trustpilot, App Store, a mailbox...")
    external_id: str = Field(
        "", max_length=200, description="The source's id: the same item again stores nothing."
    )
    rating: int | None = Field(None, ge=0, le=100)
    rating_max: int | None = Field(
        None, ge=1, le=100, description="The scale's top; 5 if left out."
    )
    title: str = Field("", max_length=300)
    author: str = Field("", max_length=200)
    contact: IdentitiesIn | None = Field(
        None, description="The sender's identities (e-mail, phone...) to find their customer."
    )
    customer_id: int | None = None
    attributes: Attributes = Field(default_factory=dict)

    @field_validator("text")
    @classmethod
    def _real_text(cls, value: str) -> str:
        if not value.strip():
            raise PydanticCustomError("empty_text", _("The text is empty."))
        if "\x00" in value:
            message = _("The text holds binary data (a NUL character), not text.")
            raise PydanticCustomError("binary_text", message)
        return value

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and timezone.is_naive(value):
            return timezone.make_aware(value)
        return value


class FeedbackBatchIn(Schema):
    items: list[FeedbackIn] = Field(min_length=1, max_length=MAX_BATCH)


class TopicFound(Schema):
    id: int
    name: str
    term: str
    start: int
    end: int


class AnalysisOut(Schema):
    language: str
    sentiment: str
    score: float
    emotions: dict[str, float]
    evidence: list[dict[str, Any]]
    topics: list[TopicFound]
    model_version: str


class FeedbackOut(Schema):
    id: int
    source: str
    site: str
    external_id: str
    channel: str = Field(alias="channel.code")
    unit: str = Field(alias="unit.code")
    customer_id: int | None = Field(
        alias="shown_customer_id", description="Null when you may not see the customer."
    )
    occurred_at: datetime
    rating: int | None
    rating_max: int | None
    title: str
    text: str
    author: str
    attributes: dict[str, Any]
    analysis: AnalysisOut | None = None

    @staticmethod
    def resolve_analysis(item: FeedbackItem) -> dict[str, Any] | None:
        analysis = getattr(item, "analysis", None)
        if analysis is None:
            return None
        topics = [
            {"id": t.topic_id, "name": t.topic.name, "term": t.term, "start": t.start, "end": t.end}
            for t in analysis.topics.all()
        ]
        return {
            "language": analysis.language,
            "sentiment": analysis.sentiment,
            "score": analysis.score,
            "emotions": analysis.emotions,
            "evidence": analysis.evidence,
            "topics": topics,
            "model_version": analysis.model_version,
        }


class FeedbackPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[FeedbackOut]


class FeedbackFilters(Schema):
    source: Source | None = None
    channel: str | None = Field(None, max_length=40)
    sentiment: Sentiment | None = None
    emotion: Emotion | None = None
    topic: int | None = Field(None, description="A topic id: it and the topics below it.")
    unit: str | None = Field(None, max_length=40, description="A unit code: its subtree.")
    since: date | None = None
    until: date | None = None
    q: str = Field("", max_length=200, description="Words the text contains.")
    customer: int | None = None


class FeedbackListQuery(PageQuery, FeedbackFilters):
    pass


class FeedbackExportQuery(FeedbackFilters):
    format: Literal["csv", "xlsx"] = "csv"
    sep: Literal["comma", "semicolon"] = Field("comma", description="CSV separator.")


class LinkCustomerIn(Schema):
    customer_id: int


class BatchOut(Schema):
    created: int
    existing: int
    ids: list[int]
