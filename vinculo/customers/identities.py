"""Normalising identity values so that the same e-mail or phone always matches.

Normalisation is the heart of identity resolution: ``Ana@Example.com`` and
``ana@example.com`` are one identity; ``600 11 22 33``, ``+34600112233`` and
``0034 600-112-233`` are one phone. Functions are pure and memoised, because imports call
them for every row.
"""

from collections.abc import Callable
from contextlib import suppress
from functools import lru_cache

import phonenumbers

from vinculo.customers.choices import IdentityKind

DEFAULT_PHONE_REGION = "ES"
MAX_EMAIL = 254  # RFC 5321, and the identity column's size


class InvalidIdentity(ValueError):
    """The value cannot be an identity of that kind; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@lru_cache(maxsize=200_000)
def normalize_phone(raw: str) -> str:
    text = raw.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, DEFAULT_PHONE_REGION)
    except phonenumbers.NumberParseException as exc:
        raise InvalidIdentity("invalid_phone") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidIdentity("invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str:
    value = raw.strip().lower()
    local, sep, domain = value.partition("@")
    if not sep or not local or "." not in domain or " " in value:
        raise InvalidIdentity("invalid_email")
    if len(value) > MAX_EMAIL:
        raise InvalidIdentity("too_long")
    return value


def normalize_code(raw: str) -> str:
    """Customer numbers, CRM ids, cards: trimmed, case kept, inner spaces removed."""
    value = "".join(raw.split())
    if not value:
        raise InvalidIdentity("empty")
    if len(value) > 150:
        raise InvalidIdentity("too_long")
    return value


def normalize_tax_id(raw: str) -> str:
    return normalize_code(raw).replace("-", "").upper()


_NORMALIZERS: dict[str, Callable[[str], str]] = {
    IdentityKind.EMAIL.value: normalize_email,
    IdentityKind.PHONE.value: normalize_phone,
    IdentityKind.CUSTOMER_NUMBER.value: normalize_code,
    IdentityKind.CRM_ID.value: normalize_code,
    IdentityKind.LOYALTY_CARD.value: normalize_code,
    IdentityKind.TAX_ID.value: normalize_tax_id,
}


def normalizer(kind: str) -> Callable[[str], str]:
    """The normalising function for ``kind`` (imports look it up once per column)."""
    return _NORMALIZERS[kind]


def normalize(kind: str, raw: str) -> str:
    """The canonical form of ``raw`` as an identity of ``kind``; raises InvalidIdentity."""
    return _NORMALIZERS[kind](raw)


def guess_kind(query: str) -> list[tuple[str, str]]:
    """The (kind, normalised value) pairs a search text could be, most specific first."""
    candidates: list[tuple[str, str]] = []
    text = query.strip()
    if not text:
        return candidates
    if "@" in text:
        with suppress(InvalidIdentity):
            candidates.append((IdentityKind.EMAIL, normalize_email(text)))
    digits = sum(ch.isdigit() for ch in text)
    if digits >= 6 and digits >= len(text.replace(" ", "")) - 3:
        with suppress(InvalidIdentity):
            candidates.append((IdentityKind.PHONE, normalize_phone(text)))
    code = "".join(text.split())
    for kind in (
        IdentityKind.CUSTOMER_NUMBER,
        IdentityKind.CRM_ID,
        IdentityKind.LOYALTY_CARD,
    ):
        candidates.append((kind, code))
    candidates.append((IdentityKind.TAX_ID, code.replace("-", "").upper()))
    return candidates
