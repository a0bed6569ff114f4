"""How the API authenticates: API keys (hashed, revocable, scoped) and the session with CSRF."""

import hashlib

from django.test import Client

from vinculo.accounts.models import ApiKey
from vinculo.accounts.services import create_api_key, revoke_api_key
from vinculo.customers.models import Customer
from vinculo.test import PASSWORD, Org, People, add_interaction, make_customer


def bearer(token: str, *, enforce_csrf_checks: bool = False) -> Client:
    return Client(
        headers={"Authorization": f"Bearer {token}"}, enforce_csrf_checks=enforce_csrf_checks
    )


def test_a_revoked_key_gets_401_on_reads_and_writes(org: Org) -> None:
    key, token = create_api_key(name="old", scopes=["customers.edit"], created_by=None)
    revoke_api_key(key=key)
    client = bearer(token, enforce_csrf_checks=True)

    read = client.get("/api/v1/me")
    write = client.post(
        "/api/v1/customers", {"identities": {"email": "a@b.es"}}, content_type="application/json"
    )

    assert (read.status_code, write.status_code) == (401, 401)


def test_a_wrong_secret_with_a_valid_prefix_gets_401(org: Org) -> None:
    key, token = create_api_key(name="k", scopes=["customers.view"], created_by=None)
    forged = f"vk_{key.prefix}_{'A' * 43}"

    assert bearer(token).get("/api/v1/customers").status_code == 200
    assert bearer(forged).get("/api/v1/customers").status_code == 401


def test_a_key_without_the_scope_gets_403(org: Org) -> None:
    _key, token = create_api_key(name="k", scopes=["customers.view"], created_by=None)

    response = bearer(token).post(
        "/api/v1/customers", {"identities": {"email": "a@b.es"}}, content_type="application/json"
    )

    assert response.status_code == 403


def test_a_key_limited_to_a_unit_sees_only_that_subtree(org: Org) -> None:
    in_bilbao = make_customer("Bilbao", email="b@example.com")
    add_interaction(in_bilbao, org.bilbao)
    in_sevilla = make_customer("Sevilla", email="s@example.com")
    add_interaction(in_sevilla, org.sevilla)
    _key, token = create_api_key(
        name="norte", scopes=["customers.view"], created_by=None, unit=org.norte
    )
    client = bearer(token)

    listed = client.get("/api/v1/customers").json()
    interactions = client.get("/api/v1/interactions").json()

    assert [c["id"] for c in listed["items"]] == [in_bilbao.pk]
    assert [i["unit"] for i in interactions["items"]] == ["bilbao-centro"]
    assert client.get(f"/api/v1/customers/{in_sevilla.pk}").status_code == 404


def test_only_the_sha256_of_the_secret_is_stored(org: Org) -> None:
    key, token = create_api_key(name="k", scopes=["customers.view"], created_by=None)
    secret = token.split("_", 2)[2]

    row = ApiKey.objects.filter(pk=key.pk).values().get()

    assert row["hashed_secret"] == hashlib.sha256(secret.encode()).hexdigest()
    assert not any(secret in str(value) for value in row.values())


def test_a_session_post_without_the_csrf_token_is_refused(org: Org, people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="alicia", password=PASSWORD)

    response = client.post(
        "/api/v1/customers", {"identities": {"email": "a@b.es"}}, content_type="application/json"
    )

    assert response.status_code == 403
    assert not Customer.objects.exists()


def test_a_session_post_with_the_csrf_token_is_accepted(org: Org, people: People) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="alicia", password=PASSWORD)
    client.get("/api/v1/docs")  # sets the CSRF cookie, as any page of the app does
    token = client.cookies["csrftoken"].value

    response = client.post(
        "/api/v1/api-keys",
        {"name": "TPV", "scopes": ["interactions.add"]},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert response.status_code == 201


def test_no_credentials_get_401(org: Org) -> None:
    assert Client().get("/api/v1/customers").status_code == 401
