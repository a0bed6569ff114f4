"""Periods of days, how they split into whole months and loose days, and trend buckets.

Every period is a closed range of local days (``TIME_ZONE``). The roll-ups hold both
months and days, so a period reads whole months from month rows and only its loose days
at either end from day rows: a year is twelve rows per unit, not 365.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from vinculo.metrics.choices import Interval
from vinculo.metrics.rollups.deltas import report_zone

# Named periods the dashboard offers, each ending today.
PRESETS = {
    "30d": _("Last 30 days"),
    "90d": _("Last 90 days"),
    "12m": _("Last 12 months"),
    "mtd": _("This month"),
    "qtd": _("This quarter"),
    "ytd": _("This year"),
    "24m": _("Last 24 months"),
}
DEFAULT_PRESET = "90d"
LONGEST = timedelta(days=366 * 5)  # a period longer than this is refused at the edge


def today() -> date:
    return timezone.now().astimezone(report_zone()).date()


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month (negative: before)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier (28 February for a 29th with no leap year)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())  # Monday


BUCKETS = {
    Interval.DAY: lambda d: d,
    Interval.WEEK: week_start,
    Interval.MONTH: month_start,
    Interval.QUARTER: quarter_start,
}


@dataclass(frozen=True)
class Period:
    """Local days ``since`` to ``until``, both included."""

    since: date
    until: date

    @property
    def days(self) -> int:
        return (self.until - self.since).days + 1

    def previous(self) -> Period:
        """The period of the same length just before: what "change" compares against."""
        return Period(self.since - timedelta(days=self.days), self.since - timedelta(days=1))

    def split(self) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
        """The whole months inside (first and last month start, or None) and the loose
        day ranges left at either end."""
        first = self.since if self.since.day == 1 else next_month(self.since)
        last_end = self.until + timedelta(days=1)
        last = month_start(last_end)  # months start before this one are whole...
        if first >= last:  # ...if any: no whole month inside
            return None, [(self.since, self.until)]
        loose = []
        if self.since < first:
            loose.append((self.since, first - timedelta(days=1)))
        if last <= self.until:
            loose.append((last, self.until))
        return (first, add_months(last, -1)), loose

    def buckets(self, interval: str) -> list[date]:
        """The starts of the trend buckets the period touches, in order."""
        bucket = BUCKETS[Interval(interval)]
        starts: list[date] = []
        day = self.since
        while day <= self.until:
            start = bucket(day)
            if not starts or starts[-1] != start:
                starts.append(start)
            day = (
                day + timedelta(days=1)
                if interval in (Interval.DAY, Interval.WEEK)
                else next_month(day)
            )
        return starts


def preset(code: str, *, on: date | None = None) -> Period:
    """A named period ending on ``on`` (today by default)."""
    end = on or today()
    if code == "30d":
        return Period(end - timedelta(days=29), end)
    if code == "90d":
        return Period(end - timedelta(days=89), end)
    if code == "12m":
        return Period(years_before(end, 1) + timedelta(days=1), end)
    if code == "24m":
        return Period(years_before(end, 2) + timedelta(days=1), end)
    if code == "mtd":
        return Period(month_start(end), end)
    if code == "qtd":
        return Period(quarter_start(end), end)
    if code == "ytd":
        return Period(date(end.year, 1, 1), end)
    raise ValueError(code)


def default_interval(period: Period) -> str:
    """A trend granularity that gives a readable number of points for the period."""
    if period.days <= 45:
        return Interval.DAY
    if period.days <= 200:
        return Interval.WEEK
    return Interval.MONTH
