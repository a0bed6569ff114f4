"""The interactions API (/api/v1/interactions) and the catalogue an integration needs.

The catalogue (channels, interaction types, journey stages, touchpoints) is read-only here
and lives under /api/v1/interactions/ because it is what the codes of an interaction mean.
"""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.permissions import Perm
from vinculo.customers.models import Customer
from vinculo.customers.queries import is_visible, resolve_merged
from vinculo.customers.schemas import ConflictOut, identity_conflict, identity_map
from vinculo.customers.services import CustomerOutsideScope, IdentityConflict
from vinculo.journeys.models import Channel, Interaction, InteractionType, JourneyStage, Touchpoint
from vinculo.journeys.queries import (
    TimelineFilter,
    channels,
    interaction_list,
    interaction_types,
)
from vinculo.journeys.schemas import (
    ChannelOut,
    InteractionIn,
    InteractionListQuery,
    InteractionOut,
    InteractionPage,
    InteractionTypeOut,
    StageOut,
    TouchpointOut,
    by_code,
    timeline_filter,
)
from vinculo.journeys.services import record_interaction, record_interaction_by_identities
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    field_error,
    not_found,
    page,
    raise_if_any,
    require,
    require_any_role,
    unit_in_scope,
)

router = Router(tags=["interactions"])


@router.get("", response={200: InteractionPage, 403: ErrorOut, 422: ValidationErrorOut})
def list_interactions(request: HttpRequest, params: Query[InteractionListQuery]) -> dict[str, Any]:
    """Interactions in your scope, newest first; ``unit`` narrows to that unit's subtree."""
    actor = require(request, Perm.VIEW_CUSTOMERS)
    unit = unit_in_scope(actor, params.unit, ("query", "unit")) if params.unit else None
    filters = timeline_filter(params)
    rows = interaction_list(actor, filters, unit=unit, customer_id=params.customer)
    return page(rows, params)


@router.post(
    "",
    response={
        200: InteractionOut,
        201: InteractionOut,
        403: ErrorOut,
        409: ConflictOut,
        422: ValidationErrorOut,
    },
)
def create_interaction(request: HttpRequest, payload: InteractionIn) -> Status[Any]:
    """Records one interaction: 201 the first time, 200 with the stored row on a retry
    (same ``source`` and ``external_id``). A customer given by identities is found by
    identity resolution, or created as a prospect when no identity is known."""
    actor = require(request, Perm.ADD_INTERACTIONS)
    details = interaction_details(actor, payload)
    try:
        if "customer" in details:
            interaction, created = record_interaction(**details)
        else:
            interaction, created = record_interaction_by_identities(actor=actor, **details)
    except IdentityConflict as exc:
        return Status(409, identity_conflict(actor, exc.customer_ids))
    except CustomerOutsideScope:
        return Status(409, identity_conflict(actor, []))
    stored = interaction_list(actor, TimelineFilter()).filter(pk=interaction.pk).first()
    if stored is None:
        # A retry matched a row another integration stored in a unit you cannot see.
        raise HttpError(409, _("This external_id is already used for this source."))
    return Status(201 if created else 200, stored)


def interaction_details(actor: Actor, payload: InteractionIn) -> dict[str, Any]:
    """The arguments for the record services, every code and reference checked: 422 if not."""
    errors: list[dict[str, Any]] = []
    details: dict[str, Any] = {
        "channel": by_code(Channel, payload.channel, ("body", "channel"), errors),
        "interaction_type": by_code(InteractionType, payload.type, ("body", "type"), errors),
        "stage": by_code(JourneyStage, payload.stage, ("body", "stage"), errors)
        if payload.stage
        else None,
        "occurred_at": payload.occurred_at,
        "amount": payload.amount,
        "currency": payload.currency_code(),
        "attributes": dict(payload.attributes),
        "source": payload.source,
        "external_id": payload.external_id,
    }
    try:
        details["unit"] = unit_in_scope(actor, payload.unit, ("body", "unit"))
    except ValidationError as exc:
        errors.extend(exc.errors)
    if (payload.customer_id is None) == (payload.identities is None):
        message = _("Give either customer_id or identities.")
        errors.append(field_error(("body", "customer_id"), "customer_required", message))
    elif payload.customer_id is not None:
        details["customer"] = _customer(actor, payload.customer_id, errors)
    elif payload.identities is not None:
        try:
            details["identities"] = identity_map(payload.identities, ("body", "identities"))
        except ValidationError as exc:
            errors.extend(exc.errors)
    raise_if_any(errors)
    return details


def _customer(actor: Actor, customer_id: int, errors: list[dict[str, Any]]) -> Customer | None:
    # A merged customer's id still works: the interaction goes to the survivor.
    customer = resolve_merged(customer_id)
    if customer is None or not is_visible(actor, customer.pk):
        message = _("No customer with this id within your scope.")
        errors.append(field_error(("body", "customer_id"), "unknown_customer", message))
        return None
    return customer


@router.get("/{int:interaction_id}", response={200: InteractionOut, 403: ErrorOut, 404: ErrorOut})
def get_interaction(request: HttpRequest, interaction_id: int) -> Interaction:
    """One interaction that happened in your scope."""
    actor = require(request, Perm.VIEW_CUSTOMERS)
    rows = interaction_list(actor, TimelineFilter())
    interaction = rows.filter(pk=interaction_id).first()
    if interaction is None:
        raise not_found()
    return interaction


@router.get("/channels", response={200: list[ChannelOut], 403: ErrorOut}, tags=["catalogue"])
def list_channels(request: HttpRequest) -> QuerySet[Channel]:
    require_any_role(request)
    return channels()


@router.get("/types", response={200: list[InteractionTypeOut], 403: ErrorOut}, tags=["catalogue"])
def list_interaction_types(request: HttpRequest) -> QuerySet[InteractionType]:
    require_any_role(request)
    return interaction_types().select_related("default_stage", "department")


@router.get("/stages", response={200: list[StageOut], 403: ErrorOut}, tags=["catalogue"])
def list_stages(request: HttpRequest) -> QuerySet[JourneyStage]:
    """Journey stages, journey by journey, in their order."""
    require_any_role(request)
    return JourneyStage.objects.select_related("journey").order_by("journey__code", "position")


@router.get("/touchpoints", response={200: list[TouchpointOut], 403: ErrorOut}, tags=["catalogue"])
def list_touchpoints(request: HttpRequest) -> QuerySet[Touchpoint]:
    """Touchpoints in use (one is created the first time a channel x type x stage occurs)."""
    require_any_role(request)
    return Touchpoint.objects.select_related("channel", "interaction_type", "stage")
