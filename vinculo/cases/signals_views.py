"""Pages of the service-to-sales signals (/cases/signals/): the rules, a new rule, a
rule's settings, and a rule's uplift report. Everything needs MANAGE_CASES."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rules import describe
from vinculo.cases.signals_forms import SignalRuleForm
from vinculo.cases.signals_report import report
from vinculo.cases.signals_services import SignalRuleData, save_signal_rule


@require_GET
@require_perm(Perm.MANAGE_CASES)
def signal_rules(request: HttpRequest) -> HttpResponse:
    rules = (
        SalesSignalRule.objects.select_related("source_department", "target_department")
        .prefetch_related("units")
        .annotate(
            raised=Count("signals"), sold=Count("signals", filter=Q(signals__sale__isnull=False))
        )
    )
    rows = [{"rule": rule, "segment": describe(rule.segment)} for rule in rules]
    return render(request, "cases/signals.html", {"rules": rows})


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_CASES)
def signal_rule_edit(request: HttpRequest, rule_id: int | None = None) -> HttpResponse:
    rule = get_object_or_404(SalesSignalRule, pk=rule_id) if rule_id is not None else None
    form = SignalRuleForm(request.POST or None, rule=rule, actor=request.actor)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = SignalRuleData(
            name=d["name"],
            source_department=d["source_department"],
            target_department=d["target_department"],
            segment=d["segment"],
            units=list(d["units"]),
            window_days=d["window_days"],
            holdout_percent=d["holdout_percent"],
            active=d["active"],
        )
        save_signal_rule(actor=request.actor, data=data, rule=rule)  # type: ignore[attr-defined]
        messages.success(request, _("Rule saved. It reads the contacts recorded from now on."))
        return redirect("cases:signal_rules")
    return render(request, "cases/signals_form.html", {"form": form, "rule": rule})


@require_GET
@require_perm(Perm.MANAGE_CASES)
def signal_report(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(
        SalesSignalRule.objects.select_related("source_department", "target_department"),
        pk=rule_id,
    )
    found = report(request.actor, rule)  # type: ignore[attr-defined]
    return render(request, "cases/signals_report.html", {"report": found, "rule": rule})
