"""The feedback API (/api/v1/feedback): file items one by one or in batches, list them
with what the text analytics found, export them as CSV or XLSX, and tie an anonymous item
to its customer."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.customers.models import Customer
from vinculo.customers.queries import is_visible, resolve_merged
from vinculo.customers.schemas import identity_map
from vinculo.feedback import exports
from vinculo.feedback.choices import DEFAULT_CHANNEL
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.queries import FeedbackFilter, feedback_list, with_analysis
from vinculo.feedback.schemas import (
    BatchOut,
    FeedbackBatchIn,
    FeedbackExportQuery,
    FeedbackFilters,
    FeedbackIn,
    FeedbackListQuery,
    FeedbackOut,
    FeedbackPage,
    LinkCustomerIn,
)
from vinculo.feedback.services import FeedbackData, file_feedback, file_many, link_customer
from vinculo.journeys.models import Channel
from vinculo.journeys.schemas import by_code
from vinculo.lib.apiedge import (
    ErrorOut,
    Loc,
    ValidationErrorOut,
    field_error,
    not_found,
    page,
    raise_if_any,
    require,
    unit_in_scope,
)
from vinculo.textan.tasks import analyse_soon

router = Router(tags=["feedback"])


def feedback_data(
    actor: Actor, payload: FeedbackIn, loc: Loc, errors: list[dict[str, Any]]
) -> FeedbackData | None:
    """The item with every code and reference checked; errors named at ``loc`` otherwise."""
    found = len(errors)
    channel_code = payload.channel or DEFAULT_CHANNEL[payload.source]
    channel = by_code(Channel, channel_code, (*loc, "channel"), errors)
    unit = None
    try:
        unit = unit_in_scope(actor, payload.unit, (*loc, "unit"))
    except ValidationError as exc:
        errors.extend(exc.errors)
    contact: dict[str, str] = {}
    if payload.contact:
        try:
            contact = identity_map(payload.contact, (*loc, "contact"))
        except ValidationError as exc:
            errors.extend(exc.errors)
    customer = None
    if payload.customer_id is not None:
        customer = resolve_merged(payload.customer_id)
        if customer is None or not is_visible(actor, customer.pk):
            message = _("No customer with this id within your scope.")
            errors.append(field_error((*loc, "customer_id"), "unknown_customer", message))
    rating_max = payload.rating_max or 5 if payload.rating is not None else None
    if payload.rating is not None and rating_max is not None and payload.rating > rating_max:
        message = _("The rating is above the top of its scale (rating_max, 5 by default).")
        errors.append(field_error((*loc, "rating"), "rating_above_scale", message))
    if len(errors) > found or unit is None or channel is None:
        return None
    return FeedbackData(
        source=payload.source,
        text=payload.text,
        unit=unit,
        channel=channel,
        occurred_at=payload.occurred_at or timezone.now(),
        site=payload.site,
        external_id=payload.external_id,
        rating=payload.rating,
        rating_max=rating_max,
        title=payload.title,
        author=payload.author,
        contact=contact,
        customer=customer,
        attributes=payload.attributes,
    )


def _taken(loc: Loc) -> dict[str, Any]:
    message = _("This source and external id belong to an item outside your units.")
    return field_error(loc, "external_id_taken", message)


@router.post(
    "", response={200: FeedbackOut, 201: FeedbackOut, 403: ErrorOut, 422: ValidationErrorOut}
)
def create_feedback(request: HttpRequest, payload: FeedbackIn) -> Status[Any]:
    """Files one item: 201 the first time, 200 with the stored item when the same source,
    site and external_id come again. Its analysis follows within a worker cycle."""
    actor = require(request, Perm.ADD_FEEDBACK)
    errors: list[dict[str, Any]] = []
    data = feedback_data(actor, payload, ("body",), errors)
    raise_if_any(errors)
    assert data is not None
    item, created = file_feedback(actor=actor, data=data)
    if not created and not actor.sees_unit(item.unit_id):
        # The id is another unit's item: say so, and nothing of it.
        raise_if_any([_taken(("body", "external_id"))])
    analyse_soon(feedback_from=item.pk)
    stored = with_analysis(feedback_list(actor, FeedbackFilter())).get(pk=item.pk)
    return Status(201 if created else 200, stored)


@router.post("/batch", response={200: BatchOut, 403: ErrorOut, 422: ValidationErrorOut})
def create_feedback_batch(request: HttpRequest, payload: FeedbackBatchIn) -> dict[str, Any]:
    """Files up to 1,000 items at once, all or none: one bad item is a 422 naming it
    (``items[3].unit``) and nothing is stored. Items already filed are counted apart."""
    actor = require(request, Perm.ADD_FEEDBACK)
    errors: list[dict[str, Any]] = []
    items = [
        feedback_data(actor, item, ("body", "items", index), errors)
        for index, item in enumerate(payload.items)
    ]
    raise_if_any(errors)
    with transaction.atomic():  # all or none: a refused item takes the new ones back
        filed = file_many(actor=actor, items=[i for i in items if i is not None])
        raise_if_any(
            [
                _taken(("body", "items", index, "external_id"))
                for index, (item, created) in enumerate(filed)
                if not created and not actor.sees_unit(item.unit_id)
            ]
        )
    analyse_soon(feedback_from=min(item.pk for item, _created in filed))
    created = sum(1 for _item, new in filed if new)
    return {"created": created, "existing": len(filed) - created, "ids": [i.pk for i, _n in filed]}


def _filter(actor: Actor, params: FeedbackFilters) -> FeedbackFilter:
    unit = unit_in_scope(actor, params.unit, ("query", "unit")) if params.unit else None
    return FeedbackFilter(
        source=params.source or "",
        channel=params.channel or "",
        sentiment=params.sentiment or "",
        emotion=params.emotion or "",
        topic=params.topic,
        unit=unit,
        since=params.since,
        until=params.until,
        text=params.q.strip(),
        customer=params.customer,
    )


@router.get("", response={200: FeedbackPage, 403: ErrorOut, 422: ValidationErrorOut})
def list_feedback(request: HttpRequest, params: Query[FeedbackListQuery]) -> dict[str, Any]:
    """Items in your scope, newest first, with their analysis; every filter of the inbox."""
    actor = require(request, Perm.VIEW_FEEDBACK)
    return page(with_analysis(feedback_list(actor, _filter(actor, params))), params)


@router.get(
    "/export",
    response={403: ErrorOut, 422: ValidationErrorOut},
    url_name="feedback_export",
)
def export_feedback(request: HttpRequest, params: Query[FeedbackExportQuery]) -> HttpResponseBase:
    """The items the list's filters select, in your scope, as CSV (streamed, UTF-8 with
    BOM) or XLSX: one row per item with its sentiment, emotions and topics. Text that
    starts like a formula is never run by a spreadsheet (``'`` prefix in CSV, text cells
    in XLSX). ``feedback.export``."""
    actor = require(request, Perm.EXPORT_FEEDBACK)
    rows = feedback_list(actor, _filter(actor, params))
    if params.format == "xlsx":
        return exports.xlsx_response(rows)
    return exports.csv_response(rows, params.sep)


@router.get("/{int:item_id}", response={200: FeedbackOut, 403: ErrorOut, 404: ErrorOut})
def get_feedback(request: HttpRequest, item_id: int) -> FeedbackItem:
    actor = require(request, Perm.VIEW_FEEDBACK)
    item = with_analysis(feedback_list(actor, FeedbackFilter())).filter(pk=item_id).first()
    if item is None:
        raise not_found()
    return item


@router.post(
    "/{int:item_id}/customer",
    response={200: FeedbackOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
)
def link_feedback_customer(
    request: HttpRequest, item_id: int, payload: LinkCustomerIn
) -> FeedbackItem:
    """Ties an item to its customer; it then appears on their timeline."""
    actor = require(request, Perm.ADD_FEEDBACK)
    item = feedback_list(actor, FeedbackFilter()).filter(pk=item_id).first()
    if item is None:
        raise not_found()
    customer: Customer | None = resolve_merged(payload.customer_id)
    if customer is None or not is_visible(actor, customer.pk):
        message = _("No customer with this id within your scope.")
        raise_if_any([field_error(("body", "customer_id"), "unknown_customer", message)])
    assert customer is not None
    link_customer(item=item, customer=customer)
    return with_analysis(feedback_list(actor, FeedbackFilter())).get(pk=item.pk)
