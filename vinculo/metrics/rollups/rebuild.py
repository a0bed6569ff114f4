"""Rebuilding the roll-ups from the raw answers, and proving that they match.

``rebuild`` reads every counted answer of every complete response once (streamed, never
all in memory), writes what each adds into ``ScoreScratch``, and sums it by key in the
database: that is what ``ScoreDay`` must hold. Then ``ScoreCube`` must be the sum of
``ScoreDay`` over each unit's subtree, per day and month, which one SQL statement per
dimension computes. Each stored table is compared with its recomputation row by row
(``EXCEPT`` both ways); ``apply`` replaces what differs.

The whole of it runs in one transaction, under the roll-up lock, on one snapshot of the
data (REPEATABLE READ on PostgreSQL; SQLite's writer lock holds writers off): deltas
committed after the snapshot stay pending and are folded later, and their answers are
not in the snapshot, so nothing is counted twice or missed.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from vinculo.metrics.boxes import COUNTED_KINDS, SCORED_KINDS, Boxes, answer_counts
from vinculo.metrics.choices import Dimension, Grain
from vinculo.metrics.models import (
    RollupState,
    ScoreCube,
    ScoreDay,
    ScoreScratch,
)
from vinculo.metrics.rollups.deltas import counted, report_zone
from vinculo.metrics.rollups.fold import FINE_ROW, fold, lock_state, unit_lines
from vinculo.metrics.rollups.sql import COUNTS, q, table
from vinculo.surveys.choices import ResponseStatus
from vinculo.surveys.models import Answer, Question, Response

FLUSH_KEYS = 200_000  # distinct keys summed in memory before they go to the scratch table
FINE_COLUMNS = ("day", "month", *FINE_ROW[1:])  # the order the scratch rows are built in
CUBE_COLUMNS = ("grain", "start", "question_id", "unit_id", "dim", "value", "option")


@dataclass
class TableCheck:
    expected: int = 0  # rows the raw data gives
    stored: int = 0  # rows found before the rebuild
    missing: int = 0  # expected rows not stored as they should be
    extra: int = 0  # stored rows that should not be there (or not so)
    examples: list[str] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return self.missing == 0 and self.extra == 0


@dataclass
class RebuildReport:
    answers: int
    fine: TableCheck
    cube: TableCheck
    applied: bool

    @property
    def matches(self) -> bool:
        return self.fine.matches and self.cube.matches


EXPECTED_DAY = "vinculo_expected_day"  # temporary tables: this connection's alone
EXPECTED_CUBE = "vinculo_expected_cube"


def rebuild(*, apply: bool = True, progress: Callable[[str], None] | None = None) -> RebuildReport:
    """Recomputes both roll-ups from the raw answers; replaces them when ``apply`` and
    they differ. Returns what was compared (``matches``: they were equal before)."""
    say = progress or (lambda message: None)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost:  # inside a caller's transaction, the caller chose its isolation
            _snapshot()
        _roomy()
        lock_state()
        while fold():  # what was logged before the snapshot, so stored and raw agree
            pass
        say("Reading the answers")
        answers = _scratch_from_answers()
        say(f"{answers:,} answers read; summing them by day and dimension")
        _materialize(EXPECTED_DAY, _expected_fine())
        ScoreScratch.objects.all().delete()
        fine = _compare(ScoreDay, FINE_COLUMNS, EXPECTED_DAY)
        say("Summing them by unit subtree, day and month")
        # From the raw answers again (not from ScoreDay, which may be the one that is off).
        _materialize(EXPECTED_CUBE, _expected_cube(EXPECTED_DAY))
        cube = _compare(ScoreCube, CUBE_COLUMNS, EXPECTED_CUBE)
        if apply and not fine.matches:
            say("Replacing the daily roll-up")
            _replace(ScoreDay, FINE_COLUMNS, EXPECTED_DAY)
        if apply and not cube.matches:
            say("Replacing the roll-up by unit")
            _replace(ScoreCube, CUBE_COLUMNS, EXPECTED_CUBE)
        _drop(EXPECTED_DAY, EXPECTED_CUBE)
        if apply:
            RollupState.objects.filter(pk=1).update(rebuilt_at=timezone.now())
    return RebuildReport(answers, fine, cube, applied=apply)


def refresh_cube() -> TableCheck:
    """Recomputes ``ScoreCube`` from ``ScoreDay`` (after units moved in the tree)."""
    with transaction.atomic():
        _roomy()
        lock_state()
        while fold():
            pass
        _materialize(EXPECTED_CUBE, _expected_cube(table(ScoreDay)))
        check = _compare(ScoreCube, CUBE_COLUMNS, EXPECTED_CUBE)
        if not check.matches:
            _replace(ScoreCube, CUBE_COLUMNS, EXPECTED_CUBE)
        _drop(EXPECTED_CUBE)
    return check


def _snapshot() -> None:
    """One snapshot for the whole rebuild, taken only once no fold is running.

    On PostgreSQL the table lock comes before any query: a SELECT would fix the snapshot
    while a fold still holds the lock, and the fold's update of the state row would then
    fail the rebuild with a serialization error. Folds starting later wait for it."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute(f"LOCK TABLE {table(RollupState)} IN EXCLUSIVE MODE")


