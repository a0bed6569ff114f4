"""Read side of interactions: scoping, the customer timeline and its filters."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.journeys.models import Channel, Interaction, InteractionType


def visible_interactions(actor: Actor) -> QuerySet[Interaction]:
    """Interactions that happened in the actor's subtree (all of them company-wide)."""
    interactions = Interaction.objects.all()
    if actor.unit_ids is None:
        return interactions
    return interactions.filter(unit_id__in=sorted(actor.unit_ids))


@dataclass(frozen=True)
class TimelineFilter:
    channel: str = ""
    interaction_type: str = ""
    since: date | None = None
    until: date | None = None


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def customer_timeline(customer_id: int, filters: TimelineFilter) -> QuerySet[Interaction]:
    """Every interaction of a customer, newest first, whatever unit it happened in.

    Whoever may see the customer sees their whole timeline: that is the shared view.
    """
    rows = Interaction.objects.filter(customer_id=customer_id).select_related(
        "touchpoint__channel",
        "touchpoint__interaction_type",
        "touchpoint__stage",
        "unit",
    )
    if filters.channel:
        rows = rows.filter(touchpoint__channel__code=filters.channel)
    if filters.interaction_type:
        rows = rows.filter(touchpoint__interaction_type__code=filters.interaction_type)
    if filters.since:
        rows = rows.filter(occurred_at__gte=_day_start(filters.since))
    if filters.until:
        rows = rows.filter(occurred_at__lt=_day_start(filters.until + timedelta(days=1)))
    return rows.order_by("-occurred_at", "-id")


def channels() -> QuerySet[Channel]:
    return Channel.objects.order_by("name")


def interaction_types() -> QuerySet[InteractionType]:
    return InteractionType.objects.order_by("name")
