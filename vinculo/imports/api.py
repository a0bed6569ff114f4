"""Imports over the API: file uploads run by the worker, JSON batches run at once.

Feedback files come in through the same upload (kind ``feedback``); feedback in JSON has
its own batch endpoint in the feedback API.

Batches (``POST /customers/batch``, ``POST /interactions/batch``) go through the same
engine as files, so the columns, rules, modes and error codes are the same.
"""

from typing import Any

from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language, gettext
from ninja import File, Form, Router, Status
from ninja.errors import HttpError
from ninja.files import UploadedFile

from vinculo.accounts.permissions import Perm
from vinculo.imports.choices import ImportKind, ImportMode
from vinculo.imports.engine import ImportResult, import_rows
from vinculo.imports.errors import RowError, describe
from vinculo.imports.forms import ImportForm
from vinculo.imports.models import ImportJob
from vinculo.imports.queries import job_progress
from vinculo.imports.schemas import BatchIn, BatchOut, ImportJobOut
from vinculo.imports.services import retry_import, start_import

router = Router(tags=["imports"])
batch_router = Router(tags=["imports"])


def _authorise(request: HttpRequest) -> None:
    actor = request.actor  # type: ignore[attr-defined]
    if not actor.can(Perm.IMPORT_DATA):
        raise HttpError(403, gettext("Imports and batches need the permission to run imports."))
    if not actor.is_company_wide:
        # Imports create and re-point customers across the company: unit-limited keys
        # and people cannot run them.
        raise HttpError(403, gettext("Imports need a role or key for the whole company."))


def _error_out(error: RowError) -> dict[str, Any]:
    return {**error.as_dict(), "message": describe(error)}


def _job_out(request: HttpRequest, job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "kind": job.kind,
        "mode": job.mode,
        "source": job.source,
        "file_name": job.original_name,
        "status": job.status,
        "expected_rows": job.expected_rows,
        "rows_done": job_progress(job).done,
        "total_rows": job.total_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "rows_with_errors": job.error_count,
        "errors": [_error_out(RowError.from_dict(item)) for item in job.errors],
        "rejected_rows_url": (
            request.build_absolute_uri(reverse("api:import_rejected", args=[job.pk]))
            if job.rejected_file
            else None
        ),
        "failure": job.failure,
        "created_at": job.created_at,
        "finished_at": job.finished_at,
    }


@router.post("", response={202: ImportJobOut}, url_name="import_start")
def start(
    request: HttpRequest,
    kind: Form[ImportKind],
    file: File[UploadedFile],
    source: Form[str],
    mode: Form[ImportMode] = ImportMode.ALL_OR_NOTHING,
) -> Status[dict[str, Any]]:
    """Uploads a CSV/XLSX file; the worker imports it. Poll the job for progress.

    Feedback files also need the permission to file feedback."""
    _authorise(request)
    if kind == ImportKind.FEEDBACK and not request.actor.can(Perm.ADD_FEEDBACK):  # type: ignore[attr-defined]
        raise HttpError(403, gettext("Importing feedback needs the permission to file it."))
    form = ImportForm(
        {"kind": kind, "mode": mode, "source": source}, MultiValueDict({"file": [file]})
    )
    if not form.is_valid():
        problems = (f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items())
        raise HttpError(422, "; ".join(problems))
    job = start_import(
        actor=request.actor,  # type: ignore[attr-defined]
        kind=form.cleaned_data["kind"],
        mode=form.cleaned_data["mode"],
        source=form.cleaned_data["source"],
        upload=form.cleaned_data["file"],
        language=get_language() or "es",
    )
    job.refresh_from_db()
    return Status(202, _job_out(request, job))


@router.get("/{job_id}", response=ImportJobOut, url_name="import_detail")
def detail(request: HttpRequest, job_id: int) -> dict[str, Any]:
    _authorise(request)
    return _job_out(request, get_object_or_404(ImportJob, pk=job_id))


@router.get("/{job_id}/rejected", url_name="import_rejected")
def rejected(request: HttpRequest, job_id: int) -> FileResponse:
    """The rejected rows as CSV, with their row numbers and errors, ready to fix."""
    _authorise(request)
    job = get_object_or_404(ImportJob, pk=job_id)
    if not job.rejected_file:
        raise Http404
    return FileResponse(job.rejected_file.open("rb"), as_attachment=True, content_type="text/csv")


@router.post("/{job_id}/retry", response={202: ImportJobOut}, url_name="import_retry")
def retry(request: HttpRequest, job_id: int) -> Status[dict[str, Any]]:
    """Queues a failed or abandoned (running for over an hour) import again; 409 otherwise."""
    _authorise(request)
    job = get_object_or_404(ImportJob, pk=job_id)
    if not retry_import(job_id=job.pk):
        raise HttpError(409, gettext("This import cannot be run again: it is not failed or stuck."))
    job.refresh_from_db()
    return Status(202, _job_out(request, job))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)


def _table(items: list[dict[str, Any]]) -> tuple[list[str], list[list[str]]]:
    """JSON items as a header and rows; a nested ``attributes`` object becomes attr_ columns."""
    flat: list[dict[str, Any]] = []
    for item in items:
        row = {k: v for k, v in item.items() if k != "attributes"}
        attributes = item.get("attributes")
        if isinstance(attributes, dict):
            row.update({f"attr_{k}": v for k, v in attributes.items()})
        flat.append(row)
    header = list(dict.fromkeys(key for row in flat for key in row))
    return header, [[_cell(row.get(key)) for key in header] for row in flat]


def _batch(request: HttpRequest, kind: str, payload: BatchIn) -> Status[dict[str, Any]]:
    _authorise(request)
    header, rows = _table(payload.rows)
    result: ImportResult = import_rows(
        kind=kind, header=header, rows=rows, mode=payload.mode, source=payload.source
    )
    body = {
        "rejected": result.rejected,
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
        "rows_with_errors": result.rows_with_errors,
        "errors": [{**_error_out(e), "index": max(e.row - 2, 0)} for e in result.errors],
    }
    return Status(422 if result.rejected else 200, body)


@batch_router.post("/customers/batch", response={200: BatchOut, 422: BatchOut})
def customers_batch(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    """Creates or updates up to 10,000 customers, resolving them by their identities."""
    return _batch(request, ImportKind.CUSTOMERS, payload)


@batch_router.post("/interactions/batch", response={200: BatchOut, 422: BatchOut})
def interactions_batch(request: HttpRequest, payload: BatchIn) -> Status[dict[str, Any]]:
    """Stores up to 10,000 interactions; retries add nothing (source + external_id)."""
    return _batch(request, ImportKind.INTERACTIONS, payload)
