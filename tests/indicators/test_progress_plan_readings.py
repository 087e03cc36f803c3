"""The engine reads the plan's words: 力争 caps at amber, 年均 is a compound average, collective goals
are judged on rolled-up figures, timing words and headcounts. Plain functions, no database."""

from datetime import date

import pytest

from indicators.progress.engine import (
    AMBER,
    AVERAGE_GROWTH_GAP,
    GREEN,
    GREY,
    MILESTONE_OVERDUE,
    RED,
    ROLLUP_INCOMPLETE,
    STRETCH_NOT_MET,
    STRETCH_NOT_MET_REASON,
    Observation,
    TargetSpec,
    compound_average,
    evaluate,
)
from indicators.progress.rollup import PREFECTURE, Hierarchy, growth_from_levels, share_from_parts, sum_levels

ZONES = ("chuxiong-hitech", "lufeng", "wuding", "mouding")
# The 2023–2025 plan's years; the engine takes every year from the plan it is given.
PLAN_YEARS = {"baseline_year": 2022, "goal_year": 2025, "plan_start": date(2023, 1, 1), "plan_end": date(2025, 12, 31)}


def plan_spec(**fields) -> TargetSpec:
    return TargetSpec(**{**PLAN_YEARS, **fields})


def year_end(year: int, value: float | None = None, **kwargs) -> Observation:
    return Observation(period_end=date(year, 12, 31), value=value, **kwargs)


# --- 年均: a compound average over the plan's years ----------------------------------------


def average(goal: float = 20.0) -> TargetSpec:
    # 「工业总产值年均增长20%以上」: baseline 2022, goal year 2025.
    return plan_spec(kind="average_growth", committed=goal, baseline_year=2022, goal_year=2025)


def test_it_keeps_plus_30_12_20_green_in_every_year_against_a_20_percent_average():
    history = [year_end(2023, 30.0), year_end(2024, 12.0), year_end(2025, 20.0)]
    first = evaluate(average(), history, as_of=date(2023, 12, 31))
    second = evaluate(average(), history, as_of=date(2024, 12, 31))
    third = evaluate(average(), history, as_of=date(2025, 12, 31))
    # A floor for each year would make 2024 (+12 %) red; the average so far is 20.66 %.
    assert second.status == GREEN
    assert second.actual == pytest.approx(((1.3 * 1.12) ** 0.5 - 1) * 100)
    # Still required in 2025 so that 2023–2025 average 20 %: 1.2³ ÷ (1.3 × 1.12) − 1.
    assert second.required_rate == pytest.approx(1.2**3 / (1.3 * 1.12) - 1)
    assert second.params["still_required"] == pytest.approx((1.2**3 / (1.3 * 1.12) - 1) * 100)
    assert (first.status, third.status) == (GREEN, GREEN)
    assert third.actual == pytest.approx(((1.3 * 1.12 * 1.2) ** (1 / 3) - 1) * 100)
    assert third.required_rate is None  # no year left


def test_it_turns_a_shortfall_of_the_average_red_and_says_what_is_still_required():
    history = [year_end(2023, 10.0), year_end(2024, 8.0)]
    outcome = evaluate(average(), history, as_of=date(2024, 12, 31))
    assert outcome.status == RED
    assert outcome.required_rate == pytest.approx(1.2**3 / (1.1 * 1.08) - 1)


def test_it_uses_the_current_year_so_far_for_the_current_year():
    history = [year_end(2023, 30.0), Observation(period_end=date(2024, 6, 30), value=12.0)]
    outcome = evaluate(average(), history, as_of=date(2024, 6, 30))
    assert outcome.inputs["years"] == [2023, 2024]
    assert outcome.inputs["partial_last_year"] is True
    assert outcome.status == GREEN


def test_it_does_not_average_over_a_missing_year():
    outcome = evaluate(average(), [year_end(2023, 30.0), year_end(2025, 20.0)], as_of=date(2025, 12, 31))
    assert (outcome.status, outcome.code, outcome.params) == (GREY, AVERAGE_GROWTH_GAP, {"missing_years": [2024]})


