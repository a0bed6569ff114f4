"""Reading counts from the roll-ups: one function, three paths, never the raw answers.

``read`` sums the counts of some questions over some units' subtrees and a period,
filtered and grouped by dimensions, and picks the cheapest table that holds the answer:

1. no dimension involved: ``ScoreCube`` totals (a unit-year is ~12 month rows);
2. one dimension (filtered, grouped, or both): ``ScoreCube`` rows of that dimension, plus
   the target unit's *own* loose days by dimension from ``ScoreDay`` (the cube keeps
   those days for the units below only, see ``ScoreCube``);
3. two dimensions or more: ``ScoreDay`` over every unit of the subtrees. Correct, but it
   reads about one row per few answers: the price of combining filters freely.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from vinculo.accounts.models import Unit
from vinculo.metrics.choices import Dimension, Grain, Interval
from vinculo.metrics.models import ScoreCube, ScoreDay
from vinculo.metrics.periods import BUCKETS, Period
from vinculo.metrics.rollups.fold import unit_lines
from vinculo.metrics.stats import Counts

COUNT_COLUMNS = ("n", "total", "total_sq", "top", "bottom")
DATE_COLUMNS = {"start", "day", "month"}
DIMENSIONS = (Dimension.TOUCHPOINT, Dimension.CHANNEL, Dimension.SEGMENT, Dimension.LIFECYCLE)
# ScoreDay's column for each dimension; ScoreCube keeps them all in ``value``, as text.
FINE_COLUMN: dict[str, str] = {
    Dimension.TOUCHPOINT: "touchpoint_id",
    Dimension.CHANNEL: "channel_id",
    Dimension.SEGMENT: "segment",
    Dimension.LIFECYCLE: "lifecycle",
}


@dataclass(frozen=True)
class Where:
    """Dimension filters; None means any value. Touchpoint 0: answers with no touchpoint."""

    touchpoint: frozenset[int] | None = None
    channel: frozenset[int] | None = None
    segment: frozenset[str] | None = None
    lifecycle: frozenset[str] | None = None

    def dimensions(self) -> set[str]:
        return {f.name for f in fields(self) if getattr(self, f.name) is not None}

    def values(self, dim: str) -> frozenset[Any] | None:
        found: frozenset[Any] | None = getattr(self, dim)
        return found


ANYWHERE = Where()


@dataclass(frozen=True)
class Group:
    """What the counts are grouped by (each True/set part becomes part of the key)."""

    question: bool = False
    unit: bool = False  # each target unit's subtree on its own; else all targets summed
    dim: str = ""  # one of DIMENSIONS: by its value (ids and stages as text)
    bucket: str = ""  # an Interval: by the start of its bucket
    option: bool = False  # choice options (and matrix statements) instead of scores


Key = tuple[Any, ...]
Condition = tuple[str, list[Any]]  # SQL with %s placeholders, and its parameters


def read(
    *,
    questions: Collection[int],
    units: Sequence[Any] | QuerySet[Unit],
    period: Period,
    where: Where = ANYWHERE,
    group: Group = Group(),
) -> dict[Key, Counts]:
    """Counts keyed by the grouped parts, in the order of ``Group``'s fields. ``units`` may
    be a queryset: with hundreds of units, a subquery is cheaper than a list of ids."""
    if not questions or not units:
        return {}
    dims = where.dimensions() | ({group.dim} if group.dim else set())
    if len(dims) > 1:
        return _from_days(questions, units, period, where, group)
    return _from_cube(questions, units, period, where, group, next(iter(dims), ""))


def _add(into: dict[Key, Counts], key: Key, row: dict[str, Any]) -> None:
    found = Counts(row["n"], row["total"], row["total_sq"], row["top"], row["bottom"])
    into[key] = into[key] + found if key in into else found


def _bucket(group: Group, start: date) -> date:
    return BUCKETS[Interval(group.bucket)](start)


def _days_only(group: Group) -> bool:
    """Day and week buckets cannot be read from month rows."""
    return group.bucket in (Interval.DAY, Interval.WEEK)


def _cube_parts(period: Period, group: Group) -> list[Condition]:
    """The period as cube rows: its whole months, then each loose range of days. Each is
    read by a query of its own: an OR of ranges would keep the index from reaching the
    dates (SQLite then reads every row of every unit)."""
    if _days_only(group):
        return [_period(Grain.DAY, period.since, period.until)]
    months, loose = period.split()
    parts = [_period(Grain.MONTH, *months)] if months is not None else []
    return parts + [_period(Grain.DAY, low, high) for low, high in loose]


def _period(grain: str, low: date, high: date) -> Condition:
    return ("grain = %s AND start BETWEEN %s AND %s", [grain, low, high])


def _loose_days(period: Period, group: Group) -> list[tuple[date, date]]:
    if _days_only(group):
        return [(period.since, period.until)]
    return period.split()[1]


def _option_filter(group: Group) -> Condition:
    return ("option <> %s" if group.option else "option = %s", [""])


def _in(column: str, values: Sequence[Any]) -> Condition:
    if not values:
        return ("1 = 0", [])
    return (f"{_quoted(column)} IN ({', '.join(['%s'] * len(values))})", list(values))


def _units_in(units: Sequence[Any] | QuerySet[Unit]) -> Condition:
    """Units as ids, units, or a queryset: with hundreds of units, a subquery is cheaper
    than a list of ids."""
    if isinstance(units, QuerySet):
        sql, params = units.values("pk").query.sql_with_params()
        return (f"unit_id IN ({sql})", list(params))
    return _in("unit_id", [getattr(u, "pk", u) for u in units])


def _from_cube(
    questions: Collection[int],
    units: Sequence[Any] | QuerySet[Unit],
    period: Period,
    where: Where,
    group: Group,
    dim: str,
) -> dict[Key, Counts]:
    values = where.values(dim) if dim else None
    common = [
        _option_filter(group),
        _in("question_id", sorted(questions)),
        _units_in(units),
        ("dim = %s", [dim]),
    ]
    if not dim:
        common.append(("value = %s", [""]))
    elif values is not None:
        common.append(_in("value", sorted(_text(dim, v) for v in values)))
    parts = _parts(group, ("question_id", "unit_id", "value", "start", "option"))
    found: dict[Key, Counts] = {}
    for when in _cube_parts(period, group):
        for row in _summed(ScoreCube, [*common, when], parts):
            _add(found, _key(group, row, row.get("value", "")), row)
    if dim:
        # The targets' own answers of the loose days, by dimension, are in ScoreDay only.
        loose = _loose_days(period, group)
        own = _days(questions, units, loose, where, group, "unit_id")
        for row in own:
            _add(found, _key(group, row, _text(dim, row.get(FINE_COLUMN[dim]))), row)
    return found


def _text(dim: str, value: Any) -> str:
    """A ScoreDay dimension value as ScoreCube's ``value`` spells it."""
    if dim == Dimension.TOUCHPOINT:
        return str(value) if value else ""
    return str(value if value is not None else "")


