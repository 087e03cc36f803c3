"""Progress engine: plain functions, no database."""

import json
from datetime import date

import pytest

from indicators.progress.engine import (
    AMBER,
    GREEN,
    GREY,
    RED,
    Observation,
    TargetSpec,
    evaluate,
    status_for,
)

# The 2023–2025 plan's years; the engine takes every year from the plan it is given.
PLAN_YEARS = {"baseline_year": 2022, "goal_year": 2025, "plan_start": date(2023, 1, 1), "plan_end": date(2025, 12, 31)}


def plan_spec(**fields) -> TargetSpec:
    return TargetSpec(**{**PLAN_YEARS, **fields})


def obs(year: int, month: int, day: int, value: float | None = None, done_on: date | None = None) -> Observation:
    return Observation(period_end=date(year, month, day), value=value, done_on=done_on)


def level(**overrides) -> TargetSpec:
    # Baseline 1000 growing to 1331 in three years is exactly +10% a year.
    fields = {"kind": "level", "committed": 1331.0, "baseline": 1000.0}
    fields.update(overrides)
    return plan_spec(**fields)


# --- status thresholds -----------------------------------------------------------------


def test_it_maps_attainment_to_status_at_the_exact_thresholds():
    assert status_for(1.0) == GREEN
    assert status_for(0.9999) == AMBER
    assert status_for(0.9) == AMBER
    assert status_for(0.8999) == RED
    assert status_for(-0.5) == RED
    assert status_for(None) == GREY


def test_it_rates_a_share_exactly_at_target_green_and_exactly_at_ninety_percent_amber():
    spec = plan_spec(kind="share", committed=50.0)
    at_target = evaluate(spec, [obs(2024, 12, 31, 50.0)], as_of=date(2024, 12, 31))
    at_ninety = evaluate(spec, [obs(2024, 12, 31, 45.0)], as_of=date(2024, 12, 31))
    below = evaluate(spec, [obs(2024, 12, 31, 44.9)], as_of=date(2024, 12, 31))
    assert (at_target.status, at_target.attainment) == (GREEN, 1.0)
    assert (at_ninety.status, at_ninety.attainment) == (AMBER, pytest.approx(0.9))
    assert below.status == RED


def test_it_keeps_a_value_exactly_on_a_geometric_path_green_despite_float_rounding():
    spec = plan_spec(kind="level", committed=1500.0, baseline=1000.0)
    on_path = 1000.0 * 1.5 ** (2 / 3)
    outcome = evaluate(spec, [obs(2024, 12, 31, on_path)], as_of=date(2024, 12, 31))
    assert outcome.status == GREEN
    assert outcome.expected == pytest.approx(1310.37, abs=0.01)


# --- level -----------------------------------------------------------------------------


def test_it_computes_the_required_yearly_rate_and_the_expected_level_of_a_year():
    outcome = evaluate(level(), [obs(2024, 12, 31, 1210.0)], as_of=date(2024, 12, 31))
    assert outcome.inputs["path"] == "geometric"
    assert outcome.inputs["path_rate"] == pytest.approx(0.10)
    assert outcome.expected == pytest.approx(1210.0)
    assert outcome.attainment == pytest.approx(1.0)
    assert outcome.status == GREEN
    assert outcome.required_rate == pytest.approx(0.10)  # 1210 → 1331 in one year


def test_it_interpolates_the_path_geometrically_to_a_mid_year_date_when_not_year_to_date():
    spec = plan_spec(kind="level", committed=1500.0, baseline=1000.0)
    outcome = evaluate(spec, [obs(2024, 6, 30, 1200.0)], as_of=date(2024, 6, 30))
    expected = 1000.0 * 1.5 ** (1.5 / 3)  # 1.5 years after the end of 2022
    assert outcome.expected == pytest.approx(expected)
    assert outcome.attainment == pytest.approx(1200.0 / expected)
    assert outcome.status == AMBER  # 1200 / 1224.7 ≈ 0.98


