import hashlib
import re

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from vinculo.accounts.models import ApiKey
from vinculo.accounts.permissions import Perm
from vinculo.accounts.services import authenticate_api_key, create_api_key, revoke_api_key
from vinculo.test import Org, People, client_for

URL = reverse("accounts:api_keys")
TOKEN = re.compile(r"vk_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def revoke_url(key: ApiKey) -> str:
    return reverse("accounts:revoke_api_key", args=[key.pk])


def test_a_new_key_shows_its_token_once_and_stores_only_its_hash(people: People) -> None:
    client = english(client_for(people.alicia))

    created = client.post(
        URL, {"name": "CRM nocturno", "scopes": [Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS]}
    )
    response = client.get(created["Location"])  # reloading this page creates nothing

    assert created.status_code == 302
    assert response.status_code == 200
    html = response.content.decode()
    token = TOKEN.search(html)
    assert token is not None
    assert "it is shown only this once" in html
    key = ApiKey.objects.get()
    secret = token.group().split("_", 2)[2]
    assert key.hashed_secret == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiKey.objects.values().get())
    assert authenticate_api_key(token.group()) == key
    assert sorted(key.scopes) == sorted([Perm.VIEW_CUSTOMERS, Perm.EDIT_CUSTOMERS])
    assert key.created_by_id == people.alicia.pk
    assert "no-store" in response["Cache-Control"]
    assert TOKEN.search(client.get(URL).content.decode()) is None


def test_a_key_can_be_limited_to_a_unit(org: Org, people: People) -> None:
    client_for(people.alicia).post(
        URL, {"name": "Tienda Bilbao", "scopes": [Perm.ADD_INTERACTIONS], "unit": org.bilbao.pk}
    )

    assert ApiKey.objects.get().unit == org.bilbao


def test_a_key_may_not_carry_the_power_to_manage_keys(people: People) -> None:
    response = english(client_for(people.alicia)).post(
        URL, {"name": "Peligrosa", "scopes": [Perm.MANAGE_API_KEYS]}
    )

    assert response.status_code == 200
    assert "What the key may do: Select a valid choice." in response.content.decode()
    assert not ApiKey.objects.exists()


def test_a_key_needs_a_name_and_a_scope(people: People) -> None:
    response = english(client_for(people.alicia)).post(URL, {"name": "", "scopes": []})

    html = response.content.decode()
    assert "Name: This field is required." in html
    assert "What the key may do: This field is required." in html
    assert not ApiKey.objects.exists()


def test_keys_are_listed_with_labels_unit_creator_and_status(org: Org, people: People) -> None:
    create_api_key(
        name="CRM nocturno", scopes=[Perm.VIEW_CUSTOMERS], created_by=people.alicia, unit=org.sur
    )

    html = english(client_for(people.alicia)).get(URL).content.decode()

    assert "CRM nocturno" in html
    assert "Read customers and their timelines" in html
    assert "Sur" in html
    assert "alicia" in html
    assert "Active" in html
    assert "never" in html


def test_revoking_a_key_lists_it_as_revoked_and_refuses_its_token(people: People) -> None:
    key, token = create_api_key(name="CRM", scopes=[Perm.VIEW_CUSTOMERS], created_by=people.alicia)
    client = english(client_for(people.alicia))

    response = client.post(revoke_url(key))

    assert response.status_code == 302
    assert response["Location"] == URL
    key.refresh_from_db()
    assert key.revoked_at is not None
    assert authenticate_api_key(token) is None
    listed = client.get(URL)
    assert "Revoked" in listed.content.decode()
    assert revoke_url(key) not in listed.content.decode()


def test_revoking_needs_a_post(people: People) -> None:
    key, _token = create_api_key(name="CRM", scopes=[Perm.VIEW_CUSTOMERS], created_by=None)

    assert client_for(people.alicia).get(revoke_url(key)).status_code == 405
    key.refresh_from_db()
    assert key.revoked_at is None


def _queries_to_list(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_keys(org: Org, people: People) -> None:
    def add_keys(start: int, count: int) -> None:
        for n in range(start, start + count):
            key, _token = create_api_key(
                name=f"Clave {n}",
                scopes=[Perm.VIEW_CUSTOMERS],
                created_by=people.alicia,
                unit=org.bilbao if n % 2 else None,
            )
            if n % 3 == 0:
                revoke_api_key(key=key)

    add_keys(0, 3)
    few = _queries_to_list(client_for(people.alicia))
    add_keys(3, 27)
    many = _queries_to_list(client_for(people.alicia))

    assert few == many


def test_people_who_may_not_manage_keys_are_forbidden(people: People) -> None:
    key, _token = create_api_key(name="CRM", scopes=[Perm.VIEW_CUSTOMERS], created_by=None)

    for person in (people.bruno, people.carmen, people.elena, people.fernando, people.nadie):
        client = client_for(person)
        assert client.get(URL).status_code == 403
        assert client.post(URL, {"name": "x", "scopes": [Perm.VIEW_CUSTOMERS]}).status_code == 403
        assert client.post(revoke_url(key)).status_code == 403
    assert ApiKey.objects.count() == 1
    key.refresh_from_db()
    assert key.revoked_at is None


def test_an_anonymous_visitor_is_sent_to_sign_in(db: None) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
