"""The interactions importer, one rule at a time, on small files."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from vinculo.customers.models import Customer, Identity
from vinculo.imports import engine
from vinculo.imports.errors import describe
from vinculo.imports.tests.helpers import import_file, write_csv
from vinculo.journeys.models import Interaction
from vinculo.test import Org, make_customer

HEADER = ["external_id", "phone", "occurred_at", "channel", "interaction_type", "unit", "amount"]


def test_a_row_matching_a_phone_in_another_format_attaches_to_that_customer(
    org: Org, tmp_path: Path
) -> None:
    ana = make_customer("Ana", phone="+34600112233")
    path = write_csv(
        tmp_path / "i.csv",
        [
            HEADER,
            ["T1", "600 11 22 33", "2026-03-01 10:30", "store", "sale", "bilbao-centro", "59,90"],
        ],
    )

    result = import_file(path)

    assert (result.created, result.rows_with_errors) == (1, 0)
    interaction = Interaction.objects.get()
    assert interaction.customer_id == ana.pk
    assert interaction.amount == Decimal("59.90")
    assert interaction.currency == "EUR"
    assert interaction.unit_id == org.bilbao.pk
    assert Customer.objects.count() == 1


def test_local_times_are_stored_in_utc_and_spanish_dates_are_understood(
    org: Org, tmp_path: Path
) -> None:
    make_customer("Ana", phone="+34600112233")
    path = write_csv(
        tmp_path / "i.csv",
        [
            HEADER,
            ["W", "600112233", "15/01/2026 10:30", "web", "use", "norte", ""],
            ["S", "600112233", "2026-07-15 10:30", "web", "use", "norte", ""],
            ["Z", "600112233", "2026-07-15T10:30:00Z", "web", "use", "norte", ""],
        ],
    )

    import_file(path)

    stored = {i.external_id: i.occurred_at for i in Interaction.objects.all()}
    assert stored["W"].isoformat() == "2026-01-15T09:30:00+00:00"  # CET is UTC+1
    assert stored["S"].isoformat() == "2026-07-15T08:30:00+00:00"  # CEST is UTC+2
    assert stored["Z"].isoformat() == "2026-07-15T10:30:00+00:00"


def test_unknown_identities_create_a_prospect_customer_once_per_identity(
    org: Org, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "i.csv",
        [
            [*HEADER, "customer_name"],
            ["A", "611000001", "2026-03-01 10:00", "web", "information", "norte", "", "Lucía"],
            ["B", "+34 611 000 001", "2026-03-02 10:00", "app", "information", "norte", "", ""],
        ],
    )

    import_file(path)

    customer = Customer.objects.get()
    assert customer.name == "Lucía"
    assert customer.lifecycle_stage == "prospect"
    assert list(customer.identities.values_list("kind", "value")) == [("phone", "+34611000001")]
    assert customer.interactions.count() == 2


def test_a_new_identity_on_a_known_customer_is_added_to_that_customer(
    org: Org, tmp_path: Path
) -> None:
    ana = make_customer("Ana", customer_number="CLI-1")
    path = write_csv(
        tmp_path / "i.csv",
        [
            [
                "external_id",
                "customer_number",
                "email",
                "occurred_at",
                "channel",
                "interaction_type",
                "unit",
            ],
            ["A", "CLI-1", "Ana@Example.com", "2026-03-01 10:00", "web", "use", "norte"],
        ],
    )

    import_file(path)

    assert Identity.objects.get(kind="email").customer_id == ana.pk
    assert Identity.objects.get(kind="email").value == "ana@example.com"


def test_identities_of_two_different_customers_in_one_row_are_an_error(
    org: Org, tmp_path: Path
) -> None:
    ana = make_customer("Ana", customer_number="CLI-1")
    luis = make_customer("Luis", email="luis@example.com")
    path = write_csv(
        tmp_path / "i.csv",
        [
            [
                "external_id",
                "customer_number",
                "email",
                "occurred_at",
                "channel",
                "interaction_type",
                "unit",
            ],
            ["A", "CLI-1", "luis@example.com", "2026-03-01 10:00", "web", "use", "norte"],
        ],
    )

    result = import_file(path)

    assert result.rejected
    [error] = result.errors
    assert (error.row, error.code) == (2, "identity_conflict")
    assert f"#{ana.pk}" in error.value and f"#{luis.pk}" in error.value
    assert Interaction.objects.count() == 0


def test_every_bad_cell_is_named_by_row_and_column_in_the_users_language(
    org: Org, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "i.csv",
        [
            HEADER,
            ["A", "600112233", "2026-13-45 10:00", "telepathy", "sale", "bilbao-centro", "12,3,4"],
            ["B", "12", "2026-03-01 10:00", "store", "sale", "atlantis", ""],
        ],
    )

    result = import_file(path)

    found = {(e.row, e.column, e.code) for e in result.errors}
    assert found == {
        (2, "occurred_at", "invalid_datetime"),
        (2, "channel", "unknown_code"),
        (2, "amount", "invalid_amount"),
        (3, "phone", "invalid_phone"),
        (3, "unit", "unknown_code"),
    }
    channel_error = next(e for e in result.errors if e.column == "channel")
    with translation.override("en"):
        assert describe(channel_error) == (
            "Row 2, column “channel”: “telepathy” does not exist; "
            "check the spelling or create it first."
        )
    with translation.override("es"):
        spanish = describe(channel_error)
    assert spanish.startswith("Fila 2, columna “channel”")


def test_dates_in_the_future_are_refused(org: Org, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "i.csv",
        [HEADER, ["A", "600112233", "2099-01-01 10:00", "store", "sale", "bilbao-centro", ""]],
    )

    [error] = import_file(path).errors

    assert (error.column, error.code) == ("occurred_at", "future_datetime")


def test_spanish_headers_semicolons_and_windows_encoding_are_understood(
    org: Org, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "i.csv",
        [
            [
                "ID externo",
                "Teléfono",
                "Fecha",
                "Canal",
                "Tipo",
                "Unidad",
                "Importe",
                "attr_vendedor",
            ],
            [
                "A",
                "600112233",
                "01/03/2026 10:00",
                "store",
                "sale",
                "bilbao-centro",
                "1.234,50",
                "Íñigo",
            ],
        ],
        delimiter=";",
        encoding="cp1252",
    )

    result = import_file(path)

    assert result.rows_with_errors == 0, [describe(e) for e in result.errors]
    interaction = Interaction.objects.get()
    assert interaction.amount == Decimal("1234.50")
    assert interaction.attributes == {"vendedor": "Íñigo"}


def test_an_unknown_column_rejects_the_file_before_reading_any_row(
    org: Org, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "i.csv",
        [
            [*HEADER, "chanel"],
            ["A", "600112233", "2026-03-01 10:00", "store", "sale", "norte", "", "x"],
        ],
    )

    result = import_file(path, mode="valid_rows")

    assert result.rejected
    assert [(e.row, e.column, e.code) for e in result.errors] == [(1, "chanel", "unknown_column")]
    assert Interaction.objects.count() == 0


def test_rows_without_external_id_are_recognised_on_reimport_by_their_content(
    org: Org, tmp_path: Path
) -> None:
    header = ["phone", "occurred_at", "channel", "interaction_type", "unit", "amount"]
    path = write_csv(
        tmp_path / "i.csv",
        [
            header,
            ["600112233", "2026-03-01 10:00", "store", "sale", "bilbao-centro", "10"],
            ["600112233", "2026-03-01 10:00", "store", "sale", "bilbao-centro", "20"],
        ],
    )

    first = import_file(path)
    second = import_file(path)

    assert (first.created, second.created, second.unchanged) == (2, 0, 2)
    assert Interaction.objects.count() == 2


def test_a_stage_given_in_the_row_overrides_the_types_default_stage(
    org: Org, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "i.csv",
        [
            ["external_id", "phone", "occurred_at", "channel", "interaction_type", "stage", "unit"],
            ["A", "600112233", "2026-03-01 10:00", "call_centre", "support", "leave", "norte"],
            ["B", "600112233", "2026-03-01 11:00", "call_centre", "support", "", "norte"],
        ],
    )

    import_file(path)

    stages = dict(Interaction.objects.values_list("external_id", "touchpoint__stage__code"))
    assert stages == {"A": "leave", "B": "get_help"}


def test_amounts_are_never_rounded_and_ambiguous_thousands_are_refused(
    org: Org, tmp_path: Path
) -> None:
    rows = [
        ["A", "600112233", "2026-03-01 10:00", "store", "sale", "norte", "1.234.567"],
        ["B", "600112233", "2026-03-01 11:00", "store", "sale", "norte", "-12,5"],
        ["C", "600112233", "2026-03-01 12:00", "store", "sale", "norte", "1.234"],
        ["D", "600112233", "2026-03-01 13:00", "store", "sale", "norte", "9,999"],
    ]

    result = import_file(write_csv(tmp_path / "i.csv", [HEADER, *rows]), mode="valid_rows")

    amounts = dict(Interaction.objects.values_list("external_id", "amount"))
    assert amounts == {"A": Decimal("1234567.00"), "B": Decimal("-12.50")}
    assert {(e.row, e.code) for e in result.errors} == {
        (4, "too_many_decimals"),
        (5, "too_many_decimals"),
    }


def test_values_the_database_could_not_store_are_row_errors_not_a_failed_import(
    org: Org, tmp_path: Path
) -> None:
    header = [*HEADER, "customer_name", "attr_note"]
    rows = [
        ["A", "600112233", "2026-03-01 10:00", "store", "sale", "norte", "", "x" * 201, ""],
        ["B", "600112233", "2026-03-01 11:00", "store", "sale", "norte", "", "", "a\x00b"],
        ["C", "600112233", "2026-03-01 12:00", "store", "sale", "norte", "", "Ana", "ok"],
    ]

    result = import_file(write_csv(tmp_path / "i.csv", [header, *rows]), mode="valid_rows")

    assert {(e.row, e.column, e.code) for e in result.errors} == {
        (2, "customer_name", "too_long"),
        (3, "", "invalid_character"),
    }
    assert list(Interaction.objects.values_list("external_id", flat=True)) == ["C"]


def test_rows_already_written_are_rolled_back_when_a_later_chunk_has_an_error(
    org: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CHUNK_ROWS", 2)
    good = [
        [f"G{i}", "600112233", f"2026-03-0{i + 1} 10:00", "store", "sale", "norte", ""]
        for i in range(5)
    ]
    bad = ["X", "600112233", "2026-03-09 10:00", "fax", "sale", "norte", ""]

    result = import_file(write_csv(tmp_path / "i.csv", [HEADER, *good, bad]))

    assert result.rejected
    assert [(e.row, e.code) for e in result.errors] == [(7, "unknown_code")]
    assert Interaction.objects.count() == 0
    assert Customer.objects.count() == 0  # the customer the first chunk created is gone too


def test_tabs_newlines_and_backslashes_in_values_are_stored_as_written(
    org: Org, tmp_path: Path
) -> None:
    header = [*HEADER, "attr_note"]
    rows = [
        [
            "A\\1",
            "600112233",
            "2026-03-01 10:00",
            "store",
            "sale",
            "norte",
            "",
            'dijo "no"\t\\ok\nfin',
        ],
    ]

    result = import_file(write_csv(tmp_path / "i.csv", [header, *rows]))

    assert result.created == 1, [describe(e) for e in result.errors]
    stored = Interaction.objects.get()
    assert stored.external_id == "A\\1"
    assert stored.attributes == {"note": 'dijo "no"\t\\ok\nfin'}
