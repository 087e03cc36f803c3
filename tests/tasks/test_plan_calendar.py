"""The portal is right on every date: before, inside, at the end of and a year after the 2023–2025 plan.

The clock is moved with time-machine (dates are in Asia/Shanghai, the portal's zone).
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import ReportError, report_waive, reports_mark_overdue, reports_open
from indicators.selectors import current_period
from tasks.models import Task
from tasks.selectors import plan_get

TZ = ZoneInfo("Asia/Shanghai")

# (label, the day, the plan's phase, the current monthly period as (year, month) or None)
DATES = [
    ("before", date(2022, 11, 15), "before", None),
    ("inside", date(2024, 6, 20), "running", (2024, 5)),
    ("at the end", date(2025, 12, 31), "running", (2025, 11)),
    ("a year after", date(2026, 12, 1), "ended", (2025, 12)),
]


def _at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, 0, tzinfo=TZ), tick=False)


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "day", "phase", "current"), DATES, ids=[d[0] for d in DATES])
def test_the_plan_phase_and_the_current_period_follow_the_date(plan, label, day, phase, current):
    first = plan_get()
    with _at(day):
        from django.utils import timezone

        today = timezone.localdate()
        assert today == day
        assert first.phase_on(today) == phase
        period = current_period(today=today, plan=first)
        assert (None if period is None else (period.year, period.index)) == current


@pytest.mark.django_db
@pytest.mark.parametrize(("label", "day", "phase", "current"), DATES, ids=[d[0] for d in DATES])
def test_reports_fall_due_only_for_the_plan_years(plan, label, day, phase, current):
    with _at(day):
        reports_open(today=day)
    opened = DispatchReport.objects.all()
    years = set(opened.values_list("period__year", flat=True))
    assert years <= {2023, 2024, 2025}  # nothing for the baseline year, nothing after the plan
    if phase == "before":
        assert not opened.exists()
    else:
        assert max(opened.values_list("period__start", flat=True)) <= day


@pytest.mark.django_db
def test_after_the_last_year_nothing_new_falls_due_and_what_is_owed_stays_owed_until_waived(plan, olga):
    with _at(date(2026, 1, 20)):
        reports_open(today=date(2026, 1, 20))
    count = DispatchReport.objects.count()
    with _at(date(2026, 12, 1)):
        assert reports_open(today=date(2026, 12, 1)) == 0  # no biweekly or monthly report of 2026
        reports_mark_overdue(today=date(2026, 12, 1))
    assert DispatchReport.objects.count() == count
    assert not DispatchReport.objects.filter(period__end__gt=plan_get().end).exists()
    owed = DispatchReport.objects.filter(
        state=DispatchReport.State.PENDING,
        period__cadence="monthly",
        period__year=2025,
        period__index=12,
        department=plan["ndrc"],
    ).first()
    assert owed.overdue_since is not None  # still owed, and overdue
    with pytest.raises(ReportError):
        report_waive(report=owed, user=olga, reason="  ")
    waived = report_waive(report=owed, user=olga, reason="方案到期，并入年度总结")
    assert (waived.state, waived.waive_reason, waived.waived_by) == ("waived", "方案到期，并入年度总结", olga)
    with pytest.raises(ReportError):
        report_waive(report=waived, user=olga, reason="again")


@pytest.mark.django_db
def test_the_unit_page_never_shows_a_negative_day_count(plan, client_for, olga):
    """A returned report whose deadline passed long ago reads as past due, not as 「还剩-331天」."""
    period = ReportingPeriod.objects.get(plan=plan_get(), cadence="monthly", year=2025, index=12)
    DispatchReport.objects.create(
        department=plan["ndrc"],
        task=Task.objects.get(plan=plan_get(), number=14),
        period=period,
        state=DispatchReport.State.RETURNED,
        first_submitted_at=datetime(2026, 1, 3, 9, tzinfo=TZ),
    )
    with _at(date(2026, 12, 1)):
        page = client_for(olga).get("/departments/ndrc/").content.decode()
    assert not re.search(r"还剩-\d+天", page)
    assert "已过截止日" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "phrase"),
    [
        (date(2022, 11, 15), "方案尚未开始"),
        (date(2024, 6, 20), "方案执行中"),
        (date(2026, 12, 1), "收尾中"),
    ],
)
def test_the_overview_speaks_of_the_plan_by_its_phase(plan, client_for, olga, day, phrase):
    with _at(day):
        page = client_for(olga).get("/").content.decode()
    assert phrase in page
    if day > plan_get().end:
        assert "方案期末调度期" in page


@pytest.mark.django_db
def test_the_final_years_statistics_arriving_the_year_after_still_move_progress(plan, olga):
    """In late 2026 the province's 2025 figure comes in: accepted, and the 2025 goal is judged on it."""
    from indicators.models import IndicatorValue, ProgressResult
    from indicators.progress.services import progress_recompute
    from indicators.reporting.services import values_import

    def row(year, value):
        return {
            "zone": "lufeng",
            "indicator": "industrial-output",
            "period": {"cadence": "monthly", "year": year, "index": 12},
            "value": value,
        }

    values_import(rows=[row(2022, "610")], user=olga)  # the baseline
    with _at(date(2026, 11, 20)):
        summary = values_import(rows=[row(2025, "1250")], user=olga)
        assert not summary.errors and summary.created == 1
        progress_recompute()
    value = IndicatorValue.objects.get(
        indicator__code="industrial-output",
        zone=plan["lufeng"],
        period__year=2025,
        period__index=12,
        period__cadence="monthly",
    )
    result = ProgressResult.objects.get(
        target__indicator__code="industrial-output", target__zone=plan["lufeng"], target__year=2025, period=value.period
    )
    assert (result.actual, result.status) == (1250, "green")  # 1250 ≥ the committed 1200


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("day", "label", "shown"),
    [
        (date(2025, 12, 31), "调度期", "2025年11月"),
        (date(2026, 1, 3), "调度期", "2025年11月"),  # the final period's deadline (5 January) is still ahead
        (date(2026, 1, 6), "方案期末调度期", "2025年12月"),
        (date(2026, 12, 5), "方案期末调度期", "2025年12月"),
    ],
)
def test_only_the_plans_last_period_is_named_its_final_one(plan, client_for, olga, day, label, shown):
    with _at(day):
        page = client_for(olga).get("/").content.decode()
    text = re.sub(r"<[^>]+>", "", page)
    assert re.search(rf"(方案期末)?调度期：{shown}", text).group(0) == f"{label}：{shown}"
