"""Running an ImportJob: read its file, import, record the outcome on the job."""

import logging
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone, translation

from vinculo.imports import progress
from vinculo.imports.choices import ImportMode, ImportStatus
from vinculo.imports.engine import ImportResult, import_rows
from vinculo.imports.errors import RowError
from vinculo.imports.models import ImportJob
from vinculo.imports.readers import UnreadableFile, count_data_rows, detect_format, read_rows

logger = logging.getLogger(__name__)


def claim(job_id: int) -> bool:
    """Marks a waiting job as running; False if another worker already took it."""
    return bool(
        ImportJob.objects.filter(pk=job_id, status=ImportStatus.PENDING).update(
            status=ImportStatus.RUNNING, started_at=timezone.now()
        )
    )


def run_job(job: ImportJob) -> ImportJob:
    """Imports a claimed job's file. Any outcome, even a crash, is recorded on the job."""
    with translation.override(job.language):
        try:
            _run(job)
        except Exception as exc:
            logger.exception("Import %s failed", job.pk)
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, failure=str(exc)[:2000], finished_at=timezone.now()
            )
    job.refresh_from_db()
    return job


def _run(job: ImportJob) -> None:
    path = Path(job.file.path)
    fmt = detect_format(job.original_name)
    ImportJob.objects.filter(pk=job.pk).update(expected_rows=count_data_rows(path, fmt))
    try:
        header, rows = read_rows(path, fmt)
    except UnreadableFile as exc:
        _finish_rejected(job, [RowError(1, "", "unreadable_file", str(exc)[:200])], 1)
        return
    if not header:
        _finish_rejected(job, [RowError(1, "", "empty_file")], 1)
        return

    def record_success(result: ImportResult) -> None:
        ImportJob.objects.filter(pk=job.pk).update(**_outcome(result, ImportStatus.DONE))

    try:
        result = import_rows(
            kind=job.kind,
            header=header,
            rows=rows,
            mode=job.mode,
            source=job.source,
            keep_rejected=job.mode == ImportMode.VALID_ROWS,
            progress=lambda done: progress.report(job.pk, done),
            on_success=record_success,
        )
    except UnreadableFile as exc:
        _finish_rejected(job, [RowError(1, "", "unreadable_file", str(exc)[:200])], 1)
        return
    if result.rejected:
        ImportJob.objects.filter(pk=job.pk).update(**_outcome(result, ImportStatus.REJECTED))
    if result.rejected_rows_path is not None:
        _attach_rejected(job, result.rejected_rows_path)


def _outcome(result: ImportResult, status: str) -> dict[str, object]:
    return {
        "status": status,
        "total_rows": result.rows,
        "created_count": result.created,
        "updated_count": result.updated,
        "unchanged_count": result.unchanged,
        "error_count": result.rows_with_errors,
        "errors": [error.as_dict() for error in result.errors],
        "finished_at": timezone.now(),
    }


def _finish_rejected(job: ImportJob, errors: list[RowError], count: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.REJECTED,
        error_count=count,
        errors=[error.as_dict() for error in errors],
        finished_at=timezone.now(),
    )


@transaction.atomic
def _attach_rejected(job: ImportJob, path: Path) -> None:
    fresh = ImportJob.objects.select_for_update().get(pk=job.pk)
    with path.open("rb") as handle:
        stem = Path(job.original_name).stem
        fresh.rejected_file.save(f"{stem}-rejected.csv", File(handle), save=False)
    fresh.save(update_fields=["rejected_file", "updated_at"])
    path.unlink(missing_ok=True)
