"""Which reports speak for a unit on a task's status (`indicators.selectors.progress_reports`), the one rule the
overview, the task page and the unit page read: submitted or approved, saying a progress, for a period that ended
in the 200 days up to the date, oldest period first."""

from datetime import timedelta

from indicators.models import DispatchReport
from indicators.selectors import progress_reports
from tasks.models import Department, Task
from tests.dashboards.data import period


def test_it_keeps_the_counted_reports_of_the_200_days_up_to_the_date_oldest_first(plan):
    ndrc, task = Department.objects.get(slug="ndrc"), Task.objects.get(number=14)
    as_of = period("monthly", 2025, 12).end

    def report(month, **fields):
        fields = {"state": "approved", "progress": "in_progress", **fields}
        return DispatchReport.objects.create(
            department=ndrc, task=task, period=period("monthly", 2025, month), **fields
        )

    june, september, november = report(6), report(9, state="submitted", progress="delayed"), report(11)
    report(10, state="draft")  # not submitted
    report(8, state="returned", progress="delayed")  # sent back: not the unit's word
    report(7, progress="")  # says no progress
    report(4)  # ended more than 200 days before
    assert as_of - period("monthly", 2025, 4).end > timedelta(days=200) >= as_of - june.period.end

    kept = list(progress_reports(as_of=as_of, reports=DispatchReport.objects.filter(task=task, department=ndrc)))

    assert kept == [june, september, november]
    assert (
        list(progress_reports(as_of=september.period.end, reports=DispatchReport.objects.filter(pk=november.pk))) == []
    )
