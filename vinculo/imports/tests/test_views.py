"""The imports pages: upload, progress/outcome, rejected rows, samples."""

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from vinculo.imports.models import ImportJob
from vinculo.journeys.models import Interaction
from vinculo.test import People, client_for, make_customer

CSV = (
    "external_id,phone,occurred_at,channel,interaction_type,unit\n"
    "A,600112233,2026-03-01 10:00,store,sale,bilbao-centro\n"
    "B,600112233,2026-03-02 10:00,fax,sale,bilbao-centro\n"
)


def _upload(client: Any, mode: str, captured: Any) -> Any:
    upload = SimpleUploadedFile("calls.csv", CSV.encode(), content_type="text/csv")
    with captured(execute=True):
        return client.post(
            reverse("imports:list"),
            {"kind": "interactions", "mode": mode, "source": "crm", "file": upload},
        )


def test_an_analyst_uploads_a_file_and_sees_the_rejected_row_named(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    make_customer("Ana", phone="+34600112233")
    client = client_for(people.bruno)

    response = _upload(client, "all_or_nothing", django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:detail", args=[job.pk])
    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    job.refresh_from_db()
    assert job.status == "rejected"
    assert Interaction.objects.count() == 0
    assert "Row 3, column “channel”: “fax” does not exist" in page.content.decode()


def test_valid_rows_mode_offers_the_rejected_rows_for_download(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    make_customer("Ana", phone="+34600112233")
    client = client_for(people.alicia)

    _upload(client, "valid_rows", django_capture_on_commit_callbacks)

    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.error_count) == ("done", 1, 1)
    download = client.get(reverse("imports:rejected", args=[job.pk]))
    body = download.getvalue().decode("utf-8-sig")
    assert (
        body.splitlines()[0]
        == "row,external_id,phone,occurred_at,channel,interaction_type,unit,errors"
    )
    assert body.splitlines()[1].startswith("3,B,600112233")


def test_a_file_that_is_not_csv_or_xlsx_is_refused_at_upload(people: People) -> None:
    client = client_for(people.bruno)
    upload = SimpleUploadedFile("notes.pdf", b"%PDF", content_type="application/pdf")

    response = client.post(
        reverse("imports:list"),
        {"kind": "interactions", "mode": "all_or_nothing", "source": "crm", "file": upload},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_progress_partial_polls_while_the_job_waits(people: People) -> None:
    client = client_for(people.bruno)
    upload = SimpleUploadedFile("calls.csv", CSV.encode(), content_type="text/csv")
    client.post(
        reverse("imports:list"),
        {"kind": "interactions", "mode": "all_or_nothing", "source": "crm", "file": upload},
    )  # on_commit never runs here: the job stays pending
    job = ImportJob.objects.get()

    partial = client.get(reverse("imports:detail", args=[job.pk]), HTTP_HX_REQUEST="true")

    assert partial.status_code == 200
    assert 'hx-trigger="every 1s"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_the_sample_file_imports_without_errors(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(people.bruno)
    sample = client.get(reverse("imports:sample", args=["interactions"])).content
    upload = SimpleUploadedFile("sample.csv", sample, content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:list"),
            {"kind": "interactions", "mode": "all_or_nothing", "source": "crm", "file": upload},
        )

    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.errors) == ("done", 2, [])


def test_people_without_the_import_permission_are_refused(people: People) -> None:
    for person in (people.carmen, people.elena, people.fernando, people.nadie):
        assert client_for(person).get(reverse("imports:list")).status_code == 403


def test_the_rejected_rows_file_once_corrected_imports_as_it_is(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    make_customer("Ana", phone="+34600112233")
    client = client_for(people.alicia)
    _upload(client, "valid_rows", django_capture_on_commit_callbacks)
    first = ImportJob.objects.get()
    rejected = client.get(reverse("imports:rejected", args=[first.pk])).getvalue()
    corrected = rejected.decode("utf-8-sig").replace(",fax,", ",store,").encode()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:list"),
            {
                "kind": "interactions",
                "mode": "all_or_nothing",
                "source": "crm",
                "file": SimpleUploadedFile("corrected.csv", corrected),
            },
        )

    second = ImportJob.objects.exclude(pk=first.pk).get()
    assert (second.status, second.created_count, second.errors) == ("done", 1, [])
    assert Interaction.objects.count() == 2


def test_a_failed_or_abandoned_import_can_be_run_again(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    make_customer("Ana", phone="+34600112233")
    client = client_for(people.bruno)
    upload = SimpleUploadedFile("calls.csv", CSV.replace(",fax,", ",web,").encode())
    client.post(
        reverse("imports:list"),
        {"kind": "interactions", "mode": "all_or_nothing", "source": "crm", "file": upload},
    )  # on_commit never runs here: the job waits as if no worker had taken it
    job = ImportJob.objects.get()
    long_ago = timezone.now() - timedelta(hours=2)
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("imports:retry", args=[job.pk]))

    job.refresh_from_db()
    assert retried.status_code == 302
    assert (job.status, job.created_count) == ("done", 2)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:retry", args=[job.pk]))  # a finished job stays as it is
    assert Interaction.objects.count() == 2


def test_a_job_running_now_is_not_run_twice(people: People) -> None:
    client = client_for(people.bruno)
    upload = SimpleUploadedFile("calls.csv", CSV.encode())
    client.post(
        reverse("imports:list"),
        {"kind": "interactions", "mode": "all_or_nothing", "source": "crm", "file": upload},
    )
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())

    client.post(reverse("imports:retry", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == "running"
