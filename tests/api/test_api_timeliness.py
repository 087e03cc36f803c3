"""The timeliness summary through the API: per unit, on time / late / overdue / not yet due."""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from indicators.models import DispatchReport, ReportingPeriod
from tasks.models import Task

TZ = ZoneInfo("Asia/Shanghai")


def test_it_counts_reports_on_time_late_and_overdue_per_unit(plan, sync):
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)  # deadline 2024-04-05
    task = Task.objects.get(number=14)
    DispatchReport.objects.create(
        department=plan["ndrc"],
        task=task,
        period=period,
        first_submitted_at=datetime(2024, 4, 3, 10, tzinfo=TZ),
        state="submitted",
    )
    DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(number=16),
        period=period,
        first_submitted_at=datetime(2024, 4, 9, 10, tzinfo=TZ),
        state="submitted",
    )
    DispatchReport.objects.create(department=plan["commerce"], task=Task.objects.get(number=21), period=period)
    response = sync.get("/api/v1/timeliness/?period_from=2024-03-01&period_to=2024-03-31")
    assert response.status_code == 200
    rows = {row["slug"]: row for row in response.json()["results"]}
    ndrc = rows["ndrc"]
    assert (ndrc["total"], ndrc["on_time"], ndrc["late"], ndrc["overdue"]) == (2, 1, 1, 0)
    assert rows["ndrc"]["on_time_rate"] == 0.5
    assert rows["commerce"]["overdue"] == 1 and rows["commerce"]["on_time"] == 0


def test_it_answers_a_reversed_window_as_empty_and_refuses_a_non_date(plan, sync):
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    DispatchReport.objects.create(department=plan["commerce"], task=Task.objects.get(number=21), period=period)
    assert sync.get("/api/v1/timeliness/?period_from=2024-03-01&period_to=2024-03-31").json()["results"]
    response = sync.get("/api/v1/timeliness/?period_from=2024-04-01&period_to=2024-03-01")
    assert (response.status_code, response.json()["results"]) == (200, [])
    response = sync.get("/api/v1/timeliness/?period_from=not-a-date")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "period_from"


def test_it_needs_a_token(anon):
    assert anon.get("/api/v1/timeliness/").status_code == 401


@pytest.mark.parametrize(
    "day, month",
    [
        (date(2022, 11, 15), (2023, 1)),  # before the plan: its first month, as the overview shows
        (date(2023, 1, 15), (2023, 1)),  # before the first deadline: not the baseline year's December
        (date(2023, 2, 1), (2023, 1)),
        (date(2024, 6, 20), (2024, 5)),
        (date(2026, 12, 5), (2025, 12)),  # after the plan: its final month
    ],
)
def test_its_default_window_is_the_month_the_overview_shows(plan, sync, client_for, olga, day, month):
    with time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False):
        body = sync.get("/api/v1/timeliness/").json()
        overview = re.sub(r"<[^>]+>", "", client_for(olga).get("/").content.decode())
    first = date(*month, 1)
    assert date.fromisoformat(body["period_from"]) == first
    assert date.fromisoformat(body["period_to"]).replace(day=1) == first
    assert f"调度期：{month[0]}年{month[1]}月" in overview
