"""Import throughput for one database, measured beside a bare bulk insert in the same run.

Run by ``python -m bench`` once per database, with DATABASE_URL set; prints one JSON line.

- bare: the same rows, already built as tuples, inserted straight into the interactions
  table (``executemany`` on SQLite, ``COPY`` on PostgreSQL): the database's own speed.
- import: the whole pipeline from the CSV file on disk: read, validate, resolve each
  customer by identity, skip rows already stored, insert.
Each is run ``--repeat`` times on an empty interactions table; the best run counts.
"""

import argparse
import csv
import json
import os
import random
import sys
import time
from pathlib import Path

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "vinculo.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from vinculo.accounts.choices import UnitKind  # noqa: E402
from vinculo.accounts.models import Unit  # noqa: E402
from vinculo.accounts.services import create_unit  # noqa: E402
from vinculo.customers.models import Customer, Identity  # noqa: E402
from vinculo.imports.engine import import_rows  # noqa: E402
from vinculo.imports.readers import read_csv  # noqa: E402
from vinculo.imports.writers import (  # noqa: E402
    INTERACTION_COLUMNS,
    SqliteInteractionWriter,
)

CUSTOMERS = 50_000
STORES = 30
CHANNELS = ["web", "app", "store", "call_centre", "chat", "email"]
TYPES = ["sale", "use", "billing", "payment", "support", "complaint", "onboarding"]
HEADER = [
    "external_id",
    "customer_number",
    "occurred_at",
    "channel",
    "interaction_type",
    "unit",
    "amount",
    "attr_agent",
]


def make_file(path: Path, rows: int) -> None:
    """A deterministic CSV of ``rows`` interactions over CUSTOMERS customers."""
    if path.exists():
        return
    rnd = random.Random(20261124)
    tmp = path.with_suffix(".tmp")
    with tmp.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            amount = f"{rnd.randrange(100, 20000) / 100:.2f}" if rnd.random() < 0.3 else ""
            agent = f"agent-{rnd.randrange(200)}" if rnd.random() < 0.2 else ""
            writer.writerow(
                [
                    f"EV-{i:08d}",
                    f"CLI-{rnd.randrange(CUSTOMERS):06d}",
                    f"2025-{rnd.randrange(1, 13):02d}-{rnd.randrange(1, 29):02d} "
                    f"{rnd.randrange(8, 22):02d}:{rnd.randrange(60):02d}:{rnd.randrange(60):02d}",
                    rnd.choice(CHANNELS),
                    rnd.choice(TYPES),
                    f"store-{rnd.randrange(STORES)}",
                    amount,
                    agent,
                ]
            )
    tmp.rename(path)


def prepare_database() -> None:
    call_command("migrate", verbosity=0)
    if Unit.objects.filter(code="bench").exists():
        return
    with transaction.atomic():
        company = create_unit(name="Bench", code="bench", kind=UnitKind.COMPANY)
        for number in range(STORES):
            create_unit(
                name=f"Store {number}", code=f"store-{number}", kind=UnitKind.STORE, parent=company
            )
        customers = Customer.objects.bulk_create(
            [Customer(name=f"Customer {i}") for i in range(CUSTOMERS)], batch_size=5000
        )
        Identity.objects.bulk_create(
            [
                Identity(customer=c, kind="customer_number", value=f"CLI-{i:06d}")
                for i, c in enumerate(customers)
            ],
            batch_size=5000,
        )


def empty_interactions() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE journeys_interaction")
        else:
            cursor.execute("DELETE FROM journeys_interaction")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def import_once(path: Path) -> tuple[float, int]:
    header, rows = read_csv(path)
    started = time.perf_counter()
    result = import_rows(
        kind="interactions", header=header, rows=rows, mode="all_or_nothing", source="bench"
    )
    elapsed = time.perf_counter() - started
    if result.rows_with_errors or result.created != result.rows:
        sys.exit(f"import did not store every row: {result}")
    return elapsed, result.created


def stored_rows() -> list[tuple[object, ...]]:
    """The rows the import stored, as the tuples a bare insert takes."""
    columns = ", ".join(INTERACTION_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM journeys_interaction")
        return [tuple(row) for row in cursor.fetchall()]


def bare_multirow_once(rows: list[tuple[object, ...]]) -> float:
    """SQLite only: the same rows, 80 to a statement, as the importer's writer sends them."""
    started = time.perf_counter()
    with transaction.atomic():
        SqliteInteractionWriter().write(rows)
    return time.perf_counter() - started


def bare_once(rows: list[tuple[object, ...]]) -> float:
    columns = ", ".join(INTERACTION_COLUMNS)
    started = time.perf_counter()
    with transaction.atomic():
        connection.ensure_connection()
        raw = connection.connection
        if connection.vendor == "postgresql":
            sql = f"COPY journeys_interaction ({columns}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(INTERACTION_COLUMNS))
            raw.executemany(f"INSERT INTO journeys_interaction ({columns}) VALUES ({marks})", rows)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench"))
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    path = args.data_dir / f"interactions-{args.rows}.csv"
    make_file(path, args.rows)
    prepare_database()

    empty_interactions()
    import_times = []
    rows: list[tuple[object, ...]] = []
    for attempt in range(args.repeat):
        empty_interactions()
        elapsed, _created = import_once(path)
        import_times.append(elapsed)
        if attempt == 0:
            rows = stored_rows()
    started = time.perf_counter()
    header, reread = read_csv(path)
    again = import_rows(
        kind="interactions", header=header, rows=reread, mode="all_or_nothing", source="bench"
    )
    reimport_time = time.perf_counter() - started
    if again.created:
        sys.exit(f"re-importing the same file added {again.created} rows")
    bare_times = []
    multirow_times = []
    for _attempt in range(args.repeat):
        empty_interactions()
        bare_times.append(bare_once(rows))
        if connection.vendor == "sqlite":
            empty_interactions()
            multirow_times.append(bare_multirow_once(rows))
    empty_interactions()
    print(
        json.dumps(
            {
                "database": connection.vendor,
                "rows": args.rows,
                "import_rows_per_s": args.rows / min(import_times),
                "import_seconds": import_times,
                "bare_rows_per_s": args.rows / min(bare_times),
                "bare_seconds": bare_times,
                "bare_multirow_rows_per_s": args.rows / min(multirow_times)
                if multirow_times
                else None,
                "reimport_rows_per_s": args.rows / reimport_time,
                "reimport_added": again.created,
            }
        )
    )


if __name__ == "__main__":
    main()
