"""Escalation: each overdue open case is marked escalated once, naming in its log the
managers of its unit and of the units above it (who are told, ``notify``). A case
escalates again only after it is reopened."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from vinculo.accounts.choices import Role
from vinculo.accounts.models import Unit
from vinculo.cases.choices import OPEN, EventKind
from vinculo.cases.models import Case
from vinculo.cases.queries import overdue_q
from vinculo.cases.services import log_event


def overdue(now: datetime) -> QuerySet[Case]:
    """Open cases past a due time that were not escalated yet (a case waiting for the
    customer is late only if it was late when it began to wait)."""
    return (
        Case.objects.filter(status__in=OPEN, escalated_at__isnull=True)
        .filter(overdue_q(now))
        .order_by("pk")
    )


def escalate_overdue(now: datetime | None = None, limit: int = 500) -> list[int]:
    """Marks each overdue case escalated once, naming the unit's managers in the log;
    returns the ids. A case escalates again only after it is reopened."""
    when = now or timezone.now()
    escalated = []
    for case_id in list(overdue(when).values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            if case.escalated_at is not None:
                continue  # another run got there first
            case.escalated_at = when
            case.save(update_fields=["escalated_at", "updated_at"])
            managers = [u.get_username() for u in unit_managers(case.unit)]
            late = "first_response" if case.first_response_at is None else "resolution"
            log_event(case, None, EventKind.ESCALATED, when, data={"to": managers, "late": late})
            escalated.append(case_id)
    return escalated


def unit_managers(unit: Unit) -> list[User]:
    """The managers of the unit and of the units above it, nearest first."""
    ids = [part for part in unit.path.split("/") if part]
    paths = ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]
    rows = User.objects.filter(
        is_active=True,
        membership__role=Role.UNIT_MANAGER,
        membership__unit__path__in=paths,
    ).order_by("-membership__unit__depth", "username")
    return list(rows)