def test_compound_average_is_not_the_arithmetic_mean():
    assert compound_average([30.0, 12.0]) == pytest.approx(20.665, abs=1e-3)
    assert compound_average([]) is None


# --- 力争: stretch values and stretch milestones ---------------------------------------


def milestone(**overrides) -> TargetSpec:
    fields = {"kind": "milestone", "due_date": date(2025, 12, 31)}
    fields.update(overrides)
    return plan_spec(**fields)


def test_a_missed_stretch_milestone_is_amber_and_a_missed_committed_one_red():
    not_done = [Observation(period_end=date(2026, 3, 31), value=0.0)]
    stretch = evaluate(milestone(stretch=1.0), not_done, as_of=date(2026, 3, 31))
    committed = evaluate(milestone(committed=1.0), not_done, as_of=date(2026, 3, 31))
    # 「到2025年，力争把楚雄国家高新区、禄丰产业园区建设成为省级智慧园区」 vs 「2023年底……全面齐备」.
    assert (stretch.status, stretch.code) == (AMBER, STRETCH_NOT_MET)
    assert stretch.reason.startswith(STRETCH_NOT_MET_REASON)
    assert stretch.params["detail_code"] == MILESTONE_OVERDUE  # the reason inside the cap keeps its own code
    assert committed.status == RED
    assert committed.code != STRETCH_NOT_MET


def test_a_milestone_without_either_value_is_held_as_a_commitment():
    outcome = evaluate(milestone(), [Observation(period_end=date(2026, 3, 31), value=0.0)], as_of=date(2026, 3, 31))
    assert outcome.status == RED


def test_a_stretch_only_level_goal_is_never_red():
    # 「力争工业总产值达1200亿元以上」: 禄丰 has no committed value.
    spec = plan_spec(kind="level", stretch=1200.0, baseline=500.0)
    far_behind = evaluate(spec, [year_end(2025, 520.0)], as_of=date(2025, 12, 31))
    assert (far_behind.status, far_behind.code) == (AMBER, STRETCH_NOT_MET)
    as_committed = evaluate(
        plan_spec(kind="level", committed=1200.0, baseline=500.0), [year_end(2025, 520.0)], as_of=date(2025, 12, 31)
    )
    assert as_committed.status == RED


def test_a_committed_value_beside_a_stretch_value_is_still_red_when_missed():
    # 「达1500亿元以上，力争双突破2000亿元」: the 1500 is a commitment.
    spec = plan_spec(kind="level", committed=1500.0, stretch=2000.0, baseline=1000.0)
    outcome = evaluate(spec, [year_end(2025, 1100.0)], as_of=date(2025, 12, 31))
    assert outcome.status == RED


# --- collective goals: the prefecture on rolled-up figures -----------------------------


def test_a_prefecture_goal_from_four_zones_with_one_missing_is_incomplete_not_zero():
    hierarchy = Hierarchy(zones=ZONES)
    members = hierarchy.members(PREFECTURE)
    output_2024 = {"chuxiong-hitech": 600.0, "lufeng": 500.0, "wuding": 100.0, "mouding": 200.0}
    output_2025 = {"chuxiong-hitech": 720.0, "lufeng": 600.0, "wuding": None, "mouding": 240.0}
    total_2024, total_2025 = sum_levels(output_2024, members), sum_levels(output_2025, members)
    assert (total_2024.value, total_2024.complete) == (1400.0, True)
    assert (total_2025.value, total_2025.missing, total_2025.partial) == (None, ("wuding",), 1560.0)
    growth_2025 = growth_from_levels(total_2025, total_2024)
    assert growth_2025.value is None and growth_2025.missing == ("wuding",)

    history = [
        year_end(2023, 25.0),
        year_end(2024, 22.0),
        year_end(2025, growth_2025.value, missing=growth_2025.missing),
    ]
    outcome = evaluate(average(), history, as_of=date(2025, 12, 31))
    assert (outcome.status, outcome.code, outcome.params) == (GREY, ROLLUP_INCOMPLETE, {"missing": ["wuding"]})


