"""A fixed-window rate limit kept in the cache, shared by every worker process."""

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    # REMOTE_ADDR only: trusting X-Forwarded-For would let anyone pick their own bucket.
    return request.META.get("REMOTE_ADDR", "unknown")


def hit(bucket: str, *, limit: int, window_seconds: int) -> bool:
    """Counts one event in ``bucket``; False once more than ``limit`` happened this window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{bucket}:{window}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    return count <= limit


def is_limited(bucket: str, *, limit: int, window_seconds: int) -> bool:
    window = int(time.time() // window_seconds)
    count = cache.get(f"ratelimit:{bucket}:{window}", 0)
    return bool(count >= limit)
