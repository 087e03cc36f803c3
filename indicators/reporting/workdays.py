"""Working days in mainland China: public holidays are off, make-up days (调休) are worked."""

from datetime import date

import chinese_calendar


def is_workday(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # Years the calendar does not know yet (published each November): weekdays only.
        return day.weekday() < 5
