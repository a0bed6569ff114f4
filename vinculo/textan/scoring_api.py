"""File scoring over the API (/api/v1/texts/score): upload a CSV of texts, follow its job,
download the scored file. Scope ``texts.score``; a key or person sees only its own jobs.
Mounted under the text analytics router (``api.py``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import FileResponse, HttpRequest
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from ninja import File, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from vinculo.accounts.permissions import Perm
from vinculo.lib.apiedge import (
    ErrorOut,
    ValidationErrorOut,
    field_error,
    not_found,
    raise_if_any,
    require,
)
from vinculo.textan.choices import ScoringStatus
from vinculo.textan.models import ScoringJob
from vinculo.textan.scoring import download_name, job_of, jobs_of, start_scoring
from vinculo.textan.scoring_forms import ScoringForm

router = Router(tags=["text analytics"])

RECENT_JOBS = 50


class ClassScoreOut(Schema):
    label: str
    precision: float
    recall: float
    f1: float
    support: int


class SentimentTableOut(Schema):
    group: str
    n: int
    accuracy: float
    macro_f1: float
    labels: list[str]
    matrix: list[list[int]]
    classes: list[ClassScoreOut]


class EmotionTableOut(Schema):
    group: str
    n: int
    micro_precision: float
    micro_recall: float
    micro_f1: float
    labels: list[ClassScoreOut]


class ReportOut(Schema):
    sentiment_3: list[SentimentTableOut]
    sentiment_5: list[SentimentTableOut]
    emotions: list[EmotionTableOut]
    invalid: list[str]
    invalid_count: int


class ScoringJobOut(Schema):
    id: int
    file_name: str
    status: str
    expected_rows: int | None
    rows_done: int
    error: str
    report: ReportOut | None
    download_url: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


def _job_out(request: HttpRequest, job: ScoringJob) -> dict[str, Any]:
    done = job.status == ScoringStatus.DONE
    url = reverse("api:texts_score_download", args=[job.pk]) if done else None
    return {
        "id": job.pk,
        "file_name": job.original_name,
        "status": job.status,
        "expected_rows": job.expected_rows,
        "rows_done": job.rows_done,
        "error": job.error,
        "report": job.report,
        "download_url": request.build_absolute_uri(url) if url else None,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
    }


@router.post(
    "",
    response={202: ScoringJobOut, 403: ErrorOut, 422: ValidationErrorOut},
    url_name="texts_score_start",
)
def start(request: HttpRequest, file: File[UploadedFile]) -> Status[Any]:
    """Uploads a CSV with a ``text`` column (multipart, field ``file``); the worker scores
    it. Poll the job until ``status`` is ``done`` (then download it) or ``failed`` (then
    ``error`` says which row or column is wrong)."""
    actor = require(request, Perm.SCORE_TEXTS)
    form = ScoringForm({}, MultiValueDict({"file": [file]}))
    if not form.is_valid():
        raise_if_any(
            [
                field_error(("form", name), error.code or "invalid", " ".join(error.messages))
                for name, errors in form.errors.as_data().items()
                for error in errors
            ]
        )
    upload = form.cleaned_data["file"]
    job = start_scoring(actor=actor, upload=upload, language=get_language() or "es")
    job.refresh_from_db()
    return Status(202, _job_out(request, job))


@router.get("", response={200: list[ScoringJobOut], 403: ErrorOut}, url_name="texts_score_list")
def recent(request: HttpRequest) -> list[dict[str, Any]]:
    """Your 50 most recent scoring jobs, newest first."""
    actor = require(request, Perm.SCORE_TEXTS)
    return [_job_out(request, job) for job in jobs_of(actor)[:RECENT_JOBS]]


@router.get(
    "/{int:job_id}",
    response={200: ScoringJobOut, 403: ErrorOut, 404: ErrorOut},
    url_name="texts_score_detail",
)
def detail(request: HttpRequest, job_id: int) -> dict[str, Any]:
    """The job: its status, rows scored so far (of about ``expected_rows``), the error that
    stopped it, and the evaluation report when the file had gold labels."""
    job = job_of(require(request, Perm.SCORE_TEXTS), job_id)
    if job is None:
        raise not_found()
    return _job_out(request, job)


@router.get(
    "/{int:job_id}/download",
    response={403: ErrorOut, 404: ErrorOut},
    url_name="texts_score_download",
)
def download(request: HttpRequest, job_id: int) -> FileResponse:
    """The scored file (CSV, UTF-8 with BOM), streamed; 404 until the job is done."""
    job = job_of(require(request, Perm.SCORE_TEXTS), job_id)
    if job is None or job.status != ScoringStatus.DONE or not job.output:
        raise not_found()
    return FileResponse(
        job.output.open("rb"),
        as_attachment=True,
        filename=download_name(job),
        content_type="text/csv; charset=utf-8",
    )
