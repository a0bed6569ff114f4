"""Reading CSV and XLSX files as a header plus rows of strings.

CSV: UTF-8 (with or without BOM) or Windows-1252, comma, semicolon or tab separated,
as spreadsheets in Spain export them. XLSX: the first sheet, cells turned into the text
a person would type (dates as ISO, whole numbers without ``.0``).
"""

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

CSV_DELIMITERS = (",", ";", "\t", "|")


class UnreadableFile(Exception):
    pass


def detect_format(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    return "csv"


def _open_text(path: Path) -> IO[str]:
    with path.open("rb") as probe:
        head = probe.read(1 << 16)
    encoding = "utf-8-sig"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the probe's end is still UTF-8.
        if exc.start < len(head) - 4:
            encoding = "cp1252"
    return path.open(encoding=encoding, newline="")


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in CSV_DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def read_csv(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    handle = _open_text(path)
    try:
        first_line = handle.readline()
    except UnicodeDecodeError as exc:
        handle.close()
        raise UnreadableFile(str(exc)) from exc
    if not first_line.strip():
        handle.close()
        return [], iter(())
    delimiter = _sniff_delimiter(first_line)
    header = next(csv.reader([first_line], delimiter=delimiter))

    def rows() -> Iterator[list[str]]:
        with handle:
            try:
                yield from csv.reader(handle, delimiter=delimiter)
            except (UnicodeDecodeError, csv.Error) as exc:
                raise UnreadableFile(str(exc)) from exc

    return header, rows()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_xlsx(path: Path) -> tuple[list[str], Iterator[list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise UnreadableFile(str(exc)) from exc
    sheet = workbook.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = [_cell_text(cell) for cell in next(values)]
    except StopIteration:
        workbook.close()
        return [], iter(())

    def rows() -> Iterator[list[str]]:
        try:
            for row in values:
                yield [_cell_text(cell) for cell in row]
        finally:
            workbook.close()

    return header, rows()


def read_rows(path: Path, fmt: str) -> tuple[list[str], Iterator[list[str]]]:
    return read_xlsx(path) if fmt == "xlsx" else read_csv(path)


def count_data_rows(path: Path, fmt: str) -> int | None:
    """A quick estimate of data rows for progress bars (CSV only: newline count)."""
    if fmt != "csv":
        return None
    lines = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            lines += chunk.count(b"\n")
    return max(lines - 1, 0)


def write_csv(rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()
