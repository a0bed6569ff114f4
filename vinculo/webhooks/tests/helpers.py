"""Endpoints and deliveries for the webhook tests, made through the real services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vinculo.accounts.actors import SYSTEM
from vinculo.webhooks.models import WebhookDelivery, WebhookEndpoint
from vinculo.webhooks.services import EndpointData, create_endpoint, queue_deliveries


def endpoint_at(url: str, *types: str, name: str = "CRM", active: bool = True) -> WebhookEndpoint:
    data = EndpointData(name=name, url=url, event_types=list(types or ["*"]), active=active)
    return create_endpoint(actor=SYSTEM, data=data)


def queued(
    endpoint: WebhookEndpoint, key: str = "evt-1", now: datetime | None = None
) -> WebhookDelivery:
    """A case.opened delivery waiting to be sent (the on-commit send does not run in a
    test's transaction unless the test captures it)."""
    payload: dict[str, Any] = {"id": key, "type": "case.opened", "created_at": "", "data": {}}
    [delivery] = queue_deliveries(
        endpoints=[endpoint], event_type="case.opened", event_key=key, payload=payload, now=now
    )
    return delivery
