"""A final figure is held to its goal, not to a pace.

Once the path from the baseline has reached its end (the goal year's full-year figure, the plan's whole period of a
running total), what is expected is the goal itself: the reason says the goal and how much of it was met, in both
languages, and not 序时进度. Before that, on the same history, the reason still speaks of the pace.
"""

from datetime import date

import pytest
from django.utils import translation

from indicators.progress.engine import (
    AGAINST_PATH,
    AMBER,
    RED,
    STRETCH_NOT_MET,
    Observation,
    TargetSpec,
    evaluate,
    held_to_goal,
)
from indicators.progress.reasons import reason_text

PLAN = {"goal_year": 2025, "baseline_year": 2022, "plan_start": date(2023, 1, 1), "plan_end": date(2025, 12, 31)}


def level_history(*values):
    return [Observation(period_end=date(2023 + i, 12, 31), value=v) for i, v in enumerate(values)]


def words(outcome, language):
    with translation.override(language):
        return reason_text(outcome.code, outcome.params)


@pytest.mark.parametrize("as_of", [date(2025, 12, 31), date(2026, 1, 1), date(2026, 12, 3)])
@pytest.mark.parametrize("ytd", [False, True])
def test_the_goal_years_figure_is_held_to_the_goal_on_any_later_day(as_of, ytd):
    spec = TargetSpec(kind="level", committed=1200.0, baseline=500.0, year_to_date=ytd, **PLAN)
    outcome = evaluate(spec, level_history(700.0, 900.0, 1150.0), as_of=as_of)
    assert (outcome.code, outcome.status, outcome.expected) == (AGAINST_PATH, AMBER, 1200.0)
    measure = "本年累计值" if ytd else "实际值"
    # Read on a later day, the reason also says how old its figure is.
    assert outcome.reason.startswith(f"{measure}1,150，2025年目标值1,200，完成目标的95.8%，略低于目标")
    assert words(outcome, "zh-hans") == outcome.reason
    english = words(outcome, "en")
    assert "2025 goal 1,200" in english and "95.8% of the goal" in english and "pace" not in english


@pytest.mark.parametrize("as_of", [date(2024, 12, 31), date(2025, 6, 30)])
def test_a_figure_before_the_goal_year_ends_is_held_to_the_pace(as_of):
    spec = TargetSpec(kind="level", committed=1200.0, baseline=500.0, **PLAN)
    outcome = evaluate(spec, level_history(700.0, 760.0), as_of=as_of)
    assert outcome.code == AGAINST_PATH and outcome.expected < 1200.0
    assert "序时进度应为" in outcome.reason and "目标值" not in outcome.reason
    assert "goal_year" not in outcome.params
    assert "pace" in words(outcome, "en")


def test_a_year_to_date_figure_of_the_year_after_the_goal_year_is_still_a_pace():
    # January 2026's year-to-date figure is held to a twelfth of the goal, not to the goal.
    spec = TargetSpec(kind="level", committed=1200.0, baseline=500.0, year_to_date=True, **PLAN)
    history = [*level_history(700.0, 900.0, 1150.0), Observation(period_end=date(2026, 1, 31), value=50.0)]
    outcome = evaluate(spec, history, as_of=date(2026, 2, 1))
    assert outcome.expected == pytest.approx(100.0)
    assert "序时进度应为" in outcome.reason and "goal_year" not in outcome.params


def test_a_running_total_at_the_plans_end_is_held_to_the_plan_goal():
    spec = TargetSpec(kind="cumulative", committed=60.0, **PLAN)
    history = level_history(15.0, 30.0, 40.0)
    final = evaluate(spec, history, as_of=date(2026, 12, 3))
    assert (final.status, final.expected) == (RED, 60.0)
    assert final.reason.startswith("累计完成40，计划期目标60，完成目标的66.7%，明显低于目标")
    assert words(final, "zh-hans") == final.reason
    assert "plan-period goal 60" in words(final, "en")
    midway = evaluate(spec, history[:2], as_of=date(2024, 12, 31))
    assert "序时进度应为40" in midway.reason and "plan_goal" not in midway.params


def held(outcome) -> bool:
    return held_to_goal(outcome.code, outcome.params)


def test_what_a_figure_was_held_to_is_the_engines_to_say():
    level = TargetSpec(kind="level", committed=1200.0, baseline=500.0, **PLAN)
    assert held(evaluate(level, level_history(700.0, 900.0, 1150.0), as_of=date(2026, 12, 3)))
    assert not held(evaluate(level, level_history(700.0, 760.0), as_of=date(2024, 12, 31)))
    total = TargetSpec(kind="cumulative", committed=60.0, **PLAN)
    assert held(evaluate(total, level_history(15.0, 30.0, 40.0), as_of=date(2026, 12, 3)))
    assert not held(evaluate(total, level_history(15.0, 30.0), as_of=date(2024, 12, 31)))
    # A rate is held to its goal at every point, the first year's included.
    growth = TargetSpec(kind="growth", committed=20.0, **PLAN)
    assert held(evaluate(growth, level_history(19.0), as_of=date(2023, 12, 31)))
    # A 力争 goal's red, capped at amber, is held to what the outcome it was capped from was held to.
    stretch_level = TargetSpec(kind="level", stretch=1200.0, baseline=500.0, **PLAN)
    capped = evaluate(stretch_level, level_history(600.0, 700.0, 800.0), as_of=date(2026, 12, 3))
    assert (capped.code, capped.status) == (STRETCH_NOT_MET, AMBER) and held(capped)
    capped_midway = evaluate(stretch_level, level_history(520.0, 540.0), as_of=date(2024, 12, 31))
    assert capped_midway.code == STRETCH_NOT_MET and not held(capped_midway)
    # Nothing to hold: no data, a milestone.
    assert not held(evaluate(level, [], as_of=date(2026, 12, 3)))
