"""Imports against merges and other imports, on a real PostgreSQL server with real threads.

SQLite serialises write transactions by itself; on PostgreSQL the identity lock
(``vinculo.lib.locks``) must make a merge wait for an import that has cached which
customer owns which identity, or the import's rows would land on a merged customer.
"""

import threading
import time
from collections.abc import Iterator

import pytest
from django.db import connection

from vinculo.customers.services import merge_customers
from vinculo.imports import engine
from vinculo.imports.engine import import_rows
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, actor_of, make_customer

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite runs one write transaction at a time: there is no race to test",
    ),
]
HEADER = ["external_id", "email", "occurred_at", "channel", "interaction_type", "unit"]


def _rows(first_chunk_done: threading.Event, go_on: threading.Event) -> Iterator[list[str]]:
    yield ["E1", "dup@example.com", "2026-03-01 10:00", "web", "use", "norte"]
    first_chunk_done.set()
    go_on.wait(10)
    yield ["E2", "dup@example.com", "2026-03-02 10:00", "web", "use", "norte"]


def test_a_merge_waits_for_an_import_in_progress_and_then_moves_its_rows(
    org: Org, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(engine, "CHUNK_ROWS", 1)
    survivor = make_customer("Ana", email="ana@example.com")
    duplicate = make_customer("Ana (dup)", email="dup@example.com")
    first_chunk_done, go_on, merged = threading.Event(), threading.Event(), threading.Event()

    def run_import() -> None:
        try:
            import_rows(
                kind="interactions",
                header=HEADER,
                rows=_rows(first_chunk_done, go_on),
                mode="all_or_nothing",
                source="crm",
            )
        finally:
            connection.close()

    def run_merge() -> None:
        try:
            merge_customers(
                survivor_id=survivor.pk, merged_id=duplicate.pk, actor=actor_of(people.bruno)
            )
            merged.set()
        finally:
            connection.close()

    importer = threading.Thread(target=run_import)
    importer.start()
    assert first_chunk_done.wait(10)
    merger = threading.Thread(target=run_merge)
    merger.start()
    time.sleep(0.5)
    merged_during_import = merged.is_set()
    go_on.set()
    importer.join(10)
    merger.join(10)

    assert not merged_during_import
    assert merged.is_set()
    assert set(Interaction.objects.values_list("customer_id", flat=True)) == {survivor.pk}
    assert Interaction.objects.count() == 2


def test_two_imports_creating_the_same_new_customer_do_not_fail_or_double(org: Org) -> None:
    outcomes: list[int] = []

    def run(external_id: str) -> None:
        try:
            result = import_rows(
                kind="interactions",
                header=HEADER,
                rows=[[external_id, "new@example.com", "2026-03-01 10:00", "web", "use", "norte"]],
                mode="all_or_nothing",
                source="crm",
            )
            outcomes.append(result.created)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(f"N{i}",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)

    assert outcomes == [1, 1]
    assert Interaction.objects.values("customer_id").distinct().count() == 1
