"""The task page reads its status and its units' delayed reports with `task_progress`: they must be what the overview
reads through `indicators.selectors.task_statuses`, for every task and date."""

from datetime import date

import pytest

from indicators.models import DispatchReport
from indicators.selectors import task_statuses
from pages.dashboards.tasks import task_progress
from tasks.models import Task


@pytest.mark.parametrize("as_of", [date(2023, 3, 31), date(2024, 6, 30), date(2025, 12, 31), date(2026, 12, 2)])
def test_a_tasks_progress_is_its_task_status(data, as_of):
    DispatchReport.objects.filter(task__number=9, state__in=["submitted", "approved"]).update(progress="delayed")
    statuses, delayed = set(), 0
    for task in Task.objects.all():
        entry = task_statuses(as_of=as_of, plan=task.plan_id, tasks=Task.objects.filter(pk=task.pk))[task.number]
        status, reports = task_progress(task=task, as_of=as_of)
        assert status == entry["status"], task.number
        assert [(r.pk, r.department) for r in reports] == [(r.pk, r.department) for r in entry["delayed_reports"]]
        statuses.add(status)
        delayed += len(reports)
    if as_of == date(2025, 12, 31):
        assert len(statuses) >= 2 and delayed  # not blind: the statuses differ and some reports say 滞后
