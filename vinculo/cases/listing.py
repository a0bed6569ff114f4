"""The case list's filters, shared by the page and the API, and the SLA state of a case as
the pages show it (due times, met or not, overdue)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import User
from django.db.models import Case as Cond
from django.db.models import QuerySet, Value, When
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department, Unit
from vinculo.cases.choices import OPEN
from vinculo.cases.models import Case
from vinculo.cases.queries import cases_for, overdue_q

ANY_STATUS = "any"
MINE, UNASSIGNED = "mine", "none"


@dataclass(frozen=True)
class CaseFilter:
    """``status`` empty means the open ones, ``any`` every status; ``owner`` is ``mine``,
    ``none`` (unassigned) or a person."""

    status: str = ""
    priority: str = ""
    owner: str = ""
    person: User | None = None
    department: Department | None = None
    unit: Unit | None = None
    overdue: bool = False
    text: str = ""


def case_list(actor: Actor, wanted: CaseFilter, now: datetime | None = None) -> QuerySet[Case]:
    """The cases the actor sees that match ``wanted``, newest first, each annotated with
    ``is_overdue``."""
    when = now or timezone.now()
    rows = cases_for(actor).select_related("customer", "unit", "department", "owner")
    if wanted.status == "":
        rows = rows.filter(status__in=OPEN)
    elif wanted.status != ANY_STATUS:
        rows = rows.filter(status=wanted.status)
    if wanted.priority:
        rows = rows.filter(priority=wanted.priority)
    if wanted.owner == MINE:
        rows = rows.filter(owner_id=actor.user_id) if actor.user_id else rows.none()
    elif wanted.owner == UNASSIGNED:
        rows = rows.filter(owner__isnull=True)
    elif wanted.person is not None:
        rows = rows.filter(owner=wanted.person)
    if wanted.department is not None:
        rows = rows.filter(department=wanted.department)
    if wanted.unit is not None:
        rows = rows.filter(unit__path__startswith=wanted.unit.path)
    if wanted.overdue:
        rows = rows.filter(overdue_q(when))
    if wanted.text:
        rows = rows.filter(title__icontains=wanted.text)
    flag = Cond(When(overdue_q(when), then=Value(True)), default=Value(False))
    return rows.annotate(is_overdue=flag).order_by("-opened_at", "-id")


@dataclass(frozen=True)
class Sla:
    """Where a case stands against its two due times."""

    first_response_due: datetime
    first_response_at: datetime | None
    first_response_late: bool
    resolution_due: datetime
    resolved_at: datetime | None
    resolution_late: bool
    paused_at: datetime | None = None

    @property
    def overdue(self) -> bool:
        return self.first_response_late or self.resolution_late


def sla_of(case: Case, now: datetime | None = None) -> Sla:
    """Late means met after the due time, or not met and the due time has passed."""
    when = now or timezone.now()
    first_end = case.first_response_at or when
    resolution_end = case.resolved_at or (when if case.status in OPEN else case.closed_at or when)
    if case.paused_at is not None:  # waiting for the customer: the clock stopped then
        resolution_end = min(resolution_end, case.paused_at)
    return Sla(
        first_response_due=case.first_response_due,
        first_response_at=case.first_response_at,
        first_response_late=first_end > case.first_response_due,
        resolution_due=case.resolution_due,
        resolved_at=case.resolved_at,
        resolution_late=resolution_end > case.resolution_due,
        paused_at=case.paused_at,
    )


def next_due(case: Case) -> datetime:
    """The due time that matters now: the first response until it is given."""
    if case.first_response_at is None:
        return case.first_response_due
    return case.resolution_due
