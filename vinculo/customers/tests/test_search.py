"""Search by name the way people type: without accents, in any case."""

from pathlib import Path

from vinculo.customers.queries import search_customers
from vinculo.customers.services import update_customer
from vinculo.imports.tests.helpers import import_file, write_csv
from vinculo.test import Org, People, actor_of, make_customer


def _names(people: People, query: str) -> list[str]:
    return [c.name for c in search_customers(actor_of(people.bruno), query)]


def test_names_are_found_without_accents_or_capitals(people: People) -> None:
    make_customer("Belén Núñez Ibáñez", customer_number="1")
    make_customer("María José García", customer_number="2")

    assert _names(people, "belen nunez") == ["Belén Núñez Ibáñez"]
    assert _names(people, "GARCIA") == ["María José García"]
    assert _names(people, "maría  josé") == ["María José García"]


def test_a_renamed_or_imported_customer_is_found_by_its_new_name(
    org: Org, people: People, tmp_path: Path
) -> None:
    ana = make_customer("Ana", customer_number="1")
    update_customer(customer=ana, name="Ánxela Souto")
    path = write_csv(tmp_path / "c.csv", [["customer_number", "nombre"], ["2", "Iñaki Etxeberría"]])
    import_file(path, kind="customers")

    assert _names(people, "anxela") == ["Ánxela Souto"]
    assert _names(people, "inaki etxeberria") == ["Iñaki Etxeberría"]
