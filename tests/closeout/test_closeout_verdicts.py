"""The final evaluation's verdicts, without a database."""

from datetime import date

import pytest

from closeout import verdict as v


def reading(end, value=None, *, source=v.PORTAL, done_on=None):
    figure = (value, done_on)
    return v.resolve(figure if source == v.PORTAL else None, figure if source == v.PROVINCE else None, end)


DEC = date(2025, 12, 31)


def judge(
    kind="level", *, committed=None, stretch=None, readings=(), direction="higher", required=None, year=2025, **timing
):
    """`timing`: a recurring duty's per_half_year or due_month."""
    return v.goal_verdict(
        kind=kind,
        direction=direction,
        year=year,
        committed=committed,
        stretch=stretch,
        required_count=required,
        readings=list(readings),
        **timing,
    )


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (2100.0, v.MET),  # above the stretch 力争 value
        (2000.0, v.MET),  # exactly on it
        (1600.0, v.COMMITTED_ONLY),  # the committed ≥1500, not the 2000 stretch
        (1500.0, v.COMMITTED_ONLY),
        (1499.0, v.NOT_MET),
    ],
)
def test_it_judges_a_goal_with_committed_and_stretch_values(value, code):
    result = judge(committed=1500, stretch=2000, readings=[reading(DEC, value)])
    assert result.code == code
    assert result.value == value


def test_it_judges_a_stretch_only_goal_as_met_or_not():
    assert judge(stretch=1200, readings=[reading(DEC, 1250)]).code == v.MET
    # Short of a 力争 value with nothing committed: not a failed commitment (DESIGN §2: red is for commitments).
    assert judge(stretch=1200, readings=[reading(DEC, 1100)]).code == v.STRETCH_NOT_MET


@pytest.mark.parametrize(
    ("direction", "value", "code"),
    [
        ("higher", 2.0, v.MET),  # 每个开发区至少配备1名专职统计人员: two on staff
        ("higher", 1.0, v.MET),
        ("higher", 0.0, v.NOT_MET),
        ("lower", 0.0, v.MET),  # 违规举债融资: none at all
        ("lower", 1.0, v.NOT_MET),
    ],
)
def test_it_judges_a_count_held_to_a_floor_or_a_ceiling_on_its_year_end_figure(direction, value, code):
    """A count is a checkable figure, judged as progress judges it (实有…，要求至少…), not a qualitative goal."""
    committed = 0 if direction == "lower" else 1
    result = judge(
        "count",
        direction=direction,
        committed=committed,
        readings=[reading(date(2025, 6, 30), 5.0), reading(DEC, value)],
    )
    assert (result.code, result.value) == (code, value)


def test_a_count_without_its_year_end_figure_has_no_final_data():
    result = judge("count", committed=1, readings=[reading(date(2025, 6, 30), 1.0)])
    assert result.code == v.NO_DATA and result.latest.value == 1.0


def test_it_holds_a_lower_is_better_goal_as_a_ceiling():
    assert judge(direction="lower", committed=10, readings=[reading(DEC, 9.5)]).code == v.MET
    assert judge(direction="lower", committed=10, readings=[reading(DEC, 10.5)]).code == v.NOT_MET


def test_it_has_no_final_value_without_the_year_end_figure():
    november = reading(date(2025, 11, 30), 1900)
    result = judge(committed=1500, readings=[november, reading(date(2024, 12, 31), 1700)])
    assert result.code == v.NO_DATA
    assert result.value is None
    assert result.latest == november  # shown as the latest figure, not judged


def test_it_judges_a_yearly_goal_at_the_end_of_its_own_year():
    readings = [reading(date(2023, 12, 31), 21.0), reading(DEC, 12.0)]
    assert judge("growth", committed=20, year=2023, readings=readings).code == v.MET
    assert judge("growth", committed=20, year=2025, readings=readings).code == v.NOT_MET


def test_it_counts_a_recurring_duty_over_its_year():
    readings = [reading(date(2024, 6, 30), 1), reading(date(2024, 12, 31), 1), reading(date(2025, 6, 30), 1)]
    result = judge("recurring", required=2, year=2024, readings=readings)
    assert (result.code, result.value, result.required) == (v.MET, 2, 2)
    assert (result.reading.unit_value, result.reading.province_value, result.reading.period_end) == (
        2,
        None,
        date(2024, 12, 31),
    )
    result = judge("recurring", required=2, year=2025, readings=readings)
    assert (result.code, result.value) == (v.NOT_MET, 1)
    assert judge("recurring", required=2, year=2023, readings=readings).code == v.NO_DATA


