"""Read side of imports: recent jobs, progress and errors as the reader's sentences."""

from dataclasses import dataclass

from django.db.models import QuerySet

from vinculo.imports import progress
from vinculo.imports.choices import ImportStatus
from vinculo.imports.errors import RowError, describe
from vinculo.imports.models import ImportJob


def recent_jobs(limit: int = 50) -> QuerySet[ImportJob]:
    return ImportJob.objects.select_related("created_by").order_by("-created_at")[:limit]


@dataclass(frozen=True)
class Progress:
    done: int
    expected: int | None
    finished: bool

    @property
    def percent(self) -> int | None:
        if self.finished:
            return 100
        if not self.expected:
            return None
        return min(99, int(100 * self.done / self.expected))


def job_progress(job: ImportJob) -> Progress:
    finished = job.status not in (ImportStatus.PENDING, ImportStatus.RUNNING)
    done = job.total_rows if finished else progress.rows_done(job.pk)
    return Progress(done=done, expected=job.expected_rows, finished=finished)


def can_retry(job: ImportJob) -> bool:
    from vinculo.imports.services import retryable

    return ImportJob.objects.filter(retryable(), pk=job.pk).exists()


def described_errors(job: ImportJob) -> list[tuple[RowError, str]]:
    errors = [RowError.from_dict(item) for item in job.errors]
    return [(error, describe(error)) for error in errors]
