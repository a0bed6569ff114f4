"""Figures for the home page, scoped to what the actor may see."""

from dataclasses import dataclass
from typing import Any

from vinculo.accounts.actors import Actor
from vinculo.customers.queries import visible_customers
from vinculo.journeys.queries import visible_interactions


@dataclass(frozen=True)
class HomeFigures:
    customers: int
    interactions: int


def cx_tiles(actor: Actor) -> Any:
    """NPS, CSAT and CES of the actor's units over the dashboard's default period, for the
    home page (None for people who may not see metrics, or before there is any unit)."""
    from vinculo.accounts.permissions import Perm
    from vinculo.metrics.filters import FilterError, RawFilter, resolve
    from vinculo.metrics.queries import tiles

    if not actor.can(Perm.VIEW_METRICS):
        return None
    try:
        f = resolve(actor, RawFilter())
    except FilterError:
        return None
    return {"filter": f, "tiles": tiles(actor, f)}


def home_figures(actor: Actor) -> HomeFigures:
    return HomeFigures(
        customers=visible_customers(actor).count(),
        interactions=visible_interactions(actor).count(),
    )
