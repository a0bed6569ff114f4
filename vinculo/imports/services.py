"""Starting imports: store the upload, record the job, hand it to the worker."""

from pathlib import Path

from django.core.files import File
from django.db import transaction

from vinculo.accounts.actors import Actor
from vinculo.imports.models import ImportJob


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
