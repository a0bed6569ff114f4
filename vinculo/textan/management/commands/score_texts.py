"""``manage.py score_texts IN.csv OUT.csv``: the text analytics over any CSV of texts."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vinculo.textan.batch import BatchError, score_file
from vinculo.textan.queries import topic_rules


class Command(BaseCommand):
    help = (
        "Reads a CSV with a 'text' column (other columns kept) and writes it back with "
        "language, sentiment, score, emotions and topics. With gold 'label', 'sentiment' "
        "or 'emotion' columns, prints the evaluation report."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="CSV to read ('-' is not accepted)")
        parser.add_argument("target", help="CSV to write, or '-' for standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options["source"]
        if not source.is_file():
            raise CommandError(f"{source}: no such file")
        target = options["target"]
        loud = options["verbosity"] > 1
        progress = (lambda n: self.stderr.write(f"{n:,} rows")) if loud else None
        try:
            if target == "-":
                report = score_file(source, sys.stdout, topics=topic_rules(), progress=progress)
            else:
                with Path(target).open("w", encoding="utf-8", newline="") as out:
                    report = score_file(source, out, topics=topic_rules(), progress=progress)
        except BatchError as error:
            raise CommandError(str(error)) from error
        log = self.stderr if target == "-" else self.stdout
        log.write(f"{report.rows:,} rows scored ({report.empty:,} with no text).")
        if not report.evaluation.empty:
            log.write("\n".join(report.evaluation.lines()))
