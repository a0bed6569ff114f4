"""Rebuilds the metrics' roll-ups from the raw answers and proves that they match.

    manage.py rebuild_rollups             # compare, replace what differs, report
    manage.py rebuild_rollups --check     # compare only; exit status 1 if anything differs
    manage.py rebuild_rollups --if-empty  # build them only when there are none yet (upgrades)

It reads every counted answer once, in one transaction on one snapshot (see
``rollups.rebuild``); on SQLite other writers wait until it ends, so run it in a quiet hour
on a large installation.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vinculo.metrics.models import ScoreDay
from vinculo.metrics.rollups.rebuild import TableCheck, rebuild
from vinculo.surveys.choices import ResponseStatus
from vinculo.surveys.models import Response


class Command(BaseCommand):
    help = "Rebuild the metrics roll-ups from the raw answers and check that they match."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--check", action="store_true", help="Compare only, change nothing.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only when there are complete responses and no roll-ups at all.",
        )

    def handle(self, *args: Any, check: bool, if_empty: bool, **options: Any) -> None:
        if if_empty and (
            ScoreDay.objects.exists()
            or not Response.objects.filter(status=ResponseStatus.COMPLETE).exists()
        ):
            self.stdout.write("Roll-ups: nothing to build.")
            return
        started = time.monotonic()
        report = rebuild(apply=not check, progress=self.stdout.write)
        self.stdout.write(f"{report.answers:,} answers read in {time.monotonic() - started:.1f} s")
        for name, table in (("daily roll-up", report.fine), ("roll-up by unit", report.cube)):
            self.stdout.write(_line(name, table))
            for example in table.examples:
                self.stdout.write(f"    {example}")
        if report.matches:
            self.stdout.write(self.style.SUCCESS("The roll-ups match the answers."))
        elif check:
            raise CommandError("The roll-ups do not match the answers (nothing was changed).")
        else:
            self.stdout.write(self.style.WARNING("The roll-ups differed; they were rebuilt."))


def _line(name: str, table: TableCheck) -> str:
    return (
        f"  {name}: {table.expected:,} rows expected, {table.stored:,} stored, "
        f"{table.missing:,} missing or different, {table.extra:,} extra"
    )
