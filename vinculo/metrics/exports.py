"""The dashboard's tables as an XLSX workbook, and the whole dashboard as a PDF.

Both are built from the same ``Dashboard`` the page shows, so every figure, n and
interval is the page's. XLSX cells hold the numbers (rounded as the page rounds them, with
a matching number format) so they can be computed with; a suppressed figure is the words
"insufficient sample" beside its n. The PDF is rendered by WeasyPrint from an HTML
template, fonts from the system (Debian's DejaVu), the trend drawn as inline SVG: nothing
is fetched from anywhere.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

from vinculo.metrics import display
from vinculo.metrics.dashboard import Dashboard
from vinculo.metrics.figures import Figure
from vinculo.metrics.periods import PRESETS
from vinculo.metrics.stats import Difference

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TABLES = ("summary", "trend", "units", "league", "breakdown", "questions")


def _fmt(places: int) -> str:
    return "0" if places == 0 else "0." + "0" * places


@dataclass
class _Sheet:
    sheet: Worksheet

    def row(self, values: Sequence[Any], formats: Sequence[str | None] = ()) -> None:
        # Names come from people (units, segments, surveys): control characters are
        # dropped and text stays text, even when it starts with "=".
        self.sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", v) if isinstance(v, str) else v for v in values]
        )
        cells = self.sheet[self.sheet.max_row]
        for cell in cells:
            if isinstance(cell.value, str):
                cell.data_type = "s"
        for cell, number_format in zip(cells, formats, strict=False):
            if number_format:
                cell.number_format = number_format


def _estimate_cells(figure: Figure) -> tuple[list[Any], list[str | None]]:
    """Value, low, high, n of a headline; the words instead of numbers when suppressed."""
    e, kind = figure.headline, figure.kind
    places = display.decimals(kind)
    if e.suppressed:
        return [display.value_text(e, kind), None, None, e.n], [None, None, None, "0"]
    numbers = [None if x is None else round(x, places) for x in (e.value, e.low, e.high)]
    formats: list[str | None] = [_fmt(places)] * 3
    return [*numbers, e.n], [*formats, "0"]


def _difference_cells(d: Difference | None, kind: str) -> tuple[list[Any], list[str | None]]:
    if d is None:
        return ["", ""], [None, None]
    places = display.decimals(kind)
    return [round(d.value, places), _("yes") if d.significant else _("no")], [_fmt(places), None]


def _header(sheet: _Sheet, board: Dashboard, title: str) -> None:
    f = board.filter
    period = PRESETS.get(f.preset, _("Custom dates"))
    sheet.row([title])
    sheet.row([_("Unit"), f.unit.name])
    sheet.row([_("Measure"), str(display.HEADLINE_LABELS[f.metric])])
    dates = f"{f.period.since:%d/%m/%Y} {display.DASH} {f.period.until:%d/%m/%Y}"
    sheet.row([_("Period"), f"{period}: {dates}"])
    sheet.row([_("Minimum sample"), f.min_sample])
    sheet.row([_("Confidence intervals"), "95%"])
    sheet.row([_("Generated"), timezone.localtime().strftime("%d/%m/%Y %H:%M")])
    sheet.row([])


ESTIMATE_HEADS = ("value", "95% CI low", "95% CI high", "n")


def _heads(*names: str) -> list[str]:
    labels = {
        "value": _("Value"),
        "95% CI low": _("95% CI low"),
        "95% CI high": _("95% CI high"),
        "n": "n",
        "measure": _("Measure"),
        "start": _("Period start"),
        "unit": _("Unit"),
        "rank": _("Rank"),
        "shrunk": _("Ranking estimate (shrunken)"),
        "group": _("Group"),
        "vs rest": _("Difference with the rest"),
        "significant": _("Significant"),
        "previous": _("Previous period"),
        "change": _("Change from the previous period"),
    }
    return [labels[name] for name in names]


def _summary(sheet: _Sheet, board: Dashboard) -> None:
    sheet.row(_heads("measure", *ESTIMATE_HEADS, "previous", "change", "significant"))
    for tile in board.tiles:
        cells, formats = _estimate_cells(tile.figure)
        before, before_formats = _estimate_cells(tile.previous)
        change, change_formats = _difference_cells(tile.change, tile.figure.kind)
        sheet.row(
            [str(display.HEADLINE_LABELS[tile.metric]), *cells, before[0], *change],
            [None, *formats, before_formats[0], *change_formats],
        )


def _trend(sheet: _Sheet, board: Dashboard) -> None:
    sheet.row(_heads("start", *ESTIMATE_HEADS))
    for point in board.trend:
        cells, formats = _estimate_cells(point.figure)
        sheet.row([point.start, *cells], ["dd/mm/yyyy", *formats])


def _rows(sheet: _Sheet, rows: Iterable[Any], head: str) -> None:
    sheet.row(_heads(head, *ESTIMATE_HEADS, "vs rest", "significant"))
    for row in rows:
        cells, formats = _estimate_cells(row.figure)
        diff, diff_formats = _difference_cells(row.versus_rest, row.figure.kind)
        sheet.row([row.label, *cells, *diff], [None, *formats, *diff_formats])


def _league(sheet: _Sheet, board: Dashboard) -> None:
    sheet.row(_heads("rank", "unit", *ESTIMATE_HEADS, "shrunk"))
    places = display.decimals(board.filter.kind)
    for row in board.league.rows:
        cells, formats = _estimate_cells(row.figure)
        shrunk = None if row.shrunk is None or row.rank is None else round(row.shrunk, places)
        sheet.row([row.rank, row.unit.name, *cells, shrunk], [None, None, *formats, _fmt(places)])


def _questions(sheet: _Sheet, board: Dashboard) -> None:
    sheet.row([_("Question"), _("Key"), _("Option"), *_heads(*ESTIMATE_HEADS)])
    for result in board.results:
        if result.figure is not None:
            cells, formats = _estimate_cells(result.figure)
            sheet.row([result.label, result.key, "", *cells], [None, None, None, *formats])
        for option in result.options:
            cells, formats = _estimate_cells(option.figure)
            sheet.row(
                [result.label, result.key, option.label, *cells], [None, None, None, *formats]
            )


def xlsx_response(board: Dashboard, tables: Sequence[str], breakdown_label: str) -> HttpResponse:
    """A workbook with one sheet per table asked for (``TABLES``)."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    titles = {
        "summary": _("Summary"),
        "trend": _("Trend"),
        "units": _("By unit"),
        "league": _("League"),
        "breakdown": breakdown_label,
        "questions": _("By question"),
    }
    for table in tables:
        sheet = _Sheet(book.create_sheet(str(titles[table])[:31]))
        _header(sheet, board, str(titles[table]))
        if table == "summary":
            _summary(sheet, board)
        elif table == "trend":
            _trend(sheet, board)
        elif table == "units":
            _rows(sheet, board.units, "unit")
        elif table == "league":
            _league(sheet, board)
        elif table == "questions":
            _questions(sheet, board)
        else:
            _rows(sheet, board.breakdown, "group")
        sheet.sheet.column_dimensions["A"].width = 34
    buffer = io.BytesIO()
    book.save(buffer)
    name = f"vinculo-{board.filter.metric}-{board.filter.unit.code}-{'-'.join(tables)}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# -- PDF -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chart:
    """The trend as SVG coordinates: the line, the interval band, the axis labels."""

    width: int
    height: int
    line: str
    band: str
    dots: list[tuple[float, float]]
    ticks: list[tuple[float, str]]  # y, label
    labels: list[tuple[float, str]]  # x, label


