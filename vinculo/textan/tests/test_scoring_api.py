"""/api/v1/texts/score: upload a CSV of texts, follow the job, download the scored file."""

import csv
import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.test import People, client_for
from vinculo.textan.models import ScoringJob

S = "/api/v1/texts/score"
LABELLED = 'text,label\n"Pésimo servicio, nunca más vuelvo",negative\nExcelente atención,positive\n'


def _key_client(people: People, *scopes: Perm) -> Client:
    _key, token = create_api_key(
        name="lab", scopes=[s.value for s in scopes], created_by=people.alicia
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


def _post(client: Client, body: str, captured: Any, name: str = "lab.csv") -> Any:
    with captured(execute=True):  # the worker runs once the upload commits
        return client.post(S, {"file": SimpleUploadedFile(name, body.encode())})


def test_a_key_uploads_follows_and_downloads_its_job(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = _key_client(people, Perm.SCORE_TEXTS)

    started = _post(client, LABELLED, django_capture_on_commit_callbacks)

    assert started.status_code == 202
    assert started.json()["status"] == "queued" and started.json()["download_url"] is None
    job = client.get(f"{S}/{started.json()['id']}").json()
    assert (job["status"], job["rows_done"], job["file_name"], job["error"]) == (
        "done",
        2,
        "lab.csv",
        "",
    )
    sentiment = job["report"]["sentiment_3"][0]
    assert (sentiment["n"], sentiment["accuracy"], sentiment["macro_f1"]) == (2, 1.0, 1.0)
    assert job["report"]["emotions"] == [] and job["report"]["invalid_count"] == 0
    assert job["download_url"] == f"http://testserver{S}/{job['id']}/download"
    download = client.get(job["download_url"])
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert rows[0][:3] == ["text", "label", "language"] and len(rows) == 3
    assert [j["id"] for j in client.get(S).json()] == [job["id"]]


def test_bad_input_is_a_failed_job_whose_error_names_the_column(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(people.bruno)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(
            S,
            {"file": SimpleUploadedFile("x.csv", b"comment\nhola\n")},
            HTTP_ACCEPT_LANGUAGE="en",
        )

    job = client.get(f"{S}/{started.json()['id']}").json()
    assert job["status"] == "failed" and job["download_url"] is None and job["report"] is None
    assert "“text” column" in job["error"]
    assert client.get(f"{S}/{job['id']}/download").status_code == 404


def test_a_file_that_is_not_csv_is_refused_naming_the_field(people: People) -> None:
    response = client_for(people.bruno).post(
        S, {"file": SimpleUploadedFile("notes.pdf", b"%PDF")}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert (error["field"], error["type"]) == ("file", "not_csv")
    assert not ScoringJob.objects.exists()


def test_jobs_are_seen_only_by_whoever_started_them(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    mine = _key_client(people, Perm.SCORE_TEXTS)
    job_id = _post(mine, LABELLED, django_capture_on_commit_callbacks).json()["id"]
    another_key = _key_client(people, Perm.SCORE_TEXTS)
    alicia = client_for(people.alicia)

    for stranger in (another_key, alicia):
        assert stranger.get(f"{S}/{job_id}").status_code == 404
        assert stranger.get(f"{S}/{job_id}/download").status_code == 404
        assert stranger.get(S).json() == []


def test_scoring_needs_its_permission(people: People) -> None:
    viewer = client_for(people.fernando)
    key = _key_client(people, Perm.VIEW_FEEDBACK)
    upload = SimpleUploadedFile("t.csv", b"text\nhola\n")

    assert viewer.post(S, {"file": upload}).status_code == 403
    assert key.get(S).status_code == 403
    assert Client().get(S).status_code == 401
    assert not ScoringJob.objects.exists()
