"""Scoring a file from the UI: /texts/score/, the worker's job, the download, the report."""

import csv
import io
import tracemalloc
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from vinculo.test import People, actor_of, client_for
from vinculo.textan.engine.pipeline import analyze
from vinculo.textan.models import ScoringJob
from vinculo.textan.scoring import claim, output_name, restart_stalled, start_scoring
from vinculo.textan.tasks import score_file_task, tidy_scoring_jobs_task

# Each text's analysis is known (see test_score_texts.py); the fourth row's label is wrong
# on purpose, and the sixth's is not a label at all.
LABELLED = [
    ["id", "text", "label", "emotion"],
    ["1", "Pésimo servicio, nunca más vuelvo 😡", "negative", "anger"],  # anger, disappointment
    ["2", "Excelente atención, muy contenta", "positive", "joy"],  # joy
    ["3", "The staff were lovely, thank you!", "positive", "gratitude;joy"],  # gratitude
    ["4", "Horrible, me cobraron dos veces y nadie responde", "neutral", "anger"],  # + frustration
    ["5", "¿A qué hora abren el sábado?", "neutral", ""],  # none
    ["6", "Todo correcto", "postive", ""],
]


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def _upload(client: Client, body: bytes, captured: Any, language: str = "es") -> Any:
    upload = SimpleUploadedFile("textos.csv", body)
    with captured(execute=True):  # the worker runs the job once the upload commits
        return client.post(
            reverse("textan:scoring"), {"file": upload}, HTTP_ACCEPT_LANGUAGE=language
        )


