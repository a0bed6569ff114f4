"""Signatures: what a delivery carries verifies with the endpoint's secret; a tampered
body, another secret or an old timestamp does not."""

from __future__ import annotations

import time

from django.utils import timezone

from vinculo.testservers import HttpPeer
from vinculo.webhooks.delivery import attempt_delivery
from vinculo.webhooks.signing import sign, signature_header, verify
from vinculo.webhooks.tests.helpers import endpoint_at, queued

SECRET = "whsec_test"
BODY = b'{"id":"case-event-1","type":"case.opened"}'


def test_a_signature_verifies_with_its_secret_and_body() -> None:
    now = int(time.time())

    assert verify(SECRET, BODY, signature_header(SECRET, BODY, now))


def test_a_tampered_body_or_another_secret_fails() -> None:
    now = int(time.time())
    header = signature_header(SECRET, BODY, now)

    assert not verify(SECRET, BODY.replace(b"opened", b"closed"), header)
    assert not verify("whsec_other", BODY, header)
    assert not verify(SECRET, BODY, "t=abc,v1=00")
    assert not verify(SECRET, BODY, "")


def test_an_old_timestamp_is_refused_even_when_correctly_signed() -> None:
    then = int(time.time()) - 3600

    assert not verify(SECRET, BODY, signature_header(SECRET, BODY, then))
    assert verify(SECRET, BODY, signature_header(SECRET, BODY, then), now=then + 10)


def test_the_signature_is_an_hmac_sha256_of_timestamp_dot_body() -> None:
    # Worked out with: printf '%s' '1700000000.{}' | openssl dgst -sha256 -hmac key
    expected = "9d713ed406bb7076d4123f0dc2c39d2df5c654ed4b0cd56b52c8b4c940bd63ae"

    assert sign("key", b"{}", 1700000000) == expected
    assert signature_header("key", b"{}", 1700000000) == f"t=1700000000,v1={expected}"


def test_a_delivery_arrives_signed_with_its_headers(db: None, http_peer: HttpPeer) -> None:
    endpoint = endpoint_at(f"{http_peer.url}/hook")
    delivery = queued(endpoint)

    attempt_delivery(delivery_id=delivery.pk, now=timezone.now())

    [request] = http_peer.wait_for(1)
    assert request.method == "POST" and request.path == "/hook"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Vinculo-Event"] == "case.opened"
    assert request.headers["Vinculo-Delivery"] == str(delivery.pk)
    assert request.headers["User-Agent"].startswith("Vinculo-Webhooks/")
    assert verify(endpoint.secret, request.body, request.headers["Vinculo-Signature"])
    assert not verify(endpoint.secret, request.body + b" ", request.headers["Vinculo-Signature"])
    assert request.json()["id"] == "evt-1"
