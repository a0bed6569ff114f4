"""Business-time SLA arithmetic against values worked out by hand on a wall calendar, and
properties (add and between are inverses; between agrees with is_open minute by minute)
over random calendars in zones with daylight-saving changes. No database needed.

Dates: 2026-02-02 is a Monday; in Madrid the clocks go forward on Sunday 2026-03-29
(02:00 CET -> 03:00 CEST, 01:00 UTC) and back on Sunday 2026-10-25 (03:00 CEST -> 02:00 CET,
01:00 UTC)."""

import time as clock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from vinculo.cases.sla import ALWAYS, Calendar, Shift, SlaError, calendar, weekly

MADRID = ZoneInfo("Europe/Madrid")
OFFICE = calendar("Europe/Madrid", weekly(range(5), time(9), time(18)))
SPLIT = calendar(
    "Europe/Madrid", weekly(range(5), time(9), time(14)) + weekly(range(5), time(16), time(19))
)


def madrid(text: str) -> datetime:
    """'YYYY-MM-DD HH:MM' read on a Madrid wall clock."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=MADRID)


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="minutes")


# -- worked values -------------------------------------------------------------------------


def test_four_hours_from_friday_afternoon_are_due_on_monday_at_noon():
    # Friday 17:00-18:00 is one hour; Monday 09:00-12:00 the other three.
    assert iso(OFFICE.add(madrid("2026-02-06 17:00"), 240)) == "2026-02-09T12:00+01:00"


def test_an_hour_from_saturday_morning_counts_from_monday_opening():
    assert iso(OFFICE.add(madrid("2026-02-07 10:00"), 60)) == "2026-02-09T10:00+01:00"


def test_a_holiday_monday_pushes_the_due_time_to_tuesday():
    office = calendar("Europe/Madrid", OFFICE.shifts, holidays=[date(2026, 2, 9)])

    assert iso(office.add(madrid("2026-02-06 17:00"), 240)) == "2026-02-10T12:00+01:00"
    assert iso(office.add(madrid("2026-02-07 10:00"), 60)) == "2026-02-10T10:00+01:00"
    assert not office.is_open(madrid("2026-02-09 12:00"))
    assert office.between(madrid("2026-02-06 17:00"), madrid("2026-02-10 12:00")) == 240


def test_split_shifts_stop_the_clock_over_lunch():
    # Monday 13:00-14:00 is one hour, 16:00-17:00 the second.
    assert iso(SPLIT.add(madrid("2026-02-02 13:00"), 120)) == "2026-02-02T17:00+01:00"
    # Friday 18:30-19:00 is half an hour, Monday 09:00-09:30 the other half.
    assert iso(SPLIT.add(madrid("2026-02-06 18:30"), 60)) == "2026-02-09T09:30+01:00"
    # 10:00-14:00 is 240 minutes, 16:00-17:30 another 90.
    assert SPLIT.between(madrid("2026-02-02 10:00"), madrid("2026-02-02 17:30")) == 330
    assert not SPLIT.is_open(madrid("2026-02-02 15:00"))
    assert iso(SPLIT.add(madrid("2026-02-02 14:30"), 0)) == "2026-02-02T16:00+01:00"


def test_between_skips_the_weekend_and_rounds_down_to_whole_minutes():
    # Friday 16:00-18:00 and Monday 09:00-11:00.
    friday = madrid("2026-02-06 16:00")

    assert OFFICE.between(friday, madrid("2026-02-09 11:00")) == 240
    assert OFFICE.between(friday, madrid("2026-02-09 11:00") + timedelta(seconds=59)) == 240
    assert OFFICE.between(madrid("2026-02-07 08:00"), madrid("2026-02-08 20:00")) == 0


def test_end_before_start_is_no_business_time():
    assert OFFICE.between(madrid("2026-02-09 11:00"), madrid("2026-02-06 16:00")) == 0


def test_zero_minutes_wait_for_the_next_opening_unless_open():
    assert iso(OFFICE.add(madrid("2026-02-02 10:15"), 0)) == "2026-02-02T10:15+01:00"
    assert iso(OFFICE.add(madrid("2026-02-02 07:00"), 0)) == "2026-02-02T09:00+01:00"
    # A shift is open from its opening instant up to, not including, its closing one.
    assert iso(OFFICE.add(madrid("2026-02-02 18:00"), 0)) == "2026-02-03T09:00+01:00"


def test_a_full_day_of_minutes_is_due_at_closing_time_not_the_next_opening():
    assert iso(OFFICE.add(madrid("2026-02-02 09:00"), 540)) == "2026-02-02T18:00+01:00"


def test_the_due_time_is_given_in_the_calendars_zone_and_keeps_seconds():
    start = datetime(2026, 2, 2, 9, 0, 30, tzinfo=UTC)  # 10:00:30 in Madrid

    due = OFFICE.add(start, 30)

    assert due.tzinfo is MADRID
    assert due.isoformat() == "2026-02-02T10:30:30+01:00"


def test_ten_thousand_business_minutes_are_eighteen_days_and_280_minutes():
    # 10,000 = 18 x 540 + 280: from Monday 2 February the 18 whole days end on Wednesday
    # 25 February; 280 minutes (4h40) from Thursday 09:00 is 13:40.
    start = madrid("2026-02-02 09:00")

    due = OFFICE.add(start, 10_000)

    assert iso(due) == "2026-02-26T13:40+01:00"
    assert OFFICE.between(start, due) == 10_000


def test_a_hundred_business_days_are_twenty_weeks_across_the_spring_change():
    # 54,000 = 100 x 540 minutes: 20 working weeks from Monday 5 January end on Friday
    # 22 May (5 January + 19 weeks = 18 May) at closing time, by then on summer time.
    start = madrid("2026-01-05 09:00")

    due = OFFICE.add(start, 54_000)

    assert iso(due) == "2026-05-22T18:00+02:00"
    assert OFFICE.between(start, due) == 54_000


def test_long_slas_skip_whole_days_instead_of_counting_minutes():
    # A year and a half of business time, a hundred times; minute stepping would take
    # tens of millions of iterations, day stepping a few tens of thousands.
    start = madrid("2026-01-05 09:00")
    began = clock.perf_counter()

    for _ in range(100):
        due = OFFICE.add(start, 200_000)

    assert clock.perf_counter() - began < 2
    assert OFFICE.between(start, due) == 200_000


def test_a_calendar_closed_for_more_than_five_years_gives_up_instead_of_looping():
    start = date(2026, 1, 1)
    closed = calendar(
        "Europe/Madrid", OFFICE.shifts, [start + timedelta(days=n) for n in range(6 * 366)]
    )

    with pytest.raises(SlaError, match="more than 1830 days"):
        closed.add(madrid("2026-01-01 10:00"), 1)
    assert closed.between(madrid("2026-01-01 10:00"), madrid("2027-01-01 10:00")) == 0


def test_a_calendar_open_half_an_hour_a_week_cannot_meet_a_long_sla_within_five_years():
    # 7,800 minutes are 260 Sundays: the 260th is 259 weeks (1,813 days) after 5 April
    # 2026, 23 March 2031, done by 00:30. 7,861 need a 263rd Sunday, 1,834 days on: past
    # the 1,830-day horizon.
    sundays = calendar("Europe/Madrid", [Shift(6, time(0), time(0, 30))])

    with pytest.raises(SlaError, match="7861 business minutes after"):
        sundays.add(madrid("2026-04-05 00:00"), 7861)
    assert iso(sundays.add(madrid("2026-04-05 00:00"), 7800)) == "2031-03-23T00:30+01:00"


# -- daylight saving -----------------------------------------------------------------------


def test_four_hours_over_the_spring_weekend_are_due_monday_noon_summer_time():
    # 66 hours of clock time (65 real) pass, but only 4 business hours.
    friday = madrid("2026-03-27 17:00")

    due = OFFICE.add(friday, 240)

    assert iso(due) == "2026-03-30T12:00+02:00"
    assert OFFICE.between(friday, due) == 240


def test_an_hour_from_the_night_after_the_spring_change_is_due_monday_at_ten():
    assert iso(OFFICE.add(madrid("2026-03-29 23:00"), 60)) == "2026-03-30T10:00+02:00"
    # The same over the autumn change: Friday 17:00-18:00, then Monday 09:00-10:00.
    assert iso(OFFICE.add(madrid("2026-10-23 17:00"), 120)) == "2026-10-26T10:00+01:00"


@pytest.mark.parametrize(("sunday", "offset"), [("2026-03-29", "+02:00"), ("2026-10-25", "+01:00")])
def test_a_nine_to_six_shift_on_the_day_the_clocks_change_still_counts_540_minutes(sunday, offset):
    sundays = calendar("Europe/Madrid", [Shift(6, time(9), time(18))])
    opening = madrid(f"{sunday} 09:00")

    assert sundays.between(madrid(f"{sunday} 00:00"), madrid(f"{sunday} 23:59")) == 540
    assert sundays.add(opening, 540).isoformat() == f"{sunday}T18:00:00{offset}"
    assert sundays.is_open(opening)
    assert not sundays.is_open(opening - timedelta(microseconds=1))


def test_a_round_the_clock_madrid_desk_counts_real_hours_over_the_changes():
    # Saturday 23:00 CET is 22:00 UTC; four real hours on is 02:00 UTC, 04:00 CEST.
    desk = calendar("Europe/Madrid", weekly(range(7), time(0), time(0)))

    assert iso(desk.add(madrid("2026-03-28 23:00"), 240)) == "2026-03-29T04:00+02:00"
    assert desk.between(madrid("2026-03-29 00:00"), madrid("2026-03-30 00:00")) == 23 * 60
    assert desk.between(madrid("2026-10-25 00:00"), madrid("2026-10-26 00:00")) == 25 * 60


def test_a_shift_opening_in_the_skipped_hour_opens_when_the_clock_jumps():
    # 02:30 never shows on 29 March: the shift opens at 03:00 CEST (01:00 UTC).
    early = calendar("Europe/Madrid", [Shift(6, time(2, 30), time(6))])

    assert iso(early.add(madrid("2026-03-29 00:00"), 0)) == "2026-03-29T03:00+02:00"
    assert early.between(madrid("2026-03-29 00:00"), madrid("2026-03-29 12:00")) == 180
    assert not early.is_open(datetime(2026, 3, 29, 0, 59, tzinfo=UTC))


def test_a_shift_opening_in_the_repeated_hour_opens_at_its_first_showing():
    # 02:30 shows twice on 25 October; the shift opens at the first (00:30 UTC) and runs
    # to 04:00 CET (03:00 UTC): 150 real minutes. Compared in UTC because == between two
    # zones is always False for a time in a repeated hour (PEP 495).
    early = calendar("Europe/Madrid", [Shift(6, time(2, 30), time(4))])

    opening = early.add(madrid("2026-10-25 00:00"), 0)

    assert opening.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert opening.isoformat() == "2026-10-25T02:30:00+02:00"
    assert early.between(madrid("2026-10-25 00:00"), madrid("2026-10-25 12:00")) == 150


# -- the round-the-clock calendar ----------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2028, 1, 1), timezones=st.just(UTC)
)
zones = st.sampled_from(
    [ZoneInfo(name) for name in ("Europe/Madrid", "America/New_York", "Australia/Lord_Howe")]
)


@given(start=instants, zone=zones, minutes=st.integers(0, 2_000_000))
def test_always_adds_plain_elapsed_time(start, zone, minutes):
    due = ALWAYS.add(start.astimezone(zone), minutes)

    assert due == start + timedelta(minutes=minutes)
    assert due.tzinfo is ALWAYS.zone


@given(start=instants, end=instants, zone=zones)
def test_always_counts_plain_elapsed_minutes(start, end, zone):
    elapsed = max(timedelta(), end - start) // timedelta(minutes=1)

    assert ALWAYS.between(start.astimezone(zone), end.astimezone(zone)) == elapsed


# -- properties over random calendars ------------------------------------------------------


@st.composite
def calendars(draw: st.DrawFn) -> Calendar:
    """Shifts on half-hour marks (so some open, close or span 02:00-03:00 on change days)
    in zones with one-hour and half-hour daylight-saving changes, and a few holidays."""
    shifts = []
    for weekday in range(7):
        marks = sorted(draw(st.sets(st.integers(0, 48), max_size=6)))
        for opens, closes in zip(marks[::2], marks[1::2], strict=False):
            shifts.append(Shift(weekday, _mark(opens), _mark(closes)))
    assume(shifts)
    holidays = draw(st.sets(st.dates(date(2026, 1, 1), date(2026, 12, 31)), max_size=30))
    return Calendar(zone=draw(zones), shifts=tuple(shifts), holidays=frozenset(holidays))


def _weekly_minutes(cal: Calendar) -> int:
    day = date(2026, 1, 1)
    return sum(
        (
            datetime.combine(day + timedelta(days=shift.closes == time(0)), shift.closes)
            - datetime.combine(day, shift.opens)
        )
        // timedelta(minutes=1)
        for shift in cal.shifts
    )


def _mark(half_hours: int) -> time:
    return time(0) if half_hours == 48 else time(half_hours // 2, 30 * (half_hours % 2))


# Starts anywhere in 2026, or within a few days of the Madrid, New York or Lord Howe changes.
changes = [datetime(2026, *day, tzinfo=UTC) for day in [(3, 29), (10, 25), (3, 8), (11, 1)]]
changes += [datetime(2026, *day, tzinfo=UTC) for day in [(4, 4), (10, 3)]]
starts = st.one_of(
    st.datetimes(datetime(2026, 1, 1), datetime(2026, 12, 31), timezones=st.just(UTC)),
    st.builds(
        lambda change, seconds: change + timedelta(seconds=seconds),
        st.sampled_from(changes),
        st.integers(-3 * 86_400, 3 * 86_400),
    ),
)
PROPERTY = settings(max_examples=300, deadline=None)


@PROPERTY
@given(cal=calendars(), start=starts, minutes=st.integers(0, 20_000))
def test_between_undoes_add_from_any_open_moment(cal, start, minutes):
    minutes = min(minutes, 100 * _weekly_minutes(cal))  # within the five-year horizon
    opened = cal.add(start, 0)  # the next opening, or start itself when open

    due = cal.add(opened, minutes)

    assert cal.is_open(opened)
    assert opened.astimezone(UTC) == start or not cal.is_open(start)
    assert cal.between(opened, due) == minutes
    assert due.tzinfo is cal.zone
    assert due.astimezone(UTC).astimezone(cal.zone).isoformat() == due.isoformat()


@PROPERTY
@given(cal=calendars(), start=starts, seconds=st.integers(0, 40 * 86_400))
def test_add_of_between_is_the_latest_due_time_not_after_the_end(cal, start, seconds):
    # In UTC: within one zone Python adds and compares by wall clock, not elapsed time.
    opened = cal.add(start, 0).astimezone(UTC)
    end = opened + timedelta(seconds=seconds)

    minutes = cal.between(opened, end)

    assert cal.add(opened, minutes).astimezone(UTC) <= end
    assert cal.add(opened, minutes + 1).astimezone(UTC) > end


@PROPERTY
@given(
    cal=calendars(),
    start=starts,
    first=st.integers(0, 86_400 * 9),
    second=st.integers(0, 86_400 * 9),
)
def test_between_adds_up_over_consecutive_stretches_up_to_rounding(cal, start, first, second):
    middle = start + timedelta(seconds=first)
    end = middle + timedelta(seconds=second)

    whole = cal.between(start, end)
    parts = cal.between(start, middle) + cal.between(middle, end)

    assert whole - parts in (0, 1)


@settings(max_examples=60, deadline=None)
@given(cal=calendars(), start=starts, minutes=st.integers(0, 26 * 60))
def test_between_counts_the_minutes_is_open_says_are_open(cal, start, minutes):
    # Openings fall on whole minutes here, so sampling each minute counts exactly.
    start = start.replace(second=0, microsecond=0)
    end = start + timedelta(minutes=minutes)

    counted = sum(cal.is_open(start + timedelta(minutes=n)) for n in range(minutes))

    assert cal.between(start, end) == counted


@PROPERTY
@given(cal=calendars(), moment=starts)
def test_is_open_reads_the_local_wall_clock_on_ordinary_days(cal, moment):
    local = moment.astimezone(cal.zone)
    midnight = datetime.combine(local.date(), time(0), tzinfo=cal.zone)
    assume(midnight.utcoffset() == (midnight + timedelta(days=1)).utcoffset())  # no change
    expected = local.date() not in cal.holidays and any(
        shift.opens <= local.time() and (shift.closes == time(0) or local.time() < shift.closes)
        for shift in cal.shifts
        if shift.weekday == local.weekday()
    )

    assert cal.is_open(moment) == expected


# -- validation ----------------------------------------------------------------------------


def test_a_shift_closing_before_it_opens_is_refused_by_weekday_and_hours():
    with pytest.raises(SlaError, match="Tuesday 18:00-09:00 closes at or before it opens"):
        calendar("Europe/Madrid", [Shift(1, time(18), time(9))])
    with pytest.raises(SlaError, match="Friday 09:00-09:00"):
        calendar("Europe/Madrid", [Shift(4, time(9), time(9))])


def test_overlapping_shifts_on_one_day_are_refused_naming_both():
    shifts = [Shift(0, time(9), time(14)), Shift(0, time(13), time(19))]

    with pytest.raises(SlaError, match="overlap on Monday: 09:00-14:00 and 13:00-19:00"):
        calendar("Europe/Madrid", shifts)


def test_a_calendar_without_shifts_is_refused_because_it_would_never_open():
    with pytest.raises(SlaError, match="at least one shift"):
        calendar("Europe/Madrid", [])


@pytest.mark.parametrize("weekday", [-1, 7])
def test_weekdays_run_from_monday_0_to_sunday_6(weekday):
    with pytest.raises(SlaError, match=f"not {weekday}"):
        calendar("Europe/Madrid", [Shift(weekday, time(9), time(18))])


def test_an_unknown_time_zone_is_refused():
    with pytest.raises(SlaError, match="Unknown time zone 'Europe/Madird'"):
        calendar("Europe/Madird", OFFICE.shifts)


def test_back_to_back_shifts_and_shifts_to_midnight_are_allowed():
    late = calendar("Europe/Madrid", [Shift(4, time(9), time(14)), Shift(4, time(14), time(0))])

    assert late.between(madrid("2026-02-06 00:00"), madrid("2026-02-07 00:00")) == 15 * 60
    assert iso(late.add(madrid("2026-02-06 23:00"), 60)) == "2026-02-07T00:00+01:00"


def test_a_calendar_built_directly_is_validated_too():
    with pytest.raises(SlaError, match="closes at or before it opens"):
        Calendar(zone=MADRID, shifts=(Shift(2, time(18), time(9)),))


def test_naive_datetimes_and_negative_minutes_are_refused():
    naive = datetime(2026, 2, 2, 10)

    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.add(naive, 60)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.between(madrid("2026-02-02 10:00"), naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        OFFICE.is_open(naive)
    with pytest.raises(ValueError, match="negative"):
        OFFICE.add(madrid("2026-02-02 10:00"), -1)
