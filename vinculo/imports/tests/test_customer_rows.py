"""The customers importer: upserts by identity, re-imports change nothing."""

from pathlib import Path

from openpyxl import Workbook

from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer, Identity
from vinculo.imports.errors import RowError
from vinculo.imports.tests.helpers import import_file, write_csv
from vinculo.test import Org, make_customer

HEADER = [
    "customer_number",
    "nombre",
    "email",
    "teléfono",
    "segmento",
    "lifecycle_stage",
    "value_tier",
    "tienda_habitual",
    "consent_email",
    "attr_nacimiento",
]
ROWS = [
    [
        "CLI-1",
        "Ana García",
        "ana@example.com",
        "600 11 22 33",
        "Residencial",
        "active",
        "high",
        "bilbao-centro",
        "sí",
        "1984",
    ],
    ["CLI-2", "Luis Pérez", "", "611223344", "Empresas", "at_risk", "", "", "no", ""],
]


def test_new_customers_are_created_with_their_identities_and_profile(
    org: Org, tmp_path: Path
) -> None:
    result = import_file(write_csv(tmp_path / "c.csv", [HEADER, *ROWS]), kind="customers")

    assert (result.created, result.updated, result.rows_with_errors) == (2, 0, 0)
    ana = Identity.objects.get(kind="customer_number", value="CLI-1").customer
    assert ana.name == "Ana García"
    assert ana.lifecycle_stage == "active"
    assert ana.home_unit_id == org.bilbao.pk
    assert ana.consents == {"email": True}
    assert ana.attributes == {"nacimiento": "1984"}
    assert set(ana.identities.values_list("kind", "value")) == {
        ("customer_number", "CLI-1"),
        ("email", "ana@example.com"),
        ("phone", "+34600112233"),
    }


def test_reimporting_the_same_file_creates_and_changes_nothing(org: Org, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [HEADER, *ROWS])
    import_file(path, kind="customers")

    again = import_file(path, kind="customers")

    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Customer.objects.count() == 2
    assert Identity.objects.count() == 5


def test_a_row_matching_an_existing_identity_updates_that_customer(
    org: Org, tmp_path: Path
) -> None:
    ana = make_customer("A. García", phone="+34600112233")

    result = import_file(write_csv(tmp_path / "c.csv", [HEADER, ROWS[0]]), kind="customers")

    assert (result.created, result.updated) == (0, 1)
    ana.refresh_from_db()
    assert ana.name == "Ana García"
    assert ana.identities.count() == 3


def test_a_bad_choice_names_the_column_and_keeps_what_was_stored(org: Org, tmp_path: Path) -> None:
    ana = make_customer("Ana", customer_number="CLI-1")
    bad = [*ROWS[0][:5], "happy", *ROWS[0][6:]]

    result = import_file(write_csv(tmp_path / "c.csv", [HEADER, bad]), kind="customers")

    assert result.rejected
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "lifecycle_stage", "invalid_choice")
    ]
    ana.refresh_from_db()
    assert ana.name == "Ana"
    assert ana.identities.count() == 1


def test_an_xlsx_file_imports_like_a_csv(org: Org, tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["customer_number", "name", "phone"])
    sheet.append([1001, "Marta Ruiz", 600112233])  # numbers as a spreadsheet keeps them
    workbook.save(tmp_path / "c.xlsx")

    result = import_file(tmp_path / "c.xlsx", kind="customers")

    assert result.created == 1
    marta = Customer.objects.get()
    assert set(marta.identities.values_list("kind", "value")) == {
        ("customer_number", "1001"),
        ("phone", "+34600112233"),
    }


def test_the_allowed_values_travel_with_the_error(org: Org, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "c.csv", [["customer_number", "value_tier"], ["CLI-1", "gold"]])

    [error] = import_file(path, kind="customers").errors

    assert (error.code, error.allowed) == ("invalid_choice", "high, low, medium, top")
    assert RowError.from_dict(error.as_dict()) == error  # what the web page reads back


def test_home_unit_codes_are_matched_as_typed_or_in_lower_case(org: Org, tmp_path: Path) -> None:
    Unit.objects.filter(pk=org.bilbao.pk).update(code="BIO-01")
    path = write_csv(tmp_path / "c.csv", [["customer_number", "home_unit"], ["CLI-1", "BIO-01"]])

    result = import_file(path, kind="customers")

    assert result.rows_with_errors == 0
    assert Customer.objects.get().home_unit_id == org.bilbao.pk
