"""The outer-loop pages: root causes of the resolved cases (/cases/insights/) and the case
metrics per department and unit (/cases/metrics/). Filters live in the URL; a filter the
actor may not use (a unit outside their scope) is a 400 naming it, as on the dashboard."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.cases.insights import case_metrics, root_causes
from vinculo.cases.insights_filters import InsightFilter, resolve
from vinculo.cases.insights_forms import InsightFilterForm
from vinculo.metrics.filters import FilterError


def _filter(request: HttpRequest) -> tuple[InsightFilterForm, InsightFilter | None]:
    actor = request.actor  # type: ignore[attr-defined]
    form = InsightFilterForm(request.GET, actor=actor)
    if not form.is_valid():
        return form, None  # a unit outside one's scope is not among the choices
    try:
        return form, resolve(actor, form.raw())
    except FilterError as refused:
        form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        return form, None


def _context(request: HttpRequest, form: InsightFilterForm, f: InsightFilter) -> dict[str, Any]:
    query = request.GET.copy()
    query.pop("by", None)
    return {"form": form, "f": f, "query_byless": query.urlencode()}


@require_GET
@require_perm(Perm.VIEW_CASES)
def insights_page(request: HttpRequest) -> HttpResponse:
    """Root causes of the cases resolved in the period, with their figures."""
    form, f = _filter(request)
    if f is None:
        return render(request, "cases/insights.html", {"form": form}, status=400)
    context = _context(request, form, f)
    context["rollup"] = root_causes(request.actor, f)  # type: ignore[attr-defined]
    return render(request, "cases/insights.html", context)


@require_GET
@require_perm(Perm.VIEW_CASES)
def metrics_page(request: HttpRequest) -> HttpResponse:
    """How well the cases opened in the period were worked, per department and unit."""
    form, f = _filter(request)
    if f is None:
        return render(request, "cases/metrics.html", {"form": form}, status=400)
    context = _context(request, form, f)
    metrics = case_metrics(request.actor, f)  # type: ignore[attr-defined]
    context["metrics"] = metrics
    context["tables"] = [
        (_("All cases"), [metrics.total]),
        (_("By department"), metrics.departments),
        (_("By unit"), metrics.units),
    ]
    return render(request, "cases/metrics.html", context)
