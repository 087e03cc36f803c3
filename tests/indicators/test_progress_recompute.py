"""Persisted progress: one result per (target, period), from submitted data only, in bounded queries."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from indicators.models import DispatchReport, IndicatorValue, ProgressResult, ReportingPeriod, Target
from indicators.progress.services import progress_recompute


def _month(year: int, month: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(cadence="monthly", year=year, index=month)


def _output_target(zone) -> Target:
    return Target.objects.get(indicator__code="industrial-output", zone=zone, year=2025)


def _put(zone, year, month, value, *, source="portal", report=None):
    target = _output_target(zone)
    return IndicatorValue.objects.create(
        indicator=target.indicator,
        scope="zone",
        zone=zone,
        period=_month(year, month),
        value=Decimal(value),
        source=source,
        report=report,
    )


def _history(zone, years, growth=Decimal("1.2")):
    """A flat-seasonal YTD history: each year's output `growth` times the year before (2022: 600)."""
    annual = Decimal(600)
    for year in years:
        for month in range(1, 13):
            _put(zone, year, month, annual * month / 12)
        annual *= growth


def test_it_persists_a_result_per_period_with_its_inputs(plan):
    zone = plan["lufeng"]
    _history(zone, [2022, 2023])
    progress_recompute(as_of=date(2023, 12, 31))
    results = ProgressResult.objects.filter(target=_output_target(zone)).select_related("period")
    assert sorted(r.period.index for r in results) == list(range(1, 13))
    december = results.get(period__index=12)
    # 2022: 600, goal 1200 in 2025 → required rate 2^(1/3)−1 ≈ 26%; 2023 expected ≈ 756, actual 720.
    assert december.expected.quantize(Decimal(1)) == Decimal(756)
    assert december.actual == Decimal(720)
    assert december.status == "amber"
    assert december.inputs["goal"] == 1200
    assert december.inputs["goal_basis"] == "stretch"  # 「力争工业总产值达1200亿元以上」
    assert "序时进度" in december.reason


def test_it_gives_grey_with_a_reason_when_there_is_no_data(plan):
    progress_recompute(as_of=date(2023, 3, 31))
    result = ProgressResult.objects.get(target=_output_target(plan["wuding"]), period=_month(2023, 3))
    assert result.status == "grey"
    assert result.reason


def test_it_ignores_values_of_reports_still_in_draft(plan):
    zone = plan["lufeng"]
    _history(zone, [2022])
    draft = DispatchReport.objects.create(zone=zone, period=_month(2023, 1), state=DispatchReport.State.DRAFT)
    _put(zone, 2023, 1, "5000", report=draft)
    progress_recompute(as_of=date(2023, 1, 31))
    result = ProgressResult.objects.get(target=_output_target(zone), period=_month(2023, 1))
    assert result.status == "grey"
    draft.state = DispatchReport.State.SUBMITTED
    draft.save()
    progress_recompute(as_of=date(2023, 1, 31))
    result = ProgressResult.objects.get(target=_output_target(zone), period=_month(2023, 1))
    assert result.actual == Decimal(5000)
    assert result.status == "green"


def test_it_prefers_the_province_official_figure(plan):
    zone = plan["lufeng"]
    _history(zone, [2022])
    _put(zone, 2023, 1, "10")
    _put(zone, 2023, 1, "60", source="province")
    progress_recompute(as_of=date(2023, 1, 31))
    assert ProgressResult.objects.get(target=_output_target(zone), period=_month(2023, 1)).actual == Decimal(60)