def test_a_recurring_duty_counts_each_sources_figures_the_province_winning_per_period():
    readings = [v.resolve((1.0, None), (0.0, None), date(2025, 6, 30)), v.resolve((1.0, None), None, DEC)]
    result = judge("recurring", required=2, readings=readings)
    assert (result.code, result.value) == (v.NOT_MET, 1)
    assert (result.reading.source, result.reading.unit_value, result.reading.province_value) == (v.PROVINCE, 2, 0)


def test_it_never_judges_a_qualitative_goal():
    result = judge("qualitative", readings=[reading(DEC, 5.0)])
    assert (result.code, result.value) == (v.NOT_JUDGED, 5.0)


def test_the_provinces_figure_wins_and_both_are_kept():
    r = v.resolve((100.0, None), (110.0, None), DEC)
    assert (r.source, r.value, r.unit_value, r.province_value) == (v.PROVINCE, 110.0, 100.0, 110.0)
    r = v.resolve((100.0, None), None, DEC)
    assert (r.source, r.value, r.province_value) == (v.PORTAL, 100.0, None)
    # A winning province figure decides the verdict.
    assert judge(committed=105, readings=[v.resolve((100.0, None), (110.0, None), DEC)]).code == v.MET
    assert judge(committed=105, readings=[v.resolve((110.0, None), (100.0, None), DEC)]).code == v.NOT_MET


def test_it_dates_a_milestone_on_time_late_or_not_done():
    due = date(2023, 12, 31)
    on_time = v.milestone_verdict(due_date=due, readings=[reading(date(2023, 12, 31), 1, done_on=date(2023, 11, 5))])
    assert (on_time.code, on_time.done_on) == (v.ON_TIME, date(2023, 11, 5))
    late = v.milestone_verdict(
        due_date=due,
        readings=[
            reading(date(2024, 3, 31), 1, done_on=date(2024, 2, 9)),
            reading(date(2024, 6, 30), 1, done_on=date(2024, 6, 1)),
        ],
    )
    assert (late.code, late.done_on, late.days_late) == (v.LATE, date(2024, 2, 9), 40)
    undated = v.milestone_verdict(due_date=due, readings=[reading(date(2024, 3, 31), 1)])
    assert (undated.code, undated.done_on) == (v.LATE, date(2024, 3, 31))
    assert v.milestone_verdict(due_date=due, readings=[reading(date(2025, 12, 31), 0)]).code == v.NOT_DONE
    assert v.milestone_verdict(due_date=due, readings=[]).code == v.NOT_DONE


def test_it_tallies_every_code():
    counts = v.tally([v.MET, v.MET, v.NO_DATA])
    assert counts == {
        v.MET: 2,
        v.COMMITTED_ONLY: 0,
        v.STRETCH_NOT_MET: 0,
        v.NOT_MET: 0,
        v.NO_DATA: 1,
        v.NOT_JUDGED: 0,
        "total": 3,
    }


def average(readings, *, committed=20, stretch=None):
    return v.goal_verdict(
        kind="average_growth",
        direction="higher",
        year=2025,
        committed=committed,
        stretch=stretch,
        required_count=None,
        readings=list(readings),
        first_year=2023,
    )


def test_it_judges_an_average_growth_goal_on_the_compound_average_of_the_year_end_rates():
    # +30 %, +12 %, +20 %: 12 % alone would miss a 20 % floor, but the average over the three years is 20.4 %.
    rates = [reading(date(2023, 12, 31), 30.0), reading(date(2024, 12, 31), 12.0), reading(DEC, 20.0)]
    result = average(rates)
    assert result.code == v.MET
    assert result.value == pytest.approx(((1.3 * 1.12 * 1.2) ** (1 / 3) - 1) * 100)
    assert average(rates, stretch=25).code == v.COMMITTED_ONLY
    low = [reading(date(2023, 12, 31), 10.0), reading(date(2024, 12, 31), 12.0), reading(DEC, 20.0)]
    assert average(low).code == v.NOT_MET


