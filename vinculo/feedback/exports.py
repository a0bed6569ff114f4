"""The feedback inbox as a CSV or XLSX file: the items its filters select, one row each,
with what the text analytics read in them.

Columns (the same in both formats, one header row of these names): ``id, occurred_at,
source, site, external_id, channel, touchpoint, unit_code, unit_name, customer_id, rating,
rating_max, title, text, author, language, sentiment, score, emotions, topics``.
``occurred_at`` is local time (ISO 8601 with its offset in CSV); ``customer_id`` is empty
for anonymous items and for customers the exporter may not see; ``emotions`` reads
``anger:0.80; frustration:0.55`` (strongest first) and ``topics``
``Atención > Tiempo de espera; Precio`` (in the order the text mentions them); the
analysis columns are empty while an item waits for its analysis. The author is there (the
inbox shows it); the sender's contact identities are not: they are personal data that
only serve to find the customer, and they stay in the customer's own data export.

Every text cell is guarded against formulas (``vinculo.lib.spreadsheets``); nothing is
HTML-escaped. Items are read in chunks, with their analysis, topics and emotions in a
constant number of queries per chunk, so the file never sits whole in memory (CSV) and
the number of queries does not grow with the items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.queries import with_analysis
from vinculo.lib.spreadsheets import (
    BOM,
    csv_cell,
    csv_writer,
    dated_filename,
    xlsx_cell,
    xlsx_download,
)
from vinculo.textan.models import TextAnalysis
from vinculo.textan.queries import topic_paths

CHUNK = 500
STEM = "feedback"


@dataclass(frozen=True)
class Column:
    name: str  # the header: stable, machine-friendly
    label: str  # what it holds, in words (the XLSX "columns" sheet)
    value: Callable[[FeedbackItem], Any]


def _analysis(item: FeedbackItem) -> TextAnalysis | None:
    return getattr(item, "analysis", None)


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(microsecond=0)


def _emotions(item: FeedbackItem) -> str | None:
    analysis = _analysis(item)
    if analysis is None:
        return None
    return "; ".join(f"{felt.emotion}:{felt.intensity:.2f}" for felt in analysis.felt.all())


def _score(item: FeedbackItem) -> float | None:
    analysis = _analysis(item)
    return None if analysis is None else round(analysis.score, 3)


def _customer_id(item: FeedbackItem) -> int | None:
    # Annotated by feedback_list: the id only for those who may see that customer.
    shown: int | None = getattr(item, "shown_customer_id", None)
    return shown


def columns() -> list[Column]:
    """The export's columns; topic paths are read once per file."""
    paths = topic_paths()

    def topics(item: FeedbackItem) -> str | None:
        analysis = _analysis(item)
        if analysis is None:
            return None
        found = analysis.topics.all()
        return "; ".join(paths.get(t.topic_id, t.topic.name) for t in found)

    def analysed(field: str) -> Callable[[FeedbackItem], Any]:
        return lambda item: getattr(_analysis(item), field, None)

    return [
        Column("id", _("Item"), lambda i: i.pk),
        Column("occurred_at", _("Written at (local time)"), lambda i: _local(i.occurred_at)),
        Column("source", _("Source (code)"), lambda i: i.source),
        Column("site", _("Site"), lambda i: i.site),
        Column("external_id", _("The source's own id"), lambda i: i.external_id),
        Column("channel", _("Channel (code)"), lambda i: i.channel.code),
        Column("touchpoint", _("Touchpoint"), lambda i: i.touchpoint.name),
        Column("unit_code", _("Unit code"), lambda i: i.unit.code),
        Column("unit_name", _("Unit"), lambda i: i.unit.name),
        Column("customer_id", _("Customer (empty if anonymous)"), _customer_id),
        Column("rating", _("Rating"), lambda i: i.rating),
        Column("rating_max", _("Top of the rating scale"), lambda i: i.rating_max),
        Column("title", _("Title"), lambda i: i.title),
        Column("text", _("Text"), lambda i: i.text),
        Column("author", _("Author"), lambda i: i.author),
        Column("language", _("Language (code)"), analysed("language")),
        Column("sentiment", _("Sentiment (code)"), analysed("sentiment")),
        Column("score", _("Sentiment score (-1 to 1)"), _score),
        Column("emotions", _("Emotions with their intensity (0 to 1)"), _emotions),
        Column("topics", _("Topics"), topics),
    ]


def rows_of(items: QuerySet[FeedbackItem], plan: list[Column]) -> Iterator[list[Any]]:
    """One list of cell values per item, read ``CHUNK`` items at a time."""
    for item in with_analysis(items).iterator(chunk_size=CHUNK):
        yield [column.value(item) for column in plan]


def csv_response(items: QuerySet[FeedbackItem], sep: str) -> StreamingHttpResponse:
    """A streamed CSV (UTF-8 with a BOM; ``sep`` "semicolon" for ``;``)."""
    plan = columns()
    writer = csv_writer(sep)

    def lines() -> Iterator[str]:
        yield BOM + writer.writerow([column.name for column in plan])
        for values in rows_of(items, plan):
            yield writer.writerow([csv_cell(value, True) for value in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    filename = dated_filename(STEM, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(items: QuerySet[FeedbackItem]) -> FileResponse:
    """An XLSX written in openpyxl's write-only mode, with a sheet describing the columns."""
    plan = columns()
    book = Workbook(write_only=True)
    sheet = book.create_sheet(str(_("Feedback"))[:31])
    sheet.append([column.name for column in plan])
    for values in rows_of(items, plan):
        sheet.append([xlsx_cell(sheet, value) for value in values])
    described = book.create_sheet(str(_("Columns"))[:31])
    described.append([str(_("Column")), str(_("Content"))])
    for column in plan:
        described.append([column.name, xlsx_cell(described, str(column.label))])
    return xlsx_download(book, dated_filename(STEM, "xlsx"))
