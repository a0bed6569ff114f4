"""Scoring uploaded CSV files of texts in the background, as ``manage.py score_texts`` does
on the command line: the page and the API store the upload and queue a ``ScoringJob``; the
worker streams it through ``batch.score_file`` into the output file; the scheduler starts
again the jobs whose worker died and deletes old jobs with their files.

A run claims the job with a conditional UPDATE that takes the next ``attempt``; every
later write of the run (progress, the outcome) is conditional on that attempt, so a run
that lost its claim stops at its next progress report and deletes what it wrote, and a
job done once is never scored again.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from vinculo.accounts.actors import Actor
from vinculo.imports.queries import Progress
from vinculo.imports.readers import count_data_rows
from vinculo.textan.batch import BatchError, score_file
from vinculo.textan.choices import ScoringStatus
from vinculo.textan.models import ScoringJob
from vinculo.textan.queries import topic_rules
from vinculo.textan.scoring_report import report_data

logger = logging.getLogger(__name__)

# Rows between two progress reports; each report also proves the run is alive.
PROGRESS_EVERY = 5_000
# A job waiting or running with no progress for this long lost its worker (a crash, a
# restart, a task never enqueued): the scheduler queues it again. Thousands of rows are
# scored every second, so a live run reports far more often.
STALE_AFTER = timedelta(minutes=15)
OUTPUT_FOLDER = "scoring/out"
ENDED = (ScoringStatus.DONE, ScoringStatus.FAILED)


class LostClaim(Exception):
    """The job was taken by another run (or deleted) while this one worked on it."""


# Read side: a person or an API key sees only the jobs it started.


def jobs_of(actor: Actor) -> QuerySet[ScoringJob]:
    if actor.user_id is not None:
        return ScoringJob.objects.filter(created_by_id=actor.user_id)
    if actor.api_key_id is not None:
        return ScoringJob.objects.filter(api_key_id=actor.api_key_id)
    return ScoringJob.objects.none()


def job_of(actor: Actor, job_id: int) -> ScoringJob | None:
    return jobs_of(actor).filter(pk=job_id).first()


def job_progress(job: ScoringJob) -> Progress:
    return Progress(done=job.rows_done, expected=job.expected_rows, finished=job.status in ENDED)


def download_name(job: ScoringJob) -> str:
    return f"{Path(job.original_name).stem}-scored.csv"


def output_name(job_id: int, attempt: int) -> str:
    return f"{OUTPUT_FOLDER}/{job_id}-{attempt}.csv"


# Write side.


@transaction.atomic
def start_scoring(*, actor: Actor, upload: File, language: str) -> ScoringJob:
    """Stores the upload (a large one is moved from its temporary file, never read into
    memory) and queues the job; the worker scores it once this commits."""
    from vinculo.textan.tasks import score_file_task

    job = ScoringJob.objects.create(
        file=upload,
        original_name=Path(upload.name or "texts.csv").name[:255],
        language=language,
        created_by_id=actor.user_id,
        api_key_id=actor.api_key_id,
        actor_label=actor.label[:150],
    )
    transaction.on_commit(lambda: score_file_task.enqueue(job.pk))
    return job


def claim(job_id: int) -> int | None:
    """Marks a waiting job as running and returns this run's attempt; None if the job is
    not waiting (another run has it, or it is finished)."""
    now = timezone.now()
    taken = ScoringJob.objects.filter(pk=job_id, status=ScoringStatus.QUEUED).update(
        status=ScoringStatus.RUNNING,
        attempt=F("attempt") + 1,
        rows_done=0,
        expected_rows=None,
        error="",
        started_at=now,
        finished_at=None,
        updated_at=now,
    )
    if not taken:
        return None
    attempt: int = ScoringJob.objects.values_list("attempt", flat=True).get(pk=job_id)
    return attempt


def run_job(job_id: int) -> ScoringJob | None:
    """Claims and scores a waiting job; whatever happens is recorded on the job, in the
    language of the person who uploaded it. None if there was nothing to claim."""
    attempt = claim(job_id)
    if attempt is None:
        return None
    job = ScoringJob.objects.get(pk=job_id)
    with translation.override(job.language):
        try:
            _score(job, attempt)
        except LostClaim:
            logger.warning("Scoring job %s: attempt %s lost its claim", job_id, attempt)
        except BatchError as error:
            _end(job, attempt, status=ScoringStatus.FAILED, error=str(error))
        except Exception as error:
            logger.exception("Scoring job %s failed", job_id)
            message = _(
                "The file could not be scored because of an unexpected error (%(error)s). "
                "Upload it again, and if it fails again give this detail to your "
                "administrator."
            ) % {"error": str(error)[:500]}
            _end(job, attempt, status=ScoringStatus.FAILED, error=message)
    job.refresh_from_db()
    return job


def _mine(job_id: int, attempt: int) -> QuerySet[ScoringJob]:
    return ScoringJob.objects.filter(pk=job_id, attempt=attempt, status=ScoringStatus.RUNNING)


def _report_progress(job_id: int, attempt: int, rows: int) -> None:
    if not _mine(job_id, attempt).update(rows_done=rows, updated_at=timezone.now()):
        raise LostClaim


def _score(job: ScoringJob, attempt: int) -> None:
    storage = job.file.storage
    for earlier in range(1, attempt):  # what runs that died half-way left behind
        storage.delete(output_name(job.pk, earlier))
    source = Path(job.file.path)
    expected = count_data_rows(source, "csv")
    _mine(job.pk, attempt).update(expected_rows=expected, updated_at=timezone.now())
    name = output_name(job.pk, attempt)
    target = Path(storage.path(name))
    target.parent.mkdir(parents=True, exist_ok=True)
    ended = False
    try:
        # UTF-8 with a BOM: Excel then reads the accents right, as in the survey exports.
        with target.open("w", encoding="utf-8-sig", newline="") as out:
            report = score_file(
                source,
                out,
                topics=topic_rules(),
                progress=partial(_report_progress, job.pk, attempt),
                progress_every=PROGRESS_EVERY,
            )
        ended = _end(
            job,
            attempt,
            status=ScoringStatus.DONE,
            output=name,
            rows_done=report.rows,
            report=report_data(report.evaluation),
        )
        if not ended:
            raise LostClaim
    finally:
        if not ended:
            target.unlink(missing_ok=True)


def _end(job: ScoringJob, attempt: int, **outcome: object) -> bool:
    """Records the outcome if this run still holds the job; the upload is then deleted
    (nothing reads it again)."""
    now = timezone.now()
    ended = _mine(job.pk, attempt).update(**outcome, file="", finished_at=now, updated_at=now)
    if ended:
        job.file.delete(save=False)
    return bool(ended)


def restart_stalled() -> list[int]:
    """Queues again the jobs with no progress for ``STALE_AFTER``: their run died (its
    output is discarded) or their task was never enqueued. Returns their ids."""
    from vinculo.textan.tasks import score_file_task

    now = timezone.now()
    stalled = Q(status__in=(ScoringStatus.QUEUED, ScoringStatus.RUNNING)) & Q(
        updated_at__lt=now - STALE_AFTER
    )
    restarted = []
    for job_id in ScoringJob.objects.filter(stalled).values_list("pk", flat=True)[:100]:
        if ScoringJob.objects.filter(stalled, pk=job_id).update(
            status=ScoringStatus.QUEUED, updated_at=now
        ):
            transaction.on_commit(partial(score_file_task.enqueue, job_id))
            restarted.append(job_id)
    return restarted


def delete_expired(limit: int = 200) -> int:
    """Deletes jobs uploaded more than ``TEXT_SCORING_RETENTION_DAYS`` ago with all their
    files (0 days keeps them); returns how many. Safe to run twice or at once: files are
    deleted before their row, and deleting a missing file does nothing."""
    days = settings.TEXT_SCORING_RETENTION_DAYS
    if days <= 0:
        return 0
    cutoff = timezone.now() - timedelta(days=days)
    expired = list(ScoringJob.objects.filter(created_at__lt=cutoff).order_by("pk")[:limit])
    for job in expired:
        storage = job.output.storage
        if job.file:
            job.file.delete(save=False)
        for attempt in range(1, job.attempt + 1):
            storage.delete(output_name(job.pk, attempt))
        ScoringJob.objects.filter(pk=job.pk).delete()
    return len(expired)
