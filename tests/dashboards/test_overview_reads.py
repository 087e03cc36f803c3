"""The overview's reads as keys and plain rows say what the results and reports read as models say.

The overview and the bulletin read every target's latest result as one number (key and status) and the units'
latest reports as plain rows; these tests read the same with models, the slow way, and compare.
"""

from datetime import timedelta

from indicators.models import DispatchReport, ProgressResult, ReportingPeriod, Target
from indicators.progress.rollup import task_status
from indicators.selectors import latest_results, task_statuses
from pages.dashboards import latest_judged
from pages.dashboards.common import latest_judged_statuses
from tasks.selectors import plan_get
from tests.dashboards.data import grow


def _month_ends(plan) -> list:
    ends = sorted(set(ReportingPeriod.objects.filter(plan=plan, cadence="monthly").values_list("end", flat=True)))
    return [ends[0] - timedelta(days=1), *ends[:: max(1, len(ends) // 6)], ends[-1]]


def test_the_latest_judged_statuses_are_the_latest_judged_results(plan):
    grow()
    plan = plan_get()
    targets = Target.objects.filter(indicator__plan=plan)
    # A latest result with a figure but no judgement (grey): the judgement before it is read, not the figure.
    latest = ProgressResult.objects.filter(target__in=targets, actual__isnull=False).exclude(status="grey")
    regraded = latest.order_by("-period_end", "pk").first()
    ProgressResult.objects.filter(pk=regraded.pk).update(status="grey")
    seen = set()
    for as_of in _month_ends(plan):
        expected = {t: (r.pk, r.status) for t, r in latest_judged(as_of=as_of, targets=targets).items()}

        assert latest_judged_statuses(as_of=as_of, targets=targets) == expected, as_of
        seen |= {status for _pk, status in expected.values()}
    assert expected[regraded.target_id][0] != regraded.pk
    assert seen == {"green", "amber", "red", "grey"}, "every status should be read back at some date"


def test_each_tasks_status_and_delayed_units_are_those_of_its_latest_results_and_reports(plan):
    grow()
    plan = plan_get()
    for as_of in _month_ends(plan)[1:]:
        statuses = task_statuses(as_of=as_of, plan=plan)
        targets = Target.objects.filter(indicator__plan=plan, indicator__task__isnull=False)
        by_task: dict[int, list[str]] = {}
        for result in latest_results(as_of=as_of, targets=targets).values():
            by_task.setdefault(result.target.indicator.task_id, []).append(result.status)
        latest: dict[tuple, DispatchReport] = {}
        for report in (
            DispatchReport.objects.filter(
                task__isnull=False,
                state__in=[DispatchReport.State.SUBMITTED, DispatchReport.State.APPROVED],
                period__end__lte=as_of,
                period__end__gt=as_of - timedelta(days=200),
            )
            .exclude(progress="")
            .select_related("department")
            .order_by("period__end", "pk")
        ):
            latest[(report.task_id, report.department_id)] = report
        delayed = 0
        for entry in statuses.values():
            task = entry["task"]
            reports = [r for (t, _unit), r in latest.items() if t == task.pk]
            expected = task_status(
                target_statuses=sorted(by_task.get(task.pk, [])), report_progress=[r.progress for r in reports]
            )
            assert entry["status"] == expected, (as_of, task.number)
            wanted = [r for r in reports if r.progress == DispatchReport.Progress.DELAYED]
            # The models the pages read: unit (by name), link, delay reason, problems and visibility.
            assert [
                (r.pk, str(r.department), r.get_absolute_url(), r.delay_reason, r.problems, r.state, r.zone_id)
                for r in entry["delayed_reports"]
            ] == [
                (r.pk, str(r.department), r.get_absolute_url(), r.delay_reason, r.problems, r.state, r.zone_id)
                for r in wanted
            ], (as_of, task.number)
            delayed += len(wanted)
    assert delayed, "the demo history should have delayed reports at its last period"
