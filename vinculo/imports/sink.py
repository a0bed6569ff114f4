"""Where row errors go: counted, the first ones kept for the page, all rejected rows kept
in a CSV the user can download, fix and import again."""

import csv
import tempfile
from pathlib import Path
from typing import IO

from vinculo.imports.errors import RowError, describe


class ErrorSink:
    def __init__(self, header: list[str], *, max_kept: int, keep_rejected: bool) -> None:
        self.header = header
        self.max_kept = max_kept
        self.errors: list[RowError] = []
        self.rows_with_errors = 0
        self._file: IO[str] | None = None
        self._writer: csv.Writer | None = None  # type: ignore[name-defined]
        if keep_rejected:
            self._file = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed in close()
                "w", suffix=".csv", delete=False, encoding="utf-8-sig", newline=""
            )
            self._writer = csv.writer(self._file)
            self._writer.writerow(["row", *header, "errors"])

    def add(self, row_number: int, raw: list[str], errors: list[RowError]) -> None:
        self.rows_with_errors += 1
        room = self.max_kept - len(self.errors)
        if room > 0:
            self.errors.extend(errors[:room])
        if self._writer is not None:
            width = len(self.header)
            cells = (raw + [""] * width)[:width]
            self._writer.writerow([row_number, *cells, " | ".join(describe(e) for e in errors)])

    def add_header_errors(self, errors: list[RowError]) -> None:
        self.rows_with_errors += 1
        self.errors.extend(errors[: self.max_kept])

    def close(self) -> Path | None:
        """Closes the rejected-rows file and returns its path if any row was rejected."""
        if self._file is None:
            return None
        self._file.close()
        path = Path(self._file.name)
        if self.rows_with_errors == 0:
            path.unlink(missing_ok=True)
            return None
        return path
