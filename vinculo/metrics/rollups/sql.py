"""Upserts that add counts to roll-up rows, for SQLite and PostgreSQL alike.

``INSERT ... ON CONFLICT (key) DO UPDATE SET n = n + excluded.n`` is the same statement on
both (SQLite since 3.24), so folding needs no vendor branches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

COUNTS = ("n", "total", "total_sq", "top", "bottom")


def q(name: str) -> str:
    return connection.ops.quote_name(name)


def table(model: type[models.Model]) -> str:
    return q(model._meta.db_table)


def add_counts(
    model: type[models.Model],
    key: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    extra: Sequence[str] = (),
) -> None:
    """Adds each row's counts to the row with its key, creating it. A row gives the key's
    values, then the ``extra`` columns (written on creation only), then the five counts."""
    name = table(model)
    columns = [*key, *extra, *COUNTS]
    statement = (
        f"INSERT INTO {name} ({', '.join(map(q, columns))}) "
        f"VALUES ({', '.join(['%s'] * len(columns))}) "
        f"ON CONFLICT ({', '.join(map(q, key))}) DO UPDATE SET "
        + ", ".join(f"{q(c)} = {name}.{q(c)} + excluded.{q(c)}" for c in COUNTS)
    )
    with connection.cursor() as cursor:
        cursor.executemany(statement, list(rows))


def drop_empty(
    model: type[models.Model], key: Sequence[str], keys: Iterable[Sequence[Any]]
) -> None:
    """Deletes the rows with these keys whose counts all came back to zero."""
    name = table(model)
    where = " AND ".join([*(f"{q(c)} = %s" for c in key), *(f"{q(c)} = 0" for c in COUNTS)])
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {name} WHERE {where}", list(keys))
