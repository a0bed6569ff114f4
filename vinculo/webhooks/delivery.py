"""Sending deliveries: take one, POST it signed, record the answer, plan the retry.

**One sender per try.** A worker takes a delivery with one conditional UPDATE (pending and
due, or sending with its lease run out → sending, leased until now + ``LEASE``) and writes
the attempt row in the same transaction; two workers can never both take the same try. The
HTTP call happens outside any transaction. The answer is recorded only if the lease is
still the one this worker took (``claimed_until`` works as a fencing token), so a worker
that was merely slow cannot overwrite what the one that took over recorded.

**A killed worker** leaves its delivery in "sending": once the lease runs out the sweeper
(``deliver_due``, run periodically) takes it again, marks the cut-short attempt and sends
once more. Receivers may see an event twice only when a worker died after the receiver
answered and before the answer was stored; ``Vinculo-Delivery`` and the payload's ``id``
let them drop the copy.

**Retries.** 2xx succeeds. 408, 429, 5xx and network trouble are tried again after
``BACKOFF`` (or the receiver's Retry-After, if longer) until ``WEBHOOKS_MAX_ATTEMPTS``;
any other status (3xx, 4xx) fails at once, as does a URL that is not public.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from vinculo.messaging import httpclient
from vinculo.messaging.outcomes import TemporaryFailure, short_reason
from vinculo.webhooks import signing
from vinculo.webhooks.choices import DeliveryStatus
from vinculo.webhooks.destinations import UnsafeDestination, check_destination
from vinculo.webhooks.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint

# Waits after the 1st, 2nd, ... failed try; the last one repeats.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
# A Retry-After longer than this is the receiver's mistake, not a plan.
MAX_RETRY_AFTER = timedelta(hours=24)
RETRYABLE = frozenset({408, 429})
# Far longer than one POST can take (a few timeouts): a lease that runs out means the
# worker is gone, not slow.
LEASE = timedelta(minutes=2)
EXCERPT_CHARS = 500
INTERRUPTED = "interrupted: the worker stopped before the answer was recorded"


@dataclass(frozen=True)
class Claim:
    delivery: WebhookDelivery
    attempt: WebhookAttempt
    until: datetime


@dataclass(frozen=True)
class Result:
    status_code: int | None
    error: str
    excerpt: str
    duration_ms: int
    retryable: bool
    retry_after: float | None = None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def backoff(failed_tries: int, retry_after: float | None = None) -> timedelta:
    """How long to wait after the ``failed_tries``-th failed try."""
    wait = BACKOFF[min(failed_tries, len(BACKOFF)) - 1]
    if retry_after is not None:
        wait = max(wait, min(timedelta(seconds=retry_after), MAX_RETRY_AFTER))
    return wait


def claimable(now: datetime) -> Q:
    """Due pending deliveries and abandoned sending ones, of active endpoints.

    Only columns of the delivery itself (the endpoints in a subquery of their own table):
    a join would make Django UPDATE through ``pk IN (SELECT ...)``, whose conditions
    PostgreSQL does not check again after waiting for a concurrent claim's row lock.
    """
    due = Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
    abandoned = Q(status=DeliveryStatus.SENDING, claimed_until__lt=now)
    active = WebhookEndpoint.objects.filter(active=True).values("pk")
    return (due | abandoned) & Q(endpoint_id__in=active)


def claim(delivery_id: int, now: datetime) -> Claim | None:
    """Takes the delivery for one try, or None when it is not due or another worker has it."""
    until = now + LEASE
    with transaction.atomic():
        taken = (
            WebhookDelivery.objects.filter(claimable(now), pk=delivery_id)
            .filter(attempts__lt=settings.WEBHOOKS_MAX_ATTEMPTS)
            .update(
                status=DeliveryStatus.SENDING,
                claimed_until=until,
                attempts=F("attempts") + 1,
                updated_at=now,
            )
        )
        if not taken:
            return None
        delivery = WebhookDelivery.objects.select_related("endpoint").get(pk=delivery_id)
        # A try its worker never finished: say so rather than leave it looking in flight.
        WebhookAttempt.objects.filter(delivery=delivery, finished=False).update(
            error=INTERRUPTED, finished=True
        )
        attempt = WebhookAttempt.objects.create(
            delivery=delivery, number=delivery.attempts, started_at=now
        )
    return Claim(delivery, attempt, until)


def send(delivery: WebhookDelivery, now: datetime) -> Result:
    """POSTs the delivery once, signed; never raises for what the receiver or network does."""
    endpoint = delivery.endpoint
    body = signing.encode(delivery.payload)
    started = time.monotonic()
    try:
        check_destination(endpoint.url, require_resolution=True)
    except UnsafeDestination as exc:
        retry = exc.code == "unresolved"
        return Result(None, short_reason(f"refused: {exc}"), "", 0, retryable=retry)
    headers = signing.headers(
        secret=endpoint.secret,
        body=body,
        event_type=delivery.event_type,
        delivery_id=delivery.pk,
        timestamp=int(now.timestamp()),
    )
    try:
        reply = httpclient.post(
            endpoint.url, body=body, headers=headers, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS
        )
    except TemporaryFailure as exc:
        return Result(None, exc.reason, "", _since(started), retryable=True)
    excerpt = reply.body[:EXCERPT_CHARS].decode("utf-8", "replace")[:EXCERPT_CHARS]
    code = reply.status
    error = "" if reply.ok else f"HTTP {code}"
    retryable = code in RETRYABLE or code >= 500
    retry_after = _retry_after(reply.headers.get("Retry-After", ""))
    return Result(code, error, excerpt, _since(started), retryable, retry_after)


def record(claim: Claim, result: Result, now: datetime) -> str:
    """Stores the try's answer and what happens next; returns the delivery's status."""
    tries = claim.delivery.attempts
    if result.ok:
        changes = {"status": DeliveryStatus.SUCCEEDED, "delivered_at": now}
    elif result.retryable and tries < settings.WEBHOOKS_MAX_ATTEMPTS:
        wait = backoff(tries, result.retry_after)
        changes = {"status": DeliveryStatus.PENDING, "next_attempt_at": now + wait}
    else:
        changes = {"status": DeliveryStatus.FAILED, "next_attempt_at": None}
    with transaction.atomic():
        WebhookAttempt.objects.filter(pk=claim.attempt.pk).update(
            status_code=result.status_code,
            error=result.error,
            duration_ms=result.duration_ms,
            response_excerpt=result.excerpt,
            finished=True,
        )
        still_ours = WebhookDelivery.objects.filter(
            pk=claim.delivery.pk, status=DeliveryStatus.SENDING, claimed_until=claim.until
        ).update(
            **changes,
            claimed_until=None,
            last_status_code=result.status_code,
            last_error=result.error,
            updated_at=now,
        )
    if not still_ours:  # another worker took over after the lease ran out: theirs stands
        status: str = WebhookDelivery.objects.values_list("status", flat=True).get(
            pk=claim.delivery.pk
        )
        return status
    return str(changes["status"])


def attempt_delivery(*, delivery_id: int, now: datetime | None = None) -> str | None:
    """One try of one delivery, if it is due and free; returns its new status, or None
    when there was nothing to do."""
    when = now or timezone.now()
    taken = claim(delivery_id, when)
    if taken is None:
        return None
    return record(taken, send(taken.delivery, when), when)


def deliver_due(*, now: datetime | None = None, limit: int = 200) -> int:
    """Tries every delivery that is due, or whose worker stopped; returns how many it sent.
    Safe to run twice at once: each try is claimed."""
    when = now or timezone.now()
    _fail_abandoned_last_tries(when)
    due = (
        WebhookDelivery.objects.filter(claimable(when))
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(attempt_delivery(delivery_id=pk, now=when) is not None for pk in list(due))


def _fail_abandoned_last_tries(now: datetime) -> None:
    """A delivery whose last allowed try lost its worker fails rather than wait for ever."""
    with transaction.atomic():
        abandoned = WebhookDelivery.objects.filter(
            status=DeliveryStatus.SENDING,
            claimed_until__lt=now,
            attempts__gte=settings.WEBHOOKS_MAX_ATTEMPTS,
        )
        WebhookAttempt.objects.filter(delivery__in=abandoned, finished=False).update(
            error=INTERRUPTED, finished=True
        )
        abandoned.update(
            status=DeliveryStatus.FAILED, claimed_until=None, last_error=INTERRUPTED, updated_at=now
        )


def _since(started: float) -> int:
    return round((time.monotonic() - started) * 1000)


def _retry_after(raw: str) -> float | None:
    raw = raw.strip()
    return float(raw) if raw.isdigit() else None
