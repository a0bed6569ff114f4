"""Pages of file scoring: upload a CSV of texts, follow its job, download the result."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from vinculo.accounts.decorators import require_perm
from vinculo.accounts.permissions import Perm
from vinculo.textan.choices import ScoringStatus
from vinculo.textan.models import ScoringJob
from vinculo.textan.scoring import download_name, job_of, job_progress, jobs_of, start_scoring
from vinculo.textan.scoring_forms import ScoringForm
from vinculo.textan.scoring_report import report_tables

RECENT_JOBS = 20


@require_http_methods(["GET", "POST"])
@require_perm(Perm.SCORE_TEXTS)
def scoring(request: HttpRequest) -> HttpResponse:
    """The upload form and the person's recent jobs."""
    actor = request.actor  # type: ignore[attr-defined]
    form = ScoringForm(request.POST, request.FILES) if request.method == "POST" else ScoringForm()
    if form.is_bound and form.is_valid():
        job = start_scoring(
            actor=actor, upload=form.cleaned_data["file"], language=get_language() or "es"
        )
        return redirect("textan:scoring_job", job_id=job.pk)
    context = {
        "form": form,
        "jobs": jobs_of(actor)[:RECENT_JOBS],
        "max_bytes": settings.TEXT_SCORING_MAX_BYTES,
        "retention_days": settings.TEXT_SCORING_RETENTION_DAYS,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "textan/scoring.html", context, status=status)


def _own_job(request: HttpRequest, job_id: int) -> ScoringJob:
    job = job_of(request.actor, job_id)  # type: ignore[attr-defined]
    if job is None:  # someone else's job and no job at all look the same
        raise Http404
    return job


@require_GET
@require_perm(Perm.SCORE_TEXTS)
def scoring_job(request: HttpRequest, job_id: int) -> HttpResponse:
    """Progress while it runs (the status part refreshes itself), then the outcome."""
    job = _own_job(request, job_id)
    context = {
        "job": job,
        "progress": job_progress(job),
        "report": report_tables(job.report),
    }
    partial = request.htmx  # type: ignore[attr-defined]
    template = "textan/_scoring_status.html" if partial else "textan/scoring_job.html"
    return render(request, template, context)


@require_GET
@require_perm(Perm.SCORE_TEXTS)
def scoring_download(request: HttpRequest, job_id: int) -> FileResponse:
    """The scored file, streamed from disk."""
    job = _own_job(request, job_id)
    if job.status != ScoringStatus.DONE or not job.output:
        raise Http404
    return FileResponse(
        job.output.open("rb"),
        as_attachment=True,
        filename=download_name(job),
        content_type="text/csv; charset=utf-8",
    )
