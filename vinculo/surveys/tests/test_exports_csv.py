"""CSV export of one survey's responses (surveys:export_csv), parsed back to check it."""

import csv
import io
from typing import Any

from django.urls import reverse
from django.utils import timezone

from vinculo.accounts.actors import SYSTEM
from vinculo.surveys.choices import Collector
from vinculo.surveys.definition import SurveyDefinition
from vinculo.surveys.models import Survey
from vinculo.surveys.services import create_survey, publish, save_draft
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered, english_client, streamed
from vinculo.test import Org, People, client_for, make_customer

URL = reverse("surveys:export_csv")
FIXED = [
    "response_id",
    "status",
    "started_at",
    "completed_at",
    "unit_code",
    "unit_name",
    "channel",
    "collector",
    "language",
    "version",
    "customer_id",
]
OPTIONS = [
    {"code": "precio", "label": {"es": "Precio", "en": "Price"}},
    {"code": "trato", "label": {"es": "Trato", "en": "Service"}},
    {"code": "colas", "label": {"es": "Colas", "en": "Queues"}},
]


def every_kind(org: Org) -> Survey:
    survey = create_survey(
        actor=SYSTEM, name="Tienda", slug="tienda", unit=org.company, languages=["es", "en"]
    )
    texts = {"es": "¿?", "en": "?"}
    questions: list[dict[str, Any]] = [
        {"key": "nps", "kind": "nps", "text": texts},
        {"key": "volveria", "kind": "yes_no", "text": texts},
        {"key": "tienda", "kind": "dropdown", "text": texts, "options": OPTIONS},
        {"key": "motivos", "kind": "multiple_choice", "text": texts, "options": OPTIONS},
        {"key": "orden", "kind": "ranking", "text": texts, "options": OPTIONS},
        {
            "key": "escala",
            "kind": "matrix",
            "text": texts,
            "options": OPTIONS[:2],
            "rows": [
                {"code": "limpieza", "label": {"es": "Limpieza", "en": "Cleanliness"}},
                {"code": "espera", "label": {"es": "Espera", "en": "Waiting"}},
            ],
        },
        {"key": "cuando", "kind": "date", "text": texts},
        {"key": "comentario", "kind": "long_text", "text": texts},
    ]
    definition = {"title": texts, "questions": questions}
    save_draft(survey=survey, definition=SurveyDefinition.model_validate(definition))
    publish(survey=survey)
    survey.refresh_from_db()
    return survey


def exported(client: Any, **params: Any) -> tuple[Any, list[list[str]]]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    body = streamed(response).decode("utf-8")
    separator = ";" if params.get("sep") == "semicolon" else ","
    return response, list(csv.reader(io.StringIO(body.removeprefix("\ufeff")), delimiter=separator))


def test_one_row_per_response_with_codes_and_labels_of_every_kind(org: Org, people: People) -> None:
    survey = every_kind(org)
    ana = make_customer("Ana", email="ana@example.com")
    response = answered(
        survey,
        org.bilbao,
        {
            "nps": 9,
            "volveria": "yes",
            "tienda": "trato",
            "motivos": ["colas", "precio"],
            "orden": ["trato", "colas", "precio"],
            "escala": {"limpieza": "trato"},
            "cuando": "2026-03-01",
            "comentario": "Muy bien, gracias",
        },
        customer=ana,
        collector=Collector.QR,
    )

    http, rows = exported(english_client(people.bruno), survey=survey.pk)

    header, row = rows
    assert header == [
        *FIXED,
        "nps",
        "volveria",
        "volveria_label",
        "tienda",
        "tienda_label",
        "motivos.precio",
        "motivos.trato",
        "motivos.colas",
        "motivos_label",
        "orden.precio",
        "orden.trato",
        "orden.colas",
        "orden_label",
        "escala.limpieza",
        "escala.limpieza_label",
        "escala.espera",
        "escala.espera_label",
        "cuando",
        "comentario",
    ]
    cells = dict(zip(header, row, strict=True))
    assert cells["response_id"] == str(response.pk)
    assert (cells["unit_code"], cells["unit_name"]) == ("bilbao-centro", "Bilbao Centro")
    assert (cells["channel"], cells["collector"], cells["language"]) == ("store", "qr", "es")
    assert (cells["version"], cells["customer_id"], cells["status"]) == (
        "1",
        str(ana.pk),
        "complete",
    )
    completed = timezone.localtime(response.completed_at).replace(microsecond=0)
    assert cells["completed_at"] == completed.isoformat()
    assert [cells[c] for c in ("nps", "volveria", "volveria_label", "tienda", "tienda_label")] == [
        "9",
        "1",
        "Yes",
        "trato",
        "Service",
    ]
    assert [cells[f"motivos.{c}"] for c in ("precio", "trato", "colas")] == ["1", "0", "1"]
    assert cells["motivos_label"] == "Queues; Price"
    assert [cells[f"orden.{c}"] for c in ("precio", "trato", "colas")] == ["3", "1", "2"]
    assert cells["orden_label"] == "Service > Queues > Price"
    assert (cells["escala.limpieza"], cells["escala.limpieza_label"]) == ("trato", "Service")
    assert (cells["escala.espera"], cells["escala.espera_label"]) == ("", "")
    assert (cells["cuando"], cells["comentario"]) == ("2026-03-01", "Muy bien, gracias")
    assert http["Content-Type"] == "text/csv; charset=utf-8"
    assert http["Content-Disposition"].startswith('attachment; filename="tienda-')


