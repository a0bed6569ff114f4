"""Who can be given a case: the people who would see it and may work it (the ``assign``
service checks the same rules again, case by case)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet

from vinculo.accounts.actors import Actor
from vinculo.accounts.choices import Role
from vinculo.accounts.permissions import ROLE_PERMS, Perm
from vinculo.cases.models import Case

WORKING_ROLES = sorted(role for role, perms in ROLE_PERMS.items() if Perm.WORK_CASES in perms)


def _workers() -> QuerySet[User]:
    return User.objects.filter(is_active=True, membership__role__in=WORKING_ROLES).order_by(
        "username"
    )


def workers_for(case: Case) -> QuerySet[User]:
    """People whose units hold the case's unit and, for agents, of the case's department."""
    ids = [part for part in case.unit.path.split("/") if part]
    above = ["/" + "/".join(ids[: i + 1]) + "/" for i in range(len(ids))]
    in_units = Q(membership__unit__isnull=True) | Q(membership__unit__path__in=above)
    agent_fits = ~Q(membership__role=Role.AGENT) | Q(membership__department_id=case.department_id)
    return _workers().filter(in_units, agent_fits)


def workers_near(actor: Actor) -> QuerySet[User]:
    """People a bulk assignment may name: company-wide ones and those of the actor's units.
    Whether each may work each case is the service's call."""
    if actor.unit_ids is None:
        return _workers()
    return _workers().filter(
        Q(membership__unit__isnull=True) | Q(membership__unit_id__in=sorted(actor.unit_ids))
    )
