"""Bulk inserts of interactions, the hot path of every import.

SQLite: one ``INSERT OR IGNORE`` executemany per chunk. PostgreSQL: ``COPY`` into a
temporary table, then one ``INSERT ... SELECT ... ON CONFLICT DO NOTHING``. Both skip rows
whose (source, external_id) is already stored, which is what makes re-imports add nothing,
and both report how many rows were really inserted.

Writers use the DB-API connection of Django's current connection directly, inside the
import's transaction: Django's cursor wrapper would rewrite every row, and the
``BackgroundWriter`` runs them in a second thread while the next chunk is parsed.
"""

from concurrent.futures import Future, ThreadPoolExecutor
from itertools import chain
from typing import Any, Protocol

from django.db import connection

INTERACTION_COLUMNS = (
    "customer_id",
    "touchpoint_id",
    "unit_id",
    "occurred_at",
    "amount",
    "currency",
    "attributes",
    "source",
    "external_id",
    "record_kind",
    "record_id",
    "created_at",
)
InteractionRow = tuple[Any, ...]
NULL = "\\N"
# COPY's text format: backslash, tab, newline and carriage return must be escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class InteractionWriter(Protocol):
    text_values: bool
    threaded: bool

    def prepare(self, rows: list[InteractionRow]) -> Any:
        """Turns rows into what ``write`` sends; runs in the caller's thread."""

    def write(self, prepared: Any) -> int: ...


class SqliteInteractionWriter:
    """Takes datetimes and decimals as text, the way Django's SQLite backend stores them.

    Rows go ``ROWS_PER_STATEMENT`` to a statement: binding 960 values per call instead of
    12 cuts the Python-to-SQLite round trips that dominate a plain executemany.
    """

    text_values = True
    threaded = False  # binding needs the GIL per statement: a writer thread would starve
    ROWS_PER_STATEMENT = 80  # 80 x 12 values stays under SQLite's 999-parameter default

    def __init__(self) -> None:
        connection.ensure_connection()
        self.raw = connection.connection
        columns = ", ".join(INTERACTION_COLUMNS)
        one = "(" + ", ".join(["?"] * len(INTERACTION_COLUMNS)) + ")"
        insert = f"INSERT OR IGNORE INTO journeys_interaction ({columns}) VALUES "
        self.sql_one = insert + one
        self.sql_many = insert + ", ".join([one] * self.ROWS_PER_STATEMENT)

    def prepare(self, rows: list[InteractionRow]) -> list[InteractionRow]:
        return rows

    def write(self, rows: list[InteractionRow]) -> int:
        if not rows:
            return 0
        before = self.raw.total_changes
        step = self.ROWS_PER_STATEMENT
        whole = len(rows) - len(rows) % step
        flat = chain.from_iterable
        self.raw.executemany(
            self.sql_many, (list(flat(rows[i : i + step])) for i in range(0, whole, step))
        )
        if whole < len(rows):
            self.raw.executemany(self.sql_one, rows[whole:])
        return int(self.raw.total_changes - before)


class PostgresInteractionWriter:
    """Takes naive UTC datetimes: Django keeps PostgreSQL sessions in UTC."""

    STAGING = "vinculo_import_interactions"
    text_values = False
    threaded = True  # the writer mostly waits for the server, the GIL released

    def __init__(self) -> None:
        connection.ensure_connection()
        self.raw = connection.connection
        self._staging_ready = False

    def _create_staging(self) -> None:
        with self.raw.cursor() as cursor:
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {self.STAGING} ("
                "customer_id bigint, touchpoint_id bigint, unit_id bigint, "
                "occurred_at timestamptz, amount numeric(14, 2), currency varchar(3), "
                "attributes jsonb, source varchar(40), external_id varchar(120), "
                "record_kind varchar(30), record_id bigint, created_at timestamptz"
                ") ON COMMIT DROP"
            )
        self._staging_ready = True

    def prepare(self, rows: list[InteractionRow]) -> tuple[int, str]:
        """The rows as COPY text, built here so the writer thread needs the GIL only briefly
        and the server's work overlaps the parsing of the next chunk."""
        lines = []
        escape = _COPY_ESCAPES
        for row in rows:
            customer, touchpoint, unit, occurred, amount, currency, attributes, source = row[:8]
            external_id, record_kind, record_id, created_at = row[8:]
            lines.append(
                f"{customer}\t{touchpoint}\t{unit}\t{occurred}\t"
                f"{NULL if amount is None else amount}\t{currency}\t"
                f"{attributes.translate(escape)}\t{source}\t{external_id.translate(escape)}\t"
                f"{record_kind}\t{NULL if record_id is None else record_id}\t{created_at}\n"
            )
        return len(rows), "".join(lines)

    def write(self, prepared: tuple[int, str]) -> int:
        count, text = prepared
        if not count:
            return 0
        if not self._staging_ready:
            self._create_staging()
        columns = ", ".join(INTERACTION_COLUMNS)
        with self.raw.cursor() as cursor:
            with cursor.copy(f"COPY {self.STAGING} ({columns}) FROM STDIN") as copy:
                copy.write(text)
            cursor.execute(
                f"INSERT INTO journeys_interaction ({columns}) "
                f"SELECT {columns} FROM {self.STAGING} "
                "ON CONFLICT (source, external_id) DO NOTHING"
            )
            inserted = cursor.rowcount
            cursor.execute(f"TRUNCATE {self.STAGING}")
        return int(inserted)


def interaction_writer() -> InteractionWriter:
    if connection.vendor == "postgresql":
        return PostgresInteractionWriter()
    return SqliteInteractionWriter()


class BackgroundWriter:
    """Runs one write at a time in a second thread, so parsing and inserting overlap,
    for writers that spend their time waiting on the server (PostgreSQL); others write in
    the caller's thread.

    Callers must not touch the database between ``submit`` and the next ``wait``: the
    writer thread owns the connection meanwhile.
    """

    def __init__(self, writer: InteractionWriter) -> None:
        self.writer = writer
        self.text_values = writer.text_values
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-writer")
        self._pending: Future[int] | None = None
        self._pending_rows = 0
        self.inserted = 0
        self.skipped = 0

    def wait(self) -> None:
        """Blocks until the pending write is done; re-raises its error, if any."""
        if self._pending is not None:
            inserted = self._pending.result()
            self.inserted += inserted
            self.skipped += self._pending_rows - inserted
            self._pending = None

    def submit(self, rows: list[InteractionRow]) -> None:
        prepared = self.writer.prepare(rows)
        self.wait()
        if not self.writer.threaded:
            inserted = self.writer.write(prepared)
            self.inserted += inserted
            self.skipped += len(rows) - inserted
            return
        self._pending_rows = len(rows)
        self._pending = self._pool.submit(self.writer.write, prepared)

    def close(self) -> None:
        try:
            self.wait()
        finally:
            self._pool.shutdown(wait=True)
