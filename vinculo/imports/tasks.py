"""Background tasks of imports: they take ids and are safe to run twice."""

from django_tasks import task

from vinculo.imports.jobs import claim, run_job
from vinculo.imports.models import ImportJob


@task()
def run_import_job(job_id: int) -> None:
    if not claim(job_id):
        return  # already taken by another worker (or finished): running twice is a no-op
    run_job(ImportJob.objects.get(pk=job_id))
