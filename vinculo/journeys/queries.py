"""Read side of interactions: scoping, the customer timeline and its filters."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, Max, Min, QuerySet, Sum

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.journeys.models import Channel, Interaction, InteractionType
from vinculo.lib.dates import day_start


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


def customer_timeline(customer_id: int, filters: TimelineFilter) -> QuerySet[Interaction]:
    """Every interaction of a customer, newest first, whatever unit it happened in.

    Whoever may see the customer sees their whole timeline: that is the shared view.
    """
    rows = Interaction.objects.filter(customer_id=customer_id)
    return _narrowed(rows, filters)


def interaction_list(
    actor: Actor,
    filters: TimelineFilter,
    *,
    unit: Unit | None = None,
    customer_id: int | None = None,
) -> QuerySet[Interaction]:
    """The interactions the actor may see, newest first, narrowed to a unit's subtree, a
    customer and the timeline filters."""
    rows = visible_interactions(actor)
    if unit is not None:
        subtree = Unit.objects.filter(path__startswith=unit.path).values("id")
        rows = rows.filter(unit_id__in=subtree)
    if customer_id is not None:
        rows = rows.filter(customer_id=customer_id)
    return _narrowed(rows, filters)


def _narrowed(rows: QuerySet[Interaction], filters: TimelineFilter) -> QuerySet[Interaction]:
    rows = rows.select_related(
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
        rows = rows.filter(occurred_at__gte=day_start(filters.since))
    if filters.until:
        rows = rows.filter(occurred_at__lt=day_start(filters.until + timedelta(days=1)))
    return rows.order_by("-occurred_at", "-id")


def channels() -> QuerySet[Channel]:
    return Channel.objects.order_by("name")


def interaction_types() -> QuerySet[InteractionType]:
    return InteractionType.objects.order_by("name")


@dataclass(frozen=True)
class TimelineSummary:
    """Counts over a customer's whole timeline; ``totals`` is (currency, amount) per currency."""

    interactions: int
    first_at: datetime | None
    last_at: datetime | None
    totals: list[tuple[str, Decimal]]


def customer_summary(customer_id: int) -> TimelineSummary:
    """How many interactions a customer has, since when, and what their transactions add up to."""
    rows = Interaction.objects.filter(customer_id=customer_id)
    figures = rows.aggregate(count=Count("id"), first=Min("occurred_at"), last=Max("occurred_at"))
    totals = (
        rows.filter(amount__isnull=False, touchpoint__interaction_type__is_transaction=True)
        .values("currency")
        .annotate(total=Sum("amount"))
        .order_by("currency")
    )
    return TimelineSummary(
        interactions=figures["count"],
        first_at=figures["first"],
        last_at=figures["last"],
        totals=[(row["currency"], row["total"]) for row in totals],
    )