def test_each_scopes_figures_reach_its_own_targets(plan):
    """The histories are keyed by the rows' zone and cluster (their scope is not read): a cluster's figure is its
    cluster's, the prefecture's the prefecture's, a zone's its zone's — never another scope's."""
    quarter = ReportingPeriod.objects.get(cadence="quarterly", year=2024, index=4)
    base = ReportingPeriod.objects.get(cadence="quarterly", year=2022, index=4)
    first, second = Target.objects.filter(indicator__code="cluster-output", scope="cluster", year=2025).order_by(
        "cluster_id"
    )[:2]
    milestone = Target.objects.get(indicator__code="dual-leader-system", scope="prefecture", year=2025)
    for target, figures in ((first, {base: "800", quarter: "1000"}), (second, {base: "80", quarter: "100"})):
        for period, value in figures.items():
            IndicatorValue.objects.create(
                indicator=target.indicator, scope="cluster", cluster=target.cluster, period=period, value=Decimal(value)
            )
    IndicatorValue.objects.create(
        indicator=milestone.indicator, scope="prefecture", period=quarter, value=1, done_on=date(2024, 11, 5)
    )
    zone = plan["lufeng"]
    _history(zone, [2022])
    _put(zone, 2024, 12, "70")

    progress_recompute(as_of=date(2024, 12, 31))

    def actual(target, period):
        return ProgressResult.objects.get(target=target, period=period).actual

    assert (actual(first, quarter), actual(second, quarter)) == (Decimal(1000), Decimal(100))
    done = ProgressResult.objects.get(target=milestone, period=quarter)
    assert (done.actual, done.inputs["done_on"]) == (Decimal(1), "2024-11-05")
    assert actual(_output_target(zone), _month(2024, 12)) == Decimal(70)


def test_it_is_idempotent(plan):
    _history(plan["lufeng"], [2022, 2023])
    first = progress_recompute(as_of=date(2024, 1, 31))
    snapshot = sorted(ProgressResult.objects.values_list("target_id", "period_id", "status", "actual"))
    second = progress_recompute(as_of=date(2024, 1, 31))
    assert first == second
    assert sorted(ProgressResult.objects.values_list("target_id", "period_id", "status", "actual")) == snapshot


def test_a_second_recompute_inserts_the_new_rewrites_the_changed_in_place_and_deletes_what_is_no_longer_computed(plan):
    zone = plan["lufeng"]
    _history(zone, [2022, 2023])
    progress_recompute(as_of=date(2024, 6, 30))
    before = {(r.target_id, r.period_id): r for r in ProgressResult.objects.all()}
    target = _output_target(zone)
    _put(zone, 2024, 1, "10")  # January 2024 far behind: its result changes

    progress_recompute(as_of=date(2024, 1, 31))

    after = {(r.target_id, r.period_id): r for r in ProgressResult.objects.all()}
    # Periods that ended after the new as_of are no longer computed: deleted, nothing left of them.
    assert not any(r.period_end > date(2024, 1, 31) for r in after.values())
    assert any(r.period_end > date(2024, 1, 31) for r in before.values())
    # The same rows as a recompute on an empty table gives.
    kept = sorted((key, r.status, r.actual, r.reason) for key, r in after.items())
    ProgressResult.objects.all().delete()
    progress_recompute(as_of=date(2024, 1, 31))
    assert (
        sorted(((r.target_id, r.period_id), r.status, r.actual, r.reason) for r in ProgressResult.objects.all()) == kept
    )
    january = after[(target.pk, _month(2024, 1).pk)]
    old_january = before[(target.pk, _month(2024, 1).pk)]
    # January's changed result rewritten in place: its row kept, its figures and computed_at new.
    assert january.pk == old_january.pk and january.actual == Decimal(10) != old_january.actual
    assert january.computed_at > old_january.computed_at
    # 武定's, without a value, left as they were; but its last, now the latest (its spans open-ended).
    wuding = sorted((after[key].period_end, key) for key in after if key[0] == _output_target(plan["wuding"]).pk)
    assert [after[key].computed_at == before[key].computed_at for _end, key in wuding] == [True] * 12 + [False]