def _page(client: Client, job: ScoringJob) -> str:
    response = client.get(reverse("textan:scoring_job", args=[job.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def _download(client: Client, job: ScoringJob) -> Any:
    return client.get(reverse("textan:scoring_download", args=[job.pk]))


def _files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "scoring").rglob("*") if p.is_file())


def test_labelled_texts_come_back_scored_with_the_evaluation_report(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(people.bruno)

    response = _upload(client, _csv(LABELLED), django_capture_on_commit_callbacks)

    job = ScoringJob.objects.get()
    assert response["Location"] == reverse("textan:scoring_job", args=[job.pk])
    assert (job.status, job.rows_done, job.attempt, job.created_by) == ("done", 6, 1, people.bruno)
    download = _download(client, job)
    assert download["Content-Disposition"] == 'attachment; filename="textos-scored.csv"'
    rows = list(csv.reader(io.StringIO(download.getvalue().decode("utf-8-sig"))))
    assert rows[0] == [
        *LABELLED[0],
        *("language", "sentiment", "score", "emotions", "emotion_scores", "topics"),
    ]
    assert [row[:4] for row in rows[1:]] == LABELLED[1:]
    assert [row[4:6] for row in rows[1:3]] == [["es", "very_negative"], ["es", "very_positive"]]

    # Worked by hand. Sentiment, gold \ predicted: negative→negative, positive→positive (2),
    # neutral→negative, neutral→neutral. negative: P 1/2, R 1, F1 2/3; neutral: P 1, R 1/2,
    # F1 2/3; positive: F1 1. Macro-F1 (2/3 + 2/3 + 1) / 3 = 7/9, accuracy 4/5.
    report = job.report
    assert report is not None
    everyone = report["sentiment_3"][0]
    assert (everyone["group"], everyone["n"], everyone["accuracy"]) == ("all", 5, 0.8)
    assert everyone["macro_f1"] == pytest.approx(7 / 9, abs=1e-4)
    assert everyone["matrix"] == [[1, 0, 0], [1, 1, 0], [0, 0, 2]]
    negative = everyone["classes"][0]
    assert (negative["precision"], negative["recall"]) == (0.5, 1.0)
    # Emotions: true positives anger twice, joy, gratitude; false positives disappointment,
    # frustration; false negative joy (row 3). P 4/6, R 4/5, micro-F1 8/11.
    emotions = report["emotions"][0]
    assert (emotions["micro_precision"], emotions["micro_recall"]) == (0.6667, 0.8)
    assert emotions["micro_f1"] == pytest.approx(8 / 11, abs=1e-4)
    assert [g["group"] for g in report["sentiment_3"]] == ["all", "en", "es"]
    assert report["invalid"] == ["row 7: label 'postive'"]
    page = _page(client, job)
    assert "6 rows scored." in page and "Download the scored file" in page
    assert "Confusion matrix" in page and 'data-macro-f1="0.7778"' in page
    assert 'data-micro-f1="0.7273"' in page and "All languages" in page and "English" in page
    assert "postive" in page and "hx-get" not in page  # finished: the page stops polling


def test_a_file_without_gold_columns_has_no_report(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(people.bruno)

    _upload(client, _csv([["text"], ["Todo correcto"]]), django_capture_on_commit_callbacks)

    job = ScoringJob.objects.get()
    assert (job.status, job.report) == ("done", None)
    assert "there is no evaluation report" in _page(client, job)


def test_a_file_without_a_text_column_fails_naming_the_column(
    people: People, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    client = client_for(people.bruno)

    _upload(client, _csv([["comentario"], ["hola"]]), django_capture_on_commit_callbacks)

    job = ScoringJob.objects.get()
    assert job.status == "failed" and not job.output and job.report is None
    assert "«text»" in job.error  # in the uploader's language, Spanish here
    assert _download(client, job).status_code == 404
    assert _files(Path(settings.MEDIA_ROOT)) == []  # the upload is gone, nothing half-written


def test_binary_garbage_fails_cleanly(
    people: People, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    client = client_for(people.bruno)
    garbage = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 400

    _upload(client, garbage, django_capture_on_commit_callbacks, language="en")

    job = ScoringJob.objects.get()
    assert job.status == "failed"
    assert job.error.startswith("Row 1: the file is not CSV text")
    assert job.error in _page(client, job)
    assert _download(client, job).status_code == 404
    assert _files(Path(settings.MEDIA_ROOT)) == []


def test_text_in_the_wrong_encoding_fails_naming_its_line(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    # UTF-8 for more than the 64 KiB read to guess the encoding, then a Latin-1 "ñ".
    body = b"text\n" + b"Todo correcto, gracias por todo\n" * 3000 + b"Espa\xf1a\nBien\n"

    _upload(client_for(people.bruno), body, django_capture_on_commit_callbacks, language="en")

    job = ScoringJob.objects.get()
    assert job.status == "failed" and not job.output
    assert job.error.startswith("Line 3002: the text is neither UTF-8 nor Windows-1252.")


def test_running_the_task_again_redoes_nothing(
    people: People, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    _upload(client_for(people.bruno), _csv(LABELLED), django_capture_on_commit_callbacks)
    job = ScoringJob.objects.get()

    score_file_task.call(job.pk)

    again = ScoringJob.objects.get()
    assert (again.status, again.attempt, again.output.name) == ("done", 1, job.output.name)
    assert again.finished_at == job.finished_at
    assert _files(Path(settings.MEDIA_ROOT)) == [Path(again.output.path)]


def test_a_run_that_died_is_started_again_cleanly(
    people: People, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    with transaction.atomic():  # queued, as when the worker has not picked it up yet
        job = start_scoring(
            actor=actor_of(people.bruno),
            upload=SimpleUploadedFile("t.csv", _csv(LABELLED)),
            language="en",
        )
    first = claim(job.pk)
    half = Path(settings.MEDIA_ROOT) / output_name(job.pk, first or 0)
    half.parent.mkdir(parents=True)
    half.write_text("id,text\n1,Pésimo")  # what the worker wrote before it died
    ScoringJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        restarted = restart_stalled()

    job.refresh_from_db()
    assert restarted == [job.pk]
    assert (job.status, job.attempt, job.rows_done) == ("done", 2, 6)
    assert job.output.name == output_name(job.pk, 2)
    assert _files(Path(settings.MEDIA_ROOT)) == [Path(job.output.path)]


def test_a_job_cannot_be_marked_done_without_its_output(people: People) -> None:
    job = ScoringJob.objects.create(original_name="t.csv", actor_label="bruno")

    with pytest.raises(IntegrityError), transaction.atomic():
        ScoringJob.objects.filter(pk=job.pk).update(status="done")


def test_someone_elses_job_is_not_found(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    _upload(client_for(people.bruno), _csv(LABELLED), django_capture_on_commit_callbacks)
    job = ScoringJob.objects.get()
    alicia = client_for(people.alicia)  # an administrator: she may score, not read his files

    assert alicia.get(reverse("textan:scoring_job", args=[job.pk])).status_code == 404
    assert _download(alicia, job).status_code == 404
    assert "textos.csv" not in alicia.get(reverse("textan:scoring")).content.decode()
    assert "textos.csv" in client_for(people.bruno).get(reverse("textan:scoring")).content.decode()


def test_people_without_the_permission_are_refused(people: People) -> None:
    viewer = client_for(people.fernando)
    upload = SimpleUploadedFile("t.csv", b"text\nhola\n")

    assert viewer.get(reverse("textan:scoring")).status_code == 403
    assert viewer.post(reverse("textan:scoring"), {"file": upload}).status_code == 403
    assert not ScoringJob.objects.exists()


def test_a_file_over_the_limit_is_refused_saying_the_limit(people: People, settings: Any) -> None:
    settings.TEXT_SCORING_MAX_BYTES = 100
    upload = SimpleUploadedFile("t.csv", b"text\n" + b"Muy bien\n" * 20)

    response = client_for(people.bruno).post(
        reverse("textan:scoring"), {"file": upload}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert "the largest file accepted is 100\xa0bytes" in response.content.decode()
    assert not ScoringJob.objects.exists()


def test_the_list_of_files_costs_the_same_queries_however_long(people: People) -> None:
    client = client_for(people.bruno)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            for url in (reverse("textan:scoring"), "/api/v1/texts/score"):
                assert client.get(url).status_code == 200
        return len(captured)

    def add_job() -> None:
        ScoringJob.objects.create(original_name="t.csv", created_by=people.bruno, actor_label="b")

    add_job()
    one = queries()
    for _n in range(5):
        add_job()

    assert queries() == one


def test_a_waiting_job_page_polls_for_its_progress(people: People) -> None:
    client = client_for(people.bruno)
    client.post(reverse("textan:scoring"), {"file": SimpleUploadedFile("t.csv", b"text\nhola\n")})
    job = ScoringJob.objects.get()  # no worker ran: still waiting

    part = client.get(reverse("textan:scoring_job", args=[job.pk]), HTTP_HX_REQUEST="true")

    body = part.content.decode()
    assert body.lstrip().startswith('<section id="scoring-status"')
    assert 'hx-trigger="every 2s"' in body and 'data-status="queued"' in body


def test_old_jobs_are_deleted_with_their_files(
    people: People, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    _upload(client_for(people.bruno), _csv(LABELLED), django_capture_on_commit_callbacks)
    _upload(client_for(people.bruno), _csv(LABELLED), django_capture_on_commit_callbacks)
    old, recent = ScoringJob.objects.order_by("pk")
    ScoringJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))

    deleted = tidy_scoring_jobs_task.call()

    assert deleted == 1
    assert list(ScoringJob.objects.all()) == [recent]
    assert _files(Path(settings.MEDIA_ROOT)) == [Path(recent.output.path)]


ROWS = 20_000


def test_a_large_file_is_streamed_in_bounded_memory(
    people: People, tmp_path: Path, settings: Any
) -> None:
    source = tmp_path / "grande.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text", "label", "notes"])
        for i in range(ROWS):
            # The same few words over and over: the engine caches each word it meets (up to
            # 200,000), which is not what this measures. The notes make the file large.
            text = "Pésimo servicio, nunca más vuelvo" if i % 2 else "Excelente atención"
            writer.writerow([i, text, "negative" if i % 2 else "positive", "nota " * 100])
    size = source.stat().st_size
    # Larger than what Django keeps in memory: the page receives it into a temporary file.
    assert size > max(10_000_000, settings.FILE_UPLOAD_MAX_MEMORY_SIZE)
    with source.open("rb") as handle:
        client_for(people.bruno).post(reverse("textan:scoring"), {"file": handle})
    job = ScoringJob.objects.get()  # stored and waiting for the worker
    analyze("calentar")  # lexicons load once per process: not part of what is measured

    tracemalloc.start()
    try:
        score_file_task.call(job.pk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.expected_rows) == ("done", ROWS, ROWS)
    assert peak < size / 3, (size, peak)
    with job.output.open("rb") as scored:
        assert sum(1 for _line in scored) == ROWS + 1
    report = job.report
    assert report is not None
    assert report["sentiment_3"][0]["n"] == ROWS
