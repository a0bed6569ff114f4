"""One change applied to many cases: each case goes through its service in its own
transaction, so a case that refuses the change is reported and the others still change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.cases import services
from vinculo.cases.models import Case
from vinculo.cases.queries import cases_for
from vinculo.cases.services import CaseError


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)  # case id -> why


def apply_each(
    *, actor: Actor, case_ids: Sequence[int], change: Callable[[Case], object]
) -> BulkResult:
    """Runs ``change`` on each case the actor sees; a case they do not see is refused as
    not found (the same answer as for one that does not exist)."""
    result = BulkResult()
    seen = {case.pk: case for case in cases_for(actor).filter(pk__in=list(case_ids))}
    for case_id in dict.fromkeys(case_ids):
        case = seen.get(case_id)
        if case is None:
            result.refused[case_id] = _("Not found.")
            continue
        try:
            with transaction.atomic():
                change(case)
        except CaseError as refused:
            result.refused[case_id] = refused.message
        else:
            result.done.append(case_id)
    return result


def take_all(*, actor: Actor, case_ids: Sequence[int]) -> BulkResult:
    return apply_each(
        actor=actor, case_ids=case_ids, change=lambda c: services.take(actor=actor, case=c)
    )


def assign_all(*, actor: Actor, case_ids: Sequence[int], owner: User) -> BulkResult:
    def change(case: Case) -> Case:
        return services.assign(actor=actor, case=case, owner=owner)

    return apply_each(actor=actor, case_ids=case_ids, change=change)


def set_status_all(*, actor: Actor, case_ids: Sequence[int], status: str) -> BulkResult:
    def change(case: Case) -> Case:
        return services.set_status(actor=actor, case=case, status=status)

    return apply_each(actor=actor, case_ids=case_ids, change=change)


def set_priority_all(*, actor: Actor, case_ids: Sequence[int], priority: str) -> BulkResult:
    def change(case: Case) -> Case:
        return services.set_priority(actor=actor, case=case, priority=priority)

    return apply_each(actor=actor, case_ids=case_ids, change=change)
