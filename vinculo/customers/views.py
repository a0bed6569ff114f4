"""Customer pages: search, the customer 360 with its timeline, merging two customers, and
the customer's personal data rights (export, erasure)."""

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.customers.forms import (
    CustomerSearchForm,
    ErasureForm,
    MergeForm,
    MergeSearchForm,
    TimelineFilterForm,
)
from vinculo.customers.privacy import erase_customer, export_customer
from vinculo.customers.queries import (
    customer_profile,
    is_visible,
    merge_candidates,
    resolve_merged,
    search_customers,
    visible_customer,
    with_identities,
)
from vinculo.customers.services import MergeRefused, merge_customers
from vinculo.journeys.queries import customer_timeline

CUSTOMERS_PER_PAGE = 25
INTERACTIONS_PER_PAGE = 50

MERGE_REFUSALS = {
    "same_customer": gettext_lazy("Customer to merge: a customer cannot be merged into itself."),
    "not_found": gettext_lazy(
        "Customer to merge: there is no such customer, or you may not see it."
    ),
    "already_merged": gettext_lazy(
        "Customer to merge: one of the two customers was already merged."
    ),
}


def _page_or_partial(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """The full page, or only the part HTMX swaps in (never for a history restore)."""
    htmx = request.htmx  # type: ignore[attr-defined]
    wants_partial = bool(htmx) and not htmx.history_restore_request
    response = render(request, partial if wants_partial else page, context)
    # The same URL answers both ways, so caches must keep the two apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@require_perm(Perm.VIEW_CUSTOMERS)
def customer_list(request: HttpRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET)
    customers = with_identities(search_customers(request.actor, form.query()))  # type: ignore[attr-defined]
    page = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": form.query()}
    return _page_or_partial(request, "customers/list.html", "customers/_results.html", context)


@require_GET
@require_perm(Perm.VIEW_CUSTOMERS)
def customer_detail(request: HttpRequest, customer_id: int) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    current = resolve_merged(customer_id)
    if current is not None and current.pk != customer_id and is_visible(actor, current.pk):
        message = _("This customer was merged into %(name)s.") % {"name": current}
        messages.info(request, message)
        return redirect("customers:detail", customer_id=current.pk)
    profile = customer_profile(actor, customer_id)
    if profile is None:
        raise Http404
    filters = TimelineFilterForm(request.GET)
    timeline = customer_timeline(customer_id, filters.timeline_filter())
    page = Paginator(timeline, INTERACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {"profile": profile, "customer": profile.customer, "filters": filters, "page": page}
    return _page_or_partial(request, "customers/detail.html", "customers/_timeline.html", context)


@require_http_methods(["GET", "POST"])
@require_perm(Perm.MERGE_CUSTOMERS)
def customer_merge(request: HttpRequest, customer_id: int) -> HttpResponse:
    """GET: find and compare the customer to merge; POST: merge it into this one."""
    actor = request.actor  # type: ignore[attr-defined]
    survivor = customer_profile(actor, customer_id)
    if survivor is None:
        raise Http404
    form = MergeForm(request.POST or None, initial={"merged_id": request.GET.get("merged")})
    if request.method == "POST" and form.is_valid():
        merged_id = form.cleaned_data["merged_id"]
        try:
            if not is_visible(actor, merged_id):
                raise MergeRefused("not_found")
            merge = merge_customers(
                survivor_id=customer_id,
                merged_id=merged_id,
                actor=actor,
                reason=form.cleaned_data["reason"],
            )
        except MergeRefused as refused:
            form.add_error("merged_id", MERGE_REFUSALS.get(refused.code, refused.code))
        else:
            counts = {
                "identities": merge.identities_moved,
                "interactions": merge.interactions_moved,
            }
            message = _(
                "Customers merged: %(identities)s identities and %(interactions)s interactions "
                "moved to this customer."
            )
            messages.success(request, message % counts)
            return redirect("customers:detail", customer_id=customer_id)
    return _render_merge(request, survivor_id=customer_id, form=form, survivor=survivor)


def _render_merge(request: HttpRequest, *, survivor_id: int, **context: Any) -> HttpResponse:
    """The merge page: search results, or both profiles side by side before confirming."""
    actor = request.actor  # type: ignore[attr-defined]
    search = MergeSearchForm(request.GET)
    merged_id = context["form"]["merged_id"].value()
    candidate = None
    if str(merged_id or "").isdigit() and int(merged_id) != survivor_id:
        candidate = customer_profile(actor, int(merged_id))
    found = (
        merge_candidates(actor, search.query(), survivor_id=survivor_id) if search.query() else []
    )
    context |= {"search": search, "candidate": candidate, "candidates": found}
    return render(request, "customers/merge.html", context)


@require_GET
@require_perm(Perm.EXPORT_CUSTOMERS)
def customer_export(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Everything held about the customer as a JSON file, for an access request."""
    customer = visible_customer(request.actor, customer_id)  # type: ignore[attr-defined]
    if customer is None:
        raise Http404
    response = JsonResponse(export_customer(customer), json_dumps_params={"ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="vinculo-customer-{customer.pk}.json"'
    return response


@require_http_methods(["POST"])
@require_perm(Perm.ERASE_CUSTOMERS)
def customer_erase(request: HttpRequest, customer_id: int) -> HttpResponse:
    """Erases the customer's personal data, after a typed reason and a confirmation."""
    actor = request.actor  # type: ignore[attr-defined]
    if not is_visible(actor, customer_id):
        raise Http404
    form = ErasureForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("customers:detail", customer_id=customer_id)
    erasure = erase_customer(
        customer_id=customer_id, actor=actor, reason=form.cleaned_data["reason"]
    )
    message = _(
        "Personal data erased: %(identities)s identities deleted, the details of "
        "%(interactions)s interactions removed."
    ) % {"identities": erasure.identities_deleted, "interactions": erasure.interactions_scrubbed}
    messages.success(request, message)
    return redirect("customers:detail", customer_id=customer_id)
