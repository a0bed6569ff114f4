"""The import engine: rows in, validated, resolved and stored in one transaction.

Files (CSV/XLSX, through the worker) and API batches (JSON) both come through
``import_rows``, so the rules and the error messages are the same everywhere.

Modes:
- all or nothing (default): any bad row means nothing is stored; every bad row is named.
  After the first error, rows are only validated, so the whole file is still checked.
- valid rows: the good rows are stored, the bad ones are reported and kept in a CSV.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Protocol

from django.db import transaction

from vinculo.imports.choices import ImportKind, ImportMode
from vinculo.imports.customers import CustomerImporter
from vinculo.imports.errors import RowError
from vinculo.imports.feedback import FeedbackImporter
from vinculo.imports.interactions import Counts, InteractionImporter
from vinculo.imports.sink import ErrorSink
from vinculo.lib.locks import lock_identities

CHUNK_ROWS = 20_000
MAX_KEPT_ERRORS = 1000


class Importer(Protocol):
    """What the engine needs of each kind's importer (customers.py, interactions.py...)."""

    header_errors: list[RowError]

    def process(
        self, chunk: list[tuple[int, list[str]]], sink: ErrorSink, *, strict: bool, counts: Counts
    ) -> None: ...

    def finish(self, counts: Counts) -> None: ...


IMPORTERS: dict[str, Callable[..., Importer]] = {
    ImportKind.CUSTOMERS: CustomerImporter,
    ImportKind.INTERACTIONS: InteractionImporter,
    ImportKind.FEEDBACK: FeedbackImporter,
}


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_with_errors: int = 0
    errors: list[RowError] = field(default_factory=list)
    rejected: bool = False  # all-or-nothing import refused: nothing was stored
    rejected_rows_path: Path | None = None


def _numbered(rows: Iterable[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Rows with their spreadsheet row number (header is 1), skipping empty lines."""
    return ((number, row) for number, row in enumerate(rows, start=2) if any(row))


def import_rows(
    *,
    kind: str,
    header: list[str],
    rows: Iterable[list[str]],
    mode: str,
    source: str,
    keep_rejected: bool = False,
    progress: Callable[[int], None] | None = None,
    on_success: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Imports ``rows``; ``on_success`` runs inside the transaction, before it commits."""
    result = ImportResult()
    strict = mode == ImportMode.ALL_OR_NOTHING
    with transaction.atomic():
        lock_identities()  # identity owners are cached for the whole file
        importer = IMPORTERS[kind](header=header, source=source)
        sink = ErrorSink(header, max_kept=MAX_KEPT_ERRORS, keep_rejected=keep_rejected)
        if importer.header_errors:
            sink.add_header_errors(importer.header_errors)
            result.rejected = True
        else:
            counts = Counts()
            numbered = _numbered(rows)
            try:
                while chunk := list(islice(numbered, CHUNK_ROWS)):
                    importer.process(chunk, sink, strict=strict, counts=counts)
                    result.rows += len(chunk)
                    if progress is not None:
                        progress(result.rows)
            finally:
                importer.finish(counts)
            result.created, result.updated = counts.created, counts.updated
            result.unchanged = counts.unchanged
            result.rejected = strict and sink.rows_with_errors > 0
        result.rows_with_errors = sink.rows_with_errors
        result.errors = sink.errors
        result.rejected_rows_path = sink.close()
        if result.rejected:
            result.created = result.updated = result.unchanged = 0
            transaction.set_rollback(True)
        elif on_success is not None:
            on_success(result)
    return result
