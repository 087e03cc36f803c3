"""Period calendars: pure functions, no Django.

Half-months (biweekly) run 1st–15th and 16th–end of month, 24 a year, so that they
roll up into months; months into quarters, quarters into half-years and years.
"""

import calendar
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

BIWEEKLY = "biweekly"
MONTHLY = "monthly"
QUARTERLY = "quarterly"
HALF_YEARLY = "half_yearly"
YEARLY = "yearly"
CADENCES = (BIWEEKLY, MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY)
PERIODS_PER_YEAR = {BIWEEKLY: 24, MONTHLY: 12, QUARTERLY: 4, HALF_YEARLY: 2, YEARLY: 1}


@dataclass(frozen=True)
class PeriodSpan:
    cadence: str
    year: int
    index: int
    start: date
    end: date


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def period_span(cadence: str, year: int, index: int) -> PeriodSpan:
    """The dates of period `index` (1-based) of `cadence` in `year`."""
    count = PERIODS_PER_YEAR[cadence]
    if not 1 <= index <= count:
        raise ValueError(f"{cadence} period index must be 1..{count}, got {index}")
    if cadence == BIWEEKLY:
        month = (index + 1) // 2
        if index % 2:
            start, end = date(year, month, 1), date(year, month, 15)
        else:
            start, end = date(year, month, 16), _month_end(year, month)
    else:
        months = 12 // count
        first = (index - 1) * months + 1
        start, end = date(year, first, 1), _month_end(year, first + months - 1)
    return PeriodSpan(cadence, year, index, start, end)


def periods_of_year(cadence: str, year: int) -> Iterator[PeriodSpan]:
    for index in range(1, PERIODS_PER_YEAR[cadence] + 1):
        yield period_span(cadence, year, index)


def period_containing(cadence: str, day: date) -> PeriodSpan:
    if cadence == BIWEEKLY:
        index = (day.month - 1) * 2 + (1 if day.day <= 15 else 2)
    else:
        index = (day.month - 1) // (12 // PERIODS_PER_YEAR[cadence]) + 1
    return period_span(cadence, day.year, index)


def months_elapsed(span: PeriodSpan) -> float:
    """How much of its year a period's end reaches, in months (a half-month counts 0.5)."""
    if span.end.day == 15:
        return span.end.month - 0.5
    return float(span.end.month)


def deadline_for(
    end: date,
    days: int,
    *,
    working_days: bool = False,
    is_workday: Callable[[date], bool] | None = None,
) -> date:
    """The deadline `days` after `end`.

    In calendar days by default. In working days when `working_days` is set: only
    days for which `is_workday` is true count (public holidays are skipped and the
    make-up working days, 调休, count).
    """
    if not working_days:
        return end + timedelta(days=days)
    check = is_workday or (lambda d: d.weekday() < 5)
    day, counted = end, 0
    while counted < days:
        day += timedelta(days=1)
        if check(day):
            counted += 1
    return day
