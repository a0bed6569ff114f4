"""Helpers for the distribution tests: many customers at once, and campaigns run to the end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings

from vinculo.accounts.actors import SYSTEM
from vinculo.accounts.models import Unit
from vinculo.customers.models import Customer, Identity
from vinculo.surveys.invitations import create_distribution, send_distribution
from vinculo.surveys.models import Distribution, Survey

TOKEN_IN_LINK = re.compile(r"/s/i/([^/\s\"]+)/")


def bulk_customers(
    count: int,
    *,
    unit: Unit | None = None,
    consents: dict[str, bool] | None = None,
    language: str = "es",
    prefix: str = "cliente",
    phones: bool = False,
    **profile: Any,
) -> list[Customer]:
    """``count`` customers with an e-mail (and a phone) each, in two INSERTs."""
    consents = {"email": True, "sms": True} if consents is None else consents
    customers = Customer.objects.bulk_create(
        Customer(
            name=f"{prefix.title()} {i}",
            name_folded=f"{prefix} {i}",
            consents=dict(consents),
            language=language,
            home_unit=unit,
            **profile,
        )
        for i in range(count)
    )
    identities = [
        Identity(customer=c, kind="email", value=f"{prefix}{i}@example.com", source="test")
        for i, c in enumerate(customers)
    ]
    if phones:
        series = zlib.crc32(prefix.encode()) % 1000  # distinct numbers for each prefix
        identities += [
            Identity(customer=c, kind="phone", value=f"+346{series:03d}{i:05d}", source="test")
            for i, c in enumerate(customers)
        ]
    Identity.objects.bulk_create(identities)
    return customers


def start_campaign(
    capture: Callable[..., Any],
    survey: Survey,
    *,
    audience: dict[str, Any],
    channel: str = "email",
    **fields: Any,
) -> Distribution:
    """Creates a campaign and sends it; the tasks run in the test (immediate backend)."""
    distribution = create_distribution(
        actor=SYSTEM,
        survey=survey,
        name=fields.pop("name", "Campaña"),
        channel=channel,
        audience=audience,
        **fields,
    )
    with capture(execute=True):
        send_distribution(distribution=distribution)
    distribution.refresh_from_db()
    return distribution


def token_in(text: str) -> str:
    match = TOKEN_IN_LINK.search(text)
    assert match, f"no invitation link in {text!r}"
    return match.group(1)


# -- the real processes, on their own SQLite file ----------------------------------------

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")


def production_env(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of a real installation in ``var_dir``: its own SQLite file, the
    database task backend, none of the test suite's settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("VINCULO_TESTING", "DATABASE_URL")}
    env.update(
        VINCULO_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'vinculo.sqlite3'}",
        TASKS_BACKEND="django_tasks_db.DatabaseBackend",
        DEBUG="false",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """Runs a management command to its end; its standard output."""
    done = subprocess.run(
        [sys.executable, MANAGE, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def start(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """Starts a long-running management command (a worker, the scheduler)."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, MANAGE, *args], env=env, stdout=out, stderr=subprocess.STDOUT
        )