def test_it_rates_a_level_far_below_the_path_red():
    outcome = evaluate(level(), [obs(2024, 12, 31, 1000.0)], as_of=date(2024, 12, 31))
    assert outcome.attainment == pytest.approx(1000 / 1210)
    assert outcome.status == RED
    assert "序时进度" in outcome.reason


def test_it_inverts_attainment_for_a_lower_is_better_level():
    # Energy use per unit of output: 1.0 falling 10% a year to 0.729 in 2025.
    spec = plan_spec(kind="level", direction="lower", committed=0.729, baseline=1.0)
    as_of = date(2024, 12, 31)
    on_path = evaluate(spec, [obs(2024, 12, 31, 0.81)], as_of=as_of)
    slightly_high = evaluate(spec, [obs(2024, 12, 31, 0.85)], as_of=as_of)
    far_too_high = evaluate(spec, [obs(2024, 12, 31, 0.95)], as_of=as_of)
    assert on_path.expected == pytest.approx(0.81)
    assert on_path.status == GREEN
    assert slightly_high.attainment == pytest.approx(0.81 / 0.85)
    assert slightly_high.status == AMBER
    assert far_too_high.status == RED
    # The decline still required from 0.85 to 0.729 within 2025 is negative.
    assert slightly_high.required_rate == pytest.approx(0.729 / 0.85 - 1)
    assert slightly_high.required_rate < 0


def test_it_reports_a_lower_is_better_level_already_below_its_goal_as_reached():
    spec = plan_spec(kind="level", direction="lower", committed=0.729, baseline=1.0)
    outcome = evaluate(spec, [obs(2024, 12, 31, 0.7)], as_of=date(2024, 12, 31))
    assert outcome.status == GREEN
    assert outcome.required_rate == 0.0
    assert "已达到" in outcome.reason


def test_it_uses_a_linear_path_when_the_baseline_is_zero():
    spec = plan_spec(kind="level", committed=30.0, baseline=0.0)
    outcome = evaluate(spec, [obs(2024, 12, 31, 20.0)], as_of=date(2024, 12, 31))
    assert outcome.inputs["path"] == "linear"
    assert "linear" in outcome.inputs["path_note"]
    assert outcome.expected == pytest.approx(20.0)  # two thirds of the way from 0 to 30
    assert outcome.status == GREEN


def test_it_is_grey_with_a_reason_when_the_baseline_is_missing():
    spec = plan_spec(kind="level", committed=1500.0)
    outcome = evaluate(spec, [obs(2024, 12, 31, 1400.0)], as_of=date(2024, 12, 31))
    assert outcome.status == GREY
    assert outcome.reason == "缺少2022年基数，无法计算序时进度"
    assert outcome.attainment is None


def test_it_gives_a_zero_required_rate_and_green_when_the_goal_is_already_met():
    spec = plan_spec(kind="level", committed=1500.0, baseline=1000.0)
    outcome = evaluate(spec, [obs(2024, 12, 31, 1600.0)], as_of=date(2024, 12, 31))
    assert outcome.required_rate == 0.0
    assert outcome.status == GREEN
    assert "已达到" in outcome.reason
    assert outcome.inputs["goal_reached"] is True


def test_it_rates_a_falling_level_red_and_projects_it_below_its_current_value():
    # 2023 fell 5% from the 2022 baseline: the latest growth rate is -5%.
    outcome = evaluate(level(), [obs(2023, 12, 31, 950.0)], as_of=date(2023, 12, 31))
    assert outcome.status == RED
    assert outcome.inputs["latest_growth_rate"] == pytest.approx(-0.05)
    assert outcome.inputs["growth_years"] == [2022, 2023]
    assert outcome.projection == pytest.approx(950.0 * 0.95**2)
    assert outcome.projection < 950.0
    assert outcome.required_rate == pytest.approx((1331 / 950) ** 0.5 - 1)


