"""Folding the pending deltas into ``ScoreDay`` and ``ScoreCube``.

Runs under a lock on ``RollupState`` (a row lock on PostgreSQL; SQLite serialises writers),
so two workers never fold the same deltas; the deltas it reads are deleted in the same
transaction that adds them, so a crash folds nothing and a retry folds them once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from vinculo.accounts.models import Unit
from vinculo.metrics.choices import Dimension, Grain
from vinculo.metrics.models import (
    CUBE_KEY,
    FINE_KEY,
    PendingScore,
    RollupState,
    ScoreCube,
    ScoreDay,
)
from vinculo.metrics.rollups.sql import add_counts, drop_empty

FOLD_BATCH = 20_000  # pending rows folded per transaction

DIMENSIONS = (Dimension.TOUCHPOINT, Dimension.CHANNEL, Dimension.SEGMENT, Dimension.LIFECYCLE)
# The column order of the tuples folding works with: the unique keys' columns (any order
# names the same conflict target), day first in FINE_ROW.
FINE_ROW = (
    "day",
    "question_id",
    "unit_id",
    "touchpoint_id",
    "channel_id",
    "segment",
    "lifecycle",
    "option",
)
CUBE_ROW = ("question_id", "unit_id", "grain", "dim", "value", "option", "start")
assert set(FINE_ROW) == set(FINE_KEY) and set(CUBE_ROW) == set(CUBE_KEY)
Sums = list[int]  # n, total, total_sq, top, bottom


def lock_state() -> RollupState:
    """The roll-up state row, locked until the transaction ends (created on first use)."""
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


def unit_lines() -> dict[int, tuple[int, ...]]:
    """Each unit's ids from the root down to itself, from ``Unit.path``."""
    return {
        pk: tuple(int(part) for part in path.strip("/").split("/"))
        for pk, path in Unit.objects.values_list("pk", "path")
    }


@dataclass
class Folder:
    """Adds fine rows (``FINE_ROW`` order, then the five counts) into both roll-ups."""

    lines: dict[int, tuple[int, ...]]

    def __post_init__(self) -> None:
        self.fine: defaultdict[tuple[Any, ...], Sums] = defaultdict(lambda: [0, 0, 0, 0, 0])
        self.cube: defaultdict[tuple[Any, ...], Sums] = defaultdict(lambda: [0, 0, 0, 0, 0])

    def add(self, row: tuple[Any, ...]) -> None:
        day, question, unit, touchpoint, channel, segment, lifecycle, option = row[:8]
        counts = row[8:13]
        month: date = day.replace(day=1)
        _add(self.fine[row[:8]], counts)
        values = (str(touchpoint or ""), str(channel), segment, lifecycle)
        for ancestor in self.lines.get(unit, (unit,)):
            cells = [
                (question, ancestor, Grain.DAY, "", "", option, day),
                (question, ancestor, Grain.MONTH, "", "", option, month),
            ]
            for dim, value in zip(DIMENSIONS, values, strict=True):
                cells.append((question, ancestor, Grain.MONTH, dim, value, option, month))
                if ancestor != unit:  # a unit's own days by dimension are in ScoreDay
                    cells.append((question, ancestor, Grain.DAY, dim, value, option, day))
            for cell in cells:
                _add(self.cube[cell], counts)

    def write(self) -> None:
        _apply(ScoreDay, FINE_ROW, self.fine, month=True)
        _apply(ScoreCube, CUBE_ROW, self.cube)


def _add(into: Sums, counts: Iterable[int]) -> None:
    for i, value in enumerate(counts):
        into[i] += value


def _apply(
    model: Any, key: tuple[str, ...], cells: dict[tuple[Any, ...], Sums], month: bool = False
) -> None:
    changed = {k: v for k, v in cells.items() if any(v)}
    if not changed:
        return
    if month:  # ScoreDay also stores its day's month (key[0] is the day)
        rows = [(*k, k[0].replace(day=1), *v) for k, v in changed.items()]
        add_counts(model, key, rows, extra=("month",))
    else:
        add_counts(model, key, [(*k, *v) for k, v in changed.items()])
    shrunk = [k for k, v in changed.items() if v[0] < 0]
    if shrunk:
        drop_empty(model, key, shrunk)


PENDING_COLUMNS = (*FINE_ROW, "n", "total", "total_sq", "top", "bottom")


@transaction.atomic
def fold(limit: int = FOLD_BATCH) -> int:
    """Folds up to ``limit`` pending deltas, oldest first; returns how many."""
    state = lock_state()
    rows = list(PendingScore.objects.order_by("id").values_list("id", *PENDING_COLUMNS)[:limit])
    if not rows:
        return 0
    folder = Folder(unit_lines())
    for row in rows:
        folder.add(row[1:])
    folder.write()
    # Exactly the rows read: a delta of a transaction that commits meanwhile with a lower
    # id was not read, and must stay for the next fold.
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), 1000):
        PendingScore.objects.filter(id__in=ids[start : start + 1000]).delete()
    RollupState.objects.filter(pk=state.pk).update(folded_at=timezone.now())
    return len(rows)


def fold_all(limit: int = FOLD_BATCH) -> int:
    """Folds until nothing is pending; each batch in its own transaction."""
    total = 0
    while done := fold(limit):
        total += done
    return total
