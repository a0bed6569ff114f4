"""Starting imports: store the upload, record the job, hand it to the worker."""

from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.imports.choices import ImportStatus
from vinculo.imports.models import ImportJob

# A job still "running" after this long lost its worker (a crash or a restart): its
# transaction was rolled back with it, so running it again is safe.
STALE_AFTER = timedelta(hours=1)


def retryable() -> Q:
    stale = timezone.now() - STALE_AFTER
    return Q(status=ImportStatus.FAILED) | Q(status=ImportStatus.RUNNING, started_at__lt=stale)


@transaction.atomic
def retry_import(*, job_id: int) -> bool:
    """Queues a failed or abandoned job again; False if it is not in such a state."""
    from vinculo.imports.tasks import run_import_job

    reset = ImportJob.objects.filter(retryable(), pk=job_id).update(
        status=ImportStatus.PENDING, failure="", started_at=None, finished_at=None
    )
    if reset:
        transaction.on_commit(lambda: run_import_job.enqueue(job_id))
    return bool(reset)


@transaction.atomic
def start_import(
    *,
    actor: Actor,
    kind: str,
    mode: str,
    source: str,
    upload: File,
    language: str,
    run_in_background: bool = True,
) -> ImportJob:
    """Saves the file and queues the job; the worker imports it after this commits."""
    from vinculo.imports.tasks import run_import_job

    job = ImportJob.objects.create(
        kind=kind,
        mode=mode,
        source=source,
        original_name=Path(upload.name or "import.csv").name[:255],
        language=language,
        created_by_id=actor.user_id,
        actor_label=actor.label,
        file=upload,
    )
    if run_in_background:
        transaction.on_commit(lambda: run_import_job.enqueue(job.pk))
    return job
