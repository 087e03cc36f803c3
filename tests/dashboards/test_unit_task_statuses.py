"""The unit page reads its tasks' statuses as plain rows (`task_status_codes`): they must be the statuses the
overview and the task page read through `indicators.selectors.task_statuses`, for every unit, plan and date."""

from datetime import date, timedelta

import pytest

from indicators.models import DispatchReport
from indicators.selectors import task_statuses
from pages.dashboards.tasks import task_status_codes
from tasks.models import Department, Task
from tasks.selectors import plan_get
from tests.dashboards.data import period


@pytest.fixture
def more_reports(data):
    """An older report saying 推进中 before the unit's latest 滞后, a submitted one without a progress, and a returned
    one: the latest counted report of each unit wins, the others count nowhere."""
    ndrc, miit = Department.objects.get(slug="ndrc"), Department.objects.get(slug="miit")
    task14, task9 = Task.objects.get(number=14), Task.objects.get(number=9)
    earlier = period("monthly", 2025, 11)
    DispatchReport.objects.create(
        department=ndrc, task=task14, period=earlier, state="approved", progress="in_progress"
    )
    DispatchReport.objects.create(department=ndrc, task=task9, period=earlier, state="submitted", progress="")
    DispatchReport.objects.create(department=miit, task=task14, period=earlier, state="returned", progress="delayed")
    return data


@pytest.mark.parametrize("as_of", [date(2023, 3, 31), date(2024, 6, 30), date(2025, 12, 31), date(2026, 12, 2)])
@pytest.mark.parametrize("with_plan", [True, False])
def test_the_unit_pages_statuses_are_the_task_statuses(more_reports, as_of, with_plan):
    plan = plan_get() if with_plan else None
    seen = set()
    for department in Department.objects.filter(responsibilities__isnull=False).distinct():
        tasks = Task.objects.filter(responsibilities__department=department)
        expected = {
            number: entry["status"] for number, entry in task_statuses(as_of=as_of, plan=plan, tasks=tasks).items()
        }
        shown = tasks.filter(plan=plan) if plan is not None else tasks
        assert task_status_codes(as_of=as_of, plan=plan, tasks=numbers(shown)) == expected, department.slug
        seen.update(expected.values())
    if as_of == date(2025, 12, 31):
        assert "red" in seen and len(seen) >= 2  # the comparison is not blind: the statuses differ between tasks


def test_the_latest_report_decides(more_reports):
    """Task 14's unit said 推进中 in November and 滞后 in December: red as of December, green as of November."""
    tasks = Task.objects.filter(number=14)
    november = period("monthly", 2025, 11).end
    assert task_status_codes(as_of=november + timedelta(days=40), tasks=numbers(tasks))[14] == "red"
    assert task_status_codes(as_of=november, tasks=numbers(tasks))[14] in {"green", "amber"}


def test_a_delayed_reports_unit_is_read_whole_without_another_query(data, django_assert_num_queries):
    ndrc = Department.objects.get(slug="ndrc")
    ndrc.other_names = ["州粮食和物资储备局", "州能源局"]
    ndrc.save(update_fields=["other_names"])
    task7 = Task.objects.get(number=7)
    DispatchReport.objects.update_or_create(
        department=ndrc,
        task=task7,
        period=period("monthly", 2025, 12),
        defaults={"state": "approved", "progress": "delayed"},
    )
    statuses = task_statuses(as_of=date(2025, 12, 31), plan=plan_get())
    (report,) = [r for r in statuses[7]["delayed_reports"] if r.department_id == ndrc.pk]
    with django_assert_num_queries(0):
        unit = report.department
        assert (unit.pk, unit.slug, unit.name, unit.kind, unit.order) == (
            ndrc.pk,
            ndrc.slug,
            ndrc.name,
            ndrc.kind,
            ndrc.order,
        )
        assert unit.other_names == ["州粮食和物资储备局", "州能源局"]


def numbers(tasks) -> dict[int, int]:
    return dict(tasks.values_list("pk", "number"))
