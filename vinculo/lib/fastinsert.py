"""INSERTs for hot paths, built once per model instead of compiled by the ORM per call.

On a public survey submission the ORM spent more time compiling its two INSERTs than the
database spent running them. These helpers take the model's own fields (column names,
defaults, ``auto_now``, value adaptation through ``get_db_prep_save``), so they follow the
model as it changes; they skip what the hot paths do not need (signals, ``save()``
overrides, which those models do not have).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

from django.db import connection, models
from django.utils import timezone

M = TypeVar("M", bound=models.Model)


@cache
def _columns(model: type[models.Model]) -> tuple[list[models.Field[Any, Any]], str]:
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    names = ", ".join(quote(f.column) for f in fields)
    return fields, f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES "


def _row(fields: Sequence[models.Field[Any, Any]], values: Mapping[str, Any]) -> list[Any]:
    now = timezone.now()
    row = []
    for field in fields:
        if field.attname in values:
            value = values[field.attname]
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        else:
            value = field.get_default()
        row.append(field.get_db_prep_save(value, connection))
    return row


def insert(model: type[M], values: Mapping[str, Any]) -> M:
    """Inserts one row (attnames → values) and returns the instance with its primary key."""
    fields, head = _columns(model)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = model._meta.pk
    assert pk is not None
    with connection.cursor() as cursor:
        cursor.execute(
            f"{head}{marks} RETURNING {connection.ops.quote_name(pk.column)}",
            _row(fields, values),
        )
        (new_id,) = cursor.fetchone()
    instance = model(**{pk.attname: new_id, **values})
    instance._state.adding = False
    instance._state.db = connection.alias
    return instance


def insert_many(model: type[models.Model], rows: Sequence[Mapping[str, Any]]) -> None:
    """Inserts rows, 50 per statement (SQLite caps the parameters of one statement)."""
    fields, head = _columns(model)
    marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50):
            batch = rows[start : start + 50]
            params = [value for values in batch for value in _row(fields, values)]
            cursor.execute(head + ", ".join([marks] * len(batch)), params)
