"""The task page (targets' progress, the units' reports over time) and the unit page (what it owes, on time)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from indicators.models import DispatchReport
from indicators.reporting.services import report_waive
from tasks.models import Task
from tests.dashboards.data import period
from tests.dashboards.test_overview_page import chart_spec


def test_a_task_page_shows_its_targets_with_their_latest_progress(client_for, olga, data):
    response = client_for(olga).get(reverse("task-detail", args=[9]))
    rows = response.context["target_rows"]
    pv = next(r for r in rows if r["target"].cluster and r["target"].cluster.code == "pv")
    assert pv["result"] is not None and pv["result"].period.label == "2025年第四季度"
    assert pv["card"]["status"] in {"green", "amber", "red"}
    html = response.content.decode()
    assert pv["card"]["reason"] in html
    assert "州工业和信息化局" in html  # still the lead unit, first


def test_a_task_page_draws_every_units_reports_as_a_timeline(client_for, olga, data):
    html = client_for(olga).get(reverse("task-detail", args=[14])).content.decode()
    spec = chart_spec(html, "chart-timeline-monthly")
    assert spec["kind"] == "heatmap" and spec["y"] == ["州发展改革委"]
    assert spec["x"] == ["2025年12月"]
    (cell,) = spec["cells"]
    labels = {item["code"]: item["label"] for item in spec["legend"]}
    assert labels[cell["value"][2]] == "滞后"
    assert "迟报2天" in cell["tip"]
    assert cell["url"] == DispatchReport.objects.get(task__number=14, department__slug="ndrc").get_absolute_url()
    assert "滞后" in html and "要素保障不足" in html


def test_a_unit_page_lists_what_it_owes_by_deadline(client_for, olga, data, plan):
    today = timezone.localdate()
    later = DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=15),
        period=period("quarterly", 2025, 4),
        state="returned",
        first_submitted_at=timezone.now() - timedelta(days=400),
    )
    response = client_for(olga).get(reverse("department-detail", args=["ndrc"]))
    owed = response.context["owed"]
    assert [r.period.deadline for r in owed] == sorted(r.period.deadline for r in owed)
    assert later in owed
    overdue = [r for r in owed if r.is_overdue]
    assert [r.task.number for r in overdue] == [7]  # never submitted; the returned one was
    assert response.context["overdue_count"] == 1
    assert all(r.period.start <= today for r in owed)


def test_a_unit_page_shows_its_on_time_record_by_year(client_for, olga, data):
    response = client_for(olga).get(reverse("department-detail", args=["ndrc"]))
    (row,) = response.context["record"]
    assert (row["period__year"], row["total"], row["on_time"], row["late"], row["overdue"]) == (2025, 2, 0, 1, 1)
    assert row["rate"] == "0.0%"
    html = response.content.decode()
    assert chart_spec(html, "chart-ontime")["categories"] == ["2025年"]
    assert "进展正常" in html or "滞后" in html  # the status of each of its tasks


@pytest.mark.parametrize("day", [date(2026, 1, 5), date(2026, 1, 6), date(2026, 12, 5)])
def test_a_waived_report_reads_waived_on_the_task_timeline_before_and_after_its_deadline(
    client_for, olga, plan, day, settings
):
    """州发展改革委's 2025年12月 report, waived by the office, read 未到截止日 and from 2026-01-06 逾期未报."""
    settings.PORTAL_PAGE_CACHE_SECONDS = 0
    waived = DispatchReport.objects.create(
        department=plan["ndrc"], task=Task.objects.get(number=14), period=period("monthly", 2025, 12)
    )  # deadline 2026-01-05
    report_waive(report=waived, user=olga, reason="方案已到期，经州开发区办同意免报")
    owed = DispatchReport.objects.create(
        department=plan["commerce"], task=Task.objects.get(number=14), period=period("monthly", 2025, 12)
    )
    with time_machine.travel(day, tick=False):
        response = client_for(olga).get(reverse("task-detail", args=[14]))
    spec = chart_spec(response.content.decode(), "chart-timeline-monthly")
    labels = {item["code"]: item["label"] for item in spec["legend"]}
    cells = {cell["url"]: labels[cell["value"][2]] for cell in spec["cells"]}
    assert cells[waived.get_absolute_url()] == "已免报"
    assert cells[owed.get_absolute_url()] == ("逾期未报" if day > date(2026, 1, 5) else "未到截止日")
    # The chart's table (what a screen reader and a phone read) says the same.
    html = response.content.decode()
    table = html[html.index('id="chart-timeline-monthly"') :]
    assert '州发展改革委</th><td class="num">已免报</td>' in table.split("</table>", 1)[0]
