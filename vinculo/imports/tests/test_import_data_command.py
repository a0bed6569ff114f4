from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from vinculo.imports.tests.helpers import write_csv
from vinculo.journeys.models import Interaction
from vinculo.test import Org, make_customer

HEADER = ["external_id", "phone", "occurred_at", "channel", "interaction_type", "unit"]


def test_the_command_imports_a_file_and_reports_the_counts(
    org: Org, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_customer("Ana", phone="+34600112233")
    path = write_csv(
        tmp_path / "i.csv", [HEADER, ["A", "600112233", "2026-03-01 10:00", "web", "use", "norte"]]
    )

    call_command("import_data", "interactions", str(path), "--source", "crm", "--language", "en")

    assert Interaction.objects.count() == 1
    assert "1 rows read, 1 created" in capsys.readouterr().out


def test_the_command_fails_naming_the_bad_row_and_stores_nothing(
    org: Org, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_csv(
        tmp_path / "i.csv",
        [
            HEADER,
            ["A", "600112233", "2026-03-01 10:00", "web", "use", "norte"],
            ["B", "600112233", "not a date", "web", "use", "norte"],
        ],
    )

    with pytest.raises(CommandError):
        call_command(
            "import_data", "interactions", str(path), "--source", "crm", "--language", "en"
        )

    assert Interaction.objects.count() == 0
    assert "Row 3, column “occurred_at”" in capsys.readouterr().err
