"""Responses pages: the list with its filters, one response, and the exports.

Perm.VIEW_RESPONSES to read, Perm.EXPORT_RESPONSES to export; everything is scoped by
``queries.visible_responses``: a unit manager sees only the responses of their subtree, and
a response elsewhere is "not found", never "forbidden".
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.surveys import exports
from vinculo.surveys.forms import ResponseFilterForm
from vinculo.surveys.models import Survey
from vinculo.surveys.queries import (
    RESPONSES_PER_PAGE,
    filtered_responses,
    mark_visible_customers,
    response_detail,
    with_scores,
)


@require_GET
@require_perm(Perm.VIEW_RESPONSES)
def response_list(request: HttpRequest) -> HttpResponse:
    """Responses newest first, 50 a page; the filters live in the URL (shareable, bookmarkable)."""
    actor = request.actor  # type: ignore[attr-defined]
    form = ResponseFilterForm(request.GET, actor=actor)
    filters = form.response_filter()
    page = Paginator(filtered_responses(actor, filters), RESPONSES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = mark_visible_customers(actor, with_scores(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "survey_chosen": filters.survey_id is not None,
        "query": query.urlencode(),
    }
    htmx = request.htmx  # type: ignore[attr-defined]
    partial = bool(htmx) and not htmx.history_restore_request
    template = "surveys/responses/_results.html" if partial else "surveys/responses/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_GET
@require_perm(Perm.VIEW_RESPONSES)
def response_page(request: HttpRequest, response_id: int) -> HttpResponse:
    """Every answer with its question, who answered, where, how and in which version."""
    actor = request.actor  # type: ignore[attr-defined]
    detail = response_detail(actor, response_id, get_language() or "es")
    if detail is None:
        raise Http404
    return render(request, "surveys/responses/detail.html", {"detail": detail})


@require_GET
@require_perm(Perm.EXPORT_RESPONSES)
def response_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered responses of one survey (the ``survey`` filter is required) as a file."""
    actor = request.actor  # type: ignore[attr-defined]
    filters = ResponseFilterForm(request.GET, actor=actor).response_filter()
    if filters.survey_id is None:
        messages.error(request, _("Choose a survey to export its responses."))
        return redirect(f"{reverse('surveys:responses')}?{request.GET.urlencode()}")
    survey = Survey.objects.get(pk=filters.survey_id)
    rows = filtered_responses(actor, filters)
    language = get_language() or survey.default_language
    if fmt == "xlsx":
        return exports.xlsx_response(survey, rows, language)
    return exports.csv_response(survey, rows, language, request.GET.get("sep", "comma"))


urlpatterns = [
    path("responses/", response_list, name="responses"),
    path("responses/<int:response_id>/", response_page, name="response"),
    path("responses/export.csv", response_export, {"fmt": "csv"}, name="export_csv"),
    path("responses/export.xlsx", response_export, {"fmt": "xlsx"}, name="export_xlsx"),
]
