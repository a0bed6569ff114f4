"""Signing in: the form, and the limit on guessing passwords."""

from django.test import Client, override_settings
from django.urls import reverse

from vinculo.test import PASSWORD, People

URL = reverse("accounts:login")


def test_a_person_signs_in_with_their_password(people: People) -> None:
    response = Client().post(URL, {"username": "bruno", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


@override_settings(LOGIN_RATE_LIMIT=3)
def test_after_too_many_failures_from_one_address_even_the_right_password_waits(
    people: People,
) -> None:
    client = Client(REMOTE_ADDR="10.0.0.7")
    for attempt in range(3):
        assert client.post(URL, {"username": f"guess{attempt}", "password": "x"}).status_code == 200

    refused = client.post(URL, {"username": "bruno", "password": PASSWORD})

    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    other_address = Client(REMOTE_ADDR="10.0.0.8").post(
        URL, {"username": "bruno", "password": PASSWORD}
    )
    assert other_address.status_code == 302


@override_settings(LOGIN_RATE_LIMIT=3)
def test_one_account_attacked_from_many_addresses_is_protected_too(people: People) -> None:
    for attempt in range(3):
        Client(REMOTE_ADDR=f"10.0.1.{attempt}").post(URL, {"username": "Bruno", "password": "x"})

    refused = Client(REMOTE_ADDR="10.0.2.1").post(URL, {"username": "bruno", "password": PASSWORD})

    assert refused.status_code == 429
