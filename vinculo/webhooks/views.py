"""Pages of outgoing webhooks (/webhooks/): the endpoints, one endpoint with its delivery
log, a delivery with its attempts; create, change, rotate the secret, switch on or off,
send a test event, replay. Everything needs MANAGE_WEBHOOKS and a company-wide role:
deliveries carry cases of every unit."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.webhooks import queries, services
from vinculo.webhooks.forms import EndpointForm
from vinculo.webhooks.models import WebhookEndpoint

PER_PAGE = 50
NEW_SECRET_KEY = "new_webhook_secret"  # session slot holding a new secret until shown once

View = Callable[..., HttpResponseBase]


def manage(view: View) -> View:
    @require_perm(Perm.MANAGE_WEBHOOKS)
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.actor.is_company_wide:  # type: ignore[attr-defined]
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@manage
def endpoint_list(request: HttpRequest) -> HttpResponse:
    endpoints = queries.endpoints_with_last_delivery()
    return render(request, "webhooks/list.html", {"endpoints": endpoints})


@require_http_methods(["GET", "POST"])
@manage
def endpoint_edit(request: HttpRequest, endpoint_id: int | None = None) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id) if endpoint_id else None
    form = EndpointForm(request.POST or None, endpoint=endpoint)
    if request.method == "POST" and form.is_valid():
        actor = request.actor  # type: ignore[attr-defined]
        if endpoint is None:
            endpoint = services.create_endpoint(actor=actor, data=form.data_for_service())
            _show_secret_once(request, endpoint)
        else:
            services.update_endpoint(actor=actor, endpoint=endpoint, data=form.data_for_service())
            messages.success(request, _("Endpoint saved."))
        return redirect("webhooks:endpoint", endpoint.pk)
    return render(request, "webhooks/form.html", {"form": form, "endpoint": endpoint})


@never_cache  # the page may carry a fresh secret: no cache may keep it
@require_GET
@manage
def endpoint_page(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    page = Paginator(queries.deliveries_of(endpoint), PER_PAGE).get_page(request.GET.get("page"))
    shown = request.session.pop(NEW_SECRET_KEY, None)
    secret = shown["secret"] if shown and shown.get("id") == endpoint.pk else None
    context = {"endpoint": endpoint, "page": page, "secret": secret}
    return render(request, "webhooks/endpoint.html", context)


@require_POST
@manage
def endpoint_rotate(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    services.rotate_secret(actor=request.actor, endpoint=endpoint)  # type: ignore[attr-defined]
    _show_secret_once(request, endpoint)
    return redirect("webhooks:endpoint", endpoint.pk)


@require_POST
@manage
def endpoint_toggle(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    actor = request.actor  # type: ignore[attr-defined]
    services.set_active(actor=actor, endpoint=endpoint, active=not endpoint.active)
    return redirect("webhooks:endpoint", endpoint.pk)


@require_POST
@manage
def endpoint_test(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = get_object_or_404(WebhookEndpoint, pk=endpoint_id)
    try:
        delivery = services.send_test_event(actor=request.actor, endpoint=endpoint)  # type: ignore[attr-defined]
    except services.WebhookError as error:
        messages.error(request, error.message)
        return redirect("webhooks:endpoint", endpoint.pk)
    return redirect("webhooks:delivery", delivery.pk)


@require_GET
@manage
def delivery_page(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = queries.delivery_with_attempts(delivery_id)
    if delivery is None:
        raise Http404
    context = {
        "delivery": delivery,
        "attempts": queries.attempts_of(delivery),
        "payload_json": json.dumps(delivery.payload, indent=2, ensure_ascii=False),
    }
    return render(request, "webhooks/delivery.html", context)


@require_POST
@manage
def delivery_replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = queries.delivery_with_attempts(delivery_id)
    if delivery is None:
        raise Http404
    try:
        new = services.replay(actor=request.actor, delivery=delivery)  # type: ignore[attr-defined]
    except services.WebhookError as error:
        messages.error(request, error.message)
        return redirect("webhooks:delivery", delivery.pk)
    messages.success(request, _("Replayed as a new delivery."))
    return redirect("webhooks:delivery", new.pk)


def _show_secret_once(request: HttpRequest, endpoint: WebhookEndpoint) -> None:
    request.session[NEW_SECRET_KEY] = {"id": endpoint.pk, "secret": endpoint.secret}