def test_it_projects_a_full_year_value_at_the_latest_growth_of_full_years():
    history = [obs(2023, 12, 31, 1100.0), obs(2024, 12, 31, 1210.0)]
    outcome = evaluate(level(), history, as_of=date(2024, 12, 31))
    assert outcome.inputs["latest_growth_rate"] == pytest.approx(0.10)
    assert outcome.projection == pytest.approx(1331.0)


def test_it_leaves_the_projection_empty_and_says_why_without_comparable_values():
    outcome = evaluate(level(baseline=1000.0), [obs(2024, 6, 30, 1150.0)], as_of=date(2024, 6, 30))
    assert outcome.projection is None
    assert outcome.inputs["projection_note"] == "no two comparable values of consecutive years"


def test_it_works_with_a_stretch_only_target():
    spec = plan_spec(kind="level", stretch=1331.0, baseline=1000.0)
    outcome = evaluate(spec, [obs(2024, 12, 31, 1210.0)], as_of=date(2024, 12, 31))
    assert outcome.inputs["goal_basis"] == "stretch"
    assert outcome.inputs["goal"] == 1331.0
    assert outcome.status == GREEN


def test_it_prefers_the_committed_value_over_the_stretch_value():
    spec = plan_spec(kind="level", committed=1331.0, stretch=1500.0, baseline=1000.0)
    outcome = evaluate(spec, [obs(2024, 12, 31, 1210.0)], as_of=date(2024, 12, 31))
    assert outcome.inputs["goal_basis"] == "committed"
    assert outcome.expected == pytest.approx(1210.0)


def test_it_ignores_observations_after_as_of():
    history = [obs(2024, 12, 31, 1000.0), obs(2025, 3, 31, 5000.0)]
    outcome = evaluate(level(), history, as_of=date(2024, 12, 31))
    assert outcome.actual == 1000.0
    assert outcome.status == RED
    assert outcome.inputs["ignored_after_as_of"] == 1


def test_it_uses_the_latest_observation_in_any_order_and_skips_empty_values():
    history = [obs(2024, 12, 31, None), obs(2023, 12, 31, 1100.0), obs(2022, 12, 31, 1000.0)]
    outcome = evaluate(level(), history, as_of=date(2024, 12, 31))
    assert outcome.actual == 1100.0
    assert outcome.inputs["evaluated_at"] == "2023-12-31"
    assert "最新数据截至2023年12月31日" in outcome.reason


# --- level, year to date ---------------------------------------------------------------


def test_it_spreads_the_year_by_last_years_shares_when_they_exist():
    # 2023: 440 by June of a full-year 1100, so June holds 40% of the year.
    history = [obs(2023, 6, 30, 440.0), obs(2023, 12, 31, 1100.0), obs(2024, 6, 30, 484.0)]
    outcome = evaluate(level(year_to_date=True), history, as_of=date(2024, 6, 30))
    assert outcome.inputs["share_basis"] == "last_year"
    assert outcome.inputs["share"] == pytest.approx(0.4)
    assert outcome.expected == pytest.approx(1210.0 * 0.4)
    assert outcome.attainment == pytest.approx(1.0)
    assert outcome.status == GREEN
    # Growth at the same point of the year: 484 / 440 = +10%; annualised 1210.
    assert outcome.inputs["annualised_value"] == pytest.approx(1210.0)
    assert outcome.inputs["latest_growth_rate"] == pytest.approx(0.10)
    assert outcome.projection == pytest.approx(1331.0)
    assert outcome.required_rate == pytest.approx(0.10)


def test_it_rates_a_ytd_value_below_last_years_share_amber():
    history = [obs(2023, 6, 30, 440.0), obs(2023, 12, 31, 1100.0), obs(2024, 6, 30, 440.0)]
    outcome = evaluate(level(year_to_date=True), history, as_of=date(2024, 6, 30))
    assert outcome.attainment == pytest.approx(440.0 / 484.0)
    assert outcome.status == AMBER
    assert outcome.inputs["latest_growth_rate"] == pytest.approx(0.0)


