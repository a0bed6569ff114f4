"""The feedback inbox, its exports and one item's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.customers.queries import is_visible
from vinculo.feedback import exports
from vinculo.feedback.forms import FeedbackFilterForm
from vinculo.feedback.queries import FeedbackFilter, feedback_list, with_analysis

PER_PAGE = 50


@require_GET
@require_perm(Perm.VIEW_FEEDBACK)
def inbox(request: HttpRequest) -> HttpResponse:
    """Feedback newest first with what the analytics read in it; filters in the URL."""
    actor = request.actor  # type: ignore[attr-defined]
    form = FeedbackFilterForm(request.GET, actor=actor)
    rows = with_analysis(feedback_list(actor, form.feedback_filter()))
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    htmx = request.htmx  # type: ignore[attr-defined]
    partial = bool(htmx) and not htmx.history_restore_request
    template = "feedback/_results.html" if partial else "feedback/inbox.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@require_perm(Perm.EXPORT_FEEDBACK)
def export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The items the inbox's filters select, in the person's units, as a file. A filter
    that does not validate sends the person back to the inbox, which names it: exporting
    without it would give more than they asked for."""
    actor = request.actor  # type: ignore[attr-defined]
    form = FeedbackFilterForm(request.GET, actor=actor)
    if not form.is_valid():
        messages.error(request, _("Correct the filters to export the feedback."))
        query = request.GET.copy()
        query.pop("sep", None)
        return redirect(f"{reverse('feedback:inbox')}?{query.urlencode()}")
    rows = feedback_list(actor, form.feedback_filter())
    if fmt == "xlsx":
        return exports.xlsx_response(rows)
    return exports.csv_response(rows, request.GET.get("sep", "comma"))


@require_GET
@require_perm(Perm.VIEW_FEEDBACK)
def item_page(request: HttpRequest, item_id: int) -> HttpResponse:
    """The whole text with its evidence marked, its emotions and topics, and its customer."""
    actor = request.actor  # type: ignore[attr-defined]
    item = with_analysis(feedback_list(actor, FeedbackFilter())).filter(pk=item_id).first()
    if item is None:
        raise Http404
    customer_visible = item.customer_id is not None and is_visible(actor, item.customer_id)
    context = {"item": item, "customer_visible": customer_visible}
    return render(request, "feedback/item.html", context)
