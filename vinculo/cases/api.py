"""The cases API (/api/v1/cases): list and open cases, read one with its activity log,
and work it (take, assign, status, priority, notes, contacts, actions, resolve, reopen).

Every change goes through services.py, as the pages do. A change the service refuses
(``CaseError``) is a 422 naming its field; a case outside the caller's scope is a 404,
the same answer as for one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.choices import Role
from vinculo.accounts.models import Department
from vinculo.accounts.permissions import Perm
from vinculo.cases import services
from vinculo.cases.choices import Status as CaseStatus
from vinculo.cases.forms import root_cause_choices
from vinculo.cases.listing import ANY_STATUS, MINE, UNASSIGNED, CaseFilter, case_list
from vinculo.cases.models import Case, RootCause
from vinculo.cases.queries import case_for
from vinculo.cases.schemas import (
    AssignIn,
    CaseDetailOut,
    CaseIn,
    CaseListQuery,
    CasePage,
    ContactIn,
    PriorityIn,
    ReopenIn,
    ResolveIn,
    RootCauseOut,
    StatusIn,
    TextIn,
)
from vinculo.cases.services import CaseError, NewCase
from vinculo.customers.queries import is_visible, resolve_merged
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    invalid,
    not_found,
    page,
    require,
    unit_in_scope,
)

router = Router(tags=["cases"])
ONE = {200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _department(code: str | None, loc: tuple[str, ...]) -> Department | None:
    if not code:
        return None
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise invalid(loc, "unknown_department", _("No department with this code."))
    return department


def _filter(actor: Actor, params: CaseListQuery) -> CaseFilter:
    person = None
    if params.owner and params.owner not in (MINE, UNASSIGNED):
        person = User.objects.filter(username=params.owner).first()
        if person is None:
            raise invalid(("query", "owner"), "unknown_owner", _("No person with this username."))
    if params.status not in ("", ANY_STATUS, *CaseStatus.values):
        raise invalid(("query", "status"), "unknown_status", _("Unknown status."))
    return CaseFilter(
        status=params.status,
        priority=params.priority or "",
        owner=params.owner if params.owner in (MINE, UNASSIGNED) else "",
        person=person,
        department=_department(params.department, ("query", "department")),
        unit=unit_in_scope(actor, params.unit, ("query", "unit")) if params.unit else None,
        overdue=params.overdue,
        text=params.q.strip(),
    )


def _shown(actor: Actor, case_id: int) -> Case:
    return case_list(actor, CaseFilter(status=ANY_STATUS)).get(pk=case_id)


def _work(request: HttpRequest, case_id: int, change: Callable[[Actor, Case], object]) -> Case:
    """Runs one service on a case the caller may work; its refusal is a 422 on its field."""
    actor = require(request, Perm.WORK_CASES)
    case = case_for(actor, case_id)
    if case is None:
        raise not_found()
    try:
        change(actor, case)
    except CaseError as refused:
        raise invalid(("body", refused.field), "case_refused", refused.message) from None
    return _shown(actor, case_id)


@router.get("", response={200: CasePage, 403: ErrorOut, 422: ValidationErrorOut})
def list_cases(request: HttpRequest, params: Query[CaseListQuery]) -> dict[str, Any]:
    """Cases in your scope, newest first; the open ones unless ``status`` says otherwise."""
    actor = require(request, Perm.VIEW_CASES)
    return page(case_list(actor, _filter(actor, params)), params)


@router.post("", response={201: CaseDetailOut, 403: ErrorOut, 422: ValidationErrorOut})
def open_case(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    """Opens a case by hand in a unit of your scope. ``cases.work``."""
    actor = require(request, Perm.WORK_CASES)
    unit = unit_in_scope(actor, payload.unit, ("body", "unit"))
    department = _department(payload.department, ("body", "department"))
    if actor.role == Role.AGENT and (department is None or department.pk != actor.department_id):
        # An agent works their own department's cases: one of another would vanish.
        message = _("Agents open cases for their own department.")
        raise invalid(("body", "department"), "not_your_department", message)
    customer = None
    if payload.customer_id is not None:
        customer = resolve_merged(payload.customer_id)
        if customer is None or not is_visible(actor, customer.pk):
            message = _("No customer with this id within your scope.")
            raise invalid(("body", "customer_id"), "unknown_customer", message)
    data = NewCase(
        title=payload.title,
        unit=unit,
        department=department,
        priority=payload.priority,
        description=payload.description,
        customer=customer,
    )
    try:
        case, _created = services.open_case(actor=actor, data=data)
    except CaseError as refused:
        raise invalid(("body", refused.field), "case_refused", refused.message) from None
    return Status(201, _shown(actor, case.pk))


@router.get("/root-causes", response={200: list[RootCauseOut], 403: ErrorOut})
def list_root_causes(request: HttpRequest) -> list[dict[str, Any]]:
    """The active root causes, each with its path ("Facturación > Cargo duplicado")."""
    require(request, Perm.VIEW_CASES)
    parents = dict(RootCause.objects.filter(active=True).values_list("pk", "parent_id"))
    return [
        {
            "id": int(pk),
            "name": path.split(" > ")[-1],
            "parent_id": parents.get(int(pk)),
            "path": path,
        }
        for pk, path in root_cause_choices()
        if pk
    ]


@router.get("/{int:case_id}", response={200: CaseDetailOut, 403: ErrorOut, 404: ErrorOut})
def get_case(request: HttpRequest, case_id: int) -> Case:
    """One case with its activity log, oldest event first."""
    actor = require(request, Perm.VIEW_CASES)
    if case_for(actor, case_id) is None:
        raise not_found()
    return _shown(actor, case_id)


@router.post("/{int:case_id}/take", response=ONE)
def take_case(request: HttpRequest, case_id: int) -> Case:
    """You own the case and start on it."""
    return _work(request, case_id, lambda a, c: services.take(actor=a, case=c))


@router.post("/{int:case_id}/assign", response=ONE)
def assign_case(request: HttpRequest, case_id: int, payload: AssignIn) -> Case:
    """Gives the case to a person who can see and work it."""

    def change(actor: Actor, case: Case) -> object:
        owner = User.objects.filter(username=payload.owner, is_active=True).first()
        if owner is None:
            raise CaseError("owner", _("No person with this username."))
        return services.assign(actor=actor, case=case, owner=owner)

    return _work(request, case_id, change)


@router.post("/{int:case_id}/status", response=ONE)
def set_case_status(request: HttpRequest, case_id: int, payload: StatusIn) -> Case:
    """In progress, waiting for the customer or closed (resolve and reopen have their own)."""
    status = payload.status
    return _work(request, case_id, lambda a, c: services.set_status(actor=a, case=c, status=status))


@router.post("/{int:case_id}/priority", response=ONE)
def set_case_priority(request: HttpRequest, case_id: int, payload: PriorityIn) -> Case:
    """A new priority: the due times become those of the new priority, from the opening."""
    priority = payload.priority
    return _work(
        request, case_id, lambda a, c: services.set_priority(actor=a, case=c, priority=priority)
    )


@router.post("/{int:case_id}/notes", response=ONE)
def add_case_note(request: HttpRequest, case_id: int, payload: TextIn) -> Case:
    """A private note: never shown to the customer."""
    return _work(
        request, case_id, lambda a, c: services.add_note(actor=a, case=c, text=payload.text)
    )


@router.post("/{int:case_id}/contacts", response=ONE)
def log_case_contact(request: HttpRequest, case_id: int, payload: ContactIn) -> Case:
    """The call, e-mail or visit to the customer and how it went; on their timeline."""

    def change(actor: Actor, case: Case) -> object:
        return services.log_contact(
            actor=actor,
            case=case,
            channel=payload.channel,
            outcome=payload.outcome,
            text=payload.text,
        )

    return _work(request, case_id, change)


@router.post("/{int:case_id}/actions", response=ONE)
def add_case_action(request: HttpRequest, case_id: int, payload: TextIn) -> Case:
    """Something done to fix it: a refund, a technician's visit."""
    return _work(
        request, case_id, lambda a, c: services.add_action(actor=a, case=c, text=payload.text)
    )


@router.post("/{int:case_id}/resolve", response=ONE)
def resolve_case(request: HttpRequest, case_id: int, payload: ResolveIn) -> Case:
    """Resolved with a root cause (an id of GET /cases/root-causes) and what was done;
    ``follow_up`` sends the customer the follow-up survey (``follow_up`` of the answer)."""

    def change(actor: Actor, case: Case) -> object:
        cause = None
        if payload.root_cause is not None:
            cause = RootCause.objects.filter(pk=payload.root_cause, active=True).first()
            if cause is None:
                raise CaseError("root_cause", _("No root cause with this id."))
        return services.resolve(
            actor=actor,
            case=case,
            root_cause=cause,
            resolution=payload.resolution,
            follow_up=payload.follow_up,
        )

    return _work(request, case_id, change)


@router.post("/{int:case_id}/reopen", response=ONE)
def reopen_case(request: HttpRequest, case_id: int, payload: ReopenIn) -> Case:
    """Back to work, with the reason; the resolution clock starts again."""
    return _work(
        request, case_id, lambda a, c: services.reopen(actor=a, case=c, reason=payload.reason)
    )
