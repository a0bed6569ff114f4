"""The interface is Spanish first: every user-facing string must have its translation."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

import vinculo


def test_every_user_facing_string_has_a_spanish_translation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "vinculo"
    shutil.copytree(
        Path(vinculo.__file__).parent,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "tests", "static", "*.mo"),
    )
    monkeypatch.chdir(copy)

    call_command("makemessages", locale=["es"], ignore_patterns=["tests/*"], verbosity=0)

    catalogue = copy / "locale" / "es" / "LC_MESSAGES" / "django.po"
    checked = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalogue)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in checked.stderr and "fuzzy" not in checked.stderr, checked.stderr
