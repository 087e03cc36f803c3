"""Reminders and overdue notices go only for reports their unit can still deliver: not for a period the office has
closed (已关闭: the form refuses every save), not for a plan the office has closed (its record is complete)."""

from datetime import date

import pytest

from chuxiong_portal.models import Notification
from indicators.models import DispatchReport, ReportingPeriod
from indicators.reporting.services import ReportError, ReportInput, reminders_send, report_save, reports_mark_overdue
from tasks.models import Plan, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def owed(plan):
    """March 2024's report of 州发展改革委 on task 14: deadline Friday 5 April 2024 (4 April is Qingming)."""
    period = ReportingPeriod.objects.get(cadence="monthly", year=2024, index=3)
    return DispatchReport.objects.create(department=plan["ndrc"], task=Task.objects.get(number=14), period=period)


def test_a_closed_period_is_neither_reminded_nor_called_overdue_to_its_unit(owed, alice):
    ReportingPeriod.objects.filter(pk=owed.period_id).update(is_locked=True)
    owed.refresh_from_db()
    with pytest.raises(ReportError, match="该调度期已关闭"):  # what the unit meets when it follows the notice
        report_save(report=owed, user=alice, data=ReportInput(work_done="x"), version=owed.version, submit=True)

    assert reminders_send(today=date(2024, 4, 3), working_days=2) == 0
    assert reports_mark_overdue(today=date(2024, 4, 6)) == 0
    assert not Notification.objects.filter(user=alice).exists()

    # The office opens the period again: the report is owed, and overdue, and its unit is told so once.
    ReportingPeriod.objects.filter(pk=owed.period_id).update(is_locked=False)
    assert reports_mark_overdue(today=date(2024, 4, 7)) == 1
    assert list(Notification.objects.filter(user=alice).values_list("title", flat=True)) == [f"已逾期：{owed}"]
    assert reports_mark_overdue(today=date(2024, 4, 8)) == 0


def test_a_closed_plan_owes_nothing_more_and_reminds_no_one(owed, alice):
    Plan.objects.filter(pk=owed.period.plan_id).update(status=Plan.Status.CLOSED)
    assert reminders_send(today=date(2024, 4, 3), working_days=2) == 0
    assert reports_mark_overdue(today=date(2024, 4, 6)) == 0
    assert not Notification.objects.filter(user=alice).exists()

    Plan.objects.filter(pk=owed.period.plan_id).update(status=Plan.Status.CLOSING)  # closing: still owed
    assert reminders_send(today=date(2024, 4, 3), working_days=2) == 1
    assert reports_mark_overdue(today=date(2024, 4, 6)) == 1
    assert Notification.objects.filter(user=alice).count() == 2
