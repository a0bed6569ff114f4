"""Writing webhooks: endpoints (create, change, rotate the secret, switch on or off,
delete), queueing an event for the endpoints, a test event, replaying a delivery.

The pages and the API call these. URLs are checked at the edge (forms, the API) with
``destinations.check_destination``; the services assume valid input. Queued deliveries are
sent by ``deliver_webhook_task``, enqueued once the transaction commits.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.webhooks.choices import TEST_EVENT, DeliveryStatus
from vinculo.webhooks.models import WebhookDelivery, WebhookEndpoint
from vinculo.webhooks.queries import forget_endpoints
from vinculo.webhooks.signing import new_secret


class WebhookError(Exception):
    """A change the rules refuse; ``field`` names what to fix."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(message)


@dataclass(frozen=True)
class EndpointData:
    name: str
    url: str
    event_types: Sequence[str] = field(default_factory=list)
    active: bool = True


@transaction.atomic
def create_endpoint(*, actor: Actor, data: EndpointData) -> WebhookEndpoint:
    """A new endpoint with a fresh secret (the caller shows it once)."""
    endpoint = WebhookEndpoint(secret=new_secret(), created_by_id=actor.user_id)
    _apply(endpoint, data)
    endpoint.save()
    forget_endpoints()
    return endpoint


@transaction.atomic
def update_endpoint(
    *, actor: Actor, endpoint: WebhookEndpoint, data: EndpointData
) -> WebhookEndpoint:
    """Changes the name, URL, events or state; the secret stays."""
    _apply(endpoint, data)
    endpoint.save()
    forget_endpoints()
    return endpoint


@transaction.atomic
def rotate_secret(
    *, actor: Actor, endpoint: WebhookEndpoint, now: datetime | None = None
) -> WebhookEndpoint:
    """A new secret, in force for every delivery sent from now on (retries included)."""
    endpoint.secret = new_secret()
    endpoint.secret_rotated_at = now or timezone.now()
    endpoint.save(update_fields=["secret", "secret_rotated_at", "updated_at"])
    forget_endpoints()
    return endpoint


@transaction.atomic
def set_active(*, actor: Actor, endpoint: WebhookEndpoint, active: bool) -> WebhookEndpoint:
    """An inactive endpoint gets no new events, and its queued deliveries wait until it is
    active again."""
    if endpoint.active != active:
        endpoint.active = active
        endpoint.save(update_fields=["active", "updated_at"])
        forget_endpoints()
    return endpoint


@transaction.atomic
def delete_endpoint(*, actor: Actor, endpoint: WebhookEndpoint) -> None:
    """Deletes the endpoint with its delivery log."""
    endpoint.delete()
    forget_endpoints()


def queue_deliveries(
    *,
    endpoints: Sequence[WebhookEndpoint],
    event_type: str,
    event_key: str,
    payload: dict[str, Any],
    now: datetime | None = None,
) -> list[WebhookDelivery]:
    """One delivery of the event per endpoint, unless the endpoint has it already; each new
    one is sent once the transaction commits. Returns the new deliveries."""
    when = now or timezone.now()
    created = []
    with transaction.atomic():
        for endpoint in endpoints:
            delivery = _queue(endpoint, event_type, event_key, payload, when)
            if delivery is not None:
                created.append(delivery)
    return created


@transaction.atomic
def send_test_event(
    *, actor: Actor, endpoint: WebhookEndpoint, now: datetime | None = None
) -> WebhookDelivery:
    """Queues a ``webhook.test`` event to this endpoint alone, sent at once."""
    _require_active(endpoint)
    when = now or timezone.now()
    key = f"test-{uuid.uuid4().hex}"
    payload = {
        "id": key,
        "type": TEST_EVENT,
        "created_at": when.isoformat(),
        "data": {"endpoint": {"id": endpoint.pk, "name": endpoint.name}, "by": actor.label},
    }
    delivery = _queue(endpoint, TEST_EVENT, key, payload, when)
    assert delivery is not None  # a fresh key is never taken
    return delivery


@transaction.atomic
def replay(
    *, actor: Actor, delivery: WebhookDelivery, now: datetime | None = None
) -> WebhookDelivery:
    """A new delivery with the same event and payload (``replay_of`` the original), sent at
    once with the endpoint's current secret."""
    _require_active(delivery.endpoint)
    key = f"replay-{delivery.pk}-{uuid.uuid4().hex}"
    when = now or timezone.now()
    new = _queue(delivery.endpoint, delivery.event_type, key, delivery.payload, when, delivery)
    assert new is not None
    return new


def _apply(endpoint: WebhookEndpoint, data: EndpointData) -> None:
    endpoint.name = data.name.strip()[:100]
    endpoint.url = data.url.strip()
    endpoint.event_types = sorted(set(data.event_types))
    endpoint.active = data.active


def _require_active(endpoint: WebhookEndpoint) -> None:
    if not endpoint.active:
        raise WebhookError("endpoint", _("The endpoint is inactive: activate it first."))


def _queue(
    endpoint: WebhookEndpoint,
    event_type: str,
    key: str,
    payload: dict[str, Any],
    when: datetime,
    replay_of: WebhookDelivery | None = None,
) -> WebhookDelivery | None:
    if WebhookDelivery.objects.filter(endpoint=endpoint, event_key=key).exists():
        return None
    try:
        with transaction.atomic():
            delivery = WebhookDelivery.objects.create(
                endpoint=endpoint,
                event_type=event_type,
                event_key=key,
                payload=payload,
                status=DeliveryStatus.PENDING,
                next_attempt_at=when,
                created_at=when,
                replay_of=replay_of,
            )
    except IntegrityError:
        return None  # published at the same moment by another process
    # Robust: if the queue is down the sweeper sends it anyway; the change must stand.
    transaction.on_commit(lambda: _enqueue(delivery.pk), robust=True)
    return delivery


def _enqueue(delivery_id: int) -> None:
    from vinculo.webhooks.tasks import deliver_webhook_task

    deliver_webhook_task.enqueue(delivery_id)
