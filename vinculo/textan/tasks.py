"""Background work of the text analytics: safe to run twice, at once, or after a crash
(work is claimed under ``AnalysisState``'s lock and each text's analysis is one row)."""

from __future__ import annotations

import time

from django.db import transaction
from django_tasks import task

from vinculo.textan.services import analyze_new, analyze_stale

# Like folding the roll-ups: a backlog is left to the next tick after this long.
BUDGET_SECONDS = 30.0


@task()
def analyze_texts_task() -> int:
    """Analyses new open answers, then re-analyses those made with older lexicons or topic
    rules; returns how many texts were (re)analysed."""
    started, done = time.monotonic(), 0
    for step in (analyze_new, analyze_stale):
        while written := step():
            done += written
            if time.monotonic() - started > BUDGET_SECONDS:
                return done
    return done


def analyse_soon() -> None:
    """Asks for an analysis run once the current transaction commits: texts just filed
    are read within a worker cycle rather than at the scheduler's next tick. Call once per
    request or file, not per text (each call is one task)."""
    transaction.on_commit(analyze_texts_task.enqueue)