def test_it_spreads_the_year_by_elapsed_months_without_last_years_shares():
    outcome = evaluate(level(year_to_date=True), [obs(2024, 9, 30, 900.0)], as_of=date(2024, 9, 30))
    assert outcome.inputs["share_basis"] == "elapsed_months"
    assert outcome.inputs["months_elapsed"] == 9.0
    assert outcome.expected == pytest.approx(1210.0 * 9 / 12)
    assert outcome.attainment == pytest.approx(900.0 / 907.5)
    assert outcome.status == AMBER


def test_it_counts_a_period_ending_on_the_15th_as_half_a_month():
    outcome = evaluate(level(year_to_date=True), [obs(2024, 6, 15, 560.0)], as_of=date(2024, 6, 15))
    assert outcome.inputs["months_elapsed"] == 5.5
    assert outcome.expected == pytest.approx(1210.0 * 5.5 / 12)
    assert outcome.status == GREEN  # 560 against 554.58


def test_it_matches_last_years_half_month_point_for_the_share():
    history = [obs(2023, 6, 15, 330.0), obs(2023, 12, 31, 1100.0), obs(2024, 6, 15, 363.0)]
    outcome = evaluate(level(year_to_date=True), history, as_of=date(2024, 6, 15))
    assert outcome.inputs["share_basis"] == "last_year"
    assert outcome.inputs["share"] == pytest.approx(0.3)
    assert outcome.expected == pytest.approx(363.0)


def test_it_falls_back_to_elapsed_months_when_last_year_lacks_the_full_year_value():
    history = [obs(2023, 6, 30, 440.0), obs(2024, 6, 30, 484.0)]
    outcome = evaluate(level(year_to_date=True), history, as_of=date(2024, 6, 30))
    assert outcome.inputs["share_basis"] == "elapsed_months"
    assert outcome.expected == pytest.approx(605.0)


# --- growth ----------------------------------------------------------------------------


def test_it_compares_a_reported_growth_rate_with_the_target_rate():
    spec = plan_spec(kind="growth", committed=20.0)
    outcome = evaluate(spec, [obs(2024, 6, 30, 18.0)], as_of=date(2024, 6, 30))
    assert outcome.expected == 20.0
    assert outcome.attainment == pytest.approx(0.9)
    assert outcome.status == AMBER
    assert outcome.required_rate == pytest.approx(0.20)


def test_it_rates_negative_growth_red_with_a_negative_attainment():
    spec = plan_spec(kind="growth", committed=20.0)
    outcome = evaluate(spec, [obs(2024, 6, 30, -5.0)], as_of=date(2024, 6, 30))
    assert outcome.status == RED
    assert outcome.attainment == pytest.approx(-0.25)
    assert "负增长" in outcome.reason


def test_it_does_not_divide_by_a_zero_target_rate():
    spec = plan_spec(kind="growth", committed=0.0)
    holding = evaluate(spec, [obs(2024, 6, 30, 0.0)], as_of=date(2024, 6, 30))
    falling = evaluate(spec, [obs(2024, 6, 30, -1.5)], as_of=date(2024, 6, 30))
    assert holding.status == GREEN
    assert holding.inputs["attainment_method"] == "met_or_not"
    assert falling.status == RED
    assert falling.attainment == 0.0


# --- share -----------------------------------------------------------------------------


