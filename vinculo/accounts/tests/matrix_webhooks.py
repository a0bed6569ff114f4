"""The matrix rows of outgoing webhooks: the pages under /webhooks/ and /api/v1/webhooks.

Webhooks hold no customer's data of their own, but their deliveries carry cases of every
unit: only people with MANAGE_WEBHOOKS and a company-wide role (Alicia, Bruno) get in;
every other person gets 403. The endpoint and the delivery the rows read or change are
made on first use; the endpoint points at loopback, which the SSRF guard refuses, so a
test event or a replay sent from a row never leaves the machine.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.permissions import Perm
from vinculo.accounts.tests.matrix import A, Endpoint, World
from vinculo.accounts.tests.matrix_survey_api import op
from vinculo.accounts.tests.matrix_survey_pages import get, post
from vinculo.webhooks.models import WebhookDelivery, WebhookEndpoint
from vinculo.webhooks.services import EndpointData, create_endpoint, queue_deliveries

W = f"{A}/webhooks"
MANAGE = Perm.MANAGE_WEBHOOKS


def _endpoint_id(w: World) -> int:
    found = WebhookEndpoint.objects.filter(name="Matriz").first()
    if found is None:
        data = EndpointData(name="Matriz", url="http://127.0.0.1:9/matriz", event_types=["*"])
        found = create_endpoint(actor=SYSTEM, data=data)
    return found.pk


def _delivery_id(w: World) -> int:
    endpoint = WebhookEndpoint.objects.get(pk=_endpoint_id(w))
    found = WebhookDelivery.objects.filter(endpoint=endpoint, event_key="matriz-1").first()
    if found is None:
        payload = {"id": "matriz-1", "type": "case.opened", "created_at": "", "data": {}}
        [found] = queue_deliveries(
            endpoints=[endpoint], event_type="case.opened", event_key="matriz-1", payload=payload
        )
    return found.pk


def _page(name: str, method: str = "get", **options: Any) -> Endpoint:
    url = lambda w: reverse(name, args=[_endpoint_id(w)])  # noqa: E731
    return Endpoint(name, method, url, MANAGE, json=False, company_wide=True, **options)


def _delivery_page(name: str, method: str = "get") -> Endpoint:
    url = lambda w: reverse(name, args=[_delivery_id(w)])  # noqa: E731
    data = _nothing if method == "post" else None
    return Endpoint(name, method, url, MANAGE, data=data, json=False, company_wide=True)


def _nothing(w: World) -> dict[str, Any]:
    return {}


def _form(w: World) -> dict[str, Any]:
    return {
        "name": "Nuevo",
        "url": "https://hooks.invalid/matriz",
        "event_types": ["case.opened"],
        "active": "on",
    }


def _body(w: World) -> dict[str, Any]:
    return {"name": "Nuevo", "url": "https://hooks.invalid/matriz", "event_types": ["*"]}


def _api(method: str, suffix: str = "", **options: Any) -> Endpoint:
    name = f"{method.upper()} {W}/{{endpoint_id}}{suffix}"
    url = lambda w: f"{W}/{_endpoint_id(w)}{suffix}"  # noqa: E731
    return Endpoint(name, method, url, MANAGE, company_wide=True, **options)


def _delivery_api(method: str, suffix: str = "") -> Endpoint:
    name = f"{method.upper()} {W}/deliveries/{{delivery_id}}{suffix}"
    url = lambda w: f"{W}/deliveries/{_delivery_id(w)}{suffix}"  # noqa: E731
    return Endpoint(name, method, url, MANAGE, company_wide=True)


PAGES: list[Endpoint] = [
    get("webhooks:list", MANAGE, company_wide=True),
    get("webhooks:new", MANAGE, company_wide=True),
    post("webhooks:new", MANAGE, form=_form, company_wide=True),
    _page("webhooks:endpoint"),
    _page("webhooks:edit"),
    _page("webhooks:edit", "post", data=_form),
    _page("webhooks:rotate", "post", data=_nothing),
    _page("webhooks:toggle", "post", data=_nothing),
    _page("webhooks:test", "post", data=_nothing),
    _delivery_page("webhooks:delivery"),
    _delivery_page("webhooks:replay", "post"),
]

API: list[Endpoint] = [
    op("get", W, MANAGE, company_wide=True),
    op("post", W, MANAGE, body=_body, company_wide=True),
    _api("get"),
    _api("put", data=_body),
    _api("delete"),
    _api("post", "/rotate-secret"),
    _api("post", "/test"),
    _api("get", "/deliveries"),
    _delivery_api("get"),
    _delivery_api("post", "/replay"),
]
