"""Improvement action pages: the list (/cases/improvements/), promoting a root cause
(/cases/improvements/new/?root_cause=<id>) and an action's page with its status form
(/cases/improvements/<id>/). Seeing them needs ``cases.view`` (scoped to one's units);
creating and changing them ``cases.manage``; people limited to units make actions only in
a unit of theirs and see company-wide actions without the form to change them (a POST is
a 403)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.cases import improvements
from vinculo.cases.deadlines import CaseError
from vinculo.cases.improvements_forms import (
    ImprovementEditForm,
    ImprovementFilterForm,
    ImprovementForm,
)
from vinculo.cases.insights import resolved_counts
from vinculo.cases.insights_filters import RawInsightFilter, resolve
from vinculo.cases.models import RootCause
from vinculo.metrics.filters import FilterError

PER_PAGE = 50


@require_GET
@require_perm(Perm.VIEW_CASES)
def improvement_list_page(request: HttpRequest) -> HttpResponse:
    """The actions one sees, newest first and a page at a time, each with its root cause's
    resolved cases in the period (the last 90 days unless ``since``/``until`` say
    otherwise; within one's scope)."""
    actor = request.actor  # type: ignore[attr-defined]
    form = ImprovementFilterForm(request.GET, actor=actor)
    wanted = form.cleaned_data if form.is_valid() else {}
    rows = improvements.improvement_list(
        actor, status=wanted.get("status") or "", owner=wanted.get("owner") or ""
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    try:
        period = resolve(actor, RawInsightFilter(wanted.get("since"), wanted.get("until")))
    except FilterError as refused:
        form.add_error(refused.field, refused.message)
        period = resolve(actor, RawInsightFilter())
    counts = resolved_counts(actor, {r.root_cause_id for r in page}, period)
    items = [(row, counts.get(row.root_cause_id, 0)) for row in page]
    context = {"form": form, "items": items, "page": page, "period": period}
    return render(request, "cases/improvements.html", context)


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MANAGE_CASES)
def improvement_new(request: HttpRequest) -> HttpResponse:
    """Promote a root cause (given in the URL) to an improvement action with an owner."""
    actor = request.actor  # type: ignore[attr-defined]
    initial = {}
    cause_id = _int(request.GET.get("root_cause"))
    cause = RootCause.objects.filter(pk=cause_id).first() if cause_id else None
    if cause is not None:
        initial = {"root_cause": str(cause.pk), "title": cause.name}
    form = ImprovementForm(request.POST or None, actor=actor, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            action = improvements.promote(actor=actor, data=form.improvement())
        except CaseError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, _("Improvement action created; its owner was told."))
            return redirect("cases:improvement", improvement_id=action.pk)
    return render(request, "cases/improvements_new.html", {"form": form, "cause": cause})


@require_http_methods(["GET", "POST"])
@require_perm(Perm.VIEW_CASES)
def improvement_page(request: HttpRequest, improvement_id: int) -> HttpResponse:
    """An action; with ``cases.manage``, the form to move it on."""
    actor = request.actor  # type: ignore[attr-defined]
    action = improvements.improvements_for(actor).filter(pk=improvement_id).first()
    if action is None:
        raise Http404
    # Company-wide actions are read-only for people limited to units.
    may_change = improvements.may_change(actor, action)
    if request.method == "POST" and not may_change:
        raise PermissionDenied
    initial = {"status": action.status, "outcome": action.outcome, "owner": action.owner_id}
    form = ImprovementEditForm(request.POST or None, initial={**initial, "due_on": action.due_on})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            improvements.update(
                actor=actor,
                action=action,
                status=d["status"],
                outcome=d["outcome"],
                owner=d["owner"],
                due_on=d["due_on"],
            )
        except CaseError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, _("Improvement action saved."))
            return redirect("cases:improvement", improvement_id=action.pk)
    context = {"action": action, "form": form if may_change else None}
    return render(request, "cases/improvements_detail.html", context)


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None
