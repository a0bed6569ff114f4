"""Imports a CSV or XLSX file of customers, interactions or feedback from the command line.

manage.py import_data interactions calls.csv --mode valid_rows --source crm
"""

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from vinculo.accounts.actors import Actor
from vinculo.accounts.choices import Role
from vinculo.accounts.permissions import ROLE_PERMS
from vinculo.imports.choices import ImportKind, ImportMode, ImportStatus
from vinculo.imports.errors import RowError, describe
from vinculo.imports.jobs import claim, run_job
from vinculo.imports.services import start_import

COMMAND_LINE = Actor(None, None, Role.ADMIN, ROLE_PERMS[Role.ADMIN], None, "command-line")


class Command(BaseCommand):
    help = "Import customers, interactions or feedback from a CSV or XLSX file."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("kind", choices=[k.value for k in ImportKind])
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--mode", choices=[m.value for m in ImportMode], default=ImportMode.ALL_OR_NOTHING
        )
        parser.add_argument(
            "--source",
            required=True,
            help="Name of the source system, e.g. crm: ids are unique per source.",
        )
        parser.add_argument("--language", default="es", help="Language of the error messages.")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file")
        with path.open("rb") as handle:
            job = start_import(
                actor=COMMAND_LINE,
                kind=options["kind"],
                mode=options["mode"],
                source=options["source"],
                upload=File(handle, name=path.name),
                language=options["language"],
                run_in_background=False,
            )
        claim(job.pk)
        job = run_job(job)
        with translation.override(job.language):
            for error in job.errors[:50]:
                self.stderr.write(describe(RowError.from_dict(error)))
        if job.error_count > 50:
            self.stderr.write(f"... {job.error_count - 50} more rows with errors")
        self.stdout.write(
            f"{job.get_status_display()}: {job.total_rows} rows read, {job.created_count} created, "
            f"{job.updated_count} updated, {job.unchanged_count} already present, "
            f"{job.error_count} with errors"
        )
        if job.rejected_file:
            self.stdout.write(f"Rejected rows: {job.rejected_file.path}")
        if job.status in (ImportStatus.REJECTED, ImportStatus.FAILED):
            raise CommandError(job.failure or "nothing was imported")
