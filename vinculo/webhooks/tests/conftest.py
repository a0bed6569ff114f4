"""Webhook tests send to a real HTTP server on loopback, which the SSRF guard refuses
unless told otherwise: every test here allows private addresses except those that say
they do not."""

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _allow_loopback(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE = True
