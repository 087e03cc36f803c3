"""The task page (targets' progress, the units' reports over time) and the unit page (what it owes, on time)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from indicators.models import DispatchReport
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
