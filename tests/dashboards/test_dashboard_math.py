"""The pure helpers behind the charts: the required-growth path and the number formats."""

from datetime import date

import pytest

from indicators.progress import engine
from indicators.reporting.period_names import month_name
from pages.dashboards import decimals_for, fmt_number, fmt_ratio, trajectory


def test_it_grows_the_baseline_at_the_required_rate_to_the_goal():
    path = trajectory(baseline=600, goal=1200, baseline_year=2022, goal_year=2025)
    rate = 2 ** (1 / 3) - 1
    assert [year for year, _ in path] == [2022, 2023, 2024, 2025]
    assert path[0][1] == 600
    assert path[1][1] == pytest.approx(600 * (1 + rate))
    assert path[3][1] == pytest.approx(1200)


def test_it_draws_the_same_path_the_progress_engine_judges_by():
    spec = engine.TargetSpec(
        kind=engine.LEVEL,
        committed=1500,
        stretch=2000,
        baseline=720,
        goal_year=2025,
        baseline_year=2022,
        plan_start=date(2023, 1, 1),
        plan_end=date(2025, 12, 31),
    )
    history = [engine.Observation(period_end=date(2023, 12, 31), value=900)]
    outcome = engine.evaluate(spec, history, as_of=date(2023, 12, 31))
    path = dict(trajectory(baseline=720, goal=1500, baseline_year=2022, goal_year=2025))
    assert path[2023] == pytest.approx(outcome.expected)
    assert outcome.inputs["path_rate"] == pytest.approx(path[2023] / 720 - 1)


def test_it_falls_back_to_a_straight_line_when_growth_is_undefined():
    assert trajectory(baseline=0, goal=30, baseline_year=2022, goal_year=2025) == [
        (2022, 0),
        (2023, 10),
        (2024, 20),
        (2025, 30),
    ]


def test_it_formats_numbers_the_chinese_way():
    assert fmt_number(1234.5, "亿元") == "1,234.5亿元"
    assert fmt_number(23.456, "%") == "23.5%"
    assert fmt_number(65, "户") == "65户"
    assert fmt_number(None, "亿元") == "—"
    assert fmt_ratio(0.853) == "85.3%"
    assert month_name(date(2025, 12, 31)) == "2025年12月"
    assert decimals_for("亿元") == 1 and decimals_for("家") == 0
