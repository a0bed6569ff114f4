"""Read side of surveys: what an actor may see. Views and the API share these."""

from __future__ import annotations

from django.db.models import QuerySet

from vinculo.accounts.actors import Actor
from vinculo.surveys.models import Response, Survey


def visible_surveys(actor: Actor) -> QuerySet[Survey]:
    """Every survey: surveys are company material; their answers are what is scoped."""
    return Survey.objects.select_related("unit", "touchpoint", "current_version")


def visible_responses(actor: Actor) -> QuerySet[Response]:
    """Responses given in the actor's units (their whole subtree), newest first."""
    responses = Response.objects.select_related(
        "survey", "unit", "channel", "touchpoint", "customer"
    )
    if actor.unit_ids is not None:
        responses = responses.filter(unit_id__in=actor.unit_ids)
    return responses
