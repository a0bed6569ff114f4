"""``manage.py discover_topics``: suggested topics from the uncategorised comments."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from vinculo.textan.services import discover_topics


class Command(BaseCommand):
    help = (
        "Clusters the most recent comments no topic rule matched and replaces the pending "
        "topic suggestions with what it finds."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=5_000, help="Texts to read.")

    def handle(self, *args: Any, **options: Any) -> None:
        found = discover_topics(limit=options["limit"])
        for suggestion in found:
            terms = ", ".join(suggestion.terms.splitlines())
            self.stdout.write(f"{suggestion.name} ({suggestion.size}): {terms}")
        self.stdout.write(f"{len(found)} topics suggested.")
