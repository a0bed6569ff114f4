"""The issue's acceptance case: 100,000 interactions with 3 bad rows, both modes, re-import."""

import csv
import io
from pathlib import Path

import pytest
from django.core.files import File

from vinculo.accounts.actors import Actor
from vinculo.imports.choices import ImportMode, ImportStatus
from vinculo.imports.jobs import claim, run_job
from vinculo.imports.models import ImportJob
from vinculo.imports.services import start_import
from vinculo.imports.tests.helpers import write_csv
from vinculo.journeys.models import Interaction
from vinculo.test import Org, People, actor_of, make_customer

ROWS = 100_000
BAD_ROWS = {1234: ("channel", "fax"), 50_000: ("occurred_at", "ayer"), 99_999: ("unit", "marte")}
HEADER = ["external_id", "customer_number", "occurred_at", "channel", "interaction_type", "unit"]


def _file(path: Path) -> Path:
    rows: list[list[str]] = [HEADER]
    for i in range(ROWS):
        row = [
            f"EV-{i}",
            f"CLI-{i % 500}",
            f"2026-0{1 + i % 9}-1{i % 10} 10:{i % 60:02d}",
            "web",
            "use",
            "norte",
        ]
        if i in BAD_ROWS:
            column, value = BAD_ROWS[i]
            row[HEADER.index(column)] = value
        rows.append(row)
    return write_csv(path, rows)


def _run(actor: Actor, path: Path, mode: str) -> ImportJob:
    with path.open("rb") as handle:
        job = start_import(
            actor=actor,
            kind="interactions",
            mode=mode,
            source="crm",
            upload=File(handle, name=path.name),
            language="en",
            run_in_background=False,
        )
    assert claim(job.pk)
    return run_job(job)


@pytest.fixture
def big_file(org: Org, tmp_path: Path) -> Path:
    for number in range(500):
        make_customer(f"Cliente {number}", customer_number=f"CLI-{number}")
    return _file(tmp_path / "interactions.csv")


def test_all_or_nothing_stores_nothing_and_names_the_three_bad_rows(
    people: People, big_file: Path
) -> None:
    job = _run(actor_of(people.bruno), big_file, ImportMode.ALL_OR_NOTHING)

    assert job.status == ImportStatus.REJECTED
    assert Interaction.objects.count() == 0
    assert job.error_count == 3
    # Data row i is spreadsheet row i + 2 (the header is row 1).
    assert {(e["row"], e["column"], e["value"]) for e in job.errors} == {
        (1236, "channel", "fax"),
        (50_002, "occurred_at", "ayer"),
        (100_001, "unit", "marte"),
    }


def test_valid_rows_mode_stores_the_rest_offers_the_rejects_and_a_reimport_adds_nothing(
    people: People, big_file: Path
) -> None:
    job = _run(actor_of(people.bruno), big_file, ImportMode.VALID_ROWS)

    assert job.status == ImportStatus.DONE
    assert (job.created_count, job.error_count) == (ROWS - 3, 3)
    assert Interaction.objects.count() == ROWS - 3
    with job.rejected_file.open("rb") as handle:
        rejected = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig"))))
    assert rejected[0] == ["row", *HEADER, "errors"]
    assert [line[0] for line in rejected[1:]] == ["1236", "50002", "100001"]
    assert "“fax” does not exist" in rejected[1][-1]

    again = _run(actor_of(people.bruno), big_file, ImportMode.VALID_ROWS)

    assert (again.created_count, again.unchanged_count) == (0, ROWS - 3)
    assert Interaction.objects.count() == ROWS - 3
