"""Figures for the home page, scoped to what the actor may see."""

from dataclasses import dataclass

from vinculo.accounts.actors import Actor
from vinculo.customers.queries import visible_customers
from vinculo.journeys.queries import visible_interactions


@dataclass(frozen=True)
class HomeFigures:
    customers: int
    interactions: int


def home_figures(actor: Actor) -> HomeFigures:
    return HomeFigures(
        customers=visible_customers(actor).count(),
        interactions=visible_interactions(actor).count(),
    )
