"""The alert rules API (/api/v1/alert-rules): list, read, create, replace, delete.
Everything needs MANAGE_CASES; conditions are checked as on the page, and each error
names its condition (``conditions[1]``). A caller limited to units sees and writes only the
rules within them (``rules_scope``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department
from vinculo.accounts.permissions import Perm
from vinculo.cases import rules_services
from vinculo.cases.models import AlertRule
from vinculo.cases.rules import check_conditions, check_title
from vinculo.cases.rules_schemas import RuleIn, RuleOut, RulePage
from vinculo.cases.rules_scope import rules_in_scope, units_problem
from vinculo.cases.rules_services import RuleData, save_rule
from vinculo.lib.apiedge import (
    ErrorOut,
    PageQuery,
    ValidationErrorOut,
    field_error,
    not_found,
    page,
    raise_if_any,
    require,
    unit_in_scope,
)

router = Router(tags=["alert rules"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _rules(actor: Actor) -> Any:
    rows = AlertRule.objects.select_related("department").prefetch_related("units")
    return rules_in_scope(rows, actor)


def _rule(actor: Actor, rule_id: int) -> AlertRule:
    rule = _rules(actor).filter(pk=rule_id).first()
    if rule is None:
        raise not_found()
    return rule


def _data(actor: Actor, payload: RuleIn) -> RuleData:
    errors = []
    conditions, problems = check_conditions(payload.event, payload.conditions)
    for problem in problems:
        errors.append(field_error(("body", "conditions"), "invalid_condition", problem))
    if title_problem := check_title(payload.title):
        errors.append(field_error(("body", "title"), "invalid_title", title_problem))
    department = None
    if payload.department:
        department = Department.objects.filter(code=payload.department).first()
        if department is None:
            message = _("No department with this code.")
            errors.append(field_error(("body", "department"), "unknown_department", message))
    raise_if_any(errors)
    units = [
        unit_in_scope(actor, code, ("body", "units", i)) for i, code in enumerate(payload.units)
    ]
    if out_of_scope := units_problem(actor, units):
        raise_if_any([field_error(("body", "units"), "units_out_of_scope", out_of_scope)])
    return RuleData(
        name=payload.name,
        event=payload.event,
        conditions=conditions,
        units=units,
        action=payload.action,
        priority=payload.priority,
        department=department,
        assignment=payload.assignment,
        title=payload.title,
        active=payload.active,
    )


@router.get("", response={200: RulePage, **ERRORS})
def list_rules(request: HttpRequest, params: Query[PageQuery]) -> Any:
    actor = require(request, Perm.MANAGE_CASES)
    return page(_rules(actor), params)


@router.post("", response={201: RuleOut, **ERRORS})
def create_rule(request: HttpRequest, payload: RuleIn) -> Any:
    """A new rule; it reads only the events recorded from now on."""
    actor = require(request, Perm.MANAGE_CASES)
    rule = save_rule(actor=actor, data=_data(actor, payload))
    return Status(201, _rule(actor, rule.pk))


@router.get("/{rule_id}", response={200: RuleOut, **ERRORS})
def get_rule(request: HttpRequest, rule_id: int) -> Any:
    actor = require(request, Perm.MANAGE_CASES)
    return _rule(actor, rule_id)


@router.put("/{rule_id}", response={200: RuleOut, **ERRORS})
def replace_rule(request: HttpRequest, rule_id: int, payload: RuleIn) -> Any:
    actor = require(request, Perm.MANAGE_CASES)
    rule = _rule(actor, rule_id)
    rule = save_rule(actor=actor, data=_data(actor, payload), rule=rule)
    return _rule(actor, rule.pk)


@router.delete("/{rule_id}", response={204: None, **ERRORS})
def delete_rule(request: HttpRequest, rule_id: int) -> Any:
    """Deletes the rule and its matches; its cases and notifications stay."""
    actor = require(request, Perm.MANAGE_CASES)
    rules_services.delete_rule(actor=actor, rule=_rule(actor, rule_id))
    return Status(204, None)