def test_it_inverts_attainment_for_a_lower_is_better_share():
    spec = plan_spec(kind="share", direction="lower", committed=30.0)
    as_of = date(2024, 12, 31)
    below_cap = evaluate(spec, [obs(2024, 12, 31, 25.0)], as_of=as_of)
    just_over = evaluate(spec, [obs(2024, 12, 31, 33.0)], as_of=as_of)
    far_over = evaluate(spec, [obs(2024, 12, 31, 40.0)], as_of=as_of)
    assert below_cap.attainment == pytest.approx(1.2)
    assert below_cap.status == GREEN
    assert just_over.attainment == pytest.approx(30 / 33)
    assert just_over.status == AMBER
    assert far_over.attainment == pytest.approx(0.75)
    assert far_over.status == RED
    assert "不高于" in far_over.reason


# --- cumulative ------------------------------------------------------------------------


def test_it_spreads_a_cumulative_goal_evenly_over_the_plans_months():
    spec = plan_spec(kind="cumulative", committed=60.0)
    on_pace = evaluate(spec, [obs(2024, 6, 30, 30.0)], as_of=date(2024, 6, 30))
    behind = evaluate(spec, [obs(2024, 6, 30, 27.0)], as_of=date(2024, 6, 30))
    assert on_pace.inputs["plan_months"] == 36
    assert on_pace.inputs["months_elapsed"] == 18
    assert on_pace.expected == pytest.approx(30.0)
    assert on_pace.status == GREEN
    assert on_pace.projection == pytest.approx(60.0)
    assert behind.attainment == pytest.approx(0.9)
    assert behind.status == AMBER
    assert behind.inputs["required_per_year"] == pytest.approx(33.0 / 1.5)


def test_it_counts_half_a_month_for_a_cumulative_total_at_the_15th():
    spec = plan_spec(kind="cumulative", committed=72.0)
    outcome = evaluate(spec, [obs(2023, 3, 15, 3.0)], as_of=date(2023, 3, 15))
    assert outcome.inputs["months_elapsed"] == 2.5
    assert outcome.expected == pytest.approx(5.0)
    assert outcome.status == RED


def test_it_reports_a_cumulative_goal_reached_before_plan_end():
    spec = plan_spec(kind="cumulative", committed=60.0)
    outcome = evaluate(spec, [obs(2024, 12, 31, 61.0)], as_of=date(2024, 12, 31))
    assert outcome.status == GREEN
    assert "已达到" in outcome.reason
    assert outcome.inputs["required_per_year"] == 0.0


# --- milestone -------------------------------------------------------------------------


def milestone(**overrides) -> TargetSpec:
    fields = {"kind": "milestone", "due_date": date(2023, 12, 31)}
    fields.update(overrides)
    return plan_spec(**fields)


NOT_DONE = [obs(2023, 6, 30, 0.0)]


def test_it_keeps_an_unfinished_milestone_green_91_days_before_its_deadline():
    outcome = evaluate(milestone(), NOT_DONE, as_of=date(2023, 10, 1))
    assert outcome.inputs["days_left"] == 91
    assert outcome.status == GREEN
    assert "未到完成时限" in outcome.reason


def test_it_turns_an_unfinished_milestone_amber_90_days_before_its_deadline():
    outcome = evaluate(milestone(), NOT_DONE, as_of=date(2023, 10, 2))
    assert outcome.inputs["days_left"] == 90
    assert outcome.status == AMBER


def test_it_keeps_an_unfinished_milestone_amber_on_its_due_date_and_red_the_day_after():
    on_due = evaluate(milestone(), NOT_DONE, as_of=date(2023, 12, 31))
    after = evaluate(milestone(), NOT_DONE, as_of=date(2024, 1, 1))
    assert on_due.status == AMBER
    assert "仅剩0天" not in on_due.reason and "当日尚未完成" in on_due.reason
    assert (after.status, after.actual, after.expected) == (RED, 0.0, 1.0)


