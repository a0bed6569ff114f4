"""Writes for journeys: the catalogue (channels, types, stages, touchpoints) and interactions."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer
from vinculo.customers.services import upsert_customer_as
from vinculo.journeys.models import (
    Channel,
    Interaction,
    InteractionType,
    JourneyStage,
    Touchpoint,
)


def touchpoint_for(
    *, channel: Channel, interaction_type: InteractionType, stage: JourneyStage | None = None
) -> Touchpoint:
    """The touchpoint for channel x type x stage, created on first use."""
    stage = stage or interaction_type.default_stage
    touchpoint, _created = Touchpoint.objects.get_or_create(
        channel=channel,
        interaction_type=interaction_type,
        stage=stage,
        defaults={"name": f"{interaction_type.name} · {channel.name} · {stage.name}"},
    )
    return touchpoint


@transaction.atomic
def record_interaction(
    *,
    customer: Customer,
    channel: Channel,
    interaction_type: InteractionType,
    unit: Unit,
    occurred_at: datetime,
    source: str,
    external_id: str,
    stage: JourneyStage | None = None,
    amount: Decimal | None = None,
    currency: str = "",
    attributes: dict[str, Any] | None = None,
    record_kind: str = "",
    record_id: int | None = None,
) -> tuple[Interaction, bool]:
    """Stores one interaction; a retry with the same (source, external_id) stores nothing."""
    existing = Interaction.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing, False
    touchpoint = touchpoint_for(channel=channel, interaction_type=interaction_type, stage=stage)
    try:
        with transaction.atomic():
            interaction = Interaction.objects.create(
                customer=customer,
                touchpoint=touchpoint,
                unit=unit,
                occurred_at=occurred_at,
                amount=amount,
                currency=currency if amount is not None else "",
                attributes=attributes or {},
                source=source,
                external_id=external_id,
                record_kind=record_kind,
                record_id=record_id,
            )
    except IntegrityError:
        # A concurrent retry won the race: the row exists now, return it.
        return Interaction.objects.get(source=source, external_id=external_id), False
    return interaction, True


@transaction.atomic
def record_interaction_by_identities(
    *,
    actor: Actor,
    identities: Mapping[str, str],
    source: str,
    external_id: str,
    **event: Any,
) -> tuple[Interaction, bool]:
    """Records an interaction for whoever owns these identities, creating a prospect if nobody does.

    ``event`` takes the other arguments of ``record_interaction`` (channel, unit, time...).
    A retry (same source and external id) returns the stored row and touches no customer.
    Raises ``IdentityConflict`` when the identities belong to different customers, and
    ``CustomerOutsideScope`` when they belong to a customer the actor may not see: recording
    an event must not become a way to reach someone else's customer.
    """
    existing = Interaction.objects.filter(source=source, external_id=external_id).first()
    if existing is not None:
        return existing, False
    customer, _created = upsert_customer_as(actor=actor, identities=identities, source=source)
    return record_interaction(customer=customer, source=source, external_id=external_id, **event)