def test_the_prefecture_growth_comes_from_summed_levels_not_averaged_rates():
    members = ZONES
    before = sum_levels({"chuxiong-hitech": 900.0, "lufeng": 100.0, "wuding": 50.0, "mouding": 50.0}, members)
    after = sum_levels({"chuxiong-hitech": 990.0, "lufeng": 150.0, "wuding": 75.0, "mouding": 75.0}, members)
    # The zones grew +10 %, +50 %, +50 %, +50 % (mean 40 %); together they grew 1290 ÷ 1100 − 1.
    assert growth_from_levels(after, before).value == pytest.approx((1290 / 1100 - 1) * 100)


def test_the_prefecture_share_comes_from_summed_parts():
    leading = {"chuxiong-hitech": 450.0, "lufeng": 100.0, "wuding": 10.0, "mouding": 40.0}
    revenue = {"chuxiong-hitech": 600.0, "lufeng": 400.0, "wuding": 100.0, "mouding": 100.0}
    assert share_from_parts(leading, revenue, ZONES).value == pytest.approx(600 / 1200 * 100)
    revenue["mouding"] = None
    assert share_from_parts(leading, revenue, ZONES).missing == ("mouding",)


def test_the_hierarchy_puts_areas_under_zones_and_counties_beside():
    hierarchy = Hierarchy(zones=ZONES, areas={"chuxiong-hitech": ("yundian",)}, counties={"lufeng": "lufeng"})
    assert hierarchy.parent("yundian") == "chuxiong-hitech"
    assert hierarchy.parent("lufeng") == PREFECTURE
    assert hierarchy.members("chuxiong-hitech") == ("yundian",)


# --- timing words and counts -----------------------------------------------------------


def test_each_half_year_owes_its_own_report():
    # 「每半年向州、县市党委全面报告1次工作」: two reports in the first half do not cover the second.
    spec = plan_spec(kind="recurring", required_count=1, per_half_year=True)
    both_early = [
        Observation(period_end=date(2024, 6, 30), value=2.0),
        Observation(period_end=date(2024, 12, 31), value=0.0),
    ]
    one_each = [
        Observation(period_end=date(2024, 6, 30), value=1.0),
        Observation(period_end=date(2024, 12, 31), value=1.0),
    ]
    assert evaluate(spec, both_early, as_of=date(2024, 12, 31)).status == RED
    assert evaluate(spec, one_each, as_of=date(2024, 12, 31)).status == GREEN
    assert (
        evaluate(spec, [Observation(period_end=date(2024, 3, 31), value=0.0)], as_of=date(2024, 3, 31)).status == AMBER
    )


def test_early_in_the_year_is_due_by_the_end_of_march():
    # 「每年初开展电力供需形势分析预判」
    spec = plan_spec(kind="recurring", required_count=1, due_month=3)
    late = [Observation(period_end=date(2024, 3, 31), value=0.0), Observation(period_end=date(2024, 9, 30), value=1.0)]
    none = [Observation(period_end=date(2024, 3, 31), value=0.0)]
    on_time = [Observation(period_end=date(2024, 3, 31), value=1.0)]
    assert evaluate(spec, on_time, as_of=date(2024, 6, 30)).status == GREEN
    assert evaluate(spec, late, as_of=date(2024, 9, 30)).status == AMBER
    assert evaluate(spec, none, as_of=date(2024, 6, 30)).status == RED
    assert evaluate(spec, none, as_of=date(2024, 3, 31)).status == AMBER


def test_a_headcount_is_a_count_held_to_its_floor():
    # 「每个开发区至少配备1名专职统计人员」
    spec = plan_spec(kind="count", committed=1.0, unit="人")
    assert evaluate(spec, [year_end(2024, 1.0)], as_of=date(2024, 12, 31)).status == GREEN
    none = evaluate(spec, [year_end(2024, 0.0)], as_of=date(2024, 12, 31))
    assert none.status == RED
    assert "比重" not in none.reason and none.params == {"count": 0.0, "floor": 1.0, "direction": "higher"}
