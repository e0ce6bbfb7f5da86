"""Working time by a university's calendar: the clock that SLAs run on.

A service promises an answer within so many working hours or days, and people expect the
clock to stop when the office is closed: at night, over the lunch break, on the weekly days
off (Friday, often Thursday), on holidays, and while a request waits for its applicant.
This module answers the questions an SLA asks of that clock: when is a deadline, and how
much working time has passed. It is plain Python (no Plone) so it can be tested alone.

All arithmetic is done on UTC instants, so a calendar whose zone has (or had) daylight
saving time still measures real elapsed working time; working periods are wall-clock
times of the calendar's zone.
"""

from dataclasses import dataclass
from dataclasses import field
from uni.servicedesk.localization import jalali_month_day
from uni.servicedesk.working_time import checked_periods
from uni.servicedesk.working_time import is_official_holiday
from zoneinfo import ZoneInfo

import datetime

TEHRAN = ZoneInfo("Asia/Tehran")
UTC = datetime.timezone.utc
ZERO = datetime.timedelta(0)
ONE_DAY = datetime.timedelta(days=1)

THURSDAY = 3
FRIDAY = 4

# A calendar whose holidays leave no working day for this long is misconfigured; stop rather
# than search forever.
MAX_IDLE_DAYS = 400


@dataclass(frozen=True)
class WorkingCalendar:
    """When an office works: the same hours every working day, minus days off and holidays.

    Holidays are its own (one-off dates, Jalali days of every year) and, when
    ``official_holidays``, Iran's official ones (``working_time.is_official_holiday``).
    """

    days_off: frozenset  # datetime.weekday() numbers
    hours: tuple  # ((time, time), ...) working periods of every working day
    holidays: frozenset = field(default_factory=frozenset)  # gregorian dates
    yearly_holidays: frozenset = field(default_factory=frozenset)  # Jalali (month, day)
    tz: ZoneInfo = TEHRAN
    official_holidays: bool = False

    def __post_init__(self):
        # Frozen: normalise through object.__setattr__ so lists and sets given by callers
        # still make a hashable calendar.
        object.__setattr__(self, "days_off", frozenset(self.days_off))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "yearly_holidays", frozenset(self.yearly_holidays))
        object.__setattr__(self, "hours", checked_periods(self.hours))
        if isinstance(self.tz, str):
            object.__setattr__(self, "tz", ZoneInfo(self.tz))
        if not self.days_off <= set(range(7)):
            raise ValueError(f"days off must be weekday numbers 0-6: {sorted(self.days_off)}")
        if len(self.days_off) == 7:
            raise ValueError("a calendar needs at least one working weekday")

    def is_working_day(self, day):
        """Whether the office works on this date (a datetime counts by its local date)."""
        day = self._local_date(day)
        return day.weekday() not in self.days_off and not self.is_holiday(day)

    def is_holiday(self, day):
        """Whether a date is one of the calendar's holidays (whatever the weekday)."""
        day = self._local_date(day)
        return (
            day in self.holidays
            or jalali_month_day(day) in self.yearly_holidays
            or (self.official_holidays and is_official_holiday(day))
        )

    def working_periods(self, day):
        """The working periods of a date as aware (start, end) datetimes; none on days off."""
        day = self._local_date(day)
        if not self.is_working_day(day):
            return []
        return [
            (
                datetime.datetime.combine(day, start, tzinfo=self.tz),
                datetime.datetime.combine(day, end, tzinfo=self.tz),
            )
            for start, end in self.hours
        ]

    def _local_date(self, day):
        if isinstance(day, datetime.datetime):
            return _aware(day).astimezone(self.tz).date()
        return day


def add_business_time(calendar, start, duration, pauses=()):
    """The moment `duration` of working time has elapsed after `start`, or None if paused.

    Time outside working periods and inside `pauses` ((start, end) intervals; end None
    means still paused) does not count. The result is the earliest such moment, so a
    deadline that uses up a period exactly falls on the period's end (16:00, not the next
    morning). A zero duration gives the next working, unpaused moment at or after `start`.
    While a pause is open the deadline is unknown (None), unless it fell before the pause.
    """
    if duration < ZERO:
        raise ValueError(f"negative duration: {duration}")
    start = _aware(start).astimezone(UTC)
    closed, open_from = _merged_pauses(pauses)
    remaining = duration
    for segment_start, segment_end in _working_segments(calendar, start, open_from, closed):
        if segment_end - segment_start >= remaining:
            return (segment_start + remaining).astimezone(calendar.tz)
        remaining -= segment_end - segment_start
    return None


