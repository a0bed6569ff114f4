"""Every page and every API operation, called by every person, checked against one table.

The table lists each endpoint with the permission it needs and how it relates to a
customer; its rows live in matrix_core.py (customers, interactions, imports, accounts),
matrix_survey_pages.py and matrix_survey_api.py (surveys), matrix_metrics.py (metrics),
matrix_feedback.py (feedback, texts), matrix_cases.py (cases) and matrix_rules.py (alert
rules).
Two customers anchor the scoping checks: Sofía, whose data lives in Sevilla (region Sur),
and Beatriz, whose data lives in Bilbao (region Norte). Carmen (manages Norte) and Diego
(manages Bilbao) must never see Sofía through any page or endpoint; Gabriel (manages Sur)
must.

``test_every_endpoint_is_in_the_matrix`` fails when a page or operation is added without
a row, so the matrix cannot silently fall behind the code.
"""

import io
import json
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.accounts.tests import (
    matrix_cases,
    matrix_core,
    matrix_feedback,
    matrix_insights,
    matrix_metrics,
    matrix_notifications,
    matrix_rules,
    matrix_signals,
    matrix_survey_api,
    matrix_survey_pages,
    matrix_webhooks,
)
from vinculo.accounts.tests.matrix import ANY_ROLE, PUBLIC, SIGNED_IN, A, Endpoint, World
from vinculo.accounts.tests.matrix_survey_world import SOFIA_ANSWER, build_survey_world
from vinculo.api import api
from vinculo.cases.testing import opened
from vinculo.customers.models import Identity
from vinculo.customers.services import create_customer
from vinculo.imports.models import ImportJob
from vinculo.journeys.models import Channel, Interaction
from vinculo.test import (
    add_interaction,
    build_org,
    build_people,
    client_for,
    reseed_catalogue,
)

SOFIA_MARKS = ("Sofía Sevilla", "655000111", "SOFIA-EV-1", SOFIA_ANSWER)
SEES_SOFIA = {"alicia", "bruno", "elena", "fernando", "gabriel"}
PEOPLE = ["alicia", "bruno", "carmen", "diego", "elena", "fernando", "gabriel", "nadie"]
# What a unit manager may do, in their units (Carmen, Diego and Gabriel).
MANAGER = {
    Perm.VIEW_CUSTOMERS,
    Perm.EDIT_CUSTOMERS,
    Perm.ADD_INTERACTIONS,
    Perm.VIEW_ORG,
    Perm.VIEW_RESPONSES,
    Perm.ENTER_RESPONSES,
    Perm.EXPORT_RESPONSES,
    Perm.VIEW_METRICS,
    Perm.VIEW_FEEDBACK,
    Perm.ADD_FEEDBACK,
    Perm.EXPORT_FEEDBACK,
    Perm.VIEW_CASES,
    Perm.WORK_CASES,
}
PERSON_PERMS = {
    "alicia": set(Perm),
    "bruno": {
        Perm.VIEW_CUSTOMERS,
        Perm.EDIT_CUSTOMERS,
        Perm.MERGE_CUSTOMERS,
        Perm.EXPORT_CUSTOMERS,
        Perm.ADD_INTERACTIONS,
        Perm.IMPORT_DATA,
        Perm.VIEW_ORG,
        Perm.MANAGE_SURVEYS,
        Perm.VIEW_RESPONSES,
        Perm.ENTER_RESPONSES,
        Perm.EXPORT_RESPONSES,
        Perm.MANAGE_RESPONSES,
        Perm.VIEW_METRICS,
        Perm.VIEW_FEEDBACK,
        Perm.ADD_FEEDBACK,
        Perm.EXPORT_FEEDBACK,
        Perm.MANAGE_TOPICS,
        Perm.SCORE_TEXTS,
        Perm.VIEW_CASES,
        Perm.WORK_CASES,
        Perm.MANAGE_CASES,
        Perm.MANAGE_WEBHOOKS,
    },
    "carmen": MANAGER,
    "diego": MANAGER,
    "gabriel": MANAGER,
    "elena": {
        Perm.VIEW_CUSTOMERS,
        Perm.EDIT_CUSTOMERS,
        Perm.ADD_INTERACTIONS,
        Perm.VIEW_RESPONSES,
        Perm.ENTER_RESPONSES,
        Perm.VIEW_METRICS,
        Perm.VIEW_FEEDBACK,
        Perm.ADD_FEEDBACK,
        Perm.VIEW_CASES,
        Perm.WORK_CASES,
    },
    "fernando": {
        Perm.VIEW_CUSTOMERS,
        Perm.VIEW_RESPONSES,
        Perm.VIEW_METRICS,
        Perm.VIEW_FEEDBACK,
        Perm.VIEW_CASES,
    },
    "nadie": set(),
}
# Imports re-point customers company-wide: they need a company-wide actor as well.
COMPANY_WIDE = {"alicia", "bruno", "elena", "fernando", "nadie"}

