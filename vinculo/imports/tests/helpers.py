"""Building import files for tests."""

import csv
from pathlib import Path

from vinculo.imports.engine import ImportResult, import_rows
from vinculo.imports.readers import read_rows


def write_csv(
    path: Path, rows: list[list[str]], delimiter: str = ",", encoding: str = "utf-8"
) -> Path:
    with path.open("w", newline="", encoding=encoding) as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def import_file(
    path: Path, kind: str = "interactions", mode: str = "all_or_nothing", source: str = "test"
) -> ImportResult:
    fmt = "xlsx" if path.suffix == ".xlsx" else "csv"
    header, rows = read_rows(path, fmt)
    return import_rows(kind=kind, header=header, rows=rows, mode=mode, source=source)