def test_its_query_count_does_not_grow_with_the_number_of_periods(plan):
    def reads(queries):
        # The writes: batches of rows, and on PostgreSQL the temporary table a large batch is copied into first.
        writing = ("INSERT", "DELETE", "CREATE TEMPORARY TABLE", "TRUNCATE")
        return [q for q in queries if not q["sql"].startswith(writing)]

    _history(plan["lufeng"], [2022])
    with CaptureQueriesContext(connection) as short:
        progress_recompute(as_of=date(2023, 3, 31))
    _history(plan["wuding"], [2022, 2023, 2024, 2025])
    with CaptureQueriesContext(connection) as long:
        progress_recompute(as_of=date(2025, 12, 31))
    rows = ProgressResult.objects.count()
    assert rows > 1000
    # Reads are a fixed set; the results that differ are written in batches, never a row at a time.
    assert len(reads(long.captured_queries)) == len(reads(short.captured_queries))
    writes = len(long.captured_queries) - len(reads(long.captured_queries))
    assert writes <= rows / 50


def test_it_limits_a_recompute_to_the_given_targets(plan):
    _history(plan["lufeng"], [2022])
    target = _output_target(plan["lufeng"])
    progress_recompute(target_ids=[target.pk], as_of=date(2023, 6, 30))
    assert set(ProgressResult.objects.values_list("target_id", flat=True)) == {target.pk}


