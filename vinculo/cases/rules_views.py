"""Pages of the alert rules (/cases/rules/): the list, a new rule, a rule's settings and
conditions, switching it on or off. Managing rules needs MANAGE_CASES."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.cases.models import AlertRule
from vinculo.cases.rules import describe
from vinculo.cases.rules_forms import RuleForm
from vinculo.cases.rules_services import RuleData, save_rule, set_active


@require_GET
@require_perm(Perm.MANAGE_CASES)
def rule_list(request: HttpRequest) -> HttpResponse:
    rules = AlertRule.objects.select_related("department").prefetch_related("units")
    rows = [{"rule": rule, "conditions": describe(rule.conditions)} for rule in rules]
    return render(request, "cases/rules.html", {"rules": rows})


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_CASES)
def rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    rule = get_object_or_404(AlertRule, pk=rule_id) if rule_id is not None else None
    form = RuleForm(request.POST or None, rule=rule, actor=request.actor)  # type: ignore[attr-defined]
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
        save_rule(actor=request.actor, data=data, rule=rule)  # type: ignore[attr-defined]
        messages.success(request, _("Rule saved. It reads the events recorded from now on."))
        return redirect("case_rules:list")
    return render(request, "cases/rules_form.html", {"form": form, "rule": rule})


@require_POST
@require_perm(Perm.MANAGE_CASES)
def rule_toggle(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(AlertRule, pk=rule_id)
    set_active(actor=request.actor, rule=rule, active=not rule.active)  # type: ignore[attr-defined]
    return redirect("case_rules:list")