def trend_chart(board: Dashboard, width: int = 640, height: int = 200) -> Chart:
    kind = board.filter.kind
    points = [(p.start, p.figure.headline) for p in board.trend]
    shown = [e for _start, e in points if e.value is not None]
    lows = [e.low if e.low is not None else e.value for e in shown]
    highs = [e.high if e.high is not None else e.value for e in shown]
    low = min([x for x in lows if x is not None], default=0.0)
    high = max([x for x in highs if x is not None], default=1.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    left, right, top, bottom = 44.0, 8.0, 8.0, 22.0
    step = (width - left - right) / max(len(points) - 1, 1)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (height - top - bottom)

    xs = [left + i * step for i in range(len(points))]
    line, upper, lower, dots = [], [], [], []
    for x, (_start, e) in zip(xs, points, strict=True):
        if e.value is None:
            continue
        line.append(f"{x:.1f},{y(e.value):.1f}")
        dots.append((round(x, 1), round(y(e.value), 1)))
        upper.append(f"{x:.1f},{y(e.high if e.high is not None else e.value):.1f}")
        lower.append(f"{x:.1f},{y(e.low if e.low is not None else e.value):.1f}")
    places = display.decimals(kind)
    ticks = [(round(y(v), 1), display.number(v, places)) for v in (low, (low + high) / 2, high)]
    every = max(1, len(points) // 8)
    labels = [
        (round(x, 1), f"{start:%d/%m/%y}")
        for i, (x, (start, _e)) in enumerate(zip(xs, points, strict=True))
        if i % every == 0
    ]
    return Chart(width, height, " ".join(line), " ".join(upper + lower[::-1]), dots, ticks, labels)


def pdf_response(board: Dashboard, context: dict[str, Any]) -> HttpResponse:
    from weasyprint import HTML  # imported here: it loads pango, which only the PDF needs

    html = render_to_string(
        "metrics/dashboard_pdf.html", {**context, "board": board, "chart": trend_chart(board)}
    )
    pdf = HTML(string=html).write_pdf()
    name = f"vinculo-{board.filter.metric}-{board.filter.unit.code}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