def _quarter(year: int, index: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(cadence="quarterly", year=year, index=index)


@pytest.mark.parametrize(
    "today, status, code",
    [
        (date(2025, 12, 31), "amber", "milestone_due_today"),  # the deadline's own day: still open
        (date(2026, 1, 1), "red", "milestone_missed"),
        (date(2026, 12, 3), "red", "milestone_missed"),  # long after the plan: still missed, not "due today"
    ],
)
def test_a_milestone_not_done_by_the_plans_last_day_reads_missed_once_that_day_is_over(plan, today, status, code):
    """The plan's final quarter ends on the milestone's deadline (2025-12-31): its result, recomputed any day after
    it, reads missed; recomputed on the day itself, still open."""
    target = Target.objects.get(indicator__code="infrastructure-complete", zone=plan["lufeng"], year=2025)
    assert target.due_date == date(2025, 12, 31)
    IndicatorValue.objects.create(
        indicator=target.indicator, scope="zone", zone=plan["lufeng"], period=_quarter(2025, 3), value=Decimal(0)
    )
    with time_machine.travel(today, tick=False):
        progress_recompute()
    result = ProgressResult.objects.get(target=target, period=_quarter(2025, 4))
    assert (result.status, result.reason_code) == (status, code)


def test_a_trend_carried_into_a_year_without_its_figure_says_which_years_figure_it_shows(plan):
    """The zone page showed 2024's 劳动生产率 as 2025年度 (a trend carries over): it names the older period."""
    from pages.dashboards.common import result_as_of

    target = Target.objects.get(indicator__code="labour-productivity", zone=plan["lufeng"], year=2025)
    for year, value in ((2023, "136.05"), (2024, "151.42")):
        IndicatorValue.objects.create(
            indicator=target.indicator,
            scope="zone",
            zone=plan["lufeng"],
            period=ReportingPeriod.objects.get(cadence="yearly", year=year, index=1),
            value=Decimal(value),
        )
    with time_machine.travel(date(2026, 12, 3), tick=False):
        progress_recompute()
    shown = ProgressResult.objects.select_related("period").get(target=target, period__year=2025)
    assert (shown.status, shown.actual) == ("grey", Decimal("151.42"))  # the trend, still
    assert "较上期136.05上升" in shown.reason
    assert result_as_of(shown) == "2024年12月（本期未报）"
    own = ProgressResult.objects.select_related("period").get(
        target__indicator=target.indicator, target__zone=plan["lufeng"], period__year=2024
    )
    assert result_as_of(own) == own.period.label  # a year with its own figure names its own period


@pytest.mark.parametrize("done_in, status_2025", [((2023, 4), "green"), ((2025, 2), "green"), (None, "amber")])
def test_the_high_tech_zones_party_model_is_held_to_2025_too(plan, done_in, status_2025):
    """「力争2023年楚雄国家高新区建成…，2025年全州开发区全部建成」: built in 2023, its 2025 target reads done; built
    late, its 2023 stretch is missed but 2025 is met; never built, 2025 is missed (amber: 力争 governs both)."""
    from parks.models import Zone

    hitech = Zone.objects.get(code="chuxiong-hitech")
    first, last = (Target.objects.get(indicator__code="two-new-party-model", zone=hitech, year=y) for y in (2023, 2025))
    # Reported every quarter: not yet (0) until the quarter it is done in.
    for year, index in ((2023, 4), (2024, 4), (2025, 2), (2025, 4)):
        if done_in and (year, index) > done_in:
            break
        done = (year, index) == done_in
        IndicatorValue.objects.create(
            indicator=first.indicator,
            scope="zone",
            zone=hitech,
            period=_quarter(year, index),
            value=1 if done else 0,
            done_on=_quarter(year, index).end if done else None,
        )
    with time_machine.travel(date(2026, 12, 5), tick=False):
        progress_recompute()
    assert ProgressResult.objects.get(target=last, period=_quarter(2025, 4)).status == status_2025
    expected_2023 = "green" if done_in == (2023, 4) else "amber"  # a missed stretch is amber
    assert ProgressResult.objects.get(target=first, period=_quarter(2023, 4)).status == expected_2023


def _yearly(year: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(cadence="yearly", year=year, index=1)


def test_a_trend_target_shows_the_figures_trend_and_is_never_judged(plan):
    """「研发投入强度等主要指标大幅提升」 for 禄丰: its R&D intensity rising is a trend, grey, not green or red."""
    target = Target.objects.get(indicator__code="rd-intensity", zone=plan["lufeng"], year=2025)
    assert target.trend_only
    for year, value in ((2023, "1.1"), (2024, "1.4"), (2025, "1.3")):
        IndicatorValue.objects.create(
            indicator=target.indicator, scope="zone", zone=plan["lufeng"], period=_yearly(year), value=Decimal(value)
        )
    with time_machine.travel(date(2026, 12, 5), tick=False):
        progress_recompute()
    results = {r.period.year: r for r in ProgressResult.objects.filter(target=target).select_related("period")}
    assert set(results) == {2023, 2024, 2025}  # a goal for the plan's end: judged over the whole plan
    assert {r.status for r in results.values()} == {"grey"}
    assert (results[2024].reason_code, results[2024].inputs["trend"]) == ("qualitative_trend", "rising")
    assert (results[2025].reason_code, results[2025].inputs["trend"]) == ("qualitative_trend", "falling")


def test_a_trend_of_2023_leaves_the_window_of_the_figures_2025_goal_as_it_was(plan):
    """「2023年…人员结构明显优化」 follows 2023 only; the 60 % of 2025 is still judged in every year of the plan."""
    trend = Target.objects.get(indicator__code="leadership-professional-share", year=2023)
    goal = Target.objects.get(indicator__code="leadership-professional-share", year=2025)
    assert trend.trend_only and not goal.trend_only
    for year, value in ((2022, "41"), (2023, "48"), (2024, "55"), (2025, "61")):
        IndicatorValue.objects.create(
            indicator=goal.indicator, scope="prefecture", period=_yearly(year), value=Decimal(value)
        )
    with time_machine.travel(date(2026, 12, 5), tick=False):
        progress_recompute()
    years = lambda target: sorted(ProgressResult.objects.filter(target=target).values_list("period__year", flat=True))  # noqa: E731
    assert years(trend) == [2023] and years(goal) == [2023, 2024, 2025]
    first = ProgressResult.objects.get(target=trend)
    assert (first.status, first.reason_code, first.inputs["trend"]) == ("grey", "qualitative_trend", "rising")
    assert ProgressResult.objects.get(target=goal, period__year=2025).status == "green"
