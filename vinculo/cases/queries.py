"""Which cases an actor sees: their units' cases; an agent only their department's (and
any case they own); nobody without the permission."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from vinculo.accounts.actors import Actor
from vinculo.accounts.choices import Role
from vinculo.accounts.permissions import Perm
from vinculo.cases.models import Case


def cases_for(actor: Actor) -> QuerySet[Case]:
    if not actor.can(Perm.VIEW_CASES):
        return Case.objects.none()
    rows = Case.objects.all()
    if actor.unit_ids is not None:
        rows = rows.filter(unit_id__in=actor.unit_ids)
    if actor.role == Role.AGENT:
        mine = Q(owner_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
        if actor.department_id is None:
            rows = rows.filter(mine)
        else:
            rows = rows.filter(Q(department_id=actor.department_id) | mine)
    return rows


def case_for(actor: Actor, case_id: int) -> Case | None:
    return (
        cases_for(actor)
        .select_related("customer", "unit", "department", "owner", "root_cause")
        .filter(pk=case_id)
        .first()
    )
