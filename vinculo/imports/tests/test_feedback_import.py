"""Importing feedback files (reviews, complaints...) through the imports engine."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.customers.models import Customer
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.services import FeedbackData, file_new
from vinculo.imports.errors import describe
from vinculo.imports.models import ImportJob
from vinculo.imports.tests.helpers import import_file, write_csv
from vinculo.journeys.models import Channel, Interaction
from vinculo.test import Org, People, client_for, make_customer

HEADER = ["external_id", "source", "site", "occurred_at", "unit", "rating", "text", "email"]
GOOD = [
    ["G-1", "review", "Google", "2026-03-01 10:30", "bilbao-centro", "5", "Muy amables", ""],
    ["G-2", "review", "Google", "2026-03-02 11:00", "bilbao-centro", "2", "Cola larga", ""],
    ["G-3", "review", "Google", "2026-03-03 12:00", "santander", "4", "Bien", ""],
]


def _reviews(tmp_path: Path, *rows: list[str]) -> Path:
    return write_csv(tmp_path / "reviews.csv", [HEADER, *rows])


def _feedback(path: Path, mode: str = "all_or_nothing") -> Any:
    return import_file(path, kind="feedback", mode=mode, source="google-export")


def test_one_malformed_row_stores_nothing_and_is_named_by_row_and_column(
    org: Org, tmp_path: Path
) -> None:
    bad = ["G-9", "review", "Google", "2026-03-04 09:00", "bilbao-centro", "7", "Fatal", ""]
    path = _reviews(tmp_path, GOOD[0], bad, GOOD[1])

    result = _feedback(path)

    assert result.rejected
    assert FeedbackItem.objects.count() == 0
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "rating", "rating_above_scale")
    ]
    with translation.override("en"):
        assert describe(result.errors[0]) == (
            "Row 3, column “rating”: “7” is above the top of the rating scale, 5; "
            "give the scale in the rating_max column (5 when empty)."
        )
    with translation.override("es"):
        assert describe(result.errors[0]).startswith("Fila 3, columna “rating”: ")


def test_valid_rows_mode_stores_the_good_rows_and_reports_the_bad_one(
    org: Org, tmp_path: Path
) -> None:
    bad = ["G-9", "review", "Google", "ayer", "bilbao-centro", "3", "Fatal", ""]
    path = _reviews(tmp_path, GOOD[0], bad, GOOD[1])

    result = _feedback(path, mode="valid_rows")

    assert (result.rejected, result.created, result.rows_with_errors) == (False, 2, 1)
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "occurred_at", "invalid_datetime")
    ]
    assert sorted(FeedbackItem.objects.values_list("external_id", flat=True)) == ["G-1", "G-2"]


def test_every_bad_row_is_named_with_its_column(org: Org, tmp_path: Path) -> None:
    header = [*HEADER, "channel", "rating_max"]
    rows = [
        ["B-2", "review", "", "2026-03-01 10:00", "bilbao-centro", "", "   ", "", "", ""],
        ["B-3", "review", "", "2026-03-01 10:00", "bilbao-centro", "", "a\x00b", "", "", ""],
        ["B-4", "review", "", "2026-03-01 10:00", "marte", "", "Texto", "", "", ""],
        ["B-5", "review", "", "2026-03-01 10:00", "norte", "", "Texto", "", "fax", ""],
        ["B-6", "review", "", "2026-03-01 10:00", "norte", "9", "Texto", "", "", "10"],
        ["B-6b", "review", "", "2026-03-01 10:00", "norte", "8", "Texto", "", "", "6"],
        ["B-7", "review", "", "31/02/2026", "norte", "", "Texto", "", "", ""],
        ["B-8", "encuesta", "", "2026-03-01 10:00", "norte", "", "Texto", "", "", ""],
        ["B-9", "queja", "", "2026-03-01 10:00", "norte", "", "Texto", "", "", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", [header, *rows])

    result = _feedback(path)

    assert result.rejected
    assert FeedbackItem.objects.count() == 0
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "text", "required"),
        (3, "text", "invalid_character"),
        (4, "unit", "unknown_code"),
        (5, "channel", "unknown_code"),
        (7, "rating", "rating_above_scale"),
        (8, "occurred_at", "invalid_datetime"),
        (9, "source", "invalid_choice"),
    ]
    with translation.override("en"):
        assert describe(result.errors[-1]) == (
            "Row 9, column “source”: “encuesta” is not one of the allowed values: "
            "review, social, complaint, chat, email, call_note, app_store, other."
        )


def test_importing_the_same_file_twice_stores_each_item_once(org: Org, tmp_path: Path) -> None:
    no_id = ["", "review", "Google", "2026-03-05 10:00", "norte", "", "Sin id", ""]
    path = _reviews(tmp_path, *GOOD, no_id)

    first = _feedback(path)
    again = _feedback(path)

    assert (first.created, first.unchanged) == (4, 0)
    assert (again.created, again.unchanged) == (1, 3)  # the row without id comes in again
    assert FeedbackItem.objects.filter(external_id="G-1").count() == 1
    assert FeedbackItem.objects.filter(external_id="").count() == 2
    item = FeedbackItem.objects.get(external_id="G-1")
    assert (item.source, item.site, item.channel.code) == ("review", "Google", "web")
    assert (item.rating, item.rating_max) == (5, 5)
    assert item.occurred_at.isoformat() == "2026-03-01T09:30:00+00:00"  # Madrid, CET


def test_the_same_item_twice_in_one_file_is_stored_once(org: Org, tmp_path: Path) -> None:
    path = _reviews(tmp_path, GOOD[0], GOOD[1], GOOD[0])

    result = _feedback(path)

    assert (result.created, result.unchanged) == (2, 1)
    assert FeedbackItem.objects.filter(external_id="G-1").count() == 1


def test_items_stored_meanwhile_by_another_import_come_back_as_stored(org: Org) -> None:
    """file_new's fallback: a concurrent import stored one of the items between this
    import's look-up and its insert, so the multi-row insert breaks the unique key."""
    web = Channel.objects.get(code="web")
    when = datetime(2026, 3, 1, 10, tzinfo=UTC)

    def review(external_id: str) -> FeedbackData:
        return FeedbackData(
            source="review",
            text="Bien",
            unit=org.bilbao,
            channel=web,
            occurred_at=when,
            site="Google",
            external_id=external_id,
        )

    ((first, _created),) = file_new([review("R-1")])

    filed = file_new([review("R-0"), review("R-1"), review("R-2")])

    assert [(item.external_id, created) for item, created in filed] == [
        ("R-0", True),
        ("R-1", False),
        ("R-2", True),
    ]
    assert filed[1][0].pk == first.pk
    assert FeedbackItem.objects.count() == 3


