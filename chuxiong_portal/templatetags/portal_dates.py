"""`day`, `moment` and `short_day`: a template shows a date the one way `chuxiong_portal.dates` words it.

`{{ item.deadline|day }}` → 2026年1月10日 (10 Jan 2026), `{{ report.submitted_at|moment }}` → 2026年1月10日 14:05
(local time), `{{ m.planned_on|short_day }}` → 1月10日 where the table states the year. None reads "", so
`|day|default:"—"` works. Never for a form's value or a machine field: those stay ISO.
"""

from django import template

from chuxiong_portal import dates

register = template.Library()

register.filter("day", dates.day)
register.filter("moment", dates.moment)
register.filter("short_day", dates.short_day)
