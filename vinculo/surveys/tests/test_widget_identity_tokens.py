"""widgetauth: the signed, short-lived identity tokens the widget carries."""

import time

import pytest
from django.core import signing

from vinculo.accounts.actors import SYSTEM
from vinculo.customers.services import merge_customers
from vinculo.surveys.widgetauth import (
    IdentityTokenInvalid,
    customer_from_identity_token,
    identity_token,
)
from vinculo.test import Org, make_customer


def signed(monkeypatch: pytest.MonkeyPatch, customer_id: int, ttl: int, minutes_ago: int) -> str:
    moment = time.time() - minutes_ago * 60
    with monkeypatch.context() as past:
        past.setattr("django.core.signing.time.time", lambda: moment)
        return identity_token(customer_id, ttl_minutes=ttl)


def test_a_token_names_its_customer_for_as_long_as_it_was_issued_for(
    org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = make_customer("Ana", email="ana@example.com")

    assert customer_from_identity_token(signed(monkeypatch, ana.pk, 30, 29)) == ana
    with pytest.raises(IdentityTokenInvalid) as old:
        customer_from_identity_token(signed(monkeypatch, ana.pk, 30, 31))
    assert old.value.code == "expired"
    assert customer_from_identity_token(signed(monkeypatch, ana.pk, 120, 90)) == ana


def test_a_changed_or_foreign_token_is_tampered(org: Org) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    token = identity_token(ana.pk)
    invitation_like = signing.Signer(salt="vinculo.surveys.invitation").sign("1")

    for bad in (token[:-1] + ("A" if token[-1] != "A" else "B"), invitation_like, "", "x.y.z"):
        with pytest.raises(IdentityTokenInvalid) as caught:
            customer_from_identity_token(bad)
        assert caught.value.code == "tampered"


def test_a_merged_customer_token_names_the_survivor_and_a_deleted_one_is_unknown(
    org: Org,
) -> None:
    ana = make_customer("Ana", email="ana@example.com")
    duplicate = make_customer("Ana R.", phone="600112233")
    token = identity_token(duplicate.pk)
    merge_customers(survivor_id=ana.pk, merged_id=duplicate.pk, actor=SYSTEM)
    gone = make_customer("Nadie", email="nadie@example.com")
    gone_token = identity_token(gone.pk)
    gone.delete()

    assert customer_from_identity_token(token) == ana
    with pytest.raises(IdentityTokenInvalid) as caught:
        customer_from_identity_token(gone_token)
    assert caught.value.code == "unknown"
