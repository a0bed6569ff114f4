"""Read side of the organisation: API keys as the settings pages list them."""

from django.db.models import F, QuerySet

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import ApiKey, Unit


def api_keys() -> QuerySet[ApiKey]:
    """Every key, active ones first, newest first within each group."""
    return ApiKey.objects.select_related("unit", "created_by").order_by(
        F("revoked_at").asc(nulls_first=True), "-created_at", "-id"
    )


def units_in_scope(actor: Actor) -> QuerySet[Unit]:
    """The units the actor may pick in a filter, in tree order."""
    units = Unit.objects.order_by("path")
    if actor.unit_ids is not None:
        units = units.filter(pk__in=sorted(actor.unit_ids))
    return units
