"""Which cases an actor sees: their units' cases; an agent only their department's (and
any case they own); nobody without the permission."""

from __future__ import annotations

from datetime import datetime

from django.db.models import F, Q, QuerySet

from vinculo.accounts.actors import Actor
from vinculo.accounts.choices import Role
from vinculo.accounts.permissions import Perm
from vinculo.cases.choices import OPEN
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


def overdue_q(now: datetime) -> Q:
    """Open and past a due time that was not met. While a case waits for the customer its
    resolution clock stops: it is late only if it already was when it began to wait."""
    late_first = Q(first_response_at__isnull=True, first_response_due__lt=now)
    running = Q(paused_at__isnull=True) | Q(resolution_due__lt=F("paused_at"))
    return Q(status__in=OPEN) & (late_first | (Q(resolution_due__lt=now) & running))
