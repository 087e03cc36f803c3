"""How a day and a moment read wherever the portal shows one: one convention, worded in the reader's language.

The prefecture's staff read dates as their official documents write them, so a page, a message, a notice and
the bulletin all say:

- a day (a deadline, a due date, a planned or reached milestone): 2026年1月10日 · 10 Jan 2026 (`day`);
- a moment (when something was saved, submitted, signed): 2026年1月10日 14:05 · 10 Jan 2026 14:05, in the
  portal's time zone (`moment`);
- a day in a dense table where the year is the table's own (the board's milestones): 1月10日 · 10 Jan
  (`short_day`); a day of another year is written in full.

The formats are gettext msgids (Django date-format letters), so English reads English. Machine-read dates keep ISO
(YYYY-MM-DD) and never pass through here: an `<input type=date>`'s value (`forms.DateInput`), hidden `seen`
tokens, the API, JSON for the charts, CSV and the Excel files' date cells and hidden keys.
"""

from datetime import date, datetime

from django.utils import dateformat, timezone
from django.utils.translation import gettext as _


def _local(value: date) -> date:
    """An aware date-time in the portal's time zone (Asia/Shanghai); a date or naive date-time as it is."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def day(value: date | None) -> str:
    """A day, e.g. 2026年1月10日 (10 Jan 2026 in English); a date-time's local day; "" for None."""
    if not value:  # None, or a template's missing variable ("")
        return ""
    value = _local(value)
    return dateformat.format(value.date() if isinstance(value, datetime) else value, _("Y年n月j日"))


def moment(value: datetime | None) -> str:
    """A moment, e.g. 2026年1月10日 14:05 (10 Jan 2026 14:05 in English), in local time; a plain date reads as
    `day`; "" for None."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return day(value)
    return dateformat.format(_local(value), _("Y年n月j日 H:i"))


def short_day(value: date | None) -> str:
    """A day without its year, e.g. 1月10日 (10 Jan in English), for a dense table whose year is stated once."""
    if not value:
        return ""
    value = _local(value)
    return dateformat.format(value.date() if isinstance(value, datetime) else value, _("n月j日"))
