"""Sending deliveries to a real HTTP server: retries with backoff until it answers 2xx,
failing at once on other 4xx, and a killed worker's delivery sent again once, never twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from vinculo.testservers import HttpPeer, unused_port
from vinculo.webhooks.choices import DeliveryStatus
from vinculo.webhooks.delivery import (
    INTERRUPTED,
    LEASE,
    Result,
    attempt_delivery,
    backoff,
    claim,
    deliver_due,
    record,
)
from vinculo.webhooks.models import WebhookAttempt, WebhookDelivery
from vinculo.webhooks.tests.helpers import endpoint_at, queued

MINUTE = timedelta(minutes=1)


def codes(delivery: WebhookDelivery) -> list[int | None]:
    return list(
        WebhookAttempt.objects.filter(delivery=delivery)
        .order_by("number")
        .values_list("status_code", flat=True)
    )


def test_a_receiver_answering_500_twice_then_200_gets_one_delivery_that_succeeds(
    db: None, http_peer: HttpPeer
) -> None:
    delivery = queued(endpoint_at(f"{http_peer.url}/hook"))
    http_peer.respond(500)
    http_peer.respond(500)
    http_peer.respond(200, {"ok": True})
    t0 = timezone.now()

    first = deliver_due(now=t0)
    too_early = deliver_due(now=t0 + 59 * timedelta(seconds=1))
    second = deliver_due(now=t0 + MINUTE)
    third = deliver_due(now=t0 + MINUTE + 5 * MINUTE)

    assert (first, too_early, second, third) == (1, 0, 1, 1)
    assert len(http_peer.wait_for(3)) == 3
    assert WebhookDelivery.objects.count() == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert delivery.attempts == 3
    assert delivery.delivered_at == t0 + 6 * MINUTE
    assert codes(delivery) == [500, 500, 200]
    assert (
        WebhookAttempt.objects.get(delivery=delivery, number=3).response_excerpt == '{"ok": true}'
    )
    assert deliver_due(now=t0 + timedelta(days=2)) == 0
    assert len(http_peer.requests) == 3


def test_backoff_grows_and_honours_a_longer_retry_after() -> None:
    assert [backoff(n).total_seconds() for n in range(1, 8)] == [
        60,
        300,
        1800,
        7200,
        21600,
        21600,
        21600,
    ]
    assert backoff(1, retry_after=120) == timedelta(seconds=120)
    assert backoff(3, retry_after=120) == timedelta(minutes=30)


def test_a_429_with_retry_after_waits_as_long_as_the_receiver_asks(
    db: None, http_peer: HttpPeer
) -> None:
    delivery = queued(endpoint_at(f"{http_peer.url}/hook"))
    http_peer.respond(429, headers={"Retry-After": "600"})
    t0 = timezone.now()

    status = attempt_delivery(delivery_id=delivery.pk, now=t0)

    delivery.refresh_from_db()
    assert status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == t0 + timedelta(seconds=600)
    assert deliver_due(now=t0 + 5 * MINUTE) == 0


def test_a_404_fails_at_once_without_retries(db: None, http_peer: HttpPeer) -> None:
    delivery = queued(endpoint_at(f"{http_peer.url}/gone"))
    http_peer.respond(404, {"error": "no such hook"})
    t0 = timezone.now()

    status = attempt_delivery(delivery_id=delivery.pk, now=t0)
    later = deliver_due(now=t0 + timedelta(days=1))

    delivery.refresh_from_db()
    assert status == DeliveryStatus.FAILED
    assert later == 0
    assert delivery.attempts == 1 and delivery.last_status_code == 404
    assert codes(delivery) == [404]
    assert len(http_peer.requests) == 1


def test_a_refused_connection_is_retried_and_recorded_without_a_code(db: None) -> None:
    delivery = queued(endpoint_at(f"http://127.0.0.1:{unused_port()}/hook"))
    t0 = timezone.now()

    status = attempt_delivery(delivery_id=delivery.pk, now=t0)

    delivery.refresh_from_db()
    attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert status == DeliveryStatus.PENDING
    assert delivery.next_attempt_at == t0 + MINUTE
    assert attempt.status_code is None and attempt.error


def test_after_the_last_allowed_try_the_delivery_fails(
    db: None, http_peer: HttpPeer, settings: object
) -> None:
    settings.WEBHOOKS_MAX_ATTEMPTS = 2  # type: ignore[attr-defined]
    delivery = queued(endpoint_at(f"{http_peer.url}/hook"))
    http_peer.respond(503)
    http_peer.respond(503)
    t0 = timezone.now()

    deliver_due(now=t0)
    deliver_due(now=t0 + MINUTE)
    deliver_due(now=t0 + timedelta(days=1))

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED
    assert codes(delivery) == [503, 503]


def test_a_delivery_another_worker_holds_is_not_sent_twice(db: None, http_peer: HttpPeer) -> None:
    delivery = queued(endpoint_at(f"{http_peer.url}/hook"))
    t0 = timezone.now()

    first = claim(delivery.pk, t0)
    second = claim(delivery.pk, t0)
    by_task = attempt_delivery(delivery_id=delivery.pk, now=t0 + timedelta(seconds=10))

    assert first is not None
    assert second is None and by_task is None
    assert http_peer.requests == []


def test_a_killed_workers_delivery_is_resent_once_by_the_sweeper_and_never_twice(
    db: None, http_peer: HttpPeer
) -> None:
    delivery = queued(endpoint_at(f"{http_peer.url}/hook"))
    t0 = timezone.now()
    killed = claim(delivery.pk, t0)  # the worker took it and died before sending
    assert killed is not None

    within_lease = deliver_due(now=t0 + LEASE - timedelta(seconds=1))
    after_lease = deliver_due(now=t0 + LEASE + timedelta(seconds=1))
    again = deliver_due(now=t0 + LEASE + timedelta(seconds=2))
    much_later = deliver_due(now=t0 + timedelta(days=1))
    # Had the worker only been slow, its late answer must not undo what was recorded.
    late_status = record(killed, Result(500, "HTTP 500", "", 5, True), t0 + LEASE * 2)

    assert (within_lease, after_lease, again, much_later) == (0, 1, 0, 0)
    assert len(http_peer.requests) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SUCCEEDED
    assert late_status == DeliveryStatus.SUCCEEDED
    attempts = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [a.number for a in attempts] == [1, 2]
    assert attempts[1].status_code == 200
    assert attempts[0].error in (INTERRUPTED, "HTTP 500")


def test_deliveries_of_an_inactive_endpoint_wait(db: None, http_peer: HttpPeer) -> None:
    endpoint = endpoint_at(f"{http_peer.url}/hook", active=False)
    delivery = queued(endpoint)

    assert deliver_due(now=timezone.now()) == 0

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.PENDING
    assert http_peer.requests == []


@pytest.mark.parametrize("code", [408, 502])
def test_timeouts_and_gateway_errors_are_retried(db: None, http_peer: HttpPeer, code: int) -> None:
    delivery = queued(endpoint_at(f"{http_peer.url}/hook"))
    http_peer.respond(code)

    assert attempt_delivery(delivery_id=delivery.pk, now=timezone.now()) == "pending"
