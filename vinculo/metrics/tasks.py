"""Background tasks of the metrics. They take no arguments or ids, and running one twice
does nothing twice: folding claims its deltas under a lock and deletes them as it applies
them; digests are claimed one by one before they are sent."""

from __future__ import annotations

import time

from django_tasks import task

from vinculo.metrics.digest import send_due_digests
from vinculo.metrics.rollups import fold
from vinculo.metrics.rollups.rebuild import refresh_cube

# A fold task hands the rest to the next tick after this long, so that a backlog (after
# a bulk correction, say) does not hold a worker while other tasks wait.
FOLD_BUDGET_SECONDS = 60.0


@task()
def fold_rollups_task() -> int:
    """Folds pending changes of answers into the roll-ups; returns how many."""
    started, folded = time.monotonic(), 0
    while done := fold():
        folded += done
        if time.monotonic() - started > FOLD_BUDGET_SECONDS:
            break
    return folded


@task()
def refresh_cube_task() -> int:
    """Recomputes the per-unit roll-up from the daily one after units moved in the tree;
    returns the rows that had to change."""
    check = refresh_cube()
    return check.missing + check.extra


@task()
def send_digests_task() -> int:
    """Sends the weekly digests once their time has come; returns how many went out."""
    return send_due_digests()