def _roomy() -> None:
    """Big GROUP BYs fit in memory rather than spilling sorts to disk (PostgreSQL; this
    transaction only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")


# -- raw answers -> scratch ----------------------------------------------------------------


class _LocalDays:
    """UTC datetimes to local days, memoised per UTC hour (offsets change on the hour)."""

    def __init__(self) -> None:
        self.zone = report_zone()
        self.hours: dict[datetime, tuple[date, timedelta]] = {}

    def __call__(self, moment: datetime) -> date:
        if moment.tzinfo is None:  # SQLite's driver gives naive UTC
            moment = moment.replace(tzinfo=UTC)
        hour = moment.replace(minute=0, second=0, microsecond=0)
        known = self.hours.get(hour)
        if known is None:
            local = hour.astimezone(self.zone)
            known = (local.date(), local.utcoffset() or timedelta(0))
            self.hours[hour] = known
        # Within an hour only the minutes past it can cross midnight (offsets like +5:30).
        return (moment + known[1]).date() if known[1].seconds % 3600 else known[0]


def _raw_rows() -> Iterator[tuple[Any, ...]]:
    """Every counted answer of every complete response, streamed through a plain cursor
    (a server-side one on PostgreSQL): 30 million rows must not pass through the ORM."""
    r, a, question = (table(m) for m in (Response, Answer, Question))
    kinds = ", ".join(f"'{kind}'" for kind in sorted(COUNTED_KINDS))
    sql = (
        f"SELECT r.{q('completed_at')}, r.{q('unit_id')}, r.{q('touchpoint_id')}, "
        f"r.{q('channel_id')}, r.{q('segment')}, r.{q('lifecycle_stage')}, "
        f"a.{q('question_id')}, a.{q('row')}, a.{q('number')}, a.{q('choices')} "
        f"FROM {a} a JOIN {r} r ON r.{q('id')} = a.{q('response_id')} "
        f"JOIN {question} qu ON qu.{q('id')} = a.{q('question_id')} "
        f"WHERE r.{q('status')} = %s AND qu.{q('kind')} IN ({kinds})"
    )
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, [ResponseStatus.COMPLETE.value])
        while rows := cursor.fetchmany(20_000):
            yield from rows


def _scratch_from_answers() -> int:
    ScoreScratch.objects.all().delete()
    questions = {
        q.pk: (q.kind, counted(q)) for q in Question.objects.filter(kind__in=COUNTED_KINDS)
    }
    to_day = _LocalDays()
    sums: defaultdict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    read = 0
    for (
        completed,
        unit,
        touchpoint,
        channel,
        segment,
        lifecycle,
        qid,
        row,
        number,
        choices,
    ) in _raw_rows():
        read += 1
        kind, boxes = questions[qid]
        if isinstance(choices, str):  # JSON as text on SQLite
            choices = json.loads(choices)
        if isinstance(completed, str):
            completed = datetime.fromisoformat(completed)
        where = (to_day(completed), qid, unit, touchpoint or 0, channel, segment, lifecycle)
        if kind in SCORED_KINDS and number is not None and boxes is not None:
            # The common case, inline: the same counts boxes.scored gives, without objects.
            cell = sums[(*where, "")]
            cell[0] += 1
            cell[1] += number
            cell[2] += number * number
            cell[3] += number >= boxes.top_from
            cell[4] += number <= boxes.bottom_to
        else:
            _add_answer(sums, where, kind, boxes, row, number, choices)
        if len(sums) >= FLUSH_KEYS:
            _flush(sums)
    _flush(sums)
    return read


def _add_answer(
    sums: defaultdict[tuple[Any, ...], list[int]],
    where: tuple[Any, ...],
    kind: str,
    boxes: Boxes | None,
    row: str,
    number: int | None,
    choices: list[str] | None,
) -> None:
    for option, c in answer_counts(kind, boxes, row=row, number=number, choices=choices):
        cell = sums[(*where, option)]
        cell[0] += c.n
        cell[1] += c.total
        cell[2] += c.total_sq
        cell[3] += c.top
        cell[4] += c.bottom


def _flush(sums: dict[tuple[Any, ...], list[int]]) -> None:
    if not sums:
        return
    columns = (*FINE_COLUMNS, *COUNTS)
    rows = [(key[0], key[0].replace(day=1), *key[1:], *cell) for key, cell in sums.items()]
    if connection.vendor == "postgresql":
        copy_in = f"COPY {table(ScoreScratch)} ({', '.join(map(q, columns))}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(copy_in) as copy:
            for row in rows:
                copy.write_row(row)
    else:
        statement = (
            f"INSERT INTO {table(ScoreScratch)} ({', '.join(map(q, columns))}) "
            f"VALUES ({', '.join(['%s'] * len(columns))})"
        )
        with connection.cursor() as cursor:
            cursor.executemany(statement, rows)
    sums.clear()


# -- expected tables as SQL ----------------------------------------------------------------


def _sums(prefix: str = "") -> str:
    return ", ".join(f"SUM({prefix}{q(c)}) AS {q(c)}" for c in COUNTS)


Query = tuple[str, str]  # an optional WITH clause, and the SELECT that may use it


def _expected_fine() -> Query:
    key = ", ".join(map(q, FINE_COLUMNS))
    return "", f"SELECT {key}, {_sums()} FROM {table(ScoreScratch)} GROUP BY {key}"


def _links() -> str:
    """The unit → ancestor pairs (``strict``: not the unit itself) as a VALUES list."""
    pairs = [
        f"({unit}, {ancestor}, {int(ancestor != unit)})"
        for unit, line in unit_lines().items()
        for ancestor in line
    ]
    # A database with no units still needs a well-formed (empty) list.
    values = ", ".join(pairs) or "(0, 0, 0)"
    return f"links ({q('unit_id')}, {q('ancestor_id')}, {q('strict')}) AS (VALUES {values})"


def _dimension_value(dim: str) -> str:
    if dim == Dimension.TOUCHPOINT:
        column = q("touchpoint_id")
        return f"CASE WHEN {column} = 0 THEN '' ELSE CAST({column} AS TEXT) END"
    if dim == Dimension.CHANNEL:
        return f"CAST({q('channel_id')} AS TEXT)"
    if dim in (Dimension.SEGMENT, Dimension.LIFECYCLE):
        return q(dim)
    return "CAST('' AS TEXT)"


def _expected_cube(source: str) -> Query:
    """``ScoreCube`` as the sums of ``source`` (a table or a subquery shaped like
    ``ScoreDay``) over each unit's subtree."""
    parts = []
    for grain, column in ((Grain.DAY, "day"), (Grain.MONTH, "month")):
        for dim in Dimension.values:
            # A unit's own days by dimension live in ScoreDay only (see ScoreCube).
            strict = " AND links.strict = 1" if grain == Grain.DAY and dim else ""
            leaf = (
                f"SELECT {q(column)} AS start, {q('question_id')}, {q('unit_id')}, "
                f"{_dimension_value(dim)} AS value, {q('option')}, {_sums()} "
                f"FROM {q(source) if source.isidentifier() else source} fine "
                "GROUP BY 1, 2, 3, 4, 5"
            )
            parts.append(
                f"SELECT CAST('{grain}' AS TEXT) AS grain, leaf.start, leaf.{q('question_id')}, "
                f"links.{q('ancestor_id')} AS {q('unit_id')}, CAST('{dim}' AS TEXT) AS dim, "
                f"leaf.value, leaf.{q('option')}, {_sums('leaf.')} "
                f"FROM ({leaf}) leaf JOIN links ON links.{q('unit_id')} = leaf.{q('unit_id')}"
                f"{strict} GROUP BY 1, 2, 3, 4, 5, 6, 7"
            )
    return f"WITH {_links()} ", " UNION ALL ".join(parts)


