"""Which rules (alert rules, sales signal rules) an actor limited to some units may see
and write. A company-wide actor sees every rule. An actor limited to units (a unit
manager, an API key of a unit) sees only the rules whose units are all inside their
scope: a company-wide rule (no units) or one reaching into another unit is not theirs,
to read, change or delete (404, as for anything outside one's scope). They save only
rules with one or more units, all inside their scope."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit

M = TypeVar("M", bound=Model)


def rules_in_scope(rows: QuerySet[M], actor: Actor) -> QuerySet[M]:
    """``rows`` (a queryset of a model with a ``units`` many-to-many) the actor may see."""
    if actor.unit_ids is None:
        return rows
    through = rows.model.units.through  # type: ignore[attr-defined]
    owner = f"{rows.model._meta.model_name}_id"
    links = through.objects.filter(**{owner: OuterRef("pk")})
    outside = links.exclude(unit_id__in=actor.unit_ids)
    return rows.filter(Exists(links)).exclude(Exists(outside))


def units_problem(actor: Actor, units: Sequence[Unit]) -> str | None:
    """Why the actor may not give a rule these units, or None."""
    if actor.unit_ids is None:
        return None
    if not units:
        return _(
            "Choose one or more of your units: only company-wide people make rules for "
            "the whole company."
        )
    if any(unit.pk not in actor.unit_ids for unit in units):
        return _("Choose only units within your scope.")
    return None
