"""Routing: who of a department's people owns a new case of a unit.

The candidates are the active agents holding ``cases.work`` of the case's department
whose scope covers the unit (no unit: the whole company; a unit: its subtree): the
people who work cases. Only when there is no such agent do the department's unit
managers of the unit (same rules) take their place, so a manager is not handed a share
of the queue while agents are there. They are taken in username order:

- round robin: the one after the last who got a case of this department and unit
  (``RoundRobinCursor``, locked while choosing, so two cases opened at once go to two
  people), wrapping round to the first;
- least loaded: the one who owns the fewest open cases; ties go in round-robin order.

Nobody eligible (or no department) leaves the case unowned, in the department's queue:
routing never refuses a case.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Q, QuerySet

from vinculo.accounts.choices import Role
from vinculo.accounts.models import Department, Unit
from vinculo.accounts.permissions import ROLE_PERMS, Perm
from vinculo.cases.choices import OPEN, Assignment
from vinculo.cases.models import Case, RoundRobinCursor

# Who is routed to, in order: the first role with anyone eligible takes every case.
ROUTED_ROLES = (Role.AGENT, Role.UNIT_MANAGER)


def paths_above(unit: Unit) -> list[str]:
    """The paths of the unit and of every unit above it, the root first."""
    ids = [part for part in unit.path.split("/") if part]
    return ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]


def department_people(
    department: Department, unit: Unit, roles: Sequence[str] | None = None
) -> QuerySet[User]:
    """Active people of ``department`` whose scope covers ``unit`` (their membership has
    no unit, or one at or above it), by username; ``roles`` narrows them."""
    people = User.objects.filter(is_active=True, membership__department=department).filter(
        Q(membership__unit__isnull=True) | Q(membership__unit__path__in=paths_above(unit))
    )
    if roles is not None:
        people = people.filter(membership__role__in=list(roles))
    return people.order_by("username")


def eligible(department: Department, unit: Unit) -> QuerySet[User]:
    """Who could own a case of this department and unit: its agents, or, with none, its
    unit managers (see the module's docstring)."""
    for role in ROUTED_ROLES:
        if Perm.WORK_CASES not in ROLE_PERMS[role]:
            continue
        people = department_people(department, unit, [role])
        if people.exists():
            return people
    return User.objects.none()


def rotation(people: Sequence[User], last_username: str | None) -> list[User]:
    """``people`` (by username) starting after ``last_username``, wrapping round; the
    last owner need not be among them any more."""
    if last_username is None:
        return list(people)
    start = next((i for i, p in enumerate(people) if p.username > last_username), 0)
    return [*people[start:], *people[:start]]


@transaction.atomic
def pick_owner(
    department: Department | None, unit: Unit, strategy: str, now: datetime | None = None
) -> User | None:
    """The owner of a new case of ``department`` in ``unit`` by ``strategy`` (an
    ``Assignment``), or None: no strategy, no department, or nobody eligible."""
    if department is None or strategy not in (Assignment.ROUND_ROBIN, Assignment.LEAST_LOADED):
        return None
    people = list(eligible(department, unit))
    if not people:
        return None
    RoundRobinCursor.objects.get_or_create(department=department, unit=unit)
    cursor = (
        RoundRobinCursor.objects.select_for_update(of=("self",))  # not the outer-joined owner
        .select_related("last_owner")
        .get(department=department, unit=unit)
    )
    last = cursor.last_owner.username if cursor.last_owner is not None else None
    order = rotation(people, last)
    if strategy == Assignment.LEAST_LOADED:
        loads = dict(
            Case.objects.filter(owner__in=people, status__in=OPEN)
            .values("owner")
            .annotate(open=Count("pk"))
            .values_list("owner", "open")
        )
        chosen = min(order, key=lambda person: loads.get(person.pk, 0))  # first of the ties
    else:
        chosen = order[0]
    cursor.last_owner = chosen
    cursor.save(update_fields=["last_owner", "updated_at"])
    return chosen
