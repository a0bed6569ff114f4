"""The webhooks API (/api/v1/webhooks): endpoints (list, create, read, replace, delete,
rotate the secret, send a test event), an endpoint's deliveries, a delivery with its
attempts, replaying one. Everything needs MANAGE_WEBHOOKS and a company-wide role or key.
The secret is in the answer only when it is created or rotated."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.lib.apiedge import (
    ErrorOut,
    PageQuery,
    ValidationErrorOut,
    invalid,
    not_found,
    page,
    require,
)
from vinculo.webhooks import queries, services
from vinculo.webhooks.forms import url_problem
from vinculo.webhooks.models import WebhookDelivery, WebhookEndpoint
from vinculo.webhooks.schemas import (
    DeliveryDetailOut,
    DeliveryOut,
    DeliveryPage,
    EndpointIn,
    EndpointOut,
    EndpointPage,
    EndpointWithSecretOut,
    SecretOut,
)
from vinculo.webhooks.services import EndpointData, WebhookError

router = Router(tags=["webhooks"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _manager(request: HttpRequest) -> Actor:
    actor = require(request, Perm.MANAGE_WEBHOOKS)
    if not actor.is_company_wide:
        raise HttpError(403, _("Webhooks need a role or key for the whole company."))
    return actor


def _endpoint(endpoint_id: int) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise not_found()
    return endpoint


def _delivery(delivery_id: int) -> WebhookDelivery:
    delivery = queries.delivery_with_attempts(delivery_id)
    if delivery is None:
        raise not_found()
    return delivery


def _data(payload: EndpointIn) -> EndpointData:
    if problem := url_problem(payload.url):
        raise invalid(("body", "url"), "unsafe_url", problem)
    types = [str(t) for t in payload.event_types]
    return EndpointData(payload.name, payload.url, types, payload.active)


def _refused(error: WebhookError) -> Exception:
    return invalid(("body", error.field), "refused", error.message)


@router.get("", response={200: EndpointPage, **ERRORS})
def list_endpoints(request: HttpRequest, params: Query[PageQuery]) -> Any:
    _manager(request)
    return page(WebhookEndpoint.objects.all(), params)


@router.post("", response={201: EndpointWithSecretOut, **ERRORS})
def create_endpoint(request: HttpRequest, payload: EndpointIn) -> Any:
    """A new endpoint; its ``secret`` is in this answer only."""
    actor = _manager(request)
    return Status(201, services.create_endpoint(actor=actor, data=_data(payload)))


@router.get("/{endpoint_id}", response={200: EndpointOut, **ERRORS})
def get_endpoint(request: HttpRequest, endpoint_id: int) -> Any:
    _manager(request)
    return _endpoint(endpoint_id)


@router.put("/{endpoint_id}", response={200: EndpointOut, **ERRORS})
def replace_endpoint(request: HttpRequest, endpoint_id: int, payload: EndpointIn) -> Any:
    actor = _manager(request)
    endpoint = _endpoint(endpoint_id)
    return services.update_endpoint(actor=actor, endpoint=endpoint, data=_data(payload))


@router.delete("/{endpoint_id}", response={204: None, **ERRORS})
def delete_endpoint(request: HttpRequest, endpoint_id: int) -> Any:
    """Deletes the endpoint and its delivery log."""
    actor = _manager(request)
    services.delete_endpoint(actor=actor, endpoint=_endpoint(endpoint_id))
    return Status(204, None)


@router.post("/{endpoint_id}/rotate-secret", response={200: SecretOut, **ERRORS})
def rotate_secret(request: HttpRequest, endpoint_id: int) -> Any:
    """A new secret, used from now on; the old one stops working at once."""
    actor = _manager(request)
    endpoint = services.rotate_secret(actor=actor, endpoint=_endpoint(endpoint_id))
    return {"secret": endpoint.secret}


@router.post("/{endpoint_id}/test", response={202: DeliveryOut, **ERRORS})
def send_test_event(request: HttpRequest, endpoint_id: int) -> Any:
    """Queues a ``webhook.test`` event to this endpoint, sent at once."""
    actor = _manager(request)
    try:
        delivery = services.send_test_event(actor=actor, endpoint=_endpoint(endpoint_id))
    except WebhookError as error:
        raise _refused(error) from error
    return Status(202, delivery)


@router.get("/{endpoint_id}/deliveries", response={200: DeliveryPage, **ERRORS})
def list_deliveries(request: HttpRequest, endpoint_id: int, params: Query[PageQuery]) -> Any:
    """The endpoint's deliveries, newest first."""
    _manager(request)
    return page(queries.deliveries_of(_endpoint(endpoint_id)), params)


@router.get("/deliveries/{delivery_id}", response={200: DeliveryDetailOut, **ERRORS})
def get_delivery(request: HttpRequest, delivery_id: int) -> Any:
    """A delivery with its payload and every attempt."""
    _manager(request)
    return _delivery(delivery_id)


@router.post("/deliveries/{delivery_id}/replay", response={201: DeliveryOut, **ERRORS})
def replay_delivery(request: HttpRequest, delivery_id: int) -> Any:
    """A new delivery of the same payload (``replay_of`` this one), sent at once."""
    actor = _manager(request)
    try:
        new = services.replay(actor=actor, delivery=_delivery(delivery_id))
    except WebhookError as error:
        raise _refused(error) from error
    return Status(201, new)
