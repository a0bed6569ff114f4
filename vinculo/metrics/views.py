"""The dashboard page and its exports (Perm.VIEW_METRICS).

Filters live in the query string, so a view is shared by its URL; the unit must be within
the actor's scope (a unit manager's dashboard starts at their unit and cannot leave it).
The page, the XLSX tables and the PDF are built from one ``dashboard.Dashboard``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import path
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.metrics import dashboard, display, exports, links, queries
from vinculo.metrics.choices import Breakdown
from vinculo.metrics.forms import MetricFilterForm
from vinculo.metrics.periods import PRESETS

app_name = "metrics"
UNITS_SHOWN = 30  # direct units listed on the page; beyond, the league and the XLSX


def _board(request: HttpRequest, *, with_comments: bool = True) -> tuple[Any, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    form = MetricFilterForm(request.GET, actor=actor)
    f = form.metric_filter()
    if f is None:
        return form, None
    board = dashboard.build(
        actor,
        f,
        interval=form.cleaned_data.get("interval") or "",
        by=form.cleaned_data.get("by") or "",
        language=get_language() or "es",
        with_comments=with_comments,
    )
    return form, board


def _context(form: MetricFilterForm, board: dashboard.Dashboard) -> dict[str, Any]:
    f = board.filter
    chosen_interval = form.cleaned_data.get("interval") or None
    chosen_by = form.cleaned_data.get("by") or None
    return {
        "form": form,
        "board": board,
        "f": f,
        "kind": f.kind,
        "period_label": PRESETS.get(f.preset, ""),
        # The filters as given, for links; "unit" and "metric" left out where a link sets them.
        "query": links.filter_query(f, interval=chosen_interval, by=chosen_by),
        "query_unitless": links.filter_query(f, unit=None, interval=chosen_interval, by=chosen_by),
        "query_metricless": links.filter_query(
            f, metric=None, interval=chosen_interval, by=chosen_by
        ),
        "by_label": Breakdown(board.by).label,
        # A region of a hundred stores: the league ranks them; a table of all would be long.
        "units_shown": UNITS_SHOWN,
        "tile_rows": [
            (
                tile,
                links.responses_url(replace(f, metric=tile.metric)),
                links.responses_url(replace(f, metric=tile.metric), box="bottom"),
            )
            for tile in board.tiles
        ],
        "trend_empty": not any(p.figure.n for p in board.trend),
        "ancestors": queries.ancestors(form.actor, f.unit),
        "trend_json": [
            {
                "start": p.start.isoformat(),
                "label": formats.date_format(p.start, "SHORT_DATE_FORMAT"),
                "value": p.figure.headline.value,
                "low": p.figure.headline.low,
                "high": p.figure.headline.high,
                "n": p.figure.headline.n,
                "suppressed": p.figure.headline.suppressed,
            }
            for p in board.trend
        ],
        "trend_labels": {
            "value": str(display.HEADLINE_LABELS[f.metric]),
            "band": str(_("Confidence band")),
            "suppressed": str(_("insufficient sample")),
        },
    }


@require_GET
@require_perm(Perm.VIEW_METRICS)
def dashboard_page(request: HttpRequest) -> HttpResponse:
    """Tiles, trend, units, league, a breakdown and the latest comments, for one scope."""
    form, board = _board(request)
    if board is None:
        return render(request, "metrics/dashboard.html", {"form": form}, status=400)
    return render(request, "metrics/dashboard.html", _context(form, board))


@require_GET
@require_perm(Perm.VIEW_METRICS)
def filters_form(request: HttpRequest) -> HttpResponse:
    """The filter form of the dashboard at this URL's filters, fetched when opened."""
    form = MetricFilterForm(request.GET, actor=request.actor)  # type: ignore[attr-defined]
    form.metric_filter()  # shows the defaults the figures use, or the errors
    return render(request, "metrics/_filters.html", {"form": form})


@require_GET
@require_perm(Perm.VIEW_METRICS)
def export_xlsx(request: HttpRequest) -> HttpResponseBase:
    """One table (``table=league``…) or all of them (``table=all``) as a workbook."""
    form, board = _board(request, with_comments=False)
    if board is None:
        return render(request, "metrics/dashboard.html", {"form": form}, status=400)
    asked = request.GET.get("table", "all")
    tables: tuple[str, ...] = exports.TABLES if asked not in exports.TABLES else (asked,)
    if not board.filter.survey:  # questions are listed for one survey at a time
        tables = tuple(t for t in tables if t != "questions") or ("summary",)
    return exports.xlsx_response(board, tables, str(Breakdown(board.by).label))


@require_GET
@require_perm(Perm.VIEW_METRICS)
def export_pdf(request: HttpRequest) -> HttpResponseBase:
    """The dashboard as a PDF, figures, intervals and n as on the page."""
    form, board = _board(request)
    if board is None:
        return render(request, "metrics/dashboard.html", {"form": form}, status=400)
    return exports.pdf_response(board, _context(form, board))


urlpatterns = [
    path("", dashboard_page, name="dashboard"),
    path("filters/", filters_form, name="filters"),
    path("export.xlsx", export_xlsx, name="export_xlsx"),
    path("dashboard.pdf", export_pdf, name="export_pdf"),
]
