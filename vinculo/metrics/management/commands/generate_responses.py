"""Generates synthetic survey responses for the metrics benchmarks (see metrics.synthetic).

    manage.py generate_responses                      # 10,000,000 over 24 months, 1,000 stores
    manage.py generate_responses --responses 200000   # a smaller set
    manage.py generate_responses --no-rollups         # raw answers only

Responses are added to what is there; the roll-ups are then rebuilt from the raw answers
and checked, as ``rebuild_rollups`` does. Never on a production database: it writes a
"Bench CX" company and a benchmark survey.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from vinculo.metrics import synthetic
from vinculo.metrics.rollups.rebuild import rebuild


class Command(BaseCommand):
    help = "Generate synthetic survey responses (bulk) and build the metrics roll-ups."

    def add_arguments(self, parser: ArgumentParser) -> None:
        plan = synthetic.Plan()
        parser.add_argument("--responses", type=int, default=plan.responses)
        parser.add_argument("--stores", type=int, default=plan.stores)
        parser.add_argument("--regions", type=int, default=plan.regions)
        parser.add_argument("--months", type=int, default=plan.months)
        parser.add_argument("--seed", type=int, default=plan.seed)
        parser.add_argument("--no-rollups", action="store_true", help="Skip the rebuild.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["responses"] < 1 or options["stores"] < 1 or options["regions"] < 1:
            raise CommandError("--responses, --stores and --regions must be at least 1.")
        plan = synthetic.Plan(
            responses=options["responses"],
            stores=options["stores"],
            regions=options["regions"],
            months=options["months"],
            seed=options["seed"],
        )
        started = time.monotonic()
        self.stdout.write(f"Generating {plan.responses:,} responses in {plan.stores:,} stores")
        written = synthetic.generate(plan, progress=self.stdout.write)
        took = time.monotonic() - started
        self.stdout.write(f"{written:,} responses written in {took:.0f} s")
        if options["no_rollups"]:
            return
        started = time.monotonic()
        report = rebuild(apply=True, progress=self.stdout.write)
        self.stdout.write(
            f"Roll-ups built from {report.answers:,} answers in {time.monotonic() - started:.0f} s:"
            f" {report.fine.expected:,} daily rows, {report.cube.expected:,} rows by unit"
        )
