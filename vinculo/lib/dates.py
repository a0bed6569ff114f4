"""Dates as the people who filter by them mean them: whole days of the server's time zone."""

from datetime import date, datetime, time

from django.utils import timezone


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in the current time zone; a filter "until D" is
    ``< day_start(D + 1 day)``."""
    return timezone.make_aware(datetime.combine(day, time.min))
