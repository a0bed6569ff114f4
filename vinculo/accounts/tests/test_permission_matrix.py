"""Every page and every API operation, called by every person, checked against one table.

The table below lists each endpoint with the permission it needs and how it relates to a
customer. Two customers anchor the scoping checks: Sofía, whose only interaction is in
Sevilla (region Sur), and Beatriz, whose only interaction is in Bilbao (region Norte).
Carmen (manages Norte) and Diego (manages Bilbao) must never see Sofía through any page
or endpoint; Gabriel (manages Sur) must.

``test_every_endpoint_is_in_the_matrix`` fails when a page or operation is added without
a row here, so the matrix cannot silently fall behind the code.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import create_api_key
from vinculo.api import api
from vinculo.customers.models import Identity
from vinculo.imports.models import ImportJob
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, add_interaction, client_for, make_customer

PUBLIC = "public"  # no sign-in needed
SIGNED_IN = "signed_in"  # any signed-in person, even with no role
ANY_ROLE = "any_role"  # any person with a role

SOFIA_MARKS = ("Sofía Sevilla", "655000111", "SOFIA-EV-1")
SEES_SOFIA = {"alicia", "bruno", "elena", "fernando", "gabriel"}
PEOPLE = ["alicia", "bruno", "carmen", "diego", "elena", "fernando", "gabriel", "nadie"]
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
    },
    "carmen": {Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.ADD_INTERACTIONS, Perm.VIEW_ORG},
    "diego": {Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.ADD_INTERACTIONS, Perm.VIEW_ORG},
    "gabriel": {Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.ADD_INTERACTIONS, Perm.VIEW_ORG},
    "elena": {Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS, Perm.ADD_INTERACTIONS},
    "fernando": {Perm.VIEW_CUSTOMERS},
    "nadie": set(),
}
# Imports re-point customers company-wide: they need a company-wide actor as well.
COMPANY_WIDE = {"alicia", "bruno", "elena", "fernando", "nadie"}


@dataclass
class World:
    org: Org
    people: People
    sofia_id: int
    bea_id: int
    sofia_interaction_id: int
    job_id: int
    key_id: int


@dataclass(frozen=True)
class Endpoint:
    """One page or operation: how to call it, what it needs, how it relates to Sofía."""

    name: str  # URL name (pages) or "METHOD /api/v1/path" (API)
    method: str
    url: Callable[[World], str]
    needs: Perm | str
    about_sofia: bool = False  # the call names Sofía: outsiders must get 404 and no data
    lists: bool = False  # the answer is a list: outsiders must not find Sofía in it
    data: Callable[[World], dict[str, Any]] | None = None
    json: bool = True
    company_wide: bool = False
    ok: tuple[int, ...] = (200, 201, 202, 204, 302, 308)
    extra_ok: tuple[int, ...] = field(default=())
    # What people who may not see Sofía get: 404, or a 4xx that names no data of hers.
    outsider: tuple[int, ...] = (404,)


def _sofia(path: str) -> Callable[[World], str]:
    return lambda w: path.format(
        s=w.sofia_id, b=w.bea_id, i=w.sofia_interaction_id, j=w.job_id, k=w.key_id
    )


def _page(name: str, *args: str) -> Callable[[World], str]:
    def build(w: World) -> str:
        values = {"s": w.sofia_id, "j": w.job_id, "k": w.key_id}
        return reverse(name, args=[values.get(a, a) for a in args])

    return build


def _csv_upload(w: World) -> dict[str, Any]:
    body = b"external_id,phone,occurred_at,channel,interaction_type,unit\n"
    return {
        "kind": "interactions",
        "mode": "all_or_nothing",
        "source": "crm",
        "file": SimpleUploadedFile("m.csv", body),
    }


PAGES = [
    Endpoint("core:home", "get", _page("core:home"), SIGNED_IN),
    Endpoint("accounts:login", "get", _page("accounts:login"), PUBLIC),
    Endpoint("accounts:logout", "post", _page("accounts:logout"), PUBLIC),
    Endpoint(
        "set_language",
        "post",
        _page("set_language"),
        PUBLIC,
        json=False,
        data=lambda w: {"language": "en", "next": "/"},
    ),
    Endpoint(
        "customers:list",
        "get",
        lambda w: reverse("customers:list") + "?q=Sofía",
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        "customers:list",
        "get",
        lambda w: reverse("customers:list") + "?q=655 000 111",
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        "customers:detail",
        "get",
        _page("customers:detail", "s"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        "customers:merge",
        "get",
        _page("customers:merge", "s"),
        Perm.MERGE_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        "customers:merge",
        "post",
        _page("customers:merge", "s"),
        Perm.MERGE_CUSTOMERS,
        about_sofia=True,
        json=False,
        data=lambda w: {"merged_id": w.bea_id, "reason": "same person", "confirm": "1"},
    ),
    Endpoint(
        "customers:export",
        "get",
        _page("customers:export", "s"),
        Perm.EXPORT_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        "customers:erase",
        "post",
        _page("customers:erase", "s"),
        Perm.ERASE_CUSTOMERS,
        about_sofia=True,
        json=False,
        data=lambda w: {"reason": "RGPD-1", "confirm": "1"},
    ),
    Endpoint("imports:list", "get", _page("imports:list"), Perm.IMPORT_DATA),
    Endpoint(
        "imports:list",
        "post",
        _page("imports:list"),
        Perm.IMPORT_DATA,
        json=False,
        data=_csv_upload,
    ),
    Endpoint("imports:detail", "get", _page("imports:detail", "j"), Perm.IMPORT_DATA),
    Endpoint(
        "imports:rejected", "get", _page("imports:rejected", "j"), Perm.IMPORT_DATA, extra_ok=(404,)
    ),
    Endpoint(
        "imports:retry",
        "post",
        _page("imports:retry", "j"),
        Perm.IMPORT_DATA,
        json=False,
    ),
    Endpoint("imports:sample", "get", _page("imports:sample", "customers"), Perm.IMPORT_DATA),
    Endpoint("accounts:api_keys", "get", _page("accounts:api_keys"), Perm.MANAGE_API_KEYS),
    Endpoint(
        "accounts:api_keys",
        "post",
        _page("accounts:api_keys"),
        Perm.MANAGE_API_KEYS,
        json=False,
        data=lambda w: {"name": "bi", "scopes": [Perm.VIEW_CUSTOMERS.value]},
    ),
    Endpoint(
        "accounts:revoke_api_key",
        "post",
        _page("accounts:revoke_api_key", "k"),
        Perm.MANAGE_API_KEYS,
        json=False,
    ),
]

A = "/api/v1"
API = [
    Endpoint(f"GET {A}/health", "get", _sofia(f"{A}/health"), PUBLIC),
    Endpoint(f"GET {A}/openapi.json", "get", _sofia(f"{A}/openapi.json"), PUBLIC),
    Endpoint(f"GET {A}/docs", "get", _sofia(f"{A}/docs"), PUBLIC),
    Endpoint(f"GET {A}/me", "get", _sofia(f"{A}/me"), SIGNED_IN),
    Endpoint(f"GET {A}/units", "get", _sofia(f"{A}/units"), ANY_ROLE),
    Endpoint(f"GET {A}/departments", "get", _sofia(f"{A}/departments"), ANY_ROLE),
    Endpoint(f"GET {A}/api-keys", "get", _sofia(f"{A}/api-keys"), Perm.MANAGE_API_KEYS),
    Endpoint(
        f"POST {A}/api-keys",
        "post",
        _sofia(f"{A}/api-keys"),
        Perm.MANAGE_API_KEYS,
        data=lambda w: {"name": "bi", "scopes": [Perm.VIEW_CUSTOMERS.value]},
    ),
    Endpoint(
        f"POST {A}/api-keys/{{key_id}}/revoke",
        "post",
        _sofia(f"{A}/api-keys/{{k}}/revoke"),
        Perm.MANAGE_API_KEYS,
    ),
    Endpoint(
        f"GET {A}/customers",
        "get",
        _sofia(f"{A}/customers?q=Sofía"),
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        f"GET {A}/customers",
        "get",
        _sofia(f"{A}/customers?limit=500"),
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        f"POST {A}/customers",
        "post",
        _sofia(f"{A}/customers"),
        Perm.EDIT_CUSTOMERS,
        # Outsiders get 409 (identity owned elsewhere) or 422 (home unit not theirs).
        about_sofia=True,
        outsider=(409, 422),
        data=lambda w: {
            "identities": [{"kind": "phone", "value": "655000111"}],
            "plan": "Nuevo",
            "home_unit": "sevilla-nervion",
        },
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}",
        "get",
        _sofia(f"{A}/customers/{{s}}"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"PATCH {A}/customers/{{customer_id}}",
        "patch",
        _sofia(f"{A}/customers/{{s}}"),
        Perm.EDIT_CUSTOMERS,
        about_sofia=True,
        data=lambda w: {"plan": "Fibra"},
    ),
    Endpoint(
        f"POST {A}/customers/{{customer_id}}/merge",
        "post",
        _sofia(f"{A}/customers/{{s}}/merge"),
        Perm.MERGE_CUSTOMERS,
        about_sofia=True,
        data=lambda w: {"merged_id": w.bea_id, "reason": "same person"},
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}/merges",
        "get",
        _sofia(f"{A}/customers/{{s}}/merges"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}/timeline",
        "get",
        _sofia(f"{A}/customers/{{s}}/timeline"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"GET {A}/customers/{{customer_id}}/export",
        "get",
        _sofia(f"{A}/customers/{{s}}/export"),
        Perm.EXPORT_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"POST {A}/customers/{{customer_id}}/erase",
        "post",
        _sofia(f"{A}/customers/{{s}}/erase"),
        Perm.ERASE_CUSTOMERS,
        about_sofia=True,
        data=lambda w: {"reason": "RGPD-1"},
    ),
    Endpoint(
        f"GET {A}/interactions",
        "get",
        _sofia(f"{A}/interactions?limit=500"),
        Perm.VIEW_CUSTOMERS,
        lists=True,
    ),
    Endpoint(
        f"POST {A}/interactions",
        "post",
        _sofia(f"{A}/interactions"),
        Perm.ADD_INTERACTIONS,
        about_sofia=True,
        outsider=(422,),
        data=lambda w: {
            "customer_id": w.sofia_id,
            "channel": "web",
            "type": "use",
            "unit": "sevilla-nervion",
            "occurred_at": "2026-03-01T10:00:00+01:00",
            "external_id": "matrix-1",
            "source": "pos",
        },
    ),
    Endpoint(
        f"POST {A}/interactions",
        "post",
        _sofia(f"{A}/interactions"),
        Perm.ADD_INTERACTIONS,
        # By identity, in Bilbao: outsiders must not reach Sofía this way (409), and Gabriel,
        # who sees her, may not record events in Bilbao (422 naming the unit).
        about_sofia=True,
        outsider=(409, 422),
        extra_ok=(422,),
        data=lambda w: {
            "identities": [{"kind": "phone", "value": "655 000 111"}],
            "channel": "store",
            "type": "sale",
            "unit": "bilbao-centro",
            "occurred_at": "2026-03-02T10:00:00+01:00",
            "external_id": "matrix-2",
            "source": "pos",
        },
    ),
    Endpoint(
        f"GET {A}/interactions/{{interaction_id}}",
        "get",
        _sofia(f"{A}/interactions/{{i}}"),
        Perm.VIEW_CUSTOMERS,
        about_sofia=True,
    ),
    Endpoint(
        f"GET {A}/interactions/channels", "get", _sofia(f"{A}/interactions/channels"), ANY_ROLE
    ),
    Endpoint(f"GET {A}/interactions/types", "get", _sofia(f"{A}/interactions/types"), ANY_ROLE),
    Endpoint(f"GET {A}/interactions/stages", "get", _sofia(f"{A}/interactions/stages"), ANY_ROLE),
    Endpoint(
        f"GET {A}/interactions/touchpoints",
        "get",
        _sofia(f"{A}/interactions/touchpoints"),
        ANY_ROLE,
    ),
    Endpoint(
        f"POST {A}/customers/batch",
        "post",
        _sofia(f"{A}/customers/batch"),
        Perm.IMPORT_DATA,
        company_wide=True,
        data=lambda w: {"source": "crm", "rows": [{"customer_number": "M-1", "name": "Matriz"}]},
    ),
    Endpoint(
        f"POST {A}/interactions/batch",
        "post",
        _sofia(f"{A}/interactions/batch"),
        Perm.IMPORT_DATA,
        company_wide=True,
        data=lambda w: {
            "source": "pos",
            "rows": [
                {
                    "phone": "655000111",
                    "channel": "web",
                    "interaction_type": "use",
                    "unit": "sevilla-nervion",
                    "occurred_at": "2026-03-01 10:00",
                }
            ],
        },
    ),
    Endpoint(
        f"POST {A}/imports",
        "post",
        _sofia(f"{A}/imports"),
        Perm.IMPORT_DATA,
        company_wide=True,
        json=False,
        data=_csv_upload,
    ),
    Endpoint(
        f"GET {A}/imports/{{job_id}}",
        "get",
        _sofia(f"{A}/imports/{{j}}"),
        Perm.IMPORT_DATA,
        company_wide=True,
    ),
    Endpoint(
        f"POST {A}/imports/{{job_id}}/retry",
        "post",
        _sofia(f"{A}/imports/{{j}}/retry"),
        Perm.IMPORT_DATA,
        company_wide=True,
        extra_ok=(409,),  # the matrix's job is waiting, not failed: nothing to retry
    ),
    Endpoint(
        f"GET {A}/imports/{{job_id}}/rejected",
        "get",
        _sofia(f"{A}/imports/{{j}}/rejected"),
        Perm.IMPORT_DATA,
        company_wide=True,
        extra_ok=(404,),
    ),
]
ENDPOINTS = PAGES + API


@pytest.fixture
def world(org: Org, people: People) -> World:
    sofia = make_customer("Sofía Sevilla", phone="+34655000111")
    sofia_event = add_interaction(sofia, org.sevilla, external_id="SOFIA-EV-1")
    bea = make_customer("Beatriz Bilbao", phone="+34655000222")
    add_interaction(bea, org.bilbao, external_id="BEA-EV-1")
    job = ImportJob.objects.create(
        kind="interactions", original_name="x.csv", file="imports/x.csv", actor_label="bruno"
    )
    key, _token = create_api_key(name="crm", scopes=[Perm.VIEW_CUSTOMERS], created_by=people.alicia)
    return World(org, people, sofia.pk, bea.pk, sofia_event.pk, job.pk, key.pk)


def _call(client: Client, endpoint: Endpoint, world: World) -> Any:
    url = endpoint.url(world)
    data = endpoint.data(world) if endpoint.data else {}
    call = getattr(client, endpoint.method)
    if endpoint.method == "get":
        return call(url)
    if endpoint.json and endpoint.name.split(" ")[0] in ("POST", "PATCH"):
        return call(url, data, content_type="application/json")
    return call(url, data)


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

    body = response.getvalue().decode("utf-8", "replace")
    if not _allowed(person, endpoint):
        assert response.status_code == 403, (response.status_code, body[:300])
        return
    if endpoint.about_sofia and person not in SEES_SOFIA:
        assert response.status_code in endpoint.outsider, (response.status_code, body[:300])
    else:
        assert response.status_code in (*endpoint.ok, *endpoint.extra_ok), (
            response.status_code,
            body[:300],
        )
    if person not in SEES_SOFIA and (endpoint.lists or endpoint.about_sofia):
        for mark in SOFIA_MARKS:
            assert mark not in body, f"{person} saw {mark!r} through {endpoint.name}"


@pytest.mark.parametrize(
    "endpoint",
    [e for e in ENDPOINTS if e.needs != PUBLIC],
    ids=[f"{e.method} {e.name}" for e in ENDPOINTS if e.needs != PUBLIC],
)
def test_anonymous_callers_are_sent_to_sign_in_or_refused(world: World, endpoint: Endpoint) -> None:
    response = _call(Client(), endpoint, world)

    if endpoint.name.startswith(("GET ", "POST ", "PATCH ")):
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

    body = response.getvalue().decode("utf-8", "replace")
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