PAGES = (
    matrix_core.PAGES
    + matrix_survey_pages.PAGES
    + matrix_metrics.PAGES
    + matrix_feedback.PAGES
    + matrix_cases.PAGES
    + matrix_rules.PAGES
    + matrix_insights.PAGES
    + matrix_signals.PAGES
    + matrix_notifications.PAGES
    + matrix_webhooks.PAGES
)
API = (
    matrix_core.API
    + matrix_survey_api.API
    + matrix_metrics.API
    + matrix_feedback.API
    + matrix_feedback.TEXTS_API
    + matrix_cases.API
    + matrix_rules.API
    + matrix_insights.API
    + matrix_signals.API
    + matrix_notifications.API
    + matrix_webhooks.API
)
ENDPOINTS = PAGES + API


def _build_world() -> World:
    org = build_org()
    people = build_people(org)
    sofia = create_customer(
        identities={"phone": "+34655000111"},
        name="Sofía Sevilla",
        source="test",
        consents={"sms": True},
        home_unit_id=org.sevilla.pk,
    )
    sofia_event = add_interaction(sofia, org.sevilla, external_id="SOFIA-EV-1")
    bea = create_customer(
        identities={"phone": "+34655000222"},
        name="Beatriz Bilbao",
        source="test",
        consents={"sms": True},
        home_unit_id=org.bilbao.pk,
    )
    add_interaction(bea, org.bilbao, external_id="BEA-EV-1")
    job = ImportJob.objects.create(
        kind="interactions", original_name="x.csv", file="imports/x.csv", actor_label="bruno"
    )
    key, _token = create_api_key(name="crm", scopes=[Perm.VIEW_CUSTOMERS], created_by=people.alicia)
    surveys = build_survey_world(org, sofia, bea)
    feedback = matrix_feedback.sofias_review(org, sofia)
    case = opened(
        org.sevilla, customer=sofia, department="customer_service", title="Caso de Sofía Sevilla"
    )
    return World(
        org,
        people,
        sofia.pk,
        bea.pk,
        sofia_event.pk,
        job.pk,
        key.pk,
        surveys,
        feedback.pk,
        case.pk,
    )