def test_an_xlsx_file_with_spanish_columns_and_source_names_imports(
    org: Org, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ID Externo", "Fuente", "Fecha", "Tienda", "Puntuación", "Texto", "Autor"])
    sheet.append(["R-1", "Reseña", datetime(2026, 3, 1, 10, 30), "bilbao-centro", 4, "Bien", "Ana"])
    sheet.append(["R-2", "Reclamación", "05/03/2026 18:02", "norte", None, "Mal", ""])
    path = tmp_path / "opiniones.xlsx"
    book.save(path)

    result = _feedback(path)

    assert (result.created, result.rows_with_errors) == (2, 0)
    review = FeedbackItem.objects.get(external_id="R-1")
    assert (review.source, review.rating, review.author) == ("review", 4, "Ana")
    assert review.site == "google-export"  # no site column: the import's source name
    complaint = FeedbackItem.objects.get(external_id="R-2")
    assert (complaint.source, complaint.channel.code, complaint.rating) == (
        "complaint",
        "web",
        None,
    )
    assert complaint.occurred_at.isoformat() == "2026-03-05T17:02:00+00:00"


def test_a_known_customers_email_puts_the_item_on_their_timeline(org: Org, tmp_path: Path) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    known = ["K-1", "complaint", "", "2026-03-01 10:30", "norte", "", "Me cobraron dos veces", ""]
    known[-1] = "ANA@example.com"
    stranger = ["K-2", "review", "", "2026-03-01 11:30", "norte", "", "Genial", "luis@example.com"]
    path = _reviews(tmp_path, known, stranger)

    result = _feedback(path)

    assert result.created == 2
    item = FeedbackItem.objects.get(external_id="K-1")
    assert item.customer_id == ana.pk
    event = Interaction.objects.get(customer=ana)
    assert (event.record_kind, event.record_id) == ("feedback_item", item.pk)
    assert event.touchpoint.interaction_type.code == "complaint"
    other = FeedbackItem.objects.get(external_id="K-2")
    assert other.customer_id is None
    assert other.contact == {"email": "luis@example.com"}  # kept to match them later
    assert Customer.objects.count() == 1  # feedback never creates customers
    _feedback(path)
    assert Interaction.objects.filter(customer=ana).count() == 1


def test_html_and_script_in_a_text_are_stored_as_written(org: Org, tmp_path: Path) -> None:
    text = '<script>alert("x")</script> <b>Muy</b> mal & caro '
    path = _reviews(tmp_path, ["H-1", "social", "X", "2026-03-01 10:00", "norte", "", text, ""])

    _feedback(path)

    item = FeedbackItem.objects.get()
    assert item.text == text
    assert item.channel.code == "social"


def test_extra_attr_columns_become_attributes(org: Org, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "f.csv",
        [["text", "unit", "attr_idioma", "atributo_campaña"], ["Hola", "norte", "es", ""]],
    )

    _feedback(path)

    assert FeedbackItem.objects.get().attributes == {"idioma": "es"}


def test_the_feedback_sample_imports_without_errors_through_the_page(
    people: People, django_capture_on_commit_callbacks: Any
) -> None:
    make_customer("Ana", email="ana.garcia@example.com")
    client = client_for(people.bruno)
    sample = client.get(reverse("imports:sample", args=["feedback"])).content
    upload = SimpleUploadedFile("opiniones.csv", sample, content_type="text/csv")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("imports:list"),
            {"kind": "feedback", "mode": "all_or_nothing", "source": "crm", "file": upload},
        )

    job = ImportJob.objects.get()
    assert (job.status, job.created_count, job.errors) == ("done", 2, [])
    assert Interaction.objects.filter(record_kind="feedback_item").count() == 1


def _upload_with_key(people: People, scopes: list[str]) -> Any:
    _key, token = create_api_key(name="crm", scopes=scopes, created_by=people.alicia, unit=None)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    upload = SimpleUploadedFile("f.csv", b"text,unit\nHola,norte\n", content_type="text/csv")
    return client.post("/api/v1/imports", {"kind": "feedback", "source": "crm", "file": upload})


def test_an_api_key_that_may_import_but_not_file_feedback_cannot_import_it(
    people: People,
) -> None:
    refused = _upload_with_key(people, [Perm.IMPORT_DATA])
    accepted = _upload_with_key(people, [Perm.IMPORT_DATA, Perm.ADD_FEEDBACK])

    assert refused.status_code == 403
    assert accepted.status_code == 202
    assert ImportJob.objects.get().kind == "feedback"
