"""The /webhooks/ pages: people who manage webhooks create an endpoint (its secret shown
once), read its delivery log and a delivery's attempts, send a test event, replay,
rotate the secret and deactivate; everybody else gets 403."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone, translation

from vinculo.test import People, client_for
from vinculo.testservers import HttpPeer
from vinculo.webhooks.choices import DeliveryStatus
from vinculo.webhooks.delivery import attempt_delivery
from vinculo.webhooks.models import WebhookDelivery, WebhookEndpoint
from vinculo.webhooks.signing import verify
from vinculo.webhooks.tests.helpers import endpoint_at, queued


def form(**changes: Any) -> dict[str, Any]:
    return {
        "name": "Slack #cx",
        "url": "https://hooks.invalid/slack",
        "event_types": ["case.opened", "case.escalated"],
        "active": "on",
        **changes,
    }


def test_an_analyst_creates_an_endpoint_and_sees_its_secret_once(people: People) -> None:
    bruno = client_for(people.bruno)

    created = bruno.post("/webhooks/new/", form())
    endpoint = WebhookEndpoint.objects.get()
    first = bruno.get(created["Location"]).content.decode()
    second = bruno.get(created["Location"]).content.decode()

    assert created.status_code == 302 and created["Location"] == f"/webhooks/{endpoint.pk}/"
    assert endpoint.event_types == ["case.escalated", "case.opened"]
    assert endpoint.created_by == people.bruno
    assert len(endpoint.secret) > 40
    assert endpoint.secret in first
    assert endpoint.secret not in second


def test_a_bad_form_names_the_field(people: People) -> None:
    translation.activate("en")
    response = client_for(people.alicia).post(
        "/webhooks/new/", form(url="not a url", event_types=[]), HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"url", "event_types"}
    page = response.content.decode()
    assert "URL: Enter a valid URL." in page
    assert "Events: This field is required." in page
    assert not WebhookEndpoint.objects.exists()


def test_the_list_shows_each_endpoint_with_its_last_delivery(
    people: People, django_assert_max_num_queries: Any
) -> None:
    for n in range(5):
        endpoint = endpoint_at(f"https://hooks.invalid/{n}", name=f"Hook {n}")
        queued(endpoint)
    client = client_for(people.alicia)
    client.get("/webhooks/")  # the session and the actor are read once

    with django_assert_max_num_queries(8):
        response = client.get("/webhooks/")

    assert response.status_code == 200
    assert [e.last_status for e in response.context["endpoints"]] == ["pending"] * 5


def test_the_endpoint_page_lists_its_deliveries_50_a_page(
    people: People, django_assert_max_num_queries: Any
) -> None:
    endpoint = endpoint_at("https://hooks.invalid/x")
    for n in range(55):
        queued(endpoint, key=f"evt-{n}")
    client = client_for(people.alicia)
    client.get(f"/webhooks/{endpoint.pk}/")

    with django_assert_max_num_queries(10):
        first = client.get(f"/webhooks/{endpoint.pk}/")
    second = client.get(f"/webhooks/{endpoint.pk}/?page=2")

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5


def test_a_test_event_is_sent_at_once_and_shown_with_its_attempt(
    people: People, http_peer: HttpPeer, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = endpoint_at(f"{http_peer.url}/hook")
    client = client_for(people.alicia)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/webhooks/{endpoint.pk}/test/")

    delivery = WebhookDelivery.objects.get()
    assert response["Location"] == f"/webhooks/deliveries/{delivery.pk}/"
    assert delivery.event_type == "webhook.test" and delivery.status == DeliveryStatus.SUCCEEDED
    [request] = http_peer.wait_for(1)
    assert verify(endpoint.secret, request.body, request.headers["Vinculo-Signature"])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert [a.status_code for a in page.context["attempts"]] == [200]


def test_replay_creates_a_new_delivery_that_succeeds(
    people: People, http_peer: HttpPeer, django_capture_on_commit_callbacks: Any
) -> None:
    original = queued(endpoint_at(f"{http_peer.url}/hook"))
    http_peer.respond(404)
    attempt_delivery(delivery_id=original.pk, now=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(people.bruno).post(f"/webhooks/deliveries/{original.pk}/replay/")

    replay = WebhookDelivery.objects.exclude(pk=original.pk).get()
    assert response["Location"] == f"/webhooks/deliveries/{replay.pk}/"
    assert replay.replay_of == original
    assert replay.payload == original.payload
    assert replay.status == DeliveryStatus.SUCCEEDED
    original.refresh_from_db()
    assert original.status == DeliveryStatus.FAILED
    assert [r.json()["id"] for r in http_peer.wait_for(2)] == ["evt-1", "evt-1"]


def test_rotating_the_secret_shows_the_new_one_once(people: People) -> None:
    endpoint = endpoint_at("https://hooks.invalid/x")
    old = endpoint.secret
    client = client_for(people.alicia)

    response = client.post(f"/webhooks/{endpoint.pk}/rotate/")
    endpoint.refresh_from_db()

    assert endpoint.secret != old and endpoint.secret_rotated_at is not None
    assert endpoint.secret in client.get(response["Location"]).content.decode()


def test_deactivating_stops_test_events(people: People) -> None:
    endpoint = endpoint_at("https://hooks.invalid/x")
    client = client_for(people.alicia)

    client.post(f"/webhooks/{endpoint.pk}/toggle/")
    tested = client.post(f"/webhooks/{endpoint.pk}/test/")
    edited = client.post(f"/webhooks/{endpoint.pk}/edit/", form(name="Renamed", active=""))

    endpoint.refresh_from_db()
    assert endpoint.active is False and endpoint.name == "Renamed"
    assert tested.status_code == 302 and edited.status_code == 302
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize("person", ["carmen", "diego", "elena", "fernando", "nadie"])
def test_people_who_do_not_manage_webhooks_get_403(people: People, person: str) -> None:
    endpoint = endpoint_at("https://hooks.invalid/x")
    delivery = queued(endpoint)
    client = client_for(people.by_name(person))

    assert client.get("/webhooks/").status_code == 403
    assert client.post("/webhooks/new/", form()).status_code == 403
    assert client.get(f"/webhooks/{endpoint.pk}/").status_code == 403
    assert client.post(f"/webhooks/{endpoint.pk}/rotate/").status_code == 403
    assert client.post(f"/webhooks/deliveries/{delivery.pk}/replay/").status_code == 403
    assert WebhookEndpoint.objects.count() == 1 and WebhookDelivery.objects.count() == 1
