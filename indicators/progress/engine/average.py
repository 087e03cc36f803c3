"""The average-growth kind (年均): a compound average rate over the plan's years, not a floor for each year.

Observations are year-on-year growth rates in percent at period ends (a value inside a year is the
growth of the year so far, the statistics' 累计增速). Each year from the one after the baseline up
to the latest observed contributes its latest rate; the current year's rate so far stands in for the
full year. The average achieved so far is compared with the rate; the average still required over
the remaining years to the goal year is given beside it.
"""

from .common import _Context, _grey, _outcome, _ratio, _stale, _stale_note, fmt_value
from .spec import (
    AVERAGE_GROWTH_GAP,
    AVERAGE_GROWTH_INVALID,
    AVERAGE_GROWTH_MET,
    NO_DATA,
    NO_DATA_REASON,
    NO_GOAL,
    NO_GOAL_REASON,
    ProgressOutcome,
    status_for,
)


def compound_average(rates_pct: list[float]) -> float | None:
    """The compound average of yearly growth rates (percent), in percent; None for no rates or a fall to zero."""
    if not rates_pct:
        return None
    product = 1.0
    for rate in rates_pct:
        product *= 1 + rate / 100
    if product <= 0:
        return None
    return (product ** (1 / len(rates_pct)) - 1) * 100


def still_required(*, rate_pct: float, years: int, achieved_pct: list[float]) -> float | None:
    """The average rate (percent) the remaining years need so that all `years` average `rate_pct`."""
    remaining = years - len(achieved_pct)
    if remaining <= 0:
        return None
    product = 1.0
    for rate in achieved_pct:
        product *= 1 + rate / 100
    if product <= 0:
        return None
    return (((1 + rate_pct / 100) ** years / product) ** (1 / remaining) - 1) * 100


def _evaluate_average_growth(ctx: _Context) -> ProgressOutcome:
    spec, goal = ctx.spec, ctx.goal
    if goal is None:
        return _grey(ctx, NO_GOAL_REASON, code=NO_GOAL)
    first_year = spec.baseline_year + 1
    by_year = {obs.period_end.year: obs for obs in ctx.observed if obs.period_end.year >= first_year}
    if not by_year:
        return _grey(ctx, NO_DATA_REASON, code=NO_DATA)
    last_year = min(max(by_year), spec.goal_year)
    missing = [year for year in range(first_year, last_year + 1) if year not in by_year]
    if missing:
        # A gap cannot be averaged over: the years either side do not make the plan's average.
        params = {"missing_years": missing}
        return _grey(
            ctx,
            "缺少" + "、".join(f"{y}年" for y in missing) + "增速，无法计算年均增速",
            code=AVERAGE_GROWTH_GAP,
            params=params,
        )
    years = list(range(first_year, last_year + 1))
    rates = [by_year[year].value for year in years]
    latest = by_year[last_year]
    average = compound_average(rates)
    plan_years = spec.goal_year - spec.baseline_year
    required = still_required(rate_pct=goal, years=plan_years, achieved_pct=rates)
    ctx.inputs.update(
        years=years,
        yearly_rates=rates,
        partial_last_year=(latest.period_end.month, latest.period_end.day) != (12, 31),
        plan_years=plan_years,
        average_so_far=average,
        average_still_required=required,
        evaluated_at=latest.period_end,
    )
    if average is None:
        return _grey(ctx, "增速数据有误（累计下降100%以上），无法计算年均增速", code=AVERAGE_GROWTH_INVALID)
    attainment, method = _ratio(average, goal, spec.direction)
    ctx.inputs["attainment_method"] = method
    status = status_for(attainment)
    projection = compound_average(rates + [rates[-1]] * (plan_years - len(rates)))
    params = {
        "first_year": first_year,
        "last_year": last_year,
        "average": average,
        "goal": goal,
        "still_required": required,
        "goal_year": spec.goal_year,
        **_stale(latest.period_end, ctx.as_of),
    }
    reason = f"{first_year}—{last_year}年年均增长{fmt_value(average)}%，目标年均{fmt_value(goal)}%"
    if required is not None:
        reason += f"，{last_year + 1}—{spec.goal_year}年尚需年均增长{fmt_value(required)}%"
    return _outcome(
        status=status,
        reason=reason + _stale_note(latest.period_end, ctx.as_of),
        inputs=ctx.inputs,
        actual=average,
        expected=goal,
        attainment=attainment,
        projection=projection,
        required_rate=None if required is None else required / 100,
        code=AVERAGE_GROWTH_MET,
        params=params,
    )
