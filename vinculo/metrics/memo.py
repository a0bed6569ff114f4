"""A few seconds' memory, per process, of what every metrics request reads and nobody
changes often: the minimum sample and the catalogue of counted questions.

METRICS_CACHE_SECONDS (5; 0 turns it off, as the test suite does) bounds how long a
change (a new policy, a survey published) takes to reach every process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.conf import settings

T = TypeVar("T")
_SEEN: dict[Hashable, tuple[float, Any]] = {}
_MAX_ENTRIES = 256


def remembered(key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, or what it gave for ``key`` less than METRICS_CACHE_SECONDS ago."""
    ttl = settings.METRICS_CACHE_SECONDS
    if ttl <= 0:
        return compute()
    now = time.monotonic()
    hit = _SEEN.get(key)
    if hit is not None and hit[0] > now:
        found: T = hit[1]
        return found
    value = compute()
    if len(_SEEN) >= _MAX_ENTRIES:
        _SEEN.clear()  # crude bound: only the few live keys come back
    _SEEN[key] = (now + ttl, value)
    return value


def forget() -> None:
    _SEEN.clear()