def test_an_average_growth_goal_with_a_missing_year_end_rate_has_no_data():
    """Without 2024's year-end rate there is no average, nor an average so far: the years missing are named, and no
    single year's rate stands in for the average the goal is about."""
    rates = [reading(date(2023, 12, 31), 30.0), reading(date(2024, 6, 30), 12.0), reading(DEC, 20.0)]
    result = average(rates)
    assert (result.code, result.latest, result.missing_years) == (v.NO_DATA, None, (2024,))
    assert average(rates[:1]).missing_years == (2024, 2025)


def test_without_the_last_year_end_rate_the_latest_figure_is_the_average_so_far():
    """As progress shows it (年均…截至2025年11月): the earlier years' year-end rates, the last year's rate to date."""
    rates = [reading(date(2023, 12, 31), 30.0), reading(date(2024, 12, 31), 12.0), reading(date(2025, 11, 30), 20.0)]
    result = average(rates)
    assert (result.code, result.missing_years) == (v.NO_DATA, ())
    assert result.latest.period_end == date(2025, 11, 30)
    assert result.latest.value == pytest.approx(((1.3 * 1.12 * 1.2) ** (1 / 3) - 1) * 100)


def test_an_average_growth_goals_sources_are_averaged_each_on_its_own():
    rates = [
        reading(date(2023, 12, 31), 30.0, source=v.PROVINCE),
        reading(date(2024, 12, 31), 12.0),
        reading(DEC, 20.0),
    ]
    result = average(rates)
    assert result.reading.source == v.PROVINCE
    assert result.reading.province_value is None  # the province gave one year of three
    assert result.reading.unit_value is None


def test_a_duty_owed_each_half_year_is_met_only_when_each_half_has_its_count():
    """每半年向党委全面报告1次工作: twice a year, one in each half; two in the first half leave the second owed."""

    def half_yearly(*values):
        ends = (date(2025, 6, 30), DEC)
        readings = [reading(end, value) for end, value in zip(ends, values, strict=False)]
        return judge("recurring", required=1, readings=readings, per_half_year=True)

    both = half_yearly(1, 1)
    assert (both.code, both.value, both.required) == (v.MET, 2, 2)
    assert half_yearly(1).code == v.NOT_MET  # the second half never reported: one report of the two owed
    assert half_yearly(2, 0).code == v.NOT_MET


def test_a_duty_owed_early_in_the_year_counts_only_what_was_done_by_its_month():
    """每年一季度…: done in the second quarter, it was not done in time."""

    def by_march(*readings):
        return judge("recurring", required=1, readings=readings, due_month=3)

    on_time = by_march(reading(date(2025, 3, 31), 1), reading(date(2025, 6, 30), 0))
    assert (on_time.code, on_time.value, on_time.reading.period_end) == (v.MET, 1, date(2025, 3, 31))
    late = by_march(reading(date(2025, 3, 31), 0), reading(date(2025, 6, 30), 1))
    assert (late.code, late.value) == (v.NOT_MET, 0)
    assert by_march(reading(date(2025, 9, 30), 1)).code == v.NOT_MET


def test_a_roll_up_lacking_a_zone_at_the_year_end_has_no_final_figure_and_names_the_zone():
    incomplete = v.Reading(period_end=DEC, source=v.COMPUTED, value=None, unit_value=21.6, missing=("高新区",))
    result = judge("growth", committed=20, readings=[reading(date(2025, 11, 30), 21.7), incomplete])
    assert (result.code, result.missing, result.latest.value) == (v.NO_DATA, ("高新区",), 21.7)
    rates = [reading(date(2023, 12, 31), 30.0), reading(date(2024, 12, 31), 12.0), incomplete]
    assert average(rates).missing == ("高新区",)


def test_an_average_growth_goal_keeps_the_year_end_rates_it_averaged():
    rates = [reading(date(2023, 12, 31), 30.0), reading(date(2024, 12, 31), 12.0), reading(DEC, 20.0)]
    assert [r.value for r in average(rates).yearly] == [30.0, 12.0, 20.0]


def test_a_milestone_nothing_was_reported_of_is_not_done_and_says_so():
    silent = v.milestone_verdict(due_date=DEC, readings=[])
    open_ = v.milestone_verdict(due_date=DEC, readings=[reading(date(2025, 9, 30), 0.0)])
    assert (silent.code, silent.reported) == (v.NOT_DONE, False)
    assert (open_.code, open_.reported) == (v.NOT_DONE, True)
