"""GET /s/w/<slug>.js: the widget's script, the same for every survey, cached and cheap."""

import json
import re
from typing import Any

from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from vinculo.surveys.testing import published_survey
from vinculo.test import Org


def test_the_script_is_javascript_any_site_may_load_and_browsers_keep_for_a_day(
    org: Org, django_assert_num_queries: Any
) -> None:
    published_survey(unit=org.bilbao)

    with django_assert_num_queries(0):  # no database: the script reads its slug itself
        script = Client().get("/s/w/tu-visita.js")

    assert script.status_code == 200
    assert script["Content-Type"] == "text/javascript; charset=utf-8"
    assert script["Cache-Control"] == "public, max-age=86400"
    assert script["Access-Control-Allow-Origin"] == "*"
    assert script["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert script["X-Content-Type-Options"] == "nosniff"
    assert re.fullmatch(r'"[0-9a-f]{32}"', script["ETag"])
    assert not script.cookies


def test_the_script_carries_its_styles_and_the_api_paths(org: Org) -> None:
    body = Client().get("/s/w/tu-visita.js").content.decode()

    assert "__VINCULO_" not in body
    assert json.dumps("/api/v1/public/surveys/__slug__") in body
    assert json.dumps("/api/v1/public/surveys/__slug__/responses") in body
    css = re.search(r"var CSS = (\".*?\");\n", body)
    assert css is not None
    assert ":host { all: initial; }" in json.loads(css.group(1))


def test_a_browser_holding_the_script_gets_a_304(org: Org) -> None:
    client = Client()
    first = client.get("/s/w/tu-visita.js")

    again = client.get("/s/w/tu-visita.js", HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_every_survey_gets_the_same_script_and_only_reads_go_through(org: Org) -> None:
    client = Client()

    one, other = client.get("/s/w/tu-visita.js"), client.get("/s/w/otra.js")

    assert one.content == other.content
    assert client.post("/s/w/tu-visita.js").status_code == 405
    assert client.head("/s/w/tu-visita.js").status_code == 200


def test_the_staff_snippet_points_at_the_script(org: Org, rf: Any, settings: Any) -> None:
    settings.ALLOWED_HOSTS = ["vinculo.example"]
    survey = published_survey(unit=org.bilbao)
    request = rf.get("/surveys/", HTTP_HOST="vinculo.example")

    with translation.override("en"):
        snippet = render_to_string(
            "surveys/widget/_snippet.html", {"survey": survey, "request": request}
        )

    assert (
        '&lt;script src="http://vinculo.example/s/w/tu-visita.js" async data-lang="es" '
        'data-trigger="load"&gt;&lt;/script&gt;'
    ) in snippet
