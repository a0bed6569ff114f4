"""Pages of the service-to-sales signals (/cases/signals/): the rules, a new rule, a
rule's settings, and a rule's uplift report, which need MANAGE_CASES (and the rule within
one's units, ``rules_scope``); and one signal (/cases/signals/s/<id>/), for the people
it was told to as well."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vinculo.accounts.actors import Actor
from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.cases import notifications
from vinculo.cases.models import SalesSignalRule
from vinculo.cases.rules import describe
from vinculo.cases.rules_scope import rules_in_scope
from vinculo.cases.signals_forms import SignalRuleForm
from vinculo.cases.signals_report import report, visible_signal
from vinculo.cases.signals_services import SignalRuleData, save_signal_rule
from vinculo.customers.queries import is_visible


def _rules(actor: Actor) -> QuerySet[SalesSignalRule]:
    rows = SalesSignalRule.objects.select_related("source_department", "target_department")
    return rules_in_scope(rows, actor)


@require_GET
@require_perm(Perm.MANAGE_CASES)
def signal_rules(request: HttpRequest) -> HttpResponse:
    rules = (
        _rules(request.actor)  # type: ignore[attr-defined]
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
    actor = request.actor  # type: ignore[attr-defined]
    rule = get_object_or_404(_rules(actor), pk=rule_id) if rule_id is not None else None
    form = SignalRuleForm(request.POST or None, rule=rule, actor=actor)
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
        save_signal_rule(actor=actor, data=data, rule=rule)
        messages.success(request, _("Rule saved. It reads the contacts recorded from now on."))
        return redirect("cases:signal_rules")
    return render(request, "cases/signals_form.html", {"form": form, "rule": rule})


@require_GET
@require_perm(Perm.MANAGE_CASES)
def signal_report(request: HttpRequest, rule_id: int) -> HttpResponse:
    rule = get_object_or_404(_rules(request.actor), pk=rule_id)  # type: ignore[attr-defined]
    found = report(request.actor, rule)  # type: ignore[attr-defined]
    return render(request, "cases/signals_report.html", {"report": found, "rule": rule})


@require_GET
@require_perm(Perm.VIEW_CASES)
def signal_page(request: HttpRequest, signal_id: int) -> HttpResponse:
    actor: Actor = request.actor  # type: ignore[attr-defined]
    signal = visible_signal(actor, signal_id)
    if signal is None:
        raise Http404
    notifications.mark_read_about(user_id=actor.user_id, signal_id=signal.pk)
    context = {
        "signal": signal,
        "window_end": signal.created_at + timedelta(days=signal.rule.window_days),
        "customer_link": actor.can(Perm.VIEW_CUSTOMERS) and is_visible(actor, signal.customer_id),
        "manages": actor.can(Perm.MANAGE_CASES),
    }
    return render(request, "cases/signals_signal.html", context)
