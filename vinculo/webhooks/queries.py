"""Read side of webhooks: the endpoints with their latest delivery, an endpoint's log."""

from __future__ import annotations

import time

from django.db.models import OuterRef, QuerySet, Subquery

from vinculo.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint


def endpoints_with_last_delivery() -> QuerySet[WebhookEndpoint]:
    """Every endpoint, annotated with its latest delivery's status, time and code."""
    latest = WebhookDelivery.objects.filter(endpoint=OuterRef("pk")).order_by("-created_at", "-pk")
    return WebhookEndpoint.objects.annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_created_at=Subquery(latest.values("created_at")[:1]),
        last_code=Subquery(latest.values("last_status_code")[:1]),
    )


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")


def delivery_with_attempts(delivery_id: int) -> WebhookDelivery | None:
    return (
        WebhookDelivery.objects.select_related("endpoint", "replay_of")
        .prefetch_related("attempt_log")
        .filter(pk=delivery_id)
        .first()
    )


def attempts_of(delivery: WebhookDelivery) -> list[WebhookAttempt]:
    return list(delivery.attempt_log.all())


_endpoints: tuple[float, list[WebhookEndpoint]] | None = None
ENDPOINTS_SECONDS = 5.0  # another process's edit of the endpoints is seen within this


def active_endpoints() -> list[WebhookEndpoint]:
    """The active endpoints, read once per ENDPOINTS_SECONDS: alert rules opening thousands
    of cases publish thousands of events, and most installations have no endpoint."""
    global _endpoints
    if _endpoints is None or time.monotonic() - _endpoints[0] > ENDPOINTS_SECONDS:
        _endpoints = (time.monotonic(), list(WebhookEndpoint.objects.filter(active=True)))
    return _endpoints[1]


def forget_endpoints() -> None:
    """Read the endpoints again next time (the services call it after every change)."""
    global _endpoints
    _endpoints = None
