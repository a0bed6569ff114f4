"""Background work of the text analytics: safe to run twice, at once, or after a crash
(work is claimed under ``AnalysisState``'s lock and each text's analysis is one row)."""

from __future__ import annotations

import time
from functools import partial

from django.db import transaction
from django_tasks import task

from vinculo.textan.scoring import delete_expired, restart_stalled, run_job
from vinculo.textan.services import analyze_new, analyze_stale, discover_topics

# Like folding the roll-ups: a backlog is left to the next tick after this long.
BUDGET_SECONDS = 30.0


@task()
def analyze_texts_task(feedback_from: int = 0) -> int:
    """Analyses new open answers and feedback (from ``feedback_from`` on, when a long
    import asks), then re-analyses those made with older lexicons or topic rules; returns
    how many texts were (re)analysed."""
    started, done = time.monotonic(), 0
    steps = (partial(analyze_new, feedback_from=feedback_from), analyze_stale)
    for step in steps:
        while written := step():
            done += written
            if time.monotonic() - started > BUDGET_SECONDS:
                return done
    return done


def analyse_soon(*, feedback_from: int = 0) -> None:
    """Asks for an analysis run once the current transaction commits: texts just filed
    are read within a worker cycle rather than at the scheduler's next tick. Call once per
    request or file, not per text (each call is one task); a file or batch names its first
    item, which may lie below the usual window by the time it commits."""
    transaction.on_commit(lambda: analyze_texts_task.enqueue(feedback_from=feedback_from))


@task()
def discover_topics_task(limit: int = 5_000) -> int:
    """Replaces the pending topic suggestions with those the uncategorised texts hold now;
    returns how many. Safe to run twice: each run replaces the pending ones."""
    return len(discover_topics(limit=limit))


def discover_soon() -> None:
    """Asks for a discovery run once the current transaction commits."""
    transaction.on_commit(discover_topics_task.enqueue)


@task()
def score_file_task(job_id: int) -> None:
    """Scores an uploaded file (``scoring.run_job``). Safe to run twice: a job another run
    holds, or a finished one, is left as it is."""
    run_job(job_id)


@task()
def tidy_scoring_jobs_task() -> int:
    """Periodic: queues again the scoring jobs whose worker died, then deletes the jobs
    (and their files) past their retention; returns how many were deleted."""
    restart_stalled()
    return delete_expired()