@pytest.fixture(scope="module")
def _shared_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world is built once for the module, inside a transaction rolled back at its end.

    Each test runs in a savepoint inside that transaction (pytest-django's ``db``, as in
    Django's TestCase), so what one call writes is undone before the next; building the
    world per case cost most of the matrix's time.
    """
    with django_db_blocker.unblock(), override_settings(SMS_PROVIDER=""), transaction.atomic():
        if not Channel.objects.exists():
            reseed_catalogue()  # a transactional test before this module flushed them
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(_shared_world: World, db: None, settings: Any) -> World:
    settings.SMS_PROVIDER = ""  # SMS invitations wait in the queue: no provider is called
    return _shared_world


def _call(client: Client, endpoint: Endpoint, world: World) -> Any:
    url = endpoint.url(world)
    data = endpoint.data(world) if endpoint.data else {}
    call = getattr(client, endpoint.method)
    if endpoint.method in ("get", "delete", "options"):
        return call(url)
    if endpoint.json and endpoint.name.split(" ")[0] in ("POST", "PATCH", "PUT"):
        return call(url, data, content_type="application/json")
    return call(url, data)


def _text_of(response: Any) -> str:
    """The body as text; a spreadsheet (XLSX export) is read through its zipped XML parts,
    JSON with its escapes undone (the API writes "Sof\\u00eda", which no mark matches)."""
    content: bytes = response.getvalue()
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            content = b"".join(book.read(name) for name in book.namelist())
    text = content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def _allowed(person: str, endpoint: Endpoint) -> bool:
    if endpoint.needs in (PUBLIC, SIGNED_IN):
        return True
    if endpoint.needs == ANY_ROLE:
        return bool(PERSON_PERMS[person])
    if endpoint.company_wide and person not in COMPANY_WIDE:
        return False
    return endpoint.needs in PERSON_PERMS[person]


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    "endpoint", ENDPOINTS, ids=[f"{e.method} {e.name} {i}" for i, e in enumerate(ENDPOINTS)]
)
def test_each_person_gets_exactly_what_their_role_and_units_allow(
    world: World, person: str, endpoint: Endpoint, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(world.people.by_name(person))

    with django_capture_on_commit_callbacks(execute=True):
        response = _call(client, endpoint, world)

    body = _text_of(response)
    if not _allowed(person, endpoint):
        assert response.status_code == 403, (response.status_code, body[:300])
        return
    # Some rows name a record of Sofía's that a person who sees her may still not see.
    outside = person not in SEES_SOFIA or person in endpoint.hidden_from
    if endpoint.about_sofia and outside:
        assert response.status_code in endpoint.outsider, (response.status_code, body[:300])
    else:
        assert response.status_code in (*endpoint.ok, *endpoint.extra_ok), (
            response.status_code,
            body[:300],
        )
    if outside and (endpoint.lists or endpoint.about_sofia):
        for mark in SOFIA_MARKS:
            assert mark not in body, f"{person} saw {mark!r} through {endpoint.name}"


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if e.needs != PUBLIC],
    ids=[f"{e.method} {e.name}" for e in ENDPOINTS if e.needs != PUBLIC],
)
def test_anonymous_callers_are_sent_to_sign_in_or_refused(world: World, endpoint: Endpoint) -> None:
    response = _call(Client(), endpoint, world)

    if endpoint.name.startswith(("GET ", "POST ", "PATCH ", "PUT ", "DELETE ")):
        assert response.status_code == 401
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_unit_managers_see_the_customers_of_their_own_units(world: World) -> None:
    gabriel = client_for(world.people.gabriel)
    diego = client_for(world.people.diego)

    assert gabriel.get(f"{A}/customers/{world.sofia_id}").status_code == 200
    assert diego.get(f"{A}/customers/{world.bea_id}").status_code == 200
    listed = diego.get(f"{A}/customers?limit=500").json()
    assert [c["name"] for c in listed["items"]] == ["Beatriz Bilbao"]


@pytest.mark.parametrize("person", ["carmen", "diego"])
def test_recording_an_event_by_identity_does_not_reach_a_customer_elsewhere(
    world: World, person: str
) -> None:
    client = client_for(world.people.by_name(person))
    body = {
        "identities": [
            {"kind": "phone", "value": "655 000 111"},
            {"kind": "email", "value": "x@y.es"},
        ],
        "channel": "store",
        "type": "sale",
        "unit": "bilbao-centro",
        "occurred_at": "2026-03-02T10:00:00+01:00",
        "external_id": "probe-1",
        "source": "pos",
    }

    response = client.post(f"{A}/interactions", body, content_type="application/json")

    assert response.status_code == 409
    assert str(world.sofia_id) not in response.content.decode()
    assert not Interaction.objects.filter(external_id="probe-1").exists()
    assert client.get(f"{A}/customers/{world.sofia_id}/timeline").status_code == 404
    assert not Identity.objects.filter(kind="email", value="x@y.es").exists()


@pytest.mark.parametrize(
    "endpoint",
    [e for e in API if e.about_sofia or e.lists],
    ids=[f"{e.method} {e.name}" for e in API if e.about_sofia or e.lists],
)
def test_a_key_limited_to_bilbao_never_reaches_sofia(world: World, endpoint: Endpoint) -> None:
    _key, token = create_api_key(
        name="bilbao-pos",
        scopes=[p.value for p in Perm if p is not Perm.MANAGE_API_KEYS],
        created_by=world.people.alicia,
        unit=world.org.bilbao,
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")

    response = _call(client, endpoint, world)

    body = _text_of(response)
    if endpoint.about_sofia:
        assert response.status_code in (*endpoint.outsider, 403), (response.status_code, body[:300])
    for mark in SOFIA_MARKS:
        assert mark not in body, f"the Bilbao key saw {mark!r} through {endpoint.name}"


def _page_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace in ("admin", "api"):
                    continue
                inner = pattern.namespace or namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_endpoint_is_in_the_matrix() -> None:
    operations = {
        f"{method.upper()} {path}"
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method in methods
    }
    in_matrix = {e.name for e in ENDPOINTS}

    assert operations - in_matrix == set(), "API operations missing from the matrix"
    assert _page_names() - in_matrix == set(), "pages missing from the matrix"
