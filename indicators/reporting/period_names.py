"""The names of reporting periods and of days, in the reader's language, chosen where they are shown.

A period is (cadence, year, index); its name is worded here with gettext: in Chinese the name users know
(2025年12月, 2025年12月上半月, 2025年第四季度, 2025年上半年, 2025年度), in English 12/2025, first half of 12/2025,
Q4 2025, H1 2025, year 2025.
"""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

_QUARTERS = (
    gettext_lazy("%(year)s年第一季度"),
    gettext_lazy("%(year)s年第二季度"),
    gettext_lazy("%(year)s年第三季度"),
    gettext_lazy("%(year)s年第四季度"),
)
_HALVES = (gettext_lazy("%(year)s年上半年"), gettext_lazy("%(year)s年下半年"))


def period_name(cadence: str, year: int, index: int) -> str:
    """The name of period `index` (1-based) of `cadence` in `year`, in the active language."""
    if cadence == "biweekly":
        values = {"year": year, "month": (index + 1) // 2}
        return (_("%(year)s年%(month)s月上半月") if index % 2 else _("%(year)s年%(month)s月下半月")) % values
    if cadence == "monthly":
        return _("%(year)s年%(index)s月") % {"year": year, "index": index}
    if cadence == "quarterly":
        return str(_QUARTERS[index - 1]) % {"year": year}
    if cadence == "half_yearly":
        return str(_HALVES[index - 1]) % {"year": year}
    return _("%(year)s年度") % {"year": year}


def month_name(day: date) -> str:
    """The month of a day, e.g. 2025年12月 (12/2025 in English), as a monthly period is named."""
    return period_name("monthly", day.year, day.month)
