"""``manage.py load_topics``: the starter topic taxonomy, added where missing."""

from typing import Any

from django.core.management.base import BaseCommand

from vinculo.textan.services import add_starter_topics


class Command(BaseCommand):
    help = "Adds the starter topic taxonomy's missing topics; never changes existing ones."

    def handle(self, *args: Any, **options: Any) -> None:
        added = add_starter_topics()
        self.stdout.write(f"{added} topics added.")
