"""The SSRF guard: with WEBHOOKS_ALLOW_PRIVATE off, no endpoint may point at this machine
or a private network, neither when it is saved nor when a delivery is sent."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from vinculo.test import People, client_for
from vinculo.testservers import HttpPeer
from vinculo.webhooks.choices import DeliveryStatus
from vinculo.webhooks.delivery import attempt_delivery
from vinculo.webhooks.destinations import UnsafeDestination, check_destination
from vinculo.webhooks.models import WebhookAttempt, WebhookEndpoint
from vinculo.webhooks.tests.helpers import endpoint_at, queued

PRIVATE_URLS = [
    "http://127.0.0.1:8000/hook",
    "http://localhost/hook",
    "http://10.1.2.3/hook",
    "http://192.168.1.10/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://[::1]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://0.0.0.0/hook",
]


@pytest.fixture
def guarded(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = False


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_private_and_loopback_addresses_are_refused(guarded: None, url: str) -> None:
    with pytest.raises(UnsafeDestination) as refused:
        check_destination(url, require_resolution=False)

    assert refused.value.code == "private"


def test_public_addresses_and_unresolved_names_may_be_saved(guarded: None) -> None:
    check_destination("https://93.184.215.14/hook", require_resolution=False)
    check_destination("https://hooks.invalid/vinculo", require_resolution=False)

    with pytest.raises(UnsafeDestination):
        check_destination("https://hooks.invalid/vinculo", require_resolution=True)
    with pytest.raises(UnsafeDestination):
        check_destination("ftp://93.184.215.14/hook", require_resolution=False)


def test_the_api_refuses_a_loopback_url_naming_the_field(guarded: None, people: People) -> None:
    body = {"name": "Interno", "url": "http://127.0.0.1:5432/", "event_types": ["*"]}

    response = client_for(people.alicia).post(
        "/api/v1/webhooks", body, content_type="application/json"
    )

    assert response.status_code == 422
    assert [e["field"] for e in response.json()["detail"]] == ["url"]
    assert not WebhookEndpoint.objects.exists()


def test_the_page_refuses_a_private_url(guarded: None, people: People) -> None:
    form = {"name": "Interno", "url": "http://192.168.1.10/hook", "event_types": ["*"]}

    response = client_for(people.alicia).post("/webhooks/new/", form)

    assert response.status_code == 200
    assert "url" in response.context["form"].errors
    assert not WebhookEndpoint.objects.exists()


def test_a_saved_endpoint_now_pointing_inside_is_refused_when_sending(
    db: None, http_peer: HttpPeer, settings: Any
) -> None:
    delivery = queued(endpoint_at(f"{http_peer.url}/hook"))
    settings.WEBHOOKS_ALLOW_PRIVATE = False

    status = attempt_delivery(delivery_id=delivery.pk, now=timezone.now())

    assert status == DeliveryStatus.FAILED
    assert http_peer.requests == []
    assert WebhookAttempt.objects.get().error.startswith("refused:")