@pytest.mark.parametrize("today", [date(2024, 1, 1), date(2025, 12, 31), date(2026, 12, 3)])
def test_it_judges_the_deadlines_own_day_missed_once_that_day_is_over(today):
    """A period that ends on the deadline, judged any day after it: not done by the end of that day is missed."""
    outcome = evaluate(milestone(), NOT_DONE, as_of=date(2023, 12, 31), today=today)
    assert (outcome.status, outcome.code, outcome.actual, outcome.expected) == (RED, "milestone_missed", 0.0, 1.0)
    assert outcome.reason == "截至完成时限2023年12月31日未完成"
    # Judged on the day itself it is still open; done on the day, it is on time whenever it is judged.
    assert evaluate(milestone(), NOT_DONE, as_of=date(2023, 12, 31), today=date(2023, 12, 31)).status == AMBER
    done = [obs(2023, 12, 31, 1.0, done_on=date(2023, 12, 31))]
    assert evaluate(milestone(), done, as_of=date(2023, 12, 31), today=today).status == GREEN


def test_it_rates_a_milestone_done_on_time_green_and_done_late_amber():
    on_time = evaluate(milestone(), [obs(2023, 12, 31, 1.0, done_on=date(2023, 11, 20))], as_of=date(2024, 3, 31))
    late = evaluate(milestone(), [obs(2024, 1, 31, 1.0, done_on=date(2024, 1, 10))], as_of=date(2024, 3, 31))
    assert (on_time.status, on_time.actual) == (GREEN, 1.0)
    assert late.status == AMBER
    assert "逾期完成" in late.reason
    assert late.inputs["days_late"] == 10


def test_it_counts_a_value_of_one_without_a_date_as_done_at_period_end():
    outcome = evaluate(milestone(), [obs(2023, 12, 31, 1.0)], as_of=date(2023, 12, 31))
    assert outcome.status == GREEN
    assert outcome.inputs["done_on"] == "2023-12-31"


def test_it_ignores_a_milestone_completion_dated_after_as_of():
    history = [obs(2023, 9, 30, 1.0, done_on=date(2024, 2, 1))]
    outcome = evaluate(milestone(), history, as_of=date(2024, 1, 15))
    assert outcome.inputs["done_on"] is None
    assert outcome.status == RED


def test_it_is_grey_for_a_milestone_without_observations():
    outcome = evaluate(milestone(), [], as_of=date(2024, 1, 15))
    assert outcome.status == GREY


# --- recurring -------------------------------------------------------------------------


def recurring(required: int) -> TargetSpec:
    return plan_spec(kind="recurring", required_count=required)


def test_it_expects_a_pro_rata_count_rounded_up_mid_year():
    spec = recurring(2)
    done = evaluate(spec, [obs(2024, 3, 31, 1.0)], as_of=date(2024, 6, 30))
    none_yet = evaluate(spec, [obs(2024, 3, 31, 0.0)], as_of=date(2024, 6, 30))
    later = evaluate(spec, [obs(2024, 3, 31, 1.0)], as_of=date(2024, 7, 31))
    assert done.expected == 1.0
    assert done.status == GREEN
    assert none_yet.status == AMBER
    assert later.expected == 2.0  # ceil(2 × 7/12)
    assert later.status == AMBER


def test_it_expects_at_least_one_as_soon_as_the_year_has_started():
    outcome = evaluate(recurring(1), [obs(2024, 1, 31, 0.0)], as_of=date(2024, 1, 31))
    assert outcome.expected == 1.0
    assert outcome.status == AMBER


def test_it_rates_a_recurring_shortfall_red_once_the_year_is_over():
    short = evaluate(recurring(2), [obs(2024, 5, 31, 1.0)], as_of=date(2024, 12, 31))
    full = evaluate(recurring(2), [obs(2024, 5, 31, 1.0), obs(2024, 11, 30, 1.0)], as_of=date(2024, 12, 31))
    assert (short.status, short.expected, short.actual) == (RED, 2.0, 1.0)
    assert (full.status, full.actual) == (GREEN, 2.0)


