"""Import progress, kept in the cache so the page can read it while the import's
transaction is still open (the rows themselves are invisible until it commits)."""

from django.core.cache import cache

TIMEOUT = 24 * 3600


def _key(job_id: int) -> str:
    return f"imports:progress:{job_id}"


def report(job_id: int, rows_done: int) -> None:
    cache.set(_key(job_id), rows_done, TIMEOUT)


def rows_done(job_id: int) -> int:
    return int(cache.get(_key(job_id), 0))