def test_the_file_starts_with_a_bom_and_labels_follow_the_page_language(
    org: Org, people: People
) -> None:
    survey = every_kind(org)
    answered(survey, org.bilbao, {"volveria": "no", "tienda": "colas"})

    response = client_for(people.bruno).get(URL, {"survey": survey.pk})
    body = streamed(response)

    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert (rows[0]["volveria_label"], rows[0]["tienda_label"]) == ("No", "Colas")


def test_semicolons_separate_columns_when_asked(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5, "gusto": "Rápido; y amable"})

    _http, rows = exported(client_for(people.bruno), survey=survey.pk, sep="semicolon")

    cells = dict(zip(rows[0], rows[1], strict=True))
    assert (cells["nps"], cells["gusto"]) == ("9", "Rápido; y amable")


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_kept_as_text(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5, "gusto": '=HYPERLINK("http://x")'})

    _http, rows = exported(client_for(people.bruno), survey=survey.pk)

    assert dict(zip(rows[0], rows[1], strict=True))["gusto"] == '\'=HYPERLINK("http://x")'


def test_filters_apply_and_a_unit_manager_exports_only_their_units(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    bilbao = answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    santander = answered(survey, org.santander, {"nps": 2, "csat": 1})
    answered(survey, org.sevilla, {"nps": 10, "csat": 5})

    _http, everything = exported(client_for(people.carmen), survey=survey.pk)
    _http, promoters = exported(client_for(people.carmen), survey=survey.pk, nps_group="promoter")

    assert sorted(int(row[0]) for row in everything[1:]) == [bilbao.pk, santander.pk]
    assert [int(row[0]) for row in promoters[1:]] == [bilbao.pk]


def test_the_export_streams_in_a_fixed_number_of_queries(
    org: Org, people: People, django_assert_max_num_queries: Any
) -> None:
    survey = published_survey(unit=org.company)
    for number in range(30):
        answered(survey, org.bilbao, {"nps": number % 11, "csat": 3, "mejora": "x"})
    client = client_for(people.bruno)

    with django_assert_max_num_queries(14):
        response = client.get(URL, {"survey": survey.pk})
        rows = streamed(response).decode("utf-8-sig").splitlines()

    assert len(rows) == 31


def test_the_export_needs_a_survey(org: Org, people: People) -> None:
    response = english_client(people.bruno).get(URL, follow=True)

    assert [str(m) for m in response.context["messages"]] == [
        "Choose a survey to export its responses."
    ]


def test_exporting_needs_the_permission_to_export_responses(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)

    assert client_for(people.elena).get(URL, {"survey": survey.pk}).status_code == 403
    assert client_for(people.fernando).get(URL, {"survey": survey.pk}).status_code == 403
    assert client_for(people.diego).get(URL, {"survey": survey.pk}).status_code == 200
