"""The customers API (/api/v1/customers): search, the profile, identity resolution, merges
and the timeline.

A merged customer's id keeps working: every ``/customers/{id}`` path of a tombstone answers
308 Permanent Redirect to the same path of the survivor (when you may see the survivor).
"""

from typing import Any

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.customers.models import Customer, CustomerMerge
from vinculo.customers.privacy import erase_customer, export_customer
from vinculo.customers.queries import (
    is_visible,
    resolve_merged,
    search_customers,
    visible_customer,
    with_identities,
)
from vinculo.customers.schemas import (
    ConflictOut,
    CustomerFields,
    CustomerIn,
    CustomerListQuery,
    CustomerOut,
    CustomerPage,
    CustomerPatch,
    CustomerWriteOut,
    ErasureIn,
    ErasureOut,
    IdentityIn,
    MergedOut,
    MergeIn,
    MergeOut,
    identity_conflict,
    identity_map,
)
from vinculo.customers.services import (
    CustomerOutsideScope,
    IdentityConflict,
    MergeRefused,
    merge_customers,
    update_customer,
    upsert_customer_as,
)
from vinculo.journeys.queries import customer_timeline
from vinculo.journeys.schemas import InteractionPage, TimelineQuery, timeline_filter
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    extended,
    invalid,
    not_found,
    page,
    raise_if_any,
    require,
    unit_in_scope,
)

router = Router(tags=["customers"])

# Every /customers/{id} path answers 308 for a merged id: ninja documents the body from
# MOVED, and MOVED_DOC adds the Location header to the OpenAPI description.
MOVED = {308: MergedOut}
MOVED_DOC = {
    "responses": {
        308: {
            "description": "The customer was merged: the same path on the survivor.",
            "headers": {
                "Location": {
                    "description": "The same path on the surviving customer.",
                    "schema": {"type": "string"},
                }
            },
        }
    }
}


def moved_or_404(request: HttpRequest, actor: Actor, customer_id: int) -> HttpResponse:
    """308 to the survivor if ``customer_id`` was merged into a visible customer; else 404."""
    survivor = resolve_merged(customer_id)
    if survivor is None or survivor.pk == customer_id or not is_visible(actor, survivor.pk):
        raise not_found()
    old_root = reverse("api:customer", kwargs={"customer_id": customer_id})
    location = reverse("api:customer", kwargs={"customer_id": survivor.pk})
    location += request.path[len(old_root) :]
    if request.META.get("QUERY_STRING"):
        location += "?" + request.META["QUERY_STRING"]
    message = _("This customer was merged into customer %(id)s.") % {"id": survivor.pk}
    response = JsonResponse({"detail": message, "merged_into": survivor.pk}, status=308)
    response["Location"] = location
    return response


def write_fields(
    actor: Actor, payload: CustomerFields, identities: list[IdentityIn] | None
) -> dict[str, Any]:
    """The arguments for the customer services, unit and identities checked: 422 if not."""
    errors: list[dict[str, Any]] = []
    fields = payload.profile()
    if payload.home_unit:
        try:
            fields["home_unit_id"] = unit_in_scope(
                actor, payload.home_unit, ("body", "home_unit")
            ).pk
        except ValidationError as exc:
            errors.extend(exc.errors)
    if identities is not None:
        try:
            fields["identities"] = identity_map(identities, ("body", "identities"))
        except ValidationError as exc:
            errors.extend(exc.errors)
    raise_if_any(errors)
    return fields


def _written(customer: Customer) -> Customer:
    return with_identities(Customer.objects.filter(pk=customer.pk)).get()


@router.get("", response={200: CustomerPage, 403: ErrorOut, 422: ValidationErrorOut})
def list_customers(request: HttpRequest, params: Query[CustomerListQuery]) -> dict[str, Any]:
    """Customers you may see, by name; ``q`` finds any identity (normalised), an identity
    prefix (3 characters or more) or part of the name."""
    actor = require(request, Perm.VIEW_CUSTOMERS)
    return page(with_identities(search_customers(actor, params.q)), params)


@router.post(
    "",
    response={
        200: CustomerWriteOut,
        201: CustomerWriteOut,
        403: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    },
)
def create_customer(request: HttpRequest, payload: CustomerIn) -> Status[Any]:
    """Identity resolution: when any identity is already known, that customer is updated
    (200, ``created: false``); otherwise a new customer is created (201)."""
    actor = require(request, Perm.EDIT_CUSTOMERS)
    if actor.unit_ids is not None and not payload.home_unit:
        message = _("Give the customer's home unit: you may only add customers in your units.")
        raise invalid(("body", "home_unit"), "home_unit_required", message)
    fields = write_fields(actor, payload, payload.identities)
    try:
        customer, created = upsert_customer_as(actor=actor, source=payload.source, **fields)
    except IdentityConflict as exc:
        return Status(409, identity_conflict(actor, exc.customer_ids))
    except CustomerOutsideScope:
        return Status(409, identity_conflict(actor, []))
    out = extended(CustomerOut.from_orm(_written(customer)), CustomerWriteOut, created=created)
    return Status(201 if created else 200, out)