# -- comparing and replacing ---------------------------------------------------------------


def _materialize(name: str, query: Query) -> None:
    """The query's rows in a temporary table, computed once for every comparison."""
    head, body = query
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {q(name)}")
        cursor.execute(f"CREATE TEMPORARY TABLE {q(name)} AS {head}{body}")


def _drop(*names: str) -> None:
    with connection.cursor() as cursor:
        for name in names:
            cursor.execute(f"DROP TABLE IF EXISTS {q(name)}")


def _compare(model: Any, columns: tuple[str, ...], expected: str) -> TableCheck:
    """Row by row: the stored table against the temporary table ``expected``."""
    names = ", ".join(map(q, (*columns, *COUNTS)))
    stored, wanted = f"SELECT {names} FROM {table(model)}", f"SELECT {names} FROM {q(expected)}"
    check = TableCheck()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {q(expected)}")
        check.expected = cursor.fetchone()[0]
        cursor.execute(f"SELECT COUNT(*) FROM {table(model)}")
        check.stored = cursor.fetchone()[0]
        for attr, first, second in (("missing", wanted, stored), ("extra", stored, wanted)):
            differing = f"FROM ({first} EXCEPT {second}) d"
            cursor.execute(f"SELECT COUNT(*) {differing}")
            setattr(check, attr, cursor.fetchone()[0])
            if getattr(check, attr):
                cursor.execute(f"SELECT * {differing} LIMIT 3")
                check.examples += [f"{attr}: {row}" for row in cursor.fetchall()]
    return check


def _replace(model: Any, columns: tuple[str, ...], expected: str) -> None:
    names = ", ".join(map(q, (*columns, *COUNTS)))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table(model)}")
        cursor.execute(f"INSERT INTO {table(model)} ({names}) SELECT {names} FROM {q(expected)}")
