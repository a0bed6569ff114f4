"""Identity normalisation: the same e-mail or phone, however typed, is one identity."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vinculo.customers.identities import InvalidIdentity, guess_kind, normalize


@pytest.mark.parametrize(
    ("kind", "raw", "expected"),
    [
        ("phone", "600 11 22 33", "+34600112233"),
        ("phone", "+34 600-112-233", "+34600112233"),
        ("phone", "0034600112233", "+34600112233"),
        ("phone", "(91) 123 45 67", "+34911234567"),
        ("phone", "+44 20 7946 0958", "+442079460958"),
        ("email", "  Ana.Garcia@Example.COM ", "ana.garcia@example.com"),
        ("customer_number", " CLI - 0001 ", "CLI-0001"),
        ("tax_id", "12345678-z", "12345678Z"),
    ],
)
def test_values_are_stored_in_one_canonical_form(kind: str, raw: str, expected: str) -> None:
    assert normalize(kind, raw) == expected


@pytest.mark.parametrize(
    ("kind", "raw", "code"),
    [
        ("phone", "12", "invalid_phone"),
        ("phone", "not a phone", "invalid_phone"),
        ("email", "ana.example.com", "invalid_email"),
        ("email", "ana@example", "invalid_email"),
        ("customer_number", "   ", "empty"),
    ],
)
def test_impossible_values_are_refused_with_a_reason(kind: str, raw: str, code: str) -> None:
    with pytest.raises(InvalidIdentity) as refused:
        normalize(kind, raw)
    assert refused.value.code == code


@given(st.from_regex(r"[67][0-9]{8}", fullmatch=True), st.sampled_from(["", "+34", "0034"]))
def test_a_spanish_mobile_is_the_same_identity_with_or_without_prefix_and_spaces(
    digits: str, prefix: str
) -> None:
    spaced = f"{prefix} {digits[:3]} {digits[3:5]} {digits[5:7]} {digits[7:]}"
    assert normalize("phone", spaced) == normalize("phone", digits) == f"+34{digits}"


@given(st.emails())
def test_normalising_an_email_twice_changes_nothing(email: str) -> None:
    once = normalize("email", email)
    assert normalize("email", once) == once


def test_a_search_text_is_tried_as_every_identity_it_could_be() -> None:
    kinds = dict(guess_kind("600 11 22 33"))
    assert kinds["phone"] == "+34600112233"
    assert kinds["customer_number"] == "600112233"
    assert dict(guess_kind("Ana@Example.com"))["email"] == "ana@example.com"
