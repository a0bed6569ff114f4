"""Cells and files of the spreadsheets people download (CSV and XLSX exports).

Text that customers typed is never run by the spreadsheet that opens it: in CSV, text
starting like a formula (``= + - @``, a tab or a carriage return) gets a leading ``'``,
which spreadsheets read as "this is text"; in XLSX every string is written as a text cell,
so ``=HYPERLINK(...)`` stays the characters it is. Nothing is HTML-escaped: a file is never
rendered as a page, and escaping would change what the customer wrote.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from typing import Any

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

BOM = "\ufeff"  # Excel reads UTF-8 (the accents) only when the file starts with it
SEPARATORS = {"comma": ",", "semicolon": ";"}  # ";" for spreadsheets set up for Spanish
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_cell(value: Any, typed_text: bool) -> Any:
    """A value as a CSV cell: datetimes in ISO 8601; ``typed_text`` (free text from outside)
    that would start a formula is prefixed with ``'``."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if typed_text and isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_writer(sep: str) -> Any:
    """A csv writer whose ``writerow`` returns the line instead of writing it, so rows can
    be streamed; ``sep`` is a key of SEPARATORS (anything else is a comma)."""
    return csv.writer(_Echo(), delimiter=SEPARATORS.get(sep, ","))


def xlsx_cell(sheet: Any, value: Any) -> Any:
    """A value for a write-only sheet: strings as text cells (never formulas), without the
    control characters XLSX cannot hold; datetimes without a zone (Excel has none: they
    are written in local time, as shown)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, str):
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # text stays text, even when it starts with "="
        return cell
    return value


def dated_filename(stem: str, extension: str) -> str:
    """``stem-2026-03-01.csv``: the day it was exported, in the server's time zone."""
    return f"{stem}-{timezone.localdate().isoformat()}.{extension}"


def xlsx_download(book: Workbook, filename: str) -> FileResponse:
    """The workbook saved to a temporary file and sent from it, so a large export is not
    held whole in memory; the file is deleted when the response closes it."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it)
    book.save(file)
    file.seek(0)
    return FileResponse(file, as_attachment=True, filename=filename, content_type=XLSX_TYPE)
