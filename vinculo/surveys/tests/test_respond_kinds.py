"""Every question kind renders as plain form controls and round-trips to Answer rows."""

import datetime as dt
from typing import Any

from django.test import Client

from vinculo.customers.identities import normalize_phone
from vinculo.surveys.choices import QuestionKind
from vinculo.surveys.models import Response
from vinculo.surveys.testing import published_survey
from vinculo.surveys.tests.respond_helpers import (
    answer,
    checked_values,
    control_names,
    selected_option,
    text_of,
)
from vinculo.test import Org


def _options(*codes: str) -> list[dict[str, Any]]:
    return [{"code": code, "label": {"es": code.capitalize()}} for code in codes]


def _q(key: str, kind: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "text": {"es": f"Pregunta {key}"}, **extra}


EVERY_KIND: dict[str, Any] = {
    "title": {"es": "Todas las preguntas"},
    "questions": [
        _q("nps", "nps", help_text={"es": "0 es nada, 10 es seguro"}),
        _q("csat", "csat"),
        _q("ces", "ces"),
        _q("enps", "enps"),
        _q("estrellas", "rating", settings={"min": 1, "max": 5, "style": "stars"}),
        _q("nota", "rating", settings={"min": 0, "max": 10, "style": "numbers"}),
        _q("tienda", "single_choice", options=_options("centro", "playa")),
        _q("canales", "multiple_choice", options=_options("web", "app", "tienda")),
        _q("provincia", "dropdown", options=_options("bizkaia", "cantabria")),
        _q("volveria", "yes_no"),
        _q("nombre", "short_text"),
        _q("comentario", "long_text"),
        _q(
            "aspectos",
            "matrix",
            options=_options("mal", "regular", "bien"),
            rows=_options("rapidez", "trato"),
        ),
        _q("prioridades", "ranking", options=_options("precio", "cobertura", "atencion")),
        _q("fecha", "date"),
        _q("acepto", "consent"),
        _q("correo", "email"),
        _q("movil", "phone"),
    ],
}

FORM = {
    "nps": "7",
    "csat": "4",
    "ces": "6",
    "enps": "9",
    "estrellas": "4",
    "nota": "8",
    "tienda": "playa",
    "canales": ["web", "app"],
    "provincia": "cantabria",
    "volveria": "0",
    "nombre": "Lucía",
    "comentario": "Muy bien,\ngracias",
    "aspectos.rapidez": "bien",
    "aspectos.trato": "regular",
    "prioridades.1": "cobertura",
    "prioridades.2": "precio",
    "prioridades.3": "atencion",
    "fecha": "2026-03-14",
    "acepto": "1",
    "correo": "Lucia@Example.com",
    "movil": "612 345 678",
}


def test_the_page_draws_a_control_for_every_kind_with_the_names_the_server_reads(
    org: Org,
) -> None:
    published_survey(unit=org.bilbao, definition=EVERY_KIND, languages=["es"])

    page = Client().get("/s/tu-visita/")

    assert page.status_code == 200
    drawn = {kind for kind in QuestionKind.values if f'data-kind="{kind}"' in text_of(page)}
    assert drawn == set(QuestionKind.values)
    assert control_names(page) == set(FORM)
    assert 'aria-describedby="q-nps-help"' in text_of(page)
    assert '<p class="help" id="q-nps-help">0 es nada, 10 es seguro</p>' in text_of(page)
    assert "Nada probable" in text_of(page) or "Not at all likely" in text_of(page)


def test_every_kind_round_trips_from_the_form_to_typed_answer_rows(org: Org) -> None:
    published_survey(unit=org.bilbao, definition=EVERY_KIND, languages=["es"])
    client = Client()

    done = answer(client, client.get("/s/tu-visita/"), FORM)

    assert done.status_code == 200, text_of(done)
    rows = {
        (a.question.key, a.row): (a.number, a.text, a.choices, a.date)
        for a in Response.objects.get().answers.all()
    }
    assert rows == {
        ("nps", ""): (7, "", None, None),
        ("csat", ""): (4, "", None, None),
        ("ces", ""): (6, "", None, None),
        ("enps", ""): (9, "", None, None),
        ("estrellas", ""): (4, "", None, None),
        ("nota", ""): (8, "", None, None),
        ("tienda", ""): (None, "", ["playa"], None),
        ("canales", ""): (None, "", ["web", "app"], None),
        ("provincia", ""): (None, "", ["cantabria"], None),
        ("volveria", ""): (0, "", None, None),
        ("nombre", ""): (None, "Lucía", None, None),
        ("comentario", ""): (None, "Muy bien,\ngracias", None, None),
        ("aspectos", "rapidez"): (3, "", ["bien"], None),
        ("aspectos", "trato"): (2, "", ["regular"], None),
        ("prioridades", ""): (None, "", ["cobertura", "precio", "atencion"], None),
        ("fecha", ""): (None, "", None, dt.date(2026, 3, 14)),
        ("acepto", ""): (1, "", None, None),
        ("correo", ""): (None, "lucia@example.com", None, None),
        ("movil", ""): (None, normalize_phone("612 345 678"), None, None),
    }


def test_a_page_refused_for_one_answer_shows_every_other_answer_again(org: Org) -> None:
    published_survey(unit=org.bilbao, definition=EVERY_KIND, languages=["es"])
    client = Client()

    refused = answer(client, client.get("/s/tu-visita/"), {**FORM, "correo": "no es correo"})

    assert refused.status_code == 422
    assert "Pregunta correo" in text_of(refused)
    for name in ("nps", "csat", "ces", "enps", "estrellas", "nota", "tienda", "volveria"):
        assert checked_values(refused, name) == [FORM[name]], name
    assert checked_values(refused, "canales") == ["web", "app"]
    assert checked_values(refused, "aspectos.rapidez") == ["bien"]
    assert checked_values(refused, "aspectos.trato") == ["regular"]
    assert checked_values(refused, "acepto") == ["1"]
    assert selected_option(refused, "provincia") == "cantabria"
    assert [selected_option(refused, f"prioridades.{n}") for n in (1, 2, 3)] == [
        "cobertura",
        "precio",
        "atencion",
    ]
    page = text_of(refused)
    assert 'value="Lucía"' in page and ">Muy bien,\ngracias</textarea>" in page
    assert 'value="2026-03-14"' in page and 'value="no es correo"' in page
    assert Response.objects.count() == 0


def test_an_incomplete_ranking_names_the_question(org: Org) -> None:
    published_survey(unit=org.bilbao, definition=EVERY_KIND, languages=["es"])
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    partial = {"prioridades.1": "precio", "prioridades.2": "precio"}

    refused = answer(client, client.get("/s/tu-visita/"), partial)

    assert refused.status_code == 422
    assert "“Pregunta prioridades”: ordena todas las opciones." in text_of(refused)


def test_unanswered_optional_questions_store_no_rows(org: Org) -> None:
    published_survey(unit=org.bilbao, definition=EVERY_KIND, languages=["es"])
    client = Client()

    done = answer(client, client.get("/s/tu-visita/"), {"nps": "10"})

    assert done.status_code == 200
    assert [a.question.key for a in Response.objects.get().answers.all()] == ["nps"]
