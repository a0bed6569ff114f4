"""XLSX export (surveys:export_xlsx and the API's export), opened again with openpyxl."""

import datetime as dt
import io
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from vinculo.accounts.services import create_api_key
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.responses_helpers import answered, english_client, streamed
from vinculo.test import Org, People, client_for

URL = reverse("surveys:export_xlsx")
API = "/api/v1/surveys/responses/export"


def sheets(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's rows; the first sheet holds the responses."""
    book = load_workbook(io.BytesIO(content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def responses_sheet(content: bytes) -> list[tuple[Any, ...]]:
    return next(iter(sheets(content).values()))


def test_one_row_per_response_and_a_sheet_that_describes_each_column(
    org: Org, people: People
) -> None:
    survey = published_survey(unit=org.company)
    response = answered(survey, org.bilbao, {"nps": 4, "csat": 2, "mejora": "=1+1 más cajas"})

    http = english_client(people.bruno).get(URL, {"survey": survey.pk})

    assert http["Content-Type"].startswith("application/vnd.openxmlformats")
    found = sheets(http.content)
    header, row = found["Responses"]
    cells = dict(zip(header, row, strict=True))
    assert (cells["response_id"], cells["nps"], cells["csat"]) == (response.pk, 4, 2)
    assert cells["mejora"] == "=1+1 más cajas"  # written as text, never as a formula
    assert cells["gusto"] is None
    completed = timezone.localtime(response.completed_at).replace(microsecond=0, tzinfo=None)
    assert cells["completed_at"] == completed
    assert isinstance(cells["completed_at"], dt.datetime)
    described = dict(found["Columns"][1:])
    assert described["csat"] == "csat: How satisfied are you?"
    assert described["unit_name"] == "Unit"


def test_a_unit_manager_exports_only_their_units(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    bilbao = answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    answered(survey, org.sevilla, {"nps": 2, "csat": 1})

    rows = responses_sheet(client_for(people.carmen).get(URL, {"survey": survey.pk}).content)

    assert [row[0] for row in rows[1:]] == [bilbao.pk]


def test_the_api_exports_xlsx_and_csv_with_the_export_scope(org: Org, people: People) -> None:
    survey = published_survey(unit=org.company)
    answered(survey, org.bilbao, {"nps": 9, "csat": 5})
    answered(survey, org.sevilla, {"nps": 2, "csat": 1})
    _key, token = create_api_key(
        name="bi", scopes=["responses.export"], created_by=None, unit=org.norte
    )
    headers = {"Authorization": f"Bearer {token}"}

    xlsx = client_for(people.bruno).get(
        API, {"survey": str(survey.pk), "format": "xlsx"}, headers=headers
    )
    as_csv = client_for(people.bruno).get(
        API, {"survey": str(survey.pk), "sep": "semicolon"}, headers=headers
    )

    assert [row[4] for row in responses_sheet(xlsx.content)[1:]] == ["bilbao-centro"]
    lines = streamed(as_csv).decode("utf-8-sig").splitlines()
    assert lines[0].startswith("response_id;status;")
    assert len(lines) == 2


def test_the_api_export_needs_its_scope_and_a_known_survey(org: Org) -> None:
    survey = published_survey(unit=org.company)
    _key, reader = create_api_key(name="r", scopes=["responses.view"], created_by=None)
    _key, exporter = create_api_key(name="e", scopes=["responses.export"], created_by=None)

    refused = Client().get(
        API, {"survey": survey.pk}, headers={"Authorization": f"Bearer {reader}"}
    )
    unknown = Client().get(API, {"survey": 999}, headers={"Authorization": f"Bearer {exporter}"})
    missing = Client().get(API, headers={"Authorization": f"Bearer {exporter}"})

    assert refused.status_code == 403
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"] == "survey"
    assert missing.status_code == 422
