"""Who is answering, when a caller vouches for it: the widget's signed identity tokens, and
identity resolution on behalf of an actor (the submission API, the widget token endpoint).

The widget runs on a company's own site, where the visitor is anonymous to Vínculo. A site
that knows its signed-in customer asks Vínculo, server to server with an API key, for a
short-lived token naming that customer (``issue_identity_token``) and puts it in the
script tag as ``data-identity``. The token holds only the customer's id and its lifetime,
signed with SECRET_KEY (``TimestampSigner``), so nothing is stored and a changed character
or an old token is refused (``customer_from_identity_token``). Whoever holds a valid token
can answer as that customer until it expires, which is why tokens live minutes, not days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone

from vinculo.accounts.actors import Actor
from vinculo.customers.models import Customer
from vinculo.customers.queries import resolve_merged
from vinculo.customers.services import find_by_identities, upsert_customer_as
from vinculo.lib.locks import lock_identities
from vinculo.surveys.submission import Outcome, Respondent, submit_all

IDENTITY_SALT = "vinculo.surveys.widget-identity"
DEFAULT_TTL_MINUTES = 60
MAX_TTL_MINUTES = 24 * 60
SOURCE = "surveys"  # the source recorded on identities these services add


class IdentityTokenInvalid(Exception):
    """A widget identity token we cannot honour; ``code`` is tampered, expired or unknown."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class IssuedIdentity:
    token: str
    customer: Customer
    created: bool  # the identities named nobody yet: a prospect was created
    expires_at: dt.datetime


def identity_token(customer_id: int, ttl_minutes: int = DEFAULT_TTL_MINUTES) -> str:
    """A token naming the customer, valid for ``ttl_minutes`` from now."""
    value = f"{signing.b62_encode(customer_id)}.{signing.b62_encode(ttl_minutes)}"
    return signing.TimestampSigner(salt=IDENTITY_SALT).sign(value)


def customer_from_identity_token(token: str) -> Customer:
    """The customer a token names (the survivor, if they were merged since).

    Raises ``IdentityTokenInvalid``. The lifetime travels inside the signed value, so a
    token is checked against the age its issuer asked for.
    """
    signer = signing.TimestampSigner(salt=IDENTITY_SALT)
    try:
        customer_part, ttl_part = signer.unsign(token).split(".")
        customer_id, ttl = signing.b62_decode(customer_part), signing.b62_decode(ttl_part)
        signer.unsign(token, max_age=dt.timedelta(minutes=ttl))
    except signing.SignatureExpired:
        raise IdentityTokenInvalid("expired") from None
    except (signing.BadSignature, ValueError):
        raise IdentityTokenInvalid("tampered") from None
    customer = resolve_merged(customer_id)
    if customer is None:
        raise IdentityTokenInvalid("unknown")
    return customer


def resolve_customer_as(
    *, actor: Actor, identities: Mapping[str, str], home_unit_id: int | None, name: str = ""
) -> tuple[Customer, bool]:
    """The customer owning these identities, or a new prospect in ``home_unit_id``.

    Raises ``CustomerOutsideScope`` (the owner is not the actor's to see) and
    ``IdentityConflict`` (the identities belong to different customers). The home unit and
    the name are only given to a new customer: a caller never moves an existing one.
    Must run inside a transaction, which the identity lock lasts for.
    """
    lock_identities()
    new: dict[str, Any] = {}
    if find_by_identities(identities) is None:
        new = {"home_unit_id": home_unit_id, **({"name": name} if name else {})}
    return upsert_customer_as(actor=actor, identities=identities, source=SOURCE, **new)


@transaction.atomic
def issue_identity_token(
    *,
    actor: Actor,
    identities: Mapping[str, str],
    ttl_minutes: int = DEFAULT_TTL_MINUTES,
    home_unit_id: int | None = None,
    name: str = "",
) -> IssuedIdentity:
    """Resolves (or creates, as a prospect) the customer and signs a widget token for them."""
    customer, created = resolve_customer_as(
        actor=actor, identities=identities, home_unit_id=home_unit_id, name=name
    )
    return IssuedIdentity(
        token=identity_token(customer.pk, ttl_minutes),
        customer=customer,
        created=created,
        expires_at=timezone.now() + dt.timedelta(minutes=ttl_minutes),
    )


@transaction.atomic
def submit_as(
    *,
    actor: Actor,
    respondent: Respondent,
    idempotency_key: str,
    raw: Mapping[str, Any],
    identities: Mapping[str, str] | None = None,
    started_at: dt.datetime | None = None,
    completed_at: dt.datetime | None = None,
) -> Outcome:
    """A whole response sent by another system on behalf of ``actor``.

    The customer named by ``identities`` is resolved (or created) in the same transaction
    as the answers, so a refused submission leaves no prospect behind. ``completed_at``
    (when the call or visit ended) is the response's time and its timeline row's.
    """
    if identities:
        customer, _created = resolve_customer_as(
            actor=actor, identities=identities, home_unit_id=respondent.unit.pk
        )
        respondent = replace(respondent, customer=customer)
    return submit_all(
        respondent=respondent,
        idempotency_key=idempotency_key,
        raw=raw,
        started_at=started_at,
        completed_at=completed_at,
    )