def test_it_counts_only_this_years_recurring_observations_up_to_as_of():
    history = [obs(2023, 11, 30, 3.0), obs(2024, 2, 29, 1.0), obs(2024, 8, 31, 1.0)]
    outcome = evaluate(recurring(1), history, as_of=date(2024, 6, 30))
    assert outcome.actual == 1.0
    assert outcome.inputs["count"] == 1.0


# --- qualitative -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "trend"),
    [((10.0, 12.0), "rising"), ((12.0, 10.0), "falling"), ((10.0, 10.0), "flat")],
)
def test_it_reports_only_the_trend_of_a_qualitative_target(values, trend):
    spec = plan_spec(kind="qualitative")
    history = [obs(2023, 12, 31, values[0]), obs(2024, 12, 31, values[1])]
    outcome = evaluate(spec, history, as_of=date(2024, 12, 31))
    assert outcome.status == GREY
    assert outcome.attainment is None
    assert outcome.inputs["trend"] == trend
    assert {"rising": "上升", "falling": "下降", "flat": "持平"}[trend] in outcome.reason


def test_it_never_rates_a_qualitative_target_even_when_it_has_a_number():
    spec = plan_spec(kind="qualitative", committed=100.0)
    outcome = evaluate(spec, [obs(2023, 12, 31, 50.0), obs(2024, 12, 31, 500.0)], as_of=date(2024, 12, 31))
    assert outcome.status == GREY
    assert outcome.attainment is None


# --- missing data and serialisation ----------------------------------------------------

ALL_KIND_SPECS = [
    level(),
    level(year_to_date=True),
    plan_spec(kind="growth", committed=20.0),
    plan_spec(kind="share", committed=50.0),
    plan_spec(kind="cumulative", committed=60.0),
    milestone(),
    recurring(1),
    plan_spec(kind="qualitative"),
]


@pytest.mark.parametrize("spec", ALL_KIND_SPECS, ids=lambda spec: spec.kind)
def test_it_is_grey_for_an_empty_history(spec):
    outcome = evaluate(spec, [], as_of=date(2024, 6, 30))
    assert outcome.status == GREY
    assert "暂无数据" in outcome.reason


@pytest.mark.parametrize("spec", ALL_KIND_SPECS, ids=lambda spec: spec.kind)
def test_it_is_grey_when_every_value_is_missing(spec):
    history = [obs(2024, 3, 31, None), obs(2024, 6, 30, None)]
    outcome = evaluate(spec, history, as_of=date(2024, 6, 30))
    assert outcome.status == GREY


def test_it_is_grey_without_a_goal_value():
    outcome = evaluate(plan_spec(kind="share"), [obs(2024, 6, 30, 40.0)], as_of=date(2024, 6, 30))
    assert outcome.status == GREY
    assert "未设定目标值" in outcome.reason


@pytest.mark.parametrize("spec", ALL_KIND_SPECS, ids=lambda spec: spec.kind)
def test_it_records_json_serialisable_inputs(spec):
    history = [
        obs(2023, 6, 30, 440.0),
        obs(2023, 12, 31, 1100.0, done_on=date(2023, 12, 1)),
        obs(2024, 6, 30, 484.0),
    ]
    outcome = evaluate(spec, history, as_of=date(2024, 6, 30))
    decoded = json.loads(json.dumps(outcome.inputs, allow_nan=False))
    assert decoded["as_of"] == "2024-06-30"
    assert decoded["kind"] == spec.kind


def test_it_rejects_an_unknown_kind():
    with pytest.raises(ValueError):
        plan_spec(kind="levle")


def test_it_words_a_floor_on_a_count_in_its_own_unit():
    spec = plan_spec(kind="share", committed=1, unit="人")
    outcome = evaluate(spec, [Observation(period_end=date(2024, 12, 31), value=2)], as_of=date(2024, 12, 31))
    assert outcome.status == "green"
    assert "实际值2人" in outcome.reason and "不低于1人" in outcome.reason
    assert "比重" not in outcome.reason
