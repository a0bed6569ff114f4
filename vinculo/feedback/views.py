"""The feedback inbox and one item's page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.customers.queries import is_visible
from vinculo.feedback.forms import FeedbackFilterForm
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.queries import FeedbackFilter, feedback_list
from vinculo.textan.models import TextEmotion, TextTopic

PER_PAGE = 50


def _with_analysis(rows: QuerySet[FeedbackItem]) -> QuerySet[FeedbackItem]:
    return rows.prefetch_related(
        Prefetch("analysis__topics", queryset=TextTopic.objects.select_related("topic")),
        Prefetch("analysis__felt", queryset=TextEmotion.objects.order_by("-intensity")),
    )


@require_GET
@require_perm(Perm.VIEW_FEEDBACK)
def inbox(request: HttpRequest) -> HttpResponse:
    """Feedback newest first with what the analytics read in it; filters in the URL."""
    actor = request.actor  # type: ignore[attr-defined]
    form = FeedbackFilterForm(request.GET, actor=actor)
    rows = _with_analysis(feedback_list(actor, form.feedback_filter()))
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
@require_perm(Perm.VIEW_FEEDBACK)
def item_page(request: HttpRequest, item_id: int) -> HttpResponse:
    """The whole text with its evidence marked, its emotions and topics, and its customer."""
    actor = request.actor  # type: ignore[attr-defined]
    item = _with_analysis(feedback_list(actor, FeedbackFilter())).filter(pk=item_id).first()
    if item is None:
        raise Http404
    customer_visible = item.customer_id is not None and is_visible(actor, item.customer_id)
    context = {"item": item, "customer_visible": customer_visible}
    return render(request, "feedback/item.html", context)
