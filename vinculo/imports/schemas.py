from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from vinculo.imports.choices import ImportMode

MAX_BATCH_ROWS = 10_000


class ErrorOut(Schema):
    row: int
    column: str
    code: str
    value: str
    message: str


class BatchErrorOut(ErrorOut):
    index: int = Field(description="Position of the item in `rows` (0-based).")


class ImportJobOut(Schema):
    id: int
    kind: str
    mode: str
    source: str
    file_name: str
    status: str
    expected_rows: int | None
    rows_done: int
    total_rows: int
    created: int
    updated: int
    unchanged: int
    rows_with_errors: int
    errors: list[ErrorOut]
    rejected_rows_url: str | None
    failure: str
    created_at: datetime
    finished_at: datetime | None


class BatchIn(Schema):
    mode: ImportMode = ImportMode.ALL_OR_NOTHING
    source: str = Field(
        min_length=1,
        max_length=40,
        pattern=r"^[-a-zA-Z0-9_.]+$",
        description="The system the rows come from (e.g. crm, billing): ids are unique per source.",
    )
    rows: list[dict[str, Any]] = Field(
        ...,
        min_length=1,
        max_length=MAX_BATCH_ROWS,
        description="Up to 10,000 items; keys are the import file's column names.",
    )


class BatchOut(Schema):
    rejected: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    rows_with_errors: int
    errors: list[BatchErrorOut]