@router.get(
    "/{int:customer_id}",
    response={200: CustomerOut, **MOVED, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=MOVED_DOC,
    url_name="customer",
)
def get_customer(request: HttpRequest, customer_id: int) -> Any:
    actor = require(request, Perm.VIEW_CUSTOMERS)
    return visible_customer(actor, customer_id) or moved_or_404(request, actor, customer_id)


@router.patch(
    "/{int:customer_id}",
    response={
        200: CustomerOut,
        **MOVED,
        403: ErrorOut,
        404: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    },
    openapi_extra=MOVED_DOC,
)
def patch_customer(request: HttpRequest, customer_id: int, payload: CustomerPatch) -> Any:
    """Changes the fields given; consents and attributes are merged, identities added."""
    actor = require(request, Perm.EDIT_CUSTOMERS)
    customer = visible_customer(actor, customer_id)
    if customer is None:
        return moved_or_404(request, actor, customer_id)
    fields = write_fields(actor, payload, payload.identities)
    try:
        update_customer(customer=customer, source=payload.source, **fields)
    except IdentityConflict as exc:
        return Status(409, identity_conflict(actor, exc.customer_ids, exclude=customer.pk))
    return _written(customer)


@router.post(
    "/{int:customer_id}/merge",
    response={
        200: MergeOut,
        **MOVED,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    openapi_extra=MOVED_DOC,
)
def merge_customer(request: HttpRequest, customer_id: int, payload: MergeIn) -> Any:
    """Merges ``merged_id`` into this customer: its identities, interactions and other
    records move here, and its id answers 308 to this customer from then on."""
    actor = require(request, Perm.MERGE_CUSTOMERS)
    if not is_visible(actor, customer_id):
        return moved_or_404(request, actor, customer_id)
    if payload.merged_id == customer_id:
        message = _("A customer cannot be merged into itself.")
        raise invalid(("body", "merged_id"), "same_customer", message)
    if not is_visible(actor, payload.merged_id):
        message = _("No customer with this id within your scope.")
        raise invalid(("body", "merged_id"), "unknown_customer", message)
    try:
        return merge_customers(
            survivor_id=customer_id, merged_id=payload.merged_id, actor=actor, reason=payload.reason
        )
    except MergeRefused as exc:
        raise HttpError(409, _("These customers cannot be merged now; try again.")) from exc


@router.get(
    "/{int:customer_id}/merges",
    response={200: list[MergeOut], **MOVED, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=MOVED_DOC,
)
def list_merges(request: HttpRequest, customer_id: int) -> Any:
    """The audit trail of customers merged into this one, newest first (chains included)."""
    actor = require(request, Perm.VIEW_CUSTOMERS)
    if not is_visible(actor, customer_id):
        return moved_or_404(request, actor, customer_id)
    merges = CustomerMerge.objects.filter(
        Q(survivor_id=customer_id) | Q(survivor__merged_into_id=customer_id)
    )
    return list(merges.order_by("-created_at", "-id"))


@router.get(
    "/{int:customer_id}/timeline",
    response={200: InteractionPage, **MOVED, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    openapi_extra=MOVED_DOC,
)
def timeline(request: HttpRequest, customer_id: int, params: Query[TimelineQuery]) -> Any:
    """Every interaction of the customer, newest first, whatever unit it happened in."""
    actor = require(request, Perm.VIEW_CUSTOMERS)
    if not is_visible(actor, customer_id):
        return moved_or_404(request, actor, customer_id)
    return page(customer_timeline(customer_id, timeline_filter(params)), params)


@router.get(
    "/{int:customer_id}/export",
    response={200: dict[str, Any], **MOVED, 403: ErrorOut, 404: ErrorOut},
    openapi_extra=MOVED_DOC,
)
def export(request: HttpRequest, customer_id: int) -> Any:
    """Everything held about the customer (access request): profile, identities, every
    interaction and the merges into it, as one JSON document."""
    actor = require(request, Perm.EXPORT_CUSTOMERS)
    customer = visible_customer(actor, customer_id)
    if customer is None:
        return moved_or_404(request, actor, customer_id)
    return export_customer(customer)


@router.post(
    "/{int:customer_id}/erase",
    response={200: ErasureOut, **MOVED, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut},
    openapi_extra=MOVED_DOC,
)
def erase(request: HttpRequest, customer_id: int, payload: ErasureIn) -> Any:
    """Erases the customer's personal data (right to erasure); anonymous facts remain."""
    actor = require(request, Perm.ERASE_CUSTOMERS)
    if not is_visible(actor, customer_id):
        return moved_or_404(request, actor, customer_id)
    return erase_customer(customer_id=customer_id, actor=actor, reason=payload.reason)
