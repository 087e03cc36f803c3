"""Dashboards: the to-do page's report rows, written once in Python rather than included row by row."""

from datetime import date

from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from indicators.models import DispatchReport


def report_rows(reports, *, today: date, show_unit: bool) -> list[SafeString]:
    """Each report as its row of the to-do page's tables: the report, its period, its deadline, its state (overdue
    when neither submitted nor approved by the deadline, late when first submitted after it). The fixed words are
    translated once, the report links made with one `reverse`."""
    e = conditional_escape
    states = {value: str(label) for value, label in DispatchReport.State.choices}
    zone_words, overdue_words, late_words = _("园区指标"), _("逾期"), _("迟报")
    day_format = _("Y年n月j日")
    url_head, url_tail = reverse("report-detail", args=[0]).rsplit("0", 1)
    rows = []
    for r in reports:
        period = r.period
        overdue = r.state != "approved" and r.state != "submitted" and period.deadline < today
        what = f"{e(r.task.number)}. {e(r.task.title)}" if r.task else f"{e(r.zone.name)} · {zone_words}"
        unit = f'<div class="muted small">{e(r.department or r.zone)}</div>' if show_unit else ""
        late = r.first_submitted_at and r.first_submitted_at.date() > period.deadline
        overdue_badge = f'<span class="badge overdue">{overdue_words}</span>' if overdue else ""
        late_badge = f'<span class="badge late">{late_words}</span>' if late else ""
        rows.append(
            mark_safe(
                f'<tr class="state-{e(r.state)}{" overdue" if overdue else ""}">\n'
                f'  <td class="wrap"><a href="{url_head}{r.pk}{url_tail}">{what}</a>\n'
                f"    {unit}</td>\n"
                f"  <td>{e(period.label)}</td>\n"
                f"  <td>{e(date_filter(period.deadline, day_format))}</td>\n"
                f'  <td><span class="badge {e(r.state)}">{e(states.get(r.state, r.state))}</span>\n'
                f"    {overdue_badge}\n"
                f"    {late_badge}\n"
                "  </td>\n"
                "</tr>\n"
            )
        )
    return rows
