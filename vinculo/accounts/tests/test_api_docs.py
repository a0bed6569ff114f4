"""GET /api/v1/openapi.json and /api/v1/docs: the API describes itself, with no internet."""

from django.test import Client

EXPECTED_PATHS = {
    "/api/v1/me",
    "/api/v1/units",
    "/api/v1/departments",
    "/api/v1/api-keys",
    "/api/v1/api-keys/{key_id}/revoke",
    "/api/v1/customers",
    "/api/v1/customers/{customer_id}",
    "/api/v1/customers/{customer_id}/merge",
    "/api/v1/customers/{customer_id}/merges",
    "/api/v1/customers/{customer_id}/timeline",
    "/api/v1/interactions",
    "/api/v1/interactions/{interaction_id}",
    "/api/v1/interactions/channels",
    "/api/v1/interactions/types",
    "/api/v1/interactions/stages",
    "/api/v1/interactions/touchpoints",
}


def test_openapi_lists_every_path(db: None) -> None:
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    assert set(response.json()["paths"]) >= EXPECTED_PATHS


def test_openapi_documents_the_redirect_of_a_merged_customer(db: None) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]

    moved = paths["/api/v1/customers/{customer_id}"]["get"]["responses"]["308"]
    assert "Location" in moved["headers"]
    assert moved["content"]["application/json"]["schema"]["$ref"].endswith("/MergedOut")


def test_docs_page_loads_swagger_from_our_own_static_files(db: None) -> None:
    response = Client().get("/api/v1/docs")

    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert '"validatorUrl": null' in html


def test_the_swagger_assets_are_served(db: None) -> None:
    response = Client().get("/static/ninja/swagger-ui-bundle.js")

    assert response.status_code == 200
