"""The outer-loop API: root causes and case metrics (``router``, at /api/v1/cases-insights)
and improvement actions (``improvements_router``, at /api/v1/improvements).

Figures take the pages' filters and answer each estimate as ``{value, low, high, n,
suppressed}``; a unit outside the caller's scope is a 422 naming ``unit``, the same as one
that does not exist. Reading needs ``cases.view`` (scoped to one's units), changing
improvement actions ``cases.manage``; a refused change is a 422 naming its field. Callers
limited to units (people or keys) create actions only in a unit of theirs (else a 422
naming ``unit``) and may read company-wide actions but not change them: a PATCH of one is
a 403 (it is visible, so a 404 would lie); an action they cannot see at all is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.errors import HttpError
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Unit
from vinculo.accounts.permissions import Perm
from vinculo.cases import improvements
from vinculo.cases.deadlines import CaseError
from vinculo.cases.improvements import NewImprovement
from vinculo.cases.insights import case_metrics, root_causes
from vinculo.cases.insights_filters import InsightFilter, resolve
from vinculo.cases.insights_schemas import (
    CausesOut,
    ImprovementIn,
    ImprovementOut,
    ImprovementPage,
    ImprovementPatch,
    ImprovementQuery,
    InsightQuery,
    MetricsOut,
)
from vinculo.cases.models import ImprovementAction, RootCause
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    invalid,
    not_found,
    page,
    require,
    unit_in_scope,
)
from vinculo.metrics.filters import FilterError

router = Router(tags=["cases"])
improvements_router = Router(tags=["improvement actions"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _checked(request: HttpRequest, params: InsightQuery) -> tuple[Actor, InsightFilter]:
    actor = require(request, Perm.VIEW_CASES)
    try:
        return actor, resolve(actor, params.raw())
    except FilterError as error:
        raise invalid(("query", error.field), "invalid_filter", error.message) from None


def _scope(f: InsightFilter) -> dict[str, Any]:
    previous_since, previous_until = f.previous_days
    return {
        "since": f.since,
        "until": f.until,
        "previous_since": previous_since,
        "previous_until": previous_until,
        "unit": f.unit.code if f.unit else None,
        "department": f.department.code if f.department else None,
        "touchpoint": f.touchpoint.pk if f.touchpoint else None,
        "by": f.by,
        "depth": f.depth,
        "min_sample": f.min_sample,
    }


@router.get("/root-causes", response={200: CausesOut, **ERRORS})
def root_cause_rollup(request: HttpRequest, params: Query[InsightQuery]) -> dict[str, Any]:
    """Resolved cases of the period by root cause (``by=unit`` or ``by=touchpoint`` as
    well): count, share, median hours to close, reopen rate, and the previous period."""
    actor, f = _checked(request, params)
    rollup = root_causes(actor, f)
    return {
        "scope": _scope(f),
        "total": rollup.total,
        "previous_total": rollup.previous_total,
        "rows": rollup.rows,
    }


@router.get("/metrics", response={200: MetricsOut, **ERRORS})
def metrics(request: HttpRequest, params: Query[InsightQuery]) -> dict[str, Any]:
    """The cases opened in the period, in total, per department and per unit: times to
    first response and resolution, SLA compliance, first-contact resolution, follow-up."""
    actor, f = _checked(request, params)
    figures = case_metrics(actor, f)
    return {
        "scope": _scope(f),
        "total": figures.total,
        "departments": figures.departments,
        "units": figures.units,
    }


# -- improvement actions ------------------------------------------------------------------


def _owner(username: str, loc: tuple[str, ...]) -> User:
    owner = User.objects.filter(username=username, is_active=True).first()
    if owner is None:
        raise invalid(loc, "unknown_owner", _("No person with this username."))
    return owner


def _unit(actor: Actor, code: str | None) -> Unit | None:
    """The action's unit; people and keys limited to units must name one of theirs."""
    if code:
        return unit_in_scope(actor, code, ("body", "unit"))
    if actor.unit_ids is not None:
        raise invalid(
            ("body", "unit"), "unit_required", _("Choose a unit within your scope for this action.")
        )
    return None


def _action(actor: Actor, improvement_id: int) -> ImprovementAction:
    action = improvements.improvements_for(actor).filter(pk=improvement_id).first()
    if action is None:
        raise not_found()
    return action


@improvements_router.get("", response={200: ImprovementPage, **ERRORS})
def list_improvements(request: HttpRequest, params: Query[ImprovementQuery]) -> dict[str, Any]:
    """The improvement actions you see (company-wide ones, your units', your own)."""
    actor = require(request, Perm.VIEW_CASES)
    rows = improvements.improvement_list(
        actor, status=params.status or "", owner=params.owner or ""
    )
    return page(rows, params)


@improvements_router.post("", response={201: ImprovementOut, **ERRORS})
def create_improvement(request: HttpRequest, payload: ImprovementIn) -> Status[Any]:
    """Promote a root cause to an improvement action; its owner is told in the app."""
    actor = require(request, Perm.MANAGE_CASES)
    cause = RootCause.objects.filter(pk=payload.root_cause).first()
    if cause is None:
        raise invalid(
            ("body", "root_cause"), "unknown_root_cause", _("No root cause with this id.")
        )
    data = NewImprovement(
        root_cause=cause,
        title=payload.title,
        description=payload.description,
        owner=_owner(payload.owner, ("body", "owner")),
        unit=_unit(actor, payload.unit),
        due_on=payload.due_on,
    )
    try:
        action = improvements.promote(actor=actor, data=data)
    except CaseError as refused:
        raise invalid(("body", refused.field), "improvement_refused", refused.message) from None
    return Status(201, _action(actor, action.pk))


@improvements_router.get("/{improvement_id}", response={200: ImprovementOut, **ERRORS})
def get_improvement(request: HttpRequest, improvement_id: int) -> ImprovementAction:
    actor = require(request, Perm.VIEW_CASES)
    return _action(actor, improvement_id)


@improvements_router.patch("/{improvement_id}", response={200: ImprovementOut, **ERRORS})
def change_improvement(
    request: HttpRequest, improvement_id: int, payload: ImprovementPatch
) -> ImprovementAction:
    """A new status (open → in progress → done or dropped; done needs an outcome),
    outcome, owner or due date; fields left out stay as they are."""
    actor = require(request, Perm.MANAGE_CASES)
    action = _action(actor, improvement_id)
    if not improvements.may_change(actor, action):
        raise HttpError(403, _("You may not change actions outside your units."))
    owner = _owner(payload.owner, ("body", "owner")) if payload.owner else None
    try:
        improvements.update(
            actor=actor,
            action=action,
            status=payload.status,
            outcome=payload.outcome,
            owner=owner,
            due_on=payload.due_on,
        )
    except CaseError as refused:
        raise invalid(("body", refused.field), "improvement_refused", refused.message) from None
    return _action(actor, improvement_id)
