"""Schemas of the webhooks API (/api/v1/webhooks)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from vinculo.webhooks.choices import EventType


class EndpointIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    url: str = Field(..., min_length=1, max_length=500, description="A public http(s) URL.")
    event_types: list[EventType] = Field(..., min_length=1, description='Types, or ["*"].')
    active: bool = True


class EndpointOut(Schema):
    id: int
    name: str
    url: str
    event_types: list[str]
    active: bool
    secret_rotated_at: datetime | None
    created_at: datetime
    updated_at: datetime


class EndpointWithSecretOut(EndpointOut):
    secret: str = Field(..., description="Shown only here: when created or rotated.")


class EndpointPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[EndpointOut]


class SecretOut(Schema):
    secret: str


class AttemptOut(Schema):
    number: int
    started_at: datetime
    status_code: int | None
    error: str
    duration_ms: int | None
    response_excerpt: str


class DeliveryOut(Schema):
    id: int
    endpoint: int = Field(..., alias="endpoint_id")
    event_type: str
    event_key: str
    status: str
    attempts: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    delivered_at: datetime | None
    replay_of: int | None = Field(None, alias="replay_of_id")
    created_at: datetime


class DeliveryDetailOut(DeliveryOut):
    payload: dict[str, Any]
    attempt_log: list[AttemptOut] = Field(..., alias="attempt_log")


class DeliveryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[DeliveryOut]