def _parts(group: Group, names: tuple[str, str, str, str, str]) -> list[str]:
    question, unit, value, start, option = names
    parts = []
    if group.question:
        parts.append(question)
    if group.unit:
        parts.append(unit)
    if group.dim:
        parts.append(value)
    if group.bucket:
        parts.append(start)
    if group.option:
        parts.append(option)
    return parts


def _key(group: Group, row: dict[str, Any], value: str, unit_id: int | None = None) -> Key:
    key: list[Any] = []
    if group.question:
        key.append(row["question_id"])
    if group.unit:
        key.append(unit_id if unit_id is not None else row["unit_id"])
    if group.dim:
        key.append(value)
    if group.bucket:
        key.append(_bucket(group, row.get("start") or row.get("day") or row["month"]))
    if group.option:
        key.append(row["option"])
    return tuple(key)


def _days(
    questions: Collection[int],
    units: Sequence[Any] | QuerySet[Unit],
    ranges: list[tuple[date, date]],
    where: Where,
    group: Group,
    unit_part: str,
) -> list[dict[str, Any]]:
    """ScoreDay rows of these units and day ranges, filtered by ``where``, grouped."""
    if not ranges:
        return []
    common = [_option_filter(group), _in("question_id", sorted(questions)), _units_in(units)]
    for dim in where.dimensions():
        values = where.values(dim)
        assert values is not None
        common.append(_in(FINE_COLUMN[dim], sorted(values)))
    parts = []
    if group.question:
        parts.append("question_id")
    if group.unit or unit_part == "unit_id":
        parts.append("unit_id")
    if group.dim:
        parts.append(FINE_COLUMN[group.dim])
    if group.bucket:
        parts.append("day")
    if group.option:
        parts.append("option")
    # One query per range of days, for the index's sake (see _cube_parts).
    days = [("day BETWEEN %s AND %s", [low, high]) for low, high in ranges]
    return [row for when in days for row in _summed(ScoreDay, [*common, when], parts)]


def _summed(
    model: type[ScoreCube] | type[ScoreDay], conditions: list[Condition], parts: list[str]
) -> list[dict[str, Any]]:
    """The counts summed by ``parts``; with no parts, one row (none if nothing matched).

    Written as SQL rather than through the ORM: a dashboard makes dozens of these reads,
    and compiling as many querysets cost more than running them."""
    columns = [_quoted(p) for p in parts]
    sums = [f"SUM({c})" for c in COUNT_COLUMNS]
    sql = "SELECT {} FROM {} WHERE {}".format(
        ", ".join(columns + sums),
        _quoted(model._meta.db_table),
        " AND ".join(f"({c})" for c, _ in conditions),
    )
    if columns:
        sql += " GROUP BY " + ", ".join(columns)
    params = [p for _, ps in conditions for p in ps]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    rows = []
    for row in found:
        if row[len(parts)] is None:
            continue  # no parts and nothing matched
        named = dict(zip(parts, row, strict=False))
        for name in DATE_COLUMNS.intersection(named):
            named[name] = _date(named[name])
        named.update(zip(COUNT_COLUMNS, (int(v) for v in row[len(parts) :]), strict=True))
        rows.append(named)
    return rows


def _date(value: Any) -> date:
    return date.fromisoformat(value) if isinstance(value, str) else value


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _from_days(
    questions: Collection[int],
    units: Sequence[Any] | QuerySet[Unit],
    period: Period,
    where: Where,
    group: Group,
) -> dict[Key, Counts]:
    # Every unit of every target's subtree, and the target it counts for (one query).
    targets = {u.pk for u in units}
    target_of: dict[int, int] = {}
    for pk, line in unit_lines().items():
        target = next((ancestor for ancestor in line if ancestor in targets), None)
        if target is not None:
            target_of[pk] = target
    rows = _days(
        questions,
        sorted(target_of),
        [(period.since, period.until)],
        where,
        group,
        "unit_id",
    )
    found: dict[Key, Counts] = {}
    for row in rows:
        value = _text(group.dim, row.get(FINE_COLUMN.get(group.dim, ""), "")) if group.dim else ""
        _add(found, _key(group, row, value, unit_id=target_of[row["unit_id"]]), row)
    return found
