"""Creates the first administrator so a fresh installation can be signed into."""

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from vinculo.accounts.choices import Role
from vinculo.accounts.services import create_person


class Command(BaseCommand):
    help = (
        "Creates an administrator if no user has that username yet and prints its password "
        "once. Does nothing to an existing user."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="Defaults to 'admin'.")
        parser.add_argument(
            "--password",
            default=None,
            help="Use this password instead of a random one (for scripts and tests).",
        )

    def handle(self, *args: Any, username: str, password: str | None, **options: Any) -> None:
        if get_user_model().objects.filter(username=username).exists():
            self.stdout.write(
                f"The administrator '{username}' already exists; its password is unchanged.\n"
                f"To set a new one: .venv/bin/python manage.py changepassword {username}"
            )
            return
        generated = password is None
        # 18 random bytes: 24 URL-safe characters, far beyond any guessing.
        password = password if password is not None else secrets.token_urlsafe(18)
        create_person(username=username, password=password, role=Role.ADMIN)
        if not generated:
            self.stdout.write(self.style.SUCCESS(f"Created the administrator '{username}'."))
            return
        rule = "=" * 64
        self.stdout.write(
            "\n".join(
                [
                    rule,
                    self.style.SUCCESS(f"Created the administrator '{username}'."),
                    f"  username: {username}",
                    f"  password: {password}",
                    "This password is shown only once: keep it somewhere safe.",
                    f"To change it: .venv/bin/python manage.py changepassword {username}",
                    rule,
                ]
            )
        )
