"""Loads Telco Ibérica, a believable Spanish telecom, for demos and the first run."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from vinculo.core.demo.loader import DemoResult, load_demo
from vinculo.customers.models import Customer


class Command(BaseCommand):
    help = (
        "Creates the demo company Telco Ibérica: regions, stores, contact centre and digital "
        "channels, one demo person per role, customers with their identities and two years of "
        "interactions. Customers whose number already exists are skipped, so running it twice "
        "never doubles the data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--customers", type=int, default=20_000, help="How many customers (20,000)."
        )
        parser.add_argument(
            "--interactions-per-customer",
            type=float,
            default=10.0,
            help=(
                "Average corridor length (10). Discovery, sales, starts and endings alone take "
                "about 6, so a lower value only thins out the everyday events."
            ),
        )
        parser.add_argument("--seed", type=int, default=None, help="Seed for reproducible data.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds any customer (for the first run).",
        )

    def handle(
        self,
        *args: Any,
        customers: int,
        interactions_per_customer: float,
        seed: int | None,
        if_empty: bool,
        **options: Any,
    ) -> None:
        if customers < 0:
            raise CommandError("--customers must be zero or more.")
        if interactions_per_customer < 1:
            raise CommandError("--interactions-per-customer must be at least 1.")
        if if_empty and Customer.objects.exists():
            self.stdout.write("The database already has customers: demo data not loaded.")
            return
        started = time.monotonic()
        self.stdout.write(f"Loading Telco Ibérica with {customers:,} customers...")
        try:
            result = load_demo(
                customers=customers,
                interactions_per_customer=interactions_per_customer,
                seed=seed,
                progress=self.stdout.write,
            )
        except LookupError as exc:  # the default catalogue was edited away
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        self._report(result, elapsed)

    def _report(self, result: DemoResult, elapsed: float) -> None:
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                f"Done in {elapsed:.1f} s: {result.org.units_created} units, "
                f"{sum(p.created for p in result.people)} people, {result.customers:,} customers, "
                f"{result.identities:,} identities, {result.interactions:,} interactions, "
                f"{result.responses:,} survey responses, {result.feedback:,} feedback items, "
                f"{result.cases:,} cases."
            )
        )
        if result.skipped_customers:
            write(f"{result.skipped_customers:,} customers existed already and were skipped.")
        if result.by_stage:
            stages = ", ".join(
                f"{stage} {count:,}" for stage, count in sorted(result.by_stage.items())
            )
            write(f"Lifecycle stages: {stages}.")
        rule = "=" * 72
        write(rule)
        write("Demo people:")
        for person in result.people:
            where = person.unit + (f" · {person.department}" if person.department else "")
            note = "" if person.created else "  (existed already; password unchanged)"
            write(f"  {person.username:<20} {person.role:<20} {where}{note}")
        if result.password:
            write(f"  password for the people created now: {result.password}")
            write("This password is shown only once.")
        write(rule)
