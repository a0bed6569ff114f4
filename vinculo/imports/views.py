from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.imports.forms import ImportForm
from vinculo.imports.models import ImportJob
from vinculo.imports.queries import can_retry, described_errors, job_progress, recent_jobs
from vinculo.imports.samples import SAMPLES, sample_csv
from vinculo.imports.services import retry_import, start_import


@require_perm(Perm.IMPORT_DATA)
def import_list(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import(
            actor=request.actor,  # type: ignore[attr-defined]
            kind=form.cleaned_data["kind"],
            mode=form.cleaned_data["mode"],
            source=form.cleaned_data["source"],
            upload=form.cleaned_data["file"],
            language=get_language() or "es",
        )
        return redirect("imports:detail", job_id=job.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "jobs": recent_jobs(), "samples": SAMPLES}
    return render(request, "imports/list.html", context, status=status)


@require_perm(Perm.IMPORT_DATA)
def import_detail(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=job_id)
    errors = described_errors(job)
    context = {
        "job": job,
        "progress": job_progress(job),
        "errors": errors,
        "header_problem": bool(errors) and all(error.row == 1 for error, _text in errors),
        "can_retry": can_retry(job),
    }
    template = "imports/_status.html" if request.htmx else "imports/detail.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_perm(Perm.IMPORT_DATA)
def rejected_rows(request: HttpRequest, job_id: int) -> FileResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    if not job.rejected_file:
        raise Http404
    return FileResponse(
        job.rejected_file.open("rb"),
        as_attachment=True,
        filename=job.rejected_file.name.rsplit("/", 1)[-1],
        content_type="text/csv",
    )


@require_perm(Perm.IMPORT_DATA)
def sample(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in SAMPLES:
        raise Http404
    response = HttpResponse(sample_csv(kind), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="vinculo-{kind}-sample.csv"'
    return response


@require_POST
@require_perm(Perm.IMPORT_DATA)
def retry(request: HttpRequest, job_id: int) -> HttpResponse:
    """Runs a failed or abandoned import again (its earlier attempt stored nothing)."""
    job = get_object_or_404(ImportJob, pk=job_id)
    if retry_import(job_id=job.pk):
        messages.success(request, _("The import is queued again."))
    else:
        messages.error(request, _("This import cannot be run again: it is not failed or stuck."))
    return redirect("imports:detail", job_id=job.pk)
