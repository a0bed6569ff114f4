"""WebhookJsonProvider against a real HTTP server on loopback."""

import pytest

from vinculo.messaging.outcomes import PermanentFailure, TemporaryFailure
from vinculo.messaging.sms import WebhookJsonProvider
from vinculo.testservers import HttpPeer, unused_port


def provider(peer: HttpPeer, timeout: float = 2.0) -> WebhookJsonProvider:
    return WebhookJsonProvider(
        f"{peer.url}/sms", token="tok-123", sender="Vinculo", timeout=timeout
    )


def test_accepted_message_returns_the_gateways_id_and_posts_the_documented_json(http_peer):
    outcome = provider(http_peer).send(to="+34600111222", body="Hola", reference="inv-7")

    assert outcome.provider_message_id == "msg-1"
    assert outcome.status == "sent"
    assert outcome.provider == "webhook"
    [request] = http_peer.requests
    assert (request.method, request.path) == ("POST", "/sms")
    assert request.headers["Authorization"] == "Bearer tok-123"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json() == {
        "to": "+34600111222",
        "body": "Hola",
        "from": "Vinculo",
        "reference": "inv-7",
    }


def test_message_id_key_and_delivered_status_are_understood(http_peer):
    http_peer.respond(202, {"message_id": 991, "status": "delivered"})

    outcome = provider(http_peer).send(to="+34600111222", body="Hola", reference="inv-7")

    assert (outcome.provider_message_id, outcome.status) == ("991", "delivered")


def test_no_token_sends_no_authorization_header(http_peer):
    WebhookJsonProvider(http_peer.url).send(to="+34600111222", body="Hola", reference="r")

    assert "Authorization" not in http_peer.requests[0].headers


def test_server_error_is_temporary_and_names_the_status(http_peer):
    http_peer.respond(500, {"error": "database down"})

    with pytest.raises(TemporaryFailure) as failure:
        provider(http_peer).send(to="+34600111222", body="Hola", reference="inv-7")

    assert failure.value.reason == "HTTP 500 from provider: database down"


def test_rate_limit_is_temporary_and_keeps_the_retry_after_hint(http_peer):
    http_peer.respond(429, {"error": "slow down"}, headers={"Retry-After": "30"})

    with pytest.raises(TemporaryFailure) as failure:
        provider(http_peer).send(to="+34600111222", body="Hola", reference="inv-7")

    assert "HTTP 429" in failure.value.reason
    assert failure.value.retry_after == 30.0


def test_answer_slower_than_the_timeout_is_temporary_and_says_so(http_peer):
    http_peer.respond(200, {"id": "late"}, delay=3.0)

    with pytest.raises(TemporaryFailure) as failure:
        provider(http_peer, timeout=0.5).send(to="+34600111222", body="Hola", reference="r")

    assert failure.value.reason == "timed out after 0.5 s"


def test_client_error_is_permanent_but_not_a_bounce(http_peer):
    http_peer.respond(400, {"error": "body too long"})

    with pytest.raises(PermanentFailure) as failure:
        provider(http_peer).send(to="+34600111222", body="Hola", reference="inv-7")

    assert failure.value.reason == "HTTP 400 from provider: body too long"
    assert failure.value.bounced is False


def test_success_without_an_id_is_permanent_so_the_message_is_not_sent_twice(http_peer):
    http_peer.respond(200, {"ok": True})

    with pytest.raises(PermanentFailure) as failure:
        provider(http_peer).send(to="+34600111222", body="Hola", reference="inv-7")

    assert failure.value.reason == "HTTP 200 from provider without a message id"


def test_redirect_is_not_followed(http_peer):
    http_peer.respond(302, None, headers={"Location": f"{http_peer.url}/elsewhere"})

    with pytest.raises(PermanentFailure) as failure:
        provider(http_peer).send(to="+34600111222", body="Hola", reference="inv-7")

    assert "HTTP 302" in failure.value.reason
    assert len(http_peer.requests) == 1


def test_closed_port_is_temporary():
    gateway = WebhookJsonProvider(f"http://127.0.0.1:{unused_port()}/sms", timeout=2)

    with pytest.raises(TemporaryFailure) as failure:
        gateway.send(to="+34600111222", body="Hola", reference="inv-7")

    assert failure.value.reason == "cannot reach provider: Connection refused"


def test_number_not_in_e164_bounces_without_a_request(http_peer):
    with pytest.raises(PermanentFailure) as failure:
        provider(http_peer).send(to="600 111 222", body="Hola", reference="inv-7")

    assert failure.value.bounced is True
    assert http_peer.requests == []


def test_only_http_urls_are_accepted():
    with pytest.raises(ValueError, match="not an http"):
        WebhookJsonProvider("file:///etc/passwd")
