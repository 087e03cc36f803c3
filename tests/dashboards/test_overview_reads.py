"""The overview's reads as keys and plain rows say what the results and reports read as models say.

The overview and the bulletin read every target's latest result as one number (key and status) and the units'
latest reports as plain rows; these tests read the same with models, the slow way, and compare.
"""

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.utils import timezone

from assessments.models import Flag, Rule
from indicators.models import DispatchReport, ProgressResult, ReportingPeriod, Target
from indicators.models.progress import result_spans_refresh
from indicators.progress import spans
from indicators.progress.rollup import task_status
from indicators.selectors import latest_results, task_statuses
from pages.dashboards import flags_open_and_new, latest_judged
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
    result_spans_refresh([regraded.target_id])  # changed outside the recompute, as the admin's save does
    # The rule itself (`spans.picked`) over every stored result, target by target.
    rows: dict[int, list] = {}
    for pk, target_id, end, status, actual in (
        ProgressResult.objects.filter(target__in=targets)
        .order_by("target_id", "period_end", "pk")
        .values_list("pk", "target_id", "period_end", "status", "actual")
    ):
        rows.setdefault(target_id, []).append((pk, status, (end, status != "grey", actual is not None)))
    seen = set()
    ends = _month_ends(plan)
    # Read at each date alone, and at every date at once: the same.
    target_ids = set(targets.values_list("pk", flat=True))
    at_once = latest_judged_statuses(dates=ends, target_ids=target_ids)
    for as_of, read_together in zip(ends, at_once, strict=True):
        expected = {}
        for target_id, results in rows.items():
            place = spans.picked([facts for _pk, _status, facts in results], spans.SHOWN, as_of)
            if place is not None:
                expected[target_id] = results[place][:2]

        assert {t: (r.pk, r.status) for t, r in latest_judged(as_of=as_of, targets=targets).items()} == expected
        assert latest_judged_statuses(dates=[as_of], target_ids=target_ids) == [expected], as_of
        assert read_together == expected, as_of
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


@time_machine.travel(datetime(2026, 1, 5, 10, tzinfo=UTC), tick=False)  # 18:00 in Chuxiong: the window's last day
def test_the_open_and_new_flags_read_together_are_those_read_apart(plan):
    """Every mix of outcome and state, raised before, at either edge of and inside the window, and after it; the
    window has not ended, so the flags are read as they stand."""
    zones = [plan["lufeng"], plan["hitech"], plan["wuding"]]
    # 12-06 07:00 and 09:00 in Chuxiong (inside), 2026-01-06 00:00 (past the window's last day); 12-05 23:00.
    raised = [
        datetime(2025, 12, 5, 15, tzinfo=UTC),
        datetime(2025, 12, 5, 23, tzinfo=UTC),
        datetime(2025, 12, 6, 1, tzinfo=UTC),
        datetime(2026, 1, 5, 16, tzinfo=UTC),
    ]
    n = 0
    for outcome in Flag.Outcome.values:
        for state in Flag.State.values:
            for moment in raised:
                n += 1
                flag = Flag.objects.create(
                    zone=zones[n % 3], year=2000 + n, rule=Rule.BOTTOM_FIVE, outcome=outcome, state=state
                )
                Flag.objects.filter(pk=flag.pk).update(created_at=moment)
    start, end = date(2025, 12, 6), date(2026, 1, 5)
    ordered = Flag.objects.order_by("-year", "zone__order", "rule", "pk")
    still_open, new = flags_open_and_new(start=start, end=end)
    expected_open = ordered.filter(outcome=Flag.Outcome.FIRED, state__in=[Flag.State.OPEN, Flag.State.ACKNOWLEDGED])
    since = timezone.make_aware(datetime(2025, 12, 6))
    until = timezone.make_aware(datetime(2026, 1, 6))
    expected_new = ordered.filter(created_at__gte=since, created_at__lt=until).exclude(state=Flag.State.WITHDRAWN)
    assert still_open == list(expected_open) and len(still_open) == 8
    assert new == list(expected_new) and len(new) == 12


def _at(moment: datetime, action):
    with time_machine.travel(moment, tick=False):
        return action()


def test_a_window_that_has_ended_reads_the_flags_as_they_stood_at_its_end(plan, olga, django_assert_num_queries):
    """A period's bulletin read later lists the flags open at the period's end, not those open today: one handled
    since is still open there, one raised since is not there, and one raised in the window and withdrawn since is
    still new there. Read at three dates, the window's own and two later ones."""
    from assessments.services import flag_transition

    zones = [plan["lufeng"], plan["hitech"], plan["wuding"]]

    def raised(zone, year, when):
        return _at(when, lambda: Flag.objects.create(zone=zone, year=year, rule=Rule.BOTTOM_FIVE))

    handled_later = raised(zones[0], 2023, datetime(2025, 3, 1, 2, tzinfo=UTC))
    resolved_before = raised(zones[1], 2023, datetime(2025, 3, 2, 2, tzinfo=UTC))
    new_then_withdrawn = raised(zones[2], 2024, datetime(2025, 5, 10, 2, tzinfo=UTC))
    raised_later = raised(zones[1], 2024, datetime(2025, 8, 1, 2, tzinfo=UTC))

    def resolve(flag):
        return flag_transition(flag=Flag.objects.get(pk=flag.pk), user=olga, state=Flag.State.RESOLVED, note="已整改")

    _at(datetime(2025, 4, 1, 2, tzinfo=UTC), lambda: resolve(resolved_before))
    _at(datetime(2025, 6, 15, 2, tzinfo=UTC), lambda: resolve(handled_later))
    withdrawn = Flag.objects.get(pk=new_then_withdrawn.pk)
    withdrawn.state = Flag.State.WITHDRAWN
    _at(datetime(2025, 7, 1, 2, tzinfo=UTC), withdrawn.save)
    start, end = date(2025, 5, 1), date(2025, 5, 31)  # the window: May 2025
    counties = [zones[2].county.name, zones[0].county.name]
    for today in (datetime(2025, 6, 3, 2, tzinfo=UTC), datetime(2025, 9, 1, 2, tzinfo=UTC), timezone.now()):
        still_open, new = _at(today, lambda: flags_open_and_new(start=start, end=end))
        assert [f.pk for f in still_open] == [new_then_withdrawn.pk, handled_later.pk], today
        assert [f.pk for f in new] == [new_then_withdrawn.pk], today
        assert {f.state for f in still_open} == {Flag.State.OPEN}, today  # as they stood, not as they stand
        with django_assert_num_queries(0):  # each flag's zone and county read with it
            assert [f.zone.county.name for f in still_open] == counties
    # The window of August: the flag raised then is new; of the three earlier ones none is open any more.
    with django_assert_num_queries(1):
        still_open, new = flags_open_and_new(start=date(2025, 8, 1), end=date(2025, 8, 31))
    assert [f.pk for f in still_open] == [f.pk for f in new] == [raised_later.pk]
