"""Business-time arithmetic for SLAs: when is "4 business hours after this" and how much
business time lies between two moments, over a weekly calendar of shifts and holidays.

Pure Python (datetime and zoneinfo only) so services and the escalation task share it and
it can be tested against worked values without a database.

Shifts are wall-clock times of the calendar's zone: a 09:00-18:00 shift opens at 09:00
local time on either side of a daylight-saving change and counts 540 minutes. Business
time itself is real elapsed time inside those shifts, so the two only differ for a shift
that spans the change in the small hours (02:00-03:00 in Madrid): there the hour the clock
skips is not counted and the hour it repeats is counted twice, as really happens. That keeps
``add`` and ``between`` exact inverses, and a round-the-clock calendar equal to plain
elapsed time.

Results are in the calendar's zone; convert to UTC before doing arithmetic on or comparing
them around a change: Python adds and compares two datetimes of one zone by wall clock,
and == between two zones is always False for a time in a repeated hour (PEP 495).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MIDNIGHT = time(0)
MINUTE = timedelta(minutes=1)
DAY = timedelta(days=1)
# No SLA is due more than five years out; getting there means the calendar is wrong
# (e.g. years of holidays), so stop instead of walking on.
HORIZON_DAYS = 5 * 366


class SlaError(ValueError):
    """A calendar that cannot be used, or a due time beyond any sensible horizon."""


@dataclass(frozen=True)
class Shift:
    """One opening on one weekday (0 = Monday), local wall-clock times. ``closes`` may be
    midnight (``time(0)``), meaning the end of the day."""

    weekday: int
    opens: time
    closes: time

    def __str__(self) -> str:
        day = WEEKDAYS[self.weekday] if 0 <= self.weekday <= 6 else f"weekday {self.weekday}"
        return f"{day} {_clock(self.opens)}-{_clock(self.closes, end=True)}"


@dataclass(frozen=True)
class Calendar:
    """The business week of one time zone: shifts per weekday, minus whole-day holidays.
    Validated on construction (see ``calendar`` for the checks)."""

    zone: ZoneInfo
    shifts: tuple[Shift, ...]
    holidays: frozenset[date] = frozenset()
    _week: tuple[tuple[Shift, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_week", _validated_week(self.shifts))

    def is_open(self, moment: datetime) -> bool:
        """Whether ``moment`` falls inside a shift (opening instant included, closing not)."""
        instant = _utc(moment)
        day = instant.astimezone(self.zone).date()
        return any(opens <= instant < closes for opens, closes in self._openings(day))

    def add(self, start: datetime, minutes: int) -> datetime:
        """The moment ``minutes`` of business time after ``start``: the earliest moment by
        which that much has elapsed, so it may be a closing time. Outside business hours
        the count starts at the next opening; 0 minutes gives that opening (or ``start``
        itself when open)."""
        if minutes < 0:
            raise ValueError(f"minutes must not be negative, not {minutes}")
        cursor = _utc(start)
        left = timedelta(minutes=minutes)
        first = cursor.astimezone(self.zone).date()
        for offset in range(HORIZON_DAYS):
            for opens, closes in self._openings(first + offset * DAY):
                if closes <= cursor:
                    continue
                begin = max(opens, cursor)
                if left <= closes - begin:
                    return (begin + left).astimezone(self.zone)
                left -= closes - begin
        raise SlaError(
            f"{minutes} business minutes after {start.isoformat()} fall more than "
            f"{HORIZON_DAYS} days later; check the shifts and holidays."
        )

    def between(self, start: datetime, end: datetime) -> int:
        """Whole business minutes (rounded down) from ``start`` to ``end``; 0 if ``end`` is
        not after ``start``."""
        low, high = _utc(start), _utc(end)
        if high <= low:
            return 0
        total = timedelta()
        day = low.astimezone(self.zone).date()
        last = high.astimezone(self.zone).date()
        while day <= last:
            for opens, closes in self._openings(day):
                total += max(timedelta(), min(closes, high) - max(opens, low))
            day += DAY
        return total // MINUTE

    def _openings(self, day: date) -> Iterator[tuple[datetime, datetime]]:
        """The shifts of ``day`` as UTC instants, in order; none on a holiday. A shift that
        falls wholly in a skipped hour comes out empty and is left out."""
        if day in self.holidays:
            return
        for shift in self._week[day.weekday()]:
            opens = _instant(self.zone, day, shift.opens)
            closes = _instant(
                self.zone, day + DAY if shift.closes == MIDNIGHT else day, shift.closes
            )
            if opens < closes:
                yield opens, closes


def calendar(zone_name: str, shifts: Iterable[Shift], holidays: Iterable[date] = ()) -> Calendar:
    """A validated calendar. Raises ``SlaError`` for an unknown zone, a weekday outside
    0-6, a shift that does not close after it opens, shifts that overlap on one day, or
    no shift at all (a calendar that never opens would never fall due)."""
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SlaError(f"Unknown time zone {zone_name!r}.") from error
    return Calendar(zone=zone, shifts=tuple(shifts), holidays=frozenset(holidays))


def weekly(weekdays: Iterable[int], opens: time, closes: time) -> tuple[Shift, ...]:
    """The same shift on several weekdays: ``weekly(range(5), time(9), time(18))``."""
    return tuple(Shift(weekday, opens, closes) for weekday in weekdays)


def _validated_week(shifts: tuple[Shift, ...]) -> tuple[tuple[Shift, ...], ...]:
    if not shifts:
        raise SlaError("A calendar needs at least one shift: one that never opens never falls due.")
    week: list[list[Shift]] = [[] for _ in WEEKDAYS]
    for shift in shifts:
        if not 0 <= shift.weekday <= 6:
            raise SlaError(f"Shift weekday must be 0 (Monday) to 6 (Sunday), not {shift.weekday}.")
        if _since_midnight(shift.closes, end=True) <= _since_midnight(shift.opens):
            raise SlaError(f"Shift {shift} closes at or before it opens.")
        week[shift.weekday].append(shift)
    for day in week:
        day.sort(key=lambda shift: shift.opens)
        for before, after in pairwise(day):
            if _since_midnight(after.opens) < _since_midnight(before.closes, end=True):
                raise SlaError(
                    f"Shifts overlap on {WEEKDAYS[after.weekday]}: "
                    f"{_clock(before.opens)}-{_clock(before.closes, end=True)} and "
                    f"{_clock(after.opens)}-{_clock(after.closes, end=True)}."
                )
    return tuple(tuple(day) for day in week)


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"SLA times must be timezone-aware, not naive {moment.isoformat()}")
    return moment.astimezone(UTC)


def _instant(zone: ZoneInfo, day: date, clock: time) -> datetime:
    """The UTC instant at which the local clock of ``zone`` reads ``clock`` on ``day``: the
    first time for a repeated reading, the moment of the jump for a skipped one. This keeps
    later wall-clock times at later (or equal) instants, so shifts never overlap."""
    local = datetime.combine(day, clock, tzinfo=zone)
    before, after = local.utcoffset(), local.replace(fold=1).utcoffset()
    assert before is not None and after is not None  # a ZoneInfo always has an offset
    if before >= after:  # an ordinary or repeated reading; fold=0 is the first
        return local.astimezone(UTC)
    # Skipped by a jump forward: the jump happened between the two readings of ``local``.
    low = int((local.replace(tzinfo=None) - after).replace(tzinfo=UTC).timestamp())
    high = int((local.replace(tzinfo=None) - before).replace(tzinfo=UTC).timestamp())
    while low + 1 < high:  # bisect for the first second on the new offset
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, UTC).astimezone(zone).utcoffset() == after:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def _since_midnight(clock: time, *, end: bool = False) -> timedelta:
    if end and clock == MIDNIGHT:
        return DAY
    return datetime.combine(date.min, clock.replace(tzinfo=None)) - datetime.min


def _clock(clock: time, *, end: bool = False) -> str:
    return "24:00" if end and clock == MIDNIGHT else clock.strftime("%H:%M")


ALWAYS = Calendar(zone=ZoneInfo("UTC"), shifts=weekly(range(7), MIDNIGHT, MIDNIGHT))
