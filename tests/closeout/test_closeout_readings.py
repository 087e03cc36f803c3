"""The final evaluation reads the figures as the progress engine and the overview do: the prefecture's growth rolled
up from its zones (a zone without its figure leaves no final value, and is named), and a duty owed each half-year
judged half by half."""

from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from closeout import verdict as v
from closeout.present import heading, sections
from closeout.selectors import evaluation_build
from indicators.models import DispatchReport, Indicator, IndicatorValue, ReportingPeriod
from parks.models import Zone
from tasks.selectors import plan_get

LATE_2026 = date(2026, 12, 1)


def _put(code, cadence, year, index, value, **scope):
    IndicatorValue.objects.create(
        indicator=Indicator.objects.get(code=code),
        period=ReportingPeriod.objects.get(cadence=cadence, year=year, index=index),
        scope="zone" if "zone" in scope else "prefecture",
        value=Decimal(value),
        **scope,
    )


def _goal(ev, code, scope, zone=None, year=2025):
    return next(
        g
        for g in ev.goals
        if g.indicator_code == code
        and g.scope == scope
        and g.year == year
        and (zone is None or g.scope_name == zone.name)
    )


@pytest.fixture
def ev(plan):
    zones = list(Zone.objects.order_by("order"))
    for year in (2022, 2023, 2024, 2025):
        # Every zone's December output but 高新区's of 2025; a prefecture growth typed in besides, every year.
        for zone in zones:
            if not (zone == plan["hitech"] and year == 2025):
                _put("industrial-output", "monthly", year, 12, 100 * 1.2 ** (year - 2022), zone=zone)
        if year > 2022:
            _put("industrial-output-growth", "monthly", year, 12, "21.6")
    _put("zone-work-report", "half_yearly", 2025, 1, 1, zone=plan["lufeng"])  # the second half owes one more
    _put("zone-work-report", "half_yearly", 2025, 1, 1, zone=plan["wuding"])
    _put("zone-work-report", "half_yearly", 2025, 2, 1, zone=plan["wuding"])
    return evaluation_build(plan=plan_get(), today=LATE_2026)


def test_the_prefectures_growth_is_the_zones_roll_up_and_without_one_zones_figure_it_has_no_final_value(ev, plan):
    growth = _goal(ev, "industrial-output-growth", "prefecture")
    assert growth.code == v.NO_DATA
    assert growth.verdict.missing == (plan["hitech"].name,)
    # 2025's roll-up lacks a zone, so there is no average so far either (not 2024's rate standing in for it).
    assert (growth.verdict.latest, growth.verdict.missing_years) == (None, (2025,))
    with translation.override("zh-hans"):
        goals = next(s for s in sections(ev) if s.key == "goals")
        row = goals.rows[goals.row_ids.index(str(growth.target_id))]
    assert row[-1].text == f"暂无最终数据（汇总不完整，缺少：{plan['hitech'].name}）"
    # With 高新区's figure the roll-up is complete every year: the zones' totals' growth (20 %) counts, the typed 21.6
    # kept beside it.
    _put("industrial-output", "monthly", 2025, 12, 100 * 1.2**3, zone=plan["hitech"])
    growth = _goal(evaluation_build(plan=plan_get(), today=LATE_2026), "industrial-output-growth", "prefecture")
    assert [(r.period_end, round(r.value, 6), r.source, r.unit_value) for r in growth.verdict.yearly] == [
        (date(year, 12, 31), 20.0, v.COMPUTED, 21.6) for year in (2023, 2024, 2025)
    ]


def test_a_zones_average_growth_shows_the_year_end_rates_it_averaged(plan):
    for year, rate in ((2023, "30"), (2024, "12"), (2025, "20")):
        _put("industrial-output-growth", "monthly", year, 12, rate, zone=plan["lufeng"])
    ev = evaluation_build(plan=plan_get(), today=LATE_2026)
    growth = _goal(ev, "industrial-output-growth", "zone", plan["lufeng"])
    assert growth.code == v.MET
    with translation.override("zh-hans"):
        goals = next(s for s in sections(ev) if s.key == "goals")
        row = goals.rows[goals.row_ids.index(str(growth.target_id))]
    assert row[9].text == "2023年30.0、2024年12.0、2025年20.0"  # the unit's figures, not an average it never typed


def test_a_duty_owed_each_half_year_needs_a_report_in_each_half(ev, plan):
    lufeng = _goal(ev, "zone-work-report", "zone", plan["lufeng"])
    wuding = _goal(ev, "zone-work-report", "zone", plan["wuding"])
    assert (lufeng.year, lufeng.code, lufeng.value, lufeng.verdict.required) == (2025, v.NOT_MET, 1, 2)
    assert (wuding.code, wuding.value) == (v.MET, 2)


@pytest.mark.parametrize(
    "status, shown",
    [("in_force", "收尾中"), ("closing", "收尾中"), ("closed", "已结束")],
)
def test_the_evaluations_heading_words_a_plan_past_its_end_as_closing_unless_closed(plan, status, shown):
    """The home page says the plan has ended and is closing; the evaluation said 执行中 of the same plan."""
    current = plan_get()
    current.status = status
    current.save(update_fields=["status"])
    with translation.override("zh-hans"):
        assert heading(evaluation_build(plan=current, today=LATE_2026))["status"] == shown


def test_a_report_returned_and_not_submitted_again_is_counted_apart(plan):
    """The evaluation counted a returned report as delivered on time while the to-do listed it overdue: it stays
    on time (by its first submission) and is also counted as returned, not submitted again."""
    period = ReportingPeriod.objects.get(cadence="monthly", year=2025, index=11)
    submitted = datetime.combine(period.deadline, time(9), tzinfo=ZoneInfo("Asia/Shanghai"))
    for zone, state in (("lufeng", "returned"), ("wuding", "approved")):
        DispatchReport.objects.create(zone=plan[zone], period=period, state=state, first_submitted_at=submitted)
    ev = evaluation_build(plan=plan_get(), today=LATE_2026)
    rows = {r.slug: r for r in ev.reporting}
    assert (rows["lufeng"].on_time, rows["lufeng"].returned) == (1, 1)
    assert (rows["wuding"].on_time, rows["wuding"].returned) == (1, 0)
    with translation.override("zh-hans"):
        table = next(s for s in sections(ev) if s.key == "reporting")
    assert table.headers[6] == "其中退回未重报"
    assert table.rows[table.row_ids.index("lufeng")][6].text == "1"


def test_a_milestone_nothing_was_reported_of_reads_not_done_without_a_report(ev, plan):
    """The zone page shows such a milestone as 暂无数据; the evaluation's 未完成 says why."""
    row_id = next(
        str(m.target_id)
        for m in ev.milestones
        if m.indicator == "园区基础设施完善"
        or (m.scope_name == plan["lufeng"].name and m.due_date == date(2025, 12, 31))
    )
    with translation.override("zh-hans"):
        table = next(s for s in sections(ev) if s.key == "milestones")
    assert table.rows[table.row_ids.index(row_id)][-1].text == "未完成（未报送完成情况）"