def business_time_between(calendar, start, end, pauses=()):
    """Working time in [start, end) outside `pauses`; zero when end is not after start.

    An open pause (end None) stops the clock from its start on.
    """
    start, end = _aware(start).astimezone(UTC), _aware(end).astimezone(UTC)
    if end <= start:
        return ZERO
    closed, open_from = _merged_pauses(pauses)
    until = end if open_from is None else min(end, open_from)
    segments = _working_segments(calendar, start, until, closed)
    return sum((segment_end - segment_start for segment_start, segment_end in segments), ZERO)


def add_business_days(calendar, start, days):
    """The end of the `days`-th working day after start's day: a deadline in working days.

    With 0 it is the end of start's own day when that still has working time after `start`,
    otherwise of the next working day. A day with no working time left after `start` (a day
    off, or after closing) counts as if the request arrived on the next working day, so a
    request sent on Friday and one sent first thing on Saturday both get Saturday for 0 and 1.
    """
    if days < 0:
        raise ValueError(f"negative number of days: {days}")
    start = _aware(start).astimezone(UTC)
    day = start.astimezone(calendar.tz).date()
    periods = calendar.working_periods(day)
    if days == 0 and periods and periods[-1][1].astimezone(UTC) > start:
        return periods[-1][1]
    for _ in range(max(days, 1)):
        day = _next_working_day(calendar, day)
    return calendar.working_periods(day)[-1][1]


# -- helpers ---------------------------------------------------------------------------------


def _aware(moment):
    # A naive datetime could be local time or UTC depending on where it came from; guessing
    # would shift deadlines by hours, so refuse it.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"a timezone-aware datetime is needed, got {moment!r}")
    return moment


def _merged_pauses(pauses):
    """Closed pauses as sorted, merged UTC intervals, and when the open pause began (or None)."""
    closed, open_from = [], None
    for pause_start, pause_end in pauses:
        pause_start = _aware(pause_start).astimezone(UTC)
        if pause_end is None:
            open_from = pause_start if open_from is None else min(open_from, pause_start)
            continue
        pause_end = _aware(pause_end).astimezone(UTC)
        if pause_end < pause_start:
            raise ValueError(f"pause ends before it starts: {pause_start} - {pause_end}")
        if pause_end > pause_start:
            closed.append((pause_start, pause_end))
    merged = []
    for pause_start, pause_end in sorted(closed):
        if merged and pause_start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], pause_end))
        else:
            merged.append((pause_start, pause_end))
    return merged, open_from


def _working_segments(calendar, start, until, pauses):
    """Unpaused working time in [start, until) as ordered (start, end) UTC intervals.

    `until` None means no end; `pauses` are merged and sorted. Walks day by day and period
    by period, so long durations cost one step per working period, not per minute.
    """
    pause_index = 0
    for period_start, period_end in _utc_periods_from(calendar, start, until):
        if until is not None:
            period_end = min(period_end, until)
        cursor = max(period_start, start)
        while cursor < period_end:
            # Pauses are sorted and periods only move forward: a pause over is over for good.
            while pause_index < len(pauses) and pauses[pause_index][1] <= cursor:
                pause_index += 1
            if pause_index == len(pauses) or pauses[pause_index][0] >= period_end:
                yield cursor, period_end
                break
            pause_start, pause_end = pauses[pause_index]
            if pause_start > cursor:
                yield cursor, pause_start
            cursor = pause_end


def _utc_periods_from(calendar, start, until=None):
    """Working periods as UTC instants that end after `start` and begin before `until`."""
    day = start.astimezone(calendar.tz).date()
    idle_days = 0
    while until is None or _midnight(calendar, day) < until:
        periods = calendar.working_periods(day)
        idle_days = 0 if periods else idle_days + 1
        if idle_days > MAX_IDLE_DAYS:
            raise ValueError(f"no working day in the {MAX_IDLE_DAYS} days before {day}")
        for period_start, period_end in periods:
            period_start, period_end = period_start.astimezone(UTC), period_end.astimezone(UTC)
            if until is not None and period_start >= until:
                return
            if period_end > start:
                yield period_start, period_end
        day += ONE_DAY


def _midnight(calendar, day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=calendar.tz)


def _next_working_day(calendar, day):
    for offset in range(1, MAX_IDLE_DAYS + 1):
        if calendar.is_working_day(day + ONE_DAY * offset):
            return day + ONE_DAY * offset
    raise ValueError(f"no working day in the {MAX_IDLE_DAYS} days after {day}")
