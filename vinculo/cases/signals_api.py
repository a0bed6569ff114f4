"""The sales signals API (/api/v1/sales-signals): the rules (list, create, read, replace,
delete), the signals raised (in the caller's units) and a rule's uplift report.
Everything needs MANAGE_CASES; errors name the field (``segment``, ``units[0]`` ...).
A caller limited to units sees and writes only the rules within them (``rules_scope``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja.responses import Status

from vinculo.accounts.actors import Actor
from vinculo.accounts.models import Department
from vinculo.accounts.permissions import Perm
from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rules_scope import rules_in_scope, units_problem
from vinculo.cases.signals_report import Uplift, report, signals_for
from vinculo.cases.signals_schemas import (
    ReportOut,
    SignalPage,
    SignalRuleIn,
    SignalRuleOut,
    SignalRulePage,
)
from vinculo.cases.signals_services import (
    SignalRuleData,
    check_segment,
    delete_signal_rule,
    frozen_changes,
    save_signal_rule,
)
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

router = Router(tags=["sales signals"])
ERRORS: dict[int, Any] = {403: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}


def _rules(actor: Actor) -> Any:
    rows = SalesSignalRule.objects.select_related(
        "source_department", "target_department"
    ).prefetch_related("units")
    return rules_in_scope(rows, actor)


def _rule(actor: Actor, rule_id: int) -> SalesSignalRule:
    rule = _rules(actor).filter(pk=rule_id).first()
    if rule is None:
        raise not_found()
    return rule


def _data(
    actor: Actor, payload: SignalRuleIn, rule: SalesSignalRule | None = None
) -> SignalRuleData:
    errors = []
    segment, problems = check_segment(payload.segment)
    errors += [field_error(("body", "segment"), "invalid_condition", p) for p in problems]
    source = Department.objects.filter(code=payload.source_department).first()
    target = Department.objects.filter(code=payload.target_department).first()
    for name, found in (("source_department", source), ("target_department", target)):
        if found is None:
            message = _("No department with this code.")
            errors.append(field_error(("body", name), "unknown_department", message))
    if source is not None and source == target:
        message = _("Tell another department than the one contacted.")
        errors.append(field_error(("body", "target_department"), "same_department", message))
    if rule is not None:
        frozen = frozen_changes(
            rule, window_days=payload.window_days, holdout_percent=payload.holdout_percent
        )
        errors += [field_error(("body", k), "fixed_once_signalled", m) for k, m in frozen.items()]
    raise_if_any(errors)
    assert source is not None and target is not None
    units = [
        unit_in_scope(actor, code, ("body", "units", i)) for i, code in enumerate(payload.units)
    ]
    if out_of_scope := units_problem(actor, units):
        raise_if_any([field_error(("body", "units"), "units_out_of_scope", out_of_scope)])
    return SignalRuleData(
        name=payload.name,
        source_department=source,
        target_department=target,
        segment=segment,
        units=units,
        window_days=payload.window_days,
        holdout_percent=payload.holdout_percent,
        active=payload.active,
    )


@router.get("/rules", response={200: SignalRulePage, **ERRORS})
def list_signal_rules(request: HttpRequest, params: Query[PageQuery]) -> Any:
    actor = require(request, Perm.MANAGE_CASES)
    return page(_rules(actor), params)


@router.post("/rules", response={201: SignalRuleOut, **ERRORS})
def create_signal_rule(request: HttpRequest, payload: SignalRuleIn) -> Any:
    """A new rule; it reads only the contacts recorded from now on."""
    actor = require(request, Perm.MANAGE_CASES)
    rule = save_signal_rule(actor=actor, data=_data(actor, payload))
    return Status(201, _rule(actor, rule.pk))


@router.get("/rules/{rule_id}", response={200: SignalRuleOut, **ERRORS})
def get_signal_rule(request: HttpRequest, rule_id: int) -> Any:
    actor = require(request, Perm.MANAGE_CASES)
    return _rule(actor, rule_id)


@router.put("/rules/{rule_id}", response={200: SignalRuleOut, **ERRORS})
def replace_signal_rule(request: HttpRequest, rule_id: int, payload: SignalRuleIn) -> Any:
    actor = require(request, Perm.MANAGE_CASES)
    rule = _rule(actor, rule_id)
    rule = save_signal_rule(actor=actor, data=_data(actor, payload, rule), rule=rule)
    return _rule(actor, rule.pk)


@router.delete("/rules/{rule_id}", response={204: None, **ERRORS})
def delete_signal_rule_op(request: HttpRequest, rule_id: int) -> Any:
    """Deletes the rule and its signals."""
    actor = require(request, Perm.MANAGE_CASES)
    delete_signal_rule(actor=actor, rule=_rule(actor, rule_id))
    return Status(204, None)


@router.get("/rules/{rule_id}/report", response={200: ReportOut, **ERRORS})
def signal_rule_report(request: HttpRequest, rule_id: int) -> Any:
    """The uplift: conversion of notified and held-out signals whose window has closed."""
    actor = require(request, Perm.MANAGE_CASES)
    found = report(actor, _rule(actor, rule_id))
    return _report_out(found.rule.pk, found.uplift, found.waiting)


class SignalQuery(PageQuery):
    rule: int | None = None


@router.get("", response={200: SignalPage, **ERRORS})
def list_signals(request: HttpRequest, params: Query[SignalQuery]) -> Any:
    """The signals raised in the caller's units, newest first; ``rule`` narrows them."""
    actor = require(request, Perm.MANAGE_CASES)
    rows = signals_for(actor)
    if params.rule is not None:
        rows = rows.filter(rule_id=params.rule)
    return page(rows, params)


def _report_out(rule_id: int, up: Uplift, waiting: int) -> dict[str, Any]:
    def rate(estimate: Any, sales: int | None) -> dict[str, Any]:
        return {
            "n": estimate.n,
            "sales": sales,  # None when suppressed: sales / n would give the rate away
            "rate": estimate.value,
            "low": estimate.low,
            "high": estimate.high,
            "suppressed": estimate.suppressed,
        }

    difference = None
    if up.difference is not None:
        d = up.difference
        difference = {"value": d.value, "low": d.low, "high": d.high, "significant": d.significant}
    return {
        "rule": rule_id,
        "notified": rate(up.notified, up.notified_sales),
        "held_out": rate(up.held_out, up.held_out_sales),
        "difference": difference,
        "min_sample": up.min_sample,
        "waiting": waiting,
    }
