"""Pages of the alert rules (/cases/rules/): the list, a new rule, a rule's settings and
conditions, switching it on or off. Managing rules needs MANAGE_CASES, and a person
limited to units manages only the rules within them (``rules_scope``)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.accounts.actors import Actor
from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.cases.models import AlertRule
from vinculo.cases.rules import describe, type_names_by_code
from vinculo.cases.rules_forms import RuleForm
from vinculo.cases.rules_scope import rules_in_scope
from vinculo.cases.rules_services import RuleData, save_rule, set_active


def _rules(actor: Actor) -> QuerySet[AlertRule]:
    return rules_in_scope(AlertRule.objects.select_related("department"), actor)


@require_GET
@require_perm(Perm.MANAGE_CASES)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = _rules(request.actor).prefetch_related("units")  # type: ignore[attr-defined]
    names = type_names_by_code()  # once for every rule's repeat conditions
    rows = [{"rule": rule, "conditions": describe(rule.conditions, names)} for rule in rules]
    return render(request, "cases/rules.html", {"rules": rows})


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_CASES)
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    rule = get_object_or_404(_rules(actor), pk=rule_id) if rule_id is not None else None
    form = RuleForm(request.POST or None, rule=rule, actor=actor)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = RuleData(
            name=d["name"],
            event=d["event"],
            conditions=d["conditions"],
            units=list(d["units"]),
            action=d["action"],
            priority=d["priority"],
            department=d["department"],
            assignment=d["assignment"] or "",
            title=d["title"],
            active=d["active"],
        )
        save_rule(actor=actor, data=data, rule=rule)
        messages.success(request, _("Rule saved. It reads the events recorded from now on."))
        return redirect("case_rules:list")
    return render(request, "cases/rules_form.html", {"form": form, "rule": rule})


@require_POST
@require_perm(Perm.MANAGE_CASES)
def rule_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(_rules(request.actor), pk=rule_id)  # type: ignore[attr-defined]
    set_active(actor=request.actor, rule=rule, active=not rule.active)  # type: ignore[attr-defined]
    return redirect("case_rules:list")
