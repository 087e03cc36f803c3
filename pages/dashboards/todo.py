"""Dashboards: the to-do page's report rows, written once in Python rather than included row by row."""

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from chuxiong_portal import dates
from indicators.models import DispatchReport
from indicators.reporting.period_names import period_name
from indicators.reporting.rules import is_overdue


def report_rows(reports, *, today: date, show_unit: bool) -> list[SafeString]:
    """Each report as its row of the to-do page's tables: the report, its period, its deadline, its state (overdue
    when never submitted by the deadline, `rules.is_overdue`; late when first submitted after it). The reports are
    read as plain rows (not four models each), the fixed words and each period's name chosen once, the report links
    made with one `reverse`."""
    e = conditional_escape
    states = {value: str(label) for value, label in DispatchReport.State.choices}
    zone_words, overdue_words, late_words = _("园区指标"), _("逾期"), _("迟报")
    # Each cell names its column, for the table stacked as cards on a phone (`table.stack`).
    period_label, deadline_label, state_label = (e(_(word)) for word in ("调度期", "截止日期", "状态"))
    url_head, url_tail = reverse("report-detail", args=[0]).rsplit("0", 1)
    labels: dict[tuple, str] = {}
    days: dict[date, str] = {}
    rows = []
    for (
        pk,
        state,
        first_submitted_at,
        task_id,
        number,
        title,
        department_id,
        department,
        zone,
        *period,
        deadline,
    ) in reports.values_list(
        "pk",
        "state",
        "first_submitted_at",
        "task_id",
        "task__number",
        "task__title",
        "department_id",
        "department__name",
        "zone__name",
        "period__cadence",
        "period__year",
        "period__index",
        "period__deadline",
    ):
        label = labels.get(tuple(period))
        if label is None:
            label = labels[tuple(period)] = e(period_name(*period))
        day = days.get(deadline)
        if day is None:
            day = days[deadline] = e(dates.day(deadline))
        overdue = is_overdue(state=state, first_submitted_at=first_submitted_at, deadline=deadline, today=today)
        what = f"{e(number)}. {e(title)}" if task_id else f"{e(zone)} · {zone_words}"
        unit = f'<div class="muted small">{e(department if department_id else zone)}</div>' if show_unit else ""
        # The deadline is a day in the portal's time zone: a submission at 00:30 the day after is late.
        late = first_submitted_at and timezone.localtime(first_submitted_at).date() > deadline
        overdue_badge = f'<span class="badge overdue">{overdue_words}</span>' if overdue else ""
        late_badge = f'<span class="badge late">{late_words}</span>' if late else ""
        rows.append(
            mark_safe(
                f'<tr class="state-{e(state)}{" overdue" if overdue else ""}">\n'
                f'  <td class="wrap"><a href="{url_head}{pk}{url_tail}">{what}</a>\n'
                f"    {unit}</td>\n"
                f'  <td data-label="{period_label}">{label}</td>\n'
                f'  <td data-label="{deadline_label}">{day}</td>\n'
                f'  <td data-label="{state_label}">'
                f'<span class="badge {e(state)}">{e(states.get(state, state))}</span>\n'
                f"    {overdue_badge}\n"
                f"    {late_badge}\n"
                "  </td>\n"
                "</tr>\n"
            )
        )
    return rows
