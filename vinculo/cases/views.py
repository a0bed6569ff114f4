"""The case pages: the list with its filters and bulk actions, a case's page with a form
per action, and opening a case by hand. Every change goes through services.py (or bulk.py,
one case at a time); a refused change is named next to its field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from vinculo.accounts.actors import Actor
from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.cases import bulk, notifications, services
from vinculo.cases.follow_up import follow_up_context
from vinculo.cases.forms import (
    ActionForm,
    AssignForm,
    BulkForm,
    CaseFilterForm,
    ContactForm,
    NewCaseForm,
    NoteForm,
    PriorityForm,
    ReopenForm,
    ResolveForm,
    StatusForm,
    TakeForm,
)
from vinculo.cases.listing import case_list, sla_of
from vinculo.cases.models import Case
from vinculo.cases.queries import case_for
from vinculo.cases.services import CaseError, NewCase
from vinculo.customers.queries import is_visible, resolve_merged

PER_PAGE = 50

Run = Callable[[Actor, Case, forms.Form], object]
# action -> (form, what it does with the form's clean data)
ACTIONS: dict[str, tuple[Callable[..., forms.Form], Run]] = {
    "take": (TakeForm, lambda a, c, f: services.take(actor=a, case=c)),
    "assign": (
        AssignForm,
        lambda a, c, f: services.assign(actor=a, case=c, owner=f.cleaned_data["owner"]),
    ),
    "status": (
        StatusForm,
        lambda a, c, f: services.set_status(actor=a, case=c, status=f.cleaned_data["status"]),
    ),
    "priority": (
        PriorityForm,
        lambda a, c, f: services.set_priority(actor=a, case=c, priority=f.cleaned_data["priority"]),
    ),
    "note": (NoteForm, lambda a, c, f: services.add_note(actor=a, case=c, **f.cleaned_data)),
    "contact": (
        ContactForm,
        lambda a, c, f: services.log_contact(actor=a, case=c, **f.cleaned_data),
    ),
    "action": (ActionForm, lambda a, c, f: services.add_action(actor=a, case=c, **f.cleaned_data)),
    "resolve": (
        ResolveForm,
        lambda a, c, f: services.resolve(
            actor=a,
            case=c,
            root_cause=f.cause(),  # type: ignore[attr-defined]
            resolution=f.cleaned_data["resolution"],
            follow_up=f.cleaned_data["follow_up"],
        ),
    ),
    "reopen": (ReopenForm, lambda a, c, f: services.reopen(actor=a, case=c, **f.cleaned_data)),
}


@require_GET
@require_perm(Perm.VIEW_CASES)
def case_list_page(request: HttpRequest) -> HttpResponse:
    """The cases the person sees, newest first; open ones unless the filters say otherwise."""
    actor = request.actor  # type: ignore[attr-defined]
    form = CaseFilterForm(request.GET, actor=actor)
    rows = case_list(actor, form.case_filter())
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "bulk": BulkForm(actor=actor, initial={"back": request.get_full_path()}),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, "cases/_results.html" if partial else "cases/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_POST
@require_perm(Perm.WORK_CASES)
def case_bulk(request: HttpRequest) -> HttpResponse:
    """One action on the ticked cases; each case changes or is named with the reason."""
    actor = request.actor  # type: ignore[attr-defined]
    form = BulkForm(request.POST, actor=actor)
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("cases:list")
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(
                request,
                f"{label}: {' '.join(map(str, errors))}" if label else " ".join(map(str, errors)),
            )
        return redirect(back or reverse("cases:list"))
    result = _run_bulk(actor, form.cleaned_data)
    if result.done:
        done = len(result.done)
        messages.success(request, _("Cases changed: %(count)s.") % {"count": done})
    for case_id, why in result.refused.items():
        messages.error(request, _("Case #%(id)s: %(why)s") % {"id": case_id, "why": why})
    return redirect(back or reverse("cases:list"))


def _run_bulk(actor: Actor, data: dict[str, Any]) -> bulk.BulkResult:
    ids, action = data["cases"], data["action"]
    if action == "assign":
        return bulk.assign_all(actor=actor, case_ids=ids, owner=data["owner"])
    if action == "status":
        return bulk.set_status_all(actor=actor, case_ids=ids, status=data["status"])
    if action == "priority":
        return bulk.set_priority_all(actor=actor, case_ids=ids, priority=data["priority"])
    return bulk.take_all(actor=actor, case_ids=ids)


@require_http_methods(["GET", "POST"])
@require_perm(Perm.WORK_CASES)
def case_new(request: HttpRequest) -> HttpResponse:
    """Opens a case by hand: a call, a letter, something seen in a store."""
    actor = request.actor  # type: ignore[attr-defined]
    form = NewCaseForm(request.POST or None, actor=actor)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer = None
        if data["customer_id"] is not None:
            customer = resolve_merged(data["customer_id"])
            if customer is None or not is_visible(actor, customer.pk):
                form.add_error("customer_id", _("No customer with this id within your scope."))
        if not form.errors:
            fields = {
                k: data[k] for k in ("title", "unit", "department", "priority", "description")
            }
            try:
                case, _created = services.open_case(
                    actor=actor, data=NewCase(customer=customer, **fields)
                )
            except CaseError as refused:
                form.add_error(
                    refused.field if refused.field in form.fields else None, refused.message
                )
            else:
                return redirect("cases:case", case_id=case.pk)
    return render(request, "cases/new.html", {"form": form})


@require_GET
@require_perm(Perm.VIEW_CASES)
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    case = case_for(actor, case_id)
    if case is None:
        raise Http404
    notifications.mark_read_about(user_id=actor.user_id, case_id=case.pk)
    return render(request, "cases/case.html", _case_context(actor, case, {}))


@require_POST
@require_perm(Perm.WORK_CASES)
def case_act(request: HttpRequest, case_id: int, action: str) -> HttpResponse:
    """One action from the case's page; back to the page when done (POST-redirect-GET),
    or the page again with the refusal next to its field."""
    actor = request.actor  # type: ignore[attr-defined]
    case = case_for(actor, case_id)
    if case is None:
        raise Http404
    form = _form(action, case, request.POST)
    if form.is_valid():
        try:
            ACTIONS[action][1](actor, case, form)
        except CaseError as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            return redirect(f"{reverse('cases:case', args=[case.pk])}#log")
    case = case_for(actor, case_id) or case
    return render(request, "cases/case.html", _case_context(actor, case, {action: form}))


def _form(action: str, case: Case, data: Any = None) -> forms.Form:
    make = ACTIONS[action][0]
    options: dict[str, Any] = {"auto_id": f"{action}_%s"}
    if make in (AssignForm, ResolveForm):
        options["case"] = case
    return make(data, **options)


def _case_context(actor: Actor, case: Case, bound: dict[str, forms.Form]) -> dict[str, Any]:
    events = case.events.select_related("actor").order_by("created_at", "id")
    customer_visible = case.customer_id is not None and is_visible(actor, case.customer_id)
    action_forms = {name: bound.get(name) or _form(name, case) for name in ACTIONS}
    return {
        "case": case,
        "sla": sla_of(case),
        "events": events,
        "forms": action_forms,
        "customer_visible": customer_visible and actor.can(Perm.VIEW_CUSTOMERS),
        "trigger_url": _trigger_url(actor, case),
        # Every rule that matched what opened it, not only the one that named it.
        "rules": sorted({match.rule.name for match in case.rule_matches.select_related("rule")}),
        **follow_up_context(case),
    }


def _trigger_url(actor: Actor, case: Case) -> str:
    """The page of what opened the case, if the actor may read it."""
    if case.trigger_id is None:
        return ""
    if case.trigger == "response" and actor.can(Perm.VIEW_RESPONSES):
        return reverse("surveys:response", args=[case.trigger_id])
    if case.trigger == "feedback" and actor.can(Perm.VIEW_FEEDBACK):
        return reverse("feedback:item", args=[case.trigger_id])
    return ""
